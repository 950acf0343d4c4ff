// RUN: vm-gpu-opt %s -split-input-file -canonicalize | FileCheck %s

// vm folders and canonicalizations: identities fold, shape-op chains collapse only when still valid.

// CHECK-LABEL: func.func @transpose_transpose_compose
//  CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xf32>)
//       CHECK: %[[T:.+]] = vm.transpose %[[X]] {perm = array<i64: 2, 0, 1>} : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
//   CHECK-NOT: vm.transpose
//       CHECK: return %[[T]]
func.func @transpose_transpose_compose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = vm.transpose %x {perm = array<i64: 1, 2, 0>} : tensor<2x3x4xf32> -> tensor<3x4x2xf32>
  %1 = vm.transpose %0 {perm = array<i64: 1, 2, 0>} : tensor<3x4x2xf32> -> tensor<4x2x3xf32>
  return %1 : tensor<4x2x3xf32>
}

// -----

// CHECK-LABEL: func.func @transpose_transpose_identity
//  CHECK-SAME: (%[[X:.+]]: tensor<2x?xi8>)
//   CHECK-NOT: vm.transpose
//       CHECK: return %[[X]]
func.func @transpose_transpose_identity(%x: tensor<2x?xi8>) -> tensor<2x?xi8> {
  %0 = vm.transpose %x {perm = array<i64: 1, 0>} : tensor<2x?xi8> -> tensor<?x2xi8>
  %1 = vm.transpose %0 {perm = array<i64: 1, 0>} : tensor<?x2xi8> -> tensor<2x?xi8>
  return %1 : tensor<2x?xi8>
}

// -----

