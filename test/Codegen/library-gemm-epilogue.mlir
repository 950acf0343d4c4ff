// The `library` strategy's epilogue: a bias add and the rounding to f16
// after an f32 product become the cuBLASLt call's epilogue
// (vmgpuGemmEpilogue: flags 2 = bias, with 1 = C not read), writing the
// elementwise op's output; the contract's relu between them stays a
// kernel, in place on that output (cuBLASLt's RELU_BIAS lost NaN on a
// device). Every other shape keeps the plain call and its elementwise
// kernel. The bodies are those vm-to-linalg builds for vm.add, vm.relu and
// vm.convert, canonicalized.
// RUN: vm-gpu-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-gpu-select-lowering-config{contraction-strategy=library}),vm-gpu-lower-contractions-to-library,canonicalize)" \
// RUN:   | FileCheck %s

#bias = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// relu(x W + b) rounded to f16: the f32 product, its fill and the
// elementwise op go; the call writes x W + b rounded to f16 into %out (type
// code 1) from the f16 bias, and the relu runs on %out in f16 (it commutes
// with the rounding).
// CHECK-LABEL: func.func @bias_relu_f16
// CHECK-NOT:     memref.alloc
// CHECK-NOT:     linalg.
// CHECK-DAG:     %[[OUT:.*]] = memref.extract_aligned_pointer_as_index %arg3
// CHECK-DAG:     %[[D:.*]] = arith.index_cast %[[OUT]] : index to i64
// CHECK-DAG:     %[[BIASPTR:.*]] = memref.extract_aligned_pointer_as_index %arg2
// CHECK-DAG:     %[[BIAS:.*]] = arith.index_cast %[[BIASPTR]] : index to i64
// CHECK:         call @vmgpuGemmEpilogue(%c1_i32, %c1_i32, %c1_i32, %c3_i32, %c1_i64, %c64_i64, %c128_i64, %c32_i64, {{[^,]+}}, %c0_i64, %c32_i64, %c1_i64, {{[^,]+}}, %c0_i64, %c128_i64, %c1_i64, %[[D]], %c0_i64, %c128_i64, %c1_i64, %[[BIAS]])
// CHECK:         linalg.generic {{{.*}}} ins(%arg3 : memref<64x128xf16>) outs(%arg3 : memref<64x128xf16>) attrs = {vmgpu.lowering_config = {{{.*}}class = "elementwise"
// CHECK-NEXT:    ^bb0(%[[X:.*]]: f16, %{{.*}}: f16):
// CHECK-DAG:       arith.cmpf ogt, %[[X]], %{{.*}} : f16
// CHECK-DAG:       arith.cmpf uno, %[[X]], %[[X]] : f16
// CHECK:           linalg.yield
// CHECK-NOT:     linalg.
// CHECK:       func.func private @vmgpuGemmEpilogue(i32, i32, i32, i32, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) attributes {vmgpu.runtime_library_call}
func.func @bias_relu_f16(%x: memref<64x32xf16>, %w: memref<32x128xf16>, %b: memref<128xf16>, %out: memref<64x128xf16>) {
  %zero = arith.constant 0.0 : f32
  %c0_i32 = arith.constant 0 : i32
  %sign = arith.constant -32768 : i16
  %c0_i16 = arith.constant 0 : i16
  %quiet = arith.constant 32256 : i16
  %h = memref.alloc() {alignment = 64 : i64} : memref<64x128xf32>
  linalg.fill ins(%zero : f32) outs(%h : memref<64x128xf32>)
  linalg.matmul ins(%x, %w : memref<64x32xf16>, memref<32x128xf16>) outs(%h : memref<64x128xf32>)
  linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel"]}
      ins(%h, %b : memref<64x128xf32>, memref<128xf16>) outs(%out : memref<64x128xf16>) {
  ^bb0(%in: f32, %bias16: f16, %o: f16):
    %0 = arith.extf %bias16 : f16 to f32
    %1 = arith.addf %in, %0 : f32
    %2 = arith.cmpf ogt, %1, %zero : f32
    %3 = arith.select %2, %1, %zero : f32
    %4 = arith.cmpf uno, %1, %1 : f32
    %5 = arith.select %4, %1, %3 : f32
    %6 = arith.truncf %5 : f32 to f16
    %7 = arith.bitcast %5 : f32 to i32
    %8 = arith.cmpi slt, %7, %c0_i32 : i32
    %9 = arith.select %8, %sign, %c0_i16 : i16
    %10 = arith.ori %9, %quiet : i16
    %11 = arith.bitcast %10 : i16 to f16
    %12 = arith.cmpf uno, %5, %5 : f32
    %13 = arith.select %12, %11, %6 : f16
    linalg.yield %13 : f16
  }
  memref.dealloc %h : memref<64x128xf32>
  return
}

