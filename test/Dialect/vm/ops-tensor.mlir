// RUN: vm-gpu-opt %s | FileCheck %s
// RUN: vm-gpu-opt %s --mlir-print-op-generic | vm-gpu-opt | FileCheck %s

// Round trip of vm.conv2d (strides, dilations, padding), vm.pool2d (max, avg) and vm.softmax.

// CHECK-LABEL: func.func @conv2d
//  CHECK-SAME: (%[[I:.+]]: tensor<1x8x8x3xf32>, %[[F:.+]]: tensor<3x3x3x16xf32>)
func.func @conv2d(%i: tensor<1x8x8x3xf32>, %f: tensor<3x3x3x16xf32>)
    -> (tensor<1x6x6x16xf32>, tensor<1x4x4x16xf32>, tensor<1x4x4x16xf32>, tensor<1x4x9x16xf32>) {
  // CHECK: vm.conv2d %[[I]], %[[F]] : (tensor<1x8x8x3xf32>, tensor<3x3x3x16xf32>) -> tensor<1x6x6x16xf32>
  %0 = vm.conv2d %i, %f : (tensor<1x8x8x3xf32>, tensor<3x3x3x16xf32>) -> tensor<1x6x6x16xf32>
  // CHECK: vm.conv2d %[[I]], %[[F]] {padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x8x3xf32>, tensor<3x3x3x16xf32>) -> tensor<1x4x4x16xf32>
  %1 = vm.conv2d %i, %f {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x3xf32>, tensor<3x3x3x16xf32>) -> tensor<1x4x4x16xf32>
  // CHECK: vm.conv2d %[[I]], %[[F]] {dilations = array<i64: 2, 2>} : (tensor<1x8x8x3xf32>, tensor<3x3x3x16xf32>) -> tensor<1x4x4x16xf32>
  %2 = vm.conv2d %i, %f {dilations = array<i64: 2, 2>} : (tensor<1x8x8x3xf32>, tensor<3x3x3x16xf32>) -> tensor<1x4x4x16xf32>
  // Height: (8 + 0 + 1 - 3) / 2 + 1 = 4; width: (8 + 2 + 3 - 5) / 1 + 1 = 9.
  // CHECK: vm.conv2d %[[I]], %[[F]] {dilations = array<i64: 1, 2>, padding = array<i64: 0, 1, 2, 3>, strides = array<i64: 2, 1>} : (tensor<1x8x8x3xf32>, tensor<3x3x3x16xf32>) -> tensor<1x4x9x16xf32>
  %3 = vm.conv2d %i, %f {strides = array<i64: 2, 1>, dilations = array<i64: 1, 2>, padding = array<i64: 0, 1, 2, 3>} : (tensor<1x8x8x3xf32>, tensor<3x3x3x16xf32>) -> tensor<1x4x9x16xf32>
  return %0, %1, %2, %3 : tensor<1x6x6x16xf32>, tensor<1x4x4x16xf32>, tensor<1x4x4x16xf32>, tensor<1x4x9x16xf32>
}

