// RUN: vm-gpu-opt %s --vm-to-linalg | FileCheck %s

// vm-to-linalg, creation and shape family: constant, splat, broadcast,
// reshape, transpose, slice, concat.

// CHECK-LABEL: func.func @constant(
//       CHECK: %[[C:.+]] = arith.constant dense<{{\[}}[1, 2], [3, 4]]> : tensor<2x2xi32>
//       CHECK: %[[E:.+]] = arith.constant dense<> : tensor<0xf32>
//       CHECK: return %[[C]], %[[E]]
func.func @constant() -> (tensor<2x2xi32>, tensor<0xf32>) {
  %0 = vm.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi32>
  %1 = vm.constant dense<> : tensor<0xf32>
  return %0, %1 : tensor<2x2xi32>, tensor<0xf32>
}

// Splat constants: up to 4 KiB an arith.constant (fusion folds it into its
// users); beyond, a fill, so that compile time and the artifact do not grow
// with the size (a global would hold every element).
// CHECK-LABEL: func.func @splat_constants(
//       CHECK: %[[SMALL:.+]] = arith.constant dense<1.000000e+00> : tensor<1024xf32>
//       CHECK: %[[V:.+]] = arith.constant 2.000000e+00 : f32
//       CHECK: %[[E:.+]] = tensor.empty() : tensor<1025xf32>
//       CHECK: %[[BIG:.+]] = linalg.fill ins(%[[V]] : f32) outs(%[[E]] : tensor<1025xf32>) -> tensor<1025xf32>
//       CHECK: %[[HUGE:.+]] = linalg.fill ins(%{{.+}} : i8) outs(%{{.+}} : tensor<1099511627776xi8>) -> tensor<1099511627776xi8>
//       CHECK: return %[[SMALL]], %[[BIG]], %[[HUGE]]
func.func @splat_constants() -> (tensor<1024xf32>, tensor<1025xf32>, tensor<1099511627776xi8>) {
  %0 = vm.constant dense<1.0> : tensor<1024xf32>
  %1 = vm.constant dense<2.0> : tensor<1025xf32>
  %2 = vm.constant dense<7> : tensor<1099511627776xi8>
  return %0, %1, %2 : tensor<1024xf32>, tensor<1025xf32>, tensor<1099511627776xi8>
}

