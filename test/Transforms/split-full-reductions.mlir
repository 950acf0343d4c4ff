// vm-split-full-reductions: a reduction to one value becomes P partials
// (stage 1, parallel), their combination (stage 2) and the tail.
// RUN: vm-gpu-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(vm-split-full-reductions))' | FileCheck %s

// 5000 elements: 128 partials (the power of two whose square first reaches
// the size); 39 rows of 128 in stage 1, then a tail of 8 elements.
// CHECK-DAG:   #[[ROW:.+]] = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-DAG:   #[[PART:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @sum_static(
// CHECK-SAME:      %[[X:.+]]: memref<5000xf32>, %[[ACC:.+]]: memref<f32>)
// CHECK:         %[[ROWS:.+]] = arith.divui %{{.+}}, %[[C128:.+]] : index
// CHECK:         %[[MAIN:.+]] = arith.muli %[[ROWS]], %{{.+}} : index
// CHECK:         %[[TAILN:.+]] = arith.subi %{{.+}}, %[[MAIN]] : index
// CHECK:         %[[GRID:.+]] = memref.reinterpret_cast %[[X]] to offset: [0], sizes: [%[[ROWS]], 128], strides: [128, 1]
// CHECK:         %[[TAIL:.+]] = memref.reinterpret_cast %[[X]] to offset: [%[[MAIN]]], sizes: [%[[TAILN]]], strides: [1]
// CHECK:         %[[P:.+]] = memref.alloc() {vmgpu.late_allocation} : memref<128xf32>
// CHECK:         linalg.generic {{.+}} iterator_types = ["parallel"]} ins(%[[ACC]] : memref<f32>) outs(%[[P]] : memref<128xf32>)
// CHECK:         linalg.generic {indexing_maps = [#[[ROW]], #[[PART]]], iterator_types = ["parallel", "reduction"]} ins(%[[GRID]] : {{.+}}) outs(%[[P]] : memref<128xf32>)
// CHECK:           arith.addf
// CHECK:         linalg.generic {{.+}} iterator_types = ["reduction"]} ins(%[[P]] : memref<128xf32>) outs(%[[ACC]] : memref<f32>)
// CHECK:           arith.addf
// CHECK:         linalg.generic {{.+}} iterator_types = ["reduction"]} ins(%[[TAIL]] : {{.+}}) outs(%[[ACC]] : memref<f32>)
// CHECK:         memref.dealloc %[[P]]
// CHECK-NOT:     linalg.reduce
func.func @sum_static(%x: memref<5000xf32>, %acc: memref<f32>) {
  linalg.reduce ins(%x : memref<5000xf32>) outs(%acc : memref<f32>) dimensions = [0]
    (%in: f32, %init: f32) {
      %s = arith.addf %in, %init : f32
      linalg.yield %s : f32
    }
  return
}

// -----

// A run-time size: 16384 partials; stage 2 (16384 elements) is split again
// into 128 partials. Only the first-level tail stays whole. vm.dot's
// contribution is the product; stage 2 adds partials.
// CHECK-LABEL: func.func @dot_dynamic(
// CHECK:         memref.alloc() {vmgpu.late_allocation} : memref<16384xf32>
// CHECK:         linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]
// CHECK:           arith.mulf
// CHECK:           arith.addf
// CHECK:         memref.alloc() {vmgpu.late_allocation} : memref<128xf32>
// CHECK:         linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]
// CHECK-NOT:       arith.mulf
// CHECK:           arith.addf
// CHECK:         linalg.generic {{.+}} iterator_types = ["reduction"]} ins(%{{.+}} : memref<128xf32>)
// CHECK-NOT:       arith.mulf
// CHECK:         linalg.generic {{.+}} iterator_types = ["reduction"]} ins(%{{.+}} : memref<?xf32, strided<[1], offset: ?>>)
// CHECK:         memref.dealloc %{{.+}} : memref<128xf32>
// CHECK:         linalg.generic {{.+}} iterator_types = ["reduction"]} ins(%{{.+}}, %{{.+}} : memref<?xf32, strided<[1], offset: ?>>, memref<?xf32, strided<[1], offset: ?>>)
// CHECK:           arith.mulf
// CHECK:         memref.dealloc %{{.+}} : memref<16384xf32>
func.func @dot_dynamic(%a: memref<?xf32>, %b: memref<?xf32>, %acc: memref<f32>) {
  linalg.dot ins(%a, %b : memref<?xf32>, memref<?xf32>) outs(%acc : memref<f32>)
  return
}

