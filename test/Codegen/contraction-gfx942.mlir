// The AMDGPU assembly of tiled_simt matrix products (no GPU needed, compile
// only): 16-byte global loads, 16-byte LDS reads and writes, packed f32
// FMAs (v_pk_fma_f32 on gfx942), barriers, no VGPR spills. The heuristic
// reads the wave64 target description (304 CUs); 256-thread blocks are
// four wavefronts.
// The assembly is one escaped string; sed puts each of its lines on its own.
// REQUIRES: amdgpu
// RUN: vm-gpu-opt %s --vm-to-rocdl="chip=gfx942 format=isa" | sed -e 's/\\0A/\n/g' -e 's/\\09/ /g' | FileCheck %s

// CHECK-LABEL: matmul_4096_kernel:
// CHECK: global_load_dwordx4
// CHECK: ds_write_b128
// CHECK: s_barrier
// CHECK: ds_read_b128
// CHECK: v_pk_fma_f32
// CHECK: global_store_dwordx4
// CHECK: .vgpr_spill_count: 0
func.func @matmul_4096(%a: tensor<4096x4096xf32>, %b: tensor<4096x4096xf32>) -> tensor<4096x4096xf32> {
  %r = "vm.matmul"(%a, %b) : (tensor<4096x4096xf32>, tensor<4096x4096xf32>) -> tensor<4096x4096xf32>
  return %r : tensor<4096x4096xf32>
}
