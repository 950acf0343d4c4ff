// vm-gpu-lower-contractions-mma-sync (mma_sync) with hand-written
// configurations: pipelined cp.async copies into swizzled shared stages,
// ldmatrix fragments, nvvm.mma.sync on accumulators carried by the K loop,
// the fill of the output folded; bad configurations are errors naming the
// key, other contractions are left alone.
// RUN: vm-gpu-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-gpu-lower-contractions-mma-sync,canonicalize))" \
// RUN:   | FileCheck %s

#cfg = {class = "contraction", strategy = "mma_sync", workgroup = array<i64: 128, 1, 1>, cache_tiles = array<i64: 64, 64, 32>, register_tiles = array<i64: 32, 32, 16>, pipeline_depth = 3}

// 64 x 64 blocks of 2 x 2 warps with 32 x 32 warp tiles, K slices of 32,
// 3 stages: A [64][32] (K-contiguous) and B [32][64] (N-contiguous) f16 per
// stage. 2 x 4 tiles x 4 accumulators = 32 scalars per thread, started from
// the fill value and carried by the K loop.
// CHECK-LABEL: func.func @matmul_f16_fill
// CHECK-SAME: (%[[A:.+]]: memref<?x?xf16>, %[[B:.+]]: memref<?x?xf16>, %[[C:.+]]: memref<?x?xf32>)
// CHECK-NOT: linalg.fill
// CHECK: gpu.launch {{.*}} threads({{.*}}) in ({{.*}} = %c128, {{.*}} = %c1, {{.*}} = %c1) workgroup(%[[AS:.+]] : memref<6144xf16, #gpu.address_space<workgroup>>, %[[BS:.+]] : memref<6144xf16, #gpu.address_space<workgroup>>)
// Run-time check: contiguous extent a multiple of 8 and a 16-byte base.
// CHECK: memref.extract_aligned_pointer_as_index %[[A]]
// CHECK: memref.extract_aligned_pointer_as_index %[[B]]
// Prologue: slices 0 and 1, each cp.async (zero-filled outside) or guarded
// loads, one commit group per slice.
// CHECK: nvgpu.device_async_copy %[[A]][{{.*}}], %[[AS]][{{.*}}], 8, %{{.+}} {bypassL1}
// CHECK: memref.load %[[A]]
// CHECK: vector.store %{{.+}}, %[[AS]][{{.*}}] {alignment = 16 : i64} : memref<6144xf16, #gpu.address_space<workgroup>>, vector<8xf16>
// CHECK: nvvm.cp.async.commit.group
// CHECK: nvvm.cp.async.commit.group
// CHECK: %[[ACC:.+]]:32 = scf.for %{{.+}} = %c0 to %{{.+}} step %c1 iter_args({{.*}}) -> (f32, f32,
// CHECK: nvvm.cp.async.wait.group 1
// CHECK-NEXT: gpu.barrier
// CHECK: nvvm.cp.async.commit.group
// CHECK-NOT: memref.load %[[C]]
// CHECK: nvgpu.ldmatrix %[[AS]][{{.*}}] {numTiles = 4 : i32, transpose = false} : memref<6144xf16, #gpu.address_space<workgroup>> -> vector<4x2xf16>
// CHECK: nvgpu.ldmatrix %[[BS]][{{.*}}] {numTiles = 4 : i32, transpose = true} : memref<6144xf16, #gpu.address_space<workgroup>> -> vector<4x2xf16>
// CHECK-COUNT-16: nvvm.mma.sync A[{{.*}}] B[{{.*}}] C[{{.*}}] {layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, shape = #nvvm.shape<m = 16, n = 8, k = 16>} : (vector<2xf16>, vector<2xf16>, f32) -> !llvm.struct<(f32, f32, f32, f32)>
// CHECK-NOT: nvvm.mma.sync
// CHECK: scf.yield
// Each accumulator is stored once, guarded.
// CHECK-COUNT-32: memref.store %[[ACC]]#{{[0-9]+}}, %[[C]]
// CHECK: gpu.barrier
func.func @matmul_f16_fill(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %c: memref<?x?xf32>) {
  %z = arith.constant 0.0 : f32
  linalg.fill ins(%z : f32) outs(%c : memref<?x?xf32>)
  linalg.matmul {vmgpu.lowering_config = #cfg} ins(%a, %b : memref<?x?xf16>, memref<?x?xf16>) outs(%c : memref<?x?xf32>)
  return
}

// -----

// i8 with B transposed (both operands K-contiguous: cp.async for both),
// batched; without a fill the accumulators start from C. The s8 instruction
// wraps (no satfinite), like the body's arith.addi.
#cfg = {class = "contraction", strategy = "mma_sync", workgroup = array<i64: 128, 1, 1>, cache_tiles = array<i64: 1, 64, 64, 64>, register_tiles = array<i64: 1, 32, 32, 32>, pipeline_depth = 2}
#map_a = affine_map<(b, m, n, k) -> (b, m, k)>
#map_b = affine_map<(b, m, n, k) -> (b, n, k)>
#map_c = affine_map<(b, m, n, k) -> (b, m, n)>
// CHECK-LABEL: func.func @batch_matmul_i8_tb
// CHECK: memref.load %{{.+}}[{{.*}}] : memref<3x?x?xi32>
// CHECK: nvgpu.device_async_copy {{.*}}, 16, %{{.+}} {bypassL1} : memref<3x?x?xi8> to memref<8192xi8, #gpu.address_space<workgroup>>
// CHECK: nvvm.cp.async.wait.group 0
// CHECK: nvgpu.ldmatrix {{.*}} {numTiles = 4 : i32, transpose = false} : memref<8192xi8, #gpu.address_space<workgroup>> -> vector<4x4xi8>
// CHECK: vector.bitcast {{.*}} : vector<4xi8> to vector<1xi32>
// CHECK: nvvm.mma.sync {{.*}} {intOverflowBehavior = #nvvm.mma_int_overflow<wrapped>, layoutA = #nvvm.mma_layout<row>, layoutB = #nvvm.mma_layout<col>, multiplicandAPtxType = #nvvm.mma_type<s8>, multiplicandBPtxType = #nvvm.mma_type<s8>, shape = #nvvm.shape<m = 16, n = 8, k = 32>} : (i32, i32, i32) -> !llvm.struct<(i32, i32, i32, i32)>
func.func @batch_matmul_i8_tb(%a: memref<3x?x?xi8>, %b: memref<3x?x?xi8>, %c: memref<3x?x?xi32>) {
  linalg.generic {indexing_maps = [#map_a, #map_b, #map_c], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%a, %b : memref<3x?x?xi8>, memref<3x?x?xi8>) outs(%c : memref<3x?x?xi32>) attrs = {vmgpu.lowering_config = #cfg} {
  ^bb0(%x: i8, %y: i8, %acc: i32):
    %xe = arith.extsi %x : i8 to i32
    %ye = arith.extsi %y : i8 to i32
    %p = arith.muli %xe, %ye : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  }
  return
}

// -----

// i8 in its normal layout: B's contiguous dim is N, so its slices are
// transposed into [N][K]: 16-byte loads along N when N is a multiple of 16
// and B aligned, else byte loads; byte stores into shared memory (no
// cp.async for B). N = 48 here.
#cfg = {class = "contraction", strategy = "mma_sync", workgroup = array<i64: 128, 1, 1>, cache_tiles = array<i64: 64, 64, 64>, register_tiles = array<i64: 32, 32, 32>, pipeline_depth = 2}
// CHECK-LABEL: func.func @matmul_i8_nn
// CHECK-SAME: (%[[A:.+]]: memref<100x64xi8>, %[[B:.+]]: memref<64x48xi8>
// CHECK: workgroup({{.*}}, %[[BS:[a-z0-9]+]] : memref<8192xi8, #gpu.address_space<workgroup>>)
// CHECK: nvgpu.device_async_copy %[[A]]
// CHECK-NOT: nvgpu.device_async_copy %[[B]]
// CHECK: vector.load %[[B]][{{.*}}] {alignment = 16 : i64} : memref<64x48xi8>, vector<16xi8>
// CHECK-COUNT-16: memref.store %{{.+}}, %[[BS]][{{.*}}] : memref<8192xi8, #gpu.address_space<workgroup>>
// CHECK: memref.load %[[B]]
// CHECK-NOT: nvgpu.device_async_copy %[[B]]
func.func @matmul_i8_nn(%a: memref<100x64xi8>, %b: memref<64x48xi8>, %c: memref<100x48xi32>) {
  %z = arith.constant 0 : i32
  linalg.fill ins(%z : i32) outs(%c : memref<100x48xi32>)
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : memref<100x64xi8>, memref<64x48xi8>) outs(%c : memref<100x48xi32>) attrs = {vmgpu.lowering_config = #cfg} {
  ^bb0(%x: i8, %y: i8, %acc: i32):
    %xe = arith.extsi %x : i8 to i32
    %ye = arith.extsi %y : i8 to i32
    %p = arith.muli %xe, %ye : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  }
  return
}

// -----

// f32 inputs have no tensor-core form here (no TF32).
func.func @f32_inputs(%a: memref<?x?xf32>, %b: memref<?x?xf32>, %c: memref<?x?xf32>) {
  // expected-error @below {{mma_sync configuration: the inputs must be f16 or bf16 with an f32 accumulator, or i8 with an i32 accumulator}}
  linalg.matmul {vmgpu.lowering_config = {class = "contraction", strategy = "mma_sync", workgroup = array<i64: 128, 1, 1>, cache_tiles = array<i64: 64, 64, 32>, register_tiles = array<i64: 32, 32, 16>, pipeline_depth = 3}} ins(%a, %b : memref<?x?xf32>, memref<?x?xf32>) outs(%c : memref<?x?xf32>)
  return
}

// -----

func.func @tiles_per_loop(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %c: memref<?x?xf32>) {
  // expected-error @below {{mma_sync configuration: 'cache_tiles' and 'register_tiles' need one size per loop (3)}}
  linalg.matmul {vmgpu.lowering_config = {class = "contraction", strategy = "mma_sync", workgroup = array<i64: 128, 1, 1>, cache_tiles = array<i64: 64, 64>, register_tiles = array<i64: 32, 32, 16>, pipeline_depth = 3}} ins(%a, %b : memref<?x?xf16>, memref<?x?xf16>) outs(%c : memref<?x?xf32>)
  return
}

// -----

func.func @batch_tile(%a: memref<?x?x?xf16>, %b: memref<?x?x?xf16>, %c: memref<?x?x?xf32>) {
  // expected-error @below {{mma_sync configuration: the batch loop's tiles must be 1}}
  linalg.batch_matmul {vmgpu.lowering_config = {class = "contraction", strategy = "mma_sync", workgroup = array<i64: 128, 1, 1>, cache_tiles = array<i64: 2, 64, 64, 32>, register_tiles = array<i64: 1, 32, 32, 16>, pipeline_depth = 3}} ins(%a, %b : memref<?x?x?xf16>, memref<?x?x?xf16>) outs(%c : memref<?x?x?xf32>)
  return
}

// -----

func.func @instruction_k(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %c: memref<?x?xf32>) {
  // expected-error @below {{mma_sync configuration: the K loop's register tile must be the instruction's K (16)}}
  linalg.matmul {vmgpu.lowering_config = {class = "contraction", strategy = "mma_sync", workgroup = array<i64: 128, 1, 1>, cache_tiles = array<i64: 64, 64, 32>, register_tiles = array<i64: 32, 32, 32>, pipeline_depth = 3}} ins(%a, %b : memref<?x?xf16>, memref<?x?xf16>) outs(%c : memref<?x?xf32>)
  return
}

// -----

func.func @warp_tiles(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %c: memref<?x?xf32>) {
  // expected-error @below {{mma_sync configuration: warp tiles (register_tiles) of M and N must be positive multiples of 16}}
  linalg.matmul {vmgpu.lowering_config = {class = "contraction", strategy = "mma_sync", workgroup = array<i64: 128, 1, 1>, cache_tiles = array<i64: 64, 64, 32>, register_tiles = array<i64: 32, 8, 16>, pipeline_depth = 3}} ins(%a, %b : memref<?x?xf16>, memref<?x?xf16>) outs(%c : memref<?x?xf32>)
  return
}

// -----

func.func @block_tiles(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %c: memref<?x?xf32>) {
  // expected-error @below {{mma_sync configuration: block tiles of M and N must be multiples of the warp tiles}}
  linalg.matmul {vmgpu.lowering_config = {class = "contraction", strategy = "mma_sync", workgroup = array<i64: 128, 1, 1>, cache_tiles = array<i64: 48, 64, 32>, register_tiles = array<i64: 32, 32, 16>, pipeline_depth = 3}} ins(%a, %b : memref<?x?xf16>, memref<?x?xf16>) outs(%c : memref<?x?xf32>)
  return
}

// -----

func.func @k_tile(%a: memref<?x?xi8>, %b: memref<?x?xi8>, %c: memref<?x?xi32>) {
  // expected-error @below {{mma_sync configuration: the K block tile must be a positive multiple of 32}}
  linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : memref<?x?xi8>, memref<?x?xi8>) outs(%c : memref<?x?xi32>) attrs = {vmgpu.lowering_config = {class = "contraction", strategy = "mma_sync", workgroup = array<i64: 128, 1, 1>, cache_tiles = array<i64: 64, 64, 48>, register_tiles = array<i64: 32, 32, 32>, pipeline_depth = 3}} {
  ^bb0(%x: i8, %y: i8, %acc: i32):
    %xe = arith.extsi %x : i8 to i32
    %ye = arith.extsi %y : i8 to i32
    %p = arith.muli %xe, %ye : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  }
  return
}

