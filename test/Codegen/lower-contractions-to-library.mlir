// The `library` contraction strategy: which contractions the configuration
// choice sends to the GEMM library per `contraction-strategy` and chip, and
// the vmgpuGemm call that replaces them (types, sizes, addresses, strides, the
// folded zero fill). Layouts cuBLASLt cannot read keep a generated
// configuration.
// RUN: vm-gpu-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-gpu-select-lowering-config{contraction-strategy=library}),vm-gpu-lower-contractions-to-library,canonicalize)" \
// RUN:   | FileCheck %s --check-prefix=LIB
// RUN: vm-gpu-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-gpu-select-lowering-config{contraction-strategy=auto}))" \
// RUN:   | FileCheck %s --check-prefix=AUTO
// RUN: vm-gpu-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-gpu-select-lowering-config{contraction-strategy=generated}))" \
// RUN:   | FileCheck %s --check-prefix=GEN
// RUN: vm-gpu-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-gpu-select-lowering-config{contraction-strategy=auto tensor-cores=false}))" \
// RUN:   | FileCheck %s --check-prefix=AUTO-SIMT
// RUN: vm-gpu-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-gpu-select-lowering-config{chip=gfx942 contraction-strategy=library}))" \
// RUN:   | FileCheck %s --check-prefix=AMD

// A row-major f32 matmul whose output was zero-filled: the fill folds into the
// call (flags = 1: C is written, not read); the sizes come from the buffers,
// the strides from their metadata.
// LIB-LABEL: func.func @matmul_f32
// LIB-NOT:     linalg.fill
// LIB-DAG:     %[[APTR:.*]] = memref.extract_aligned_pointer_as_index %arg0
// LIB-DAG:     %[[A:.*]] = arith.index_cast %[[APTR]] : index to i64
// LIB-DAG:     %[[CPTR:.*]] = memref.extract_aligned_pointer_as_index %arg2
// LIB-DAG:     %[[C:.*]] = arith.index_cast %[[CPTR]] : index to i64
// LIB:         call @vmgpuGemm(%c0_i32, %c0_i32, %c0_i32, %c1_i32, %c1_i64, %c128_i64, %c256_i64, %c64_i64, %[[A]], %c0_i64, %c64_i64, %c1_i64, {{[^,]+}}, %c0_i64, %c256_i64, %c1_i64, %[[C]], %c0_i64, %c256_i64, %c1_i64)
// LIB-SAME:      : (i32, i32, i32, i32, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> ()
// LIB-NOT:     linalg.matmul
// LIB:       func.func private @vmgpuGemm(i32, i32, i32, i32, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) attributes {vmgpu.runtime_library_call}
// AUTO-LABEL: func.func @matmul_f32
// AUTO:         linalg.matmul {vmgpu.lowering_config = {{{.*}}class = "contraction", {{.*}}strategy = "library"
// GEN-LABEL: func.func @matmul_f32
// GEN:         linalg.matmul {vmgpu.lowering_config = {{{.*}}class = "contraction", {{.*}}strategy = "{{tiled_simt|mma_sync|fallback}}"
// AMD-LABEL: func.func @matmul_f32
// AMD:         linalg.matmul {vmgpu.lowering_config = {{{.*}}class = "contraction", {{.*}}strategy = "{{tiled_simt|mma_sync|fallback}}"
func.func @matmul_f32(%a: memref<128x64xf32>, %b: memref<64x256xf32>, %c: memref<128x256xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<128x256xf32>)
  linalg.matmul ins(%a, %b : memref<128x64xf32>, memref<64x256xf32>)
                outs(%c : memref<128x256xf32>)
  return
}

// -----

// The call's constants: element types (f16 = 1, f32 = 0), flags 0 (no zero
// fill: C is accumulated into), the batch of 3 from C's dim 0.
// LIB-LABEL: func.func @batch_matmul_f16_f32
// LIB-DAG:     %[[F16:.*]] = arith.constant 1 : i32
// LIB-DAG:     %[[F32:.*]] = arith.constant 0 : i32
// LIB-DAG:     %[[BATCH:.*]] = arith.constant 3 : i64
// LIB-DAG:     %[[M:.*]] = arith.constant 17 : i64
// LIB-DAG:     %[[N:.*]] = arith.constant 33 : i64
// LIB-DAG:     %[[K:.*]] = arith.constant 7 : i64
// LIB:         call @vmgpuGemm(%[[F16]], %[[F16]], %[[F32]], %[[F32]], %[[BATCH]], %[[M]], %[[N]], %[[K]],
// LIB-NOT:     linalg.batch_matmul
// AUTO-LABEL: func.func @batch_matmul_f16_f32
// AUTO:         linalg.batch_matmul {vmgpu.lowering_config = {{{.*}}class = "contraction", {{.*}}strategy = "{{tiled_simt|mma_sync|fallback}}"
func.func @batch_matmul_f16_f32(%a: memref<3x17x7xf16>, %b: memref<3x7x33xf16>, %c: memref<3x17x33xf32>) {
  linalg.batch_matmul ins(%a, %b : memref<3x17x7xf16>, memref<3x7x33xf16>)
                      outs(%c : memref<3x17x33xf32>)
  return
}

