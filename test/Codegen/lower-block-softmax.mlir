// vm-gpu-lower-softmax with the strategy block_softmax: one block of
// workgroup[1] subgroups per row. Rows that fit are kept in registers
// (eight 16-byte chunks per thread: one read, one write); longer rows, or
// rows not a multiple of the width or on unaligned bases, take the online
// path (running max and rescaled sum, then the quotients); the block
// combines through shuffles and workgroup memory in a fixed order.
// RUN: vm-gpu-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-gpu-lower-softmax))" \
// RUN:   | FileCheck %s

// CHECK-LABEL: func.func @softmax_rows
// CHECK-SAME: (%[[X:.+]]: memref<?x?xf32>, %[[Y:.+]]: memref<?x?xf32>)
// CHECK: gpu.launch {{.*}} threads({{.*}}) in ({{.*}} = %c256{{.*}}) workgroup(%[[MAXES:.+]] : memref<8xf32, #gpu.address_space<workgroup>>, %[[SUMS:.+]] : memref<8xf32, #gpu.address_space<workgroup>>)
// The register path: at most 256 x 4 x 8 = 8192 columns, aligned bases.
// CHECK:   arith.cmpi ule, %{{.+}}, %c8192
// CHECK:   memref.extract_aligned_pointer_as_index %[[X]]
// CHECK:   memref.extract_aligned_pointer_as_index %[[Y]]
// CHECK:   scf.if
// CHECK-COUNT-8: vector.load %[[X]]{{.*}} {alignment = 16 : i64} : memref<?x?xf32>, vector<4xf32>
// CHECK:     arith.maximumf
// CHECK-COUNT-5: gpu.shuffle down
// CHECK:     memref.store %{{.+}}, %[[MAXES]]
// CHECK:     gpu.barrier
// CHECK-COUNT-8: memref.load %[[MAXES]]
// CHECK:     math.exp
// CHECK-COUNT-5: gpu.shuffle down
// CHECK:     memref.store %{{.+}}, %[[SUMS]]
// CHECK:     gpu.barrier
// CHECK-COUNT-8: memref.load %[[SUMS]]
// CHECK:     arith.divf
// CHECK:     vector.store {{.*}}, %[[Y]]{{.*}} {alignment = 16 : i64} : memref<?x?xf32>, vector<4xf32>
// The online path: four loads in flight, the running pair, then the
// quotients.
// CHECK:   } else {
// CHECK:     scf.for {{.*}} step %c1024{{[_0-9]*}} iter_args(%{{.+}} = %{{.+}}, %{{.+}} = %{{.+}}) -> (f32, f32)
// CHECK-COUNT-4: memref.load %[[X]]
// CHECK:       arith.maximumf
// CHECK:       math.exp
// CHECK:       arith.cmpf oeq
// CHECK:       arith.select
// CHECK-COUNT-10: gpu.shuffle down
// CHECK:     memref.store %{{.+}}, %[[MAXES]]
// CHECK:     memref.store %{{.+}}, %[[SUMS]]
// CHECK:     gpu.barrier
// CHECK:     scf.for {{.*}} step %c256
// CHECK:       math.exp
// CHECK:       arith.divf
// CHECK:       memref.store %{{.+}}, %[[Y]]
func.func @softmax_rows(%x: memref<?x?xf32>, %y: memref<?x?xf32>) {
  linalg.softmax {vmgpu.lowering_config = {class = "softmax", strategy = "block_softmax", workgroup = array<i64: 32, 8, 1>, vector_width = 4}}
      dimension(1) ins(%x : memref<?x?xf32>) outs(%y : memref<?x?xf32>)
  return
}

// -----

// f16 rows: eight elements per 16-byte chunk, widened to f32, the quotient
// rounded once; a strided input has no register path.
// CHECK-LABEL: func.func @softmax_f16
// CHECK: gpu.launch
// CHECK:   vector.load {{.*}} : memref<?x?xf16>, vector<8xf16>
// CHECK:   arith.extf {{.*}} f16 to f32
// CHECK:   arith.truncf {{.*}} f32 to f16
// CHECK: gpu.launch
// CHECK-NOT: vector.load
// CHECK: memref.load %{{.+}}[%{{.+}}, %{{.+}}] : memref<?x?xf16, strided<[?, 2]>>
func.func @softmax_f16(%x: memref<?x?xf16>, %y: memref<?x?xf16>,
                       %s: memref<?x?xf16, strided<[?, 2]>>) {
  linalg.softmax {vmgpu.lowering_config = {class = "softmax", strategy = "block_softmax", workgroup = array<i64: 32, 8, 1>, vector_width = 8}}
      dimension(1) ins(%x : memref<?x?xf16>) outs(%y : memref<?x?xf16>)
  linalg.softmax {vmgpu.lowering_config = {class = "softmax", strategy = "block_softmax", workgroup = array<i64: 32, 8, 1>, vector_width = 8}}
      dimension(1) ins(%s : memref<?x?xf16, strided<[?, 2]>>) outs(%y : memref<?x?xf16>)
  return
}

// -----

// A configuration with another strategy is an error: nothing else lowers a
// linalg.softmax.
func.func @wrong_strategy(%x: memref<?x?xf32>, %y: memref<?x?xf32>) {
  // expected-error @+1 {{vm-gpu-lower-softmax: needs strategy 'subgroup_softmax' or 'block_softmax' and workgroup [32 or 64, y, 1]}}
  linalg.softmax {vmgpu.lowering_config = {class = "softmax", strategy = "warp_per_row", workgroup = array<i64: 32, 8, 1>}}
      dimension(1) ins(%x : memref<?x?xf32>) outs(%y : memref<?x?xf32>)
  return
}