// -----

func.func @workgroup(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %c: memref<?x?xf32>) {
  // expected-error @below {{mma_sync configuration: 'workgroup' must be [128, 1, 1] (32 threads per warp tile)}}
  linalg.matmul {vmgpu.lowering_config = {class = "contraction", strategy = "mma_sync", workgroup = array<i64: 32, 4, 1>, cache_tiles = array<i64: 64, 64, 32>, register_tiles = array<i64: 32, 32, 16>, pipeline_depth = 3}} ins(%a, %b : memref<?x?xf16>, memref<?x?xf16>) outs(%c : memref<?x?xf32>)
  return
}

// -----

func.func @depth(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %c: memref<?x?xf32>) {
  // expected-error @below {{mma_sync configuration: 'pipeline_depth' must be at least 2}}
  linalg.matmul {vmgpu.lowering_config = {class = "contraction", strategy = "mma_sync", workgroup = array<i64: 128, 1, 1>, cache_tiles = array<i64: 64, 64, 32>, register_tiles = array<i64: 32, 32, 16>}} ins(%a, %b : memref<?x?xf16>, memref<?x?xf16>) outs(%c : memref<?x?xf32>)
  return
}

// -----

func.func @chunks(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %c: memref<?x?xf32>) {
  // expected-error @below {{mma_sync configuration: BM, BN and BK must each span a power of two of 16-byte chunks}}
  linalg.matmul {vmgpu.lowering_config = {class = "contraction", strategy = "mma_sync", workgroup = array<i64: 96, 1, 1>, cache_tiles = array<i64: 96, 32, 32>, register_tiles = array<i64: 32, 32, 16>, pipeline_depth = 3}} ins(%a, %b : memref<?x?xf16>, memref<?x?xf16>) outs(%c : memref<?x?xf32>)
  return
}