// CHECK-LABEL: func.func @conv2d_dynamic_and_widening
//  CHECK-SAME: (%[[I:.+]]: tensor<?x?x?x3xf16>, %[[F:.+]]: tensor<3x3x3x8xf16>, %[[Q:.+]]: tensor<2x5x5x4xi8>, %[[G:.+]]: tensor<?x?x4x2xi8>, %[[BI:.+]]: tensor<1x4x4x1xbf16>, %[[BF:.+]]: tensor<1x1x1x1xbf16>)
func.func @conv2d_dynamic_and_widening(%i: tensor<?x?x?x3xf16>, %f: tensor<3x3x3x8xf16>, %q: tensor<2x5x5x4xi8>, %g: tensor<?x?x4x2xi8>,
                                       %bi: tensor<1x4x4x1xbf16>, %bf: tensor<1x1x1x1xbf16>)
    -> (tensor<?x?x?x8xf32>, tensor<?x?x?x8xf16>, tensor<2x?x?x2xi32>, tensor<1x4x4x1xf32>) {
  // CHECK: vm.conv2d %[[I]], %[[F]] : (tensor<?x?x?x3xf16>, tensor<3x3x3x8xf16>) -> tensor<?x?x?x8xf32>
  %0 = vm.conv2d %i, %f : (tensor<?x?x?x3xf16>, tensor<3x3x3x8xf16>) -> tensor<?x?x?x8xf32>
  // CHECK: vm.conv2d %[[I]], %[[F]] {strides = array<i64: 1, 2>} : (tensor<?x?x?x3xf16>, tensor<3x3x3x8xf16>) -> tensor<?x?x?x8xf16>
  %1 = vm.conv2d %i, %f {strides = array<i64: 1, 2>} : (tensor<?x?x?x3xf16>, tensor<3x3x3x8xf16>) -> tensor<?x?x?x8xf16>
  // CHECK: vm.conv2d %[[Q]], %[[G]] : (tensor<2x5x5x4xi8>, tensor<?x?x4x2xi8>) -> tensor<2x?x?x2xi32>
  %2 = vm.conv2d %q, %g : (tensor<2x5x5x4xi8>, tensor<?x?x4x2xi8>) -> tensor<2x?x?x2xi32>
  // CHECK: vm.conv2d %[[BI]], %[[BF]] : (tensor<1x4x4x1xbf16>, tensor<1x1x1x1xbf16>) -> tensor<1x4x4x1xf32>
  %3 = vm.conv2d %bi, %bf : (tensor<1x4x4x1xbf16>, tensor<1x1x1x1xbf16>) -> tensor<1x4x4x1xf32>
  return %0, %1, %2, %3 : tensor<?x?x?x8xf32>, tensor<?x?x?x8xf16>, tensor<2x?x?x2xi32>, tensor<1x4x4x1xf32>
}

