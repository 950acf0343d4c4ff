// The PTX of two-stage full reductions (no GPU needed): stage 1 reads 16
// bytes per lane and step, four loads in flight, beside the element path
// for N not a multiple of four; five shuffle steps per segment; stage 2
// folds the partials with 64 loads in flight per lane and writes the
// output's initial value itself (no kernel for the fill).
// REQUIRES: nvptx
// RUN: vm-gpu-opt %s --vm-to-nvvm="chip=sm_90a format=ptx" | sed -e 's/\\0A/\n/g' -e 's/\\09/ /g' | FileCheck %s

// CHECK-LABEL: .entry sum_kernel(
// CHECK-NOT: .local
// CHECK: and.b64 {{.*}}, 15;
// CHECK-COUNT-4: ld.global.v4.b32
// CHECK: shfl.sync.down.b32 {{.*}}, 16, 31, -1;
// CHECK-LABEL: .entry sum_kernel(
// CHECK-COUNT-64: ld.global.b32
// CHECK: shfl.sync.down.b32
// CHECK: st.global.b32
// CHECK-NOT: .entry sum_kernel(
func.func @sum(%x: tensor<?xf32>) -> tensor<f32> {
  %r = "vm.reduce"(%x) {kind = "sum", dims = array<i64: 0>} : (tensor<?xf32>) -> tensor<f32>
  return %r : tensor<f32>
}

// max: the contract's NaN rule in the fold of the vectors.
// CHECK-LABEL: .entry max_kernel(
// CHECK: ld.global.v4.b32
// CHECK: setp.nan.f32
func.func @max(%x: tensor<?xf32>) -> tensor<f32> {
  %r = "vm.reduce"(%x) {kind = "max", dims = array<i64: 0>} : (tensor<?xf32>) -> tensor<f32>
  return %r : tensor<f32>
}
