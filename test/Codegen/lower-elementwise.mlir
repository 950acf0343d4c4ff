// vm-gpu-lower-elementwise with hand-written configurations: the kernel's
// vector part, its scalar tail, element-by-element reads of broadcast
// operands, and the ops it leaves to the fallback.
// RUN: vm-gpu-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-gpu-lower-elementwise))" \
// RUN:   | FileCheck %s

#id = affine_map<(d0) -> (d0)>
#config = {class = "elementwise", strategy = "vectorized_elementwise", workgroup = array<i64: 128, 1, 1>, vector_width = 4, max_blocks = 64}

// CHECK-LABEL: func.func @add_f32
// CHECK-SAME: (%[[A:.+]]: memref<?xf32>, %[[B:.+]]: memref<?xf32>, %[[C:.+]]: memref<?xf32>)
// CHECK-DAG: %[[N:.+]] = memref.dim %[[C]]
// CHECK-DAG: %[[STEPS:.+]] = arith.ceildivui %{{.+}}, %c4
// CHECK: %[[BLOCKS:.+]] = arith.ceildivui %[[STEPS]], %c128
// CHECK: %[[GRID:.+]] = arith.maxui %[[BLOCKS]], %c1
// CHECK: %[[CAPPED:.+]] = arith.minui %[[GRID]], %c64
// CHECK: gpu.launch blocks({{.*}}) in (%[[GX:.+]] = %[[CAPPED]], {{.*}}) threads({{.*}}) in ({{.*}} = %c128
// CHECK: memref.extract_aligned_pointer_as_index %[[A]]
// CHECK: arith.remui %{{.+}}, %c16
// CHECK: scf.for
// CHECK:   vector.load %[[A]][%{{.+}}] {alignment = 16 : i64} : memref<?xf32>, vector<4xf32>
// CHECK:   vector.load %[[B]][%{{.+}}] {alignment = 16 : i64} : memref<?xf32>, vector<4xf32>
// CHECK-COUNT-4: arith.addf
// CHECK:   vector.from_elements
// CHECK:   vector.store %{{.+}}, %[[C]][%{{.+}}] {alignment = 16 : i64}
// The scalar tail.
// CHECK: scf.for
// CHECK:   memref.load %[[A]]
// CHECK:   memref.load %[[B]]
// CHECK:   arith.addf
// CHECK:   memref.store %{{.+}}, %[[C]]
// CHECK-NOT: linalg.generic
func.func @add_f32(%a: memref<?xf32>, %b: memref<?xf32>, %c: memref<?xf32>) {
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%a, %b : memref<?xf32>, memref<?xf32>) outs(%c : memref<?xf32>)
      attrs = {vmgpu.lowering_config = #config} {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %r = arith.addf %x, %y : f32
    linalg.yield %r : f32
  }
  return
}

// -----

