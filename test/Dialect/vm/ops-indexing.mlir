// RUN: vm-gpu-opt %s | FileCheck %s
// RUN: vm-gpu-opt %s --mlir-print-op-generic | vm-gpu-opt | FileCheck %s

// Round trip of the contract v2 indexing ops.

// CHECK-LABEL: func.func @indexing
func.func @indexing(%d: tensor<5x?xf32>, %i: tensor<2x3xi32>, %g: tensor<5x2xi64>, %s: tensor<i64>)
    -> (tensor<5x2x3xf32>, tensor<5x2xf32>, tensor<5xf32>) {
  // CHECK: vm.take %{{.+}}, %{{.+}} {dim = 1 : i64} : (tensor<5x?xf32>, tensor<2x3xi32>) -> tensor<5x2x3xf32>
  %0 = vm.take %d, %i {dim = 1 : i64} : (tensor<5x?xf32>, tensor<2x3xi32>) -> tensor<5x2x3xf32>
  // CHECK: vm.gather %{{.+}}, %{{.+}} {dim = 1 : i64} : (tensor<5x?xf32>, tensor<5x2xi64>) -> tensor<5x2xf32>
  %1 = vm.gather %d, %g {dim = 1 : i64} : (tensor<5x?xf32>, tensor<5x2xi64>) -> tensor<5x2xf32>
  // A 0-d index drops the dimension.
  // CHECK: vm.take %{{.+}}, %{{.+}} {dim = 1 : i64} : (tensor<5x?xf32>, tensor<i64>) -> tensor<5xf32>
  %2 = vm.take %d, %s {dim = 1 : i64} : (tensor<5x?xf32>, tensor<i64>) -> tensor<5xf32>
  return %0, %1, %2 : tensor<5x2x3xf32>, tensor<5x2xf32>, tensor<5xf32>
}
