// vm-gpu-lower-contractions (tiled_simt) with hand-written configurations:
// shared-memory slices of A and B, the register tile kept across the K loop
// and updated with FMA outer products, guarded 16-byte global accesses,
// the fill of the output folded into the kernel; bad configurations are
// errors, other contractions are left alone.
// RUN: vm-gpu-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-gpu-lower-contractions,canonicalize))" \
// RUN:   | FileCheck %s

#cfg = {class = "contraction", strategy = "tiled_simt", workgroup = array<i64: 16, 16, 1>, cache_tiles = array<i64: 128, 128, 8>, register_tiles = array<i64: 8, 8, 1>}

// 128 x 128 blocks, K slices of 8, 16 x 16 threads with 8 x 8 tiles: two
// double-buffered [8][128 + 4] shared buffers.
// CHECK-LABEL: func.func @matmul_fill
// CHECK-SAME: (%[[A:.+]]: memref<?x?xf32>, %[[B:.+]]: memref<?x?xf32>, %[[C:.+]]: memref<?x?xf32>)
// CHECK-NOT: linalg.fill
// CHECK: gpu.launch blocks({{.*}}) threads({{.*}}) in ({{.*}} = %c16, {{.*}} = %c16, {{.*}}) workgroup(%[[AS:.+]] : memref<2112xf32, #gpu.address_space<workgroup>>, %[[BS:.+]] : memref<2112xf32, #gpu.address_space<workgroup>>)
// Run-time alignment check of each operand (uniform).
// CHECK: memref.extract_aligned_pointer_as_index %[[A]]
// Slice 0: a 16-byte chunk of A along K, stored transposed (4 scalars),
// one of B along N, stored as a vector.
// CHECK: scf.if
// CHECK: vector.load %[[A]][{{.*}}] {alignment = 16 : i64} : memref<?x?xf32>, vector<4xf32>
// CHECK: memref.load %[[A]]
// CHECK: vector.load %[[B]][{{.*}}] {alignment = 16 : i64} : memref<?x?xf32>, vector<4xf32>
// CHECK-COUNT-4: memref.store %{{.+}}, %[[AS]]
// CHECK: vector.store %{{.+}}, %[[BS]][{{.*}}] {alignment = 16 : i64}
// CHECK: gpu.barrier
// The accumulators start from the fill value and stay in registers.
// CHECK: %[[ACC:.+]]:8 = scf.for %{{.+}} = %c0 to %{{.+}} step %c1 iter_args(%{{.+}} = %cst, {{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// The next slice is loaded before this one is computed.
// CHECK: scf.if %{{.+}} -> (vector<4xf32>, vector<4xf32>)
// CHECK: vector.load %[[A]]
// CHECK: vector.load %[[AS]][{{.*}}] {alignment = 16 : i64} : memref<2112xf32, #gpu.address_space<workgroup>>, vector<4xf32>
// CHECK: vector.load %[[AS]]
// CHECK: vector.load %[[BS]]
// CHECK: vector.load %[[BS]]
// CHECK: vector.shuffle {{.*}} [0, 1, 2, 3, 4, 5, 6, 7] : vector<4xf32>, vector<4xf32>
// CHECK-COUNT-64: vector.fma {{.*}} : vector<8xf32>
// CHECK-NOT: vector.fma
// CHECK: memref.store %{{.+}}, %[[AS]]
// CHECK: vector.store %{{.+}}, %[[BS]]
// CHECK: gpu.barrier
// CHECK: scf.yield
// The tile is written with 16-byte stores where C is aligned, else element
// by element, each guarded.
// CHECK: vector.shuffle %[[ACC]]#0, %[[ACC]]#0 [0, 1, 2, 3]
// CHECK: vector.store %{{.+}}, %[[C]][{{.*}}] {alignment = 16 : i64} : memref<?x?xf32>, vector<4xf32>
// CHECK: memref.store %{{.+}}, %[[C]]
func.func @matmul_fill(%a: memref<?x?xf32>, %b: memref<?x?xf32>, %c: memref<?x?xf32>) {
  %z = arith.constant 0.0 : f32
  linalg.fill ins(%z : f32) outs(%c : memref<?x?xf32>)
  linalg.matmul {vmgpu.lowering_config = #cfg} ins(%a, %b : memref<?x?xf32>, memref<?x?xf32>) outs(%c : memref<?x?xf32>)
  return
}

// -----

// Without a fill right before it, the kernel starts from C.
#cfg = {class = "contraction", strategy = "tiled_simt", workgroup = array<i64: 16, 8, 1>, cache_tiles = array<i64: 64, 128, 16>, register_tiles = array<i64: 8, 8, 1>}
// CHECK-LABEL: func.func @matmul_accumulate
// CHECK-SAME: (%{{.+}}: memref<100x72xf32>, %{{.+}}: memref<72x32xf32>, %[[C:.+]]: memref<100x32xf32>)
// CHECK: gpu.launch {{.*}} workgroup(%{{.+}} : memref<2176xf32, #gpu.address_space<workgroup>>, %{{.+}} : memref<4224xf32, #gpu.address_space<workgroup>>)
// CHECK: vector.load %[[C]]
// CHECK: memref.load %[[C]]
// CHECK: scf.for
func.func @matmul_accumulate(%a: memref<100x72xf32>, %b: memref<72x32xf32>, %c: memref<100x32xf32>) {
  linalg.matmul {vmgpu.lowering_config = #cfg} ins(%a, %b : memref<100x72xf32>, memref<72x32xf32>) outs(%c : memref<100x32xf32>)
  return
}

// -----

// The fill stays a loop of its own when an input views the output's buffer
// (were the two views to overlap, A would read the zeros the fill writes,
// and the fill folded into the kernel would leave the old values there),
// and the kernel starts from C.
#cfg = {class = "contraction", strategy = "tiled_simt", workgroup = array<i64: 8, 8, 1>, cache_tiles = array<i64: 64, 64, 16>, register_tiles = array<i64: 8, 8, 1>}
// CHECK-LABEL: func.func @matmul_input_views_output
// CHECK: %[[C:.+]] = memref.subview %{{.+}}[0, 64]
// CHECK: linalg.fill ins(%{{.+}} : f32) outs(%[[C]] :
// CHECK: gpu.launch
// CHECK: memref.load %[[C]]
func.func @matmul_input_views_output(%buffer: memref<64x128xf32>, %b: memref<64x64xf32>) {
  %z = arith.constant 0.0 : f32
  %a = memref.subview %buffer[0, 0] [64, 64] [1, 1] : memref<64x128xf32> to memref<64x64xf32, strided<[128, 1]>>
  %c = memref.subview %buffer[0, 64] [64, 64] [1, 1] : memref<64x128xf32> to memref<64x64xf32, strided<[128, 1], offset: 64>>
  linalg.fill ins(%z : f32) outs(%c : memref<64x64xf32, strided<[128, 1], offset: 64>>)
  linalg.matmul {vmgpu.lowering_config = #cfg} ins(%a, %b : memref<64x64xf32, strided<[128, 1]>>, memref<64x64xf32>) outs(%c : memref<64x64xf32, strided<[128, 1], offset: 64>>)
  return
}

// -----

// Ops free of memory effects between the fill and the product (here the
// views the product reads) do not keep the fill from folding.
#cfg = {class = "contraction", strategy = "tiled_simt", workgroup = array<i64: 8, 8, 1>, cache_tiles = array<i64: 64, 64, 16>, register_tiles = array<i64: 8, 8, 1>}
// CHECK-LABEL: func.func @matmul_fill_then_views
// CHECK-NOT: linalg.fill
// CHECK: gpu.launch
func.func @matmul_fill_then_views(%a: memref<64x128xf32>, %b: memref<64x64xf32>, %c: memref<64x64xf32>) {
  %z = arith.constant 0.0 : f32
  linalg.fill ins(%z : f32) outs(%c : memref<64x64xf32>)
  %a0 = memref.subview %a[0, 0] [64, 64] [1, 1] : memref<64x128xf32> to memref<64x64xf32, strided<[128, 1]>>
  linalg.matmul {vmgpu.lowering_config = #cfg} ins(%a0, %b : memref<64x64xf32, strided<[128, 1]>>, memref<64x64xf32>) outs(%c : memref<64x64xf32>)
  return
}

// -----

// A^T (K x M) is M-contiguous: its chunks go to shared memory as vectors;
// B^T (N x K) is K-contiguous: stored transposed.
#cfg = {class = "contraction", strategy = "tiled_simt", workgroup = array<i64: 8, 8, 1>, cache_tiles = array<i64: 64, 64, 16>, register_tiles = array<i64: 8, 8, 1>}
// CHECK-LABEL: func.func @matmul_transposed
// CHECK: gpu.launch {{.*}} workgroup(%[[AS:.+]] : memref<2176xf32, #gpu.address_space<workgroup>>, %[[BS:.+]] : memref<2176xf32, #gpu.address_space<workgroup>>)
// CHECK: vector.store %{{.+}}, %[[AS]]
// CHECK: memref.store %{{.+}}, %[[BS]]
func.func @matmul_transposed(%a: memref<32x64xf32>, %b: memref<48x32xf32>, %c: memref<64x48xf32>) {
  linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (k, m)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
      {vmgpu.lowering_config = #cfg} ins(%a, %b : memref<32x64xf32>, memref<48x32xf32>) outs(%c : memref<64x48xf32>)
  return
}

// -----

// batch_matmul: batches on the grid's z (looping past 65535); i8 chunks of
// 4 bytes widened with the body's extsi, multiply and add in i32 (exact).
#cfg = {class = "contraction", strategy = "tiled_simt", workgroup = array<i64: 8, 8, 1>, cache_tiles = array<i64: 1, 64, 64, 16>, register_tiles = array<i64: 1, 8, 8, 1>}
// CHECK-LABEL: func.func @batch_matmul_i8
// CHECK-SAME: (%[[A:.+]]: memref<3x33x16xi8>
// CHECK: gpu.launch blocks(%{{.+}}, %{{.+}}, %[[BZ:.+]]) in ({{.*}}, %[[GZ:.+]] = %c3)
// CHECK: scf.for %[[BATCH:.+]] = %[[BZ]] to %c3 step %[[GZ]]
// CHECK: vector.load %[[A]][%[[BATCH]], {{.*}}] {alignment = 4 : i64} : memref<3x33x16xi8>, vector<4xi8>
// CHECK: arith.extsi %{{.+}} : vector<4xi8> to vector<4xi32>
// CHECK: arith.muli {{.*}} : vector<8xi32>
// CHECK: arith.addi {{.*}} : vector<8xi32>
// CHECK-NOT: vector.fma
func.func @batch_matmul_i8(%a: memref<3x33x16xi8>, %b: memref<3x16x64xi8>, %c: memref<3x33x64xi32>) {
  linalg.batch_matmul {vmgpu.lowering_config = #cfg} ins(%a, %b : memref<3x33x16xi8>, memref<3x16x64xi8>) outs(%c : memref<3x33x64xi32>)
  return
}

// -----

// A strided view (a column slice) is read element by element only.
#cfg = {class = "contraction", strategy = "tiled_simt", workgroup = array<i64: 8, 8, 1>, cache_tiles = array<i64: 64, 64, 16>, register_tiles = array<i64: 8, 8, 1>}
// CHECK-LABEL: func.func @matmul_strided
// CHECK-SAME: (%[[A:.+]]: memref<16x8xf32, strided<[9, 1], offset: 1>>
// CHECK-NOT: vector.load %[[A]]
// CHECK: memref.load %[[A]]
// CHECK-NOT: vector.load %[[A]]
func.func @matmul_strided(%a: memref<16x8xf32, strided<[9, 1], offset: 1>>, %b: memref<8x16xf32>, %c: memref<16x16xf32>) {
  linalg.matmul {vmgpu.lowering_config = #cfg} ins(%a, %b : memref<16x8xf32, strided<[9, 1], offset: 1>>, memref<8x16xf32>) outs(%c : memref<16x16xf32>)
  return
}

// -----

// A contraction with two M loops is left to the fallback.
#cfg = {class = "contraction", strategy = "tiled_simt", workgroup = array<i64: 8, 8, 1>, cache_tiles = array<i64: 64, 64, 16>, register_tiles = array<i64: 8, 8, 1>}
// CHECK-LABEL: func.func @two_m_loops
// CHECK-NOT: gpu.launch
// CHECK: linalg.generic
func.func @two_m_loops(%a: memref<2x4x8xf32>, %b: memref<8x16xf32>, %c: memref<2x4x16xf32>) {
  linalg.generic {indexing_maps = [affine_map<(m1, m2, n, k) -> (m1, m2, k)>, affine_map<(m1, m2, n, k) -> (k, n)>, affine_map<(m1, m2, n, k) -> (m1, m2, n)>],
                  iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<2x4x8xf32>, memref<8x16xf32>) outs(%c : memref<2x4x16xf32>) attrs = {vmgpu.lowering_config = #cfg} {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

#cfg = {class = "contraction", strategy = "tiled_simt", workgroup = array<i64: 16, 16, 1>, cache_tiles = array<i64: 128, 128, 8>, register_tiles = array<i64: 8, 8, 1>}
func.func @wrong_workgroup(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) {
  // expected-error @+1 {{tiled_simt configuration: 'workgroup' must be [8, 16, 1] (block tile / register tile)}}
  linalg.matmul {vmgpu.lowering_config = {class = "contraction", strategy = "tiled_simt", workgroup = array<i64: 16, 16, 1>, cache_tiles = array<i64: 128, 64, 8>, register_tiles = array<i64: 8, 8, 1>}} ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>)
  return
}

// -----

func.func @register_tile_3(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) {
  // expected-error @+1 {{tiled_simt configuration: register tiles of M and N must be 4 or 8}}
  linalg.matmul {vmgpu.lowering_config = {class = "contraction", strategy = "tiled_simt", workgroup = array<i64: 16, 16, 1>, cache_tiles = array<i64: 48, 128, 8>, register_tiles = array<i64: 3, 8, 1>}} ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>)
  return
}

// -----

func.func @missing_tiles(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) {
  // expected-error @+1 {{tiled_simt configuration: 'cache_tiles' and 'register_tiles' need one size per loop (3)}}
  linalg.matmul {vmgpu.lowering_config = {class = "contraction", strategy = "tiled_simt", workgroup = array<i64: 16, 16, 1>}} ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>)
  return
}

// -----

func.func @batch_tile(%a: memref<2x4x8xf32>, %b: memref<2x8x16xf32>, %c: memref<2x4x16xf32>) {
  // expected-error @+1 {{tiled_simt configuration: the batch loop's tiles must be 1}}
  linalg.batch_matmul {vmgpu.lowering_config = {class = "contraction", strategy = "tiled_simt", workgroup = array<i64: 8, 8, 1>, cache_tiles = array<i64: 2, 64, 64, 16>, register_tiles = array<i64: 1, 8, 8, 1>}} ins(%a, %b : memref<2x4x8xf32>, memref<2x8x16xf32>) outs(%c : memref<2x4x16xf32>)
  return
}

// -----

func.func @k_register_tile(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) {
  // expected-error @+1 {{tiled_simt configuration: the K loop's register tile must be 1}}
  linalg.matmul {vmgpu.lowering_config = {class = "contraction", strategy = "tiled_simt", workgroup = array<i64: 8, 8, 1>, cache_tiles = array<i64: 64, 64, 16>, register_tiles = array<i64: 8, 8, 2>}} ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>)
  return
}

// -----

func.func @not_multiple(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) {
  // expected-error @+1 {{tiled_simt configuration: block tiles of M and N must be multiples of their register tiles}}
  linalg.matmul {vmgpu.lowering_config = {class = "contraction", strategy = "tiled_simt", workgroup = array<i64: 8, 8, 1>, cache_tiles = array<i64: 60, 64, 16>, register_tiles = array<i64: 8, 8, 1>}} ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>)
  return
}

// -----

func.func @k_tile(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) {
  // expected-error @+1 {{tiled_simt configuration: the K block tile must be a positive multiple of 4}}
  linalg.matmul {vmgpu.lowering_config = {class = "contraction", strategy = "tiled_simt", workgroup = array<i64: 8, 8, 1>, cache_tiles = array<i64: 64, 64, 6>, register_tiles = array<i64: 8, 8, 1>}} ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>)
  return
}

// -----

func.func @partial_chunks(%a: memref<4x8xf32>, %b: memref<8x16xf32>, %c: memref<4x16xf32>) {
  // expected-error @+1 {{tiled_simt configuration: the threads must load whole 4-element chunks of each tile}}
  linalg.matmul {vmgpu.lowering_config = {class = "contraction", strategy = "tiled_simt", workgroup = array<i64: 16, 16, 1>, cache_tiles = array<i64: 128, 128, 4>, register_tiles = array<i64: 8, 8, 1>}} ins(%a, %b : memref<4x8xf32>, memref<8x16xf32>) outs(%c : memref<4x16xf32>)
  return
}

// -----

func.func @too_much_shared(%a: memref<4x8xf64>, %b: memref<8x16xf64>, %c: memref<4x16xf64>) {
  // expected-error @+1 {{tiled_simt configuration: the double-buffered tiles need 67584 bytes of shared memory, more than 49152}}
  linalg.matmul {vmgpu.lowering_config = {class = "contraction", strategy = "tiled_simt", workgroup = array<i64: 16, 16, 1>, cache_tiles = array<i64: 128, 128, 16>, register_tiles = array<i64: 8, 8, 1>}} ins(%a, %b : memref<4x8xf64>, memref<8x16xf64>) outs(%c : memref<4x16xf64>)
  return
}

// -----

// An elementwise op reading only C after the product (bias broadcast along
// rows, then relu) runs in the product's kernel: C is never written, the
// epilogue's output is, each op rounding as written (addf, no FMA into it);
// the broadcast buffer is read at its source and goes away.
#cfg = {class = "contraction", strategy = "tiled_simt", workgroup = array<i64: 8, 8, 1>, cache_tiles = array<i64: 64, 64, 16>, register_tiles = array<i64: 8, 8, 1>}
// CHECK-LABEL: func.func @matmul_bias_relu
// CHECK-SAME: (%{{.+}}: memref<64x32xf32>, %{{.+}}: memref<32x48xf32>, %[[BIAS:.+]]: memref<48xf32>)
// C is unused after it (canonicalize drops it):
// CHECK-NOT: memref.alloc() : memref<64x48xf32>
// CHECK: %[[Y:.+]] = memref.alloc() : memref<64x48xf32>
// CHECK-NOT: memref.alloc
// CHECK: gpu.launch
// CHECK: scf.for
// CHECK: vector.fma
// CHECK: memref.load %[[BIAS]]
// CHECK: arith.addf
// CHECK: arith.cmpf ogt
// CHECK: vector.store %{{.+}}, %[[Y]]
// CHECK-NOT: linalg.generic
// CHECK-NOT: linalg.broadcast
// CHECK-NOT: memref.dealloc
// CHECK: return %[[Y]]
func.func @matmul_bias_relu(%a: memref<64x32xf32>, %b: memref<32x48xf32>, %bias: memref<48xf32>) -> memref<64x48xf32> {
  %z = arith.constant 0.0 : f32
  %c = memref.alloc() : memref<64x48xf32>
  linalg.fill ins(%z : f32) outs(%c : memref<64x48xf32>)
  linalg.matmul {vmgpu.lowering_config = #cfg} ins(%a, %b : memref<64x32xf32>, memref<32x48xf32>) outs(%c : memref<64x48xf32>)
  %bb = memref.alloc() : memref<64x48xf32>
  linalg.broadcast ins(%bias : memref<48xf32>) outs(%bb : memref<64x48xf32>) dimensions = [0]
  %y = memref.alloc() : memref<64x48xf32>
  linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%c, %bb : memref<64x48xf32>, memref<64x48xf32>) outs(%y : memref<64x48xf32>) {
  ^bb0(%x: f32, %v: f32, %o: f32):
    %s = arith.addf %x, %v : f32
    %p = arith.cmpf ogt, %s, %z : f32
    %r = arith.select %p, %s, %z : f32
    linalg.yield %r : f32
  }
  memref.dealloc %c : memref<64x48xf32>
  memref.dealloc %bb : memref<64x48xf32>
  return %y : memref<64x48xf32>
}

// -----

// C is a function argument (the caller sees it): the elementwise op stays
// on its own.
#cfg = {class = "contraction", strategy = "tiled_simt", workgroup = array<i64: 8, 8, 1>, cache_tiles = array<i64: 64, 64, 16>, register_tiles = array<i64: 8, 8, 1>}
// CHECK-LABEL: func.func @matmul_into_argument
// CHECK: gpu.launch
// CHECK: linalg.generic
func.func @matmul_into_argument(%a: memref<64x32xf32>, %b: memref<32x48xf32>, %c: memref<64x48xf32>) -> memref<64x48xf32> {
  linalg.matmul {vmgpu.lowering_config = #cfg} ins(%a, %b : memref<64x32xf32>, memref<32x48xf32>) outs(%c : memref<64x48xf32>)
  %y = memref.alloc() : memref<64x48xf32>
  linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%c : memref<64x48xf32>) outs(%y : memref<64x48xf32>) {
  ^bb0(%x: f32, %o: f32):
    %r = arith.negf %x : f32
    linalg.yield %r : f32
  }
  return %y : memref<64x48xf32>
}

// -----

// An implicit GEMM on tiled_simt: A is the im2col copy of a zero-padded
// f32 input. The kernel loads A's chunks of 4 channels from the input
// itself (one 16-byte load where the window lies in it, zero in the
// padding); the zero fill, the padded copy and the im2col copy go.
#cfg = {class = "contraction", strategy = "tiled_simt", workgroup = array<i64: 8, 8, 1>, cache_tiles = array<i64: 64, 64, 16>, register_tiles = array<i64: 8, 8, 1>}
#im2col = affine_map<(n, oh, ow, kh, kw, c) -> (n, oh + kh, ow + kw, c)>
#id6 = affine_map<(n, oh, ow, kh, kw, c) -> (n, oh, ow, kh, kw, c)>
// CHECK-LABEL: func.func @implicit_gemm_padded
// CHECK-SAME: (%[[IN:.+]]: memref<2x4x4x8xf32>, %[[F:.+]]: memref<72x16xf32>, %[[C:.+]]: memref<32x16xf32>)
// CHECK-NOT: linalg.
// CHECK-NOT: memref.alloc
// CHECK: gpu.launch
// CHECK: memref.extract_aligned_pointer_as_index %[[IN]]
// CHECK: arith.cmpi ult, %{{.+}}, %c4 : index
// CHECK: vector.load %[[IN]][{{.*}}] {alignment = 16 : i64} : memref<2x4x4x8xf32>, vector<4xf32>
// CHECK: memref.load %[[IN]][{{.*}}] : memref<2x4x4x8xf32>
// CHECK-NOT: linalg.
func.func @implicit_gemm_padded(%in: memref<2x4x4x8xf32>, %f: memref<72x16xf32>, %c: memref<32x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %padded = memref.alloc() : memref<2x6x6x8xf32>
  linalg.map outs(%padded : memref<2x6x6x8xf32>)
    (%init: f32) {
      linalg.yield %zero : f32
    }
  %window = memref.subview %padded[0, 1, 1, 0] [2, 4, 4, 8] [1, 1, 1, 1] : memref<2x6x6x8xf32> to memref<2x4x4x8xf32, strided<[288, 48, 8, 1], offset: 56>>
  linalg.copy ins(%in : memref<2x4x4x8xf32>) outs(%window : memref<2x4x4x8xf32, strided<[288, 48, 8, 1], offset: 56>>)
  %cols = memref.alloc() : memref<2x4x4x3x3x8xf32>
  linalg.generic {indexing_maps = [#im2col, #id6], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%padded : memref<2x6x6x8xf32>) outs(%cols : memref<2x4x4x3x3x8xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  }
  %a = memref.collapse_shape %cols [[0, 1, 2], [3, 4, 5]] : memref<2x4x4x3x3x8xf32> into memref<32x72xf32>
  linalg.fill ins(%zero : f32) outs(%c : memref<32x16xf32>)
  linalg.matmul {vmgpu.lowering_config = #cfg} ins(%a, %f : memref<32x72xf32>, memref<72x16xf32>) outs(%c : memref<32x16xf32>)
  memref.dealloc %padded : memref<2x6x6x8xf32>
  memref.dealloc %cols : memref<2x4x4x3x3x8xf32>
  return
}

// -----

// Review cases: a rank-reducing window into the padded buffer keeps the
// padding (its offsets would not index the inner buffer); a source reached
// through a second `memref.get_global` of the same global and written in
// between keeps the copy (two names may be one buffer).
// CHECK-LABEL: func.func @rank_reducing_window
// CHECK: linalg.fill
// CHECK: linalg.copy
// CHECK-NOT: linalg.generic
// CHECK: gpu.launch
// CHECK-LABEL: func.func @global_written_between
// CHECK: linalg.generic
// CHECK: linalg.fill
// CHECK: gpu.launch
#cfg = {class = "contraction", strategy = "tiled_simt", workgroup = array<i64: 8, 8, 1>, cache_tiles = array<i64: 64, 64, 16>, register_tiles = array<i64: 8, 8, 1>}
#im2col = affine_map<(n, oh, ow, kh, kw, c) -> (n, oh + kh, ow + kw, c)>
#id6 = affine_map<(n, oh, ow, kh, kw, c) -> (n, oh, ow, kh, kw, c)>
func.func @rank_reducing_window(%in: memref<4x4x8xf32>, %f: memref<72x16xf32>, %c: memref<16x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %padded = memref.alloc() : memref<1x6x6x8xf32>
  linalg.fill ins(%zero : f32) outs(%padded : memref<1x6x6x8xf32>)
  %window = memref.subview %padded[0, 1, 1, 0] [1, 4, 4, 8] [1, 1, 1, 1] : memref<1x6x6x8xf32> to memref<4x4x8xf32, strided<[48, 8, 1], offset: 56>>
  linalg.copy ins(%in : memref<4x4x8xf32>) outs(%window : memref<4x4x8xf32, strided<[48, 8, 1], offset: 56>>)
  %cols = memref.alloc() : memref<1x4x4x3x3x8xf32>
  linalg.generic {indexing_maps = [#im2col, #id6], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%padded : memref<1x6x6x8xf32>) outs(%cols : memref<1x4x4x3x3x8xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  }
  %a = memref.collapse_shape %cols [[0, 1, 2], [3, 4, 5]] : memref<1x4x4x3x3x8xf32> into memref<16x72xf32>
  linalg.matmul {vmgpu.lowering_config = #cfg} ins(%a, %f : memref<16x72xf32>, memref<72x16xf32>) outs(%c : memref<16x16xf32>)
  return
}
#id = affine_map<(i, j) -> (i, j)>
memref.global "private" @g : memref<64x64xf32> = uninitialized
func.func @global_written_between(%b: memref<64x64xf32>, %c: memref<64x64xf32>) {
  %one = arith.constant 1.0 : f32
  %src = memref.get_global @g : memref<64x64xf32>
  %a = memref.alloc() : memref<64x64xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%src : memref<64x64xf32>) outs(%a : memref<64x64xf32>) {
  ^bb0(%x: f32, %y: f32):
    linalg.yield %x : f32
  }
  %g2 = memref.get_global @g : memref<64x64xf32>
  linalg.fill ins(%one : f32) outs(%g2 : memref<64x64xf32>)
  linalg.matmul {vmgpu.lowering_config = #cfg} ins(%a, %b : memref<64x64xf32>, memref<64x64xf32>) outs(%c : memref<64x64xf32>)
  return
}

// -----

// The broadcast's source is written again before the product: the fused
// kernel runs where the product was, so it reads the broadcast buffer
// (which holds the first values), not the source. The broadcast stays.
#cfg = {class = "contraction", strategy = "tiled_simt", workgroup = array<i64: 8, 8, 1>, cache_tiles = array<i64: 64, 64, 16>, register_tiles = array<i64: 8, 8, 1>}
// CHECK-LABEL: func.func @broadcast_source_rewritten
// CHECK: %[[T:.+]] = memref.alloc() : memref<48xf32>
// CHECK: %[[BB:.+]] = memref.alloc() : memref<64x48xf32>
// CHECK: linalg.broadcast ins(%[[T]] : memref<48xf32>) outs(%[[BB]] : memref<64x48xf32>)
// CHECK: gpu.launch
// CHECK-NOT: memref.load %[[T]]
// CHECK: memref.load %[[BB]]
// CHECK: return
func.func @broadcast_source_rewritten(%a: memref<64x32xf32>, %b: memref<32x48xf32>) -> memref<64x48xf32> {
  %z = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %two = arith.constant 2.0 : f32
  %t = memref.alloc() : memref<48xf32>
  linalg.fill ins(%one : f32) outs(%t : memref<48xf32>)
  %bb = memref.alloc() : memref<64x48xf32>
  linalg.broadcast ins(%t : memref<48xf32>) outs(%bb : memref<64x48xf32>) dimensions = [0]
  linalg.fill ins(%two : f32) outs(%t : memref<48xf32>)
  %c = memref.alloc() : memref<64x48xf32>
  linalg.fill ins(%z : f32) outs(%c : memref<64x48xf32>)
  linalg.matmul {vmgpu.lowering_config = #cfg} ins(%a, %b : memref<64x32xf32>, memref<32x48xf32>) outs(%c : memref<64x48xf32>)
  %y = memref.alloc() : memref<64x48xf32>
  linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>],
                  iterator_types = ["parallel", "parallel"]}
      ins(%c, %bb : memref<64x48xf32>, memref<64x48xf32>) outs(%y : memref<64x48xf32>) {
  ^bb0(%x: f32, %v: f32, %o: f32):
    %s = arith.addf %x, %v : f32
    linalg.yield %s : f32
  }
  memref.dealloc %c : memref<64x48xf32>
  memref.dealloc %bb : memref<64x48xf32>
  memref.dealloc %t : memref<48xf32>
  return %y : memref<64x48xf32>
}
