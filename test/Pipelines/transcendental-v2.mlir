// REQUIRES: nvptx
// RUN: vm-gpu-opt %s --vm-to-nvvm="chip=sm_90a format=isa" | sed -e 's/\\0A/\n/g' -e 's/\\09/ /g' | FileCheck %s --check-prefix=PTX
// RUN: vm-gpu-opt %s --vm-to-cpu | FileCheck %s --check-prefix=CPU

// The contract's transcendental functions must be accurate (4 ulp) on every
// target: on NVPTX they come from libdevice, linked and inlined (no
// unresolved `.extern` function, and none of the hardware's approximate
// sin/cos/tanh instructions; libdevice's own ex2/rsqrt.approx steps sit
// inside its accurate algorithms); on the CPU they call libm.

// PTX: .visible .entry
// PTX-NOT: .extern
// PTX-NOT: sin.approx
// PTX-NOT: cos.approx
// PTX-NOT: tanh.approx
// PTX: .visible .entry
// PTX-NOT: .extern
// PTX-NOT: sin.approx

// CPU-DAG: llvm.func @asinhf(f32) -> f32
// CPU-DAG: llvm.func @erf(f64) -> f64
func.func @f(%a: tensor<1024xf32>, %h: tensor<1024xf16>, %d: tensor<1024xf64>)
    -> (tensor<1024xf32>, tensor<1024xf16>, tensor<1024xf64>) {
  %0 = vm.sin %a : tensor<1024xf32>
  %1 = vm.cos %0 : tensor<1024xf32>
  %2 = vm.asinh %1 : tensor<1024xf32>
  %3 = vm.acosh %h : tensor<1024xf16>
  %4 = vm.erf %d : tensor<1024xf64>
  return %2, %3, %4 : tensor<1024xf32>, tensor<1024xf16>, tensor<1024xf64>
}
