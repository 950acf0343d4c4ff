// vm-cpu-lower-softmax: rows over an scf.forall; per row the maximum with four
// vector accumulators (arith.maximumf), the sum of exponentials (polynomial
// exp on vectors, each exponential stored in the output as it is made), then
// a divide by the sum over whole vectors and a scalar tail. f16 rows compute
// in f32, recompute the exponential and round once. The configuration comes
// from the target unless the op has one.
// RUN: vm-gpu-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-cpu-lower-softmax{target=avx2}))" \
// RUN:   | FileCheck %s --check-prefix=AVX2
// RUN: vm-gpu-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-cpu-lower-softmax{target=avx512}))" \
// RUN:   | FileCheck %s --check-prefix=AVX512

// AVX2-LABEL: func.func @softmax_f32
// AVX2: scf.forall
// AVX2-COUNT-4: vector.load {{.*}} : memref<?x?xf32>, vector<8xf32>
// AVX2: scf.for {{.*}} iter_args({{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// AVX2: arith.maximumf {{.*}} : vector<8xf32>
// AVX2: arith.maximumf {{.*}} : vector<1xf32>
// AVX2: scf.for {{.*}} -> (f32)
// AVX2: math.floor {{.*}} : vector<8xf32>
// AVX2: vector.store {{.*}} : memref<?x?xf32>, vector<8xf32>
// AVX2: scf.for {{.*}} iter_args({{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// AVX2: arith.addf {{.*}} : vector<8xf32>
// AVX2: scf.for {{.*}} step %c8
// AVX2: arith.divf {{.*}} : vector<8xf32>
// AVX2: scf.for {{.*}} step %c1
// AVX2: arith.divf {{.*}} : f32
// AVX2-NOT: math.exp
// AVX2-NOT: linalg.softmax
// AVX512-LABEL: func.func @softmax_f32
// AVX512: vector.load {{.*}} : memref<?x?xf32>, vector<16xf32>
// AVX512: iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
func.func @softmax_f32(%x: memref<?x?xf32>, %out: memref<?x?xf32>) {
  linalg.softmax dimension(1) ins(%x : memref<?x?xf32>) outs(%out : memref<?x?xf32>)
  return
}

// -----

// f16: loads widened to f32; the last pass is scalar (exp again, divide,
// round once with the contract's NaN rule).
// AVX2-LABEL: func.func @softmax_f16
// AVX2: vector.load {{.*}} : memref<3x?xf16>, vector<8xf16>
// AVX2: arith.extf {{.*}} : vector<8xf16> to vector<8xf32>
// AVX2-NOT: vector.store
// AVX2: arith.divf {{.*}} : f32
// AVX2: arith.truncf {{.*}} : f32 to f16
// AVX2: memref.store {{.*}} : memref<3x?xf16>
func.func @softmax_f16(%x: memref<3x?xf16>, %out: memref<3x?xf16>) {
  linalg.softmax dimension(1) ins(%x : memref<3x?xf16>) outs(%out : memref<3x?xf16>)
  return
}

// -----

// Rows that are not unit-stride: element by element, no vectors.
// AVX2-LABEL: func.func @softmax_strided
// AVX2-NOT: vector.load
// AVX2: arith.maximumf {{.*}} : f64
// AVX2: math.exp {{.*}} : f64
func.func @softmax_strided(%x: memref<4x?xf64, strided<[?, 2]>>, %out: memref<4x?xf64>) {
  linalg.softmax dimension(1) ins(%x : memref<4x?xf64, strided<[?, 2]>>) outs(%out : memref<4x?xf64>)
  return
}

// -----

func.func @softmax_wrong_strategy(%x: memref<?x?xf32>, %out: memref<?x?xf32>) {
  // expected-error @+1 {{needs strategy 'cpu_row_softmax' with a register tile on the innermost dim that is a multiple of 'vector_width'}}
  linalg.softmax {vmgpu.lowering_config = {class = "softmax", strategy = "fallback"}}
    dimension(1) ins(%x : memref<?x?xf32>) outs(%out : memref<?x?xf32>)
  return
}

// -----

func.func @softmax_outer_dim(%x: memref<?x?xf32>, %out: memref<?x?xf32>) {
  // expected-error @+1 {{only a softmax along the innermost dim of buffers of floats is lowered}}
  linalg.softmax dimension(0) ins(%x : memref<?x?xf32>) outs(%out : memref<?x?xf32>)
  return
}
