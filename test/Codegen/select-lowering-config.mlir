// vm-gpu-select-lowering-config: the class and configuration chosen per op
// and chip; a hand-written configuration is kept; malformed ones are errors.
// RUN: vm-gpu-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-gpu-select-lowering-config{chip=sm_90a tensor-cores=true}))" \
// RUN:   | FileCheck %s
// RUN: vm-gpu-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-gpu-select-lowering-config{chip=gfx942}))" \
// RUN:   | FileCheck %s --check-prefix=AMD

#id = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func.func @elementwise_f32
// CHECK: linalg.generic
// CHECK-SAME: vmgpu.lowering_config = {class = "elementwise", max_blocks = 4224 : i64, strategy = "vectorized_elementwise", vector_width = 4 : i64, workgroup = array<i64: 256, 1, 1>}
// AMD-LABEL: func.func @elementwise_f32
// AMD: {class = "elementwise", max_blocks = 9728 : i64, strategy = "vectorized_elementwise", vector_width = 4 : i64, workgroup = array<i64: 256, 1, 1>}
func.func @elementwise_f32(%a: memref<?xf32>, %b: memref<?xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%a : memref<?xf32>) outs(%b : memref<?xf32>) {
  ^bb0(%x: f32, %y: f32):
    %r = arith.negf %x : f32
    linalg.yield %r : f32
  }
  return
}

// CHECK-LABEL: func.func @convert_f16_to_f32
// CHECK: linalg.generic
// CHECK-SAME: vector_width = 4 : i64
func.func @convert_f16_to_f32(%a: memref<?xf16>, %b: memref<?xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%a : memref<?xf16>) outs(%b : memref<?xf32>) {
  ^bb0(%x: f16, %y: f32):
    %r = arith.extf %x : f16 to f32
    linalg.yield %r : f32
  }
  return
}

// A row gather: the i64 index is one value per row (the innermost loop does
// not index it), so the vectors are sized by the f32 table and result: 4.
// CHECK-LABEL: func.func @gather_rows_i64_indices
// CHECK: linalg.generic
// CHECK-SAME: vector_width = 4 : i64
func.func @gather_rows_i64_indices(%t: memref<10x8xf32>, %i: memref<6xi64>, %o: memref<6x8xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%i : memref<6xi64>) outs(%o : memref<6x8xf32>) {
  ^bb0(%k: i64, %y: f32):
    %row = arith.index_cast %k : i64 to index
    %col = linalg.index 1 : index
    %x = memref.load %t[%row, %col] : memref<10x8xf32>
    linalg.yield %x : f32
  }
  return
}

// An i64 input the innermost loop indexes still sizes the vectors: 2.
// CHECK-LABEL: func.func @convert_i64_to_f32
// CHECK: linalg.generic
// CHECK-SAME: vector_width = 2 : i64
func.func @convert_i64_to_f32(%a: memref<?xi64>, %b: memref<?xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%a : memref<?xi64>) outs(%b : memref<?xf32>) {
  ^bb0(%x: i64, %y: f32):
    %r = arith.sitofp %x : i64 to f32
    linalg.yield %r : f32
  }
  return
}

// CHECK-LABEL: func.func @fill_f16
// CHECK: linalg.fill {vmgpu.lowering_config = {class = "elementwise"
// CHECK-SAME: vector_width = 8 : i64
func.func @fill_f16(%a: memref<?xf16>, %v: f16) {
  linalg.fill ins(%v : f16) outs(%a : memref<?xf16>)
  return
}

// CHECK-LABEL: func.func @row_sum
// CHECK: linalg.reduce
// CHECK-SAME: {class = "row_reduction", max_blocks = 0 : i64, strategy = "warp_per_row", vector_width = 4 : i64, workgroup = array<i64: 32, 8, 1>}
// AMD-LABEL: func.func @row_sum
// AMD: workgroup = array<i64: 64, 4, 1>
func.func @row_sum(%a: memref<?x?xf32>, %b: memref<?xf32>) {
  linalg.reduce ins(%a : memref<?x?xf32>) outs(%b : memref<?xf32>) dimensions = [1]
    (%x: f32, %acc: f32) {
      %s = arith.addf %acc, %x : f32
      linalg.yield %s : f32
    }
  return
}

// CHECK-LABEL: func.func @column_sum
// CHECK: {class = "column_reduction", max_blocks = 0 : i64, strategy = "coalesced_columns", vector_width = 4 : i64, workgroup = array<i64: 256, 1, 1>}
func.func @column_sum(%a: memref<?x?xf32>, %b: memref<?xf32>) {
  linalg.reduce ins(%a : memref<?x?xf32>) outs(%b : memref<?xf32>) dimensions = [0]
    (%x: f32, %acc: f32) {
      %s = arith.addf %acc, %x : f32
      linalg.yield %s : f32
    }
  return
}