// -----

// Transposed B (vm.matmul transpose_b): B is n x k, contiguous along K. As
// the k x n matrix of the call its row stride is 1 and its column stride 64
// (= K); A's are (64, 1), C's (128, 1); no batch (strides 0, batch 1).
// LIB-LABEL: func.func @matmul_transpose_b
// LIB-DAG:     %[[ZERO:.*]] = arith.constant 0 : i64
// LIB-DAG:     %[[ONE:.*]] = arith.constant 1 : i64
// LIB-DAG:     %[[M:.*]] = arith.constant 32 : i64
// LIB-DAG:     %[[N:.*]] = arith.constant 128 : i64
// LIB-DAG:     %[[K:.*]] = arith.constant 64 : i64
// LIB:         call @vmgpuGemm({{[^,]+}}, {{[^,]+}}, {{[^,]+}}, {{[^,]+}}, %[[ONE]], %[[M]], %[[N]], %[[K]], {{[^,]+}}, %[[ZERO]], %[[K]], %[[ONE]], {{[^,]+}}, %[[ZERO]], %[[ONE]], %[[K]], {{[^,]+}}, %[[ZERO]], %[[N]], %[[ONE]])
// LIB-NOT:     linalg.matmul
func.func @matmul_transpose_b(%a: memref<32x64xf32>, %b: memref<128x64xf32>, %c: memref<32x128xf32>) {
  linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                                 affine_map<(m, n, k) -> (n, k)>,
                                 affine_map<(m, n, k) -> (m, n)>]
                ins(%a, %b : memref<32x64xf32>, memref<128x64xf32>)
                outs(%c : memref<32x128xf32>)
  return
}

// -----

// i8 x i8 -> i32 with A contiguous along K, B along K (transposed: the
// "TN" form) or along N, K and the leading dimensions multiples of 4: the
// library (types 3, 3, 4).
// LIB-LABEL: func.func @matmul_i8
// LIB-DAG:     %[[I8:.*]] = arith.constant 3 : i32
// LIB-DAG:     %[[I32:.*]] = arith.constant 4 : i32
// LIB:         call @vmgpuGemm(%[[I8]], %[[I8]], %[[I32]],
// LIB:         call @vmgpuGemm(%[[I8]], %[[I8]], %[[I32]],
// LIB-NOT:     linalg.matmul
func.func @matmul_i8(%a: memref<64x128xi8>, %bt: memref<32x128xi8>, %b: memref<128x32xi8>,
                     %c: memref<64x32xi32>) {
  linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                                 affine_map<(m, n, k) -> (n, k)>,
                                 affine_map<(m, n, k) -> (m, n)>]
                ins(%a, %bt : memref<64x128xi8>, memref<32x128xi8>)
                outs(%c : memref<64x32xi32>)
  linalg.matmul ins(%a, %b : memref<64x128xi8>, memref<128x32xi8>)
                outs(%c : memref<64x32xi32>)
  return
}

// -----

