// RUN: vm-gpu-opt %s --vm-to-linalg --cse | FileCheck %s

// vm-to-linalg, contraction family: matmul / batch_matmul (transposes through
// indexing maps, widening accumulators), conv2d (padding, strides,
// dilations), pool2d max/avg. CSE merges the repeated constants.

// CHECK-DAG: #[[A_T:.+]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-DAG: #[[B_N:.+]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[C_MN:.+]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[A_N:.+]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[B_T:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[BA_T:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d1)>
// CHECK-DAG: #[[BB_N:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[BC:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-DAG: #[[POOL_IN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 * 2 + d4, d2 * 2 + d5, d3)>
// CHECK-DAG: #[[POOL_IN1:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 + d4, d2 + d5, d3)>
// CHECK-DAG: #[[POOL_IN23:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 * 2 + d4, d2 * 3 + d5, d3)>
// CHECK-DAG: #[[WIN:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK-DAG: #[[POOL_OUT:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[ID4:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[ID2:.+]] = affine_map<(d0, d1) -> (d0, d1)>

//===----------------------------------------------------------------------===//
// matmul
//===----------------------------------------------------------------------===//

// Plain matmul: the default maps, into a zero-filled accumulator.
// CHECK-LABEL: func.func @matmul(
//  CHECK-SAME: %[[A:.+]]: tensor<4x8xf32>, %[[B:.+]]: tensor<8x16xf32>)
//       CHECK: %[[Z:.+]] = arith.constant 0.000000e+00 : f32
//       CHECK: %[[E:.+]] = tensor.empty() : tensor<4x16xf32>
//       CHECK: %[[F:.+]] = linalg.fill ins(%[[Z]] : f32) outs(%[[E]] : tensor<4x16xf32>)
//       CHECK: %[[R:.+]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<4x8xf32>, tensor<8x16xf32>) outs(%[[F]] : tensor<4x16xf32>)
//       CHECK: return %[[R]]
func.func @matmul(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %0 = vm.matmul %a, %b : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// Transposed operands: the same op, with A read as (k, m) and/or B as (n, k).
// CHECK-LABEL: func.func @matmul_transposed(
//  CHECK-SAME: %[[A:.+]]: tensor<4x8xf32>, %[[AT:.+]]: tensor<8x4xf32>, %[[B:.+]]: tensor<8x16xf32>, %[[BT:.+]]: tensor<16x8xf32>)
//       CHECK: linalg.matmul indexing_maps = [#[[A_T]], #[[B_N]], #[[C_MN]]] ins(%[[AT]], %[[B]] : tensor<8x4xf32>, tensor<8x16xf32>)
//       CHECK: linalg.matmul indexing_maps = [#[[A_N]], #[[B_T]], #[[C_MN]]] ins(%[[A]], %[[BT]] : tensor<4x8xf32>, tensor<16x8xf32>)
//       CHECK: linalg.matmul indexing_maps = [#[[A_T]], #[[B_T]], #[[C_MN]]] ins(%[[AT]], %[[BT]] : tensor<8x4xf32>, tensor<16x8xf32>)
//   CHECK-NOT: linalg.transpose
func.func @matmul_transposed(%a: tensor<4x8xf32>, %at: tensor<8x4xf32>, %b: tensor<8x16xf32>, %bt: tensor<16x8xf32>)
    -> (tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>) {
  %0 = vm.matmul %at, %b {transpose_a} : (tensor<8x4xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  %1 = vm.matmul %a, %bt {transpose_b} : (tensor<4x8xf32>, tensor<16x8xf32>) -> tensor<4x16xf32>
  %2 = vm.matmul %at, %bt {transpose_a, transpose_b} : (tensor<8x4xf32>, tensor<16x8xf32>) -> tensor<4x16xf32>
  return %0, %1, %2 : tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>
}

// Widening f16 -> f32 with dynamic M and N: the accumulator is f32 and is
// sized from lhs dim 0 and rhs dim 1.
// CHECK-LABEL: func.func @matmul_widening(
//  CHECK-SAME: %[[A:.+]]: tensor<?x8xf16>, %[[B:.+]]: tensor<8x?xf16>)
//   CHECK-DAG: %[[M:.+]] = tensor.dim %[[A]], %{{.+}} : tensor<?x8xf16>
//   CHECK-DAG: %[[N:.+]] = tensor.dim %[[B]], %{{.+}} : tensor<8x?xf16>
//       CHECK: %[[Z:.+]] = arith.constant 0.000000e+00 : f32
//       CHECK: %[[E:.+]] = tensor.empty(%[[M]], %[[N]]) : tensor<?x?xf32>
//       CHECK: %[[F:.+]] = linalg.fill ins(%[[Z]] : f32) outs(%[[E]] : tensor<?x?xf32>)
//       CHECK: linalg.matmul ins(%[[A]], %[[B]] : tensor<?x8xf16>, tensor<8x?xf16>) outs(%[[F]] : tensor<?x?xf32>) -> tensor<?x?xf32>
func.func @matmul_widening(%a: tensor<?x8xf16>, %b: tensor<8x?xf16>) -> tensor<?x?xf32> {
  %0 = vm.matmul %a, %b : (tensor<?x8xf16>, tensor<8x?xf16>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// f16 -> f16: the sum accumulates in f32 and is rounded once at the end.
// CHECK-LABEL: func.func @matmul_f16(
//  CHECK-SAME: %[[A:.+]]: tensor<4x8xf16>, %[[B:.+]]: tensor<8x?xf16>)
//       CHECK: %[[Z:.+]] = arith.constant 0.000000e+00 : f32
//       CHECK: %[[E:.+]] = tensor.empty(%{{.+}}) : tensor<4x?xf32>
//       CHECK: %[[F:.+]] = linalg.fill ins(%[[Z]] : f32) outs(%[[E]] : tensor<4x?xf32>)
//       CHECK: %[[M:.+]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<4x8xf16>, tensor<8x?xf16>) outs(%[[F]] : tensor<4x?xf32>) -> tensor<4x?xf32>
//       CHECK: %[[D:.+]] = tensor.dim %[[M]], %{{.+}} : tensor<4x?xf32>
//       CHECK: %[[NE:.+]] = tensor.empty(%[[D]]) : tensor<4x?xf16>
//       CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#[[ID2]], #[[ID2]]], iterator_types = ["parallel", "parallel"]}
//  CHECK-SAME:   ins(%[[M]] : tensor<4x?xf32>) outs(%[[NE]] : tensor<4x?xf16>)
//  CHECK-NEXT: ^bb0(%[[X:.+]]: f32, %{{.+}}: f16):
//  CHECK-NEXT:   %[[T:.+]] = arith.truncf %[[X]] : f32 to f16
//       CHECK:   %[[XN:.+]] = arith.cmpf uno, %[[X]], %[[X]] : f32
//  CHECK-NEXT:   %[[C:.+]] = arith.select %[[XN]], %{{.+}}, %[[T]] : f16
//  CHECK-NEXT:   linalg.yield %[[C]] : f16
//       CHECK: return %[[R]]
func.func @matmul_f16(%a: tensor<4x8xf16>, %b: tensor<8x?xf16>) -> tensor<4x?xf16> {
  %0 = vm.matmul %a, %b : (tensor<4x8xf16>, tensor<8x?xf16>) -> tensor<4x?xf16>
  return %0 : tensor<4x?xf16>
}

// bf16 batch_matmul: the same f32 accumulator and final rounding.
// CHECK-LABEL: func.func @batch_matmul_bf16(
//       CHECK: %[[M:.+]] = linalg.batch_matmul ins(%{{.+}}, %{{.+}} : tensor<2x3x4xbf16>, tensor<2x4x5xbf16>) outs(%{{.+}} : tensor<2x3x5xf32>)
//       CHECK: linalg.generic {{.+}} ins(%[[M]] : tensor<2x3x5xf32>) outs(%{{.+}} : tensor<2x3x5xbf16>)
//       CHECK:   arith.truncf %{{.+}} : f32 to bf16
func.func @batch_matmul_bf16(%a: tensor<2x3x4xbf16>, %b: tensor<2x4x5xbf16>) -> tensor<2x3x5xbf16> {
  %0 = vm.batch_matmul %a, %b : (tensor<2x3x4xbf16>, tensor<2x4x5xbf16>) -> tensor<2x3x5xbf16>
  return %0 : tensor<2x3x5xbf16>
}

// i8 -> i32.
// CHECK-LABEL: func.func @matmul_i8(
//       CHECK: %[[Z:.+]] = arith.constant 0 : i32
//       CHECK: %[[F:.+]] = linalg.fill ins(%[[Z]] : i32) outs(%{{.+}} : tensor<2x2xi32>)
//       CHECK: linalg.matmul indexing_maps = [#[[A_N]], #[[B_T]], #[[C_MN]]] ins(%{{.+}}, %{{.+}} : tensor<2x3xi8>, tensor<2x3xi8>) outs(%[[F]] : tensor<2x2xi32>)
func.func @matmul_i8(%q: tensor<2x3xi8>) -> tensor<2x2xi32> {
  %0 = vm.matmul %q, %q {transpose_b} : (tensor<2x3xi8>, tensor<2x3xi8>) -> tensor<2x2xi32>
  return %0 : tensor<2x2xi32>
}

// CHECK-LABEL: func.func @batch_matmul(
//  CHECK-SAME: %[[A:.+]]: tensor<2x4x8xf32>, %[[AT:.+]]: tensor<2x8x4xf32>, %[[B:.+]]: tensor<2x8x16xf32>)
//       CHECK: %[[F:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<2x4x16xf32>)
//       CHECK: linalg.batch_matmul ins(%[[A]], %[[B]] : tensor<2x4x8xf32>, tensor<2x8x16xf32>) outs(%[[F]] : tensor<2x4x16xf32>)
//       CHECK: linalg.batch_matmul indexing_maps = [#[[BA_T]], #[[BB_N]], #[[BC]]] ins(%[[AT]], %[[B]] : tensor<2x8x4xf32>, tensor<2x8x16xf32>)
func.func @batch_matmul(%a: tensor<2x4x8xf32>, %at: tensor<2x8x4xf32>, %b: tensor<2x8x16xf32>)
    -> (tensor<2x4x16xf32>, tensor<2x4x16xf32>) {
  %0 = vm.batch_matmul %a, %b : (tensor<2x4x8xf32>, tensor<2x8x16xf32>) -> tensor<2x4x16xf32>
  %1 = vm.batch_matmul %at, %b {transpose_a} : (tensor<2x8x4xf32>, tensor<2x8x16xf32>) -> tensor<2x4x16xf32>
  return %0, %1 : tensor<2x4x16xf32>, tensor<2x4x16xf32>
}

//===----------------------------------------------------------------------===//
// conv2d: linalg.conv_2d_nhwc_hwcf; padding is a zero tensor.pad on H and W.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @conv2d(
//  CHECK-SAME: %[[I:.+]]: tensor<1x8x8x3xf32>, %[[F:.+]]: tensor<3x3x3x16xf32>)
//   CHECK-NOT: tensor.pad
//       CHECK: %[[Z:.+]] = arith.constant 0.000000e+00 : f32
//       CHECK: %[[ACC:.+]] = linalg.fill ins(%[[Z]] : f32) outs(%{{.+}} : tensor<1x6x6x16xf32>)
//       CHECK: %[[R:.+]] = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
//  CHECK-SAME:   ins(%[[I]], %[[F]] : tensor<1x8x8x3xf32>, tensor<3x3x3x16xf32>) outs(%[[ACC]] : tensor<1x6x6x16xf32>)
//       CHECK: return %[[R]]
func.func @conv2d(%i: tensor<1x8x8x3xf32>, %f: tensor<3x3x3x16xf32>) -> tensor<1x6x6x16xf32> {
  %0 = vm.conv2d %i, %f : (tensor<1x8x8x3xf32>, tensor<3x3x3x16xf32>) -> tensor<1x6x6x16xf32>
  return %0 : tensor<1x6x6x16xf32>
}

// padding (top, bottom, left, right) = (0, 1, 2, 3): low [0, 0, 2, 0],
// high [0, 1, 3, 0]; strides (2, 1) and dilations (1, 2) go to the op.
// CHECK-LABEL: func.func @conv2d_pad_stride_dilation(
//  CHECK-SAME: %[[I:.+]]: tensor<1x8x8x3xf32>, %[[F:.+]]: tensor<3x3x3x16xf32>)
//       CHECK: %[[Z:.+]] = arith.constant 0.000000e+00 : f32
//       CHECK: %[[P:.+]] = tensor.pad %[[I]] low[0, 0, 2, 0] high[0, 1, 3, 0]
//       CHECK:   tensor.yield %[[Z]] : f32
//       CHECK: } : tensor<1x8x8x3xf32> to tensor<1x9x13x3xf32>
//       CHECK: %[[ACC:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x4x9x16xf32>)
//       CHECK: linalg.conv_2d_nhwc_hwcf {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>}
//  CHECK-SAME:   ins(%[[P]], %[[F]] : tensor<1x9x13x3xf32>, tensor<3x3x3x16xf32>) outs(%[[ACC]] : tensor<1x4x9x16xf32>)
func.func @conv2d_pad_stride_dilation(%i: tensor<1x8x8x3xf32>, %f: tensor<3x3x3x16xf32>) -> tensor<1x4x9x16xf32> {
  %0 = vm.conv2d %i, %f {strides = array<i64: 2, 1>, dilations = array<i64: 1, 2>, padding = array<i64: 0, 1, 2, 3>}
      : (tensor<1x8x8x3xf32>, tensor<3x3x3x16xf32>) -> tensor<1x4x9x16xf32>
  return %0 : tensor<1x4x9x16xf32>
}

// Dynamic N/H/W with a widening accumulator: the output H/W are computed as
// (H + pads - extent) / stride + 1 and size the f32 accumulator.
// CHECK-LABEL: func.func @conv2d_dynamic_widening(
//  CHECK-SAME: %[[I:.+]]: tensor<?x?x?x3xf16>, %[[F:.+]]: tensor<3x3x3x8xf16>)
//   CHECK-DAG: %[[N:.+]] = tensor.dim %[[I]], %{{.+}} : tensor<?x?x?x3xf16>
//       CHECK: %[[OH_STEPS:.+]] = arith.subi %{{.+}}, %{{.+}} : index
//       CHECK: %[[OH:.+]] = arith.addi %[[OH_STEPS]], %{{.+}} : index
//       CHECK: %[[OW_STEPS:.+]] = arith.subi %{{.+}}, %{{.+}} : index
//       CHECK: %[[OW:.+]] = arith.addi %[[OW_STEPS]], %{{.+}} : index
//       CHECK: %[[Z:.+]] = arith.constant 0.000000e+00 : f32
//       CHECK: %[[E:.+]] = tensor.empty(%[[N]], %[[OH]], %[[OW]]) : tensor<?x?x?x8xf32>
//       CHECK: %[[ACC:.+]] = linalg.fill ins(%[[Z]] : f32) outs(%[[E]] : tensor<?x?x?x8xf32>)
//       CHECK: linalg.conv_2d_nhwc_hwcf {{.+}} ins(%[[I]], %[[F]] : tensor<?x?x?x3xf16>, tensor<3x3x3x8xf16>) outs(%[[ACC]] : tensor<?x?x?x8xf32>)
func.func @conv2d_dynamic_widening(%i: tensor<?x?x?x3xf16>, %f: tensor<3x3x3x8xf16>) -> tensor<?x?x?x8xf32> {
  %0 = vm.conv2d %i, %f : (tensor<?x?x?x3xf16>, tensor<3x3x3x8xf16>) -> tensor<?x?x?x8xf32>
  return %0 : tensor<?x?x?x8xf32>
}

// f16 -> f16 conv: f32 accumulator, one rounding.
// CHECK-LABEL: func.func @conv2d_f16(
//       CHECK: %[[ACC:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x3x3x2xf32>)
//       CHECK: %[[C:.+]] = linalg.conv_2d_nhwc_hwcf {{.+}} ins(%{{.+}}, %{{.+}} : tensor<1x4x4x3xf16>, tensor<2x2x3x2xf16>) outs(%[[ACC]] : tensor<1x3x3x2xf32>)
//       CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#[[ID4]], #[[ID4]]]
//  CHECK-SAME:   ins(%[[C]] : tensor<1x3x3x2xf32>) outs(%{{.+}} : tensor<1x3x3x2xf16>)
//       CHECK:   arith.truncf %{{.+}} : f32 to f16
//       CHECK: return %[[R]]
func.func @conv2d_f16(%i: tensor<1x4x4x3xf16>, %f: tensor<2x2x3x2xf16>) -> tensor<1x3x3x2xf16> {
  %0 = vm.conv2d %i, %f : (tensor<1x4x4x3xf16>, tensor<2x2x3x2xf16>) -> tensor<1x3x3x2xf16>
  return %0 : tensor<1x3x3x2xf16>
}

//===----------------------------------------------------------------------===//
// pool2d: a linalg.generic over (n, oh, ow, c, kh, kw) with a window-shaped
// dummy operand.
//===----------------------------------------------------------------------===//

// max: starts from NaN (which loses to any number, so an all-NaN window
// stays NaN; the input is not empty here, so no window is), combines with
// the NaN rule, no padding.
// CHECK-LABEL: func.func @pool_max(
//  CHECK-SAME: %[[I:.+]]: tensor<1x8x8x4xf32>)
//   CHECK-NOT: 0xFF800000
//       CHECK: %[[NAN:.+]] = arith.constant 0x7FC00000 : f32
//   CHECK-NOT: tensor.pad
//       CHECK: %[[ACC:.+]] = linalg.fill ins(%[[NAN]] : f32) outs(%{{.+}} : tensor<1x4x4x4xf32>)
//       CHECK: %[[W:.+]] = tensor.empty() : tensor<2x2xf32>
//       CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#[[POOL_IN]], #[[WIN]], #[[POOL_OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
//  CHECK-SAME:   ins(%[[I]], %[[W]] : tensor<1x8x8x4xf32>, tensor<2x2xf32>) outs(%[[ACC]] : tensor<1x4x4x4xf32>)
//  CHECK-NEXT: ^bb0(%[[X:.+]]: f32, %{{.+}}: f32, %[[OUT:.+]]: f32):
//  CHECK-NEXT:   %[[AB:.+]] = arith.bitcast %[[OUT]] : f32 to i32
//  CHECK-NEXT:   %[[XB:.+]] = arith.bitcast %[[X]] : f32 to i32
//  CHECK-NEXT:   %[[TB:.+]] = arith.andi %[[AB]], %[[XB]] : i32
//  CHECK-NEXT:   %[[TIE:.+]] = arith.bitcast %[[TB]] : i32 to f32
//  CHECK-NEXT:   %[[RW:.+]] = arith.cmpf olt, %[[OUT]], %[[X]] : f32
//  CHECK-NEXT:   %[[R1:.+]] = arith.select %[[RW]], %[[X]], %[[TIE]] : f32
//  CHECK-NEXT:   %[[LW:.+]] = arith.cmpf ogt, %[[OUT]], %[[X]] : f32
//  CHECK-NEXT:   %[[M:.+]] = arith.select %[[LW]], %[[OUT]], %[[R1]] : f32
//  CHECK-NEXT:   %[[ON:.+]] = arith.cmpf uno, %[[OUT]], %[[OUT]] : f32
//  CHECK-NEXT:   %[[S1:.+]] = arith.select %[[ON]], %[[X]], %[[M]] : f32
//  CHECK-NEXT:   %[[XN:.+]] = arith.cmpf uno, %[[X]], %[[X]] : f32
//  CHECK-NEXT:   %[[S2:.+]] = arith.select %[[XN]], %[[OUT]], %[[S1]] : f32
//  CHECK-NEXT:   linalg.yield %[[S2]] : f32
//       CHECK: return %[[R]]
func.func @pool_max(%i: tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32> {
  %0 = vm.pool2d %i {kind = "max", window = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x8x4xf32> -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// Float max with padding and a dynamic H: padded with NaN, so padding never
// wins (not even over a window of NaNs); the accumulator starts from NaN,
// or from -inf (the empty max) when H * W == 0 and no window holds an input
// element.
// CHECK-LABEL: func.func @pool_max_pad_dynamic(
//  CHECK-SAME: %[[I:.+]]: tensor<1x?x4x2xf16>)
//       CHECK: %[[H:.+]] = tensor.dim %[[I]], %{{.+}} : tensor<1x?x4x2xf16>
//       CHECK: %[[NINF:.+]] = arith.constant 0xFC00 : f16
//       CHECK: %[[NAN:.+]] = arith.constant 0x7E00 : f16
//       CHECK: %[[HW:.+]] = arith.muli %[[H]], %{{.+}} : index
//       CHECK: %[[EMPTY:.+]] = arith.cmpi eq, %[[HW]], %{{.+}} : index
//       CHECK: %[[INIT:.+]] = arith.select %[[EMPTY]], %[[NINF]], %[[NAN]] : f16
//       CHECK: %[[P:.+]] = tensor.pad %[[I]] low[0, 1, 1, 0] high[0, 1, 1, 0]
//       CHECK:   tensor.yield %[[NAN]] : f16
//       CHECK: %[[ACC:.+]] = linalg.fill ins(%[[INIT]] : f16)
//       CHECK: linalg.generic {{.+}} ins(%[[P]], %{{.+}} : tensor<1x?x6x2xf16>, tensor<3x3xf16>) outs(%[[ACC]] : tensor<1x?x4x2xf16>)
func.func @pool_max_pad_dynamic(%i: tensor<1x?x4x2xf16>) -> tensor<1x?x4x2xf16> {
  %0 = vm.pool2d %i {kind = "max", window = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x?x4x2xf16> -> tensor<1x?x4x2xf16>
  return %0 : tensor<1x?x4x2xf16>
}

// Integer max with padding: padded with MIN, so padding never wins.
// CHECK-LABEL: func.func @pool_max_pad_int(
//  CHECK-SAME: %[[I:.+]]: tensor<1x4x4x1xi8>)
//       CHECK: %[[MIN:.+]] = arith.constant -128 : i8
//       CHECK: %[[P:.+]] = tensor.pad %[[I]] low[0, 1, 1, 0] high[0, 1, 1, 0]
//       CHECK:   tensor.yield %[[MIN]] : i8
//       CHECK: linalg.fill ins(%[[MIN]] : i8)
//       CHECK: linalg.generic {{.+}} ins(%[[P]], %{{.+}} : tensor<1x6x6x1xi8>, tensor<3x3xi8>)
//       CHECK:   arith.maxsi
func.func @pool_max_pad_int(%i: tensor<1x4x4x1xi8>) -> tensor<1x4x4x1xi8> {
  %0 = vm.pool2d %i {kind = "max", window = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x4x4x1xi8> -> tensor<1x4x4x1xi8>
  return %0 : tensor<1x4x4x1xi8>
}

// avg: sum over the zero-padded input, then divide by the number of window
// elements inside the input: (min(o*s - pad + K, H) - max(o*s - pad, 0)) per
// spatial dim.
// CHECK-LABEL: func.func @pool_avg(
//  CHECK-SAME: %[[I:.+]]: tensor<1x8x8x4xf32>)
//       CHECK: %[[Z:.+]] = arith.constant 0.000000e+00 : f32
//       CHECK: %[[P:.+]] = tensor.pad %[[I]] low[0, 1, 1, 0] high[0, 1, 1, 0]
//       CHECK:   tensor.yield %[[Z]] : f32
//       CHECK: %[[OUTE:.+]] = tensor.empty() : tensor<1x8x8x4xf32>
//       CHECK: %[[ACC:.+]] = linalg.fill ins(%[[Z]] : f32) outs(%[[OUTE]] : tensor<1x8x8x4xf32>)
//       CHECK: %[[SUM:.+]] = linalg.generic {indexing_maps = [#[[POOL_IN1]], #[[WIN]], #[[POOL_OUT]]]
//  CHECK-SAME:   ins(%[[P]], %{{.+}} : tensor<1x10x10x4xf32>, tensor<3x3xf32>) outs(%[[ACC]] : tensor<1x8x8x4xf32>)
//  CHECK-NEXT: ^bb0(%[[X:.+]]: f32, %{{.+}}: f32, %[[OUT:.+]]: f32):
//  CHECK-NEXT:   %[[S:.+]] = arith.addf %[[OUT]], %[[X]] : f32
//  CHECK-NEXT:   linalg.yield %[[S]] : f32
//       CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#[[ID4]], #[[ID4]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
//  CHECK-SAME:   ins(%[[SUM]] : tensor<1x8x8x4xf32>)
//  CHECK-NEXT: ^bb0(%[[V:.+]]: f32, %{{.+}}: f32):
//       CHECK:   %[[OH:.+]] = linalg.index 1 : index
//       CHECK:   %[[STARTH:.+]] = arith.subi %{{.+}}, %{{.+}} : index
//       CHECK:   %[[ENDH:.+]] = arith.addi %[[STARTH]], %{{.+}} : index
//       CHECK:   %[[CENDH:.+]] = arith.minsi %[[ENDH]], %{{.+}} : index
//       CHECK:   %[[CSTARTH:.+]] = arith.maxsi %[[STARTH]], %{{.+}} : index
//       CHECK:   arith.subi %[[CENDH]], %[[CSTARTH]] : index
//       CHECK:   %[[OW:.+]] = linalg.index 2 : index
//       CHECK:   arith.minsi
//       CHECK:   arith.maxsi
//       CHECK:   %[[COUNT:.+]] = arith.muli %{{.+}}, %{{.+}} : index
//       CHECK:   %[[CI:.+]] = arith.index_cast %[[COUNT]] : index to i64
//       CHECK:   %[[CF:.+]] = arith.sitofp %[[CI]] : i64 to f32
//       CHECK:   %[[AVG:.+]] = arith.divf %[[V]], %[[CF]] : f32
//       CHECK:   linalg.yield %[[AVG]] : f32
//       CHECK: return %[[R]]
func.func @pool_avg(%i: tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32> {
  %0 = vm.pool2d %i {kind = "avg", window = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x8x8x4xf32> -> tensor<1x8x8x4xf32>
  return %0 : tensor<1x8x8x4xf32>
}

// avg on f16: the window sums in f32, the division is done in f32 and
// rounded once.
// CHECK-LABEL: func.func @pool_avg_f16(
//       CHECK: %[[Z:.+]] = arith.constant 0.000000e+00 : f32
//       CHECK: %[[ACC:.+]] = linalg.fill ins(%[[Z]] : f32) outs(%{{.+}} : tensor<1x2x2x2xf32>)
//       CHECK: %[[SUM:.+]] = linalg.generic {{.+}} outs(%[[ACC]] : tensor<1x2x2x2xf32>)
//  CHECK-NEXT: ^bb0(%[[X:.+]]: f16, %{{.+}}: f16, %[[OUT:.+]]: f32):
//  CHECK-NEXT:   %[[WX:.+]] = arith.extf %[[X]] : f16 to f32
//  CHECK-NEXT:   %[[S:.+]] = arith.addf %[[OUT]], %[[WX]] : f32
//  CHECK-NEXT:   linalg.yield %[[S]] : f32
//       CHECK: linalg.generic {indexing_maps = [#[[ID4]], #[[ID4]]]
//  CHECK-SAME:   ins(%[[SUM]] : tensor<1x2x2x2xf32>)
//  CHECK-NEXT: ^bb0(%[[V:.+]]: f32, %{{.+}}: f16):
//       CHECK:   %[[D:.+]] = arith.divf %[[V]], %{{.+}} : f32
//       CHECK:   %[[R:.+]] = arith.truncf %[[D]] : f32 to f16
//       CHECK:   %[[DNAN:.+]] = arith.cmpf uno, %[[D]], %[[D]] : f32
//  CHECK-NEXT:   %[[C:.+]] = arith.select %[[DNAN]], %{{.+}}, %[[R]] : f16
//  CHECK-NEXT:   linalg.yield %[[C]] : f16
func.func @pool_avg_f16(%i: tensor<1x4x4x2xf16>) -> tensor<1x2x2x2xf16> {
  %0 = vm.pool2d %i {kind = "avg", window = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x4x4x2xf16> -> tensor<1x2x2x2xf16>
  return %0 : tensor<1x2x2x2xf16>
}

// avg on integers: strides (2, 3) in the input map; signed division by the
// count in i64 (a count beyond i8 stays exact); an empty window (count 0,
// only when H or W is 0) gives all ones, as vm.div by 0 does.
// CHECK-LABEL: func.func @pool_avg_int(
//       CHECK: %[[Z:.+]] = arith.constant 0 : i8
//       CHECK: tensor.pad %{{.+}} low[0, 1, 0, 0] high[0, 0, 1, 0]
//       CHECK:   tensor.yield %[[Z]] : i8
//       CHECK: linalg.generic {indexing_maps = [#[[POOL_IN23]], #[[WIN]], #[[POOL_OUT]]]
//  CHECK-SAME:   tensor<2x7x7x1xi8>, tensor<3x4xi8>
//       CHECK:   arith.addi
//       CHECK: linalg.generic {indexing_maps = [#[[ID4]], #[[ID4]]]
//  CHECK-NEXT: ^bb0(%[[V:.+]]: i8, %{{.+}}: i8):
//       CHECK:   %[[C:.+]] = arith.index_cast %{{.+}} : index to i64
//       CHECK:   %[[EMPTY:.+]] = arith.cmpi eq, %[[C]], %{{.+}} : i64
//       CHECK:   %[[DIV:.+]] = arith.select %[[EMPTY]], %{{.+}}, %[[C]] : i64
//       CHECK:   %[[W:.+]] = arith.extsi %[[V]] : i8 to i64
//       CHECK:   %[[Q:.+]] = arith.divsi %[[W]], %[[DIV]] : i64
//       CHECK:   %[[Q8:.+]] = arith.trunci %[[Q]] : i64 to i8
//       CHECK:   %[[ONES:.+]] = arith.constant -1 : i8
//       CHECK:   %[[R:.+]] = arith.select %[[EMPTY]], %[[ONES]], %[[Q8]] : i8
//       CHECK:   linalg.yield %[[R]] : i8
func.func @pool_avg_int(%q: tensor<2x6x6x1xi8>) -> tensor<2x3x2x1xi8> {
  %0 = vm.pool2d %q {kind = "avg", window = array<i64: 3, 4>, strides = array<i64: 2, 3>, padding = array<i64: 1, 0, 0, 1>} : tensor<2x6x6x1xi8> -> tensor<2x3x2x1xi8>
  return %0 : tensor<2x3x2x1xi8>
}
