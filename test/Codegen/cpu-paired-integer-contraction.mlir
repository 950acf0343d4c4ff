// vm-cpu-tile-contractions on i8 -> i32 matmuls where the CPU multiplies and
// adds pairs of i16 (x86's pmaddwd): i16 copies of both operands (K rounded
// up to even, M and N to whole register tiles, with zeros; B's pairs of rows
// interleaved), the paired linalg.generic over (m, n, p, q) tiled like the
// other contractions, and each register tile a loop over pairs of K with
// one vmgpu_codegen.pair_multiply_add per row and vector of columns.
// Transposed operands and batch matmuls take it too; too few columns and
// CPUs without the instruction keep the tiled contraction.
// RUN: vm-gpu-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-cpu-tile-contractions{target=avx512}))" \
// RUN:   | FileCheck %s --check-prefix=AVX512
// RUN: vm-gpu-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-cpu-tile-contractions{target=avx2}))" \
// RUN:   | FileCheck %s --check-prefix=AVX2
// RUN: vm-gpu-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-cpu-tile-contractions{target=sse}))" \
// RUN:   | FileCheck %s --check-prefix=SSE

// K = 7 and M = 12: copies of 8 columns of A and 8 rows of B, A's rows and
// C padded to 16 (whole AVX-512 tiles of 8 rows x 32 columns; 16
// accumulators), zero-filled first; C's corner is the result. The step
// reads two vectors of 16 column pairs of B at pair p, and for each row the
// pair A[r][2p..2p+1] as one i32, broadcast.
// AVX512: #[[INTERLEAVE:.+]] = affine_map<(d0, d1, d2) -> (d0, d2, d1)>
// AVX512-LABEL: func.func @odd_k
// AVX512: %[[A:.+]] = bufferization.alloc_tensor() : tensor<16x8xi16>
// AVX512: linalg.fill {{.*}} outs(%[[A]] : tensor<16x8xi16>)
// AVX512: arith.extsi {{.*}} : i8 to i16
// AVX512: tensor.insert_slice {{.*}} [12, 7] [1, 1] : tensor<12x7xi16> into tensor<16x8xi16>
// AVX512: tensor.expand_shape {{.*}} into tensor<16x4x2xi16>
// AVX512: %[[B:.+]] = bufferization.alloc_tensor() : tensor<8x64xi16>
// AVX512: linalg.fill {{.*}} outs(%[[B]] : tensor<8x64xi16>)
// AVX512: tensor.expand_shape {{.*}} into tensor<4x2x64xi16>
// AVX512: linalg.generic {indexing_maps = [#[[INTERLEAVE]], {{.*}} ins({{.*}} : tensor<4x2x64xi16>) outs({{.*}} : tensor<4x64x2xi16>)
// AVX512: %[[C:.+]] = bufferization.alloc_tensor() : tensor<16x64xi32>
// AVX512: %[[CIN:.+]] = tensor.insert_slice %arg2 into %[[C]][0, 0] [12, 64] [1, 1]
// AVX512: scf.for {{.*}} iter_args(%{{.*}} = %[[CIN]])
// AVX512: %[[AROWS:.+]] = tensor.collapse_shape {{.*}} : tensor<8x4x2xi16> into tensor<8x8xi16>
// AVX512: %[[BPAIRS:.+]] = tensor.collapse_shape {{.*}} : tensor<4x32x2xi16> into tensor<4x64xi16>
// AVX512: vector.transfer_read %[[CT:.+]][%c0, %c0]{{.*}} : tensor<8x32xi32>, vector<16xi32>
// AVX512: vector.transfer_read %[[CT]][%c0, %c16]{{.*}} : tensor<8x32xi32>, vector<16xi32>
// AVX512: scf.for %[[P:.+]] = %c0 to %c4 step %c1 iter_args({{.*}}) -> (vector<16xi32>, vector<16xi32>,
// AVX512: %[[K:.+]] = arith.muli %[[P]], %c2 : index
// AVX512: %[[B0:.+]] = vector.transfer_read %[[BPAIRS]][%[[P]], %c0]{{.*}} : tensor<4x64xi16>, vector<32xi16>
// AVX512: %[[B1:.+]] = vector.transfer_read %[[BPAIRS]][%[[P]], %c32]{{.*}} : tensor<4x64xi16>, vector<32xi16>
// AVX512: %[[PAIR:.+]] = vector.transfer_read %[[AROWS]][%c0, %[[K]]]{{.*}} : tensor<8x8xi16>, vector<2xi16>
// AVX512: %[[PACKED:.+]] = vector.bitcast %[[PAIR]] : vector<2xi16> to vector<1xi32>
// AVX512: %[[SCALAR:.+]] = vector.extract %[[PACKED]][0] : i32 from vector<1xi32>
// AVX512: %[[SPLAT:.+]] = vector.broadcast %[[SCALAR]] : i32 to vector<16xi32>
// AVX512: %[[REPEATED:.+]] = vector.bitcast %[[SPLAT]] : vector<16xi32> to vector<32xi16>
// AVX512: %[[S0:.+]] = vmgpu_codegen.pair_multiply_add %[[REPEATED]], %[[B0]] {intrinsic = "llvm.x86.avx512.pmaddw.d.512"} : vector<32xi16> -> vector<16xi32>
// AVX512: arith.addi %[[S0]], %{{.*}} : vector<16xi32>
// AVX512: %[[S1:.+]] = vmgpu_codegen.pair_multiply_add %[[REPEATED]], %[[B1]] {intrinsic = "llvm.x86.avx512.pmaddw.d.512"} : vector<32xi16> -> vector<16xi32>
// AVX512: vector.transfer_read %[[AROWS]][%c1, %[[K]]]
// AVX512-COUNT-14: vmgpu_codegen.pair_multiply_add {{.*}} {intrinsic = "llvm.x86.avx512.pmaddw.d.512"} : vector<32xi16> -> vector<16xi32>
// AVX512: scf.yield
// AVX512: vector.transfer_write %{{.*}}, %[[CT]][%c0, %c0]{{.*}} : vector<16xi32>, tensor<8x32xi32>
// AVX512: vector.transfer_write %{{.*}}[%c0, %c16]{{.*}} : vector<16xi32>, tensor<8x32xi32>
// AVX512-COUNT-14: vector.transfer_write {{.*}} : vector<16xi32>, tensor<8x32xi32>
// AVX512: %[[R:.+]] = tensor.extract_slice %{{.*}}[0, 0] [12, 64] [1, 1] : tensor<16x64xi32> to tensor<12x64xi32>
// AVX512-NOT: class = "contraction"{{.*}}strategy = "fallback"
// AVX512: return %[[R]]
// With AVX2 the tiles are 6 x 16: M = 12 needs no padding, C is its own
// accumulator.
// AVX2-LABEL: func.func @odd_k
// AVX2: bufferization.alloc_tensor() : tensor<12x8xi16>
// AVX2-NOT: bufferization.alloc_tensor() : tensor<{{.*}}xi32>
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