// CHECK-LABEL: func.func @splat_static(
//  CHECK-SAME: %[[V:.+]]: f32)
//       CHECK: %[[E:.+]] = tensor.empty() : tensor<2x3xf32>
//       CHECK: %[[F:.+]] = linalg.fill ins(%[[V]] : f32) outs(%[[E]] : tensor<2x3xf32>) -> tensor<2x3xf32>
//       CHECK: return %[[F]]
func.func @splat_static(%v: f32) -> tensor<2x3xf32> {
  %0 = vm.splat %v : f32 -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// One index operand per dynamic dim, in order.
// CHECK-LABEL: func.func @splat_dynamic(
//  CHECK-SAME: %[[V:.+]]: i8, %[[N:.+]]: index, %[[M:.+]]: index)
//       CHECK: %[[E:.+]] = tensor.empty(%[[N]], %[[M]]) : tensor<?x4x?xi8>
//       CHECK: %[[F:.+]] = linalg.fill ins(%[[V]] : i8) outs(%[[E]] : tensor<?x4x?xi8>)
//       CHECK: return %[[F]]
func.func @splat_dynamic(%v: i8, %n: index, %m: index) -> tensor<?x4x?xi8> {
  %0 = vm.splat %v[%n, %m] : i8 -> tensor<?x4x?xi8>
  return %0 : tensor<?x4x?xi8>
}

//===----------------------------------------------------------------------===//
// broadcast
//===----------------------------------------------------------------------===//

// New leading dimension: linalg.broadcast adds dim 0.
// CHECK-LABEL: func.func @broadcast_new_dim(
//  CHECK-SAME: %[[A:.+]]: tensor<4xf32>)
//   CHECK-NOT: tensor.extract_slice
//       CHECK: %[[E:.+]] = tensor.empty() : tensor<3x4xf32>
//       CHECK: %[[B:.+]] = linalg.broadcast ins(%[[A]] : tensor<4xf32>) outs(%[[E]] : tensor<3x4xf32>) dimensions = [0]
//       CHECK: return %[[B]]
func.func @broadcast_new_dim(%a: tensor<4xf32>) -> tensor<3x4xf32> {
  %0 = vm.broadcast %a {dims = array<i64: 1>} : tensor<4xf32> -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// A size-1 dim mapped to a larger one is dropped by a rank-reducing slice and
// re-added at full size by linalg.broadcast; a dynamic dim keeps its size.
// CHECK-LABEL: func.func @broadcast_expand(
//  CHECK-SAME: %[[A:.+]]: tensor<1x?xi8>)
//       CHECK: %[[D:.+]] = tensor.dim %[[A]], %{{.+}} : tensor<1x?xi8>
//       CHECK: %[[S:.+]] = tensor.extract_slice %[[A]][0, 0] [1, %[[D]]] [1, 1] : tensor<1x?xi8> to tensor<?xi8>
//       CHECK: %[[E:.+]] = tensor.empty(%[[D]]) : tensor<5x?x6xi8>
//       CHECK: %[[B:.+]] = linalg.broadcast ins(%[[S]] : tensor<?xi8>) outs(%[[E]] : tensor<5x?x6xi8>) dimensions = [0, 2]
//       CHECK: return %[[B]]
func.func @broadcast_expand(%a: tensor<1x?xi8>) -> tensor<5x?x6xi8> {
  %0 = vm.broadcast %a {dims = array<i64: 0, 1>} : tensor<1x?xi8> -> tensor<5x?x6xi8>
  return %0 : tensor<5x?x6xi8>
}

// Only size-1 expansion, no new dim: slice to rank 1, broadcast dim 0.
// CHECK-LABEL: func.func @broadcast_expand_only(
//  CHECK-SAME: %[[A:.+]]: tensor<1x4xf32>)
//       CHECK: %[[S:.+]] = tensor.extract_slice %[[A]][0, 0] [1, 4] [1, 1] : tensor<1x4xf32> to tensor<4xf32>
//       CHECK: %[[E:.+]] = tensor.empty() : tensor<3x4xf32>
//       CHECK: %[[B:.+]] = linalg.broadcast ins(%[[S]] : tensor<4xf32>) outs(%[[E]] : tensor<3x4xf32>) dimensions = [0]
//       CHECK: return %[[B]]
func.func @broadcast_expand_only(%a: tensor<1x4xf32>) -> tensor<3x4xf32> {
  %0 = vm.broadcast %a {dims = array<i64: 0, 1>} : tensor<1x4xf32> -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// A size-1 dim mapped to a size-1 dim is kept (no slice).
// CHECK-LABEL: func.func @broadcast_keep_unit(
//  CHECK-SAME: %[[A:.+]]: tensor<1x4xf32>)
//   CHECK-NOT: tensor.extract_slice
//       CHECK: linalg.broadcast ins(%[[A]] : tensor<1x4xf32>) outs(%{{.+}} : tensor<1x4x2xf32>) dimensions = [2]
func.func @broadcast_keep_unit(%a: tensor<1x4xf32>) -> tensor<1x4x2xf32> {
  %0 = vm.broadcast %a {dims = array<i64: 0, 1>} : tensor<1x4xf32> -> tensor<1x4x2xf32>
  return %0 : tensor<1x4x2xf32>
}

// 0-D operand: every result dim is new.
// CHECK-LABEL: func.func @broadcast_scalar(
//  CHECK-SAME: %[[A:.+]]: tensor<i1>)
//       CHECK: linalg.broadcast ins(%[[A]] : tensor<i1>) outs(%{{.+}} : tensor<2x2xi1>) dimensions = [0, 1]
func.func @broadcast_scalar(%a: tensor<i1>) -> tensor<2x2xi1> {
  %0 = vm.broadcast %a {dims = array<i64>} : tensor<i1> -> tensor<2x2xi1>
  return %0 : tensor<2x2xi1>
}

// A dynamic operand dim sizes the dynamic result dim.
// CHECK-LABEL: func.func @broadcast_dynamic(
//  CHECK-SAME: %[[A:.+]]: tensor<?xf32>)
//       CHECK: %[[D:.+]] = tensor.dim %[[A]], %{{.+}} : tensor<?xf32>
//       CHECK: %[[E:.+]] = tensor.empty(%[[D]]) : tensor<?x3xf32>
//       CHECK: linalg.broadcast ins(%[[A]] : tensor<?xf32>) outs(%[[E]] : tensor<?x3xf32>) dimensions = [1]
func.func @broadcast_dynamic(%a: tensor<?xf32>) -> tensor<?x3xf32> {
  %0 = vm.broadcast %a {dims = array<i64: 0>} : tensor<?xf32> -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

// Same shape: no op at all.
// CHECK-LABEL: func.func @broadcast_identity(
//  CHECK-SAME: %[[A:.+]]: tensor<4xf32>)
//   CHECK-NOT: linalg.broadcast
//       CHECK: return %[[A]]
func.func @broadcast_identity(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = vm.broadcast %a {dims = array<i64: 0>} : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

//===----------------------------------------------------------------------===//
// reshape: row-major, so metadata only: collapse to 1-D, expand to the
// result (no shape buffer, which GPU host code could not read).
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @reshape_static(
//  CHECK-SAME: %[[A:.+]]: tensor<2x3x4xf16>)
//       CHECK: %[[FLAT:.+]] = tensor.collapse_shape %[[A]] {{\[}}[0, 1, 2]] : tensor<2x3x4xf16> into tensor<24xf16>
//       CHECK: %[[R:.+]] = tensor.expand_shape %[[FLAT]] {{\[}}[0, 1]] output_shape [6, 4] : tensor<24xf16> into tensor<6x4xf16>
//   CHECK-NOT: tensor.reshape
//       CHECK: return %[[R]]
func.func @reshape_static(%a: tensor<2x3x4xf16>) -> tensor<6x4xf16> {
  %0 = vm.reshape %a : tensor<2x3x4xf16> -> tensor<6x4xf16>
  return %0 : tensor<6x4xf16>
}

// The dynamic result dim is count / (product of the static dims); a zero
// product (here it folds away: the product is 8) would make the dim 0.
// CHECK-LABEL: func.func @reshape_inferred(
//  CHECK-SAME: %[[A:.+]]: tensor<?x4xi64>)
//       CHECK: %[[D0:.+]] = tensor.dim %[[A]], %{{.+}} : tensor<?x4xi64>
//       CHECK: %[[COUNT:.+]] = arith.muli %[[D0]], %{{.+}} : index
//       CHECK: %[[DIM:.+]] = arith.divui %[[COUNT]], %{{.+}} : index
//       CHECK: %[[FLAT:.+]] = tensor.collapse_shape %[[A]] {{\[}}[0, 1]] : tensor<?x4xi64> into tensor<?xi64>
//       CHECK: %[[R:.+]] = tensor.expand_shape %[[FLAT]] {{\[}}[0, 1]] output_shape [8, %[[DIM]]] : tensor<?xi64> into tensor<8x?xi64>
//       CHECK: return %[[R]]
func.func @reshape_inferred(%a: tensor<?x4xi64>) -> tensor<8x?xi64> {
  %0 = vm.reshape %a : tensor<?x4xi64> -> tensor<8x?xi64>
  return %0 : tensor<8x?xi64>
}

// To and from 0-D: the 1-D tensor of one element in between.
// CHECK-LABEL: func.func @reshape_rank0(
//       CHECK: %[[FLAT:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0, 1]] : tensor<1x1xbf16> into tensor<1xbf16>
//       CHECK: tensor.collapse_shape %[[FLAT]] [] : tensor<1xbf16> into tensor<bf16>
func.func @reshape_rank0(%a: tensor<1x1xbf16>) -> tensor<bf16> {
  %0 = vm.reshape %a : tensor<1x1xbf16> -> tensor<bf16>
  return %0 : tensor<bf16>
}

// CHECK-LABEL: func.func @reshape_from_rank0(
//       CHECK: %[[FLAT:.+]] = tensor.expand_shape %{{.+}} [] output_shape [1] : tensor<i32> into tensor<1xi32>
//       CHECK: tensor.expand_shape %[[FLAT]] {{\[}}[0, 1]] output_shape [1, 1] : tensor<1xi32> into tensor<1x1xi32>
func.func @reshape_from_rank0(%a: tensor<i32>) -> tensor<1x1xi32> {
  %0 = vm.reshape %a : tensor<i32> -> tensor<1x1xi32>
  return %0 : tensor<1x1xi32>
}

//===----------------------------------------------------------------------===//
// transpose: result.shape[i] = operand.shape[perm[i]].
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @transpose(
//  CHECK-SAME: %[[A:.+]]: tensor<2x?x4xi32>)
//       CHECK: %[[D:.+]] = tensor.dim %[[A]], %{{.+}} : tensor<2x?x4xi32>
//       CHECK: %[[E:.+]] = tensor.empty(%[[D]]) : tensor<4x2x?xi32>
//       CHECK: %[[T:.+]] = linalg.transpose ins(%[[A]] : tensor<2x?x4xi32>) outs(%[[E]] : tensor<4x2x?xi32>) permutation = [2, 0, 1]
//       CHECK: return %[[T]]
func.func @transpose(%a: tensor<2x?x4xi32>) -> tensor<4x2x?xi32> {
  %0 = vm.transpose %a {perm = array<i64: 2, 0, 1>} : tensor<2x?x4xi32> -> tensor<4x2x?xi32>
  return %0 : tensor<4x2x?xi32>
}

//===----------------------------------------------------------------------===//
// slice: tensor.extract_slice with static offsets, sizes and strides.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @slice(
//  CHECK-SAME: %[[A:.+]]: tensor<8x6xf64>)
//       CHECK: %[[S:.+]] = tensor.extract_slice %[[A]][1, 0] [4, 2] [2, 3] : tensor<8x6xf64> to tensor<4x2xf64>
//       CHECK: return %[[S]]
func.func @slice(%a: tensor<8x6xf64>) -> tensor<4x2xf64> {
  %0 = vm.slice %a {offsets = array<i64: 1, 0>, sizes = array<i64: 4, 2>, strides = array<i64: 2, 3>} : tensor<8x6xf64> -> tensor<4x2xf64>
  return %0 : tensor<4x2xf64>
}

// An empty slice may start at the end of a dim (which extract_slice
// rejects): it becomes tensor.empty.
// CHECK-LABEL: func.func @slice_empty(
//   CHECK-NOT: tensor.extract_slice
//       CHECK: %[[E:.+]] = tensor.empty() : tensor<0x6xf64>
//   CHECK-NOT: tensor.extract_slice
//       CHECK: return %[[E]]
func.func @slice_empty(%a: tensor<8x6xf64>) -> tensor<0x6xf64> {
  %0 = vm.slice %a {offsets = array<i64: 8, 0>, sizes = array<i64: 0, 6>, strides = array<i64: 1, 1>} : tensor<8x6xf64> -> tensor<0x6xf64>
  return %0 : tensor<0x6xf64>
}

// CHECK-LABEL: func.func @slice_dynamic(
//  CHECK-SAME: %[[A:.+]]: tensor<?x10xi16>)
//       CHECK: %[[S:.+]] = tensor.extract_slice %[[A]][5, 1] [3, 5] [1, 2] : tensor<?x10xi16> to tensor<3x5xi16>
//       CHECK: return %[[S]]
func.func @slice_dynamic(%a: tensor<?x10xi16>) -> tensor<3x5xi16> {
  %0 = vm.slice %a {offsets = array<i64: 5, 1>, sizes = array<i64: 3, 5>, strides = array<i64: 1, 2>} : tensor<?x10xi16> -> tensor<3x5xi16>
  return %0 : tensor<3x5xi16>
}

//===----------------------------------------------------------------------===//
// concat: tensor.concat; inputs statically empty along `dim` are dropped.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @concat(
//  CHECK-SAME: %[[A:.+]]: tensor<2x3xf32>, %[[B:.+]]: tensor<4x3xf32>, %[[C:.+]]: tensor<?x3xf32>)
//       CHECK: %[[R0:.+]] = tensor.concat dim(0) %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<6x3xf32>
//       CHECK: %[[R1:.+]] = tensor.concat dim(0) %[[A]], %[[C]], %[[B]] : (tensor<2x3xf32>, tensor<?x3xf32>, tensor<4x3xf32>) -> tensor<?x3xf32>
//       CHECK: return %[[R0]], %[[R1]]
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>, %c: tensor<?x3xf32>) -> (tensor<6x3xf32>, tensor<?x3xf32>) {
  %0 = vm.concat %a, %b {dim = 0 : i64} : tensor<2x3xf32>, tensor<4x3xf32> -> tensor<6x3xf32>
  %1 = vm.concat %a, %c, %b {dim = 0 : i64} : tensor<2x3xf32>, tensor<?x3xf32>, tensor<4x3xf32> -> tensor<?x3xf32>
  return %0, %1 : tensor<6x3xf32>, tensor<?x3xf32>
}

// CHECK-LABEL: func.func @concat_drop_empty(
//  CHECK-SAME: %[[A:.+]]: tensor<2x3xf32>, %[[B:.+]]: tensor<2x4xf32>, %[[E:.+]]: tensor<2x0xf32>)
//       CHECK: %[[R:.+]] = tensor.concat dim(1) %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<2x7xf32>
//       CHECK: return %[[R]]
func.func @concat_drop_empty(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>, %e: tensor<2x0xf32>) -> tensor<2x7xf32> {
  %0 = vm.concat %e, %a, %e, %b, %e {dim = 1 : i64} : tensor<2x0xf32>, tensor<2x3xf32>, tensor<2x0xf32>, tensor<2x4xf32>, tensor<2x0xf32> -> tensor<2x7xf32>
  return %0 : tensor<2x7xf32>
}

// One non-empty input left: no concat.
// CHECK-LABEL: func.func @concat_one_left(
//  CHECK-SAME: %[[A:.+]]: tensor<2x3xf32>, %[[E:.+]]: tensor<0x3xf32>)
//   CHECK-NOT: tensor.concat
//       CHECK: %[[R:.+]] = tensor.cast %[[A]] : tensor<2x3xf32> to tensor<2x3xf32>
//   CHECK-NOT: tensor.concat
//       CHECK: return %[[R]]
func.func @concat_one_left(%a: tensor<2x3xf32>, %e: tensor<0x3xf32>) -> tensor<2x3xf32> {
  %0 = vm.concat %e, %a, %e {dim = 0 : i64} : tensor<0x3xf32>, tensor<2x3xf32>, tensor<0x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// Every input empty along `dim`: tensor.empty of the result type.
// CHECK-LABEL: func.func @concat_all_empty(
//   CHECK-NOT: tensor.concat
//       CHECK: %[[R:.+]] = tensor.empty() : tensor<0x3xf32>
//       CHECK: return %[[R]]
func.func @concat_all_empty(%e: tensor<0x3xf32>) -> tensor<0x3xf32> {
  %0 = vm.concat %e, %e {dim = 0 : i64} : tensor<0x3xf32>, tensor<0x3xf32> -> tensor<0x3xf32>
  return %0 : tensor<0x3xf32>
}

// CHECK-LABEL: func.func @concat_single(
//  CHECK-SAME: %[[A:.+]]: tensor<2x3xi1>)
//   CHECK-NOT: tensor.concat
//       CHECK: return
func.func @concat_single(%a: tensor<2x3xi1>) -> tensor<2x3xi1> {
  %0 = vm.concat %a {dim = 1 : i64} : tensor<2x3xi1> -> tensor<2x3xi1>
  return %0 : tensor<2x3xi1>
}