// -----

#bias = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// x W + b in f32, the bias on the left of the add, into a fresh buffer:
// flags 3 (bias, C not read), C's type f32 (0).
// CHECK-LABEL: func.func @bias_f32
// CHECK:         %[[OUT:.*]] = memref.alloc() {alignment = 64 : i64} : memref<64x128xf32>
// CHECK-DAG:     %[[OUTPTR:.*]] = memref.extract_aligned_pointer_as_index %[[OUT]]
// CHECK-DAG:     %[[D:.*]] = arith.index_cast %[[OUTPTR]] : index to i64
// CHECK-DAG:     %[[BIASPTR:.*]] = memref.extract_aligned_pointer_as_index %arg2
// CHECK-DAG:     %[[BIAS:.*]] = arith.index_cast %[[BIASPTR]] : index to i64
// CHECK:         call @vmgpuGemmEpilogue(%c0_i32, %c0_i32, %c0_i32, %c3_i32, {{[^,]+}}, {{[^,]+}}, {{[^,]+}}, {{[^,]+}}, {{[^,]+}}, {{[^,]+}}, {{[^,]+}}, {{[^,]+}}, {{[^,]+}}, {{[^,]+}}, {{[^,]+}}, {{[^,]+}}, %[[D]], {{[^,]+}}, {{[^,]+}}, {{[^,]+}}, %[[BIAS]])
// CHECK-NOT:     linalg.
// CHECK:         return %[[OUT]]
func.func @bias_f32(%x: memref<64x32xf32>, %w: memref<32x128xf32>, %b: memref<128xf32>) -> memref<64x128xf32> {
  %zero = arith.constant 0.0 : f32
  %h = memref.alloc() {alignment = 64 : i64} : memref<64x128xf32>
  linalg.fill ins(%zero : f32) outs(%h : memref<64x128xf32>)
  linalg.matmul ins(%x, %w : memref<64x32xf32>, memref<32x128xf32>) outs(%h : memref<64x128xf32>)
  %out = memref.alloc() {alignment = 64 : i64} : memref<64x128xf32>
  linalg.generic {indexing_maps = [#bias, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%b, %h : memref<128xf32>, memref<64x128xf32>) outs(%out : memref<64x128xf32>) {
  ^bb0(%bias: f32, %in: f32, %o: f32):
    %0 = arith.addf %bias, %in : f32
    linalg.yield %0 : f32
  }
  memref.dealloc %h : memref<64x128xf32>
  return %out : memref<64x128xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// The bias broadcast into a buffer first (a broadcast the fusion left as
// an op): the call reads the broadcast's source, and the broadcast goes.
// CHECK-LABEL: func.func @bias_from_broadcast_buffer
// CHECK-NOT:     linalg.broadcast
// CHECK-DAG:     %[[BIASPTR:.*]] = memref.extract_aligned_pointer_as_index %arg2
// CHECK-DAG:     %[[BIAS:.*]] = arith.index_cast %[[BIASPTR]] : index to i64
// CHECK:         call @vmgpuGemmEpilogue({{.*}}, %[[BIAS]])
// CHECK:         linalg.generic {{{.*}}} ins(%arg3 : memref<64x128xf32>) outs(%arg3 : memref<64x128xf32>)
// CHECK-NOT:     linalg.broadcast
func.func @bias_from_broadcast_buffer(%x: memref<64x32xf32>, %w: memref<32x128xf32>, %b: memref<128xf32>, %out: memref<64x128xf32>) {
  %zero = arith.constant 0.0 : f32
  %h = memref.alloc() {alignment = 64 : i64} : memref<64x128xf32>
  linalg.fill ins(%zero : f32) outs(%h : memref<64x128xf32>)
  linalg.matmul ins(%x, %w : memref<64x32xf32>, memref<32x128xf32>) outs(%h : memref<64x128xf32>)
  %rows = memref.alloc() {alignment = 64 : i64} : memref<64x128xf32>
  linalg.broadcast ins(%b : memref<128xf32>) outs(%rows : memref<64x128xf32>) dimensions = [0]
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%h, %rows : memref<64x128xf32>, memref<64x128xf32>) outs(%out : memref<64x128xf32>) {
  ^bb0(%in: f32, %bias: f32, %o: f32):
    %0 = arith.addf %in, %bias : f32
    %1 = arith.cmpf ogt, %0, %zero : f32
    %2 = arith.select %1, %0, %zero : f32
    %3 = arith.cmpf uno, %0, %0 : f32
    %4 = arith.select %3, %0, %2 : f32
    linalg.yield %4 : f32
  }
  memref.dealloc %rows : memref<64x128xf32>
  memref.dealloc %h : memref<64x128xf32>
  return
}

// -----

#rows = affine_map<(d0, d1) -> (d0)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// A bias along M: cuBLASLt's bias runs along N here. Kept.
// CHECK-LABEL: func.func @bias_along_m_is_kept
// CHECK:         call @vmgpuGemm(
// CHECK:         linalg.generic
func.func @bias_along_m_is_kept(%x: memref<64x32xf32>, %w: memref<32x128xf32>, %b: memref<64xf32>, %out: memref<64x128xf32>) {
  %zero = arith.constant 0.0 : f32
  %h = memref.alloc() {alignment = 64 : i64} : memref<64x128xf32>
  linalg.fill ins(%zero : f32) outs(%h : memref<64x128xf32>)
  linalg.matmul ins(%x, %w : memref<64x32xf32>, memref<32x128xf32>) outs(%h : memref<64x128xf32>)
  linalg.generic {indexing_maps = [#id, #rows, #id], iterator_types = ["parallel", "parallel"]}
      ins(%h, %b : memref<64x128xf32>, memref<64xf32>) outs(%out : memref<64x128xf32>) {
  ^bb0(%in: f32, %bias: f32, %o: f32):
    %0 = arith.addf %in, %bias : f32
    linalg.yield %0 : f32
  }
  memref.dealloc %h : memref<64x128xf32>
  return
}

// -----

#bias = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// An f16 bias added to an f32 result: cuBLASLt takes only a bias of the
// output's type (an f16 bias with an f32 output was refused on the device).
// Kept.
// CHECK-LABEL: func.func @f16_bias_with_f32_output_is_kept
// CHECK:         call @vmgpuGemm(
// CHECK:         linalg.generic
func.func @f16_bias_with_f32_output_is_kept(%x: memref<64x32xf16>, %w: memref<32x128xf16>, %b: memref<128xf16>, %out: memref<64x128xf32>) {
  %zero = arith.constant 0.0 : f32
  %h = memref.alloc() {alignment = 64 : i64} : memref<64x128xf32>
  linalg.fill ins(%zero : f32) outs(%h : memref<64x128xf32>)
  linalg.matmul ins(%x, %w : memref<64x32xf16>, memref<32x128xf16>) outs(%h : memref<64x128xf32>)
  linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel"]}
      ins(%h, %b : memref<64x128xf32>, memref<128xf16>) outs(%out : memref<64x128xf32>) {
  ^bb0(%in: f32, %bias16: f16, %o: f32):
    %0 = arith.extf %bias16 : f16 to f32
    %1 = arith.addf %in, %0 : f32
    linalg.yield %1 : f32
  }
  memref.dealloc %h : memref<64x128xf32>
  return
}

// -----

#bias = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// select(x > 0, x, 0) alone turns NaN into 0: not the contract's relu, so
// not a relu the fold may move after the rounding. Kept.
// CHECK-LABEL: func.func @relu_without_nan_rule_is_kept
// CHECK:         call @vmgpuGemm(
// CHECK:         linalg.generic
func.func @relu_without_nan_rule_is_kept(%x: memref<64x32xf32>, %w: memref<32x128xf32>, %b: memref<128xf32>, %out: memref<64x128xf32>) {
  %zero = arith.constant 0.0 : f32
  %h = memref.alloc() {alignment = 64 : i64} : memref<64x128xf32>
  linalg.fill ins(%zero : f32) outs(%h : memref<64x128xf32>)
  linalg.matmul ins(%x, %w : memref<64x32xf32>, memref<32x128xf32>) outs(%h : memref<64x128xf32>)
  linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel"]}
      ins(%h, %b : memref<64x128xf32>, memref<128xf32>) outs(%out : memref<64x128xf32>) {
  ^bb0(%in: f32, %bias: f32, %o: f32):
    %0 = arith.addf %in, %bias : f32
    %1 = arith.cmpf ogt, %0, %zero : f32
    %2 = arith.select %1, %0, %zero : f32
    linalg.yield %2 : f32
  }
  memref.dealloc %h : memref<64x128xf32>
  return
}

// -----

#bias = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// A product that accumulates into C (no zero fill): the call would have to
// read an f32 C and write an f16 D. Kept.
// CHECK-LABEL: func.func @accumulating_product_is_kept
// CHECK:         call @vmgpuGemm(
// CHECK:         linalg.generic
func.func @accumulating_product_is_kept(%x: memref<64x32xf32>, %w: memref<32x128xf32>, %b: memref<128xf32>, %out: memref<64x128xf32>) {
  %one = arith.constant 1.0 : f32
  %h = memref.alloc() {alignment = 64 : i64} : memref<64x128xf32>
  linalg.fill ins(%one : f32) outs(%h : memref<64x128xf32>)
  linalg.matmul ins(%x, %w : memref<64x32xf32>, memref<32x128xf32>) outs(%h : memref<64x128xf32>)
  linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel"]}
      ins(%h, %b : memref<64x128xf32>, memref<128xf32>) outs(%out : memref<64x128xf32>) {
  ^bb0(%in: f32, %bias: f32, %o: f32):
    %0 = arith.addf %in, %bias : f32
    linalg.yield %0 : f32
  }
  memref.dealloc %h : memref<64x128xf32>
  return
}

// -----

#bias = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// The product is read again after the epilogue: it must be written. Kept.
// CHECK-LABEL: func.func @second_reader_of_the_product_is_kept
// CHECK:         call @vmgpuGemm(
// CHECK:         linalg.generic
func.func @second_reader_of_the_product_is_kept(%x: memref<64x32xf32>, %w: memref<32x128xf32>, %b: memref<128xf32>, %out: memref<64x128xf32>, %copy: memref<64x128xf32>) {
  %zero = arith.constant 0.0 : f32
  %h = memref.alloc() {alignment = 64 : i64} : memref<64x128xf32>
  linalg.fill ins(%zero : f32) outs(%h : memref<64x128xf32>)
  linalg.matmul ins(%x, %w : memref<64x32xf32>, memref<32x128xf32>) outs(%h : memref<64x128xf32>)
  linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel"]}
      ins(%h, %b : memref<64x128xf32>, memref<128xf32>) outs(%out : memref<64x128xf32>) {
  ^bb0(%in: f32, %bias: f32, %o: f32):
    %0 = arith.addf %in, %bias : f32
    linalg.yield %0 : f32
  }
  memref.copy %h, %copy : memref<64x128xf32> to memref<64x128xf32>
  memref.dealloc %h : memref<64x128xf32>
  return
}

// -----

#bias = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// The bias is a row of the output: the call would overwrite it while it
// still reads it. Kept.
// CHECK-LABEL: func.func @bias_in_the_output_is_kept
// CHECK:         call @vmgpuGemm(
// CHECK:         linalg.generic
func.func @bias_in_the_output_is_kept(%x: memref<64x32xf32>, %w: memref<32x128xf32>, %out: memref<64x128xf32>) {
  %zero = arith.constant 0.0 : f32
  %h = memref.alloc() {alignment = 64 : i64} : memref<64x128xf32>
  linalg.fill ins(%zero : f32) outs(%h : memref<64x128xf32>)
  linalg.matmul ins(%x, %w : memref<64x32xf32>, memref<32x128xf32>) outs(%h : memref<64x128xf32>)
  %b = memref.subview %out[5, 0] [1, 128] [1, 1] : memref<64x128xf32> to memref<128xf32, strided<[1], offset: 640>>
  linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel"]}
      ins(%h, %b : memref<64x128xf32>, memref<128xf32, strided<[1], offset: 640>>) outs(%out : memref<64x128xf32>) {
  ^bb0(%in: f32, %bias: f32, %o: f32):
    %0 = arith.addf %in, %bias : f32
    linalg.yield %0 : f32
  }
  memref.dealloc %h : memref<64x128xf32>
  return
}

// -----

#bias = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// An output whose rows are contiguous (a transposed view): cuBLASLt would
// add the bias along M. Kept.
// CHECK-LABEL: func.func @column_major_output_is_kept
// CHECK:         call @vmgpuGemm(
// CHECK:         linalg.generic
func.func @column_major_output_is_kept(%x: memref<64x32xf32>, %w: memref<32x128xf32>, %b: memref<128xf32>, %out: memref<64x128xf32, strided<[1, 64]>>) {
  %zero = arith.constant 0.0 : f32
  %h = memref.alloc() {alignment = 64 : i64} : memref<64x128xf32>
  linalg.fill ins(%zero : f32) outs(%h : memref<64x128xf32>)
  linalg.matmul ins(%x, %w : memref<64x32xf32>, memref<32x128xf32>) outs(%h : memref<64x128xf32>)
  linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel"]}
      ins(%h, %b : memref<64x128xf32>, memref<128xf32>) outs(%out : memref<64x128xf32, strided<[1, 64]>>) {
  ^bb0(%in: f32, %bias: f32, %o: f32):
    %0 = arith.addf %in, %bias : f32
    linalg.yield %0 : f32
  }
  memref.dealloc %h : memref<64x128xf32>
  return
}

// -----

#bias = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// A plain truncf to f16 without the contract's NaN rule: not
// buildFloatTruncate's form, and matched only as that. Kept.
// CHECK-LABEL: func.func @truncate_without_nan_rule_is_kept
// CHECK:         call @vmgpuGemm(
// CHECK:         linalg.generic
func.func @truncate_without_nan_rule_is_kept(%x: memref<64x32xf16>, %w: memref<32x128xf16>, %b: memref<128xf16>, %out: memref<64x128xf16>) {
  %zero = arith.constant 0.0 : f32
  %h = memref.alloc() {alignment = 64 : i64} : memref<64x128xf32>
  linalg.fill ins(%zero : f32) outs(%h : memref<64x128xf32>)
  linalg.matmul ins(%x, %w : memref<64x32xf16>, memref<32x128xf16>) outs(%h : memref<64x128xf32>)
  linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel"]}
      ins(%h, %b : memref<64x128xf32>, memref<128xf16>) outs(%out : memref<64x128xf16>) {
  ^bb0(%in: f32, %bias16: f16, %o: f16):
    %0 = arith.extf %bias16 : f16 to f32
    %1 = arith.addf %in, %0 : f32
    %2 = arith.truncf %1 : f32 to f16
    linalg.yield %2 : f16
  }
  memref.dealloc %h : memref<64x128xf32>
  return
}

// -----

#bias = affine_map<(d0, d1, d2) -> (d2)>
#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>

// A batch of products: the epilogue was checked for one. Kept.
// CHECK-LABEL: func.func @batched_product_is_kept
// CHECK:         call @vmgpuGemm(
// CHECK:         linalg.generic
func.func @batched_product_is_kept(%x: memref<3x64x32xf32>, %w: memref<3x32x128xf32>, %b: memref<128xf32>, %out: memref<3x64x128xf32>) {
  %zero = arith.constant 0.0 : f32
  %h = memref.alloc() {alignment = 64 : i64} : memref<3x64x128xf32>
  linalg.fill ins(%zero : f32) outs(%h : memref<3x64x128xf32>)
  linalg.batch_matmul ins(%x, %w : memref<3x64x32xf32>, memref<3x32x128xf32>) outs(%h : memref<3x64x128xf32>)
  linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%h, %b : memref<3x64x128xf32>, memref<128xf32>) outs(%out : memref<3x64x128xf32>) {
  ^bb0(%in: f32, %bias: f32, %o: f32):
    %0 = arith.addf %in, %bias : f32
    linalg.yield %0 : f32
  }
  memref.dealloc %h : memref<3x64x128xf32>
  return
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// The broadcast's source is written again after the broadcast: the call,
// where the product was, would read the new values. Kept.
// CHECK-LABEL: func.func @broadcast_source_rewritten_is_kept
// CHECK:         call @vmgpuGemm(
// CHECK:         linalg.generic
func.func @broadcast_source_rewritten_is_kept(%x: memref<64x32xf32>, %w: memref<32x128xf32>, %out: memref<64x128xf32>) {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %two = arith.constant 2.0 : f32
  %t = memref.alloc() {alignment = 64 : i64} : memref<128xf32>
  linalg.fill ins(%one : f32) outs(%t : memref<128xf32>)
  %rows = memref.alloc() {alignment = 64 : i64} : memref<64x128xf32>
  linalg.broadcast ins(%t : memref<128xf32>) outs(%rows : memref<64x128xf32>) dimensions = [0]
  linalg.fill ins(%two : f32) outs(%t : memref<128xf32>)
  %h = memref.alloc() {alignment = 64 : i64} : memref<64x128xf32>
  linalg.fill ins(%zero : f32) outs(%h : memref<64x128xf32>)
  linalg.matmul ins(%x, %w : memref<64x32xf32>, memref<32x128xf32>) outs(%h : memref<64x128xf32>)
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%h, %rows : memref<64x128xf32>, memref<64x128xf32>) outs(%out : memref<64x128xf32>) {
  ^bb0(%in: f32, %bias: f32, %o: f32):
    %0 = arith.addf %in, %bias : f32
    linalg.yield %0 : f32
  }
  memref.dealloc %h : memref<64x128xf32>
  memref.dealloc %rows : memref<64x128xf32>
  memref.dealloc %t : memref<128xf32>
  return
}

// -----

#bias = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// The bias is copied between the product and the epilogue (into a fresh
// buffer): the copy moves before the call, which reads its result.
// CHECK-LABEL: func.func @bias_computed_after_the_product
// CHECK:         %[[B:.*]] = memref.alloc() {alignment = 64 : i64} : memref<128xf32>
// CHECK:         linalg.copy {{.*}} outs(%[[B]] : memref<128xf32>)
// CHECK-DAG:     %[[BIASPTR:.*]] = memref.extract_aligned_pointer_as_index %[[B]]
// CHECK-DAG:     %[[BIAS:.*]] = arith.index_cast %[[BIASPTR]] : index to i64
// CHECK:         call @vmgpuGemmEpilogue({{.*}}, %[[BIAS]])
// CHECK-NOT:     linalg.
func.func @bias_computed_after_the_product(%x: memref<64x32xf32>, %w: memref<32x128xf32>, %b: memref<128xf32>, %out: memref<64x128xf32>) {
  %zero = arith.constant 0.0 : f32
  %h = memref.alloc() {alignment = 64 : i64} : memref<64x128xf32>
  linalg.fill ins(%zero : f32) outs(%h : memref<64x128xf32>)
  linalg.matmul ins(%x, %w : memref<64x32xf32>, memref<32x128xf32>) outs(%h : memref<64x128xf32>)
  %twice = memref.alloc() {alignment = 64 : i64} : memref<128xf32>
  linalg.copy ins(%b : memref<128xf32>) outs(%twice : memref<128xf32>)
  linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel"]}
      ins(%h, %twice : memref<64x128xf32>, memref<128xf32>) outs(%out : memref<64x128xf32>) {
  ^bb0(%in: f32, %bias: f32, %o: f32):
    %0 = arith.addf %in, %bias : f32
    linalg.yield %0 : f32
  }
  memref.dealloc %twice : memref<128xf32>
  memref.dealloc %h : memref<64x128xf32>
  return
}
