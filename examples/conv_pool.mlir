// A convolutional block on one 16x16 RGB image (NHWC): a 3x3 convolution to
// 8 channels with "same" zero padding, relu, then 2x2 max pooling.
//
// The filter is HWCF (height, width, input channels, output channels). The
// output height is (H + pad_top + pad_bottom - dilation * (KH - 1) - 1) /
// stride + 1 = (16 + 1 + 1 - 2 - 1) / 1 + 1 = 16. strides and dilations
// default to [1, 1] and padding to [0, 0, 0, 0] when left out.

func.func @main(%image: tensor<1x16x16x3xf32>, %filter: tensor<3x3x3x8xf32>)
    -> tensor<1x8x8x8xf32> {
  %conv = vm.conv2d %image, %filter {padding = array<i64: 1, 1, 1, 1>}
      : (tensor<1x16x16x3xf32>, tensor<3x3x3x8xf32>) -> tensor<1x16x16x8xf32>
  %act = vm.relu %conv : tensor<1x16x16x8xf32>
  %pooled = vm.pool2d %act {kind = "max", window = array<i64: 2, 2>,
                            strides = array<i64: 2, 2>}
      : tensor<1x16x16x8xf32> -> tensor<1x8x8x8xf32>
  return %pooled : tensor<1x8x8x8xf32>
}
