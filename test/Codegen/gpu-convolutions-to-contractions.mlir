// vm-gpu-convolutions-to-contractions: a convolution becomes an im2col copy
// in its input's type and a matmul (M = N*OH*OW, N = F, K = KH*KW*C); the
// fill of a fresh accumulator is made again in the matmul's shape, and the
// elementwise op after it is collapsed to read the matmul's result. Those it
// cannot take, or should not, stay as they are.
// RUN: vm-gpu-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(vm-gpu-convolutions-to-contractions))" | FileCheck %s

// CHECK-DAG: #[[WINDOWS:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 + d3, d2 + d4, d5)>
// CHECK-DAG: #[[COLS:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4, d5)>
// CHECK-DAG: #[[ID2:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @conv_f16_to_f32_rounded(
//  CHECK-SAME: %[[X:.+]]: tensor<2x10x12x24xf16>, %[[W:.+]]: tensor<3x3x24x40xf16>)
//   CHECK-NOT: linalg.conv_2d
//       CHECK: %[[EMPTY:.+]] = tensor.empty() : tensor<2x8x10x3x3x24xf16>
//       CHECK: %[[COPY:.+]] = linalg.generic {indexing_maps = [#[[WINDOWS]], #[[COLS]]]
//  CHECK-SAME: ins(%[[X]] : tensor<2x10x12x24xf16>) outs(%[[EMPTY]] : tensor<2x8x10x3x3x24xf16>)
//  CHECK-NEXT: ^bb0(%[[IN:.+]]: f16, %{{.+}}: f16):
//  CHECK-NEXT:   linalg.yield %[[IN]] : f16
//       CHECK: %[[LHS:.+]] = tensor.collapse_shape %[[COPY]] {{\[}}[0, 1, 2], [3, 4, 5]] : tensor<2x8x10x3x3x24xf16> into tensor<160x216xf16>
//       CHECK: %[[RHS:.+]] = tensor.collapse_shape %[[W]] {{\[}}[0, 1, 2], [3]] : tensor<3x3x24x40xf16> into tensor<216x40xf16>
//       CHECK: %[[ALLOC:.+]] = bufferization.alloc_tensor() : tensor<160x40xf32>
//       CHECK: %[[FILL:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%[[ALLOC]] : tensor<160x40xf32>)
//       CHECK: %[[PRODUCT:.+]] = linalg.matmul ins(%[[LHS]], %[[RHS]] : tensor<160x216xf16>, tensor<216x40xf16>) outs(%[[FILL]] : tensor<160x40xf32>)
//       CHECK: %[[ROUND:.+]] = linalg.generic {indexing_maps = [#[[ID2]], #[[ID2]]]{{.*}} ins(%[[PRODUCT]] : tensor<160x40xf32>) outs(%{{.+}} : tensor<160x40xf16>)
//       CHECK:   arith.truncf
//       CHECK: %[[OUT:.+]] = tensor.expand_shape %[[ROUND]] {{\[}}[0, 1, 2], [3]] output_shape [2, 8, 10, 40] : tensor<160x40xf16> into tensor<2x8x10x40xf16>
//       CHECK: return %[[OUT]]
// The 4-D fill and its allocation are gone.
//   CHECK-NOT: tensor<2x8x10x40xf32>
func.func @conv_f16_to_f32_rounded(%x: tensor<2x10x12x24xf16>, %w: tensor<3x3x24x40xf16>) -> tensor<2x8x10x40xf16> {
  %zero = arith.constant 0.0 : f32
  %init = bufferization.alloc_tensor() : tensor<2x8x10x40xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%init : tensor<2x8x10x40xf32>) -> tensor<2x8x10x40xf32>
  %conv = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<2x10x12x24xf16>, tensor<3x3x24x40xf16>) outs(%acc : tensor<2x8x10x40xf32>) -> tensor<2x8x10x40xf32>
  %out = tensor.empty() : tensor<2x8x10x40xf16>
  %round = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%conv : tensor<2x8x10x40xf32>) outs(%out : tensor<2x8x10x40xf16>) {
  ^bb0(%in: f32, %o: f16):
    %t = arith.truncf %in : f32 to f16
    linalg.yield %t : f16
  } -> tensor<2x8x10x40xf16>
  return %round : tensor<2x8x10x40xf16>
}

// -----

// Strides and dilations in the copy's map; i8 stays i8 (the matmul widens).
// CHECK-DAG: #[[WINDOWS:.+]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 * 2 + d3 * 3, d2 + d4 * 2, d5)>
// CHECK-LABEL: func.func @conv_i8_strided_dilated(
//       CHECK: linalg.generic {indexing_maps = [#[[WINDOWS]], {{.+}}]{{.*}} outs(%{{.+}} : tensor<1x3x5x2x2x4xi8>)
//       CHECK: linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<15x16xi8>, tensor<16x6xi8>) outs(%{{.+}} : tensor<15x6xi32>)
func.func @conv_i8_strided_dilated(%x: tensor<1x9x9x4xi8>, %w: tensor<2x2x4x6xi8>, %acc: tensor<1x3x5x6xi32>) -> tensor<1x3x5x6xi32> {
  %conv = linalg.conv_2d_nhwc_hwcf {dilations = dense<[3, 2]> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>}
    ins(%x, %w : tensor<1x9x9x4xi8>, tensor<2x2x4x6xi8>) outs(%acc : tensor<1x3x5x6xi32>) -> tensor<1x3x5x6xi32>
  return %conv : tensor<1x3x5x6xi32>
}

// -----

