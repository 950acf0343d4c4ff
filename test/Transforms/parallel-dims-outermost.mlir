// vm-parallel-dims-outermost: every linalg op's loops get its parallel dims
// first (in their own order), then its reduction dims (in theirs).
// RUN: vm-gpu-opt %s --pass-pipeline='builtin.module(func.func(vm-parallel-dims-outermost))' | FileCheck %s

// A column reduction (reduced dim 0) becomes a generic over (d1, d0): the
// column is the parallel dim, the rows the sequential one.
// CHECK-DAG:   #[[IN:.+]] = affine_map<(d0, d1) -> (d1, d0)>
// CHECK-DAG:   #[[OUT:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG:   #[[IN4:.+]] = affine_map<(d0, d1, d2, d3) -> (d2, d0, d3, d1)>
// CHECK-DAG:   #[[OUT4:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1)>
// CHECK-LABEL: func.func @column_reduce(
// CHECK:         linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]], iterator_types = ["parallel", "reduction"]}
// CHECK-NOT:     linalg.reduce
func.func @column_reduce(%x: memref<?x3xf32>, %y: memref<3xf32>) {
  linalg.reduce ins(%x : memref<?x3xf32>) outs(%y : memref<3xf32>) dimensions = [0]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  return
}

// Reduced dims 0 and 2 of a 4-D op: the parallel dims 1 and 3 go first,
// in that order, then 0 and 2.
// CHECK-LABEL: func.func @two_reduced_dims(
// CHECK:         linalg.generic {indexing_maps = [#[[IN4]], #[[OUT4]]], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
func.func @two_reduced_dims(%x: memref<2x3x4x5xf32>, %y: memref<3x5xf32>) {
  linalg.reduce ins(%x : memref<2x3x4x5xf32>) outs(%y : memref<3x5xf32>) dimensions = [0, 2]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  return
}

// Ops already in that order are left as they are: a row reduction, a
// matmul, an elementwise op and a full reduction (no parallel dim).
// CHECK-LABEL: func.func @already_ordered(
// CHECK:         linalg.reduce
// CHECK:         linalg.matmul
// CHECK:         linalg.generic {{.+}} iterator_types = ["parallel"]
// CHECK:         linalg.reduce
func.func @already_ordered(%x: memref<4x8xf32>, %r: memref<4xf32>,
                           %b: memref<8x2xf32>, %c: memref<4x2xf32>,
                           %v: memref<8xf32>, %s: memref<f32>) {
  linalg.reduce ins(%x : memref<4x8xf32>) outs(%r : memref<4xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %sum = arith.addf %in, %acc : f32
      linalg.yield %sum : f32
    }
  linalg.matmul ins(%x, %b : memref<4x8xf32>, memref<8x2xf32>) outs(%c : memref<4x2xf32>)
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      outs(%v : memref<8xf32>) {
    ^bb0(%out: f32):
      %neg = arith.negf %out : f32
      linalg.yield %neg : f32
  }
  linalg.reduce ins(%v : memref<8xf32>) outs(%s : memref<f32>) dimensions = [0]
    (%in: f32, %acc: f32) {
      %sum = arith.addf %in, %acc : f32
      linalg.yield %sum : f32
    }
  return
}