// Even K and whole AVX-512 tiles: no zero column, no fill, no padded C.
// AVX2's tiles of 6 rows pad M = 8 to 12: A's copy and C.
// AVX2-LABEL: func.func @even_k
// AVX2: %[[A:.+]] = bufferization.alloc_tensor() : tensor<12x6xi16>
// AVX2: linalg.fill {{.*}} outs(%[[A]] : tensor<12x6xi16>)
// AVX2: bufferization.alloc_tensor() : tensor<12x32xi32>
// AVX2: pair_multiply_add
// AVX2: tensor.extract_slice {{.*}}[0, 0] [8, 32] [1, 1] : tensor<12x32xi32> to tensor<8x32xi32>
// AVX512-LABEL: func.func @even_k
// AVX512-NOT: linalg.fill
// AVX512: bufferization.alloc_tensor() : tensor<8x6xi16>
// AVX512-NOT: linalg.fill
// AVX512: bufferization.alloc_tensor() : tensor<6x32xi16>
// AVX512-NOT: linalg.fill
// AVX512-NOT: bufferization.alloc_tensor() : tensor<{{.*}}xi32>
// AVX512: pair_multiply_add
func.func @even_k(%a: tensor<8x6xi8>, %b: tensor<6x32xi8>,
                  %c: tensor<8x32xi32>) -> tensor<8x32xi32> {
  %r = linalg.matmul ins(%a, %b : tensor<8x6xi8>, tensor<6x32xi8>)
                     outs(%c : tensor<8x32xi32>) -> tensor<8x32xi32>
  return %r : tensor<8x32xi32>
}

// -----

