// RUN: vm-gpu-opt %s | FileCheck %s
// RUN: vm-gpu-opt %s --mlir-print-op-generic | vm-gpu-opt | FileCheck %s

// Round trip of vm.broadcast, vm.reshape, vm.transpose, vm.slice and vm.concat.

// CHECK-LABEL: func.func @broadcast
//  CHECK-SAME: (%[[A:.+]]: tensor<4xf32>, %[[B:.+]]: tensor<1x?xi8>, %[[S:.+]]: tensor<i1>)
func.func @broadcast(%a: tensor<4xf32>, %b: tensor<1x?xi8>, %s: tensor<i1>)
    -> (tensor<3x4xf32>, tensor<4x2xf32>, tensor<5x?x6xi8>, tensor<2x2xi1>, tensor<4xf32>) {
  // New leading dimension.
  // CHECK: vm.broadcast %[[A]] {dims = array<i64: 1>} : tensor<4xf32> -> tensor<3x4xf32>
  %0 = vm.broadcast %a {dims = array<i64: 1>} : tensor<4xf32> -> tensor<3x4xf32>
  // New trailing dimension.
  // CHECK: vm.broadcast %[[A]] {dims = array<i64: 0>} : tensor<4xf32> -> tensor<4x2xf32>
  %1 = vm.broadcast %a {dims = array<i64: 0>} : tensor<4xf32> -> tensor<4x2xf32>
  // A size-1 dimension expands; a dynamic one keeps its size.
  // CHECK: vm.broadcast %[[B]] {dims = array<i64: 0, 1>} : tensor<1x?xi8> -> tensor<5x?x6xi8>
  %2 = vm.broadcast %b {dims = array<i64: 0, 1>} : tensor<1x?xi8> -> tensor<5x?x6xi8>
  // A 0-D operand has no dims.
  // CHECK: vm.broadcast %[[S]] {dims = array<i64>} : tensor<i1> -> tensor<2x2xi1>
  %3 = vm.broadcast %s {dims = array<i64>} : tensor<i1> -> tensor<2x2xi1>
  // CHECK: vm.broadcast %[[A]] {dims = array<i64: 0>} : tensor<4xf32>
  %4 = vm.broadcast %a {dims = array<i64: 0>} : tensor<4xf32> -> tensor<4xf32>
  return %0, %1, %2, %3, %4 : tensor<3x4xf32>, tensor<4x2xf32>, tensor<5x?x6xi8>, tensor<2x2xi1>, tensor<4xf32>
}

// CHECK-LABEL: func.func @reshape
//  CHECK-SAME: (%[[A:.+]]: tensor<2x3x4xf16>, %[[B:.+]]: tensor<?x4xi64>, %[[S:.+]]: tensor<1x1xbf16>)
func.func @reshape(%a: tensor<2x3x4xf16>, %b: tensor<?x4xi64>, %s: tensor<1x1xbf16>)
    -> (tensor<6x4xf16>, tensor<?x8xf16>, tensor<?xi64>, tensor<2x?xi64>, tensor<bf16>, tensor<24xf16>) {
  // CHECK: vm.reshape %[[A]] : tensor<2x3x4xf16> -> tensor<6x4xf16>
  %0 = vm.reshape %a : tensor<2x3x4xf16> -> tensor<6x4xf16>
  // One dynamic result dimension is inferred from the element count.
  // CHECK: vm.reshape %[[A]] : tensor<2x3x4xf16> -> tensor<?x8xf16>
  %1 = vm.reshape %a : tensor<2x3x4xf16> -> tensor<?x8xf16>
  // CHECK: vm.reshape %[[B]] : tensor<?x4xi64> -> tensor<?xi64>
  %2 = vm.reshape %b : tensor<?x4xi64> -> tensor<?xi64>
  // CHECK: vm.reshape %[[B]] : tensor<?x4xi64> -> tensor<2x?xi64>
  %3 = vm.reshape %b : tensor<?x4xi64> -> tensor<2x?xi64>
  // CHECK: vm.reshape %[[S]] : tensor<1x1xbf16> -> tensor<bf16>
  %4 = vm.reshape %s : tensor<1x1xbf16> -> tensor<bf16>
  // CHECK: vm.reshape %[[A]] : tensor<2x3x4xf16> -> tensor<24xf16>
  %5 = vm.reshape %a : tensor<2x3x4xf16> -> tensor<24xf16>
  return %0, %1, %2, %3, %4, %5 : tensor<6x4xf16>, tensor<?x8xf16>, tensor<?xi64>, tensor<2x?xi64>, tensor<bf16>, tensor<24xf16>
}

