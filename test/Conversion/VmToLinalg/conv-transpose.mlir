// RUN: vm-gpu-opt %s --vm-to-linalg | FileCheck %s

// With static spatial sizes, vm.conv_transpose2d becomes one stride-1
// convolution per output phase (ConvTransposePhases.cpp). Along each dim of
// @stride2 (stride 2, pad 1, K = 3): the even outputs take tap 1 from input
// row q (flipped filter tap 1), the odd ones taps 2 and 0 from rows q and
// q + 1 (flipped taps 0 and 2, every second one): one zero row and column
// of padding after the input. Each phase's result lands at its offset with
// stride 2; every output is written once, so the result starts empty.

// CHECK-LABEL: func.func @stride2
//  CHECK-SAME: (%[[X:.+]]: tensor<1x3x4x2xf32>, %[[W:.+]]: tensor<3x3x2x5xf32>)
//       CHECK: %[[P:.+]] = tensor.pad %[[X]] low[0, 0, 0, 0] high[0, 1, 1, 0]
//       CHECK: } : tensor<1x3x4x2xf32> to tensor<1x4x5x2xf32>
//       CHECK: %[[F:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<3x3x2x5xf32>)
//       CHECK:   tensor.extract %[[W]]
//       CHECK: %[[E:.+]] = tensor.empty() : tensor<1x6x8x5xf32>
//   CHECK-NOT: linalg.generic
//       CHECK: %[[X00:.+]] = tensor.extract_slice %[[P]][0, 0, 0, 0] [1, 3, 4, 2] [1, 1, 1, 1]
//       CHECK: %[[W00:.+]] = tensor.extract_slice %[[F]][1, 1, 0, 0] [1, 1, 2, 5] [2, 2, 1, 1]
//       CHECK: %[[C00:.+]] = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[X00]], %[[W00]] : {{.+}}) outs(%{{.+}} : tensor<1x3x4x5xf32>)
//       CHECK: %[[R00:.+]] = tensor.insert_slice %[[C00]] into %[[E]][0, 0, 0, 0] [1, 3, 4, 5] [1, 2, 2, 1]
//       CHECK: tensor.extract_slice %[[F]][1, 0, 0, 0] [1, 2, 2, 5] [2, 2, 1, 1]
//       CHECK: %[[R01:.+]] = tensor.insert_slice %{{.+}} into %[[R00]][0, 0, 1, 0] [1, 3, 4, 5] [1, 2, 2, 1]
//       CHECK: tensor.extract_slice %[[F]][0, 1, 0, 0] [2, 1, 2, 5] [2, 2, 1, 1]
//       CHECK: %[[R10:.+]] = tensor.insert_slice %{{.+}} into %[[R01]][0, 1, 0, 0] [1, 3, 4, 5] [1, 2, 2, 1]
//       CHECK: %[[X11:.+]] = tensor.extract_slice %[[P]][0, 0, 0, 0] [1, 4, 5, 2] [1, 1, 1, 1]
//       CHECK: %[[W11:.+]] = tensor.extract_slice %[[F]][0, 0, 0, 0] [2, 2, 2, 5] [2, 2, 1, 1]
//       CHECK: %[[C11:.+]] = linalg.conv_2d_nhwc_hwcf {{.+}} ins(%[[X11]], %[[W11]] : tensor<1x4x5x2xf32>, tensor<2x2x2x5xf32>)
//       CHECK: %[[R11:.+]] = tensor.insert_slice %[[C11]] into %[[R10]][0, 1, 1, 0] [1, 3, 4, 5] [1, 2, 2, 1]
//       CHECK: return %[[R11]]
func.func @stride2(%x: tensor<1x3x4x2xf32>, %w: tensor<3x3x2x5xf32>) -> tensor<1x6x8x5xf32> {
  %0 = vm.conv_transpose2d %x, %w {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, output_padding = array<i64: 1, 1>} : (tensor<1x3x4x2xf32>, tensor<3x3x2x5xf32>) -> tensor<1x6x8x5xf32>
  return %0 : tensor<1x6x8x5xf32>
}

// Stride 3 with a 2-tap filter: output rows 2 mod 3 take no tap, so the
// result starts as zeros and 2 x 1 phases are computed (the columns have
// stride 1: one phase, the whole flipped filter, one row of padding on
// each side).
// CHECK-LABEL: func.func @empty_phase
//       CHECK: %[[Z:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<1x6x3x4xf32>)
// CHECK-COUNT-2: linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%{{.+}}, %{{.+}} : tensor<1x2x4x2xf32>, tensor<1x2x2x4xf32>)
//   CHECK-NOT: linalg.conv_2d_nhwc_hwcf
//       CHECK: return
func.func @empty_phase(%x: tensor<1x2x2x2xf32>, %w: tensor<2x2x2x4xf32>) -> tensor<1x6x3x4xf32> {
  %0 = vm.conv_transpose2d %x, %w {strides = array<i64: 3, 1>, output_padding = array<i64: 1, 0>} : (tensor<1x2x2x2xf32>, tensor<2x2x2x4xf32>) -> tensor<1x6x3x4xf32>
  return %0 : tensor<1x6x3x4xf32>
}

// More phases than are spelled out (9 x 9): the spread form.
// CHECK-LABEL: func.func @many_phases
//       CHECK: linalg.generic {{.+}} outs(%{{.+}} : tensor<1x26x26x1xf32>)
//       CHECK:   arith.remsi
//       CHECK: linalg.conv_2d_nhwc_hwcf
//   CHECK-NOT: linalg.conv_2d_nhwc_hwcf
func.func @many_phases(%x: tensor<1x2x2x1xf32>, %w: tensor<9x9x1x2xf32>) -> tensor<1x18x18x2xf32> {
  %0 = vm.conv_transpose2d %x, %w {strides = array<i64: 9, 9>} : (tensor<1x2x2x1xf32>, tensor<9x9x1x2xf32>) -> tensor<1x18x18x2xf32>
  return %0 : tensor<1x18x18x2xf32>
}

// The spread form (dynamic sizes): the input spread out by the stride and
// framed, a stride-1 convolution (same dilation) with the filter flipped;
// the spread input reads the input padded by one zero row and column, at
// the position or at that padding.
// Dynamic sizes: the output size is checked to be at least 1 at run time.
// CHECK-LABEL: func.func @dynamic
//       CHECK: cf.assert %{{.+}}, "'vm.conv_transpose2d' at {{.+}}: the output size in spatial dimension 0 is below 1"
//       CHECK: linalg.conv_2d_nhwc_hwcf {dilations = dense<[2, 1]> : tensor<2xi64>
func.func @dynamic(%x: tensor<1x?x?x2xf32>, %w: tensor<3x3x2x5xf32>) -> tensor<1x?x?x5xf32> {
  %0 = vm.conv_transpose2d %x, %w {dilations = array<i64: 2, 1>} : (tensor<1x?x?x2xf32>, tensor<3x3x2x5xf32>) -> tensor<1x?x?x5xf32>
  return %0 : tensor<1x?x?x5xf32>
}
