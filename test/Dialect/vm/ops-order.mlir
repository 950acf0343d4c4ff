// RUN: vm-gpu-opt %s | FileCheck %s
// RUN: vm-gpu-opt %s --mlir-print-op-generic | vm-gpu-opt | FileCheck %s

// Round trip of the contract v2 ops vm.scatter, vm.sort and vm.topk, and
// their generic form as DESIGN.md writes it.

// CHECK-LABEL: func.func @scatter
func.func @scatter(%d: tensor<5x?xf32>, %i: tensor<2x3xi32>, %u: tensor<2x3xf32>, %n: tensor<7xi8>,
                   %j: tensor<7xi64>) -> (tensor<5x?xf32>, tensor<7xi8>) {
  // CHECK: vm.scatter %{{.+}}, %{{.+}}, %{{.+}} {dim = 1 : i64, kind = "add"} : (tensor<5x?xf32>, tensor<2x3xi32>, tensor<2x3xf32>) -> tensor<5x?xf32>
  %0 = vm.scatter %d, %i, %u {dim = 1 : i64, kind = "add"} : (tensor<5x?xf32>, tensor<2x3xi32>, tensor<2x3xf32>) -> tensor<5x?xf32>
  // CHECK: vm.scatter %{{.+}}, %{{.+}}, %{{.+}} {dim = 0 : i64, kind = "max", unsigned} : (tensor<7xi8>, tensor<7xi64>, tensor<7xi8>) -> tensor<7xi8>
  %1 = "vm.scatter"(%n, %j, %n) {dim = 0 : i64, kind = "max", unsigned} : (tensor<7xi8>, tensor<7xi64>, tensor<7xi8>) -> tensor<7xi8>
  return %0, %1 : tensor<5x?xf32>, tensor<7xi8>
}

// CHECK-LABEL: func.func @order
func.func @order(%x: tensor<4x?xf16>, %y: tensor<9xi32>)
    -> (tensor<4x?xf16>, tensor<4x?xi64>, tensor<3xi32>, tensor<3xi64>) {
  // CHECK: %{{.+}}, %{{.+}} = vm.sort %{{.+}} {descending, dim = 1 : i64} : tensor<4x?xf16> -> (tensor<4x?xf16>, tensor<4x?xi64>)
  %v, %i = vm.sort %x {dim = 1 : i64, descending} : tensor<4x?xf16> -> (tensor<4x?xf16>, tensor<4x?xi64>)
  // CHECK: %{{.+}}, %{{.+}} = vm.topk %{{.+}} {dim = 0 : i64, k = 3 : i64, smallest, unsigned} : tensor<9xi32> -> (tensor<3xi32>, tensor<3xi64>)
  %tv, %ti = "vm.topk"(%y) {k = 3 : i64, dim = 0 : i64, smallest, unsigned} : (tensor<9xi32>) -> (tensor<3xi32>, tensor<3xi64>)
  return %v, %i, %tv, %ti : tensor<4x?xf16>, tensor<4x?xi64>, tensor<3xi32>, tensor<3xi64>
}
