// A sort in workgroups for gfx942 (compiled only: no AMD GPU here): 32 KiB
// of LDS per workgroup, 80 s_barrier, the compare-exchanges on 8-byte LDS
// accesses (ds_read2/ds_write2 pairs), no scratch memory.
// REQUIRES: amdgpu
// RUN: vm-gpu-opt %s --vm-to-rocdl="chip=gfx942 format=isa" | sed -e 's/\\0A/\n/g' -e 's/\\09/ /g' > %t.s
// RUN: FileCheck %s < %t.s
// RUN: FileCheck %s --check-prefix=BARRIERS < %t.s

// CHECK-LABEL: {{^}}sort_rows_kernel:
// CHECK: ds_write_b64
// CHECK: s_barrier
// CHECK: ds_read2_b64
// CHECK: .amdhsa_group_segment_fixed_size 32768
// CHECK: .amdhsa_private_segment_fixed_size 0
// BARRIERS-COUNT-80: s_barrier
// BARRIERS-NOT: s_barrier
func.func @sort_rows(%x: tensor<8192x4096xf32>) -> (tensor<8192x4096xf32>, tensor<8192x4096xi64>) {
  %v, %i = vm.sort %x {dim = 1 : i64} : tensor<8192x4096xf32> -> (tensor<8192x4096xf32>, tensor<8192x4096xi64>)
  return %v, %i : tensor<8192x4096xf32>, tensor<8192x4096xi64>
}
