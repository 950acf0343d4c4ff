// The PTX of warp-per-row reductions (no GPU needed): five shfl.sync.down
// steps per row, the contract's NaN rule in the combine, no spills.
// REQUIRES: nvptx
// RUN: vm-gpu-opt %s --vm-to-nvvm="chip=sm_90a format=ptx" | sed -e 's/\\0A/\n/g' -e 's/\\09/ /g' | FileCheck %s

// CHECK-LABEL: .entry row_max_kernel(
// CHECK: ld.global.b32
// CHECK: setp.nan.f32
// CHECK-COUNT-5: shfl.sync.down.b32 {{.*}}, 31, -1;
// CHECK: st.global.b32
func.func @row_max(%x: tensor<?x?xf32>) -> tensor<?xf32> {
  %r = "vm.reduce"(%x) {kind = "max", dims = array<i64: 1>} : (tensor<?x?xf32>) -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// f16 rows accumulate in f32: the loads widen, the shuffles move f32 words.
// CHECK-LABEL: .entry row_sum_f16_kernel(
// CHECK: ld.global.b16
// CHECK: cvt.f32.f16
// CHECK-COUNT-5: shfl.sync.down.b32
// CHECK: add.rn.f32
func.func @row_sum_f16(%x: tensor<?x?xf16>) -> tensor<?xf16> {
  %r = "vm.reduce"(%x) {kind = "sum", dims = array<i64: 1>} : (tensor<?x?xf16>) -> tensor<?xf16>
  return %r : tensor<?xf16>
}

// f64 partials move as two 32-bit words per step.
// CHECK-LABEL: .entry row_prod_f64_kernel(
// CHECK-COUNT-10: shfl.sync.down.b32
// CHECK: mul.rn.f64
func.func @row_prod_f64(%x: tensor<7x1025xf64>) -> tensor<7xf64> {
  %r = "vm.reduce"(%x) {kind = "prod", dims = array<i64: 1>} : (tensor<7x1025xf64>) -> tensor<7xf64>
  return %r : tensor<7xf64>
}

// Rows of a multiple of 4 elements: 16-byte loads, beside the scalar path.
// CHECK-LABEL: .entry row_sum_aligned_kernel(
// CHECK-DAG: ld.global.v4.b32
// CHECK-DAG: ld.global.b32
// CHECK: shfl.sync.down.b32
func.func @row_sum_aligned(%x: tensor<64x1024xf32>) -> tensor<64xf32> {
  %r = "vm.reduce"(%x) {kind = "sum", dims = array<i64: 1>} : (tensor<64x1024xf32>) -> tensor<64xf32>
  return %r : tensor<64xf32>
}

// vm.arg_reduce as one packed (key, position) i64 under unsigned max: a
// warp per row like a sum (8-byte loads: the i64 accumulator is the widest
// element); the packed values move as two words per step.
// CHECK-LABEL: .entry argmax_rows_kernel(
// CHECK: ld.global.v2.b32
// CHECK: max.u64
// CHECK-COUNT-10: shfl.sync.down.b32
func.func @argmax_rows(%x: tensor<?x?xf32>) -> tensor<?xi32> {
  %r = "vm.arg_reduce"(%x) {kind = "max", dim = 1 : i64} : (tensor<?x?xf32>) -> tensor<?xi32>
  return %r : tensor<?xi32>
}
