// The PTX of a sort in workgroups (no GPU needed): rows of 4096 f32 are one
// workgroup of 1024 threads of 4 packed values each; of the 78 bitonic
// steps, 23 run in registers, 40 by butterfly shuffles (320
// shfl.sync.bfly.b32: two words of 4 values each) and 15 in 32 KiB of shared
// memory (16-byte stores and loads of a thread's values, 8-byte pair
// exchanges), with 20 barriers; no local memory.
// REQUIRES: nvptx
// RUN: vm-gpu-opt %s --vm-to-nvvm="chip=sm_90a format=isa" | sed -e 's/\\0A/\n/g' -e 's/\\09/ /g' > %t.ptx
// RUN: FileCheck %s < %t.ptx
// RUN: FileCheck %s --check-prefix=COUNTS < %t.ptx
// RUN: FileCheck %s --check-prefix=SHUFFLES < %t.ptx

// CHECK-LABEL: .entry sort_rows_kernel(
// CHECK: .maxntid 1024, 1, 1
// CHECK: .shared .align {{[0-9]+}} .b8 __wg_sort_rows_kernel_0[32768];
// CHECK-NOT: .local
// CHECK: ld.global.b32
// CHECK: shfl.sync.bfly.b32
// CHECK: st.shared.v2.b64
// CHECK: bar.sync 0;
// CHECK: ld.shared.b64
// CHECK: ret;
// COUNTS-COUNT-20: bar.sync 0;
// COUNTS-NOT: bar.sync
// SHUFFLES-COUNT-320: shfl.sync.bfly.b32
// SHUFFLES-NOT: shfl.sync
func.func @sort_rows(%x: tensor<8192x4096xf32>) -> (tensor<8192x4096xf32>, tensor<8192x4096xi64>) {
  %v, %i = vm.sort %x {dim = 1 : i64} : tensor<8192x4096xf32> -> (tensor<8192x4096xf32>, tensor<8192x4096xi64>)
  return %v, %i : tensor<8192x4096xf32>, tensor<8192x4096xi64>
}
