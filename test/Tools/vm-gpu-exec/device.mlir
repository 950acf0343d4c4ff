// vm-gpu-exec's --device: spelled as vm-gpu-run spells it (cpu, cuda[:N],
// rocm[:N], auto, or a bare GPU ordinal); it must agree with the artifact's
// target, and anything else is an error with exit status 1, never a crash.
// RUN: rm -rf %t && mkdir -p %t
// RUN: vm-gpu-compile %s --target cpu -o %t/block.vmgpu

// Accepted spellings run the CPU artifact:
// RUN: vm-gpu-exec %t/block.vmgpu --device cpu --output-dir %t/cpu
// RUN: ls %t/cpu | FileCheck %s --check-prefix=OUT
// RUN: vm-gpu-exec %t/block.vmgpu --device auto --output-dir %t/auto
// RUN: ls %t/auto | FileCheck %s --check-prefix=OUT
// RUN: vm-gpu-exec %t/block.vmgpu --device 0 --output-dir %t/ordinal
// RUN: ls %t/ordinal | FileCheck %s --check-prefix=OUT
// OUT: out0.npy

// A device that cannot run the artifact:
// RUN: not vm-gpu-exec %t/block.vmgpu --device cuda:1 --output-dir %t/x 2>&1 | FileCheck %s --check-prefix=TARGET
// TARGET: vm-gpu-exec: error: --device cuda cannot run {{.*}}block.vmgpu, which was compiled for cpu

// Malformed devices fail before anything is read:
// RUN: not vm-gpu-exec %t/missing.vmgpu --device tpu --output-dir %t/x 2>&1 | FileCheck %s --check-prefix=BAD -DDEV=tpu
// RUN: not vm-gpu-exec %t/missing.vmgpu --device cuda: --output-dir %t/x 2>&1 | FileCheck %s --check-prefix=BAD -DDEV=cuda:
// RUN: not vm-gpu-exec %t/missing.vmgpu --device cuda:x --output-dir %t/x 2>&1 | FileCheck %s --check-prefix=BAD -DDEV=cuda:x
// RUN: not vm-gpu-exec %t/missing.vmgpu --device cuda:-1 --output-dir %t/x 2>&1 | FileCheck %s --check-prefix=BAD -DDEV=cuda:-1
// RUN: not vm-gpu-exec %t/missing.vmgpu --device cpu:0 --output-dir %t/x 2>&1 | FileCheck %s --check-prefix=BAD -DDEV=cpu:0
// RUN: not vm-gpu-exec %t/missing.vmgpu --device 1x --output-dir %t/x 2>&1 | FileCheck %s --check-prefix=BAD -DDEV=1x
// RUN: not vm-gpu-exec %t/missing.vmgpu --device 99999999999 --output-dir %t/x 2>&1 | FileCheck %s --check-prefix=BAD -DDEV=99999999999
// BAD: vm-gpu-exec: error: bad device '[[DEV]]' (expected cpu, cuda[:N], rocm[:N], auto or N)

// --repeat is checked the same way:
// RUN: not vm-gpu-exec %t/missing.vmgpu --repeat 0 --output-dir %t/x 2>&1 | FileCheck %s --check-prefix=REPEAT
// REPEAT: vm-gpu-exec: error: bad --repeat '0' (expected a number of runs, at least 1)

// A well-formed device with a missing artifact gets to reading it:
// RUN: not vm-gpu-exec %t/missing.vmgpu --device cuda:0 --output-dir %t/x 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: vm-gpu-exec: error: {{.*}}missing.vmgpu

// No arguments at all:
// RUN: not vm-gpu-exec 2>&1 | FileCheck %s --check-prefix=USAGE
// USAGE: vm-gpu-exec: error: usage: vm-gpu-exec BLOCK.vmgpu [--device DEVICE]

func.func @main() -> tensor<4xi32> {
  %0 = vm.constant dense<[1, 2, 3, 4]> : tensor<4xi32>
  return %0 : tensor<4xi32>
}
