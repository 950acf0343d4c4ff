// vm-gpu-lower-column-reductions with hand-written configurations: rows cut
// into segments fixed by the shape, one thread per (segment, chunk of
// columns) folding its rows in order (vector loads when aligned, eight rows
// loaded before they are folded), then one thread per column folding the
// partials in segment order into the output.
// RUN: vm-gpu-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-gpu-lower-column-reductions))" \
// RUN:   | FileCheck %s

#config = {class = "column_reduction", strategy = "coalesced_columns", workgroup = array<i64: 256, 1, 1>, vector_width = 4}

// CHECK-LABEL: func.func @column_sum
// CHECK-SAME: (%[[X:.+]]: memref<?x?xf32>, %[[Y:.+]]: memref<?xf32>)
// The segment count: a power of two from the column count, capped by
// ceil(rows / 32): host arithmetic without run-time divisors.
// CHECK: %[[COLUMNS:.+]] = arith.muli %{{.+}}, %{{.+}} : index
// CHECK: arith.cmpi ule, %[[COLUMNS]], %c262144
// CHECK: arith.cmpi ule, %[[COLUMNS]], %c1024
// CHECK: %[[CAP:.+]] = arith.ceildivui %{{.+}}, %c32
// CHECK: %[[SEGMENTS:.+]] = arith.maxui
// CHECK: %[[PARTIALS:.+]] = memref.alloc(%[[SEGMENTS]], %[[COLUMNS]]) {vmgpu.late_allocation} : memref<?x?xf32>
// CHECK: %[[CHUNKS:.+]] = arith.ceildivui %[[COLUMNS]], %c4
// Stage 1.
// CHECK: gpu.launch {{.*}} threads({{.*}}) in ({{.*}} = %c256
// CHECK:   arith.remui %{{.+}}, %[[CHUNKS]]
// CHECK:   arith.divui %{{.+}}, %[[CHUNKS]]
// CHECK:   memref.extract_aligned_pointer_as_index %[[X]]
// CHECK:   scf.if %{{.+}} -> (f32, f32, f32, f32)
// CHECK:     vector.load %[[X]][%{{.+}}, %{{.+}}] {alignment = 16 : i64} : memref<?x?xf32>, vector<4xf32>
// CHECK:     scf.for {{.*}} step %c8{{.*}} -> (f32, f32, f32, f32)
// CHECK-COUNT-8: vector.load %[[X]]
// CHECK:       arith.addf
// CHECK:     scf.for {{.*}} -> (f32, f32, f32, f32)
// CHECK:   } else {
// CHECK:     arith.minui
// CHECK:     memref.load %[[X]]
// CHECK-COUNT-4: memref.store %{{.+}}, %[[PARTIALS]]
// Stage 2.
// CHECK: gpu.launch
// CHECK:   memref.load %[[PARTIALS]]
// CHECK:   scf.for {{.*}} step %c8
// CHECK-COUNT-8: memref.load %[[PARTIALS]]
// CHECK:   %[[INIT:.+]] = memref.load %[[Y]]
// CHECK:   %[[RESULT:.+]] = arith.addf %[[INIT]], %{{.+}} : f32
// CHECK:   memref.store %[[RESULT]], %[[Y]]
// CHECK: memref.dealloc %[[PARTIALS]]
func.func @column_sum(%x: memref<?x?xf32>, %y: memref<?xf32>) {
  linalg.reduce ins(%x : memref<?x?xf32>) outs(%y : memref<?xf32>) dimensions = [0]
      {vmgpu.lowering_config = #config}
    (%in: f32, %init: f32) {
      %1 = arith.addf %init, %in : f32
      linalg.yield %1 : f32
    }
  return
}

// -----

// f16 columns accumulate in f32 (eight columns per thread with 16-byte
// loads); a 3-D input reduced over its two outer dims is viewed as
// [rows, columns].
// CHECK-LABEL: func.func @column_sum_f16
// CHECK: memref.collapse_shape %{{.+}} {{\[}}[0, 1], [2]] : memref<4x5x?xf16> into memref<20x?xf16>
// CHECK: gpu.launch
// CHECK:   vector.load {{.*}} : memref<20x?xf16>, vector<8xf16>
// CHECK:   arith.extf {{.*}} : f16 to f32
// CHECK: gpu.launch
// CHECK:   memref.load {{.*}} : memref<?x?xf32>
func.func @column_sum_f16(%x: memref<4x5x?xf16>, %y: memref<?xf32>) {
  linalg.reduce ins(%x : memref<4x5x?xf16>) outs(%y : memref<?xf32>) dimensions = [0, 1]
      {vmgpu.lowering_config = {class = "column_reduction", strategy = "coalesced_columns", workgroup = array<i64: 256, 1, 1>, vector_width = 8}}
    (%in: f16, %init: f32) {
      %0 = arith.extf %in : f16 to f32
      %1 = arith.addf %init, %0 : f32
      linalg.yield %1 : f32
    }
  return
}

// -----

#config = {class = "column_reduction", strategy = "coalesced_columns", workgroup = array<i64: 256, 1, 1>, vector_width = 4}

// The max with the contract's NaN rule: the combine of the partials in
// stage 2 is the body's own compare-and-select, not a bare maximumf.
// CHECK-LABEL: func.func @column_max
// CHECK: gpu.launch
// CHECK: gpu.launch
// CHECK:   scf.for
// CHECK:     arith.cmpf uno
// CHECK:     arith.select
func.func @column_max(%x: memref<?x?xf32>, %y: memref<?xf32>) {
  linalg.reduce ins(%x : memref<?x?xf32>) outs(%y : memref<?xf32>) dimensions = [0]
      {vmgpu.lowering_config = #config}
    (%in: f32, %init: f32) {
      %nan = arith.cmpf uno, %init, %init : f32
      %gt = arith.cmpf ogt, %in, %init : f32
      %m = arith.select %gt, %in, %init : f32
      %r = arith.select %nan, %init, %m : f32
      linalg.yield %r : f32
    }
  return
}

// -----

#config = {class = "column_reduction", strategy = "coalesced_columns", workgroup = array<i64: 256, 1, 1>, vector_width = 4}

// i1 elements are not packed in whole bytes: element loads only, no
// alignment check.
// CHECK-LABEL: func.func @column_any
// CHECK: gpu.launch
// CHECK-NOT: vector.load
// CHECK-NOT: memref.extract_aligned_pointer_as_index
// CHECK: memref.load {{.*}} : memref<?x?xi1>
// CHECK: arith.ori
// CHECK: gpu.launch
func.func @column_any(%x: memref<?x?xi1>, %y: memref<?xi1>) {
  linalg.reduce ins(%x : memref<?x?xi1>) outs(%y : memref<?xi1>) dimensions = [0]
      {vmgpu.lowering_config = #config}
    (%in: i1, %init: i1) {
      %1 = arith.ori %init, %in : i1
      linalg.yield %1 : i1
    }
  return
}

// -----

#config = {class = "column_reduction", strategy = "coalesced_columns", workgroup = array<i64: 256, 1, 1>, vector_width = 4}

// Declined, left to the fallback: the reduced dim between two parallel ones,
// and a strided input (a column slice).
// CHECK-LABEL: func.func @declined
// CHECK-NOT: gpu.launch
// CHECK: linalg.reduce
// CHECK: linalg.reduce
func.func @declined(%x: memref<4x?x8xf32>, %y: memref<4x8xf32>,
                    %s: memref<?x?xf32, strided<[?, 1], offset: ?>>, %z: memref<?xf32>) {
  linalg.reduce ins(%x : memref<4x?x8xf32>) outs(%y : memref<4x8xf32>) dimensions = [1]
      {vmgpu.lowering_config = #config}
    (%in: f32, %init: f32) {
      %1 = arith.addf %init, %in : f32
      linalg.yield %1 : f32
    }
  linalg.reduce ins(%s : memref<?x?xf32, strided<[?, 1], offset: ?>>) outs(%z : memref<?xf32>) dimensions = [0]
      {vmgpu.lowering_config = #config}
    (%in: f32, %init: f32) {
      %1 = arith.addf %init, %in : f32
      linalg.yield %1 : f32
    }
  return
}
