// A scan (an output indexed by a reduction loop, as vm.scan lowers) is
// class "other" with the fallback strategy: its loop along the scanned dim
// must run in order, which no reduction strategy keeps.
// RUN: vm-gpu-opt %s \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-gpu-select-lowering-config{chip=sm_90a}))" \
// RUN:   | FileCheck %s

#id = affine_map<(d0, d1) -> (d0, d1)>
#lane = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @cumsum_rows
// CHECK: linalg.generic
// CHECK-SAME: vmgpu.lowering_config = {class = "other", {{.*}}strategy = "fallback"
func.func @cumsum_rows(%x: memref<4x1024xf32>, %run: memref<4xf32>, %out: memref<4x1024xf32>) {
  linalg.generic {indexing_maps = [#id, #lane, #id], iterator_types = ["parallel", "reduction"]}
      ins(%x : memref<4x1024xf32>) outs(%run, %out : memref<4xf32>, memref<4x1024xf32>) {
  ^bb0(%in: f32, %acc: f32, %o: f32):
    %s = arith.addf %acc, %in : f32
    linalg.yield %s, %s : f32, f32
  }
  return
}