// -----

func.func @chunks_per_thread(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %c: memref<?x?xf32>) {
  // expected-error @below {{mma_sync configuration: the threads must copy whole 16-byte chunks of each tile (BM * BK and BN * BK bytes / 16 multiples of the thread count)}}
  linalg.matmul {vmgpu.lowering_config = {class = "contraction", strategy = "mma_sync", workgroup = array<i64: 512, 1, 1>, cache_tiles = array<i64: 64, 64, 16>, register_tiles = array<i64: 16, 16, 16>, pipeline_depth = 3}} ins(%a, %b : memref<?x?xf16>, memref<?x?xf16>) outs(%c : memref<?x?xf32>)
  return
}

// -----

func.func @shared_bytes(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %c: memref<?x?xf32>) {
  // expected-error @below {{mma_sync configuration: the pipelined tiles need 65536 bytes of shared memory, more than 49152}}
  linalg.matmul {vmgpu.lowering_config = {class = "contraction", strategy = "mma_sync", workgroup = array<i64: 128, 1, 1>, cache_tiles = array<i64: 128, 128, 32>, register_tiles = array<i64: 64, 64, 16>, pipeline_depth = 4}} ins(%a, %b : memref<?x?xf16>, memref<?x?xf16>) outs(%c : memref<?x?xf32>)
  return
}

