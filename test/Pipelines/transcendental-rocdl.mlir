// REQUIRES: amdgpu
// RUN: vm-gpu-opt %s --vm-to-rocdl="chip=gfx942 format=isa" | sed -e 's/\\0A/\n/g' -e 's/\\09/ /g' | FileCheck %s --implicit-check-not=s_swappc_b64

// Every transcendental function of the contract compiles to AMDGPU code:
// the ones LLVM's AMDGPU backend has no instruction for (tan, asin, acos,
// atan, sinh, cosh, tanh) come from OCML, linked and inlined (no call is
// left), in every float type. Before vm-rocdl-math-to-device-library,
// convert-gpu-to-rocdl made LLVM intrinsics of them and the backend's "no
// libcall available for ftan" error exited the process (the compile fuzz target's
// finding, test/fuzz/regressions/compile/rocdl-no-libcall-transcendental).

// One kernel per result (one gpu.module each), none calling a function.
// CHECK-COUNT-3: {{^}}main_kernel:
func.func @main(%a: tensor<256xf32>, %h: tensor<256xf16>, %d: tensor<256xf64>)
    -> (tensor<256xf32>, tensor<256xf16>, tensor<256xf64>) {
  %0 = vm.tan %a : tensor<256xf32>
  %1 = vm.asin %0 : tensor<256xf32>
  %2 = vm.acos %1 : tensor<256xf32>
  %3 = vm.atan %2 : tensor<256xf32>
  %4 = vm.sinh %3 : tensor<256xf32>
  %5 = vm.cosh %4 : tensor<256xf32>
  %6 = vm.tanh %5 : tensor<256xf32>
  %7 = vm.tan %h : tensor<256xf16>
  %8 = vm.cosh %7 : tensor<256xf16>
  %9 = vm.atan %d : tensor<256xf64>
  %10 = vm.sinh %9 : tensor<256xf64>
  return %6, %8, %10 : tensor<256xf32>, tensor<256xf16>, tensor<256xf64>
}
