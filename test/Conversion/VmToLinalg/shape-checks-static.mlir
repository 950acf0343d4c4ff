// RUN: vm-gpu-opt %s --vm-to-linalg | FileCheck %s

// Known bug: fully static programs must need no run-time shape check, but
// these lowerings build the sizes they compare with non-folding ops
// (arith.muli/addi chains, tensor.dim of static tensors), so
// emitEqualSizesCheck/emitShapeCheck cannot see that the condition is a
// constant and emit a cf.assert anyway (and vm-outline-shape-checks then
// creates a __vmgpu_check_<f> for a static function). Remove the XFAIL line
// once they fold.

// CHECK-LABEL: func.func @static_reshape(
//   CHECK-NOT: cf.assert
//       CHECK: return
func.func @static_reshape(%a: tensor<2x3x4xf16>) -> tensor<6x4xf16> {
  %0 = vm.reshape %a : tensor<2x3x4xf16> -> tensor<6x4xf16>
  return %0 : tensor<6x4xf16>
}

// CHECK-LABEL: func.func @static_concat(
//   CHECK-NOT: cf.assert
//       CHECK: return
func.func @static_concat(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>) -> tensor<2x8xf32> {
  %0 = vm.concat %a, %b {dim = 1 : i64} : tensor<2x3xf32>, tensor<2x5xf32> -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// CHECK-LABEL: func.func @static_dot(
//   CHECK-NOT: cf.assert
//       CHECK: return
func.func @static_dot(%a: tensor<16xf16>) -> tensor<f32> {
  %0 = vm.dot %a, %a : tensor<16xf16> -> tensor<f32>
  return %0 : tensor<f32>
}

// CHECK-LABEL: func.func @static_conv2d(
//   CHECK-NOT: cf.assert
//       CHECK: return
func.func @static_conv2d(%i: tensor<1x8x8x3xf32>, %f: tensor<3x3x3x16xf32>) -> tensor<1x6x6x16xf32> {
  %0 = vm.conv2d %i, %f : (tensor<1x8x8x3xf32>, tensor<3x3x3x16xf32>) -> tensor<1x6x6x16xf32>
  return %0 : tensor<1x6x6x16xf32>
}

// CHECK-LABEL: func.func @static_pool2d(
//   CHECK-NOT: cf.assert
//       CHECK: return
func.func @static_pool2d(%i: tensor<1x8x8x4xf32>) -> tensor<1x4x4x4xf32> {
  %0 = vm.pool2d %i {kind = "max", window = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x8x4xf32> -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}
