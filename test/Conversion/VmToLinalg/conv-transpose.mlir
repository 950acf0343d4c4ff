// RUN: vm-gpu-opt %s --vm-to-linalg | FileCheck %s

// vm.conv_transpose2d becomes a stride-1 convolution (same dilation) of the
// input spread out by the stride and framed, with the filter flipped: the
// spread input reads the input padded by one zero row and column, at the
// position or at that padding.

// CHECK-LABEL: func.func @stride2
//  CHECK-SAME: (%[[X:.+]]: tensor<1x3x4x2xf32>, %[[W:.+]]: tensor<3x3x2x5xf32>)
//       CHECK: %[[P:.+]] = tensor.pad %[[X]] low[0, 0, 0, 0] high[0, 1, 1, 0]
//       CHECK: } : tensor<1x3x4x2xf32> to tensor<1x4x5x2xf32>
//       CHECK: %[[S:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<1x8x10x2xf32>)
//       CHECK:   arith.remsi
//       CHECK:   arith.divsi
//       CHECK:   tensor.extract %[[P]]
//       CHECK: %[[F:.+]] = linalg.generic {{.+}} outs(%{{.+}} : tensor<3x3x2x5xf32>)
//       CHECK:   tensor.extract %[[W]]
//       CHECK: linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[S]], %[[F]] : tensor<1x8x10x2xf32>, tensor<3x3x2x5xf32>) outs(%{{.+}} : tensor<1x6x8x5xf32>)
func.func @stride2(%x: tensor<1x3x4x2xf32>, %w: tensor<3x3x2x5xf32>) -> tensor<1x6x8x5xf32> {
  %0 = vm.conv_transpose2d %x, %w {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, output_padding = array<i64: 1, 1>} : (tensor<1x3x4x2xf32>, tensor<3x3x2x5xf32>) -> tensor<1x6x8x5xf32>
  return %0 : tensor<1x6x8x5xf32>
}

// Dynamic sizes: the output size is checked to be at least 1 at run time.
// CHECK-LABEL: func.func @dynamic
//       CHECK: cf.assert %{{.+}}, "'vm.conv_transpose2d' at {{.+}}: the output size in spatial dimension 0 is below 1"
//       CHECK: linalg.conv_2d_nhwc_hwcf {dilations = dense<[2, 1]> : tensor<2xi64>
func.func @dynamic(%x: tensor<1x?x?x2xf32>, %w: tensor<3x3x2x5xf32>) -> tensor<1x?x?x5xf32> {
  %0 = vm.conv_transpose2d %x, %w {dilations = array<i64: 2, 1>} : (tensor<1x?x?x2xf32>, tensor<3x3x2x5xf32>) -> tensor<1x?x?x5xf32>
  return %0 : tensor<1x?x?x5xf32>
}
