// A sort in workgroups for gfx942 (compiled only: no AMD GPU here): 64-lane
// wavefronts, so the butterfly shuffles reach 256 elements (xor masks below
// 32 as ds_swizzle, 32 as ds_bpermute) and only the 10 steps at distances
// of 256 and more use the 32 KiB of LDS: 14 s_barrier, no scratch memory.
// REQUIRES: amdgpu
// RUN: vm-gpu-opt %s --vm-to-rocdl="chip=gfx942 format=isa" | sed -e 's/\\0A/\n/g' -e 's/\\09/ /g' > %t.s
// RUN: FileCheck %s < %t.s
// RUN: FileCheck %s --check-prefix=BARRIERS < %t.s

// CHECK-LABEL: {{^}}sort_rows_kernel:
// CHECK: ds_swizzle_b32
// CHECK: ds_write_b128
// CHECK: s_barrier
// CHECK: ds_read2st64_b64
// CHECK: .amdhsa_group_segment_fixed_size 32768
// CHECK: .amdhsa_private_segment_fixed_size 0
// BARRIERS-COUNT-14: s_barrier
// BARRIERS-NOT: s_barrier
func.func @sort_rows(%x: tensor<8192x4096xf32>) -> (tensor<8192x4096xf32>, tensor<8192x4096xi64>) {
  %v, %i = vm.sort %x {dim = 1 : i64} : tensor<8192x4096xf32> -> (tensor<8192x4096xf32>, tensor<8192x4096xi64>)
  return %v, %i : tensor<8192x4096xf32>, tensor<8192x4096xi64>
}
