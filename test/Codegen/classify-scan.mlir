// A scan (an output indexed by a reduction loop, as vm.scan lowers) is class
// "scan": no reduction strategy takes it. Along the innermost dim it gets
// warp_scan (one subgroup per row, 16 bytes per lane and chunk); along an
// outer dim the fallback, whose thread per lane already reads neighbouring
// elements in neighbouring threads.
// RUN: vm-gpu-opt %s \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-gpu-select-lowering-config{chip=sm_90a}))" \
// RUN:   | FileCheck %s

#id = affine_map<(d0, d1) -> (d0, d1)>
#lane = affine_map<(d0, d1) -> (d0)>
#col = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @cumsum_rows
// CHECK: linalg.generic
// CHECK-SAME: vmgpu.lowering_config = {class = "scan", {{.*}}strategy = "warp_scan", vector_width = 4 : i64, workgroup = array<i64: 32, 8, 1>}
func.func @cumsum_rows(%x: memref<4x1024xf32>, %run: memref<4xf32>, %out: memref<4x1024xf32>) {
  linalg.generic {indexing_maps = [#id, #lane, #id], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<4x1024xf32>) outs(%run, %out : memref<4xf32>, memref<4x1024xf32>) {
  ^bb0(%in: f32, %acc: f32, %o: f32):
    %s = arith.addf %acc, %in : f32
    linalg.yield %s, %s : f32, f32
  }
  return
}

// CHECK-LABEL: func.func @cumsum_columns
// CHECK: linalg.generic
// CHECK-SAME: vmgpu.lowering_config = {class = "scan", {{.*}}strategy = "fallback"
func.func @cumsum_columns(%x: memref<1024x4xf32>, %run: memref<4xf32>, %out: memref<1024x4xf32>) {
  linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["reduction", "parallel"]}
      ins(%x : memref<1024x4xf32>) outs(%run, %out : memref<4xf32>, memref<1024x4xf32>) {
  ^bb0(%in: f32, %acc: f32, %o: f32):
    %s = arith.addf %acc, %in : f32
    linalg.yield %s, %s : f32, f32
  }
  return
}
