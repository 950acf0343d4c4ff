// Constants in GPU host code after vm-to-nvvm: the kernels read the device
// copy the runtime uploads once per loaded block (vm-device-constants), so
// a run neither allocates nor copies a constant (no mgpuMemcpy, no
// allocation of its size) and never frees it. A returned constant is
// cloned into a buffer of the run's own by a kernel.
// REQUIRES: nvptx
// RUN: vm-gpu-opt %s --vm-to-nvvm="chip=sm_90a format=ptx" | FileCheck %s

// The memory bound asks for no device copy (it runs outside block runs).
// CHECK-LABEL: llvm.func @__vmgpu_memory_scale(
// CHECK-NOT:     vmgpuDeviceConstant
// CHECK:         llvm.return

// CHECK-LABEL: llvm.func @scale(
// CHECK-NOT:     mgpuMemcpy
// CHECK:         %[[HOST:.+]] = llvm.mlir.addressof @__constant_5xf32 : !llvm.ptr
// CHECK:         %[[COPY:.+]] = llvm.call @vmgpuDeviceConstant(%{{.+}}, %{{.+}}) : (!llvm.ptr, i64) -> !llvm.ptr
// The result's buffer is the only allocation.
// CHECK:         llvm.call @_mlir_memref_to_llvm_alloc
// CHECK-NOT:     llvm.call @_mlir_memref_to_llvm_alloc
// CHECK:         gpu.launch_func {{.+}} args({{.+}}%[[COPY]] : !llvm.ptr, %[[COPY]] : !llvm.ptr
// CHECK-NOT:     mgpuMemcpy
// CHECK-NOT:     _mlir_memref_to_llvm_free
// CHECK:         llvm.return
func.func @scale(%x: tensor<5xf32>) -> tensor<5xf32> {
  %c = vm.constant dense<[1.0, 2.0, 3.0, 4.0, 5.0]> : tensor<5xf32>
  %r = "vm.mul"(%x, %c) : (tensor<5xf32>, tensor<5xf32>) -> tensor<5xf32>
  return %r : tensor<5xf32>
}

// CHECK-LABEL: llvm.func @returned(
// CHECK:         %[[COPY:.+]] = llvm.call @vmgpuDeviceConstant(
// CHECK:         %[[OUT:.+]] = llvm.call @_mlir_memref_to_llvm_alloc
// CHECK:         gpu.launch_func {{.+}} args(%[[COPY]] : !llvm.ptr, %[[COPY]] : !llvm.ptr, {{.+}}, %[[OUT]] : !llvm.ptr
// CHECK-NOT:     mgpuMemcpy
// CHECK:         llvm.return
func.func @returned() -> tensor<3xi32> {
  %c = vm.constant dense<[7, 8, 9]> : tensor<3xi32>
  return %c : tensor<3xi32>
}

// CHECK:       llvm.func @vmgpuDeviceConstant(!llvm.ptr, i64) -> !llvm.ptr
