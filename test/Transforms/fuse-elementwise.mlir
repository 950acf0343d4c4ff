// RUN: vm-gpu-opt %s --vm-to-linalg --vm-fuse-elementwise | FileCheck %s
// RUN: vm-gpu-opt %s --vm-to-linalg --vm-fuse-elementwise="max-body-ops=4" | FileCheck %s --check-prefix=SMALL

// vm-fuse-elementwise: upstream's elementwise fusion, fused in pairwise
// rounds (linear compile time for long chains, issue 13 M4), with fused
// bodies of at most max-body-ops ops, and each init its own allocation
// (bufferization.alloc_tensor, which CSE does not merge).

// A chain of five ops becomes one op whose body holds the five in order.
// CHECK-LABEL: func.func @chain(
//  CHECK-SAME: %[[A:.+]]: tensor<8xf32>, %[[B:.+]]: tensor<8xf32>)
//       CHECK: %[[INIT:.+]] = bufferization.alloc_tensor() : tensor<8xf32>
//       CHECK: %[[R:.+]] = linalg.generic
//  CHECK-SAME: ins(%[[A]], %[[B]] : tensor<8xf32>, tensor<8xf32>) outs(%[[INIT]] : tensor<8xf32>)
//       CHECK:   arith.addf
//       CHECK:   arith.mulf
//       CHECK:   arith.subf
//       CHECK:   arith.divf
//       CHECK:   arith.addf
//       CHECK:   linalg.yield
//   CHECK-NOT: linalg.generic
//       CHECK: return %[[R]]
// With bodies of at most 4 ops (counted as the producer's body plus the
// consumer's: one arith op and a yield each), pairs fuse and pairs of pairs
// do not: three ops, of two, two and one arith ops.
// SMALL-LABEL: func.func @chain(
//       SMALL: linalg.generic
//   SMALL-NOT: tensor.empty
//       SMALL: linalg.generic
//       SMALL: linalg.generic
//   SMALL-NOT: linalg.generic
//       SMALL: return
func.func @chain(%a: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<8xf32> {
  %0 = vm.add %a, %b : tensor<8xf32>
  %1 = vm.mul %0, %b : tensor<8xf32>
  %2 = vm.sub %1, %b : tensor<8xf32>
  %3 = vm.div %2, %b : tensor<8xf32>
  %4 = vm.add %3, %b : tensor<8xf32>
  return %4 : tensor<8xf32>
}

// A value used twice (here also returned) is not fused into its user:
// fusing would compute it twice.
// CHECK-LABEL: func.func @shared(
//       CHECK: %[[X:.+]] = linalg.generic
//       CHECK: %[[Y:.+]] = linalg.generic
//  CHECK-SAME: ins(%[[X]]
//       CHECK: return %[[X]], %[[Y]]
func.func @shared(%a: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %0 = vm.neg %a : tensor<8xf32>
  %1 = vm.abs %0 : tensor<8xf32>
  return %0, %1 : tensor<8xf32>, tensor<8xf32>
}

// A bias broadcast along the rows and added to a matrix: the broadcast
// (a named linalg op) is generalized and fuses with the convert before it
// and the add after it, so the one op reads the f16 vector at (d1) instead
// of a materialized matrix.
// CHECK-LABEL: func.func @bias_add(
//  CHECK-SAME: %[[X:.+]]: tensor<4x8xf32>, %[[B:.+]]: tensor<8xf16>)
//   CHECK-NOT: linalg.broadcast
//       CHECK: %[[R:.+]] = linalg.generic
//  CHECK-SAME: ins(%[[X]], %[[B]] : tensor<4x8xf32>, tensor<8xf16>)
//       CHECK:   arith.extf
//       CHECK:   arith.addf
//   CHECK-NOT: linalg.generic
//       CHECK: return %[[R]]
func.func @bias_add(%x: tensor<4x8xf32>, %b: tensor<8xf16>) -> tensor<4x8xf32> {
  %b32 = "vm.convert"(%b) : (tensor<8xf16>) -> tensor<8xf32>
  %bb = "vm.broadcast"(%b32) {dims = array<i64: 1>} : (tensor<8xf32>) -> tensor<4x8xf32>
  %r = "vm.add"(%x, %bb) : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// A broadcast read twice stays a named op: materialized once, not fused.
// CHECK-LABEL: func.func @broadcast_read_twice(
//       CHECK: linalg.broadcast
func.func @broadcast_read_twice(%x: tensor<4x8xf32>, %b: tensor<8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %bb = "vm.broadcast"(%b) {dims = array<i64: 1>} : (tensor<8xf32>) -> tensor<4x8xf32>
  %r = "vm.add"(%x, %bb) : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %s = "vm.mul"(%x, %bb) : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %r, %s : tensor<4x8xf32>, tensor<4x8xf32>
}