// i8 sizes known only at run time stay generated even under `library`:
// cuBLASLt refuses K = 17 or a leading dimension of 7 only when the call is
// made, which would fail the run (cpu_matmul_dyn_i8_i32_97x300x129 on the
// H200). Under `auto`, a large i8 product also stays on the generated
// tensor-core kernel (faster than cuBLASLt's on the H200), unless tensor
// cores are off.
// LIB-LABEL: func.func @matmul_i8_dynamic
// LIB:         linalg.matmul {{.*}}strategy = "mma_sync"
// LIB-NOT:     call @vmgpuGemm
// LIB-LABEL: func.func @matmul_i8_large
// LIB:         call @vmgpuGemm
// AUTO-LABEL: func.func @matmul_i8_dynamic
// AUTO:         strategy = "mma_sync"
// AUTO-LABEL: func.func @matmul_i8_large
// AUTO:         strategy = "mma_sync"
// AUTO-SIMT-LABEL: func.func @matmul_i8_dynamic
// AUTO-SIMT:         strategy = "tiled_simt"
// AUTO-SIMT-LABEL: func.func @matmul_i8_large
// AUTO-SIMT:         strategy = "library"
func.func @matmul_i8_dynamic(%a: memref<?x?xi8>, %b: memref<?x?xi8>, %c: memref<?x?xi32>) {
  linalg.matmul ins(%a, %b : memref<?x?xi8>, memref<?x?xi8>)
                outs(%c : memref<?x?xi32>)
  return
}
func.func @matmul_i8_large(%a: memref<4096x4096xi8>, %b: memref<4096x4096xi8>,
                           %c: memref<4096x4096xi32>) {
  linalg.matmul ins(%a, %b : memref<4096x4096xi8>, memref<4096x4096xi8>)
                outs(%c : memref<4096x4096xi32>)
  return
}

// -----

// i8 that cuBLASLt refused on the H200 or whose alignment it does not
// promise: K = 6, a single output row, B's leading dimension 30, A read
// along M (transpose_a). All generated.
// LIB-LABEL: func.func @matmul_i8_refused
// LIB-COUNT-4: linalg.matmul {{.*}}strategy = "{{tiled_simt|mma_sync|fallback}}"
// LIB-NOT:     call @vmgpuGemm
func.func @matmul_i8_refused(%a6: memref<64x6xi8>, %b6: memref<6x32xi8>, %c: memref<64x32xi32>,
                             %a1: memref<1x128xi8>, %b: memref<128x32xi8>, %c1: memref<1x32xi32>,
                             %a: memref<64x128xi8>, %b30: memref<128x30xi8>, %c30: memref<64x30xi32>,
                             %at: memref<128x64xi8>) {
  linalg.matmul ins(%a6, %b6 : memref<64x6xi8>, memref<6x32xi8>)
                outs(%c : memref<64x32xi32>)
  linalg.matmul ins(%a1, %b : memref<1x128xi8>, memref<128x32xi8>)
                outs(%c1 : memref<1x32xi32>)
  linalg.matmul ins(%a, %b30 : memref<64x128xi8>, memref<128x30xi8>)
                outs(%c30 : memref<64x30xi32>)
  linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (k, m)>,
                                 affine_map<(m, n, k) -> (k, n)>,
                                 affine_map<(m, n, k) -> (m, n)>]
                ins(%at, %b : memref<128x64xi8>, memref<128x32xi8>)
                outs(%c : memref<64x32xi32>)
  return
}

// -----

// No dim of unit stride (every second element of a wider buffer), and an
// f32 x f32 -> f64 matmul: generated.
// LIB-LABEL: func.func @layouts_refused
// LIB:         linalg.matmul {vmgpu.lowering_config = {{{.*}}class = "contraction", {{.*}}strategy = "{{tiled_simt|mma_sync|fallback}}"
// LIB:         linalg.matmul {vmgpu.lowering_config = {{{.*}}class = "contraction", {{.*}}strategy = "{{tiled_simt|mma_sync|fallback}}"
// LIB-NOT:     call @vmgpuGemm
func.func @layouts_refused(%a: memref<64x64xf32, strided<[256, 2]>>, %b: memref<64x64xf32>,
                           %c: memref<64x64xf32>, %d: memref<64x64xf64>) {
  linalg.matmul ins(%a, %b : memref<64x64xf32, strided<[256, 2]>>, memref<64x64xf32>)
                outs(%c : memref<64x64xf32>)
  linalg.matmul ins(%b, %b : memref<64x64xf32>, memref<64x64xf32>)
                outs(%d : memref<64x64xf64>)
  return
}

// -----

// Sizes known only at run time: `auto` takes the library (large is likely).
// A small static matmul stays generated under `auto`.
// AUTO-LABEL: func.func @auto_sizes
// AUTO:         linalg.matmul {vmgpu.lowering_config = {{{.*}}class = "contraction", {{.*}}strategy = "library"
// AUTO:         linalg.matmul {vmgpu.lowering_config = {{{.*}}class = "contraction", {{.*}}strategy = "{{tiled_simt|mma_sync|fallback}}"
// Under `library`, the zero fill of an output whose K may be 0 at run time
// stays (the call then accumulates into it: flags 0).
// LIB-LABEL: func.func @auto_sizes
// LIB:         linalg.fill
// LIB:         memref.dim %arg0, %c0
// LIB:         call @vmgpuGemm(%c0_i32, %c0_i32, %c0_i32, %c0_i32,
// LIB:         call @vmgpuGemm
func.func @auto_sizes(%a: memref<?x?xf32>, %b: memref<?x?xf32>, %c: memref<?x?xf32>,
                      %sa: memref<8x8xf32>, %sc: memref<8x8xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<?x?xf32>)
  linalg.matmul ins(%a, %b : memref<?x?xf32>, memref<?x?xf32>)
                outs(%c : memref<?x?xf32>)
  linalg.matmul ins(%sa, %sa : memref<8x8xf32>, memref<8x8xf32>)
                outs(%sc : memref<8x8xf32>)
  return
}

