// vm-gpu-lower-row-reductions with hand-written configurations: one
// subgroup per row, lanes strided by the subgroup size, the shuffle tree
// built from the body's combining part, lane 0 folding into the output.
// RUN: vm-gpu-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-gpu-lower-row-reductions))" \
// RUN:   | FileCheck %s

#config = {class = "row_reduction", strategy = "warp_per_row", workgroup = array<i64: 32, 8, 1>}

// CHECK-LABEL: func.func @row_sum_f16
// CHECK-SAME: (%[[X:.+]]: memref<?x?xf16>, %[[Y:.+]]: memref<?xf32>)
// CHECK-DAG: %[[ROWS:.+]] = arith.muli %{{.+}}, %{{.+}} : index
// CHECK: %[[BLOCKS:.+]] = arith.ceildivui %[[ROWS]], %c8
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %{{.+}}, {{.*}}) threads(%[[LANE:.+]], %[[TY:.+]], %{{.+}}) in ({{.*}} = %c32{{.*}}, {{.*}} = %c8
// CHECK:   scf.if
// The lane's first column, clamped into the row, widened to f32.
// CHECK:     %[[FIRST:.+]] = arith.minui %[[LANE]]
// CHECK:     %[[E0:.+]] = memref.load %[[X]][%{{.+}}, %[[FIRST]]]
// CHECK:     %[[W0:.+]] = arith.extf %[[E0]] : f16 to f32
// CHECK:     %[[PARTIAL:.+]] = scf.for %{{.+}} = %{{.+}} to %{{.+}} step %c32{{.*}} iter_args(%[[ACC:.+]] = %[[W0]]) -> (f32)
// CHECK:       memref.load %[[X]]
// CHECK:       arith.extf
// CHECK:       arith.addf %[[ACC]]
// CHECK-COUNT-5: gpu.shuffle down %{{.+}}, %c{{16|8|4|2|1}}_i32, %c32_i32{{.*}} : i32
// CHECK:     scf.if
// CHECK:       %[[INIT:.+]] = memref.load %[[Y]]
// CHECK:       %[[RESULT:.+]] = arith.addf %[[INIT]], %{{.+}} : f32
// CHECK:       memref.store %[[RESULT]], %[[Y]]
func.func @row_sum_f16(%x: memref<?x?xf16>, %y: memref<?xf32>) {
  linalg.reduce ins(%x : memref<?x?xf16>) outs(%y : memref<?xf32>) dimensions = [1]
      {vmgpu.lowering_config = #config}
    (%in: f16, %init: f32) {
      %0 = arith.extf %in : f16 to f32
      %1 = arith.addf %init, %0 : f32
      linalg.yield %1 : f32
    }
  return
}

// -----

// i64 partials travel as two 32-bit words; 3-D input viewed as [rows, columns].
// CHECK-LABEL: func.func @row_sum_i64
// CHECK: memref.collapse_shape %{{.+}} {{\[}}[0], [1, 2]] : memref<4x5x6xi64> into memref<4x30xi64>
// CHECK: gpu.launch
// CHECK: arith.shrui
// CHECK: gpu.shuffle down %{{.+}}, %c16_i32{{.*}}, %c32_i32{{.*}} : i32
// CHECK: gpu.shuffle down %{{.+}}, %c16_i32{{.*}}, %c32_i32{{.*}} : i32
// CHECK: arith.shli
// CHECK: arith.ori
func.func @row_sum_i64(%x: memref<4x5x6xi64>, %y: memref<4xi64>) {
  linalg.reduce ins(%x : memref<4x5x6xi64>) outs(%y : memref<4xi64>) dimensions = [1, 2]
      {vmgpu.lowering_config = {class = "row_reduction", strategy = "warp_per_row", workgroup = array<i64: 32, 8, 1>}}
    (%in: i64, %init: i64) {
      %1 = arith.addi %init, %in : i64
      linalg.yield %1 : i64
    }
  return
}

// -----

// The sum of exp(x - max) that softmax computes: the per-row maximum is read
// once per element at [row]; the combining part is the addition alone.
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @sum_exp
// CHECK-SAME: (%[[X:.+]]: memref<?x?xf32>, %[[M:.+]]: memref<?xf32>, %[[S:.+]]: memref<?xf32>)
// CHECK: gpu.launch
// CHECK:   memref.load %[[X]]
// CHECK:   memref.load %[[M]][%{{.+}}]
// CHECK:   arith.subf
// CHECK:   math.exp
// CHECK:   scf.for
// CHECK: %[[OTHER:.+]] = arith.bitcast %{{.+}} : i32 to f32
// CHECK-NEXT: arith.addf %{{.+}}, %[[OTHER]] : f32
func.func @sum_exp(%x: memref<?x?xf32>, %m: memref<?xf32>, %s: memref<?xf32>) {
  linalg.generic {indexing_maps = [#id, #row, #row], iterator_types = ["parallel", "reduction"]}
      ins(%x, %m : memref<?x?xf32>, memref<?xf32>) outs(%s : memref<?xf32>)
      attrs = {vmgpu.lowering_config = {class = "row_reduction", strategy = "warp_per_row", workgroup = array<i64: 32, 8, 1>}} {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %d = arith.subf %a, %b : f32
    %e = math.exp %d : f32
    %r = arith.addf %acc, %e : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// Declined, left to the fallback: the reduced dim is not innermost, a
// broadcast input, a subgroup size that is not a hardware one.
#t = affine_map<(d0, d1) -> (d1, d0)>
#id = affine_map<(d0, d1) -> (d0, d1)>
#r = affine_map<(d0, d1) -> (d0)>
#c = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @declined
// CHECK-NOT: gpu.launch
// CHECK-COUNT-3: linalg.
func.func @declined(%x: memref<?x?xf32>, %v: memref<?xf32>, %y: memref<?xf32>) {
  linalg.generic {indexing_maps = [#t, #r], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<?x?xf32>) outs(%y : memref<?xf32>)
      attrs = {vmgpu.lowering_config = {class = "row_reduction", strategy = "warp_per_row", workgroup = array<i64: 32, 8, 1>}} {
  ^bb0(%a: f32, %acc: f32):
    %s = arith.addf %acc, %a : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id, #c, #r], iterator_types = ["parallel", "reduction"]}
      ins(%x, %v : memref<?x?xf32>, memref<?xf32>) outs(%y : memref<?xf32>)
      attrs = {vmgpu.lowering_config = {class = "row_reduction", strategy = "warp_per_row", workgroup = array<i64: 32, 8, 1>}} {
  ^bb0(%a: f32, %b: f32, %acc: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  linalg.reduce ins(%x : memref<?x?xf32>) outs(%y : memref<?xf32>) dimensions = [1]
      {vmgpu.lowering_config = {class = "row_reduction", strategy = "warp_per_row", workgroup = array<i64: 16, 8, 1>}}
    (%in: f32, %init: f32) {
      %1 = arith.addf %init, %in : f32
      linalg.yield %1 : f32
    }
  return
}

// -----

// vector_width = 4: rows whose length is a multiple of 4 on aligned bases
// are read as vector<4xf32> chunks (checked in the kernel); the others one
// element at a time. Both feed the same shuffle tree.
// CHECK-LABEL: func.func @row_max_vector
// CHECK-SAME: (%[[X:.+]]: memref<?x?xf32>, %[[Y:.+]]: memref<?xf32>)
// CHECK: gpu.launch
// CHECK:   arith.remui %{{.+}}, %c4
// CHECK:   memref.extract_aligned_pointer_as_index %[[X]]
// CHECK:   arith.remui %{{.+}}, %c16
// CHECK:   %[[PARTIAL:.+]] = scf.if %{{.+}} -> (f32) {
// CHECK:     %[[CHUNKS:.+]] = arith.divui %{{.+}}, %c4
// CHECK:     vector.load %[[X]][%{{.+}}, %{{.+}}] {alignment = 16 : i64} : memref<?x?xf32>, vector<4xf32>
// CHECK-COUNT-3: vector.extract
// CHECK:     scf.for %{{.+}} = %{{.+}} to %[[CHUNKS]]
// CHECK:       vector.load %[[X]]
// CHECK-COUNT-4: vector.extract
// CHECK:     gpu.shuffle down
// CHECK:   } else {
// CHECK:     memref.load %[[X]]
// CHECK:     scf.for
// CHECK:     gpu.shuffle down
// CHECK:   }
// CHECK:   memref.load %[[Y]]
// CHECK:   memref.store %{{.+}}, %[[Y]]
func.func @row_max_vector(%x: memref<?x?xf32>, %y: memref<?xf32>) {
  linalg.reduce ins(%x : memref<?x?xf32>) outs(%y : memref<?xf32>) dimensions = [1]
      {vmgpu.lowering_config = {class = "row_reduction", strategy = "warp_per_row", workgroup = array<i64: 32, 8, 1>, vector_width = 4}}
    (%in: f32, %init: f32) {
      %m = arith.maximumf %init, %in : f32
      linalg.yield %m : f32
    }
  return
}

// -----

#config = {class = "row_reduction", strategy = "warp_per_row", workgroup = array<i64: 32, 8, 1>, vector_width = 4 : i64}

// A body that reads its position (the packed argmax of vm.arg_reduce): one
// reduced loop, so linalg.index 1 becomes the element's column (the lane's
// column on the element path, the chunk's column plus k on the vector
// path) and linalg.index 0 the row; the combine is the unsigned max alone.
// CHECK-LABEL: func.func @packed_argmax
// CHECK: gpu.launch
// CHECK-NOT: linalg.index
// CHECK: vector.load
// CHECK: arith.addi %{{.+}}, %c1{{.*}} : index
// CHECK: arith.maxui
// CHECK: gpu.shuffle  down
// CHECK-NOT: linalg.generic
func.func @packed_argmax(%x: memref<?x?xi32>, %y: memref<?xi64>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>],
                  iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<?x?xi32>) outs(%y : memref<?xi64>)
      attrs = {vmgpu.lowering_config = #config} {
  ^bb0(%in: i32, %acc: i64):
    %key = arith.extui %in : i32 to i64
    %c = linalg.index 1 : index
    %r = linalg.index 0 : index
    %ci = arith.index_cast %c : index to i64
    %ri = arith.index_cast %r : index to i64
    %s = arith.constant 32 : i64
    %hi = arith.shli %key, %s : i64
    %p0 = arith.ori %hi, %ci : i64
    %p = arith.addi %p0, %ri : i64
    %m = arith.maxui %acc, %p : i64
    linalg.yield %m : i64
  }
  return
}

// Two reduced loops: the position would need delinearizing; declined.
// CHECK-LABEL: func.func @index_over_two_loops
// CHECK-NOT: gpu.launch
// CHECK: linalg.generic
func.func @index_over_two_loops(%x: memref<?x?x?xi32>, %y: memref<?xi64>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d0)>],
                  iterator_types = ["parallel", "reduction", "reduction"]}
      ins(%x : memref<?x?x?xi32>) outs(%y : memref<?xi64>)
      attrs = {vmgpu.lowering_config = #config} {
  ^bb0(%in: i32, %acc: i64):
    %c = linalg.index 2 : index
    %ci = arith.index_cast %c : index to i64
    %m = arith.maxui %acc, %ci : i64
    linalg.yield %m : i64
  }
  return
}

// -----

// The zero fill of a fresh output folds into the kernel: lane 0 combines
// the row with the fill's value (no load of the output), rows of no
// columns store the value, and the fill (a launch of its own) goes.
// CHECK-LABEL: func.func @row_sum_fill_folded
// CHECK-SAME: (%[[X:.+]]: memref<?x?xf32>)
// CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
// CHECK-NOT: linalg.fill
// CHECK: %[[Y:.+]] = memref.alloc
// CHECK: gpu.launch
// CHECK: scf.if
// CHECK-NOT: memref.load %[[Y]]
// CHECK: %[[ROW:.+]] = arith.addf %[[ZERO]], %{{.+}} : f32
// CHECK: memref.store %[[ROW]], %[[Y]]
// CHECK: } else {
// CHECK: scf.if
// CHECK: memref.store %[[ZERO]], %[[Y]]
// CHECK: return %[[Y]]
func.func @row_sum_fill_folded(%x: memref<?x?xf32>) -> memref<?xf32> {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  %rows = memref.dim %x, %c0 : memref<?x?xf32>
  %y = memref.alloc(%rows) : memref<?xf32>
  linalg.fill ins(%zero : f32) outs(%y : memref<?xf32>)
  linalg.reduce ins(%x : memref<?x?xf32>) outs(%y : memref<?xf32>) dimensions = [1]
      {vmgpu.lowering_config = {class = "row_reduction", strategy = "warp_per_row", workgroup = array<i64: 32, 8, 1>}}
    (%in: f32, %init: f32) {
      %1 = arith.addf %init, %in : f32
      linalg.yield %1 : f32
    }
  return %y : memref<?xf32>
}

// -----

// An output the caller passed in keeps its fill (it may alias the input).
// CHECK-LABEL: func.func @row_sum_fill_kept
// CHECK: linalg.fill
// CHECK: gpu.launch
// CHECK: memref.load %arg1
func.func @row_sum_fill_kept(%x: memref<?x?xf32>, %y: memref<?xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%y : memref<?xf32>)
  linalg.reduce ins(%x : memref<?x?xf32>) outs(%y : memref<?xf32>) dimensions = [1]
      {vmgpu.lowering_config = {class = "row_reduction", strategy = "warp_per_row", workgroup = array<i64: 32, 8, 1>}}
    (%in: f32, %init: f32) {
      %1 = arith.addf %init, %in : f32
      linalg.yield %1 : f32
    }
  return
}
