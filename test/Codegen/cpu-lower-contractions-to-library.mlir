// vm-cpu-lower-contractions-to-library: each contraction configured `library`
// becomes a plan call of vmgpuCpuGemm (tile -1) on the calling thread and an
// scf.forall over the tiles it returns, each calling vmgpuCpuGemm with its
// tile; the operands are those of the GPU's vmgpuGemm (types, flags, sizes,
// addresses and strides, the zero fill folded in). Ops the BLAS cannot take
// stay with a remark; ops configured otherwise are left alone.
// RUN: vm-gpu-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline="builtin.module(vm-cpu-lower-contractions-to-library,canonicalize)" \
// RUN:   | FileCheck %s

// A row-major f32 matmul after a zero fill: flags 1 (C written, not read);
// the plan's result bounds the forall; the tile call passes the induction
// variable as the last operand. (A plan of one tile or none runs on the
// calling thread: the pipeline guards the forall's OpenMP region,
// test/Pipelines/vm-to-cpu-library.mlir.)
// CHECK-LABEL: func.func @matmul_f32
// CHECK-NOT:     linalg.fill
// CHECK-DAG:     %[[APTR:.*]] = memref.extract_aligned_pointer_as_index %arg0
// CHECK-DAG:     %[[A:.*]] = arith.index_cast %[[APTR]] : index to i64
// CHECK-DAG:     %[[CPTR:.*]] = memref.extract_aligned_pointer_as_index %arg2
// CHECK-DAG:     %[[C:.*]] = arith.index_cast %[[CPTR]] : index to i64
// CHECK-DAG:     %[[PLAN:.*]] = arith.constant -1 : i64
// CHECK:         %[[TILES:.*]] = call @vmgpuCpuGemm(%c0_i32, %c0_i32, %c0_i32, %c1_i32, %c1_i64, %c128_i64, %c256_i64, %c64_i64, %[[A]], %c0_i64, %c64_i64, %c1_i64, %[[B:[^,]+]], %c0_i64, %c256_i64, %c1_i64, %[[C]], %c0_i64, %c256_i64, %c1_i64, %[[PLAN]])
// CHECK-SAME:      : (i32, i32, i32, i32, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> i64
// CHECK:         %[[COUNT:.*]] = arith.index_cast %[[TILES]] : i64 to index
// CHECK:         scf.forall (%[[T:.*]]) in (%[[COUNT]]) {
// CHECK:           %[[TILE:.*]] = arith.index_cast %[[T]] : index to i64
// CHECK:           call @vmgpuCpuGemm(%c0_i32, %c0_i32, %c0_i32, %c1_i32, %c1_i64, %c128_i64, %c256_i64, %c64_i64, %[[A]], %c0_i64, %c64_i64, %c1_i64, %[[B]], %c0_i64, %c256_i64, %c1_i64, %[[C]], %c0_i64, %c256_i64, %c1_i64, %[[TILE]])
// CHECK:         }
// CHECK-NOT:     linalg.matmul
// CHECK:       func.func private @vmgpuCpuGemm(i32, i32, i32, i32, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> i64 attributes {vmgpu.runtime_library_call}
func.func @matmul_f32(%a: memref<128x64xf32>, %b: memref<64x256xf32>, %c: memref<128x256xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<128x256xf32>)
  linalg.matmul {vmgpu.lowering_config = {class = "contraction", strategy = "library"}}
      ins(%a, %b : memref<128x64xf32>, memref<64x256xf32>)
      outs(%c : memref<128x256xf32>)
  return
}

// -----

// f64 (type code 5) batch_matmul with a transposed A, accumulating into C
// (no fill: flags 0): A as the k x m matrix of the call has row stride 1 and
// column stride 96 (= M); the batch of 4 and the batch strides.
// CHECK-LABEL: func.func @batch_matmul_f64_transpose_a
// CHECK-DAG:     %[[F64:.*]] = arith.constant 5 : i32
// CHECK-DAG:     %[[FLAGS:.*]] = arith.constant 0 : i32
// CHECK-DAG:     %[[BATCH:.*]] = arith.constant 4 : i64
// CHECK-DAG:     %[[M:.*]] = arith.constant 96 : i64
// CHECK-DAG:     %[[N:.*]] = arith.constant 200 : i64
// CHECK-DAG:     %[[K:.*]] = arith.constant 160 : i64
// CHECK-DAG:     %[[ONE:.*]] = arith.constant 1 : i64
// CHECK-DAG:     %[[ASTRIDE:.*]] = arith.constant 15360 : i64
// CHECK-DAG:     %[[BSTRIDE:.*]] = arith.constant 32000 : i64
// CHECK-DAG:     %[[CSTRIDE:.*]] = arith.constant 19200 : i64
// CHECK:         call @vmgpuCpuGemm(%[[F64]], %[[F64]], %[[F64]], %[[FLAGS]], %[[BATCH]], %[[M]], %[[N]], %[[K]], {{[^,]+}}, %[[ASTRIDE]], %[[ONE]], %[[M]], {{[^,]+}}, %[[BSTRIDE]], %[[N]], %[[ONE]], {{[^,]+}}, %[[CSTRIDE]], %[[N]], %[[ONE]], %c-1_i64)
// CHECK:         scf.forall
// CHECK-NOT:     linalg.batch_matmul
func.func @batch_matmul_f64_transpose_a(%a: memref<4x160x96xf64>, %b: memref<4x160x200xf64>,
                                        %c: memref<4x96x200xf64>) {
  linalg.batch_matmul
      indexing_maps = [affine_map<(b, m, n, k) -> (b, k, m)>,
                       affine_map<(b, m, n, k) -> (b, k, n)>,
                       affine_map<(b, m, n, k) -> (b, m, n)>]
      {vmgpu.lowering_config = {class = "contraction", strategy = "library"}}
      ins(%a, %b : memref<4x160x96xf64>, memref<4x160x200xf64>)
      outs(%c : memref<4x96x200xf64>)
  return
}

