// vm-cpu-tile-contractions: the configuration chosen per target (cache tiles
// over threads as an scf.forall, K cache tiles, register tiles from the vector
// width), the register tile vectorized to vector.fma with the accumulator tile
// carried in registers across K, partial tiles re-tiled by 1 and vectorized,
// ops the strategy does not take left alone, hand-written configurations kept.
// RUN: vm-gpu-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-cpu-tile-contractions{target=avx2}))" \
// RUN:   | FileCheck %s --check-prefix=AVX2
// RUN: vm-gpu-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-cpu-tile-contractions{target=avx512}))" \
// RUN:   | FileCheck %s --check-prefix=AVX512

// Six-by-sixteen register tile (12 ymm accumulators), 96 x 128 cache tiles over
// threads, K in steps of 256.
// AVX2-LABEL: func.func @matmul_1024
// AVX2: scf.forall ({{.*}}) = (0, 0) to (1024, 1024) step (96, 128)
// AVX2: scf.for {{.*}} step %c256
// AVX2: scf.for {{.*}} step %c6
// AVX2: scf.for {{.*}} step %c16
// AVX2: vector.transfer_read {{.*}} : tensor<6x16xf32>, vector<6x16xf32>
// AVX2: scf.for {{.*}} iter_args({{.*}}) -> (vector<6x16xf32>)
// AVX2-COUNT-6: vector.fma {{.*}} : vector<16xf32>
// AVX2: scf.yield {{.*}} : vector<6x16xf32>
// AVX2: vector.transfer_write {{.*}} : vector<6x16xf32>, tensor<6x16xf32>
// AVX2: scf.forall.in_parallel
// AVX2-NOT: linalg.matmul
// AVX512-LABEL: func.func @matmul_1024
// AVX512: scf.forall ({{.*}}) = (0, 0) to (1024, 1024) step (128, 256)
// AVX512: scf.for {{.*}} step %c256
// AVX512: scf.for {{.*}} step %c8
// AVX512: scf.for {{.*}} step %c32
// AVX512: scf.for {{.*}} iter_args({{.*}}) -> (vector<8x32xf32>)
// AVX512-COUNT-8: vector.fma {{.*}} : vector<32xf32>
func.func @matmul_1024(%a: tensor<1024x1024xf32>, %b: tensor<1024x1024xf32>,
                       %c: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<1024x1024xf32>, tensor<1024x1024xf32>)
                     outs(%c : tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  return %r : tensor<1024x1024xf32>
}

// -----

// Dynamic sizes: the full register tiles are static after peeling; the
// partial rows and columns are tiled by 1 and vectorized as 1 x 16 rows and
// 6 x 1 columns (no masks, no scalar loop nest), each accumulator carried
// across K.
// AVX2-LABEL: func.func @matmul_dynamic
// AVX2: scf.forall ({{.*}}) = (0, 0) to ({{.*}}) step (96, 128)
// AVX2: iter_args({{.*}}) -> (vector<6x16xf32>)
// AVX2-COUNT-6: vector.fma {{.*}} : vector<16xf32>
// AVX2: iter_args({{.*}}) -> (vector<6x1xf32>)
// AVX2: iter_args({{.*}}) -> (vector<1x16xf32>)
// AVX2: vector.fma {{.*}} : vector<16xf32>
// AVX2: iter_args({{.*}}) -> (vector<1x1xf32>)
// AVX2-NOT: linalg.matmul
func.func @matmul_dynamic(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>,
                          %c: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<?x?xf32>, tensor<?x?xf32>)
                     outs(%c : tensor<?x?xf32>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// -----

// Transposed B (vm.matmul transpose_b): same tiles; B's tile is read along
// K. One cache tile covers the matrix: no forall; 64 = 10 x 6 + 4 rows.
// AVX2-LABEL: func.func @matmul_transpose_b
// AVX2-NOT: scf.forall
// AVX2: scf.for {{.*}} = %c0 to %c60 step %c6
// AVX2: iter_args({{.*}}) -> (vector<6x16xf32>)
// AVX2-COUNT-6: vector.fma {{.*}} : vector<16xf32>
// AVX2: iter_args({{.*}}) -> (vector<4x16xf32>)
// AVX2-NOT: linalg.matmul
func.func @matmul_transpose_b(%a: tensor<64x32xf32>, %b: tensor<96x32xf32>,
                              %c: tensor<64x96xf32>) -> tensor<64x96xf32> {
  %r = linalg.matmul
      indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                       affine_map<(m, n, k) -> (n, k)>,
                       affine_map<(m, n, k) -> (m, n)>]
      ins(%a, %b : tensor<64x32xf32>, tensor<96x32xf32>)
      outs(%c : tensor<64x96xf32>) -> tensor<64x96xf32>
  return %r : tensor<64x96xf32>
}

