// RUN: vm-gpu-opt %s --vm-to-linalg | FileCheck %s

// vm-to-linalg, run-time shape checks: every size the verifier cannot check
// statically becomes a cf.assert whose message names the op, its location and
// the broken rule. Programs whose shapes are known emit none.

//===----------------------------------------------------------------------===//
// Dynamic shapes: one check per rule.
//===----------------------------------------------------------------------===//

// Elementwise: every operand must have operand #0's shape, per dynamic dim.
// CHECK-LABEL: func.func @elementwise_dims(
//  CHECK-SAME: %[[A:.+]]: tensor<?x4xf32>, %[[B:.+]]: tensor<?x4xf32>)
//       CHECK: %[[DA:.+]] = tensor.dim %[[A]], %{{.+}} : tensor<?x4xf32>
//       CHECK: %[[DB:.+]] = tensor.dim %[[B]], %{{.+}} : tensor<?x4xf32>
//       CHECK: %[[EQ:.+]] = arith.cmpi eq, %[[DB]], %[[DA]] : index
//       CHECK: cf.assert %[[EQ]], "'vm.add' at {{.*}}shape-checks.mlir:[[@LINE+4]]:8: operand #1 must have the shape of operand #0 (dimension 0)"
//   CHECK-NOT: cf.assert
//       CHECK: linalg.generic
func.func @elementwise_dims(%a: tensor<?x4xf32>, %b: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = vm.add %a, %b : tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// select: the condition is operand #0, both values are checked against it.
// CHECK-LABEL: func.func @select_dims(
//       CHECK: cf.assert %{{.+}}, "'vm.select' at {{.+}}: operand #1 must have the shape of operand #0 (dimension 1)"
//       CHECK: cf.assert %{{.+}}, "'vm.select' at {{.+}}: operand #2 must have the shape of operand #0 (dimension 1)"
//   CHECK-NOT: cf.assert
func.func @select_dims(%c: tensor<2x?xi1>, %a: tensor<2x?xf32>, %b: tensor<2x?xf32>) -> tensor<2x?xf32> {
  %0 = vm.select %c, %a, %b : (tensor<2x?xi1>, tensor<2x?xf32>, tensor<2x?xf32>) -> tensor<2x?xf32>
  return %0 : tensor<2x?xf32>
}

// matmul: K of lhs (dim 1) == K of rhs (dim 0); a static result dim is
// checked against the dynamic size it comes from.
// CHECK-LABEL: func.func @matmul_k(
//  CHECK-SAME: %[[A:.+]]: tensor<?x?xf32>, %[[B:.+]]: tensor<?x16xf32>)
//   CHECK-DAG: %[[M:.+]] = tensor.dim %[[A]], %{{.+}} : tensor<?x?xf32>
//   CHECK-DAG: %[[KA:.+]] = tensor.dim %[[A]], %{{.+}} : tensor<?x?xf32>
//   CHECK-DAG: %[[KB:.+]] = tensor.dim %[[B]], %{{.+}} : tensor<?x16xf32>
//       CHECK: %[[K:.+]] = arith.cmpi eq, %[[KA]], %[[KB]] : index
//       CHECK: cf.assert %[[K]], "'vm.matmul' at {{.+}}: the contraction dimensions (K) of lhs and rhs differ"
//       CHECK: %[[C4:.+]] = arith.constant 4 : index
//       CHECK: %[[R:.+]] = arith.cmpi eq, %[[M]], %[[C4]] : index
//       CHECK: cf.assert %[[R]], "'vm.matmul' at {{.+}}: result dimension 0 must be 4"
//   CHECK-NOT: cf.assert
//       CHECK: linalg.matmul
func.func @matmul_k(%a: tensor<?x?xf32>, %b: tensor<?x16xf32>) -> tensor<4x16xf32> {
  %0 = vm.matmul %a, %b : (tensor<?x?xf32>, tensor<?x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// With transpose_a, K is lhs dim 0.
// CHECK-LABEL: func.func @matmul_k_transposed(
//  CHECK-SAME: %[[A:.+]]: tensor<?x4xf32>, %[[B:.+]]: tensor<?x16xf32>)
//       CHECK: %[[KA:.+]] = tensor.dim %[[A]], %[[C0:.+]] : tensor<?x4xf32>
//       CHECK: %[[KB:.+]] = tensor.dim %[[B]], %{{.+}} : tensor<?x16xf32>
//       CHECK: %[[K:.+]] = arith.cmpi eq, %[[KA]], %[[KB]] : index
//       CHECK: cf.assert %[[K]], "'vm.matmul' at {{.+}}: the contraction dimensions (K) of lhs and rhs differ"
//   CHECK-NOT: cf.assert
func.func @matmul_k_transposed(%a: tensor<?x4xf32>, %b: tensor<?x16xf32>) -> tensor<4x16xf32> {
  %0 = vm.matmul %a, %b {transpose_a} : (tensor<?x4xf32>, tensor<?x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// CHECK-LABEL: func.func @batch_matmul_dims(
//       CHECK: cf.assert %{{.+}}, "'vm.batch_matmul' at {{.+}}: the contraction dimensions (K) of lhs and rhs differ"
//       CHECK: cf.assert %{{.+}}, "'vm.batch_matmul' at {{.+}}: the batch dimensions of lhs and rhs differ"
//       CHECK: cf.assert %{{.+}}, "'vm.batch_matmul' at {{.+}}: result dimension 0 must be 2"
//   CHECK-NOT: cf.assert
func.func @batch_matmul_dims(%a: tensor<?x4x?xf32>, %b: tensor<2x?x16xf32>) -> tensor<2x4x16xf32> {
  %0 = vm.batch_matmul %a, %b : (tensor<?x4x?xf32>, tensor<2x?x16xf32>) -> tensor<2x4x16xf32>
  return %0 : tensor<2x4x16xf32>
}

// dot: both operands have the same length.
// CHECK-LABEL: func.func @dot_length(
//  CHECK-SAME: %[[A:.+]]: tensor<8xf32>, %[[B:.+]]: tensor<?xf32>)
//       CHECK: %[[C8:.+]] = arith.constant 8 : index
//       CHECK: %[[DB:.+]] = tensor.dim %[[B]], %{{.+}} : tensor<?xf32>
//       CHECK: %[[EQ:.+]] = arith.cmpi eq, %[[C8]], %[[DB]] : index
//       CHECK: cf.assert %[[EQ]], "'vm.dot' at {{.+}}: lhs and rhs must have the same length"
func.func @dot_length(%a: tensor<8xf32>, %b: tensor<?xf32>) -> tensor<f32> {
  %0 = vm.dot %a, %b : (tensor<8xf32>, tensor<?xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// slice: the last index read, offset + (size - 1) * stride = 3 + 1 * 4 = 7,
// must be inside a dynamic dim.
// CHECK-LABEL: func.func @slice_bounds(
//  CHECK-SAME: %[[A:.+]]: tensor<?xf32>)
//       CHECK: %[[D:.+]] = tensor.dim %[[A]], %{{.+}} : tensor<?xf32>
//       CHECK: %[[LAST:.+]] = arith.constant 7 : index
//       CHECK: %[[IN:.+]] = arith.cmpi slt, %[[LAST]], %[[D]] : index
//       CHECK: cf.assert %[[IN]], "'vm.slice' at {{.+}}: the slice reads out of bounds in dimension 0"
//       CHECK: tensor.extract_slice %[[A]][3] [2] [4]
func.func @slice_bounds(%a: tensor<?xf32>) -> tensor<2xf32> {
  %0 = vm.slice %a {offsets = array<i64: 3>, sizes = array<i64: 2>, strides = array<i64: 4>} : tensor<?xf32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// An empty slice reads nothing but must still start inside or at the end:
// offset - 1 = 2 < dim.
// CHECK-LABEL: func.func @slice_empty_bounds(
//       CHECK: %[[LAST:.+]] = arith.constant 2 : index
//       CHECK: %[[IN:.+]] = arith.cmpi slt, %[[LAST]], %{{.+}} : index
//       CHECK: cf.assert %[[IN]], "'vm.slice' at {{.+}}: the slice reads out of bounds in dimension 1"
//   CHECK-NOT: cf.assert
//       CHECK: tensor.empty() : tensor<2x0xf32>
func.func @slice_empty_bounds(%a: tensor<2x?xf32>) -> tensor<2x0xf32> {
  %0 = vm.slice %a {offsets = array<i64: 0, 3>, sizes = array<i64: 2, 0>, strides = array<i64: 1, 1>} : tensor<2x?xf32> -> tensor<2x0xf32>
  return %0 : tensor<2x0xf32>
}

// reshape with an inferred dim: the count must be a multiple of the static part.
// CHECK-LABEL: func.func @reshape_divisible(
//  CHECK-SAME: %[[A:.+]]: tensor<?xf32>)
//       CHECK: %[[D:.+]] = tensor.dim %[[A]], %{{.+}} : tensor<?xf32>
//       CHECK: %[[REM:.+]] = arith.remui %[[D]], %{{.+}} : index
//       CHECK: %[[OK:.+]] = arith.cmpi eq, %[[REM]], %{{.+}} : index
//       CHECK: cf.assert %[[OK]], "'vm.reshape' at {{.+}}: the operand's element count must be a multiple of the result's static dimensions"
//       CHECK: tensor.expand_shape
func.func @reshape_divisible(%a: tensor<?xf32>) -> tensor<?x3xf32> {
  %0 = vm.reshape %a : tensor<?xf32> -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

// reshape to a static shape: the counts must be equal.
// CHECK-LABEL: func.func @reshape_count(
//       CHECK: %[[OK:.+]] = arith.cmpi eq, %{{.+}}, %{{.+}} : index
//       CHECK: cf.assert %[[OK]], "'vm.reshape' at {{.+}}: the operand's element count must equal the result's"
func.func @reshape_count(%a: tensor<?x2xf32>) -> tensor<2x3xf32> {
  %0 = vm.reshape %a : tensor<?x2xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// concat: the non-concatenated dims agree; a static result dim matches the sum.
// CHECK-LABEL: func.func @concat_dims(
//       CHECK: cf.assert %{{.+}}, "'vm.concat' at {{.+}}: input #1 dimension 1 must equal input #0's"
//       CHECK: cf.assert %{{.+}}, "'vm.concat' at {{.+}}: the concatenated size of dimension 0 overflows int64"
//       CHECK: cf.assert %{{.+}}, "'vm.concat' at {{.+}}: result dimension 0 must be 4"
//       CHECK: cf.assert %{{.+}}, "'vm.concat' at {{.+}}: result dimension 1 must be 3"
//       CHECK: tensor.concat
func.func @concat_dims(%a: tensor<2x?xf32>, %b: tensor<?x3xf32>) -> tensor<4x3xf32> {
  %0 = vm.concat %a, %b {dim = 0 : i64} : tensor<2x?xf32>, tensor<?x3xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// conv2d: channels agree; the dilated filter, dil * (K - 1) + 1, fits the
// padded input; static result dims match the computed ones.
// CHECK-LABEL: func.func @conv2d_window(
//  CHECK-SAME: %[[I:.+]]: tensor<1x?x5x?xf32>
//       CHECK: %[[H:.+]] = tensor.dim %[[I]], %{{.+}} : tensor<1x?x5x?xf32>
//       CHECK: %[[C:.+]] = tensor.dim %[[I]], %{{.+}} : tensor<1x?x5x?xf32>
//       CHECK: %[[CH:.+]] = arith.cmpi eq, %[[C]], %{{.+}} : index
//       CHECK: cf.assert %[[CH]], "'vm.conv2d' at {{.+}}: input channels must equal filter channels"
// With static kernel sizes the extent folds to a constant (2 * (3 - 1) + 1
// = 5); W is static, so only H needs a run-time check.
// H + pad_top + pad_bottom is added one term at a time, each sum checked
// against INT64_MAX: attributes reach 2^63 - 1.
//       CHECK: %[[EXTENT:.+]] = arith.constant 5 : index
//       CHECK: %[[TOP:.+]] = arith.addi %[[H]], %{{.+}} : index
//       CHECK: arith.cmpi ugt, %[[H]], %[[MAX:.+]] : index
//       CHECK: %[[PADDED:.+]] = arith.addi %[[TOP]], %{{.+}} : index
//       CHECK: %[[FITS:.+]] = arith.cmpi sge, %[[PADDED]], %[[EXTENT]] : index
//       CHECK: cf.assert %[[FITS]], "'vm.conv2d' at {{.+}}: the dilated filter is larger than the padded input in spatial dimension 0"
//       CHECK: cf.assert %{{.+}}, "'vm.conv2d' at {{.+}}: the padded input or the dilated filter overflows int64"
//   CHECK-NOT: cf.assert
//       CHECK: linalg.conv_2d_nhwc_hwcf
func.func @conv2d_window(%i: tensor<1x?x5x?xf32>, %f: tensor<3x3x3x16xf32>) -> tensor<1x?x3x16xf32> {
  %0 = vm.conv2d %i, %f {dilations = array<i64: 2, 1>, padding = array<i64: 1, 1, 0, 0>} : (tensor<1x?x5x?xf32>, tensor<3x3x3x16xf32>) -> tensor<1x?x3x16xf32>
  return %0 : tensor<1x?x3x16xf32>
}

// pool2d: the window fits the padded input (no padding here: H itself).
// CHECK-LABEL: func.func @pool2d_window(
//  CHECK-SAME: %[[I:.+]]: tensor<1x?x8x4xf32>)
//       CHECK: %[[H:.+]] = tensor.dim %[[I]], %{{.+}} : tensor<1x?x8x4xf32>
//       CHECK: %[[WIN:.+]] = arith.constant 2 : index
//       CHECK: %[[FITS:.+]] = arith.cmpi sge, %[[H]], %[[WIN]] : index
//       CHECK: cf.assert %[[FITS]], "'vm.pool2d' at {{.+}}: the window is larger than the padded input in spatial dimension 0"
//       CHECK: linalg.generic
func.func @pool2d_window(%i: tensor<1x?x8x4xf32>) -> tensor<1x?x4x4xf32> {
  %0 = vm.pool2d %i {kind = "max", window = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x?x8x4xf32> -> tensor<1x?x4x4xf32>
  return %0 : tensor<1x?x4x4xf32>
}

// splat: every dynamic size is >= 0.
// CHECK-LABEL: func.func @splat_sizes(
//  CHECK-SAME: %[[V:.+]]: f32, %[[N:.+]]: index, %[[M:.+]]: index)
//       CHECK: %[[Z:.+]] = arith.constant 0 : index
//       CHECK: %[[NN:.+]] = arith.cmpi sge, %[[N]], %[[Z]] : index
//       CHECK: cf.assert %[[NN]], "'vm.splat' at {{.+}}: dynamic size #0 must not be negative"
//       CHECK: %[[MN:.+]] = arith.cmpi sge, %[[M]], %[[Z]] : index
//       CHECK: cf.assert %[[MN]], "'vm.splat' at {{.+}}: dynamic size #1 must not be negative"
//       CHECK: tensor.empty(%[[N]], %[[M]])
func.func @splat_sizes(%v: f32, %n: index, %m: index) -> tensor<?x2x?xf32> {
  %0 = vm.splat %v[%n, %m] : f32 -> tensor<?x2x?xf32>
  return %0 : tensor<?x2x?xf32>
}

//===----------------------------------------------------------------------===//
// Sizes computed at run time never wrap around (issue 13, H1): an index
// that overflowed int64 would pass the bounds checks and read out of bounds.
//===----------------------------------------------------------------------===//

// A dynamic slice compares its last index, computed with overflow checks at
// compile time (2^61 + 2 * 2^61 = 3 * 2^61 fits; where it would not, the
// verifier rejects the slice: see invalid.mlir).
// CHECK-LABEL: func.func @slice_last_index_exact(
//       CHECK: %[[DIM:.+]] = tensor.dim
//       CHECK: %[[LAST:.+]] = arith.constant 6917529027641081856 : index
//       CHECK: %[[IN:.+]] = arith.cmpi slt, %[[LAST]], %[[DIM]] : index
//       CHECK: cf.assert %[[IN]], "'vm.slice' at {{.+}}: the slice reads out of bounds in dimension 0"
func.func @slice_last_index_exact(%a: tensor<?xf32>) -> tensor<3xf32> {
  %0 = vm.slice %a {offsets = array<i64: 2305843009213693952>, sizes = array<i64: 3>, strides = array<i64: 2305843009213693952>} : tensor<?xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

// conv2d with a dynamic filter: K >= 1, and dilation * (K - 1) as a full
// 128-bit product whose high half must be 0.
// CHECK-LABEL: func.func @conv2d_dilation_overflow(
//       CHECK: cf.assert %{{.+}}, "'vm.conv2d' at {{.+}}: filter spatial dimension 0 must be at least 1"
//       CHECK: %[[LOW:.+]], %[[HIGH:.+]] = arith.mului_extended
//       CHECK: arith.cmpi ne, %[[HIGH]]
//       CHECK: cf.assert %{{.+}}, "'vm.conv2d' at {{.+}}: the dilated filter is larger than the padded input in spatial dimension 0"
//       CHECK: cf.assert %{{.+}}, "'vm.conv2d' at {{.+}}: the padded input or the dilated filter overflows int64"
func.func @conv2d_dilation_overflow(%i: tensor<1x?x5x3xf32>, %f: tensor<?x3x3x16xf32>) -> tensor<1x?x3x16xf32> {
  %0 = vm.conv2d %i, %f {dilations = array<i64: 4611686018427387904, 1>} : (tensor<1x?x5x3xf32>, tensor<?x3x3x16xf32>) -> tensor<1x?x3x16xf32>
  return %0 : tensor<1x?x3x16xf32>
}

// pool2d: padding of 2^62 - 1 on each side of a dynamic H.
// CHECK-LABEL: func.func @pool2d_padding_overflow(
//       CHECK: cf.assert %{{.+}}, "'vm.pool2d' at {{.+}}: the window is larger than the padded input in spatial dimension 0"
//       CHECK: cf.assert %{{.+}}, "'vm.pool2d' at {{.+}}: the padded input overflows int64"
func.func @pool2d_padding_overflow(%i: tensor<1x?x8x4xf32>) -> tensor<1x?x4x4xf32> {
  %0 = vm.pool2d %i {kind = "max", window = array<i64: 4611686018427387904, 2>, strides = array<i64: 1, 2>, padding = array<i64: 4611686018427387903, 4611686018427387903, 0, 0>} : tensor<1x?x8x4xf32> -> tensor<1x?x4x4xf32>
  return %0 : tensor<1x?x4x4xf32>
}

//===----------------------------------------------------------------------===//
// Static shapes: nothing to check at run time.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @static_block(
//   CHECK-NOT: cf.assert
//       CHECK: return
func.func @static_block(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %c: tensor<4x16xf32>,
                        %m: tensor<4x16xi1>, %v: f32, %w: tensor<16xf32>)
    -> (tensor<4x16xf32>, tensor<16x4xf32>, tensor<4xf32>, tensor<2x16xf32>, tensor<4x16xi32>) {
  %0 = vm.matmul %a, %b : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  %1 = vm.add %0, %c : tensor<4x16xf32>
  %2 = vm.select %m, %1, %c : (tensor<4x16xi1>, tensor<4x16xf32>, tensor<4x16xf32>) -> tensor<4x16xf32>
  %3 = vm.softmax %2 {dim = 1 : i64} : tensor<4x16xf32>
  %4 = vm.transpose %3 {perm = array<i64: 1, 0>} : tensor<4x16xf32> -> tensor<16x4xf32>
  %5 = vm.reduce %3 {kind = "max", dims = array<i64: 1>} : tensor<4x16xf32> -> tensor<4xf32>
  %6 = vm.slice %3 {offsets = array<i64: 1, 0>, sizes = array<i64: 2, 16>, strides = array<i64: 2, 1>} : tensor<4x16xf32> -> tensor<2x16xf32>
  %7 = vm.splat %v : f32 -> tensor<4x16xf32>
  %8 = vm.broadcast %w {dims = array<i64: 1>} : tensor<16xf32> -> tensor<4x16xf32>
  %9 = vm.fma %7, %8, %3 : tensor<4x16xf32>
  %10 = vm.convert %9 : tensor<4x16xf32> -> tensor<4x16xi32>
  return %9, %4, %5, %6, %10 : tensor<4x16xf32>, tensor<16x4xf32>, tensor<4xf32>, tensor<2x16xf32>, tensor<4x16xi32>
}

// CHECK-LABEL: func.func @static_batch_matmul(
//   CHECK-NOT: cf.assert
//       CHECK: return
func.func @static_batch_matmul(%a: tensor<2x4x8xf16>, %b: tensor<2x16x8xf16>) -> tensor<2x4x16xf32> {
  %0 = vm.batch_matmul %a, %b {transpose_b} : (tensor<2x4x8xf16>, tensor<2x16x8xf16>) -> tensor<2x4x16xf32>
  return %0 : tensor<2x4x16xf32>
}

// A dynamic dim that needs no check (it only flows through) emits none.
// CHECK-LABEL: func.func @dynamic_unary(
//   CHECK-NOT: cf.assert
//       CHECK: return
func.func @dynamic_unary(%a: tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?xf32>) {
  %0 = vm.exp %a : tensor<?x?xf32>
  %1 = vm.reduce %0 {kind = "sum", dims = array<i64: 0>} : tensor<?x?xf32> -> tensor<?xf32>
  return %0, %1 : tensor<?x?xf32>, tensor<?xf32>
}