// -----

// Dynamic sizes: from memref.dim; the strides from the metadata. K is not
// static, so a zero fill is not folded (K = 0 must still leave zeros).
// CHECK-LABEL: func.func @matmul_dynamic
// CHECK:         linalg.fill
// CHECK-DAG:     %[[M:.*]] = memref.dim %arg0, %c0
// CHECK-DAG:     %[[K:.*]] = memref.dim %arg0, %c1
// CHECK-DAG:     %[[N:.*]] = memref.dim %arg1, %c1
// CHECK:         call @vmgpuCpuGemm(%c0_i32, %c0_i32, %c0_i32, %c0_i32, %c1_i64,
// CHECK:         scf.forall
func.func @matmul_dynamic(%a: memref<?x?xf32>, %b: memref<?x?xf32>, %c: memref<?x?xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<?x?xf32>)
  linalg.matmul {vmgpu.lowering_config = {class = "contraction", strategy = "library"}}
      ins(%a, %b : memref<?x?xf32>, memref<?x?xf32>)
      outs(%c : memref<?x?xf32>)
  return
}

// -----

// A subview of rows 1..16 and columns 2..33 of a 64 x 64 C: C's address
// includes the offset (66 elements of 4 bytes), its row stride is 64.
// CHECK-LABEL: func.func @matmul_view
// CHECK-DAG:     %[[BASE:.*]] = memref.extract_aligned_pointer_as_index %subview
// CHECK-DAG:     %[[OFFSET:.*]] = arith.constant 264 : index
// CHECK:         %[[ADDR:.*]] = arith.addi %[[BASE]], %[[OFFSET]] : index
// CHECK:         %[[C:.*]] = arith.index_cast %[[ADDR]] : index to i64
// CHECK:         call @vmgpuCpuGemm({{([^,]+, )+}}%[[C]], %c0_i64, %c64_i64, %c1_i64, %c-1_i64)
func.func @matmul_view(%a: memref<16x8xf32>, %b: memref<8x32xf32>, %c: memref<64x64xf32>) {
  %view = memref.subview %c[1, 2] [16, 32] [1, 1]
      : memref<64x64xf32> to memref<16x32xf32, strided<[64, 1], offset: 66>>
  linalg.matmul {vmgpu.lowering_config = {class = "contraction", strategy = "library"}}
      ins(%a, %b : memref<16x8xf32>, memref<8x32xf32>)
      outs(%view : memref<16x32xf32, strided<[64, 1], offset: 66>>)
  return
}

// -----

// f16 operands: no BLAS GEMM; the op keeps its configuration and the loop
// lowering, with a remark.
// CHECK-LABEL: func.func @matmul_f16
// CHECK-NOT:     call @vmgpuCpuGemm
// CHECK:         linalg.matmul
func.func @matmul_f16(%a: memref<16x8xf16>, %b: memref<8x32xf16>, %c: memref<16x32xf32>) {
  // expected-remark @+1 {{the library strategy leaves this op to the loop lowering: a combination of element types the library does not take}}
  linalg.matmul {vmgpu.lowering_config = {class = "contraction", strategy = "library"}}
      ins(%a, %b : memref<16x8xf16>, memref<8x32xf16>)
      outs(%c : memref<16x32xf32>)
  return
}

// -----

// A strided view with no contiguous dim (every other column of B): no BLAS
// layout fits.
// CHECK-LABEL: func.func @matmul_no_unit_stride
// CHECK-NOT:     call @vmgpuCpuGemm
func.func @matmul_no_unit_stride(%a: memref<16x8xf32>, %b: memref<8x64xf32>, %c: memref<16x32xf32>) {
  %view = memref.subview %b[0, 0] [8, 32] [1, 2]
      : memref<8x64xf32> to memref<8x32xf32, strided<[64, 2]>>
  // expected-remark @+1 {{the library strategy leaves this op to the loop lowering: an operand has no matrix dim of static unit stride}}
  linalg.matmul {vmgpu.lowering_config = {class = "contraction", strategy = "library"}}
      ins(%a, %view : memref<16x8xf32>, memref<8x32xf32, strided<[64, 2]>>)
      outs(%c : memref<16x32xf32>)
  return
}

// -----

// Configured for the tiles: not this pass's op.
// CHECK-LABEL: func.func @generated
// CHECK-NOT:     call @vmgpuCpuGemm
// CHECK:         linalg.matmul
func.func @generated(%a: memref<16x8xf32>, %b: memref<8x32xf32>, %c: memref<16x32xf32>) {
  linalg.matmul {vmgpu.lowering_config = {class = "contraction", strategy = "fallback"}}
      ins(%a, %b : memref<16x8xf32>, memref<8x32xf32>)
      outs(%c : memref<16x32xf32>)
  return
}

// -----

// A function of the block named like the runtime call.
func.func @matmul(%a: memref<16x8xf32>, %b: memref<8x32xf32>, %c: memref<16x32xf32>) {
  linalg.matmul {vmgpu.lowering_config = {class = "contraction", strategy = "library"}}
      ins(%a, %b : memref<16x8xf32>, memref<8x32xf32>)
      outs(%c : memref<16x32xf32>)
  return
}
// expected-error @+1 {{'func.func' op 'vmgpuCpuGemm' is a runtime library call and cannot be redefined}}
func.func @vmgpuCpuGemm() {
  return
}
