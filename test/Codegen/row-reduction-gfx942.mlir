// The AMDGPU assembly of a wave-per-row reduction on gfx942 (no GPU
// needed): 64-lane wavefronts, six cross-lane steps.
// REQUIRES: amdgpu
// RUN: vm-gpu-opt %s --vm-to-rocdl="chip=gfx942 format=isa" | sed -e 's/\\0A/\n/g' -e 's/\\09/ /g' | FileCheck %s

// CHECK-LABEL: row_sum_kernel:
// CHECK: global_load_dword
// CHECK-COUNT-6: ds_bpermute_b32
// CHECK: global_store_dword
func.func @row_sum(%x: tensor<?x?xf32>) -> tensor<?xf32> {
  %r = "vm.reduce"(%x) {kind = "sum", dims = array<i64: 1>} : (tensor<?x?xf32>) -> tensor<?xf32>
  return %r : tensor<?xf32>
}