// CHECK-LABEL: func.func @full_sum
// CHECK: {class = "full_reduction", max_blocks = 0 : i64, strategy = "two_stage", vector_width = 4 : i64, workgroup = array<i64: 32, 8, 1>}
func.func @full_sum(%a: memref<?xf32>, %b: memref<f32>) {
  linalg.reduce ins(%a : memref<?xf32>) outs(%b : memref<f32>) dimensions = [0]
    (%x: f32, %acc: f32) {
      %s = arith.addf %acc, %x : f32
      linalg.yield %s : f32
    }
  return
}

// Matrix products: tiled_simt with the largest block tile whose grid covers
// nearly every processor (132 SMs; 304 CUs on gfx942), K slices of 16 where
// the double-buffered tiles fit in 48 KiB.
// CHECK-LABEL: func.func @matmul
// CHECK: linalg.matmul {vmgpu.lowering_config = {cache_tiles = array<i64: 64, 64, 16>, class = "contraction", max_blocks = 0 : i64, register_tiles = array<i64: 8, 8, 1>, strategy = "tiled_simt", vector_width = 1 : i64, workgroup = array<i64: 8, 8, 1>}}
func.func @matmul(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) {
  linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>)
  return
}

// CHECK-LABEL: func.func @matmul_4096
// CHECK: cache_tiles = array<i64: 128, 128, 16>, class = "contraction", {{.*}}register_tiles = array<i64: 8, 8, 1>, strategy = "tiled_simt", {{.*}}workgroup = array<i64: 16, 16, 1>
// AMD-LABEL: func.func @matmul_4096
// AMD: cache_tiles = array<i64: 128, 128, 16>, {{.*}}workgroup = array<i64: 16, 16, 1>
func.func @matmul_4096(%a: memref<4096x4096xf32>, %b: memref<4096x4096xf32>, %c: memref<4096x4096xf32>) {
  linalg.matmul ins(%a, %b : memref<4096x4096xf32>, memref<4096x4096xf32>) outs(%c : memref<4096x4096xf32>)
  return
}

// 128 x 128 tiles would give 64 blocks for 132 SMs: 64 x 128 (128 blocks).
// gfx942's 304 CUs take the smallest tile.
// CHECK-LABEL: func.func @matmul_1024
// CHECK: cache_tiles = array<i64: 64, 128, 16>, {{.*}}strategy = "tiled_simt", {{.*}}workgroup = array<i64: 16, 8, 1>
// AMD-LABEL: func.func @matmul_1024
// AMD: cache_tiles = array<i64: 64, 64, 16>, {{.*}}workgroup = array<i64: 8, 8, 1>
func.func @matmul_1024(%a: memref<1024x1024xf32>, %b: memref<1024x1024xf32>, %c: memref<1024x1024xf32>) {
  linalg.matmul ins(%a, %b : memref<1024x1024xf32>, memref<1024x1024xf32>) outs(%c : memref<1024x1024xf32>)
  return
}

// Dynamic sizes count as large; f64 tiles of 128 x 128 fit with K slices
// of 8 only.
// CHECK-LABEL: func.func @matmul_dynamic_f64
// CHECK: cache_tiles = array<i64: 128, 128, 8>, {{.*}}strategy = "tiled_simt"
func.func @matmul_dynamic_f64(%a: memref<?x?xf64>, %b: memref<?x?xf64>, %c: memref<?x?xf64>) {
  linalg.matmul ins(%a, %b : memref<?x?xf64>, memref<?x?xf64>) outs(%c : memref<?x?xf64>)
  return
}

// The batch loop has tiles of 1. i8 -> i32 runs on tensor cores (sm_80+):
// K slices of 64, warp tiles of 64 x 64, the instruction's K of 32.
// CHECK-LABEL: func.func @batch_matmul_i8
// CHECK: cache_tiles = array<i64: 1, 128, 128, 64>, {{.*}}pipeline_depth = 3 : i64, register_tiles = array<i64: 1, 64, 64, 32>, strategy = "mma_sync"
func.func @batch_matmul_i8(%a: memref<64x512x512xi8>, %b: memref<64x512x512xi8>, %c: memref<64x512x512xi32>) {
  linalg.batch_matmul ins(%a, %b : memref<64x512x512xi8>, memref<64x512x512xi8>) outs(%c : memref<64x512x512xi32>)
  return
}

