// The PTX of a row softmax, strategy block_softmax (no GPU needed): one
// kernel, one 256-thread block per row. Rows that fit are loaded once into
// registers with eight 16-byte loads per thread and written with eight
// 16-byte stores; the block maximum and sum each take a five-step shuffle
// tree, workgroup memory and a barrier; the divide is IEEE (div.rn); the
// online path for longer rows combines (max, sum) pairs, ten shuffles. No
// spills.
// REQUIRES: nvptx
// RUN: vm-gpu-opt %s --vm-to-nvvm="chip=sm_90a format=ptx" | sed -e 's/\\0A/\n/g' -e 's/\\09/ /g' | FileCheck %s

// CHECK: .entry softmax_kernel(
// CHECK-NOT: .local
// CHECK: .shared .align 16 .b8 __wg_softmax_kernel_0[32];
// CHECK: .shared .align 16 .b8 __wg_softmax_kernel_1[32];
// CHECK-COUNT-8: ld.global.v4.b32
// CHECK-COUNT-5: shfl.sync.down.b32
// CHECK: bar.sync 0;
// CHECK: ex2.approx
// CHECK-COUNT-5: shfl.sync.down.b32
// CHECK: bar.sync 0;
// CHECK: div.rn.f32
// CHECK: st.global.v4.b32
// CHECK-COUNT-10: shfl.sync.down.b32
// CHECK: bar.sync 0;
// CHECK: div.rn.f32
// CHECK-NOT: .entry
func.func @softmax(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %r = "vm.softmax"(%x) {dim = 1 : i64} : (tensor<?x?xf32>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// An f32 softmax rounded to f16: one kernel (the rounding is the softmax's
// epilogue) storing four f16 per 8-byte store.
// CHECK: .entry softmax_to_f16_kernel(
// CHECK-NOT: .entry
// CHECK-COUNT-8: ld.global.v4.b32
// CHECK-NOT: .entry
// CHECK: div.rn.f32
// CHECK-NOT: .entry
// CHECK: cvt.rn.f16.f32
// CHECK-NOT: .entry
// CHECK: st.global.v4.b16
// CHECK-NOT: .entry
func.func @softmax_to_f16(%x: tensor<?x?xf32>) -> tensor<?x?xf16> {
  %r = "vm.softmax"(%x) {dim = 1 : i64} : (tensor<?x?xf32>) -> tensor<?x?xf32>
  %h = "vm.convert"(%r) : (tensor<?x?xf32>) -> tensor<?x?xf16>
  return %h : tensor<?x?xf16>
}
