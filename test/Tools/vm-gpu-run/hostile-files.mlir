// vm-gpu-run reads only regular files of bounded size: a FIFO, a device, a
// directory or a huge sparse file, named directly or through a link, as the
// program or as an input, is a clean error (exit 1, `error:`, nothing
// written), never a hang or an out-of-memory death. `timeout` turns a hang
// into a failure and `ulimit -v` an endless read into one.
// `ulimit -v` leaves no room for ASan's shadow memory (scripts/sanitize.sh).
// UNSUPPORTED: asan
// RUN: rm -rf %t && mkdir -p %t
// RUN: mkfifo %t/fifo.mlir %t/fifo.npy
// RUN: mkdir %t/dir.mlir %t/dir.npy
// RUN: ln -s /dev/zero %t/zero.mlir
// RUN: ln -s /dev/zero %t/zero.npy
// RUN: ln -s %t/fifo.npy %t/link-to-fifo.npy
// RUN: truncate -s 100G %t/sparse.mlir %t/sparse.npy

// Programs:
// RUN: not timeout 60 vm-gpu-run %t/fifo.mlir --device cpu --output-dir %t/out 2>&1 | FileCheck %s --check-prefix=PFIFO
// PFIFO: error: cannot read the program: {{.*}}fifo.mlir: is a FIFO, not a regular file
// RUN: (ulimit -v 4194304; not timeout 60 vm-gpu-run /dev/zero --device cpu --output-dir %t/out) 2>&1 | FileCheck %s --check-prefix=PZERO
// PZERO: error: cannot read the program: /dev/zero: is a character device, not a regular file
// RUN: (ulimit -v 4194304; not timeout 60 vm-gpu-run %t/zero.mlir --device cpu --output-dir %t/out) 2>&1 | FileCheck %s --check-prefix=PLINK
// PLINK: error: cannot read the program: {{.*}}zero.mlir: is a character device, not a regular file
// RUN: not timeout 60 vm-gpu-run %t/dir.mlir --device cpu --output-dir %t/out 2>&1 | FileCheck %s --check-prefix=PDIR
// PDIR: error: cannot read the program: {{.*}}dir.mlir: is a directory, not a regular file
// RUN: (ulimit -v 4194304; not timeout 60 vm-gpu-run %t/sparse.mlir --device cpu --output-dir %t/out) 2>&1 | FileCheck %s --check-prefix=PSPARSE
// PSPARSE: error: cannot read the program: {{.*}}sparse.mlir: the file has 107374182400 bytes, more than the 67108864 bytes allowed

// Inputs:
// RUN: not timeout 60 vm-gpu-run %s --device cpu --input %t/fifo.npy --output-dir %t/out 2>&1 | FileCheck %s --check-prefix=IFIFO
// IFIFO: error: input #0 ({{.*}}fifo.npy): {{.*}}fifo.npy: is a FIFO, not a regular file
// RUN: not timeout 60 vm-gpu-run %s --device cpu --input %t/link-to-fifo.npy --output-dir %t/out 2>&1 | FileCheck %s --check-prefix=ILINK
// ILINK: error: input #0 ({{.*}}link-to-fifo.npy): {{.*}}link-to-fifo.npy: is a FIFO, not a regular file
// RUN: (ulimit -v 4194304; not timeout 60 vm-gpu-run %s --device cpu --input /dev/zero --output-dir %t/out) 2>&1 | FileCheck %s --check-prefix=IZERO
// IZERO: error: input #0 (/dev/zero): /dev/zero: is a character device, not a regular file
// RUN: (ulimit -v 4194304; not timeout 60 vm-gpu-run %s --device cpu --input %t/zero.npy --output-dir %t/out) 2>&1 | FileCheck %s --check-prefix=IZLINK
// IZLINK: error: input #0 ({{.*}}zero.npy): {{.*}}zero.npy: is a character device, not a regular file
// RUN: not timeout 60 vm-gpu-run %s --device cpu --input %t/dir.npy --output-dir %t/out 2>&1 | FileCheck %s --check-prefix=IDIR
// IDIR: error: input #0 ({{.*}}dir.npy): {{.*}}dir.npy: is a directory, not a regular file
// RUN: (ulimit -v 4194304; not timeout 60 vm-gpu-run %s --device cpu --input %t/sparse.npy --output-dir %t/out) 2>&1 | FileCheck %s --check-prefix=ISPARSE
// ISPARSE: error: input #0 ({{.*}}sparse.npy): {{.*}}sparse.npy: not a .npy file: bad magic string