// -----

// batch_matmul: the batch dim is a thread tile of 1.
// AVX2-LABEL: func.func @batch_matmul
// AVX2: scf.forall ({{.*}}) in (3)
// AVX2: iter_args({{.*}}) -> (vector<1x6x16xf32>)
// AVX2-COUNT-6: vector.fma {{.*}} : vector<16xf32>
// AVX2-NOT: linalg.batch_matmul
func.func @batch_matmul(%a: tensor<3x48x20xf32>, %b: tensor<3x20x64xf32>,
                        %c: tensor<3x48x64xf32>) -> tensor<3x48x64xf32> {
  %r = linalg.batch_matmul ins(%a, %b : tensor<3x48x20xf32>, tensor<3x20x64xf32>)
                           outs(%c : tensor<3x48x64xf32>) -> tensor<3x48x64xf32>
  return %r : tensor<3x48x64xf32>
}

// -----

// f16 operands, f32 accumulator: the same 6 x 16 f32 tile; each loaded
// operand vector is widened once (exact), then FMA in f32.
// AVX2-LABEL: func.func @matmul_f16
// AVX2: scf.for {{.*}} = %c0 to %c12 step %c6
// AVX2: scf.for {{.*}} iter_args({{.*}}) -> (vector<6x16xf32>)
// AVX2: arith.extf {{.*}} : vector<6xf16> to vector<6xf32>
// AVX2: arith.extf {{.*}} : vector<16xf16> to vector<16xf32>
// AVX2-COUNT-6: vector.fma {{.*}} : vector<16xf32>
// AVX2-NOT: linalg.matmul
func.func @matmul_f16(%a: tensor<12x8xf16>, %b: tensor<8x16xf16>,
                      %c: tensor<12x16xf32>) -> tensor<12x16xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<12x8xf16>, tensor<8x16xf16>)
                     outs(%c : tensor<12x16xf32>) -> tensor<12x16xf32>
  return %r : tensor<12x16xf32>
}

// -----

// bf16 operands: as f16 (the widening is a shift once arith-expand runs).
// AVX2-LABEL: func.func @matmul_bf16
// AVX2: scf.for {{.*}} iter_args({{.*}}) -> (vector<6x16xf32>)
// AVX2: arith.extf {{.*}} : vector<16xbf16> to vector<16xf32>
// AVX2-COUNT-6: vector.fma {{.*}} : vector<16xf32>
// AVX2-NOT: linalg.matmul
func.func @matmul_bf16(%a: tensor<12x8xbf16>, %b: tensor<8x16xbf16>,
                       %c: tensor<12x16xf32>) -> tensor<12x16xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<12x8xbf16>, tensor<8x16xbf16>)
                     outs(%c : tensor<12x16xf32>) -> tensor<12x16xf32>
  return %r : tensor<12x16xf32>
}

// -----

