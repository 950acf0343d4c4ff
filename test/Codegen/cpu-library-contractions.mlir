// vm-cpu-tile-contractions' `contraction-strategy`: which contractions go to
// the BLAS (strategy `library`: neither packed nor tiled, lowered after
// bufferization) per strategy. f32 and f64 matmuls and batch_matmuls (also
// transposed, and the matmul of an im2col convolution) with `library`; from
// 2^28 multiply-adds, or sizes known only at run time, with `auto` (static
// f32 convolutions are computed in place instead); never with `generated`. Other element types stay tiled; hand-written configurations
// are kept.
// RUN: vm-gpu-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-cpu-tile-contractions{target=avx2 contraction-strategy=library}))" \
// RUN:   | FileCheck %s --check-prefix=LIB
// RUN: vm-gpu-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-cpu-tile-contractions{target=avx2 contraction-strategy=auto}))" \
// RUN:   | FileCheck %s --check-prefix=AUTO
// RUN: vm-gpu-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-cpu-tile-contractions{target=avx2}))" \
// RUN:   | FileCheck %s --check-prefix=GEN

// 256^3 f32 multiply-adds: the BLAS with `library`, unpacked (no copies of
// the operands) and untiled; tiles with `generated` and `auto` (below its
// threshold of 2^28).
// LIB-LABEL: func.func @matmul_256
// LIB-NOT:     bufferization.alloc_tensor
// LIB:         linalg.matmul {vmgpu.lowering_config = {class = "contraction", {{.*}}strategy = "library"
// LIB-NOT:     scf.forall
// AUTO-LABEL: func.func @matmul_256
// AUTO-NOT:     strategy = "library"
// AUTO:         vector.fma
// GEN-LABEL: func.func @matmul_256
// GEN:         scf.forall
// GEN:         vector.fma
// GEN-NOT:     strategy = "library"
func.func @matmul_256(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>,
                      %c: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<256x256xf32>, tensor<256x256xf32>)
                     outs(%c : tensor<256x256xf32>) -> tensor<256x256xf32>
  return %r : tensor<256x256xf32>
}

// -----

// 64 x 64 x 64 = 2^18 multiply-adds, below `auto`'s threshold of 2^28:
// tiled; `library` still takes it.
// LIB-LABEL: func.func @matmul_64
// LIB:         linalg.matmul {{.*}}strategy = "library"
// AUTO-LABEL: func.func @matmul_64
// AUTO-NOT:     strategy = "library"
// AUTO:         vector.fma
func.func @matmul_64(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>,
                     %c: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x64xf32>)
                     outs(%c : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %r : tensor<64x64xf32>
}

// -----

// Exactly 512 x 512 x 1024 = 2^28: `auto` takes it (the threshold is
// inclusive).
// AUTO-LABEL: func.func @matmul_2p28
// AUTO:         linalg.matmul {{.*}}strategy = "library"
func.func @matmul_2p28(%a: tensor<512x1024xf32>, %b: tensor<1024x512xf32>,
                       %c: tensor<512x512xf32>) -> tensor<512x512xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<512x1024xf32>, tensor<1024x512xf32>)
                     outs(%c : tensor<512x512xf32>) -> tensor<512x512xf32>
  return %r : tensor<512x512xf32>
}

// -----

