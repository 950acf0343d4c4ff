// vm-count-late-allocations: allocations a strategy made after
// vm-outline-memory-bound (marked vmgpu.late_allocation) are added to the
// bound, computed from the same arguments; the marks go.
// RUN: vm-gpu-opt %s --split-input-file --verify-diagnostics --vm-count-late-allocations | FileCheck %s

// CHECK-LABEL: func.func @__vmgpu_memory_f(
//  CHECK-SAME: %[[X:.+]]: memref<?x?xf32>) -> i64
//       CHECK: %[[EARLY:.+]] = arith.constant 1000 : i64
//       CHECK: %[[D1:.+]] = memref.dim %[[X]], %{{.+}} : memref<?x?xf32>
//       CHECK: %[[N:.+]] = arith.index_castui %[[D1]] : index to i64
//       CHECK: %[[PRODUCT:.+]], %[[HIGH:.+]] = arith.mului_extended %[[N]], %{{.+}} : i64
//       CHECK: %[[WITH_OVERHEAD:.+]] = arith.addi %{{.+}}, %{{.+}} : i64
//       CHECK: %[[SUM:.+]] = arith.addi %[[EARLY]], %{{.+}} : i64
//       CHECK: %[[WRAPPED:.+]] = arith.cmpi ult, %[[SUM]], %[[EARLY]] : i64
//       CHECK: %[[TOTAL:.+]] = arith.select %[[WRAPPED]], %{{.+}}, %[[SUM]] : i64
//       CHECK: return %[[TOTAL]] : i64
// CHECK-LABEL: func.func @f(
//       CHECK: memref.alloc(%{{.+}}) : memref<?xf32>
//   CHECK-NOT: vmgpu.late_allocation
func.func @__vmgpu_memory_f(%x: memref<?x?xf32>) -> i64 {
  %early = arith.constant 1000 : i64
  return %early : i64
}
func.func @f(%x: memref<?x?xf32>) {
  %c1 = arith.constant 1 : index
  %n = memref.dim %x, %c1 : memref<?x?xf32>
  %partials = memref.alloc(%n) {vmgpu.late_allocation} : memref<?xf32>
  memref.dealloc %partials : memref<?xf32>
  return
}

// -----

// Nothing marked: the bound stays as it is.
// CHECK-LABEL: func.func @__vmgpu_memory_g(
//  CHECK-NEXT: arith.constant 7 : i64
//  CHECK-NEXT: return
func.func @__vmgpu_memory_g(%x: memref<4xf32>) -> i64 {
  %c = arith.constant 7 : i64
  return %c : i64
}
func.func @g(%x: memref<4xf32>) {
  %t = memref.alloc() : memref<4xf32>
  memref.dealloc %t : memref<4xf32>
  return
}

// -----

func.func @no_bound(%x: memref<4xf32>) {
  // expected-error @+1 {{allocations made after vm-outline-memory-bound, but no '__vmgpu_memory_no_bound' to count them in}}
  %t = memref.alloc() {vmgpu.late_allocation} : memref<4xf32>
  return
}

// -----

func.func @__vmgpu_memory_nested(%x: memref<4xf32>) -> i64 {
  %c = arith.constant 0 : i64
  return %c : i64
}
func.func @nested(%x: memref<4xf32>, %p: i1) {
  scf.if %p {
    // expected-error @+1 {{the memory bound needs every allocation at the top level of the function}}
    %t = memref.alloc() {vmgpu.late_allocation} : memref<4xf32>
  }
  return
}

// -----

// A size read from a buffer's contents is not shape arithmetic.
func.func @__vmgpu_memory_data_dependent(%x: memref<4xindex>) -> i64 {
  %c = arith.constant 0 : i64
  return %c : i64
}
func.func @data_dependent(%x: memref<4xindex>) {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{the memory bound of 'data_dependent' depends on this op}}
  %n = memref.load %x[%c0] : memref<4xindex>
  %t = memref.alloc(%n) {vmgpu.late_allocation} : memref<?xf32>
  return
}

// -----

// Partials sized from a dim of a reshaped temporary: the dim resolves
// through the collapse_shape to the temporary's own sizes (the arguments'
// dims), not to the temporary.
// CHECK-LABEL: func.func @__vmgpu_memory_reshaped(
//  CHECK-SAME: %[[X:.+]]: memref<?x?xf32>) -> i64
//   CHECK-NOT: memref.alloc
//   CHECK-NOT: memref.collapse_shape
//   CHECK-DAG: memref.dim %[[X]], %c0
//   CHECK-DAG: memref.dim %[[X]], %c1
//       CHECK: arith.muli
//       CHECK: return
func.func @__vmgpu_memory_reshaped(%x: memref<?x?xf32>) -> i64 {
  %c = arith.constant 0 : i64
  return %c : i64
}
func.func @reshaped(%x: memref<?x?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = memref.dim %x, %c0 : memref<?x?xf32>
  %n = memref.dim %x, %c1 : memref<?x?xf32>
  %t = memref.alloc(%m, %n) : memref<?x?xf32>
  %flat = memref.collapse_shape %t [[0, 1]] : memref<?x?xf32> into memref<?xf32>
  %count = memref.dim %flat, %c0 : memref<?xf32>
  %partials = memref.alloc(%count) {vmgpu.late_allocation} : memref<?xf32>
  return
}

// -----

// A private function has no bound (it is never called): its marks go, no
// error.
// CHECK-LABEL: func.func private @helper(
//       CHECK: memref.alloc() : memref<4xf32>
//   CHECK-NOT: vmgpu.late_allocation
func.func private @helper(%x: memref<4xf32>) {
  %t = memref.alloc() {vmgpu.late_allocation} : memref<4xf32>
  return
}
