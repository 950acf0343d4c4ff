// warp_scan for gfx942 (compiled only: no AMD GPU here): 64-lane wavefronts,
// so six shuffle-up steps plus the one for the total below each lane, all
// through ds_bpermute_b32, and 16-byte global accesses on the aligned path.
// REQUIRES: amdgpu
// RUN: vm-gpu-opt %s --vm-to-rocdl="chip=gfx942 format=isa" | sed -e 's/\\0A/\n/g' -e 's/\\09/ /g' | FileCheck %s

// CHECK: global_load_dwordx4
// CHECK-COUNT-7: ds_bpermute_b32
// CHECK: global_store_dwordx4
func.func @cumsum_rows(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %r = "vm.scan"(%x) {kind = "sum", dim = 1 : i64} : (tensor<?x?xf32>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}
