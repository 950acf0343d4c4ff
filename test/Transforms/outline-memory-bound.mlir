// RUN: vm-gpu-opt %s --split-input-file --verify-diagnostics --vm-outline-memory-bound | FileCheck %s

// vm-outline-memory-bound: every public function `f` gets
// `__vmgpu_memory_f` (same arguments, i64 result): the bytes of every
// memref.alloc of `f` plus its alignment and 64 bytes of runtime
// bookkeeping, plus the bytes of each result (the runtime's copy), in
// unsigned arithmetic that saturates at UINT64_MAX (-1 as i64). Only the
// shape arithmetic is kept.

// Buffers: %t (?x4xf32, alignment 64): 16 * d0 + 64 + 64; %r (?x4xf32, no
// alignment: the element's 4): 16 * n + 4 + 64; %b (8xi1, one byte per
// element): 8 + 1 + 64 = 73. Results: %r again (16 * n, through the cast)
// and %b (8).
// CHECK-LABEL: func.func @__vmgpu_memory_f(
//  CHECK-SAME: %[[A:.+]]: memref<?x4xf32>, %[[N:.+]]: index) -> i64 attributes {llvm.emit_c_interface} {
//   CHECK-DAG: %[[C16:.+]] = arith.constant 16 : i64
//   CHECK-DAG: %[[C128:.+]] = arith.constant 128 : i64
//   CHECK-DAG: %[[C68:.+]] = arith.constant 68 : i64
//   CHECK-DAG: %[[C73:.+]] = arith.constant 73 : i64
//   CHECK-DAG: %[[C8:.+]] = arith.constant 8 : i64
//   CHECK-DAG: %[[MAX:.+]] = arith.constant -1 : i64
//   CHECK-DAG: %[[ZERO:.+]] = arith.constant 0 : i64
//       CHECK: %[[D:.+]] = memref.dim %[[A]], %{{.+}} : memref<?x4xf32>
//       CHECK: %[[D64:.+]] = arith.index_castui %[[D]] : index to i64
// A product saturates when its high half is not 0.
//       CHECK: %[[LOW:.+]], %[[HIGH:.+]] = arith.mului_extended %[[D64]], %[[C16]] : i64
//       CHECK: %[[OVER:.+]] = arith.cmpi ne, %[[HIGH]], %[[ZERO]] : i64
//       CHECK: %[[T:.+]] = arith.select %[[OVER]], %[[MAX]], %[[LOW]] : i64
// A sum saturates when it wraps below its first operand.
//       CHECK: %[[T2:.+]] = arith.addi %[[T]], %[[C128]] : i64
//       CHECK: %[[WRAP:.+]] = arith.cmpi ult, %[[T2]], %[[T]] : i64
//       CHECK: %[[T3:.+]] = arith.select %[[WRAP]], %[[MAX]], %[[T2]] : i64
//       CHECK: arith.index_castui %[[N]] : index to i64
//       CHECK: arith.mului_extended %{{.+}}, %[[C16]] : i64
//       CHECK: arith.addi %{{.+}}, %[[C68]] : i64
//       CHECK: arith.addi %{{.+}}, %[[C73]] : i64
//       CHECK: arith.index_castui %[[N]] : index to i64
//       CHECK: arith.mului_extended %{{.+}}, %[[C16]] : i64
//       CHECK: %[[LAST:.+]] = arith.addi %{{.+}}, %[[C8]] : i64
//       CHECK: %[[RESULT:.+]] = arith.select %{{.+}}, %[[MAX]], %[[LAST]] : i64
//       CHECK: return %[[RESULT]] : i64
//   CHECK-NOT: memref.alloc
//   CHECK-NOT: memref.copy
// The function itself is left alone.
// CHECK-LABEL: func.func @f(
//       CHECK: memref.alloc
//       CHECK: memref.copy
// Private functions get no bound.
//   CHECK-NOT: __vmgpu_memory_helper
func.func @f(%a: memref<?x4xf32>, %n: index) -> (memref<?x4xf32>, memref<8xi1>) attributes {llvm.emit_c_interface} {
  %c0 = arith.constant 0 : index
  %d = memref.dim %a, %c0 : memref<?x4xf32>
  %t = memref.alloc(%d) {alignment = 64 : i64} : memref<?x4xf32>
  %r = memref.alloc(%n) : memref<?x4xf32>
  %b = memref.alloc() : memref<8xi1>
  memref.copy %a, %t : memref<?x4xf32> to memref<?x4xf32>
  memref.copy %t, %r : memref<?x4xf32> to memref<?x4xf32>
  memref.dealloc %t : memref<?x4xf32>
  %cast = memref.cast %r : memref<?x4xf32> to memref<?x4xf32>
  return %cast, %b : memref<?x4xf32>, memref<8xi1>
}
func.func private @helper() {
  return
}

