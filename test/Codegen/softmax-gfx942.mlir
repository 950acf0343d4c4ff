// The AMDGPU assembly of block_softmax on gfx942 (no GPU needed): 16-byte
// loads of the row kept in registers, cross-lane steps through
// ds_bpermute, LDS and s_barrier between the wavefronts, no spills.
// REQUIRES: amdgpu
// RUN: vm-gpu-opt %s --vm-to-rocdl="chip=gfx942 format=isa" | sed -e 's/\\0A/\n/g' -e 's/\\09/ /g' | FileCheck %s

// CHECK-LABEL: softmax_kernel:
// CHECK: global_load_dwordx4
// CHECK: ds_bpermute_b32
// CHECK: s_barrier
// CHECK: global_store_dwordx4
// CHECK: .vgpr_spill_count: 0
func.func @softmax(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %r = "vm.softmax"(%x) {dim = 1 : i64} : (tensor<?x?xf32>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}