// -----

// A 2-D input is collapsed to one dim; a 0-d input (softmax's max) is
// broadcast in every stage that reads elements. The NaN-aware max's
// combining part uses the element twice (directly and bitcast): both come
// from the one contribution, so stage 2 gets both.
// CHECK-LABEL: func.func @two_dims(
// CHECK:         %[[FLAT:.+]] = memref.collapse_shape %{{.+}} {{\[}}[0, 1]] : memref<100x100xf32> into memref<10000xf32>
// CHECK:         memref.alloc() {vmgpu.late_allocation} : memref<128xf32>
// CHECK:         linalg.generic {indexing_maps = [#{{.+}}, #[[BCAST:.+]], #{{.+}}], iterator_types = ["parallel", "reduction"]}
// CHECK:           arith.subf
// CHECK:           arith.bitcast
// CHECK:           arith.select
// CHECK:         linalg.generic {{.+}} iterator_types = ["reduction"]} ins(%{{.+}} : memref<128xf32>)
// CHECK-NOT:       arith.subf
// CHECK:           arith.bitcast %{{.+}} : f32 to i32
// CHECK:           arith.bitcast %{{.+}} : f32 to i32
// CHECK:           arith.select
func.func @two_dims(%x: memref<100x100xf32>, %m: memref<f32>, %acc: memref<f32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> ()>],
                  iterator_types = ["reduction", "reduction"]}
      ins(%x, %m : memref<100x100xf32>, memref<f32>) outs(%acc : memref<f32>) {
    ^bb0(%in: f32, %max: f32, %init: f32):
      %e = arith.subf %in, %max : f32
      %a = arith.bitcast %init : f32 to i32
      %b = arith.bitcast %e : f32 to i32
      %o = arith.andi %a, %b : i32
      %bits = arith.bitcast %o : i32 to f32
      %lt = arith.cmpf olt, %init, %e : f32
      %r = arith.select %lt, %e, %bits : f32
      linalg.yield %r : f32
  }
  return
}

// -----

// Left alone: fewer than 4096 elements; a body that does not accumulate;
// an op with a parallel dim.
// CHECK-LABEL: func.func @not_split(
// CHECK-NOT:     memref.alloc
// CHECK:         linalg.reduce
// CHECK:         linalg.generic
// CHECK:         linalg.reduce
// CHECK-NOT:     memref.alloc
func.func @not_split(%small: memref<4000xf32>, %big: memref<8192xf32>,
                     %rows: memref<4x8192xf32>, %acc: memref<f32>, %out: memref<4xf32>) {
  linalg.reduce ins(%small : memref<4000xf32>) outs(%acc : memref<f32>) dimensions = [0]
    (%in: f32, %init: f32) {
      %s = arith.addf %in, %init : f32
      linalg.yield %s : f32
    }
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]}
      ins(%big : memref<8192xf32>) outs(%acc : memref<f32>) {
    ^bb0(%in: f32, %init: f32):
      linalg.yield %in : f32
  }
  linalg.reduce ins(%rows : memref<4x8192xf32>) outs(%out : memref<4xf32>) dimensions = [1]
    (%in: f32, %init: f32) {
      %s = arith.addf %in, %init : f32
      linalg.yield %s : f32
    }
  return
}
