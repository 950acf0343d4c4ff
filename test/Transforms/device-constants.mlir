// vm-device-constants: each host-side memref.get_global is read through the
// device copy the runtime keeps for the loaded block: a call of
// vmgpuDeviceConstant(host address, bytes) whose pointer becomes a
// descriptor of the global's type. No allocation, no copy, nothing for the
// block to free; the memory-bound functions are left alone.
// RUN: vm-gpu-opt %s --split-input-file --verify-diagnostics --vm-device-constants | FileCheck %s

// CHECK: memref.global "private" constant @table : memref<2x3xf32>
memref.global "private" constant @table : memref<2x3xf32> = dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]>
memref.global "private" constant @scalar : memref<i32> = dense<7>
memref.global "private" constant @halves : memref<3xf16> = dense<[1.0, 2.0, 3.0]>

// CHECK-LABEL: func.func @two_dims(
// CHECK-SAME:      %[[OUT:.+]]: memref<2x3xf32>)
// CHECK:         %[[GLOBAL:.+]] = memref.get_global @table : memref<2x3xf32>
// CHECK:         %[[ADDRESS:.+]] = memref.extract_aligned_pointer_as_index %[[GLOBAL]]
// CHECK:         %[[ADDRESS64:.+]] = arith.index_castui %[[ADDRESS]] : index to i64
// CHECK:         %[[HOST:.+]] = llvm.inttoptr %[[ADDRESS64]] : i64 to !llvm.ptr
// CHECK:         %[[BYTES:.+]] = llvm.mlir.constant(24 : i64) : i64
// CHECK:         %[[DEVICE:.+]] = call @vmgpuDeviceConstant(%[[HOST]], %[[BYTES]]) : (!llvm.ptr, i64) -> !llvm.ptr
// CHECK:         llvm.insertvalue %[[DEVICE]], %{{.+}}[0]
// CHECK:         llvm.insertvalue %[[DEVICE]], %{{.+}}[1]
// CHECK:         %[[DESCRIPTOR:.+]] = llvm.insertvalue %{{.+}}[4, 1] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
// CHECK:         %[[COPY:.+]] = builtin.unrealized_conversion_cast %[[DESCRIPTOR]] : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)> to memref<2x3xf32>
// CHECK-NOT:     memref.alloc
// CHECK-NOT:     gpu.memcpy
// CHECK:         memref.copy %[[COPY]], %[[OUT]]
// CHECK-NOT:     %[[GLOBAL]]
// CHECK:         return
func.func @two_dims(%out: memref<2x3xf32>) {
  %g = memref.get_global @table : memref<2x3xf32>
  memref.copy %g, %out : memref<2x3xf32> to memref<2x3xf32>
  return
}

// A 0-D global, returned (deallocation cloned returned constants before
// this pass runs): the descriptor has no sizes or strides.
// CHECK-LABEL: func.func @zero_dims(
// CHECK:         %[[BYTES:.+]] = llvm.mlir.constant(4 : i64) : i64
// CHECK:         %[[DEVICE:.+]] = call @vmgpuDeviceConstant(%{{.+}}, %[[BYTES]])
// CHECK:         %[[COPY:.+]] = builtin.unrealized_conversion_cast %{{.+}} : !llvm.struct<(ptr, ptr, i64)> to memref<i32>
// CHECK:         return %[[COPY]] : memref<i32>
func.func @zero_dims() -> memref<i32> {
  %g = memref.get_global @scalar : memref<i32>
  return %g : memref<i32>
}

// Sizes come from the element type's byte size (f16: 2 bytes).
// CHECK-LABEL: func.func @half(
// CHECK:         llvm.mlir.constant(6 : i64) : i64
// CHECK:         call @vmgpuDeviceConstant
func.func @half(%out: memref<3xf16>) {
  %g = memref.get_global @halves : memref<3xf16>
  memref.copy %g, %out : memref<3xf16> to memref<3xf16>
  return
}

// Each get_global asks for its copy (the runtime answers from one cache).
// CHECK-LABEL: func.func @twice(
// CHECK-COUNT-2: call @vmgpuDeviceConstant
func.func @twice(%a: memref<i32>, %b: memref<i32>) {
  %g0 = memref.get_global @scalar : memref<i32>
  %g1 = memref.get_global @scalar : memref<i32>
  memref.copy %g0, %a : memref<i32> to memref<i32>
  memref.copy %g1, %b : memref<i32> to memref<i32>
  return
}

// The memory bound runs outside block runs: its globals stay as they are.
// CHECK-LABEL: func.func @__vmgpu_memory_zero_dims(
// CHECK-NEXT:    memref.get_global @scalar
// CHECK-NEXT:    arith.constant
// CHECK-NEXT:    return
func.func @__vmgpu_memory_zero_dims() -> i64 {
  %g = memref.get_global @scalar : memref<i32>
  %c = arith.constant 0 : i64
  return %c : i64
}

// Functions without globals are left alone; the runtime function is
// declared once.
// CHECK-LABEL: func.func @no_globals(
// CHECK-NEXT:    return
// CHECK:       func.func private @vmgpuDeviceConstant(!llvm.ptr, i64) -> !llvm.ptr
// CHECK-NOT:   @vmgpuDeviceConstant(
func.func @no_globals(%a: memref<4xf32>) {
  return
}

// -----

// A module without globals gets no declaration.
// CHECK-LABEL: func.func @nothing(
// CHECK-NOT:   vmgpuDeviceConstant
func.func @nothing() {
  return
}

// -----

// The runtime's name is reserved.
memref.global "private" constant @scalar : memref<i32> = dense<7>
// expected-error @below {{the symbol 'vmgpuDeviceConstant' is reserved for the runtime's device constants}}
func.func @vmgpuDeviceConstant(%a: i32) {
  return
}
func.func @reads(%out: memref<i32>) {
  %g = memref.get_global @scalar : memref<i32>
  memref.copy %g, %out : memref<i32> to memref<i32>
  return
}

// -----

// Only static shapes in the identity layout can be described.
memref.global "private" constant @strided : memref<2xf32, strided<[2]>> = dense<[1.0, 2.0]>
func.func @odd(%out: memref<2xf32, strided<[2]>>) {
  // expected-error @below {{a device constant needs a static shape and the identity layout}}
  %g = memref.get_global @strided : memref<2xf32, strided<[2]>>
  memref.copy %g, %out : memref<2xf32, strided<[2]>> to memref<2xf32, strided<[2]>>
  return
}