// 2-D contiguous operands are viewed as 1-D; the row vector broadcast along
// dim 0 is read element by element at the delinearized column.
#row = affine_map<(d0, d1) -> (d1)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @bias_add
// CHECK-SAME: (%[[X:.+]]: memref<?x?xf16>, %[[BIAS:.+]]: memref<?xf16>, %[[Y:.+]]: memref<?x?xf16>)
// CHECK-DAG: %[[X1:.+]] = memref.collapse_shape %[[X]] {{\[}}[0, 1]] : memref<?x?xf16> into memref<?xf16>
// CHECK-DAG: %[[Y1:.+]] = memref.collapse_shape %[[Y]] {{\[}}[0, 1]] : memref<?x?xf16> into memref<?xf16>
// CHECK: gpu.launch
// CHECK: scf.for
// CHECK:   vector.load %[[X1]][%{{.+}}] {alignment = 16 : i64} : memref<?xf16>, vector<8xf16>
// CHECK:   arith.remui
// CHECK:   memref.load %[[BIAS]]
// CHECK:   vector.store %{{.+}}, %[[Y1]][%{{.+}}] {alignment = 16 : i64} : memref<?xf16>, vector<8xf16>
func.func @bias_add(%x: memref<?x?xf16>, %bias: memref<?xf16>, %y: memref<?x?xf16>) {
  linalg.generic {indexing_maps = [#id2, #row, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x, %bias : memref<?x?xf16>, memref<?xf16>) outs(%y : memref<?x?xf16>)
      attrs = {vmgpu.lowering_config = {class = "elementwise", strategy = "vectorized_elementwise", workgroup = array<i64: 256, 1, 1>, vector_width = 8, max_blocks = 0}} {
  ^bb0(%a: f16, %b: f16, %c: f16):
    %r = arith.addf %a, %b : f16
    linalg.yield %r : f16
  }
  return
}

// -----

// An im2col copy: its innermost loop (8 channels, a multiple of V) is the
// input's innermost dim, so 8 consecutive output elements are 8 consecutive
// input elements: one 16-byte load at the first element's indices, an
// affine expression of them (oh * 2 + kh). With 6 channels (not a multiple
// of V) the input is read element by element at each element's indices.
#windows = affine_map<(d0, d1, d2) -> (d0 * 2 + d1, d2)>
#cols = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @im2col_copy
// CHECK-SAME: (%[[X:.+]]: memref<9x8xf16>, %[[COLS:.+]]: memref<4x3x8xf16>)
// CHECK: gpu.launch
// CHECK: scf.for
// CHECK:   %[[C:.+]] = arith.remui %[[FLAT:.+]], %{{.+}} : index
// CHECK:   %[[REST:.+]] = arith.divui %[[FLAT]], %{{.+}} : index
// CHECK:   %[[KH:.+]] = arith.remui %[[REST]], %{{.+}} : index
// CHECK:   %[[OH:.+]] = arith.divui %[[REST]], %{{.+}} : index
// CHECK:   %[[TWICE:.+]] = arith.muli %[[OH]], %{{.+}} overflow<nsw> : index
// CHECK:   %[[ROW:.+]] = arith.addi %[[TWICE]], %[[KH]] : index
// CHECK:   vector.load %[[X]][%[[ROW]], %[[C]]] {alignment = 16 : i64} : memref<9x8xf16>, vector<8xf16>
// CHECK-NOT: memref.load %[[X]]
// CHECK:   vector.store %{{.+}} {alignment = 16 : i64} : memref<96xf16>, vector<8xf16>
// The scalar tail (a base not aligned to 16 bytes) reads element by element.
// CHECK: scf.for
// CHECK:   memref.load %[[X]]
func.func @im2col_copy(%x: memref<9x8xf16>, %cols: memref<4x3x8xf16>) {
  linalg.generic {indexing_maps = [#windows, #cols], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x : memref<9x8xf16>) outs(%cols : memref<4x3x8xf16>)
      attrs = {vmgpu.lowering_config = {class = "elementwise", strategy = "vectorized_elementwise", workgroup = array<i64: 256, 1, 1>, vector_width = 8, max_blocks = 0}} {
  ^bb0(%a: f16, %c: f16):
    linalg.yield %a : f16
  }
  return
}

// CHECK-LABEL: func.func @im2col_copy_6_channels
// CHECK-SAME: (%[[X:.+]]: memref<9x6xf16>, %{{.+}}: memref<4x3x6xf16>)
// CHECK: scf.for
// CHECK-NOT: vector.load %[[X]]
// CHECK: memref.load %[[X]]
// CHECK: vector.store
func.func @im2col_copy_6_channels(%x: memref<9x6xf16>, %cols: memref<4x3x6xf16>) {
  linalg.generic {indexing_maps = [#windows, #cols], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x : memref<9x6xf16>) outs(%cols : memref<4x3x6xf16>)
      attrs = {vmgpu.lowering_config = {class = "elementwise", strategy = "vectorized_elementwise", workgroup = array<i64: 256, 1, 1>, vector_width = 8, max_blocks = 0}} {
  ^bb0(%a: f16, %c: f16):
    linalg.yield %a : f16
  }
  return
}

// -----

// A fill: the value is used as it is; i1 outputs are stored element by
// element (i1 is not packed in whole bytes).
// CHECK-LABEL: func.func @fill_and_compare
// CHECK: gpu.launch
// CHECK:   vector.store %{{.+}}, %{{.+}}[%{{.+}}] {alignment = 16 : i64} : memref<?xf32>, vector<4xf32>
// CHECK: gpu.launch
// CHECK:   vector.load {{.*}} vector<4xf32>
// CHECK:   arith.cmpf olt
// CHECK:   memref.store %{{.+}}, %{{.+}}[%{{.+}}] : memref<?xi1>
func.func @fill_and_compare(%a: memref<?xf32>, %m: memref<?xi1>, %v: f32) {
  linalg.fill {vmgpu.lowering_config = {class = "elementwise", strategy = "vectorized_elementwise", vector_width = 4}}
      ins(%v : f32) outs(%a : memref<?xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%a : memref<?xf32>) outs(%m : memref<?xi1>)
      attrs = {vmgpu.lowering_config = {class = "elementwise", strategy = "vectorized_elementwise", vector_width = 4}} {
  ^bb0(%x: f32, %o: i1):
    %r = arith.cmpf olt, %x, %v : f32
    linalg.yield %r : i1
  }
  return
}

// -----

// Declined, left to the fallback: a strided output and an op configured
// for another strategy.
// CHECK-LABEL: func.func @declined
// CHECK-NOT: gpu.launch
// CHECK-COUNT-2: linalg.generic
func.func @declined(%a: memref<?xf32>, %b: memref<?xf32, strided<[2]>>, %c: memref<?xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%a : memref<?xf32>) outs(%b : memref<?xf32, strided<[2]>>)
      attrs = {vmgpu.lowering_config = {class = "elementwise", strategy = "vectorized_elementwise", vector_width = 4}} {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%a : memref<?xf32>) outs(%c : memref<?xf32>)
      attrs = {vmgpu.lowering_config = {class = "elementwise", strategy = "fallback"}} {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  return
}

// -----

// A body reading its position (linalg.index): the loop indices come from
// the flat position, each element's own (the rows, 6 long, are no multiple
// of 4, so a vector step may cross a row).
// CHECK-LABEL: func.func @reads_index
// CHECK: gpu.launch
// CHECK: scf.for
// CHECK-COUNT-4: arith.remui %{{.+}}, %dim
// CHECK: vector.store
// CHECK-NOT: linalg.generic
func.func @reads_index(%c: memref<5x6xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      outs(%c : memref<5x6xf32>)
      attrs = {vmgpu.lowering_config = {class = "elementwise", strategy = "vectorized_elementwise", workgroup = array<i64: 128, 1, 1>, vector_width = 4, max_blocks = 64}} {
  ^bb0(%o: f32):
    %i = linalg.index 1 : index
    %n = arith.index_cast %i : index to i32
    %f = arith.sitofp %n : i32 to f32
    linalg.yield %f : f32
  }
  return
}

// -----

// A row gather (vm.take along dim 0): rows of 8 hold whole vector steps,
// so each step delinearizes once, reads and clamps its row's index once
// (the same for its 4 elements), and loads 4 consecutive elements of the
// table with one 16-byte access, whose base joins the alignment check.
// CHECK-LABEL: func.func @gather_rows
// CHECK-SAME: (%[[TABLE:.+]]: memref<10x8xf32>, %[[IDX:.+]]: memref<6xi64>, %[[OUT:.+]]: memref<6x8xf32>)
// CHECK: gpu.launch
// CHECK: memref.extract_aligned_pointer_as_index %[[TABLE]]
// CHECK: scf.for
// CHECK:   memref.load %[[IDX]]
// CHECK:   arith.minsi
// CHECK:   %[[ROW:.+]] = arith.index_cast
// CHECK:   vector.load %[[TABLE]][%[[ROW]], %{{.+}}] {alignment = 16 : i64} : memref<10x8xf32>, vector<4xf32>
// CHECK-NOT: memref.load %[[TABLE]]
// CHECK:   vector.store %{{.+}}, %{{.+}}[%{{.+}}] {alignment = 16 : i64}
// The scalar tail reads the table element by element.
// CHECK: scf.for
// CHECK:   memref.load %[[TABLE]]
// CHECK-NOT: linalg.generic
func.func @gather_rows(%table: memref<10x8xf32>, %idx: memref<6xi64>, %out: memref<6x8xf32>) {
  %c0 = arith.constant 0 : i64
  %c9 = arith.constant 9 : i64
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%idx : memref<6xi64>) outs(%out : memref<6x8xf32>)
      attrs = {vmgpu.lowering_config = {class = "elementwise", strategy = "vectorized_elementwise", workgroup = array<i64: 128, 1, 1>, vector_width = 4, max_blocks = 64}} {
  ^bb0(%k: i64, %o: f32):
    %lo = arith.maxsi %k, %c0 : i64
    %hi = arith.minsi %lo, %c9 : i64
    %row = arith.index_cast %hi : i64 to index
    %col = linalg.index 1 : index
    %x = memref.load %table[%row, %col] : memref<10x8xf32>
    linalg.yield %x : f32
  }
  return
}

// -----

// Not a row load: the row index depends on the column (a diagonal), so each
// element reads the table on its own.
// CHECK-LABEL: func.func @gather_diagonal
// CHECK: scf.for
// CHECK-NOT: vector.load
// CHECK-COUNT-4: memref.load %{{.+}}[%{{.+}}, %{{.+}}] : memref<8x8xf32>
func.func @gather_diagonal(%table: memref<8x8xf32>, %out: memref<8x8xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      outs(%out : memref<8x8xf32>)
      attrs = {vmgpu.lowering_config = {class = "elementwise", strategy = "vectorized_elementwise", workgroup = array<i64: 128, 1, 1>, vector_width = 4, max_blocks = 64}} {
  ^bb0(%o: f32):
    %col = linalg.index 1 : index
    %x = memref.load %table[%col, %col] : memref<8x8xf32>
    linalg.yield %x : f32
  }
  return
}
