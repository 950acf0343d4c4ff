// The PTX of vectorized elementwise kernels (no GPU needed): 16-byte
// loads and stores (4 x f32, 8 x f16), the scalar tail, and no spills.
// The assembly is one escaped string; sed puts each of its lines on its own.
// REQUIRES: nvptx
// RUN: vm-gpu-opt %s --vm-to-nvvm="chip=sm_90a format=ptx" | sed -e 's/\\0A/\n/g' -e 's/\\09/ /g' | FileCheck %s

// relu(a * x + y): three v4 loads and one v4 store per step, then the tail.
// CHECK-LABEL: .entry axpy_relu_kernel(
// CHECK-COUNT-3: ld.global.v4.b32
// CHECK: mul.rn.f32
// CHECK: add.rn.f32
// CHECK: st.global.v4.b32
// CHECK: ld.global.b32
// CHECK: st.global.b32
func.func @axpy_relu(%a: tensor<?xf32>, %x: tensor<?xf32>, %y: tensor<?xf32>) -> tensor<?xf32> {
  %m = "vm.mul"(%a, %x) : (tensor<?xf32>, tensor<?xf32>) -> tensor<?xf32>
  %p = "vm.add"(%m, %y) : (tensor<?xf32>, tensor<?xf32>) -> tensor<?xf32>
  %r = "vm.relu"(%p) : (tensor<?xf32>) -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// f16: 8 elements per 16-byte access (computed in f32, rounded once).
// CHECK-LABEL: .entry add_f16_kernel(
// CHECK-COUNT-2: ld.global.v4.b32
// CHECK: add.rn.f32
// CHECK: cvt.rn.f16.f32
// CHECK: st.global.v4.b32
// CHECK: ld.global.b16
// CHECK: st.global.b16
func.func @add_f16(%a: tensor<4097xf16>, %b: tensor<4097xf16>) -> tensor<4097xf16> {
  %r = "vm.add"(%a, %b) : (tensor<4097xf16>, tensor<4097xf16>) -> tensor<4097xf16>
  return %r : tensor<4097xf16>
}

// f16 -> f32: 4 elements per step, 8-byte loads of the input.
// CHECK-LABEL: .entry widen_kernel(
// CHECK: ld.global.v4.b16
// CHECK: cvt.f32.f16
// CHECK: st.global.v4.b32
func.func @widen(%a: tensor<?xf16>) -> tensor<?xf32> {
  %r = "vm.convert"(%a) : (tensor<?xf16>) -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// An embedding lookup (vm.take of rows, i64 indices): per step one index
// load (two 32-bit halves), its clamp, then a 16-byte load of the table row
// and a 16-byte store; the scalar tail reads the table element by element.
// CHECK-LABEL: .entry take_rows_kernel(
// CHECK: ld.global.b32
// CHECK: max.s64
// CHECK: min.s64
// CHECK: ld.global.v4.b32
// CHECK-NEXT: st.global.v4.b32
// CHECK: ld.global.b32
// CHECK: st.global.b32
// CHECK: ret;
func.func @take_rows(%table: tensor<1000x512xf32>, %indices: tensor<4096xi64>) -> tensor<4096x512xf32> {
  %0 = vm.take %table, %indices {dim = 0 : i64} : (tensor<1000x512xf32>, tensor<4096xi64>) -> tensor<4096x512xf32>
  return %0 : tensor<4096x512xf32>
}
