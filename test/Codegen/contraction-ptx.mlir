// The PTX of tiled_simt matrix products (no GPU needed): 16-byte aligned
// shared buffers, 16-byte global loads and stores where aligned, shared
// slices written and read as vectors, fma.rn.f32 outer products (a matmul
// may fuse: DESIGN.md), a barrier per K slice.
// The assembly is one escaped string; sed puts each of its lines on its own.
// REQUIRES: nvptx
// RUN: vm-gpu-opt %s --vm-to-nvvm="chip=sm_90a format=isa tensor-cores=true" | sed -e 's/\\0A/\n/g' -e 's/\\09/ /g' | FileCheck %s
// RUN: vm-gpu-opt %s --vm-to-nvvm="chip=sm_75 format=isa" | sed -e 's/\\0A/\n/g' -e 's/\\09/ /g' | FileCheck %s --check-prefix=SM75

// 4096^3: 128 x 128 blocks of 16 x 16 threads, K slices of 16: two
// [2][16][132] f32 buffers; 16 K steps x 64 FMAs per slice (1024 in all).
// CHECK-LABEL: .entry matmul_4096_kernel(
// CHECK: .maxntid 16, 16, 1
// CHECK-DAG: .shared .align 16 .b8 __wg_matmul_4096_kernel_0[16896];
// CHECK-DAG: .shared .align 16 .b8 __wg_matmul_4096_kernel_1[16896];
// CHECK: ld.global.v4.b32
// CHECK: st.shared.b32
// CHECK: st.shared.v4.b32
// CHECK: bar.sync {{ *}}0;
// CHECK: ld.shared.v4.b32
// CHECK-COUNT-512: fma.rn.f32
// CHECK-NOT: mul.rn.f32
// CHECK: st.global.v4.b32
func.func @matmul_4096(%a: tensor<4096x4096xf32>, %b: tensor<4096x4096xf32>) -> tensor<4096x4096xf32> {
  %r = "vm.matmul"(%a, %b) : (tensor<4096x4096xf32>, tensor<4096x4096xf32>) -> tensor<4096x4096xf32>
  return %r : tensor<4096x4096xf32>
}

// Dynamic sizes: the same kernel shape, with the scalar path (ld.global.b32)
// beside the vector one for unaligned rows.
// CHECK-LABEL: .entry matmul_dynamic_tb_kernel(
// CHECK: ld.global.v4.b32
// CHECK: ld.global.b32
// CHECK: fma.rn.f32
// CHECK: st.global.v4.b32
// CHECK: st.global.b32
func.func @matmul_dynamic_tb(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %r = "vm.matmul"(%a, %b) {transpose_b} : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// i8 -> i32: 4-byte chunks, exact integer multiply-add (tiled_simt below
// sm_80; tensor cores, mma_sync, from sm_80: contraction-mma-sync-ptx.mlir).
// SM75-LABEL: .entry batch_matmul_i8_kernel(
// SM75: ld.global.b32
// SM75: cvt.s32.s8
// SM75: mad.lo.s32
// SM75-NOT: fma.rn
// SM75-LABEL: .entry matmul_bias_relu_kernel(
// CHECK-LABEL: .entry batch_matmul_i8_kernel(
// CHECK: mma.sync.aligned.m16n8k32.row.col.s32.s8.s8.s32
func.func @batch_matmul_i8(%a: tensor<3x64x64xi8>, %b: tensor<3x64x64xi8>) -> tensor<3x64x64xi32> {
  %r = "vm.batch_matmul"(%a, %b) : (tensor<3x64x64xi8>, tensor<3x64x64xi8>) -> tensor<3x64x64xi32>
  return %r : tensor<3x64x64xi32>
}

// relu(A B + bias): one kernel (the broadcast bias is read at its source);
// the bias add and relu run on the accumulators (add.rn.f32: not fused
// into the product's FMAs).
// CHECK-LABEL: .entry matmul_bias_relu_kernel(
// CHECK: fma.rn.f32
// CHECK: add.rn.f32
// CHECK: st.global.v4.b32
// CHECK-NOT: .entry
// CHECK-LABEL: .entry matmul_f16_result_kernel(
func.func @matmul_bias_relu(%a: tensor<256x128xf32>, %b: tensor<128x64xf32>, %bias: tensor<64xf32>) -> tensor<256x64xf32> {
  %p = "vm.matmul"(%a, %b) : (tensor<256x128xf32>, tensor<128x64xf32>) -> tensor<256x64xf32>
  %bb = "vm.broadcast"(%bias) {dims = array<i64: 1>} : (tensor<64xf32>) -> tensor<256x64xf32>
  %s = "vm.add"(%p, %bb) : (tensor<256x64xf32>, tensor<256x64xf32>) -> tensor<256x64xf32>
  %r = "vm.relu"(%s) : (tensor<256x64xf32>) -> tensor<256x64xf32>
  return %r : tensor<256x64xf32>
}

// f16 x f16 -> f16: the f32 accumulators are rounded once to f16 in the
// same kernel (cvt.rn.f16.f32); with tiled_simt (below sm_80) 8-byte
// stores of 4 halves, with mma_sync one half per accumulator.
// CHECK: mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// CHECK: cvt.rn.f16.f32
// CHECK: st.global.b16
// SM75-LABEL: .entry matmul_f16_result_kernel(
// SM75: fma.rn.f32
// SM75: cvt.rn.f16.f32
// SM75: st.global.v4.b16
func.func @matmul_f16_result(%a: tensor<128x64xf16>, %b: tensor<64x128xf16>) -> tensor<128x128xf16> {
  %r = "vm.matmul"(%a, %b) : (tensor<128x64xf16>, tensor<64x128xf16>) -> tensor<128x128xf16>
  return %r : tensor<128x128xf16>
}
