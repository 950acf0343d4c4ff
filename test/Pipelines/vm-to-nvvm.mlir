// The vm-to-nvvm pipeline: kernels in a gpu.binary, host code in LLVM, and
// the contract's float rules visible in the PTX (no GPU needed).
// REQUIRES: nvptx
// RUN: vm-gpu-opt %s --vm-to-nvvm="format=ptx" | FileCheck %s
// RUN: vm-gpu-opt %s --vm-to-nvvm="format=ptx" | FileCheck %s --check-prefix=PTX
// RUN: vm-gpu-opt %s --vm-to-nvvm="format=ptx fast-math=true" | FileCheck %s --check-prefix=FAST

// CHECK: llvm.func @_mlir_memref_to_llvm_alloc(i64) -> !llvm.ptr
// CHECK-LABEL: llvm.func @main(
// CHECK: llvm.call @_mlir_memref_to_llvm_alloc
// CHECK: %[[STREAM:.+]] = llvm.call @mgpuStreamCreate()
// CHECK: gpu.launch_func <%[[STREAM]] : !llvm.ptr> @main_kernel::@main_kernel blocks in
// CHECK: llvm.call @mgpuStreamSynchronize(%[[STREAM]])
// CHECK-LABEL: llvm.func @_mlir_ciface_main(
// CHECK: gpu.binary @main_kernel

// a * b + c stays a rounded multiply and a rounded add (.rn keeps ptxas
// from fusing them); vm.fma is the one fused op; div and sqrt are IEEE.
// PTX: .target sm_90\0A
// PTX: mul.rn.f32
// PTX: add.rn.f32
// PTX: div.rn.f32
// PTX: sqrt.rn.f32
// PTX-NOT: sqrt.approx
// PTX-NOT: ftz
// PTX: fma.rn.f32

// With fast-math the approximate square root is allowed.
// FAST: sqrt.approx
func.func @main(%a: tensor<1024xf32>, %b: tensor<1024xf32>, %c: tensor<1024xf32>)
    -> (tensor<1024xf32>, tensor<1024xf32>) {
  %0 = vm.mul %a, %b : tensor<1024xf32>
  %1 = vm.add %0, %c : tensor<1024xf32>
  %2 = vm.div %1, %a : tensor<1024xf32>
  %3 = vm.sqrt %2 : tensor<1024xf32>
  %4 = vm.fma %a, %b, %c : tensor<1024xf32>
  return %3, %4 : tensor<1024xf32>, tensor<1024xf32>
}
