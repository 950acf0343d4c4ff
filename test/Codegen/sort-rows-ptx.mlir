// The PTX of a sort in workgroups (no GPU needed): rows of 4096 f32 are one
// workgroup of 1024 threads each with 32 KiB of packed keys in shared
// memory, 80 barriers (the load, 78 bitonic steps, the end of a row), the
// compare-exchanges on 8-byte shared accesses, and global memory touched
// only to read the row (and the elements back) and write the results.
// REQUIRES: nvptx
// RUN: vm-gpu-opt %s --vm-to-nvvm="chip=sm_90a format=isa" | sed -e 's/\\0A/\n/g' -e 's/\\09/ /g' | FileCheck %s

// CHECK-LABEL: .entry sort_rows_kernel(
// CHECK: .maxntid 1024, 1, 1
// CHECK: .shared .align {{[0-9]+}} .b8 __wg_sort_rows_kernel_0[32768];
// CHECK-NOT: .local
// CHECK: ld.global.b32
// CHECK: st.shared.b64
// CHECK-COUNT-80: bar.sync 0;
// CHECK-NOT: bar.sync
// CHECK: ret;
func.func @sort_rows(%x: tensor<8192x4096xf32>) -> (tensor<8192x4096xf32>, tensor<8192x4096xi64>) {
  %v, %i = vm.sort %x {dim = 1 : i64} : tensor<8192x4096xf32> -> (tensor<8192x4096xf32>, tensor<8192x4096xi64>)
  return %v, %i : tensor<8192x4096xf32>, tensor<8192x4096xi64>
}
