// vm-gpu-exec reads only regular files of bounded size: a FIFO, a device, a
// directory or a huge sparse file, named directly or through a link, as the
// artifact or as an input, is a clean error (exit 1, `error:`, nothing
// written), never a hang or an out-of-memory death. `timeout` turns a hang
// into a failure and `ulimit -v` an endless read into one.
// `ulimit -v` leaves no room for ASan's shadow memory (scripts/sanitize.sh).
// UNSUPPORTED: asan
// RUN: rm -rf %t && mkdir -p %t
// RUN: vm-gpu-compile %s --target cpu -o %t/block.vmgpu
// RUN: mkfifo %t/fifo.vmgpu %t/fifo.npy
// RUN: mkdir %t/dir.vmgpu %t/dir.npy
// RUN: ln -s /dev/zero %t/zero.vmgpu
// RUN: truncate -s 100G %t/sparse.vmgpu %t/sparse.npy

// Artifacts:
// RUN: not timeout 60 vm-gpu-exec %t/fifo.vmgpu --output-dir %t/out 2>&1 | FileCheck %s --check-prefix=AFIFO
// AFIFO: vm-gpu-exec: error: {{.*}}fifo.vmgpu: is a FIFO, not a regular file
// RUN: (ulimit -v 4194304; not timeout 60 vm-gpu-exec /dev/zero --output-dir %t/out) 2>&1 | FileCheck %s --check-prefix=AZERO
// AZERO: vm-gpu-exec: error: /dev/zero: is a character device, not a regular file
// RUN: (ulimit -v 4194304; not timeout 60 vm-gpu-exec %t/zero.vmgpu --output-dir %t/out) 2>&1 | FileCheck %s --check-prefix=ALINK
// ALINK: vm-gpu-exec: error: {{.*}}zero.vmgpu: is a character device, not a regular file
// RUN: not timeout 60 vm-gpu-exec %t/dir.vmgpu --output-dir %t/out 2>&1 | FileCheck %s --check-prefix=ADIR
// ADIR: vm-gpu-exec: error: {{.*}}dir.vmgpu: is a directory, not a regular file
// RUN: (ulimit -v 4194304; not timeout 60 vm-gpu-exec %t/sparse.vmgpu --output-dir %t/out) 2>&1 | FileCheck %s --check-prefix=ASPARSE
// ASPARSE: vm-gpu-exec: error: {{.*}}sparse.vmgpu: the file has 107374182400 bytes, more than the 268435456 bytes allowed

// Inputs:
// RUN: not timeout 60 vm-gpu-exec %t/block.vmgpu --input %t/fifo.npy --output-dir %t/out 2>&1 | FileCheck %s --check-prefix=IFIFO
// IFIFO: vm-gpu-exec: error: input #0 ({{.*}}fifo.npy): {{.*}}fifo.npy: is a FIFO, not a regular file
// RUN: (ulimit -v 4194304; not timeout 60 vm-gpu-exec %t/block.vmgpu --input /dev/zero --output-dir %t/out) 2>&1 | FileCheck %s --check-prefix=IZERO
// IZERO: vm-gpu-exec: error: input #0 (/dev/zero): /dev/zero: is a character device, not a regular file
// RUN: not timeout 60 vm-gpu-exec %t/block.vmgpu --input %t/dir.npy --output-dir %t/out 2>&1 | FileCheck %s --check-prefix=IDIR
// IDIR: vm-gpu-exec: error: input #0 ({{.*}}dir.npy): {{.*}}dir.npy: is a directory, not a regular file
// RUN: (ulimit -v 4194304; not timeout 60 vm-gpu-exec %t/block.vmgpu --input %t/sparse.npy --output-dir %t/out) 2>&1 | FileCheck %s --check-prefix=ISPARSE
// ISPARSE: vm-gpu-exec: error: input #0 ({{.*}}sparse.npy): {{.*}}sparse.npy: not a .npy file: bad magic string

// Nothing was written by any of these; the artifact itself still runs.
// RUN: not ls %t/out
// RUN: rm -f %t/sparse.vmgpu %t/sparse.npy
// RUN: vm-gpu-exec %t/block.vmgpu --output-dir %t/good
// RUN: ls %t/good | FileCheck %s --check-prefix=GOOD
// GOOD: out0.npy

func.func @main() -> tensor<2xi32> {
  %0 = vm.constant dense<[1, 2]> : tensor<2xi32>
  return %0 : tensor<2xi32>
}
