// RUN: vm-gpu-opt %s --vm-copies-to-linalg | FileCheck %s
// RUN: vm-gpu-opt %s --pass-pipeline='builtin.module(func.func(vm-copies-to-linalg))' | FileCheck %s

// vm-copies-to-linalg: every memref.copy becomes a linalg.copy with the same
// source and target (so that it lowers to loops instead of a call to the
// runner library's memrefCopy), wherever it is nested.

// CHECK-LABEL: func.func @copies(
//  CHECK-SAME: %[[A:.+]]: memref<4x?xf32>, %[[B:.+]]: memref<4x?xf32>, %[[S:.+]]: memref<4x8xf32, strided<[16, 1], offset: ?>>, %[[T:.+]]: memref<4x8xf32>, %[[Z:.+]]: memref<i64>, %[[W:.+]]: memref<i64>)
//   CHECK-NOT: memref.copy
//       CHECK: linalg.copy ins(%[[A]] : memref<4x?xf32>) outs(%[[B]] : memref<4x?xf32>)
//  CHECK-NEXT: linalg.copy ins(%[[S]] : memref<4x8xf32, strided<[16, 1], offset: ?>>) outs(%[[T]] : memref<4x8xf32>)
//  CHECK-NEXT: linalg.copy ins(%[[Z]] : memref<i64>) outs(%[[W]] : memref<i64>)
//  CHECK-NEXT: return
func.func @copies(%a: memref<4x?xf32>, %b: memref<4x?xf32>,
                  %s: memref<4x8xf32, strided<[16, 1], offset: ?>>, %t: memref<4x8xf32>,
                  %z: memref<i64>, %w: memref<i64>) {
  memref.copy %a, %b : memref<4x?xf32> to memref<4x?xf32>
  memref.copy %s, %t : memref<4x8xf32, strided<[16, 1], offset: ?>> to memref<4x8xf32>
  memref.copy %z, %w : memref<i64> to memref<i64>
  return
}

// CHECK-LABEL: func.func @nested(
//  CHECK-SAME: %[[A:.+]]: memref<?xi8>, %[[B:.+]]: memref<?xi8>, %{{.+}}: i1)
//       CHECK: scf.if
//  CHECK-NEXT:   linalg.copy ins(%[[A]] : memref<?xi8>) outs(%[[B]] : memref<?xi8>)
//   CHECK-NOT: memref.copy
func.func @nested(%a: memref<?xi8>, %b: memref<?xi8>, %c: i1) {
  scf.if %c {
    memref.copy %a, %b : memref<?xi8> to memref<?xi8>
  }
  return
}

// Everything else is left alone.
// CHECK-LABEL: func.func @no_copies(
//  CHECK-NEXT: %[[V:.+]] = memref.load
//  CHECK-NEXT: memref.store %[[V]]
//  CHECK-NEXT: return
func.func @no_copies(%a: memref<2xf32>, %i: index) {
  %v = memref.load %a[%i] : memref<2xf32>
  memref.store %v, %a[%i] : memref<2xf32>
  return
}
