// vm-cpu-tile-contractions on i8 -> i32 matmuls where the CPU multiplies and
// adds pairs of i16 (x86's pmaddwd): i16 copies of both operands (K rounded
// up to even with a zero column, B's pairs of rows interleaved), the paired
// linalg.generic over (m, n, p, q) tiled like the other contractions, and
// each full register tile a loop over pairs of K with one
// vmgpu_codegen.pair_multiply_add per row and vector of columns (a partial
// tile keeps the generic, configured for the loop lowering). Transposed
// operands, too few columns and CPUs without the instruction keep the tiled
// contraction.
// RUN: vm-gpu-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-cpu-tile-contractions{target=avx512}))" \
// RUN:   | FileCheck %s --check-prefix=AVX512
// RUN: vm-gpu-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-cpu-tile-contractions{target=avx2}))" \
// RUN:   | FileCheck %s --check-prefix=AVX2
// RUN: vm-gpu-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-cpu-tile-contractions{target=sse}))" \
// RUN:   | FileCheck %s --check-prefix=SSE

// K = 7: copies of 8 columns and rows, zero-filled first. AVX-512: register
// tiles of 8 rows x 32 columns (16 accumulators), rows 8-11 a partial tile.
// With AVX2 the tiles are 6 x 16: two full tiles of rows.
// AVX512-LABEL: func.func @odd_k
// AVX512: %[[A:.+]] = bufferization.alloc_tensor() : tensor<12x8xi16>
// AVX512: linalg.fill {{.*}} outs(%[[A]] : tensor<12x8xi16>)
// AVX512: arith.extsi {{.*}} : i8 to i16
// AVX512: tensor.expand_shape {{.*}} into tensor<12x4x2xi16>
// AVX512: %[[B:.+]] = bufferization.alloc_tensor() : tensor<8x64xi16>
// AVX512: linalg.fill {{.*}} outs(%[[B]] : tensor<8x64xi16>)
// AVX512: tensor.expand_shape {{.*}} into tensor<4x2x64xi16>
// AVX512: linalg.generic {{.*}} ins({{.*}} : tensor<4x2x64xi16>) outs({{.*}} : tensor<4x64x2xi16>)
// AVX512: scf.for {{.*}} iter_args({{.*}}) -> (vector<16xi32>, vector<16xi32>,
// AVX512-COUNT-16: vmgpu_codegen.pair_multiply_add {{.*}} {intrinsic = "llvm.x86.avx512.pmaddw.d.512"} : vector<32xi16> -> vector<16xi32>
// AVX512: scf.yield
// AVX512-COUNT-16: vector.transfer_write {{.*}} : vector<16xi32>, tensor<8x32xi32>
// AVX512: linalg.generic {{.*}} ins({{.*}} : tensor<4x4x2xi16>, tensor<4x32x2xi16>) outs({{.*}} : tensor<4x32xi32>)
// AVX512-SAME: class = "contraction"{{.*}}strategy = "fallback"
// AVX512-NOT: linalg.matmul
// AVX2-LABEL: func.func @odd_k
// AVX2-COUNT-12: vmgpu_codegen.pair_multiply_add {{.*}} {intrinsic = "llvm.x86.avx2.pmadd.wd"} : vector<16xi16> -> vector<8xi32>
// AVX2-NOT: class = "contraction"{{.*}}strategy = "fallback"
// SSE-LABEL: func.func @odd_k
// SSE-NOT: vmgpu_codegen.pair_multiply_add
// SSE: arith.muli {{.*}} : vector<{{[0-9]+}}xi32>
func.func @odd_k(%a: tensor<12x7xi8>, %b: tensor<7x64xi8>,
                 %c: tensor<12x64xi32>) -> tensor<12x64xi32> {
  %r = linalg.matmul ins(%a, %b : tensor<12x7xi8>, tensor<7x64xi8>)
                     outs(%c : tensor<12x64xi32>) -> tensor<12x64xi32>
  return %r : tensor<12x64xi32>
}

// -----

// Even K: no zero column, no fill.
// AVX2-LABEL: func.func @even_k
// AVX512-LABEL: func.func @even_k
// AVX512-NOT: linalg.fill
// AVX512: bufferization.alloc_tensor() : tensor<8x6xi16>
// AVX512: pair_multiply_add
func.func @even_k(%a: tensor<8x6xi8>, %b: tensor<6x32xi8>,
                  %c: tensor<8x32xi32>) -> tensor<8x32xi32> {
  %r = linalg.matmul ins(%a, %b : tensor<8x6xi8>, tensor<6x32xi8>)
                     outs(%c : tensor<8x32xi32>) -> tensor<8x32xi32>
  return %r : tensor<8x32xi32>
}

// -----

// B transposed: the tiled contraction.
// AVX512-LABEL: func.func @transposed
// AVX512-NOT: pair_multiply_add
// AVX512: arith.muli {{.*}} : vector<32xi32>
func.func @transposed(%a: tensor<16x8xi8>, %b: tensor<64x8xi8>,
                      %c: tensor<16x64xi32>) -> tensor<16x64xi32> {
  %r = linalg.matmul
      indexing_maps = [affine_map<(m, n, k) -> (m, k)>,
                       affine_map<(m, n, k) -> (n, k)>,
                       affine_map<(m, n, k) -> (m, n)>]
      ins(%a, %b : tensor<16x8xi8>, tensor<64x8xi8>)
      outs(%c : tensor<16x64xi32>) -> tensor<16x64xi32>
  return %r : tensor<16x64xi32>
}

// -----

// Fewer columns than a register tile (32 on AVX-512): the tiled contraction.
// AVX512-LABEL: func.func @narrow
// AVX512-NOT: pair_multiply_add
// AVX2-LABEL: func.func @narrow
// AVX2: pair_multiply_add
func.func @narrow(%a: tensor<16x8xi8>, %b: tensor<8x16xi8>,
                  %c: tensor<16x16xi32>) -> tensor<16x16xi32> {
  %r = linalg.matmul ins(%a, %b : tensor<16x8xi8>, tensor<8x16xi8>)
                     outs(%c : tensor<16x16xi32>) -> tensor<16x16xi32>
  return %r : tensor<16x16xi32>
}
