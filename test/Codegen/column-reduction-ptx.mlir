// The PTX of coalesced column reductions (no GPU needed): stage 1 reads
// eight rows of a four-column chunk with 16-byte loads before folding them
// (the element-by-element path beside it), stage 2 folds the partials; no
// shuffles (no lane crosses a column), no spills.
// REQUIRES: nvptx
// RUN: vm-gpu-opt %s --vm-to-nvvm="chip=sm_90a format=ptx" | sed -e 's/\\0A/\n/g' -e 's/\\09/ /g' | FileCheck %s

// The output's fill, then the two stages.
// CHECK-LABEL: .entry col_sum_kernel(
// CHECK-LABEL: .entry col_sum_kernel(
// CHECK-NOT: .local
// CHECK: and.b64 {{.*}}, 15;
// CHECK-COUNT-8: ld.global.v4.b32
// CHECK: add.rn.f32
// CHECK-NOT: shfl.sync
// CHECK: st.global.b32
// CHECK-LABEL: .entry col_sum_kernel(
// CHECK: ld.global.b32
// CHECK: add.rn.f32
// CHECK: st.global.b32
func.func @col_sum(%x: tensor<?x?xf32>) -> tensor<?xf32> {
  %r = "vm.reduce"(%x) {kind = "sum", dims = array<i64: 0>} : (tensor<?x?xf32>) -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// The contract's NaN rule in the fold and in the combine of the partials.
// CHECK-LABEL: .entry col_max_kernel(
// CHECK-LABEL: .entry col_max_kernel(
// CHECK: ld.global.v4.b32
// CHECK: setp.nan.f32
// CHECK-LABEL: .entry col_max_kernel(
// CHECK: setp.nan.f32
func.func @col_max(%x: tensor<?x?xf32>) -> tensor<?xf32> {
  %r = "vm.reduce"(%x) {kind = "max", dims = array<i64: 0>} : (tensor<?x?xf32>) -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// bf16 columns: 16-byte loads of eight elements, summed in f32.
// CHECK-LABEL: .entry col_sum_bf16_kernel(
// CHECK-LABEL: .entry col_sum_bf16_kernel(
// CHECK: ld.global.v4.b32
// CHECK: cvt.f32.bf16
// CHECK: add.rn.f32
func.func @col_sum_bf16(%x: tensor<?x?xbf16>) -> tensor<?xbf16> {
  %r = "vm.reduce"(%x) {kind = "sum", dims = array<i64: 0>} : (tensor<?x?xbf16>) -> tensor<?xbf16>
  return %r : tensor<?xbf16>
}
