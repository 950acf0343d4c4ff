// vm-gpu-lower-row-scans with hand-written configurations: one subgroup per
// row walking it in chunks, the lanes' totals scanned with shuffles up, the
// op's own body over each lane's elements, the running value moved on from
// the lane holding the chunk's last element.
// RUN: vm-gpu-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-gpu-lower-row-scans))" \
// RUN:   | FileCheck %s

#config = {class = "scan", strategy = "warp_scan", workgroup = array<i64: 32, 8, 1>, vector_width = 4 : i64}
#id = affine_map<(d0, d1) -> (d0, d1)>
#lane = affine_map<(d0, d1) -> (d0)>

// An f16 running sum in f32, each result rounded once: the lane total folds
// the widened elements, five shuffles up scan the totals, the body (extf,
// addf, truncf) runs per element from the running value plus the lanes
// below. V = 4 when the row length and the bases allow it, else 1.
// CHECK-LABEL: func.func @cumsum_f16
// CHECK-SAME: (%[[X:.+]]: memref<?x?xf16>, %[[RUNNING:.+]]: memref<?xf32>, %[[Y:.+]]: memref<?x?xf16>)
// CHECK: gpu.launch blocks({{.*}}) threads(%[[LANE:.+]], %{{.+}}, %{{.+}}) in ({{.*}} = %c32{{.*}}, {{.*}} = %c8
// CHECK:   scf.if
// CHECK:     arith.remui %{{.+}}, %c4
// CHECK:     memref.extract_aligned_pointer_as_index %[[X]]
// CHECK:     memref.extract_aligned_pointer_as_index %[[Y]]
// CHECK:     scf.if
// CHECK:       %[[START:.+]] = memref.load %[[RUNNING]]
// CHECK:       %[[ROW:.+]] = scf.for %{{.+}} = %{{.+}} to %{{.+}} step %c128 iter_args(%[[CARRY:.+]] = %[[START]]) -> (f32)
// CHECK:         %[[V:.+]] = vector.load %[[X]][{{.+}}] {alignment = 8 : i64} : memref<?x?xf16>, vector<4xf16>
// CHECK-COUNT-3:  arith.addf
// CHECK-COUNT-5:  gpu.shuffle  up %{{.+}}, %c{{1|2|4|8|16}}_i32{{.*}}, %c32_i32{{.*}} : i32
// CHECK:         %[[BELOW:.+]] = gpu.shuffle  up %{{.+}}, %c1_i32{{.*}}, %c32_i32{{.*}} : i32
// CHECK:         arith.select %{{.+}}, %[[CARRY]], %{{.+}} : f32
// CHECK-COUNT-4:  arith.truncf %{{.+}} : f32 to f16
// CHECK:         scf.if
// CHECK:           vector.from_elements %{{.+}} : vector<4xf16>
// CHECK:           vector.store %{{.+}}, %[[Y]][{{.+}}] {alignment = 8 : i64}
// CHECK:         %[[LAST:.+]] = arith.minui %c31
// CHECK:         arith.index_cast %[[LAST]] : index to i32
// CHECK:         gpu.shuffle  idx
// CHECK:         scf.yield
// CHECK:       scf.if
// CHECK:         memref.store %[[ROW]], %[[RUNNING]]
// CHECK:     } else {
// CHECK:       scf.for {{.*}} step %c32{{.*}} iter_args
// CHECK:         memref.load %[[X]]
// CHECK-NOT:     vector.load
// CHECK:         memref.store %{{.+}}, %[[Y]]
func.func @cumsum_f16(%x: memref<?x?xf16>, %run: memref<?xf32>, %y: memref<?x?xf16>) {
  linalg.generic {indexing_maps = [#id, #lane, #id], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<?x?xf16>) outs(%run, %y : memref<?xf32>, memref<?x?xf16>)
      attrs = {vmgpu.lowering_config = #config} {
  ^bb0(%in: f16, %acc: f32, %o: f16):
    %w = arith.extf %in : f16 to f32
    %s = arith.addf %acc, %w : f32
    %t = arith.truncf %s : f32 to f16
    linalg.yield %s, %t : f32, f16
  }
  return
}

// -----

#config = {class = "scan", strategy = "warp_scan", workgroup = array<i64: 32, 8, 1>, vector_width = 1 : i64}
#id = affine_map<(d0, d1) -> (d0, d1)>
#lane = affine_map<(d0, d1) -> (d0)>

// An exclusive max: the written element is the running value before the
// step, except the identity at column 0 (linalg.index of the scanned loop
// becomes the element's column). The combine of the lanes is the body's
// max alone, without the select on the position.
// CHECK-LABEL: func.func @exclusive_max
// CHECK: gpu.launch
// CHECK-NOT: linalg.index
// CHECK: scf.for
// CHECK:   arith.maxsi
// CHECK:   gpu.shuffle  up
// CHECK:   arith.maxsi
// CHECK:   %[[COL:.+]] = arith.addi %{{.+}}, %c0{{.*}} : index
// CHECK:   %[[FIRST:.+]] = arith.cmpi eq, %[[COL]], %c0
// CHECK:   arith.select %[[FIRST]], %c-2147483648_i32
// CHECK:   memref.store
func.func @exclusive_max(%x: memref<?x?xi32>, %run: memref<?xi32>, %y: memref<?x?xi32>) {
  %min = arith.constant -2147483648 : i32
  linalg.generic {indexing_maps = [#id, #lane, #id], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<?x?xi32>) outs(%run, %y : memref<?xi32>, memref<?x?xi32>)
      attrs = {vmgpu.lowering_config = #config} {
  ^bb0(%in: i32, %acc: i32, %o: i32):
    %m = arith.maxsi %acc, %in : i32
    %c = linalg.index 1 : index
    %c0 = arith.constant 0 : index
    %first = arith.cmpi eq, %c, %c0 : index
    %w = arith.select %first, %min, %acc : i32
    linalg.yield %m, %w : i32, i32
  }
  return
}

// -----

#config = {class = "scan", strategy = "warp_scan", workgroup = array<i64: 32, 8, 1>, vector_width = 4 : i64}
#id = affine_map<(d0) -> (d0)>
#all = affine_map<(d0) -> ()>

// A single 1-D scan: one row, a 0-d running value, the element's index
// alone.
// CHECK-LABEL: func.func @cumsum_1d
// CHECK: gpu.launch
// CHECK: memref.load %{{.+}}[] : memref<f32>
// CHECK: vector.load %{{.+}}[%{{.+}}] {alignment = 16 : i64} : memref<?xf32>, vector<4xf32>
// CHECK: memref.store %{{.+}}, %{{.+}}[] : memref<f32>
func.func @cumsum_1d(%x: memref<?xf32>, %run: memref<f32>, %y: memref<?xf32>) {
  linalg.generic {indexing_maps = [#id, #all, #id], iterator_types = ["reduction"]}
      ins(%x : memref<?xf32>) outs(%run, %y : memref<f32>, memref<?xf32>)
      attrs = {vmgpu.lowering_config = #config} {
  ^bb0(%in: f32, %acc: f32, %o: f32):
    %s = arith.addf %acc, %in : f32
    linalg.yield %s, %s : f32, f32
  }
  return
}

// -----

#config = {class = "scan", strategy = "warp_scan", workgroup = array<i64: 32, 8, 1>, vector_width = 4 : i64}
#id = affine_map<(d0, d1) -> (d0, d1)>
#lane = affine_map<(d0, d1) -> (d0)>

// Declined (left to the fallback): a body that reads the element it
// overwrites, and a scan along the outer dim.
// CHECK-LABEL: func.func @reads_its_output
// CHECK-NOT: gpu.launch
// CHECK: linalg.generic
func.func @reads_its_output(%x: memref<?x?xf32>, %run: memref<?xf32>, %y: memref<?x?xf32>) {
  linalg.generic {indexing_maps = [#id, #lane, #id], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<?x?xf32>) outs(%run, %y : memref<?xf32>, memref<?x?xf32>)
      attrs = {vmgpu.lowering_config = #config} {
  ^bb0(%in: f32, %acc: f32, %o: f32):
    %s = arith.addf %acc, %in : f32
    %t = arith.addf %s, %o : f32
    linalg.yield %s, %t : f32, f32
  }
  return
}

#col = affine_map<(d0, d1) -> (d1)>
#flip = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @column_scan
// CHECK-NOT: gpu.launch
// CHECK: linalg.generic
func.func @column_scan(%x: memref<?x?xf32>, %run: memref<?xf32>, %y: memref<?x?xf32>) {
  linalg.generic {indexing_maps = [#flip, #col, #flip], iterator_types = ["reduction", "parallel"]}
      ins(%x : memref<?x?xf32>) outs(%run, %y : memref<?xf32>, memref<?x?xf32>)
      attrs = {vmgpu.lowering_config = #config} {
  ^bb0(%in: f32, %acc: f32, %o: f32):
    %s = arith.addf %acc, %in : f32
    linalg.yield %s, %s : f32, f32
  }
  return
}
