// RUN: vm-gpu-opt %s | FileCheck %s
// RUN: vm-gpu-opt %s --mlir-print-op-generic | vm-gpu-opt | FileCheck %s

// Round trip of vm.constant and vm.splat, including dynamic sizes.

// CHECK-LABEL: func.func @constant
func.func @constant() -> (tensor<4xf32>, tensor<2x2xi32>, tensor<3xi1>, tensor<2xbf16>, tensor<f64>,
                          tensor<2xf16>, tensor<2xi8>, tensor<2xi16>, tensor<2xi64>, tensor<0xf32>) {
  // CHECK: vm.constant dense<1.000000e+00> : tensor<4xf32>
  %0 = vm.constant dense<1.0> : tensor<4xf32>
  // CHECK: vm.constant dense<{{\[}}[1, 2], [3, 4]]> : tensor<2x2xi32>
  %1 = vm.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi32>
  // CHECK: vm.constant dense<[true, false, true]> : tensor<3xi1>
  %2 = vm.constant dense<[true, false, true]> : tensor<3xi1>
  // CHECK: vm.constant dense<[1.500000e+00, -2.000000e+00]> : tensor<2xbf16>
  %3 = vm.constant dense<[1.5, -2.0]> : tensor<2xbf16>
  // CHECK: vm.constant dense<0x7FF8000000000000> : tensor<f64>
  %4 = vm.constant dense<0x7FF8000000000000> : tensor<f64>
  // CHECK: vm.constant dense<[0.000000e+00, 6.550400e+04]> : tensor<2xf16>
  %5 = vm.constant dense<[0.0, 65504.0]> : tensor<2xf16>
  // CHECK: vm.constant dense<[-128, 127]> : tensor<2xi8>
  %6 = vm.constant dense<[-128, 127]> : tensor<2xi8>
  // CHECK: vm.constant dense<[-1, 7]> : tensor<2xi16>
  %7 = vm.constant dense<[-1, 7]> : tensor<2xi16>
  // CHECK: vm.constant dense<[-9223372036854775808, 9223372036854775807]> : tensor<2xi64>
  %8 = vm.constant dense<[-9223372036854775808, 9223372036854775807]> : tensor<2xi64>
  // CHECK: vm.constant dense<> : tensor<0xf32>
  %9 = vm.constant dense<> : tensor<0xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9
      : tensor<4xf32>, tensor<2x2xi32>, tensor<3xi1>, tensor<2xbf16>, tensor<f64>,
        tensor<2xf16>, tensor<2xi8>, tensor<2xi16>, tensor<2xi64>, tensor<0xf32>
}

// CHECK-LABEL: func.func @splat_static
//  CHECK-SAME: (%[[F:.+]]: f32, %[[I:.+]]: i8, %[[B:.+]]: i1)
func.func @splat_static(%f: f32, %i: i8, %b: i1) -> (tensor<2x3xf32>, tensor<i8>, tensor<5xi1>) {
  // CHECK: vm.splat %[[F]] : f32 -> tensor<2x3xf32>
  %0 = vm.splat %f : f32 -> tensor<2x3xf32>
  // CHECK: vm.splat %[[I]] : i8 -> tensor<i8>
  %1 = vm.splat %i : i8 -> tensor<i8>
  // CHECK: vm.splat %[[B]] : i1 -> tensor<5xi1>
  %2 = vm.splat %b : i1 -> tensor<5xi1>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<i8>, tensor<5xi1>
}

// One index operand per dynamic dimension, in order.
// CHECK-LABEL: func.func @splat_dynamic
//  CHECK-SAME: (%[[V:.+]]: bf16, %[[W:.+]]: i64, %[[N:.+]]: index, %[[M:.+]]: index)
func.func @splat_dynamic(%v: bf16, %w: i64, %n: index, %m: index) -> (tensor<?x4x?xbf16>, tensor<?xi64>) {
  // CHECK: vm.splat %[[V]]{{\[}}%[[N]], %[[M]]] : bf16 -> tensor<?x4x?xbf16>
  %0 = vm.splat %v [%n, %m] : bf16 -> tensor<?x4x?xbf16>
  // CHECK: vm.splat %[[W]]{{\[}}%[[M]]] : i64 -> tensor<?xi64>
  %1 = vm.splat %w [%m] : i64 -> tensor<?xi64>
  return %0, %1 : tensor<?x4x?xbf16>, tensor<?xi64>
}

// CHECK-LABEL: func.func @splat_other_types
func.func @splat_other_types(%a: f16, %b: f64, %c: i16, %d: i32) -> (tensor<2xf16>, tensor<2xf64>, tensor<2xi16>, tensor<2xi32>) {
  // CHECK: vm.splat %{{.+}} : f16 -> tensor<2xf16>
  %0 = vm.splat %a : f16 -> tensor<2xf16>
  // CHECK: vm.splat %{{.+}} : f64 -> tensor<2xf64>
  %1 = vm.splat %b : f64 -> tensor<2xf64>
  // CHECK: vm.splat %{{.+}} : i16 -> tensor<2xi16>
  %2 = vm.splat %c : i16 -> tensor<2xi16>
  // CHECK: vm.splat %{{.+}} : i32 -> tensor<2xi32>
  %3 = vm.splat %d : i32 -> tensor<2xi32>
  return %0, %1, %2, %3 : tensor<2xf16>, tensor<2xf64>, tensor<2xi16>, tensor<2xi32>
}

// vm.iota (contract v2), static and with a dynamic size.
// CHECK-LABEL: func.func @iota
func.func @iota(%n: index) -> (tensor<4x?xi32>, tensor<8xf16>) {
  // CHECK: vm.iota[%{{.+}}] {dim = 1 : i64} : tensor<4x?xi32>
  %0 = vm.iota [%n] {dim = 1 : i64} : tensor<4x?xi32>
  // CHECK: vm.iota {dim = 0 : i64} : tensor<8xf16>
  %1 = vm.iota {dim = 0 : i64} : tensor<8xf16>
  return %0, %1 : tensor<4x?xi32>, tensor<8xf16>
}
