// vm-gpu-lower-full-reductions with hand-written configurations: the
// partition computed from the element count alone, stage 1 with one
// subgroup per segment, stage 2 with one subgroup over the partials.
// RUN: vm-gpu-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-gpu-lower-full-reductions))" \
// RUN:   | FileCheck %s

// CHECK-LABEL: func.func @dot_f16
// CHECK-SAME: (%[[A:.+]]: memref<?xf16>, %[[B:.+]]: memref<?xf16>, %[[OUT:.+]]: memref<f32>)
// Host: P = max(min(ceil(N / 4096), 8192), 1) partials; divisions by
// constants only.
// CHECK: %[[N:.+]] = arith.muli
// CHECK: %[[CHUNKS:.+]] = arith.ceildivui %[[N]], %c4096
// CHECK: %[[CAPPED:.+]] = arith.minui %[[CHUNKS]], %c8192
// CHECK: %[[P:.+]] = arith.maxui %[[CAPPED]], %c1
// CHECK: %[[PARTIALS:.+]] = memref.alloc(%[[P]]) {vmgpu.late_allocation} : memref<?xf32>
// CHECK: %[[GRID:.+]] = arith.ceildivui %[[P]], %c4
// Stage 1: the segment length and the used segments in the kernel.
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %[[GRID]], {{.*}}) threads({{.*}}) in ({{.*}} = %c32{{.*}}, {{.*}} = %c4
// CHECK:   %[[LEN:.+]] = arith.ceildivui %[[N]], %[[P]]
// CHECK:   scf.if
// CHECK:     memref.load %[[A]]
// CHECK:     memref.load %[[B]]
// CHECK:     arith.mulf
// CHECK:     scf.for
// CHECK:       arith.mulf
// CHECK:       arith.addf
// CHECK-COUNT-5: gpu.shuffle down
// CHECK:     memref.store %{{.+}}, %[[PARTIALS]]
// Stage 2: one subgroup folds the partials with the combining part (the
// addition alone, no multiplication), then into the output's initial value.
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c1{{.*}}) threads({{.*}}) in ({{.*}} = %c32
// CHECK:   scf.for
// CHECK:     memref.load %[[PARTIALS]]
// CHECK-NOT: arith.mulf
// CHECK:     arith.addf
// CHECK-COUNT-5: gpu.shuffle down
// CHECK:   memref.load %[[OUT]][]
// CHECK:   arith.addf
// CHECK:   memref.store %{{.+}}, %[[OUT]][]
// CHECK: memref.dealloc %[[PARTIALS]]
func.func @dot_f16(%a: memref<?xf16>, %b: memref<?xf16>, %out: memref<f32>) {
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>],
                  iterator_types = ["reduction"]}
      ins(%a, %b : memref<?xf16>, memref<?xf16>) outs(%out : memref<f32>)
      attrs = {vmgpu.lowering_config = {class = "full_reduction", strategy = "two_stage", workgroup = array<i64: 32, 4, 1>}} {
  ^bb0(%x: f16, %y: f16, %acc: f32):
    %xw = arith.extf %x : f16 to f32
    %yw = arith.extf %y : f16 to f32
    %p = arith.mulf %xw, %yw : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// 2-D input viewed as 1-D; AMD wavefronts of 64.
// CHECK-LABEL: func.func @max_2d
// CHECK: memref.collapse_shape %{{.+}} {{\[}}[0, 1]] : memref<7x9xi32> into memref<63xi32>
// CHECK: gpu.launch {{.*}} threads({{.*}}) in ({{.*}} = %c64
// CHECK-COUNT-6: gpu.shuffle down %{{.+}}, %c{{[0-9]+}}_i32{{.*}}, %c64_i32
func.func @max_2d(%x: memref<7x9xi32>, %out: memref<i32>) {
  linalg.reduce ins(%x : memref<7x9xi32>) outs(%out : memref<i32>) dimensions = [0, 1]
      {vmgpu.lowering_config = {class = "full_reduction", strategy = "two_stage", workgroup = array<i64: 64, 4, 1>}}
    (%in: i32, %init: i32) {
      %m = arith.maxsi %init, %in : i32
      linalg.yield %m : i32
    }
  return
}

// -----

// Declined: a strided input.
// CHECK-LABEL: func.func @declined
// CHECK-NOT: gpu.launch
// CHECK: linalg.reduce
func.func @declined(%x: memref<?xf32, strided<[2]>>, %out: memref<f32>) {
  linalg.reduce ins(%x : memref<?xf32, strided<[2]>>) outs(%out : memref<f32>) dimensions = [0]
      {vmgpu.lowering_config = {class = "full_reduction", strategy = "two_stage", workgroup = array<i64: 32, 8, 1>}}
    (%in: f32, %init: f32) {
      %s = arith.addf %init, %in : f32
      linalg.yield %s : f32
    }
  return
}

// -----

// The output's fill right before the reduction: stage 2 combines the total
// with the fill's value and stores the value alone when there is no element;
// the fill is gone (it was a one-thread launch of its own). Stage 2's lanes
// read 64 partials at a time, the last group guarded.
// CHECK-LABEL: func.func @sum_after_fill
// CHECK-SAME: (%[[X:.+]]: memref<?xf32>, %[[INIT:.+]]: f32)
// CHECK: %[[OUT:.+]] = memref.alloc() : memref<f32>
// CHECK-NOT: linalg.fill
// CHECK: gpu.launch
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c1{{.*}}) threads({{.*}}) in ({{.*}} = %c32
// CHECK-NOT: memref.load %[[OUT]]
// CHECK:   scf.if
// Whole groups of 64 partials per lane (2048 per step), then one guarded
// group: reads past the end take the group's first index, their folds are
// discarded.
// CHECK:     scf.for {{.*}} step %c2048
// CHECK-COUNT-64: memref.load
// CHECK:     scf.yield
// CHECK:     scf.if
// CHECK-COUNT-64: arith.select %{{.+}}, %{{.+}}, %[[FROM:.+]] : index
// CHECK-COUNT-64: arith.select
// CHECK:     } else {
// CHECK:     gpu.shuffle down
// CHECK:     arith.addf %[[INIT]], %{{.+}} : f32
// CHECK:     memref.store %{{.+}}, %[[OUT]][]
// CHECK:   } else {
// CHECK:     memref.store %[[INIT]], %[[OUT]][]
// CHECK-NOT: linalg.fill
func.func @sum_after_fill(%x: memref<?xf32>, %init: f32) -> memref<f32> {
  %out = memref.alloc() : memref<f32>
  linalg.fill ins(%init : f32) outs(%out : memref<f32>)
  linalg.reduce ins(%x : memref<?xf32>) outs(%out : memref<f32>) dimensions = [0]
      {vmgpu.lowering_config = {class = "full_reduction", strategy = "two_stage", workgroup = array<i64: 32, 8, 1>}}
    (%in: f32, %acc: f32) {
      %s = arith.addf %acc, %in : f32
      linalg.yield %s : f32
    }
  return %out : memref<f32>
}

// -----

// An output the caller passed in (it may alias an input) keeps its fill.
// CHECK-LABEL: func.func @fill_of_an_argument
// CHECK: linalg.fill
// CHECK: gpu.launch
// CHECK: gpu.launch
// CHECK:   memref.load %{{.+}}[] : memref<f32>
func.func @fill_of_an_argument(%x: memref<?xf32>, %init: f32, %out: memref<f32>) {
  linalg.fill ins(%init : f32) outs(%out : memref<f32>)
  linalg.reduce ins(%x : memref<?xf32>) outs(%out : memref<f32>) dimensions = [0]
      {vmgpu.lowering_config = {class = "full_reduction", strategy = "two_stage", workgroup = array<i64: 32, 8, 1>}}
    (%in: f32, %acc: f32) {
      %s = arith.addf %acc, %in : f32
      linalg.yield %s : f32
    }
  return
}

// -----

// An input that is a view of the output: stage 1 reads the filled value,
// so the fill stays.
// CHECK-LABEL: func.func @input_views_the_output
// CHECK: linalg.fill
// CHECK: gpu.launch
// CHECK: gpu.launch
// CHECK:   memref.load %{{.+}}[] : memref<f32>
func.func @input_views_the_output(%init: f32) -> memref<f32> {
  %out = memref.alloc() : memref<f32>
  %vec = memref.expand_shape %out [] output_shape [1] : memref<f32> into memref<1xf32>
  linalg.fill ins(%init : f32) outs(%out : memref<f32>)
  linalg.reduce ins(%vec : memref<1xf32>) outs(%out : memref<f32>) dimensions = [0]
      {vmgpu.lowering_config = {class = "full_reduction", strategy = "two_stage", workgroup = array<i64: 32, 8, 1>}}
    (%in: f32, %acc: f32) {
      %s = arith.addf %acc, %in : f32
      linalg.yield %s : f32
    }
  return %out : memref<f32>
}

// -----

// A fill with other work between it and the reduction is left alone: stage
// 2 reads the output's value.
// CHECK-LABEL: func.func @fill_not_next
// CHECK: linalg.fill
// CHECK: memref.store
// CHECK: gpu.launch
// CHECK: gpu.launch
// CHECK:   memref.load %{{.+}}[] : memref<f32>
func.func @fill_not_next(%x: memref<?xf32>, %init: f32, %out: memref<f32>, %other: memref<f32>) {
  linalg.fill ins(%init : f32) outs(%out : memref<f32>)
  memref.store %init, %other[] : memref<f32>
  linalg.reduce ins(%x : memref<?xf32>) outs(%out : memref<f32>) dimensions = [0]
      {vmgpu.lowering_config = {class = "full_reduction", strategy = "two_stage", workgroup = array<i64: 32, 8, 1>}}
    (%in: f32, %acc: f32) {
      %s = arith.addf %acc, %in : f32
      linalg.yield %s : f32
    }
  return
}