// Transposed operands: B as [N][K] is widened in its own layout (its rows
// are pairs of K already) and its pairs moved to [K/2][N][2] by a second
// copy; A as [K][M] is widened as [K][M] and its pairs moved to [M][K/2][2].
// AVX512: #[[MOVE_B:.+]] = affine_map<(d0, d1, d2) -> (d1, d0, d2)>
// AVX512-LABEL: func.func @transposed_b
// AVX512: tensor.expand_shape {{.*}} into tensor<16x4x2xi16>
// AVX512: bufferization.alloc_tensor() : tensor<64x8xi16>
// AVX512: tensor.expand_shape {{.*}} into tensor<64x4x2xi16>
// AVX512: linalg.generic {indexing_maps = [#[[MOVE_B]], {{.*}} ins({{.*}} : tensor<64x4x2xi16>) outs({{.*}} : tensor<4x64x2xi16>)
// AVX512-COUNT-16: vmgpu_codegen.pair_multiply_add
func.func @transposed_b(%a: tensor<16x8xi8>, %b: tensor<64x8xi8>,
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

// AVX512: #[[MOVE_A:.+]] = affine_map<(d0, d1, d2) -> (d1, d2, d0)>
// AVX512-LABEL: func.func @transposed_a
// AVX512: bufferization.alloc_tensor() : tensor<8x16xi16>
// AVX512: tensor.expand_shape {{.*}} into tensor<4x2x16xi16>
// AVX512: linalg.generic {indexing_maps = [#[[MOVE_A]], {{.*}} ins({{.*}} : tensor<4x2x16xi16>) outs({{.*}} : tensor<16x4x2xi16>)
// AVX512-COUNT-16: vmgpu_codegen.pair_multiply_add
func.func @transposed_a(%a: tensor<8x16xi8>, %b: tensor<8x64xi8>,
                        %c: tensor<16x64xi32>) -> tensor<16x64xi32> {
  %r = linalg.matmul
      indexing_maps = [affine_map<(m, n, k) -> (k, m)>,
                       affine_map<(m, n, k) -> (k, n)>,
                       affine_map<(m, n, k) -> (m, n)>]
      ins(%a, %b : tensor<8x16xi8>, tensor<8x64xi8>)
      outs(%c : tensor<16x64xi32>) -> tensor<16x64xi32>
  return %r : tensor<16x64xi32>
}

// -----

// A batch_matmul: the same form with the batch dim first, tiled one batch
// at a time; a register tile drops its unit batch to read rows of pairs and
// keeps it in C's indices. K = 8: no padding of K; M = 16: none of M.
// AVX512-LABEL: func.func @batch
// AVX512: tensor.expand_shape {{.*}} into tensor<2x16x4x2xi16>
// AVX512: tensor.expand_shape {{.*}} into tensor<2x4x2x64xi16>
// AVX512: linalg.generic {{.*}} ins({{.*}} : tensor<2x4x2x64xi16>) outs({{.*}} : tensor<2x4x64x2xi16>)
// AVX512-NOT: tensor.insert_slice %arg2
// AVX512: tensor.collapse_shape {{.*}} {{\[}}[0, 1], [2, 3]] : tensor<1x8x4x2xi16> into tensor<8x8xi16>
// AVX512: tensor.collapse_shape {{.*}} {{\[}}[0, 1], [2, 3]] : tensor<1x4x32x2xi16> into tensor<4x64xi16>
// AVX512: vector.transfer_read %[[BC:.+]][%c0, %c0, %c0]{{.*}} : tensor<1x8x32xi32>, vector<16xi32>
// AVX512: vector.transfer_read %[[BC]][%c0, %c0, %c16]{{.*}} : tensor<1x8x32xi32>, vector<16xi32>
// AVX512-COUNT-16: vmgpu_codegen.pair_multiply_add
// AVX512: vector.transfer_write %{{.*}}[%c0, %c0, %c0]{{.*}} : vector<16xi32>, tensor<1x8x32xi32>
// AVX2-LABEL: func.func @batch
// AVX2-COUNT-12: vmgpu_codegen.pair_multiply_add {{.*}} {intrinsic = "llvm.x86.avx2.pmadd.wd"}
// SSE-LABEL: func.func @batch
// SSE-NOT: pair_multiply_add
func.func @batch(%a: tensor<2x16x8xi8>, %b: tensor<2x8x64xi8>,
                 %c: tensor<2x16x64xi32>) -> tensor<2x16x64xi32> {
  %r = linalg.batch_matmul ins(%a, %b : tensor<2x16x8xi8>, tensor<2x8x64xi8>)
                           outs(%c : tensor<2x16x64xi32>) -> tensor<2x16x64xi32>
  return %r : tensor<2x16x64xi32>
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