// A valid header that declares 1.2e12 bytes (300000000000 f32) is refused
// from the header, above the 1 TiB a tensor may hold, with no data behind it
// or with a sparse file that holds it all:
// RUN: printf "\223NUMPY\001\000\105\000{'descr': '<f4', 'fortran_order': False, 'shape': (300000000000,), }\n" > %t/huge.npy
// RUN: (ulimit -v 4194304; not timeout 60 vm-gpu-run %s --device cpu --input %t/huge.npy --output-dir %t/out) 2>&1 | FileCheck %s --check-prefix=IHUGE
// IHUGE: error: input #0 ({{.*}}huge.npy): {{.*}}huge.npy: the header declares (300000000000,) of f32, 1200000000000 bytes: more than the 1099511627776 bytes a tensor may hold
// RUN: cp %t/huge.npy %t/huge-sparse.npy && truncate -s 1200000000079 %t/huge-sparse.npy
// RUN: (ulimit -v 4194304; not timeout 60 vm-gpu-run %s --device cpu --input %t/huge-sparse.npy --output-dir %t/out) 2>&1 | FileCheck %s --check-prefix=IHUGESPARSE
// IHUGESPARSE: error: input #0 ({{.*}}huge-sparse.npy): {{.*}}huge-sparse.npy: the file has 1200000000079 bytes, more than the 1099512676364 bytes allowed

// Nothing was written by any of these:
// RUN: not ls %t/out
// RUN: rm -f %t/sparse.mlir %t/sparse.npy %t/huge-sparse.npy

// Standard input (`-`) is still a program source:
// RUN: cat %s | vm-gpu-run - --entry constant --device cpu --output-dir %t/stdin
// RUN: ls %t/stdin | FileCheck %s --check-prefix=STDIN
// STDIN: out0.npy

// An output name (a result, the metrics file) that is a FIFO or a link is
// replaced, never written through (which would block, or write elsewhere):
// RUN: mkdir -p %t/outs && mkfifo %t/outs/out0.npy
// RUN: timeout 60 vm-gpu-run %s --entry constant --device cpu --output-dir %t/outs
// RUN: test -f %t/outs/out0.npy
// RUN: echo keep > %t/victim && ln -sf %t/victim %t/outs/out0.npy
// RUN: timeout 60 vm-gpu-run %s --entry constant --device cpu --output-dir %t/outs
// RUN: test -f %t/outs/out0.npy && test ! -L %t/outs/out0.npy
// RUN: mkfifo %t/metrics.json
// RUN: timeout 60 vm-gpu-run %s --entry constant --device cpu --output-dir %t/outs --metrics-json %t/metrics.json
// RUN: test -f %t/metrics.json
// RUN: ln -sf %t/victim %t/metrics.json
// RUN: timeout 60 vm-gpu-run %s --entry constant --device cpu --output-dir %t/outs --metrics-json %t/metrics.json
// RUN: test -f %t/metrics.json && test ! -L %t/metrics.json
// RUN: FileCheck %s --check-prefix=VICTIM < %t/victim
// VICTIM: keep

func.func @main(%a: tensor<?xf32>) -> tensor<?xf32> {
  %0 = vm.add %a, %a : tensor<?xf32>
  return %0 : tensor<?xf32>
}

func.func @constant() -> tensor<2xi32> {
  %0 = vm.constant dense<[1, 2]> : tensor<2xi32>
  return %0 : tensor<2xi32>
}