// CHECK-LABEL: func.func @transpose_identity
//  CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>)
//   CHECK-NOT: vm.transpose
//       CHECK: return %[[X]]
func.func @transpose_identity(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = vm.transpose %x {perm = array<i64: 0, 1>} : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// An identity permutation that refines the type is kept: it is a cast.
// CHECK-LABEL: func.func @transpose_identity_refines_type
//       CHECK: vm.transpose %{{.+}} {perm = array<i64: 0, 1>} : tensor<2x?xf32> -> tensor<2x3xf32>
func.func @transpose_identity_refines_type(%x: tensor<2x?xf32>) -> tensor<2x3xf32> {
  %0 = vm.transpose %x {perm = array<i64: 0, 1>} : tensor<2x?xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// The dynamic middle dim hides a 4 vs 5 mismatch: composing would not verify.
// CHECK-LABEL: func.func @transpose_transpose_not_composable
//       CHECK: vm.transpose %{{.+}} {perm = array<i64: 1, 0>} : tensor<4x3xf32> -> tensor<3x?xf32>
//       CHECK: vm.transpose %{{.+}} {perm = array<i64: 1, 0>} : tensor<3x?xf32> -> tensor<5x3xf32>
func.func @transpose_transpose_not_composable(%x: tensor<4x3xf32>) -> tensor<5x3xf32> {
  %0 = vm.transpose %x {perm = array<i64: 1, 0>} : tensor<4x3xf32> -> tensor<3x?xf32>
  %1 = vm.transpose %0 {perm = array<i64: 1, 0>} : tensor<3x?xf32> -> tensor<5x3xf32>
  return %1 : tensor<5x3xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_reshape
//  CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xf32>)
//       CHECK: %[[R:.+]] = vm.reshape %[[X]] : tensor<2x3x4xf32> -> tensor<24xf32>
//   CHECK-NOT: vm.reshape
//       CHECK: return %[[R]]
func.func @reshape_reshape(%x: tensor<2x3x4xf32>) -> tensor<24xf32> {
  %0 = vm.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %1 = vm.reshape %0 : tensor<6x4xf32> -> tensor<24xf32>
  return %1 : tensor<24xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_reshape_back
//  CHECK-SAME: (%[[X:.+]]: tensor<?x4xi32>)
//   CHECK-NOT: vm.reshape
//       CHECK: return %[[X]]
func.func @reshape_reshape_back(%x: tensor<?x4xi32>) -> tensor<?x4xi32> {
  %0 = vm.reshape %x : tensor<?x4xi32> -> tensor<?xi32>
  %1 = vm.reshape %0 : tensor<?xi32> -> tensor<?x4xi32>
  return %1 : tensor<?x4xi32>
}

// -----

// CHECK-LABEL: func.func @reshape_same_type
//  CHECK-SAME: (%[[X:.+]]: tensor<6x4xf16>)
//   CHECK-NOT: vm.reshape
//       CHECK: return %[[X]]
func.func @reshape_same_type(%x: tensor<6x4xf16>) -> tensor<6x4xf16> {
  %0 = vm.reshape %x : tensor<6x4xf16> -> tensor<6x4xf16>
  return %0 : tensor<6x4xf16>
}

// -----

// 8 elements cannot become 3x4: the chain fails at run time, so it is not
// folded into one reshape that would be rejected at compile time.
// CHECK-LABEL: func.func @reshape_reshape_not_foldable
//       CHECK: vm.reshape %{{.+}} : tensor<8xf32> -> tensor<?x4xf32>
//       CHECK: vm.reshape %{{.+}} : tensor<?x4xf32> -> tensor<3x4xf32>
func.func @reshape_reshape_not_foldable(%x: tensor<8xf32>) -> tensor<3x4xf32> {
  %0 = vm.reshape %x : tensor<8xf32> -> tensor<?x4xf32>
  %1 = vm.reshape %0 : tensor<?x4xf32> -> tensor<3x4xf32>
  return %1 : tensor<3x4xf32>
}

// -----

// CHECK-LABEL: func.func @broadcast_same_type
//  CHECK-SAME: (%[[X:.+]]: tensor<4x?xf32>)
//   CHECK-NOT: vm.broadcast
//       CHECK: return %[[X]]
func.func @broadcast_same_type(%x: tensor<4x?xf32>) -> tensor<4x?xf32> {
  %0 = vm.broadcast %x {dims = array<i64: 0, 1>} : tensor<4x?xf32> -> tensor<4x?xf32>
  return %0 : tensor<4x?xf32>
}

// -----

// CHECK-LABEL: func.func @broadcast_expands
//       CHECK: vm.broadcast %{{.+}} {dims = array<i64: 0, 1>} : tensor<1x4xf32> -> tensor<3x4xf32>
func.func @broadcast_expands(%x: tensor<1x4xf32>) -> tensor<3x4xf32> {
  %0 = vm.broadcast %x {dims = array<i64: 0, 1>} : tensor<1x4xf32> -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// CHECK-LABEL: func.func @convert_same_type
//  CHECK-SAME: (%[[X:.+]]: tensor<4xi32>)
//   CHECK-NOT: vm.convert
//       CHECK: return %[[X]]
func.func @convert_same_type(%x: tensor<4xi32>) -> tensor<4xi32> {
  %0 = vm.convert %x : tensor<4xi32> -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

// Narrowing then widening loses bits: the pair stays.
// CHECK-LABEL: func.func @convert_convert_kept
//       CHECK: vm.convert %{{.+}} : tensor<4xi32> -> tensor<4xi8>
//       CHECK: vm.convert %{{.+}} : tensor<4xi8> -> tensor<4xi32>
func.func @convert_convert_kept(%x: tensor<4xi32>) -> tensor<4xi32> {
  %0 = vm.convert %x : tensor<4xi32> -> tensor<4xi8>
  %1 = vm.convert %0 : tensor<4xi8> -> tensor<4xi32>
  return %1 : tensor<4xi32>
}

// -----

// CHECK-LABEL: func.func @bitcast_same_type
//  CHECK-SAME: (%[[X:.+]]: tensor<4xf32>)
//   CHECK-NOT: vm.bitcast
//       CHECK: return %[[X]]
func.func @bitcast_same_type(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = vm.bitcast %x : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @bitcast_bitcast
//  CHECK-SAME: (%[[X:.+]]: tensor<8xf16>)
//       CHECK: %[[B:.+]] = vm.bitcast %[[X]] : tensor<8xf16> -> tensor<8xbf16>
//   CHECK-NOT: vm.bitcast
//       CHECK: return %[[B]]
func.func @bitcast_bitcast(%x: tensor<8xf16>) -> tensor<8xbf16> {
  %0 = vm.bitcast %x : tensor<8xf16> -> tensor<8xi16>
  %1 = vm.bitcast %0 : tensor<8xi16> -> tensor<8xbf16>
  return %1 : tensor<8xbf16>
}

// -----

// CHECK-LABEL: func.func @bitcast_round_trip
//  CHECK-SAME: (%[[X:.+]]: tensor<?xf64>)
//   CHECK-NOT: vm.bitcast
//       CHECK: return %[[X]]
func.func @bitcast_round_trip(%x: tensor<?xf64>) -> tensor<?xf64> {
  %0 = vm.bitcast %x : tensor<?xf64> -> tensor<?xi64>
  %1 = vm.bitcast %0 : tensor<?xi64> -> tensor<?xf64>
  return %1 : tensor<?xf64>
}

// -----

// CHECK-LABEL: func.func @bitcast_bitcast_not_foldable
//       CHECK: vm.bitcast %{{.+}} : tensor<4xf32> -> tensor<?xi32>
//       CHECK: vm.bitcast %{{.+}} : tensor<?xi32> -> tensor<5xf32>
func.func @bitcast_bitcast_not_foldable(%x: tensor<4xf32>) -> tensor<5xf32> {
  %0 = vm.bitcast %x : tensor<4xf32> -> tensor<?xi32>
  %1 = vm.bitcast %0 : tensor<?xi32> -> tensor<5xf32>
  return %1 : tensor<5xf32>
}

// -----

// CHECK-LABEL: func.func @concat_one_input
//  CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>)
//   CHECK-NOT: vm.concat
//       CHECK: return %[[X]]
func.func @concat_one_input(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = vm.concat %x {dim = 0 : i64} : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @concat_two_inputs
//       CHECK: vm.concat
func.func @concat_two_inputs(%x: tensor<2x3xf32>) -> tensor<4x3xf32> {
  %0 = vm.concat %x, %x {dim = 0 : i64} : tensor<2x3xf32>, tensor<2x3xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// Equal constants are uniqued; a constant operand of a commutative op moves
// to the right.
// CHECK-LABEL: func.func @constants
//  CHECK-SAME: (%[[X:.+]]: tensor<4xf32>)
//       CHECK: %[[C:.+]] = vm.constant dense<2.000000e+00> : tensor<4xf32>
//   CHECK-NOT: vm.constant
//       CHECK: %[[A:.+]] = vm.add %[[X]], %[[C]] : tensor<4xf32>
//       CHECK: %[[M:.+]] = vm.mul %[[A]], %[[C]] : tensor<4xf32>
//       CHECK: return %[[M]]
func.func @constants(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c0 = vm.constant dense<2.0> : tensor<4xf32>
  %c1 = vm.constant dense<2.0> : tensor<4xf32>
  %0 = vm.add %c0, %x : tensor<4xf32>
  %1 = vm.mul %0, %c1 : tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// Unused ops are pure and disappear.
// CHECK-LABEL: func.func @dead_ops
//   CHECK-NOT: vm.
//       CHECK: return
func.func @dead_ops(%x: tensor<4xf32>) {
  %0 = vm.exp %x : tensor<4xf32>
  %1 = vm.add %0, %x : tensor<4xf32>
  return
}