// i8 -> i32: exact; sign-extended operand vectors, multiply and add (no FMA
// for integers), i32 accumulator tile. (8 columns, fewer than a register
// tile of pair multiply-adds, 16 on AVX2 and 32 on AVX-512: wider i8
// matmuls and batch matmuls take those, cpu-paired-integer-contraction.mlir.)
// AVX2-LABEL: func.func @matmul_i8
// AVX2: scf.for {{.*}} iter_args({{.*}}) -> (vector<1x6x8xi32>)
// AVX2: arith.extsi {{.*}} : vector<8xi8> to vector<8xi32>
// AVX2-COUNT-6: arith.muli {{.*}} : vector<8xi32>
// AVX2-NOT: linalg.batch_matmul
// AVX2-NOT: pair_multiply_add
// AVX512-LABEL: func.func @matmul_i8
// AVX512: iter_args({{.*}}) -> (vector<1x8x8xi32>)
// AVX512-NOT: pair_multiply_add
func.func @matmul_i8(%a: tensor<1x12x8xi8>, %b: tensor<1x8x8xi8>,
                     %c: tensor<1x12x8xi32>) -> tensor<1x12x8xi32> {
  %r = linalg.batch_matmul ins(%a, %b : tensor<1x12x8xi8>, tensor<1x8x8xi8>)
                           outs(%c : tensor<1x12x8xi32>) -> tensor<1x12x8xi32>
  return %r : tensor<1x12x8xi32>
}

// -----

// f64: lanes of 64 bits, so a 6 x 8 tile (two ymm per row).
// AVX2-LABEL: func.func @matmul_f64
// AVX2: scf.for {{.*}} step %c8
// AVX2: scf.for {{.*}} iter_args({{.*}}) -> (vector<6x8xf64>)
// AVX2-COUNT-6: vector.fma {{.*}} : vector<8xf64>
func.func @matmul_f64(%a: tensor<12x8xf64>, %b: tensor<8x16xf64>,
                      %c: tensor<12x16xf64>) -> tensor<12x16xf64> {
  %r = linalg.matmul ins(%a, %b : tensor<12x8xf64>, tensor<8x16xf64>)
                     outs(%c : tensor<12x16xf64>) -> tensor<12x16xf64>
  return %r : tensor<12x16xf64>
}

// -----

// A narrow integer accumulator (i8 x i8 -> i8, wrapping) keeps the fallback.
// AVX2-LABEL: func.func @matmul_i8_to_i8
// AVX2: linalg.matmul {vmgpu.lowering_config = {class = "contraction", max_blocks = 0 : i64, strategy = "fallback"
func.func @matmul_i8_to_i8(%a: tensor<12x8xi8>, %b: tensor<8x16xi8>,
                           %c: tensor<12x16xi8>) -> tensor<12x16xi8> {
  %r = linalg.matmul ins(%a, %b : tensor<12x8xi8>, tensor<8x16xi8>)
                     outs(%c : tensor<12x16xi8>) -> tensor<12x16xi8>
  return %r : tensor<12x16xi8>
}

// -----

// An f32 conv2d is computed in place (no im2col copy): threads over images
// and output rows (strides 2, 1 and dilations 1, 2 in the slices' offsets),
// a register tile of output pixels x filters (5 x 16: OW is 5) whose
// accumulator is carried across the kh, kw and channel loops, each step one
// outer product (a 1-D convolution with a window of one, vectorized).
// AVX2-LABEL: func.func @conv2d
// AVX2-NOT: tensor.collapse_shape
// AVX2: scf.forall ({{.*}}) in (2, 4)
// AVX2: scf.for {{.*}} to %c3 step %c1 iter_args({{.*}}) -> (vector<1x5x16xf32>)
// AVX2: scf.for {{.*}} to %c3 step %c1 iter_args({{.*}}) -> (vector<1x5x16xf32>)
// AVX2: scf.for {{.*}} to %c5 step %c1 iter_args({{.*}}) -> (vector<1x5x16xf32>)
// AVX2-COUNT-5: vector.fma {{.*}} : vector<16xf32>
// AVX2-NOT: linalg.conv_2d_nhwc_hwcf
// AVX2-NOT: linalg.conv_1d
func.func @conv2d(%x: tensor<2x10x12x5xf32>, %w: tensor<3x3x5x16xf32>,
                  %c: tensor<2x4x5x16xf32>) -> tensor<2x4x5x16xf32> {
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<[1, 2]> : tensor<2xi64>,
                                 strides = dense<[2, 1]> : tensor<2xi64>}
      ins(%x, %w : tensor<2x10x12x5xf32>, tensor<3x3x5x16xf32>)
      outs(%c : tensor<2x4x5x16xf32>) -> tensor<2x4x5x16xf32>
  return %r : tensor<2x4x5x16xf32>
}