// -----

// A fill between the zero fill and the matmul (into a view of the output)
// stops the folding: both fills stay, and the call accumulates (flags 0).
// LIB-LABEL: func.func @fill_of_a_view
// LIB:         linalg.fill
// LIB:         linalg.fill
// LIB:         call @vmgpuGemm(%c0_i32, %c0_i32, %c0_i32, %c0_i32,
func.func @fill_of_a_view(%a: memref<64x64xf32>, %c: memref<64x64xf32>) {
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %view = memref.subview %c[0, 0] [8, 8] [1, 1] : memref<64x64xf32> to memref<8x8xf32, strided<[64, 1]>>
  linalg.fill ins(%zero : f32) outs(%c : memref<64x64xf32>)
  linalg.fill ins(%one : f32) outs(%view : memref<8x8xf32, strided<[64, 1]>>)
  linalg.matmul ins(%a, %a : memref<64x64xf32>, memref<64x64xf32>)
                outs(%c : memref<64x64xf32>)
  return
}

// -----

// A configuration written by hand is kept; `library` on an op the library
// cannot take leaves it to the kernel lowering.
// LIB-LABEL: func.func @hand_written
// LIB:         linalg.matmul {vmgpu.lowering_config = {{{.*}}class = "contraction", strategy = "library"}}
// LIB-NOT:     call @vmgpuGemm
func.func @hand_written(%a: memref<64x64xf32, strided<[256, 2]>>, %b: memref<64x64xf32>,
                        %c: memref<64x64xf32>) {
  linalg.matmul {vmgpu.lowering_config = {class = "contraction", strategy = "library"}}
                ins(%a, %b : memref<64x64xf32, strided<[256, 2]>>, memref<64x64xf32>)
                outs(%c : memref<64x64xf32>)
  return
}

// -----

// expected-error @+1 {{'func.func' op 'vmgpuGemm' is a runtime library call and cannot be redefined}}
func.func @vmgpuGemm() {
  return
}
func.func @redefined(%a: memref<64x64xf32>, %c: memref<64x64xf32>) {
  linalg.matmul ins(%a, %a : memref<64x64xf32>, memref<64x64xf32>)
                outs(%c : memref<64x64xf32>)
  return
}

// -----