// A 1x1 filter at unit stride reads its input, collapsed: no copy. An
// accumulator that is not a fresh fill is collapsed as it is.
// CHECK-LABEL: func.func @conv_1x1(
//  CHECK-SAME: %[[X:.+]]: tensor<2x7x5x32xf32>, %[[W:.+]]: tensor<1x1x32x16xf32>, %[[ACC:.+]]: tensor<2x7x5x16xf32>)
//   CHECK-NOT: linalg.generic
//       CHECK: %[[LHS:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1, 2], [3]] : tensor<2x7x5x32xf32> into tensor<70x32xf32>
//       CHECK: %[[RHS:.+]] = tensor.collapse_shape %[[W]]
//       CHECK: %[[C:.+]] = tensor.collapse_shape %[[ACC]] {{\[}}[0, 1, 2], [3]] : tensor<2x7x5x16xf32> into tensor<70x16xf32>
//       CHECK: linalg.matmul ins(%[[LHS]], %[[RHS]] : tensor<70x32xf32>, tensor<32x16xf32>) outs(%[[C]] : tensor<70x16xf32>)
func.func @conv_1x1(%x: tensor<2x7x5x32xf32>, %w: tensor<1x1x32x16xf32>, %acc: tensor<2x7x5x16xf32>) -> tensor<2x7x5x16xf32> {
  %conv = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<2x7x5x32xf32>, tensor<1x1x32x16xf32>) outs(%acc : tensor<2x7x5x16xf32>) -> tensor<2x7x5x16xf32>
  return %conv : tensor<2x7x5x16xf32>
}

// -----

// A 1x1 filter at stride 2 still needs the copy (every other pixel).
// CHECK-LABEL: func.func @conv_1x1_stride2(
//       CHECK: linalg.generic {{.*}} outs(%{{.+}} : tensor<1x4x4x1x1x8xf32>)
//       CHECK: linalg.matmul
func.func @conv_1x1_stride2(%x: tensor<1x8x8x8xf32>, %w: tensor<1x1x8x3xf32>, %acc: tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32> {
  %conv = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%x, %w : tensor<1x8x8x8xf32>, tensor<1x1x8x3xf32>) outs(%acc : tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  return %conv : tensor<1x4x4x3xf32>
}

// -----

// Kept: sizes known only at run time; a configuration written by hand; an
// empty iteration space; f16 accumulated in f16 (no contraction strategy
// takes it); a copy above 4 GiB (64 x 512 x 512 pixels x 3 x 3 x 64 f32 =
// 36 GiB).
// CHECK-LABEL: func.func @kept(
// CHECK-COUNT-5: linalg.conv_2d_nhwc_hwcf
//     CHECK-NOT: linalg.matmul
func.func @kept(%xd: tensor<?x10x10x4xf32>, %wd: tensor<3x3x4x8xf32>, %accd: tensor<?x8x8x8xf32>,
                %x: tensor<1x10x10x4xf32>, %w: tensor<3x3x4x8xf32>, %acc: tensor<1x8x8x8xf32>,
                %xe: tensor<0x10x10x4xf32>, %acce: tensor<0x8x8x8xf32>,
                %xh: tensor<1x10x10x4xf16>, %wh: tensor<3x3x4x8xf16>, %acch: tensor<1x8x8x8xf16>,
                %xb: tensor<64x514x514x64xf32>, %wb: tensor<3x3x64x64xf32>, %accb: tensor<64x512x512x64xf32>)
    -> (tensor<?x8x8x8xf32>, tensor<1x8x8x8xf32>, tensor<0x8x8x8xf32>, tensor<1x8x8x8xf16>, tensor<64x512x512x64xf32>) {
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%xd, %wd : tensor<?x10x10x4xf32>, tensor<3x3x4x8xf32>) outs(%accd : tensor<?x8x8x8xf32>) -> tensor<?x8x8x8xf32>
  %1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>,
                                 vmgpu.lowering_config = {class = "convolution", strategy = "fallback"}}
    ins(%x, %w : tensor<1x10x10x4xf32>, tensor<3x3x4x8xf32>) outs(%acc : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%xe, %w : tensor<0x10x10x4xf32>, tensor<3x3x4x8xf32>) outs(%acce : tensor<0x8x8x8xf32>) -> tensor<0x8x8x8xf32>
  %3 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%xh, %wh : tensor<1x10x10x4xf16>, tensor<3x3x4x8xf16>) outs(%acch : tensor<1x8x8x8xf16>) -> tensor<1x8x8x8xf16>
  %4 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%xb, %wb : tensor<64x514x514x64xf32>, tensor<3x3x64x64xf32>) outs(%accb : tensor<64x512x512x64xf32>) -> tensor<64x512x512x64xf32>
  return %0, %1, %2, %3, %4 : tensor<?x8x8x8xf32>, tensor<1x8x8x8xf32>, tensor<0x8x8x8xf32>, tensor<1x8x8x8xf16>, tensor<64x512x512x64xf32>
}

// -----

// A 1x1 filter at unit stride makes no copy, so no size keeps it: 64 x 512
// x 512 pixels of 64 f32 channels (4 GiB as an im2col copy) become a matmul
// reading the input.
// CHECK-LABEL: func.func @big_1x1(
//   CHECK-NOT: linalg.conv_2d_nhwc_hwcf
//       CHECK: linalg.matmul ins(%{{.+}}, %{{.+}} : tensor<16777216x64xf32>, tensor<64x64xf32>)
func.func @big_1x1(%x: tensor<64x512x512x64xf32>, %w: tensor<1x1x64x64xf32>, %acc: tensor<64x512x512x64xf32>) -> tensor<64x512x512x64xf32> {
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%x, %w : tensor<64x512x512x64xf32>, tensor<1x1x64x64xf32>) outs(%acc : tensor<64x512x512x64xf32>) -> tensor<64x512x512x64xf32>
  return %0 : tensor<64x512x512x64xf32>
}
