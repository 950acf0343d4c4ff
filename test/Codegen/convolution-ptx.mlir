// A convolution on the GPU is an im2col copy (an elementwise kernel) and a
// matmul on the contraction strategies (vm-gpu-convolutions-to-contractions):
// f16 on tensor cores with the rounding to f16 as the product's epilogue,
// f32 on tiled SIMT, on NVIDIA and AMD. 64 filters take 64-wide block tiles
// (a 128-wide tile would be half empty).
// REQUIRES: nvptx, amdgpu
// RUN: vm-gpu-opt %s --vm-to-nvvm="chip=sm_90a format=isa" --mlir-disable-threading --mlir-print-ir-after=vm-gpu-select-lowering-config -o /dev/null 2>&1 | FileCheck %s --check-prefix=CONFIG
// RUN: vm-gpu-opt %s --vm-to-nvvm="chip=sm_90a format=isa" | sed -e 's/\\0A/\n/g' -e 's/\\09/ /g' | FileCheck %s --check-prefix=PTX
// RUN: vm-gpu-opt %s --vm-to-rocdl="chip=gfx942 format=isa" --mlir-disable-threading --mlir-print-ir-after=vm-gpu-select-lowering-config -o /dev/null 2>&1 | FileCheck %s --check-prefix=ROCM

// CONFIG-LABEL: func.func @conv_f16(
//   CONFIG-NOT: linalg.conv_2d
//       CONFIG: linalg.generic {{.*}} outs(%{{.+}} : memref<4x54x54x3x3x64xf16>) attrs = {vmgpu.lowering_config = {class = "elementwise"{{.*}}strategy = "vectorized_elementwise"
//       CONFIG: linalg.fill
//  CONFIG-NEXT: linalg.matmul {vmgpu.lowering_config = {cache_tiles = array<i64: 64, 64, 32>{{.*}}strategy = "mma_sync"{{.*}} ins(%{{.+}}, %{{.+}} : memref<11664x576xf16>, memref<576x64xf16>) outs(%{{.+}} : memref<11664x64xf32>)
//  CONFIG-NEXT: memref.alloc() {{.*}} : memref<4x54x54x64xf16>
//  CONFIG-NEXT: memref.collapse_shape
//  CONFIG-NEXT: linalg.generic {{.*}} ins(%{{.+}} : memref<11664x64xf32>) outs(%{{.+}} : memref<11664x64xf16>)
// ROCM-LABEL: func.func @conv_f16(
//       ROCM: linalg.matmul {{.*}}strategy = "tiled_simt"
// One kernel: the product reads its A tiles from the input itself (an
// implicit GEMM: the im2col copy goes, 16-byte cp.async of 8 channels at
// a time), and rounds to f16 in its epilogue.
//       PTX: .entry conv_f16_kernel(
//   PTX-NOT: st.global.v4
//       PTX: cp.async.cg.shared.global
//       PTX: ldmatrix.sync.aligned.m8n8.x4.shared.b16
//       PTX: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
//       PTX: cvt.rn.f16.f32
//   PTX-NOT: .entry conv_f16_kernel
func.func @conv_f16(%i: tensor<4x56x56x64xf16>, %f: tensor<3x3x64x64xf16>) -> tensor<4x54x54x64xf16> {
  %0 = vm.conv2d %i, %f : (tensor<4x56x56x64xf16>, tensor<3x3x64x64xf16>) -> tensor<4x54x54x64xf16>
  return %0 : tensor<4x54x54x64xf16>
}

// f16 with padding, as in a ResNet layer: still one kernel. The padded
// copy of the input goes too: the product reads the input where the
// window lies in it and zero-fills the rest of the chunk (cp.async of zero
// bytes).
// CONFIG-LABEL: func.func @conv_f16_pad(
//       CONFIG: linalg.map outs(%{{.+}} : memref<2x10x10x32xf16>)
//       CONFIG: linalg.copy
//       CONFIG: linalg.generic {{.*}} outs(%{{.+}} : memref<2x8x8x3x3x32xf16>)
//       CONFIG: linalg.matmul {{.*}}strategy = "mma_sync"
//       PTX: .entry conv_f16_pad_kernel(
//   PTX-NOT: .entry
//       PTX: cp.async.cg.shared.global
//       PTX: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
//   PTX-NOT: .entry conv_f16_pad_kernel
func.func @conv_f16_pad(%i: tensor<2x8x8x32xf16>, %f: tensor<3x3x32x16xf16>) -> tensor<2x8x8x16xf32> {
  %0 = vm.conv2d %i, %f {padding = array<i64: 1, 1, 1, 1>} : (tensor<2x8x8x32xf16>, tensor<3x3x32x16xf16>) -> tensor<2x8x8x16xf32>
  return %0 : tensor<2x8x8x16xf32>
}

// Padding, stride 2, f32: tiled SIMT, one kernel reading the input itself
// (5 channels: element by element, zero in the padding).
//       PTX: .entry conv_f32_pad_stride2_kernel(
//   PTX-NOT: .entry
//       PTX: fma.rn.f32
//   PTX-NOT: .entry conv_f32_pad_stride2_kernel
// CONFIG-LABEL: func.func @conv_f32_pad_stride2(
//       CONFIG: linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 * 2 + d3, d2 * 2 + d4, d5)>
//       CONFIG: linalg.matmul {{.*}}strategy = "tiled_simt"{{.*}} ins(%{{.+}}, %{{.+}} : memref<180x45xf32>, memref<45x7xf32>)
// ROCM-LABEL: func.func @conv_f32_pad_stride2(
//       ROCM: linalg.matmul {{.*}}strategy = "tiled_simt"
func.func @conv_f32_pad_stride2(%i: tensor<2x17x19x5xf32>, %f: tensor<3x3x5x7xf32>) -> tensor<2x9x10x7xf32> {
  %0 = vm.conv2d %i, %f {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : (tensor<2x17x19x5xf32>, tensor<3x3x5x7xf32>) -> tensor<2x9x10x7xf32>
  return %0 : tensor<2x9x10x7xf32>
}

// A 1x1 filter: one kernel, the product reading the input itself.
// CONFIG-LABEL: func.func @conv_1x1_f16(
//   CONFIG-NOT: memref<2x8x8x1x1x32xf16>
//       CONFIG: linalg.matmul {{.*}}strategy = "mma_sync"{{.*}} ins(%{{.+}}, %{{.+}} : memref<128x32xf16>, memref<32x16xf16>)
//       PTX: .entry conv_1x1_f16_kernel(
//       PTX: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
//   PTX-NOT: .entry conv_1x1_f16_kernel
func.func @conv_1x1_f16(%i: tensor<2x8x8x32xf16>, %f: tensor<1x1x32x16xf16>) -> tensor<2x8x8x16xf16> {
  %0 = vm.conv2d %i, %f : (tensor<2x8x8x32xf16>, tensor<1x1x32x16xf16>) -> tensor<2x8x8x16xf16>
  return %0 : tensor<2x8x8x16xf16>
}