// CHECK-LABEL: func.func @transpose
//  CHECK-SAME: (%[[A:.+]]: tensor<2x3xf32>, %[[B:.+]]: tensor<2x?x4xi32>)
func.func @transpose(%a: tensor<2x3xf32>, %b: tensor<2x?x4xi32>)
    -> (tensor<3x2xf32>, tensor<4x2x?xi32>, tensor<?x4x2xi32>, tensor<2x3xf32>) {
  // CHECK: vm.transpose %[[A]] {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  %0 = vm.transpose %a {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  // CHECK: vm.transpose %[[B]] {perm = array<i64: 2, 0, 1>} : tensor<2x?x4xi32> -> tensor<4x2x?xi32>
  %1 = vm.transpose %b {perm = array<i64: 2, 0, 1>} : tensor<2x?x4xi32> -> tensor<4x2x?xi32>
  // CHECK: vm.transpose %[[B]] {perm = array<i64: 1, 2, 0>} : tensor<2x?x4xi32> -> tensor<?x4x2xi32>
  %2 = vm.transpose %b {perm = array<i64: 1, 2, 0>} : tensor<2x?x4xi32> -> tensor<?x4x2xi32>
  // CHECK: vm.transpose %[[A]] {perm = array<i64: 0, 1>} : tensor<2x3xf32>
  %3 = vm.transpose %a {perm = array<i64: 0, 1>} : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0, %1, %2, %3 : tensor<3x2xf32>, tensor<4x2x?xi32>, tensor<?x4x2xi32>, tensor<2x3xf32>
}

// CHECK-LABEL: func.func @slice
//  CHECK-SAME: (%[[A:.+]]: tensor<8x6xf64>, %[[B:.+]]: tensor<?x10xi16>)
func.func @slice(%a: tensor<8x6xf64>, %b: tensor<?x10xi16>) -> (tensor<4x2xf64>, tensor<0x6xf64>, tensor<3x5xi16>, tensor<8x6xf64>) {
  // CHECK: vm.slice %[[A]] {offsets = array<i64: 1, 0>, sizes = array<i64: 4, 2>, strides = array<i64: 2, 3>} : tensor<8x6xf64> -> tensor<4x2xf64>
  %0 = vm.slice %a {offsets = array<i64: 1, 0>, sizes = array<i64: 4, 2>, strides = array<i64: 2, 3>} : tensor<8x6xf64> -> tensor<4x2xf64>
  // An empty slice may start at the end.
  // CHECK: vm.slice %[[A]] {offsets = array<i64: 8, 0>, sizes = array<i64: 0, 6>, strides = array<i64: 1, 1>} : tensor<8x6xf64> -> tensor<0x6xf64>
  %1 = vm.slice %a {offsets = array<i64: 8, 0>, sizes = array<i64: 0, 6>, strides = array<i64: 1, 1>} : tensor<8x6xf64> -> tensor<0x6xf64>
  // Bounds of a dynamic dimension are checked at run time.
  // CHECK: vm.slice %[[B]] {offsets = array<i64: 5, 1>, sizes = array<i64: 3, 5>, strides = array<i64: 1, 2>} : tensor<?x10xi16> -> tensor<3x5xi16>
  %2 = vm.slice %b {offsets = array<i64: 5, 1>, sizes = array<i64: 3, 5>, strides = array<i64: 1, 2>} : tensor<?x10xi16> -> tensor<3x5xi16>
  // CHECK: vm.slice %[[A]] {offsets = array<i64: 0, 0>, sizes = array<i64: 8, 6>, strides = array<i64: 1, 1>} : tensor<8x6xf64>
  %3 = vm.slice %a {offsets = array<i64: 0, 0>, sizes = array<i64: 8, 6>, strides = array<i64: 1, 1>} : tensor<8x6xf64> -> tensor<8x6xf64>
  return %0, %1, %2, %3 : tensor<4x2xf64>, tensor<0x6xf64>, tensor<3x5xi16>, tensor<8x6xf64>
}

// CHECK-LABEL: func.func @concat
//  CHECK-SAME: (%[[A:.+]]: tensor<2x3xf32>, %[[B:.+]]: tensor<4x3xf32>, %[[C:.+]]: tensor<?x3xf32>, %[[D:.+]]: tensor<2x?xi1>)
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>, %c: tensor<?x3xf32>, %d: tensor<2x?xi1>)
    -> (tensor<6x3xf32>, tensor<?x3xf32>, tensor<2x?xi1>, tensor<2x3xf32>) {
  // CHECK: vm.concat %[[A]], %[[B]] {dim = 0 : i64} : tensor<2x3xf32>, tensor<4x3xf32> -> tensor<6x3xf32>
  %0 = vm.concat %a, %b {dim = 0 : i64} : tensor<2x3xf32>, tensor<4x3xf32> -> tensor<6x3xf32>
  // CHECK: vm.concat %[[A]], %[[C]], %[[B]] {dim = 0 : i64} : tensor<2x3xf32>, tensor<?x3xf32>, tensor<4x3xf32> -> tensor<?x3xf32>
  %1 = vm.concat %a, %c, %b {dim = 0 : i64} : tensor<2x3xf32>, tensor<?x3xf32>, tensor<4x3xf32> -> tensor<?x3xf32>
  // CHECK: vm.concat %[[D]], %[[D]] {dim = 1 : i64} : tensor<2x?xi1>, tensor<2x?xi1> -> tensor<2x?xi1>
  %2 = vm.concat %d, %d {dim = 1 : i64} : tensor<2x?xi1>, tensor<2x?xi1> -> tensor<2x?xi1>
  // CHECK: vm.concat %[[A]] {dim = 1 : i64} : tensor<2x3xf32> -> tensor<2x3xf32>
  %3 = vm.concat %a {dim = 1 : i64} : tensor<2x3xf32> -> tensor<2x3xf32>
  return %0, %1, %2, %3 : tensor<6x3xf32>, tensor<?x3xf32>, tensor<2x?xi1>, tensor<2x3xf32>
}