// Sizes known only at run time count as large.
// AUTO-LABEL: func.func @matmul_dynamic
// AUTO:         linalg.matmul {{.*}}strategy = "library"
// GEN-LABEL: func.func @matmul_dynamic
// GEN-NOT:     strategy = "library"
func.func @matmul_dynamic(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>,
                          %c: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<?x?xf32>, tensor<?x?xf32>)
                     outs(%c : tensor<?x?xf32>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// -----

// f64 batch_matmul with a transposed A (vm.batch_matmul transpose_a): dgemm
// with `library`; 12.3M multiply-adds stay tiled with `auto`.
// LIB-LABEL: func.func @batch_matmul_f64_transpose_a
// LIB:         linalg.batch_matmul {{.*}}strategy = "library"
// AUTO-LABEL: func.func @batch_matmul_f64_transpose_a
// AUTO-NOT:     strategy = "library"
// AUTO:         scf.forall
func.func @batch_matmul_f64_transpose_a(%a: tensor<4x96x160xf64>,
                                        %b: tensor<4x96x200xf64>,
                                        %c: tensor<4x160x200xf64>)
    -> tensor<4x160x200xf64> {
  %r = linalg.batch_matmul
      indexing_maps = [affine_map<(b, m, n, k) -> (b, k, m)>,
                       affine_map<(b, m, n, k) -> (b, k, n)>,
                       affine_map<(b, m, n, k) -> (b, m, n)>]
      ins(%a, %b : tensor<4x96x160xf64>, tensor<4x96x200xf64>)
      outs(%c : tensor<4x160x200xf64>) -> tensor<4x160x200xf64>
  return %r : tensor<4x160x200xf64>
}

// -----

// f16 operands into f32, and i32: no BLAS GEMM of those types, so tiled
// with every strategy.
// LIB-LABEL: func.func @other_types
// LIB-NOT:     strategy = "library"
// LIB-COUNT-2: scf.forall
// LIB-NOT:     strategy = "library"
func.func @other_types(%a: tensor<256x256xf16>, %b: tensor<256x256xf16>,
                       %c: tensor<256x256xf32>, %x: tensor<256x256xi32>,
                       %y: tensor<256x256xi32>, %z: tensor<256x256xi32>)
    -> (tensor<256x256xf32>, tensor<256x256xi32>) {
  %r = linalg.matmul ins(%a, %b : tensor<256x256xf16>, tensor<256x256xf16>)
                     outs(%c : tensor<256x256xf32>) -> tensor<256x256xf32>
  %s = linalg.matmul ins(%x, %y : tensor<256x256xi32>, tensor<256x256xi32>)
                     outs(%z : tensor<256x256xi32>) -> tensor<256x256xi32>
  return %r, %s : tensor<256x256xf32>, tensor<256x256xi32>
}

// -----

// A static f32 convolution: with `library` an im2col copy, then its matmul
// goes to the BLAS; `auto` computes it in place whatever its size (9.4M
// multiply-adds here), as `generated` does.
// LIB-LABEL: func.func @conv_f32
// LIB:         linalg.generic
// LIB:         linalg.matmul {{.*}}strategy = "library"
// LIB-NOT:     linalg.conv_2d_nhwc_hwcf
// AUTO-LABEL: func.func @conv_f32
// AUTO-NOT:    linalg.matmul
// AUTO:        scf.forall ({{.+}}) in (2, 16)
// AUTO:        vector.fma
// AUTO-NOT:    linalg.matmul
// AUTO:        return
// GEN-LABEL: func.func @conv_f32
// GEN-NOT:     strategy = "library"
// GEN:         scf.forall ({{.+}}) in (2, 16)
func.func @conv_f32(%input: tensor<2x18x18x32xf32>, %filter: tensor<3x3x32x64xf32>,
                    %init: tensor<2x16x16x64xf32>) -> tensor<2x16x16x64xf32> {
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>,
                                 strides = dense<1> : tensor<2xi64>}
      ins(%input, %filter : tensor<2x18x18x32xf32>, tensor<3x3x32x64xf32>)
      outs(%init : tensor<2x16x16x64xf32>) -> tensor<2x16x16x64xf32>
  return %r : tensor<2x16x16x64xf32>
}

// -----

// A configuration written by hand is kept, whatever the strategy.
// LIB-LABEL: func.func @hand_written
// LIB:         linalg.matmul {vmgpu.lowering_config = {class = "contraction", strategy = "fallback"}}
func.func @hand_written(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>,
                        %c: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %r = linalg.matmul {vmgpu.lowering_config = {class = "contraction", strategy = "fallback"}}
      ins(%a, %b : tensor<256x256xf32>, tensor<256x256xf32>)
      outs(%c : tensor<256x256xf32>) -> tensor<256x256xf32>
  return %r : tensor<256x256xf32>
}

