// The AMDGPU assembly of coalesced column reductions on gfx942 (no GPU
// needed): 16-byte loads of the rows in stage 1, no cross-lane traffic.
// REQUIRES: amdgpu
// RUN: vm-gpu-opt %s --vm-to-rocdl="chip=gfx942 format=isa" | sed -e 's/\\0A/\n/g' -e 's/\\09/ /g' | FileCheck %s

// CHECK: col_sum_kernel:
// CHECK: col_sum_kernel:
// CHECK-NOT: ds_bpermute_b32
// CHECK-COUNT-8: global_load_dwordx4
// CHECK: global_store_dword
// CHECK: col_sum_kernel:
// CHECK: global_load_dword
// CHECK: global_store_dword
func.func @col_sum(%x: tensor<?x?xf32>) -> tensor<?xf32> {
  %r = "vm.reduce"(%x) {kind = "sum", dims = array<i64: 0>} : (tensor<?x?xf32>) -> tensor<?xf32>
  return %r : tensor<?xf32>
}