// -----

// i8 -> i32 conv2d: the im2col copy sign-extends the input once (the
// packing step), the matmul widens the filter's vectors and accumulates
// exactly in i32, a vector of 16 per row.
// AVX2-LABEL: func.func @conv2d_i8
// AVX2: linalg.generic {{.*}} ins({{.*}} : tensor<1x6x6x8xi8>) outs({{.*}} : tensor<1x4x4x3x3x8xi32>)
// AVX2: arith.extsi {{.*}} : i8 to i32
// AVX2: iter_args({{.*}}) -> (vector<6x16xi32>)
// AVX2: arith.extsi {{.*}} : vector<16xi8> to vector<16xi32>
// AVX2-COUNT-6: arith.muli {{.*}} : vector<16xi32>
// AVX2-NOT: linalg.conv_2d_nhwc_hwcf
func.func @conv2d_i8(%x: tensor<1x6x6x8xi8>, %w: tensor<3x3x8x16xi8>,
                     %c: tensor<1x4x4x16xi32>) -> tensor<1x4x4x16xi32> {
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>,
                                 strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x6x6x8xi8>, tensor<3x3x8x16xi8>)
      outs(%c : tensor<1x4x4x16xi32>) -> tensor<1x4x4x16xi32>
  return %r : tensor<1x4x4x16xi32>
}

// -----

// Dynamic sizes keep the convolution (and its loop lowering).
// AVX2-LABEL: func.func @conv2d_dynamic
// AVX2: linalg.conv_2d_nhwc_hwcf
func.func @conv2d_dynamic(%x: tensor<?x?x?x5xf32>, %w: tensor<3x3x5x16xf32>,
                          %c: tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32> {
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>,
                                 strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<?x?x?x5xf32>, tensor<3x3x5x16xf32>)
      outs(%c : tensor<?x?x?x16xf32>) -> tensor<?x?x?x16xf32>
  return %r : tensor<?x?x?x16xf32>
}

// -----

// The packing step (M, N >= 64): both operands are copied; rows of 1024 and
// 512 bytes (multiples of 512: they alias in L1) get 16 floats more, and the
// contraction is a linalg.generic reading views of the copies.
// AVX2-LABEL: func.func @packed_f32
// AVX2: %[[ABUF:.*]] = bufferization.alloc_tensor() : tensor<64x272xf32>
// AVX2: %[[AVIEW:.*]] = tensor.extract_slice %[[ABUF]][0, 0] [64, 256] [1, 1]
// AVX2: %[[A:.*]] = linalg.copy {{.*}} outs(%[[AVIEW]] : tensor<64x256xf32>)
// AVX2: %[[BBUF:.*]] = bufferization.alloc_tensor() : tensor<256x144xf32>
// AVX2: %[[BVIEW:.*]] = tensor.extract_slice %[[BBUF]][0, 0] [256, 128] [1, 1]
// AVX2: %[[B:.*]] = linalg.copy {{.*}} outs(%[[BVIEW]] : tensor<256x128xf32>)
// AVX2: scf.for
// AVX2: tensor.extract_slice %[[A]]
// AVX2: tensor.extract_slice %[[B]]
// AVX2-COUNT-6: vector.fma {{.*}} : vector<16xf32>
func.func @packed_f32(%a: tensor<64x256xf32>, %b: tensor<256x128xf32>,
                      %c: tensor<64x128xf32>) -> tensor<64x128xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<64x256xf32>, tensor<256x128xf32>)
                     outs(%c : tensor<64x128xf32>) -> tensor<64x128xf32>
  return %r : tensor<64x128xf32>
}