// CHECK-LABEL: func.func @pool2d
//  CHECK-SAME: (%[[I:.+]]: tensor<1x8x8x4xf32>, %[[D:.+]]: tensor<?x?x?x4xf16>, %[[Q:.+]]: tensor<2x6x6x1xi8>)
func.func @pool2d(%i: tensor<1x8x8x4xf32>, %d: tensor<?x?x?x4xf16>, %q: tensor<2x6x6x1xi8>)
    -> (tensor<1x4x4x4xf32>, tensor<1x8x8x4xf32>, tensor<?x?x?x4xf16>, tensor<2x3x2x1xi8>) {
  // CHECK: vm.pool2d %[[I]] {kind = "max", strides = array<i64: 2, 2>, window = array<i64: 2, 2>} : tensor<1x8x8x4xf32> -> tensor<1x4x4x4xf32>
  %0 = vm.pool2d %i {kind = "max", window = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x8x8x4xf32> -> tensor<1x4x4x4xf32>
  // CHECK: vm.pool2d %[[I]] {kind = "avg", padding = array<i64: 1, 1, 1, 1>, window = array<i64: 3, 3>} : tensor<1x8x8x4xf32>
  %1 = vm.pool2d %i {kind = "avg", window = array<i64: 3, 3>, padding = array<i64: 1, 1, 1, 1>} : tensor<1x8x8x4xf32> -> tensor<1x8x8x4xf32>
  // CHECK: vm.pool2d %[[D]] {kind = "avg", window = array<i64: 2, 3>} : tensor<?x?x?x4xf16>
  %2 = vm.pool2d %d {kind = "avg", window = array<i64: 2, 3>} : tensor<?x?x?x4xf16> -> tensor<?x?x?x4xf16>
  // Height: (6 + 1 + 0 - 3) / 2 + 1 = 3; width: (6 + 0 + 1 - 4) / 3 + 1 = 2.
  // CHECK: vm.pool2d %[[Q]] {kind = "max", padding = array<i64: 1, 0, 0, 1>, strides = array<i64: 2, 3>, window = array<i64: 3, 4>} : tensor<2x6x6x1xi8> -> tensor<2x3x2x1xi8>
  %3 = vm.pool2d %q {kind = "max", window = array<i64: 3, 4>, strides = array<i64: 2, 3>, padding = array<i64: 1, 0, 0, 1>} : tensor<2x6x6x1xi8> -> tensor<2x3x2x1xi8>
  return %0, %1, %2, %3 : tensor<1x4x4x4xf32>, tensor<1x8x8x4xf32>, tensor<?x?x?x4xf16>, tensor<2x3x2x1xi8>
}

// CHECK-LABEL: func.func @softmax
//  CHECK-SAME: (%[[A:.+]]: tensor<4x?xf32>, %[[B:.+]]: tensor<8xbf16>, %[[C:.+]]: tensor<2x3x4xf64>, %[[D:.+]]: tensor<?xf16>)
func.func @softmax(%a: tensor<4x?xf32>, %b: tensor<8xbf16>, %c: tensor<2x3x4xf64>, %d: tensor<?xf16>)
    -> (tensor<4x?xf32>, tensor<4x?xf32>, tensor<8xbf16>, tensor<2x3x4xf64>, tensor<?xf16>) {
  // CHECK: vm.softmax %[[A]] {dim = 1 : i64} : tensor<4x?xf32>
  %0 = vm.softmax %a {dim = 1 : i64} : tensor<4x?xf32>
  // CHECK: vm.softmax %[[A]] {dim = 0 : i64} : tensor<4x?xf32>
  %1 = vm.softmax %a {dim = 0 : i64} : tensor<4x?xf32>
  // CHECK: vm.softmax %[[B]] {dim = 0 : i64} : tensor<8xbf16>
  %2 = vm.softmax %b {dim = 0 : i64} : tensor<8xbf16>
  // CHECK: vm.softmax %[[C]] {dim = 2 : i64} : tensor<2x3x4xf64>
  %3 = vm.softmax %c {dim = 2 : i64} : tensor<2x3x4xf64>
  // CHECK: vm.softmax %[[D]] {dim = 0 : i64} : tensor<?xf16>
  %4 = vm.softmax %d {dim = 0 : i64} : tensor<?xf16>
  return %0, %1, %2, %3, %4 : tensor<4x?xf32>, tensor<4x?xf32>, tensor<8xbf16>, tensor<2x3x4xf64>, tensor<?xf16>
}

// vm.conv_transpose2d (contract v2), with and without its attributes.
// CHECK-LABEL: func.func @conv_transpose2d
func.func @conv_transpose2d(%x: tensor<1x3x4x2xf32>, %w: tensor<3x3x2x5xf32>, %h: tensor<1x3x3x2xf16>, %v: tensor<2x2x2x1xf16>)
    -> (tensor<1x6x8x5xf32>, tensor<1x4x4x1xf32>) {
  // CHECK: vm.conv_transpose2d %{{.+}}, %{{.+}} {output_padding = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x3x4x2xf32>, tensor<3x3x2x5xf32>) -> tensor<1x6x8x5xf32>
  %0 = vm.conv_transpose2d %x, %w {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>, output_padding = array<i64: 1, 1>} : (tensor<1x3x4x2xf32>, tensor<3x3x2x5xf32>) -> tensor<1x6x8x5xf32>
  // CHECK: vm.conv_transpose2d %{{.+}}, %{{.+}} : (tensor<1x3x3x2xf16>, tensor<2x2x2x1xf16>) -> tensor<1x4x4x1xf32>
  %1 = vm.conv_transpose2d %h, %v : (tensor<1x3x3x2xf16>, tensor<2x2x2x1xf16>) -> tensor<1x4x4x1xf32>
  return %0, %1 : tensor<1x6x8x5xf32>, tensor<1x4x4x1xf32>
}
