// The configurations vm-cpu-tile-contractions chooses for reductions: row and
// full reductions (vm.dot too) get cpu_vector_reduction, column reductions
// cpu_column_reduction; the lanes come from the widest element type (the f32
// accumulator of an f16 sum included) and the target's vector width (at most
// 16), four accumulators make a register tile, segments are 32768 elements;
// column reductions take segments of 256 rows, chunks of 4 KB of
// accumulators and one vector a step; i1 keeps the fallback.
// RUN: vm-gpu-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-cpu-tile-contractions{target=avx2}))" \
// RUN:   | FileCheck %s --check-prefix=AVX2
// RUN: vm-gpu-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-cpu-tile-contractions{target=avx512}))" \
// RUN:   | FileCheck %s --check-prefix=AVX512

// AVX2-LABEL: func.func @row_sum_f32
// AVX2: linalg.reduce {{.*}}cache_tiles = array<i64: 0, 32768>, class = "row_reduction"{{.*}}register_tiles = array<i64: 0, 32>, strategy = "cpu_vector_reduction", vector_width = 8
// AVX512-LABEL: func.func @row_sum_f32
// AVX512: linalg.reduce {{.*}}cache_tiles = array<i64: 0, 32768>, class = "row_reduction"{{.*}}register_tiles = array<i64: 0, 64>, strategy = "cpu_vector_reduction", vector_width = 16
func.func @row_sum_f32(%x: tensor<?x?xf32>, %init: tensor<?xf32>) -> tensor<?xf32> {
  %r = linalg.reduce ins(%x : tensor<?x?xf32>) outs(%init : tensor<?xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %s = arith.addf %acc, %in : f32
      linalg.yield %s : f32
    }
  return %r : tensor<?xf32>
}

// -----

// AVX2-LABEL: func.func @full_sum_f16
// AVX2: linalg.reduce {{.*}}cache_tiles = array<i64: 32768>, class = "full_reduction"{{.*}}register_tiles = array<i64: 32>, strategy = "cpu_vector_reduction", vector_width = 8
func.func @full_sum_f16(%x: tensor<?xf16>, %init: tensor<f32>) -> tensor<f32> {
  %r = linalg.reduce ins(%x : tensor<?xf16>) outs(%init : tensor<f32>) dimensions = [0]
    (%in: f16, %acc: f32) {
      %w = arith.extf %in : f16 to f32
      %s = arith.addf %acc, %w : f32
      linalg.yield %s : f32
    }
  return %r : tensor<f32>
}

// -----

// AVX2-LABEL: func.func @dot_f32
// AVX2: linalg.dot {{.*}}class = "full_reduction"{{.*}}strategy = "cpu_vector_reduction", vector_width = 8
func.func @dot_f32(%a: tensor<?xf32>, %b: tensor<?xf32>, %init: tensor<f32>) -> tensor<f32> {
  %r = linalg.dot ins(%a, %b : tensor<?xf32>, tensor<?xf32>) outs(%init : tensor<f32>) -> tensor<f32>
  return %r : tensor<f32>
}

// -----

// Columns: segment rows on the reduced dim, the chunk and one vector a step
// on the contiguous one. f64: 4 lanes, 512 columns a chunk.
// AVX2-LABEL: func.func @column_max_f64
// AVX2: linalg.reduce {{.*}}cache_tiles = array<i64: 256, 512>, class = "column_reduction"{{.*}}register_tiles = array<i64: 0, 4>, strategy = "cpu_column_reduction", vector_width = 4
func.func @column_max_f64(%x: tensor<?x?xf64>, %init: tensor<?xf64>) -> tensor<?xf64> {
  %r = linalg.reduce ins(%x : tensor<?x?xf64>) outs(%init : tensor<?xf64>) dimensions = [0]
    (%in: f64, %acc: f64) {
      %m = arith.maxnumf %acc, %in : f64
      linalg.yield %m : f64
    }
  return %r : tensor<?xf64>
}

// -----

// i8: 32 lanes would fit a ymm register; vector_width stops at 16.
// AVX2-LABEL: func.func @column_or_i8
// AVX2: linalg.reduce {{.*}}cache_tiles = array<i64: 256, 4096>, class = "column_reduction"{{.*}}register_tiles = array<i64: 0, 16>, strategy = "cpu_column_reduction", vector_width = 16
func.func @column_or_i8(%x: tensor<3x?xi8>, %init: tensor<?xi8>) -> tensor<?xi8> {
  %r = linalg.reduce ins(%x : tensor<3x?xi8>) outs(%init : tensor<?xi8>) dimensions = [0]
    (%in: i8, %acc: i8) {
      %o = arith.ori %acc, %in : i8
      linalg.yield %o : i8
    }
  return %r : tensor<?xi8>
}

// -----

// i1 buffers are bytes, i1 vectors bits: the loop lowering keeps them.
// AVX2-LABEL: func.func @row_and_i1
// AVX2: linalg.reduce {{.*}}class = "row_reduction"{{.*}}strategy = "fallback"
func.func @row_and_i1(%x: tensor<?x?xi1>, %init: tensor<?xi1>) -> tensor<?xi1> {
  %r = linalg.reduce ins(%x : tensor<?x?xi1>) outs(%init : tensor<?xi1>) dimensions = [1]
    (%in: i1, %acc: i1) {
      %a = arith.andi %acc, %in : i1
      linalg.yield %a : i1
    }
  return %r : tensor<?xi1>
}