// A contraction with two M loops keeps the fallback.
// CHECK-LABEL: func.func @two_m_loops
// CHECK: class = "contraction", {{.*}}strategy = "fallback"
func.func @two_m_loops(%a: memref<2x4x8xf32>, %b: memref<8x16xf32>, %c: memref<2x4x16xf32>) {
  linalg.generic {indexing_maps = [affine_map<(m1, m2, n, k) -> (m1, m2, k)>, affine_map<(m1, m2, n, k) -> (k, n)>, affine_map<(m1, m2, n, k) -> (m1, m2, n)>],
                  iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<2x4x8xf32>, memref<8x16xf32>) outs(%c : memref<2x4x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// A matrix-vector product reduces each row: a row reduction, not a
// contraction.
// CHECK-LABEL: func.func @matvec
// CHECK: linalg.matvec {vmgpu.lowering_config = {class = "row_reduction"
func.func @matvec(%a: memref<4x8xf32>, %x: memref<8xf32>, %y: memref<4xf32>) {
  linalg.matvec ins(%a, %x : memref<4x8xf32>, memref<8xf32>) outs(%y : memref<4xf32>)
  return
}

// CHECK-LABEL: func.func @conv
// CHECK: {class = "convolution", {{.*}}strategy = "fallback"
func.func @conv(%x: memref<1x8x8x3xf32>, %w: memref<3x3x3x4xf32>, %y: memref<1x6x6x4xf32>) {
  linalg.conv_2d_nhwc_hwcf ins(%x, %w : memref<1x8x8x3xf32>, memref<3x3x3x4xf32>) outs(%y : memref<1x6x6x4xf32>)
  return
}

// A configuration written in the input wins over the heuristics.
// CHECK-LABEL: func.func @hand_written
// CHECK: {class = "elementwise", max_blocks = 7 : i64, strategy = "fallback", vector_width = 2 : i64, workgroup = array<i64: 64, 1, 1>}
func.func @hand_written(%a: memref<?xf32>, %b: memref<?xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%a : memref<?xf32>) outs(%b : memref<?xf32>)
      attrs = {vmgpu.lowering_config = {class = "elementwise", strategy = "fallback", workgroup = array<i64: 64, 1, 1>, vector_width = 2, max_blocks = 7}} {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  }
  return
}

// -----

func.func @bad_key(%a: memref<?xf32>, %b: memref<?xf32>) {
  // expected-error @+1 {{lowering config: unknown key 'tile'}}
  linalg.copy {vmgpu.lowering_config = {class = "elementwise", strategy = "fallback", tile = 3}}
      ins(%a : memref<?xf32>) outs(%b : memref<?xf32>)
  return
}

// -----

func.func @bad_strategy(%a: memref<?xf32>, %b: memref<?xf32>) {
  // expected-error @+1 {{lowering config: unknown strategy "fastest"}}
  linalg.copy {vmgpu.lowering_config = {class = "elementwise", strategy = "fastest"}}
      ins(%a : memref<?xf32>) outs(%b : memref<?xf32>)
  return
}

// -----

func.func @bad_width(%a: memref<?xf32>, %b: memref<?xf32>) {
  // expected-error @+1 {{'vector_width' must be a power of two in [1, 16], got 3}}
  linalg.copy {vmgpu.lowering_config = {class = "elementwise", strategy = "fallback", vector_width = 3}}
      ins(%a : memref<?xf32>) outs(%b : memref<?xf32>)
  return
}

// -----

func.func @bad_workgroup(%a: memref<?xf32>, %b: memref<?xf32>) {
  // expected-error @+1 {{'workgroup' must be array<i64: x, y, z> of positive sizes with at most 1024 threads}}
  linalg.copy {vmgpu.lowering_config = {class = "elementwise", strategy = "fallback", workgroup = array<i64: 2048, 1, 1>}}
      ins(%a : memref<?xf32>) outs(%b : memref<?xf32>)
  return
}

// -----

func.func @missing_class(%a: memref<?xf32>, %b: memref<?xf32>) {
  // expected-error @+1 {{'class' and 'strategy' are required}}
  linalg.copy {vmgpu.lowering_config = {strategy = "fallback"}}
      ins(%a : memref<?xf32>) outs(%b : memref<?xf32>)
  return
}

// -----

func.func @not_a_dictionary(%a: memref<?xf32>, %b: memref<?xf32>) {
  // expected-error @+1 {{'vmgpu.lowering_config' must be a dictionary}}
  linalg.copy {vmgpu.lowering_config = 4}
      ins(%a : memref<?xf32>) outs(%b : memref<?xf32>)
  return
}