// -----

// f16 operands are converted to f32 in their copies (rows of 100 f32: no
// padding); the tile then reads f32 and has no extf.
// AVX2-LABEL: func.func @packed_f16
// AVX2: bufferization.alloc_tensor() : tensor<64x100xf32>
// AVX2: linalg.generic {{.*}} ins({{.*}} : tensor<64x100xf16>) outs({{.*}} : tensor<64x100xf32>)
// AVX2: arith.extf {{.*}} : f16 to f32
// AVX2: bufferization.alloc_tensor() : tensor<100x80xf32>
// AVX2: scf.for
// AVX2-NOT: arith.extf
// AVX2: vector.fma {{.*}} : vector<16xf32>
// AVX2-NOT: arith.extf
// AVX2: return
func.func @packed_f16(%a: tensor<64x100xf16>, %b: tensor<100x80xf16>,
                      %c: tensor<64x80xf32>) -> tensor<64x80xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<64x100xf16>, tensor<100x80xf16>)
                     outs(%c : tensor<64x80xf32>) -> tensor<64x80xf32>
  return %r : tensor<64x80xf32>
}

// -----

// A hand-written configuration is kept: register tiles of 4 x 8.
// AVX2-LABEL: func.func @pinned_config
// AVX2: scf.forall ({{.*}}) = (0, 0) to (32, 32) step (16, 16)
// AVX2: iter_args({{.*}}) -> (vector<4x8xf32>)
// AVX2-COUNT-4: vector.fma {{.*}} : vector<8xf32>
func.func @pinned_config(%a: tensor<32x32xf32>, %b: tensor<32x32xf32>,
                         %c: tensor<32x32xf32>) -> tensor<32x32xf32> {
  %r = linalg.matmul {vmgpu.lowering_config = {class = "contraction",
                        strategy = "cpu_tiled_contraction",
                        cache_tiles = array<i64: 16, 16, 32>,
                        register_tiles = array<i64: 4, 8, 1>}}
      ins(%a, %b : tensor<32x32xf32>, tensor<32x32xf32>)
      outs(%c : tensor<32x32xf32>) -> tensor<32x32xf32>
  return %r : tensor<32x32xf32>
}

// -----

func.func @bad_tile_count(%a: tensor<32x32xf32>, %b: tensor<32x32xf32>,
                          %c: tensor<32x32xf32>) -> tensor<32x32xf32> {
  // expected-error @+1 {{'cache_tiles' and 'register_tiles' need one size per loop (3)}}
  %r = linalg.matmul {vmgpu.lowering_config = {class = "contraction",
                        strategy = "cpu_tiled_contraction",
                        cache_tiles = array<i64: 16, 16>,
                        register_tiles = array<i64: 4, 8, 1>}}
      ins(%a, %b : tensor<32x32xf32>, tensor<32x32xf32>)
      outs(%c : tensor<32x32xf32>) -> tensor<32x32xf32>
  return %r : tensor<32x32xf32>
}

// -----

func.func @strategy_on_wrong_op(%a: tensor<32xf32>, %c: tensor<32xf32>) -> tensor<32xf32> {
  // expected-error @+1 {{strategy 'cpu_tiled_contraction' does not take this op}}
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
                       iterator_types = ["parallel"],
                       vmgpu.lowering_config = {class = "elementwise",
                         strategy = "cpu_tiled_contraction"}}
      ins(%a : tensor<32xf32>) outs(%c : tensor<32xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  } -> tensor<32xf32>
  return %r : tensor<32xf32>
}