// -----

// Static sizes are multiplied at compile time, saturating: 2^40 x 2^40 f32
// does not fit in 64 bits, so the buffer counts UINT64_MAX, and so does the
// total. Without buffers and results, the bound is 0.
// CHECK-LABEL: func.func @__vmgpu_memory_huge() -> i64
//   CHECK-DAG: %[[MAX:.+]] = arith.constant -1 : i64
//       CHECK: return %[[MAX]] : i64
// CHECK-LABEL: func.func @__vmgpu_memory_nothing() -> i64
//       CHECK: %[[ZERO:.+]] = arith.constant 0 : i64
//       CHECK: return %[[ZERO]] : i64
func.func @huge() {
  %a = memref.alloc() : memref<1099511627776x1099511627776xf32>
  memref.dealloc %a : memref<1099511627776x1099511627776xf32>
  return
}
func.func @nothing() {
  return
}

// -----

// A zero-sized buffer still counts its alignment and bookkeeping.
// CHECK-LABEL: func.func @__vmgpu_memory_empty() -> i64
//       CHECK: %[[C:.+]] = arith.constant 68 : i64
//       CHECK: return %[[C]] : i64
func.func @empty() {
  %a = memref.alloc() : memref<0xf32>
  memref.dealloc %a : memref<0xf32>
  return
}

// -----

func.func @nested(%n: index, %c: i1) {
  scf.if %c {
    // expected-error @+1 {{the memory bound needs every allocation at the top level of the function}}
    %a = memref.alloc(%n) : memref<?xf32>
    memref.dealloc %a : memref<?xf32>
  }
  return
}

// -----

func.func @dynamic_alloca(%n: index) {
  // expected-error @+1 {{a stack allocation with a run-time size (the input could overflow the stack)}}
  %a = memref.alloca(%n) : memref<?xf32>
  return
}

// -----

func.func @realloc(%m: memref<4xf32>) -> memref<8xf32> {
  // expected-error @+1 {{the memory bound counts only memref.alloc}}
  %r = memref.realloc %m : memref<4xf32> to memref<8xf32>
  return %r : memref<8xf32>
}

// -----

func.func private @allocating() -> memref<4xf32> {
  %a = memref.alloc() : memref<4xf32>
  return %a : memref<4xf32>
}
func.func @calls() -> memref<4xf32> {
  // expected-error @+1 {{the memory bound cannot count what this call allocates}}
  %r = func.call @allocating() : () -> memref<4xf32>
  return %r : memref<4xf32>
}

// -----

// A size read from the input's data cannot be computed without reading it.
func.func @data_dependent(%m: memref<f32>) -> memref<?xf32> {
  // expected-error @+1 {{the memory bound of 'data_dependent' depends on this op}}
  %v = memref.load %m[] : memref<f32>
  %i = arith.fptoui %v : f32 to i64
  %n = arith.index_cast %i : i64 to index
  %a = memref.alloc(%n) : memref<?xf32>
  return %a : memref<?xf32>
}

// -----

func.func @__vmgpu_memory_g() -> i64 {
  %c = arith.constant 0 : i64
  return %c : i64
}
// expected-error @+1 {{the symbol '__vmgpu_memory_g' is reserved for the memory bound}}
func.func @g() {
  return
}
