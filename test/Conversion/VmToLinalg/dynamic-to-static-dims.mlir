// RUN: vm-gpu-opt %s --vm-to-linalg | FileCheck %s

// Known bug: the verifier accepts a dynamic operand dim that maps to a static
// result dim (it is checked at run time), but vm.broadcast, vm.transpose and
// vm.reduce pass the dynamic operand straight to linalg.broadcast /
// linalg.transpose / linalg.reduce with a static init, which fails linalg's
// verifier ("input dim 0 should match init dim 0", "dim(result, 1) = 3
// doesn't match dim(input, permutation[1])", "init dimensions [3] doesn't
// match input dimensions after reduction"): vm-to-linalg fails on valid
// input. Expected: the run-time check, then a tensor.cast of the operand to
// the static size. Remove the XFAIL line once fixed.

// CHECK-LABEL: func.func @broadcast_dynamic_to_static(
//       CHECK: cf.assert %{{.+}}, "'vm.broadcast' at {{.+}}: operand dimension 0 must equal result dimension 1"
//       CHECK: linalg.broadcast
func.func @broadcast_dynamic_to_static(%a: tensor<?xf32>) -> tensor<3x5xf32> {
  %0 = vm.broadcast %a {dims = array<i64: 1>} : tensor<?xf32> -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

// CHECK-LABEL: func.func @transpose_dynamic_to_static(
//       CHECK: cf.assert %{{.+}}, "'vm.transpose' at {{.+}}: result dimension 1 must be 3"
//       CHECK: linalg.transpose
func.func @transpose_dynamic_to_static(%a: tensor<?x4xf32>) -> tensor<4x3xf32> {
  %0 = vm.transpose %a {perm = array<i64: 1, 0>} : tensor<?x4xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// CHECK-LABEL: func.func @reduce_dynamic_to_static(
//       CHECK: cf.assert %{{.+}}, "'vm.reduce' at {{.+}}: result dimension 0 must be 3"
//       CHECK: linalg.reduce
func.func @reduce_dynamic_to_static(%a: tensor<?x4xf32>) -> tensor<3xf32> {
  %0 = vm.reduce %a {kind = "sum", dims = array<i64: 1>} : tensor<?x4xf32> -> tensor<3xf32>
  return %0 : tensor<3xf32>
}
