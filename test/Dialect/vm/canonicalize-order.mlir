// RUN: vm-gpu-opt %s --canonicalize --split-input-file | FileCheck %s

// Folds of the contract v2 ops vm.scatter and vm.sort.

// No updates: the result is `data`.
// CHECK-LABEL: func.func @scatter_no_updates
//  CHECK-SAME: (%[[D:.+]]: tensor<4x3xf32>
//  CHECK-NEXT:   return %[[D]]
func.func @scatter_no_updates(%d: tensor<4x3xf32>, %i: tensor<0x3xi32>, %u: tensor<0x3xf32>) -> tensor<4x3xf32> {
  %0 = vm.scatter %d, %i, %u {dim = 0 : i64, kind = "add"} : (tensor<4x3xf32>, tensor<0x3xi32>, tensor<0x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// Updates that may exist stay.
// CHECK-LABEL: func.func @scatter_dynamic_updates
//       CHECK:   vm.scatter
func.func @scatter_dynamic_updates(%d: tensor<4x3xf32>, %i: tensor<?x3xi32>, %u: tensor<?x3xf32>) -> tensor<4x3xf32> {
  %0 = vm.scatter %d, %i, %u {dim = 0 : i64, kind = "set"} : (tensor<4x3xf32>, tensor<?x3xi32>, tensor<?x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// Lanes of one element are sorted: the operand, and every index 0.
// CHECK-LABEL: func.func @sort_length_one
//  CHECK-SAME: (%[[X:.+]]: tensor<5x1xf32>)
//       CHECK:   %[[ZERO:.+]] = vm.constant dense<0> : tensor<5x1xi64>
//  CHECK-NEXT:   return %[[X]], %[[ZERO]]
func.func @sort_length_one(%x: tensor<5x1xf32>) -> (tensor<5x1xf32>, tensor<5x1xi64>) {
  %v, %i = vm.sort %x {dim = 1 : i64, descending} : tensor<5x1xf32> -> (tensor<5x1xf32>, tensor<5x1xi64>)
  return %v, %i : tensor<5x1xf32>, tensor<5x1xi64>
}

// -----

// CHECK-LABEL: func.func @sort_longer
//       CHECK:   vm.sort
func.func @sort_longer(%x: tensor<1x5xf32>) -> (tensor<1x5xf32>, tensor<1x5xi64>) {
  %v, %i = vm.sort %x {dim = 1 : i64} : tensor<1x5xf32> -> (tensor<1x5xf32>, tensor<1x5xi64>)
  return %v, %i : tensor<1x5xf32>, tensor<1x5xi64>
}
