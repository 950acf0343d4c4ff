// vm-gpu-compile --cuda-ptx embeds PTX instead of cubin: the kernel object is
// PTX text for the chip, and the block's host code loads it through
// mgpuModuleLoadJIT (the driver compiles it), which the runtime provides.
// REQUIRES: nvptx
// RUN: rm -rf %t && mkdir -p %t
// RUN: vm-gpu-compile %s --target cuda --cuda-ptx --dump-kernels %t/kernels -o %t/block.vmgpu
// RUN: FileCheck %s --check-prefix=PTX < %t/kernels/main_kernel.ptx
// RUN: grep -a -c mgpuModuleLoadJIT %t/block.vmgpu | FileCheck %s --check-prefix=JIT
// Without the option, cubin and mgpuModuleLoad:
// RUN: vm-gpu-compile %s --target cuda --dump-kernels %t/cubin -o %t/cubin.vmgpu
// RUN: ls %t/cubin | FileCheck %s --check-prefix=CUBIN
// RUN: not grep -a -q mgpuModuleLoadJIT %t/cubin.vmgpu

// PTX: .target sm_90
// PTX: .visible .entry main_kernel(
// PTX: div.rn.f32
// JIT: {{^[1-9]}}
// CUBIN: main_kernel.cubin

func.func @main(%a: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<8xf32> {
  %q = vm.div %a, %b : tensor<8xf32>
  return %q : tensor<8xf32>
}