// -----

// Not a matrix product of the supported form (two K loops): left alone.
// CHECK-LABEL: func.func @two_k_loops
// CHECK: linalg.generic
func.func @two_k_loops(%a: memref<8x4x4xf16>, %b: memref<4x4x8xf16>, %c: memref<8x8xf32>) {
  linalg.generic {indexing_maps = [affine_map<(m, n, k, l) -> (m, k, l)>, affine_map<(m, n, k, l) -> (k, l, n)>, affine_map<(m, n, k, l) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%a, %b : memref<8x4x4xf16>, memref<4x4x8xf16>) outs(%c : memref<8x8xf32>) attrs = {vmgpu.lowering_config = {class = "contraction", strategy = "mma_sync", workgroup = array<i64: 128, 1, 1>, cache_tiles = array<i64: 64, 64, 32, 1>, register_tiles = array<i64: 32, 32, 16, 1>, pipeline_depth = 3}} {
  ^bb0(%x: f16, %y: f16, %acc: f32):
    %xe = arith.extf %x : f16 to f32
    %ye = arith.extf %y : f16 to f32
    %p = arith.mulf %xe, %ye : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// An implicit GEMM: A is the im2col copy of a zero-padded input (a
// convolution after vm-gpu-convolutions-to-contractions and bufferization).
// The kernel reads the input itself: A's element (m, k) is input[n, oh + kh
// - 1, ow + kw - 1, c] with m = (n, oh, ow) and k = (kh, kw, c), zero where
// the window leaves the input; 8 channels are one 16-byte cp.async (zero
// bytes copied in the padding). The zero fill, the padded copy and the
// im2col copy all go.
#cfg = {class = "contraction", strategy = "mma_sync", workgroup = array<i64: 128, 1, 1>, cache_tiles = array<i64: 64, 64, 32>, register_tiles = array<i64: 32, 32, 16>, pipeline_depth = 3}
#im2col = affine_map<(n, oh, ow, kh, kw, c) -> (n, oh + kh, ow + kw, c)>
#id6 = affine_map<(n, oh, ow, kh, kw, c) -> (n, oh, ow, kh, kw, c)>
// CHECK-LABEL: func.func @implicit_gemm_padded
// CHECK-SAME: (%[[IN:.+]]: memref<2x4x4x8xf16>, %[[F:.+]]: memref<72x16xf16>, %[[C:.+]]: memref<32x16xf32>)
// CHECK-NOT: linalg.
// CHECK-NOT: memref.alloc
// CHECK: gpu.launch
// CHECK: memref.extract_aligned_pointer_as_index %[[IN]]
// Window rows and columns: index - 1 below 4 (unsigned: -1 wraps around).
// CHECK: arith.cmpi ult, %{{.+}}, %c4 : index
// CHECK: arith.cmpi ult, %{{.+}}, %c4 : index
// CHECK: nvgpu.device_async_copy %[[IN]][{{.*}}], %{{.+}}[{{.*}}], 8, %{{.+}} {bypassL1} : memref<2x4x4x8xf16> to memref<6144xf16, #gpu.address_space<workgroup>>
// CHECK: memref.load %[[IN]][{{.*}}] : memref<2x4x4x8xf16>
// CHECK: nvvm.mma.sync
// CHECK-NOT: linalg.
func.func @implicit_gemm_padded(%in: memref<2x4x4x8xf16>, %f: memref<72x16xf16>, %c: memref<32x16xf32>) {
  %zero = arith.constant 0.0 : f16
  %zacc = arith.constant 0.0 : f32
  %padded = memref.alloc() : memref<2x6x6x8xf16>
  linalg.map outs(%padded : memref<2x6x6x8xf16>)
    (%init: f16) {
      linalg.yield %zero : f16
    }
  %window = memref.subview %padded[0, 1, 1, 0] [2, 4, 4, 8] [1, 1, 1, 1] : memref<2x6x6x8xf16> to memref<2x4x4x8xf16, strided<[288, 48, 8, 1], offset: 56>>
  linalg.copy ins(%in : memref<2x4x4x8xf16>) outs(%window : memref<2x4x4x8xf16, strided<[288, 48, 8, 1], offset: 56>>)
  %cols = memref.alloc() : memref<2x4x4x3x3x8xf16>
  linalg.generic {indexing_maps = [#im2col, #id6], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%padded : memref<2x6x6x8xf16>) outs(%cols : memref<2x4x4x3x3x8xf16>) {
  ^bb0(%x: f16, %y: f16):
    linalg.yield %x : f16
  }
  %a = memref.collapse_shape %cols [[0, 1, 2], [3, 4, 5]] : memref<2x4x4x3x3x8xf16> into memref<32x72xf16>
  linalg.fill ins(%zacc : f32) outs(%c : memref<32x16xf32>)
  linalg.matmul {vmgpu.lowering_config = #cfg} ins(%a, %f : memref<32x72xf16>, memref<72x16xf16>) outs(%c : memref<32x16xf32>)
  memref.dealloc %padded : memref<2x6x6x8xf16>
  memref.dealloc %cols : memref<2x4x4x3x3x8xf16>
  return
}

// -----

// The copies stay when something else reads their buffers: the im2col
// buffer read again after the product keeps the im2col copy (A is loaded
// from it); the padded buffer read by another op keeps the padding while
// the im2col copy goes (A is loaded from the padded buffer).
#cfg = {class = "contraction", strategy = "mma_sync", workgroup = array<i64: 128, 1, 1>, cache_tiles = array<i64: 64, 64, 32>, register_tiles = array<i64: 32, 32, 16>, pipeline_depth = 3}
#im2col = affine_map<(n, oh, ow, kh, kw, c) -> (n, oh + kh, ow + kw, c)>
#id6 = affine_map<(n, oh, ow, kh, kw, c) -> (n, oh, ow, kh, kw, c)>
// CHECK-LABEL: func.func @copies_read_elsewhere
// CHECK: %[[COLS:.+]] = memref.alloc() : memref<2x2x2x3x3x8xf16>
// CHECK: linalg.generic {{.*}} outs(%[[COLS]]
// CHECK: %[[A:.+]] = memref.collapse_shape %[[COLS]]
// CHECK: nvgpu.device_async_copy %[[A]]
// CHECK: linalg.copy ins(%[[COLS]]
// CHECK-LABEL: func.func @padding_read_elsewhere
// CHECK: %[[PADDED:.+]] = memref.alloc() : memref<2x6x6x8xf16>
// CHECK: linalg.map outs(%[[PADDED]]
// CHECK: linalg.copy ins(%{{.+}} : memref<2x4x4x8xf16>)
// CHECK-NOT: linalg.generic
// CHECK: nvgpu.device_async_copy %[[PADDED]]
// CHECK: linalg.copy ins(%[[PADDED]]
func.func @copies_read_elsewhere(%in: memref<2x4x4x8xf16>, %f: memref<72x16xf16>, %c: memref<8x16xf32>, %keep: memref<2x2x2x3x3x8xf16>) {
  %cols = memref.alloc() : memref<2x2x2x3x3x8xf16>
  linalg.generic {indexing_maps = [#im2col, #id6], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%in : memref<2x4x4x8xf16>) outs(%cols : memref<2x2x2x3x3x8xf16>) {
  ^bb0(%x: f16, %y: f16):
    linalg.yield %x : f16
  }
  %a = memref.collapse_shape %cols [[0, 1, 2], [3, 4, 5]] : memref<2x2x2x3x3x8xf16> into memref<8x72xf16>
  linalg.matmul {vmgpu.lowering_config = #cfg} ins(%a, %f : memref<8x72xf16>, memref<72x16xf16>) outs(%c : memref<8x16xf32>)
  linalg.copy ins(%cols : memref<2x2x2x3x3x8xf16>) outs(%keep : memref<2x2x2x3x3x8xf16>)
  memref.dealloc %cols : memref<2x2x2x3x3x8xf16>
  return
}
func.func @padding_read_elsewhere(%in: memref<2x4x4x8xf16>, %f: memref<72x16xf16>, %c: memref<32x16xf32>, %keep: memref<2x6x6x8xf16>) {
  %zero = arith.constant 0.0 : f16
  %padded = memref.alloc() : memref<2x6x6x8xf16>
  linalg.map outs(%padded : memref<2x6x6x8xf16>)
    (%init: f16) {
      linalg.yield %zero : f16
    }
  %window = memref.subview %padded[0, 1, 1, 0] [2, 4, 4, 8] [1, 1, 1, 1] : memref<2x6x6x8xf16> to memref<2x4x4x8xf16, strided<[288, 48, 8, 1], offset: 56>>
  linalg.copy ins(%in : memref<2x4x4x8xf16>) outs(%window : memref<2x4x4x8xf16, strided<[288, 48, 8, 1], offset: 56>>)
  %cols = memref.alloc() : memref<2x4x4x3x3x8xf16>
  linalg.generic {indexing_maps = [#im2col, #id6], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%padded : memref<2x6x6x8xf16>) outs(%cols : memref<2x4x4x3x3x8xf16>) {
  ^bb0(%x: f16, %y: f16):
    linalg.yield %x : f16
  }
  %a = memref.collapse_shape %cols [[0, 1, 2], [3, 4, 5]] : memref<2x4x4x3x3x8xf16> into memref<32x72xf16>
  linalg.matmul {vmgpu.lowering_config = #cfg} ins(%a, %f : memref<32x72xf16>, memref<72x16xf16>) outs(%c : memref<32x16xf32>)
  linalg.copy ins(%padded : memref<2x6x6x8xf16>) outs(%keep : memref<2x6x6x8xf16>)
  memref.dealloc %padded : memref<2x6x6x8xf16>
  memref.dealloc %cols : memref<2x4x4x3x3x8xf16>
  return
}

// -----

// The im2col copy stays when its source is written between the copy and
// the product (the product would read the new values).
#cfg = {class = "contraction", strategy = "mma_sync", workgroup = array<i64: 128, 1, 1>, cache_tiles = array<i64: 64, 64, 32>, register_tiles = array<i64: 32, 32, 16>, pipeline_depth = 3}
#im2col = affine_map<(n, oh, ow, kh, kw, c) -> (n, oh + kh, ow + kw, c)>
#id6 = affine_map<(n, oh, ow, kh, kw, c) -> (n, oh, ow, kh, kw, c)>
// CHECK-LABEL: func.func @source_written_between
// CHECK: linalg.generic
// CHECK: linalg.fill
// CHECK: nvgpu.device_async_copy %{{.+}}[%{{.+}}, %{{.+}}], {{.*}} : memref<8x72xf16>
func.func @source_written_between(%f: memref<72x16xf16>, %c: memref<8x16xf32>) {
  %one = arith.constant 1.0 : f16
  %src = memref.alloc() : memref<2x4x4x8xf16>
  linalg.fill ins(%one : f16) outs(%src : memref<2x4x4x8xf16>)
  %cols = memref.alloc() : memref<2x2x2x3x3x8xf16>
  linalg.generic {indexing_maps = [#im2col, #id6], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%src : memref<2x4x4x8xf16>) outs(%cols : memref<2x2x2x3x3x8xf16>) {
  ^bb0(%x: f16, %y: f16):
    linalg.yield %x : f16
  }
  linalg.fill ins(%one : f16) outs(%src : memref<2x4x4x8xf16>)
  %a = memref.collapse_shape %cols [[0, 1, 2], [3, 4, 5]] : memref<2x2x2x3x3x8xf16> into memref<8x72xf16>
  linalg.matmul {vmgpu.lowering_config = #cfg} ins(%a, %f : memref<8x72xf16>, memref<72x16xf16>) outs(%c : memref<8x16xf32>)
  memref.dealloc %src : memref<2x4x4x8xf16>
  memref.dealloc %cols : memref<2x2x2x3x3x8xf16>
  return
}

// -----

// A copy that reorders elements (a transpose) of aligned sizes stays a
// kernel of its own: read through it, A's 16-byte chunks would become
// element-by-element loads in the product.
#cfg = {class = "contraction", strategy = "mma_sync", workgroup = array<i64: 128, 1, 1>, cache_tiles = array<i64: 64, 64, 32>, register_tiles = array<i64: 32, 32, 16>, pipeline_depth = 3}
// CHECK-LABEL: func.func @transposing_copy_kept
// CHECK: %[[T:.+]] = memref.alloc() : memref<64x32xf16>
// CHECK: linalg.generic {{.*}} outs(%[[T]]
// CHECK: nvgpu.device_async_copy %[[T]]
func.func @transposing_copy_kept(%a: memref<32x64xf16>, %b: memref<32x16xf16>, %c: memref<64x16xf32>) {
  %t = memref.alloc() : memref<64x32xf16>
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (j, i)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%a : memref<32x64xf16>) outs(%t : memref<64x32xf16>) {
  ^bb0(%x: f16, %y: f16):
    linalg.yield %x : f16
  }
  linalg.matmul {vmgpu.lowering_config = #cfg} ins(%t, %b : memref<64x32xf16>, memref<32x16xf16>) outs(%c : memref<64x16xf32>)
  memref.dealloc %t : memref<64x32xf16>
  return
}

// -----

// A fused epilogue that writes the buffer the copy read (here the input of
// the convolution, in place) keeps the copies: other blocks of the product
// still read that buffer while this one writes it.
// CHECK-LABEL: func.func @epilogue_writes_source
// CHECK: linalg.fill
// CHECK: linalg.copy
// CHECK: linalg.generic
// CHECK: gpu.launch
// CHECK-NOT: nvgpu.device_async_copy %arg0
#cfg = {class = "contraction", strategy = "mma_sync", workgroup = array<i64: 128, 1, 1>, cache_tiles = array<i64: 64, 64, 32>, register_tiles = array<i64: 32, 32, 16>, pipeline_depth = 3}
#im2col = affine_map<(n, oh, ow, kh, kw, c) -> (n, oh + kh, ow + kw, c)>
#id6 = affine_map<(n, oh, ow, kh, kw, c) -> (n, oh, ow, kh, kw, c)>
#id2 = affine_map<(i, j) -> (i, j)>
func.func @epilogue_writes_source(%in: memref<2x10x10x64xf16>, %f: memref<576x64xf16>) {
  %zero = arith.constant 0.0 : f16
  %zacc = arith.constant 0.0 : f32
  %padded = memref.alloc() : memref<2x12x12x64xf16>
  linalg.fill ins(%zero : f16) outs(%padded : memref<2x12x12x64xf16>)
  %window = memref.subview %padded[0, 1, 1, 0] [2, 10, 10, 64] [1, 1, 1, 1] : memref<2x12x12x64xf16> to memref<2x10x10x64xf16, strided<[9216, 768, 64, 1], offset: 832>>
  linalg.copy ins(%in : memref<2x10x10x64xf16>) outs(%window : memref<2x10x10x64xf16, strided<[9216, 768, 64, 1], offset: 832>>)
  %cols = memref.alloc() : memref<2x10x10x3x3x64xf16>
  linalg.generic {indexing_maps = [#im2col, #id6], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%padded : memref<2x12x12x64xf16>) outs(%cols : memref<2x10x10x3x3x64xf16>) {
  ^bb0(%x: f16, %y: f16):
    linalg.yield %x : f16
  }
  %a = memref.collapse_shape %cols [[0, 1, 2], [3, 4, 5]] : memref<2x10x10x3x3x64xf16> into memref<200x576xf16>
  %c = memref.alloc() : memref<200x64xf32>
  linalg.fill ins(%zacc : f32) outs(%c : memref<200x64xf32>)
  linalg.matmul {vmgpu.lowering_config = #cfg} ins(%a, %f : memref<200x576xf16>, memref<576x64xf16>) outs(%c : memref<200x64xf32>)
  %o3 = memref.collapse_shape %in [[0, 1, 2], [3]] : memref<2x10x10x64xf16> into memref<200x64xf16>
  linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%c : memref<200x64xf32>) outs(%o3 : memref<200x64xf16>) {
  ^bb0(%x: f32, %y: f16):
    %r = arith.truncf %x : f32 to f16
    linalg.yield %r : f16
  }
  return
}

// -----

// A weight read from a global (a block's constant) cannot be the fresh
// buffer the epilogue writes: the relu still runs in the product's kernel.
#cfg = {class = "contraction", strategy = "mma_sync", workgroup = array<i64: 128, 1, 1>, cache_tiles = array<i64: 64, 64, 32>, register_tiles = array<i64: 32, 32, 16>, pipeline_depth = 3}
memref.global "private" constant @weight : memref<32x16xf16> = dense<1.0>
// CHECK-LABEL: func.func @constant_weight_epilogue
// CHECK-NOT: linalg.generic
// CHECK: gpu.launch
// CHECK: arith.maximumf
// CHECK-NOT: linalg.generic
func.func @constant_weight_epilogue(%a: memref<64x32xf16>) -> memref<64x16xf32> {
  %z = arith.constant 0.0 : f32
  %w = memref.get_global @weight : memref<32x16xf16>
  %c = memref.alloc() : memref<64x16xf32>
  linalg.fill ins(%z : f32) outs(%c : memref<64x16xf32>)
  linalg.matmul {vmgpu.lowering_config = #cfg} ins(%a, %w : memref<64x32xf16>, memref<32x16xf16>) outs(%c : memref<64x16xf32>)
  %r = memref.alloc() : memref<64x16xf32>
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%c : memref<64x16xf32>) outs(%r : memref<64x16xf32>) {
  ^bb0(%x: f32, %y: f32):
    %m = arith.maximumf %x, %z : f32
    linalg.yield %m : f32
  }
  memref.dealloc %c : memref<64x16xf32>
  return %r : memref<64x16xf32>
}