// bf16 inputs that arrive as i16 bits (`vm.bitcast` after bufferization: a
// same-width bitcast copy into a fresh buffer): the library reads the i16
// buffers in place; the copies (kernels of their own otherwise) and their
// buffers go.
// LIB-LABEL: func.func @matmul_bf16_from_bits
// LIB-NOT:     linalg.generic
// LIB-NOT:     memref.alloc() {{.*}}xbf16>
// LIB-DAG:     %[[APTR:.*]] = memref.extract_aligned_pointer_as_index %arg0 : memref<64x32xi16>
// LIB-DAG:     %[[BPTR:.*]] = memref.extract_aligned_pointer_as_index %arg1 : memref<32x48xi16>
// LIB:         call @vmgpuGemm(%c2_i32, %c2_i32, %c0_i32,
#identity = affine_map<(d0, d1) -> (d0, d1)>
func.func @matmul_bf16_from_bits(%a: memref<64x32xi16>, %b: memref<32x48xi16>, %c: memref<64x48xf32>) {
  %abf = memref.alloc() : memref<64x32xbf16>
  linalg.generic {indexing_maps = [#identity, #identity], iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<64x32xi16>) outs(%abf : memref<64x32xbf16>) {
  ^bb0(%in: i16, %out: bf16):
    %0 = arith.bitcast %in : i16 to bf16
    linalg.yield %0 : bf16
  }
  %bbf = memref.alloc() : memref<32x48xbf16>
  linalg.generic {indexing_maps = [#identity, #identity], iterator_types = ["parallel", "parallel"]}
      ins(%b : memref<32x48xi16>) outs(%bbf : memref<32x48xbf16>) {
  ^bb0(%in: i16, %out: bf16):
    %0 = arith.bitcast %in : i16 to bf16
    linalg.yield %0 : bf16
  }
  linalg.matmul ins(%abf, %bbf : memref<64x32xbf16>, memref<32x48xbf16>)
                outs(%c : memref<64x48xf32>)
  memref.dealloc %abf : memref<64x32xbf16>
  memref.dealloc %bbf : memref<32x48xbf16>
  return
}

// -----

// Both inputs the same bitcast copy: read in place once for both.
// LIB-LABEL: func.func @matmul_bf16_square_from_bits
// LIB-NOT:     linalg.generic
// LIB:         %[[PTR:.*]] = memref.extract_aligned_pointer_as_index %arg0 : memref<64x64xi16>
// LIB:         call @vmgpuGemm(%c2_i32, %c2_i32, %c0_i32,
#identity = affine_map<(d0, d1) -> (d0, d1)>
func.func @matmul_bf16_square_from_bits(%a: memref<64x64xi16>, %c: memref<64x64xf32>) {
  %abf = memref.alloc() : memref<64x64xbf16>
  linalg.generic {indexing_maps = [#identity, #identity], iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<64x64xi16>) outs(%abf : memref<64x64xbf16>) {
  ^bb0(%in: i16, %out: bf16):
    %0 = arith.bitcast %in : i16 to bf16
    linalg.yield %0 : bf16
  }
  linalg.matmul ins(%abf, %abf : memref<64x64xbf16>, memref<64x64xbf16>)
                outs(%c : memref<64x64xf32>)
  memref.dealloc %abf : memref<64x64xbf16>
  return
}

// -----

// The copy stays when the library would not read the copied bits: the
// source is written after the copy (A), or the copy is read by another op
// too (B).
// LIB-LABEL: func.func @matmul_bf16_copies_kept
// LIB:         %[[ABF:.*]] = memref.alloc() : memref<64x32xbf16>
// LIB:         linalg.generic {{.*}} ins(%arg0 : memref<64x32xi16>) outs(%[[ABF]]
// LIB:         linalg.fill
// LIB:         %[[BBF:.*]] = memref.alloc() : memref<32x48xbf16>
// LIB:         linalg.generic {{.*}} ins(%arg1 : memref<32x48xi16>) outs(%[[BBF]]
// LIB:         memref.copy %[[BBF]], %arg3
// LIB-DAG:     memref.extract_aligned_pointer_as_index %[[ABF]]
// LIB-DAG:     memref.extract_aligned_pointer_as_index %[[BBF]]
// LIB:         call @vmgpuGemm(%c2_i32, %c2_i32, %c0_i32,
#identity = affine_map<(d0, d1) -> (d0, d1)>
func.func @matmul_bf16_copies_kept(%a: memref<64x32xi16>, %b: memref<32x48xi16>, %c: memref<64x48xf32>, %keep: memref<32x48xbf16>) {
  %zero = arith.constant 0 : i16
  %abf = memref.alloc() : memref<64x32xbf16>
  linalg.generic {indexing_maps = [#identity, #identity], iterator_types = ["parallel", "parallel"]}
      ins(%a : memref<64x32xi16>) outs(%abf : memref<64x32xbf16>) {
  ^bb0(%in: i16, %out: bf16):
    %0 = arith.bitcast %in : i16 to bf16
    linalg.yield %0 : bf16
  }
  linalg.fill ins(%zero : i16) outs(%a : memref<64x32xi16>)
  %bbf = memref.alloc() : memref<32x48xbf16>
  linalg.generic {indexing_maps = [#identity, #identity], iterator_types = ["parallel", "parallel"]}
      ins(%b : memref<32x48xi16>) outs(%bbf : memref<32x48xbf16>) {
  ^bb0(%in: i16, %out: bf16):
    %0 = arith.bitcast %in : i16 to bf16
    linalg.yield %0 : bf16
  }
  memref.copy %bbf, %keep : memref<32x48xbf16> to memref<32x48xbf16>
  linalg.matmul ins(%abf, %bbf : memref<64x32xbf16>, memref<32x48xbf16>)
                outs(%c : memref<64x48xf32>)
  return
}

// -----

// The copy stays when its source is freed before the product (A), when the
// product writes the source (B: reading A from C's buffer is what the copy
// prevented), and when the copied buffer is also the output (C).
// LIB-LABEL: func.func @matmul_bitcast_copies_needed
// LIB:         linalg.generic
// LIB:         call @vmgpuGemm
// LIB:         linalg.generic
// LIB:         call @vmgpuGemm
// LIB:         linalg.generic
// LIB:         call @vmgpuGemm
#identity = affine_map<(d0, d1) -> (d0, d1)>
func.func @matmul_bitcast_copies_needed(%x: memref<64x64xi32>, %y: memref<64x64xf32>, %b: memref<64x64xf32>, %c: memref<64x64xf32>) {
  %s = memref.alloc() : memref<64x64xi32>
  memref.copy %x, %s : memref<64x64xi32> to memref<64x64xi32>
  %a1 = memref.alloc() : memref<64x64xf32>
  linalg.generic {indexing_maps = [#identity, #identity], iterator_types = ["parallel", "parallel"]}
      ins(%s : memref<64x64xi32>) outs(%a1 : memref<64x64xf32>) {
  ^bb0(%in: i32, %out: f32):
    %0 = arith.bitcast %in : i32 to f32
    linalg.yield %0 : f32
  }
  memref.dealloc %s : memref<64x64xi32>
  linalg.matmul ins(%a1, %b : memref<64x64xf32>, memref<64x64xf32>)
                outs(%c : memref<64x64xf32>)
  %a2 = memref.alloc() : memref<64x64xf32>
  linalg.generic {indexing_maps = [#identity, #identity], iterator_types = ["parallel", "parallel"]}
      ins(%y : memref<64x64xf32>) outs(%a2 : memref<64x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.bitcast %in : f32 to f32
    linalg.yield %0 : f32
  }
  linalg.matmul ins(%a2, %b : memref<64x64xf32>, memref<64x64xf32>)
                outs(%y : memref<64x64xf32>)
  %a3 = memref.alloc() : memref<64x64xf32>
  linalg.generic {indexing_maps = [#identity, #identity], iterator_types = ["parallel", "parallel"]}
      ins(%x : memref<64x64xi32>) outs(%a3 : memref<64x64xf32>) {
  ^bb0(%in: i32, %out: f32):
    %0 = arith.bitcast %in : i32 to f32
    linalg.yield %0 : f32
  }
  linalg.matmul ins(%a3, %b : memref<64x64xf32>, memref<64x64xf32>)
                outs(%a3 : memref<64x64xf32>)
  memref.dealloc %a1 : memref<64x64xf32>
  memref.dealloc %a2 : memref<64x64xf32>
  memref.dealloc %a3 : memref<64x64xf32>
  return
}

// -----

// `auto` keeps a product that reads an im2col copy's source in place (a
// convolution's implicit GEMM: no copy kernel) on the generated
// strategies, which ran such convolutions 1.5-4x faster than the copy and
// a cuBLASLt call; the same product of a plain buffer goes to the library.
#im2col = affine_map<(n, oh, ow, kh, kw, c) -> (n, oh + kh, ow + kw, c)>
#id6 = affine_map<(n, oh, ow, kh, kw, c) -> (n, oh, ow, kh, kw, c)>
// AUTO-LABEL: func.func @implicit_gemm_generated
// AUTO:         linalg.matmul {vmgpu.lowering_config = {{{.*}}strategy = "mma_sync"
// AUTO:         linalg.matmul {vmgpu.lowering_config = {{{.*}}strategy = "library"
func.func @implicit_gemm_generated(%in: memref<4x18x18x64xf16>, %f: memref<576x64xf16>, %c: memref<1024x64xf32>, %plain: memref<1024x576xf16>, %d: memref<1024x64xf32>) {
  %cols = memref.alloc() : memref<4x16x16x3x3x64xf16>
  linalg.generic {indexing_maps = [#im2col, #id6], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%in : memref<4x18x18x64xf16>) outs(%cols : memref<4x16x16x3x3x64xf16>) {
  ^bb0(%x: f16, %y: f16):
    linalg.yield %x : f16
  }
  %a = memref.collapse_shape %cols [[0, 1, 2], [3, 4, 5]] : memref<4x16x16x3x3x64xf16> into memref<1024x576xf16>
  linalg.matmul ins(%a, %f : memref<1024x576xf16>, memref<576x64xf16>) outs(%c : memref<1024x64xf32>)
  linalg.matmul ins(%plain, %f : memref<1024x576xf16>, memref<576x64xf16>) outs(%d : memref<1024x64xf32>)
  memref.dealloc %cols : memref<4x16x16x3x3x64xf16>
  return
}
