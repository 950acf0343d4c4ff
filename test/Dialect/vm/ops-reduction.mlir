// RUN: vm-gpu-opt %s | FileCheck %s
// RUN: vm-gpu-opt %s --mlir-print-op-generic | vm-gpu-opt | FileCheck %s

// Round trip of vm.reduce with every kind and vm.dot with widening accumulators.

// CHECK-LABEL: func.func @reduce_float
//  CHECK-SAME: (%[[A:.+]]: tensor<4x?x8xf32>)
func.func @reduce_float(%a: tensor<4x?x8xf32>)
    -> (tensor<?x8xf32>, tensor<4x?xf32>, tensor<?xf32>, tensor<4x?x8xf32>, tensor<f32>) {
  // CHECK: vm.reduce %[[A]] {dims = array<i64: 0>, kind = "sum"} : tensor<4x?x8xf32> -> tensor<?x8xf32>
  %0 = vm.reduce %a {kind = "sum", dims = array<i64: 0>} : tensor<4x?x8xf32> -> tensor<?x8xf32>
  // CHECK: vm.reduce %[[A]] {dims = array<i64: 2>, kind = "prod"} : tensor<4x?x8xf32> -> tensor<4x?xf32>
  %1 = vm.reduce %a {kind = "prod", dims = array<i64: 2>} : tensor<4x?x8xf32> -> tensor<4x?xf32>
  // CHECK: vm.reduce %[[A]] {dims = array<i64: 0, 2>, kind = "min"} : tensor<4x?x8xf32> -> tensor<?xf32>
  %2 = vm.reduce %a {kind = "min", dims = array<i64: 0, 2>} : tensor<4x?x8xf32> -> tensor<?xf32>
  // No dims: the identity reduction.
  // CHECK: vm.reduce %[[A]] {dims = array<i64>, kind = "max"} : tensor<4x?x8xf32>
  %3 = vm.reduce %a {kind = "max", dims = array<i64>} : tensor<4x?x8xf32> -> tensor<4x?x8xf32>
  // All dims: a 0-D result.
  // CHECK: vm.reduce %[[A]] {dims = array<i64: 0, 1, 2>, kind = "max"} : tensor<4x?x8xf32> -> tensor<f32>
  %4 = vm.reduce %a {kind = "max", dims = array<i64: 0, 1, 2>} : tensor<4x?x8xf32> -> tensor<f32>
  return %0, %1, %2, %3, %4 : tensor<?x8xf32>, tensor<4x?xf32>, tensor<?xf32>, tensor<4x?x8xf32>, tensor<f32>
}

// CHECK-LABEL: func.func @reduce_int
//  CHECK-SAME: (%[[A:.+]]: tensor<3x5xi32>, %[[M:.+]]: tensor<?xi1>)
func.func @reduce_int(%a: tensor<3x5xi32>, %m: tensor<?xi1>)
    -> (tensor<5xi32>, tensor<3xi32>, tensor<i32>, tensor<i1>, tensor<i1>, tensor<3xi32>, tensor<5xi32>) {
  // CHECK: vm.reduce %[[A]] {dims = array<i64: 0>, kind = "and"} : tensor<3x5xi32> -> tensor<5xi32>
  %0 = vm.reduce %a {kind = "and", dims = array<i64: 0>} : tensor<3x5xi32> -> tensor<5xi32>
  // CHECK: vm.reduce %[[A]] {dims = array<i64: 1>, kind = "or"} : tensor<3x5xi32> -> tensor<3xi32>
  %1 = vm.reduce %a {kind = "or", dims = array<i64: 1>} : tensor<3x5xi32> -> tensor<3xi32>
  // CHECK: vm.reduce %[[A]] {dims = array<i64: 0, 1>, kind = "xor"} : tensor<3x5xi32> -> tensor<i32>
  %2 = vm.reduce %a {kind = "xor", dims = array<i64: 0, 1>} : tensor<3x5xi32> -> tensor<i32>
  // CHECK: vm.reduce %[[M]] {dims = array<i64: 0>, kind = "or"} : tensor<?xi1> -> tensor<i1>
  %3 = vm.reduce %m {kind = "or", dims = array<i64: 0>} : tensor<?xi1> -> tensor<i1>
  // CHECK: vm.reduce %[[M]] {dims = array<i64: 0>, kind = "and"} : tensor<?xi1> -> tensor<i1>
  %4 = vm.reduce %m {kind = "and", dims = array<i64: 0>} : tensor<?xi1> -> tensor<i1>
  // CHECK: vm.reduce %[[A]] {dims = array<i64: 1>, kind = "sum"} : tensor<3x5xi32> -> tensor<3xi32>
  %5 = vm.reduce %a {kind = "sum", dims = array<i64: 1>} : tensor<3x5xi32> -> tensor<3xi32>
  // CHECK: vm.reduce %[[A]] {dims = array<i64: 0>, kind = "min"} : tensor<3x5xi32> -> tensor<5xi32>
  %6 = vm.reduce %a {kind = "min", dims = array<i64: 0>} : tensor<3x5xi32> -> tensor<5xi32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<5xi32>, tensor<3xi32>, tensor<i32>, tensor<i1>, tensor<i1>, tensor<3xi32>, tensor<5xi32>
}

// CHECK-LABEL: func.func @reduce_other_types
func.func @reduce_other_types(%a: tensor<2x2xf16>, %b: tensor<4xbf16>, %c: tensor<0xf64>, %d: tensor<2x3xi8>, %e: tensor<?xi16>, %f: tensor<4xi64>)
    -> (tensor<2xf16>, tensor<bf16>, tensor<f64>, tensor<3xi8>, tensor<i16>, tensor<i64>) {
  // CHECK: vm.reduce %{{.+}} {dims = array<i64: 1>, kind = "sum"} : tensor<2x2xf16> -> tensor<2xf16>
  %0 = vm.reduce %a {kind = "sum", dims = array<i64: 1>} : tensor<2x2xf16> -> tensor<2xf16>
  // CHECK: vm.reduce %{{.+}} {dims = array<i64: 0>, kind = "max"} : tensor<4xbf16> -> tensor<bf16>
  %1 = vm.reduce %b {kind = "max", dims = array<i64: 0>} : tensor<4xbf16> -> tensor<bf16>
  // An empty reduction gives the identity.
  // CHECK: vm.reduce %{{.+}} {dims = array<i64: 0>, kind = "prod"} : tensor<0xf64> -> tensor<f64>
  %2 = vm.reduce %c {kind = "prod", dims = array<i64: 0>} : tensor<0xf64> -> tensor<f64>
  // CHECK: vm.reduce %{{.+}} {dims = array<i64: 0>, kind = "max"} : tensor<2x3xi8> -> tensor<3xi8>
  %3 = vm.reduce %d {kind = "max", dims = array<i64: 0>} : tensor<2x3xi8> -> tensor<3xi8>
  // CHECK: vm.reduce %{{.+}} {dims = array<i64: 0>, kind = "prod"} : tensor<?xi16> -> tensor<i16>
  %4 = vm.reduce %e {kind = "prod", dims = array<i64: 0>} : tensor<?xi16> -> tensor<i16>
  // CHECK: vm.reduce %{{.+}} {dims = array<i64: 0>, kind = "xor"} : tensor<4xi64> -> tensor<i64>
  %5 = vm.reduce %f {kind = "xor", dims = array<i64: 0>} : tensor<4xi64> -> tensor<i64>
  return %0, %1, %2, %3, %4, %5 : tensor<2xf16>, tensor<bf16>, tensor<f64>, tensor<3xi8>, tensor<i16>, tensor<i64>
}

// CHECK-LABEL: func.func @dot
//  CHECK-SAME: (%[[A:.+]]: tensor<8xf32>, %[[B:.+]]: tensor<?xf32>, %[[H:.+]]: tensor<16xf16>, %[[BF:.+]]: tensor<16xbf16>, %[[I:.+]]: tensor<?xi8>, %[[L:.+]]: tensor<4xi64>)
func.func @dot(%a: tensor<8xf32>, %b: tensor<?xf32>, %h: tensor<16xf16>, %bf: tensor<16xbf16>, %i: tensor<?xi8>, %l: tensor<4xi64>)
    -> (tensor<f32>, tensor<f16>, tensor<f32>, tensor<f32>, tensor<i32>, tensor<i8>, tensor<i64>) {
  // CHECK: vm.dot %[[A]], %[[B]] : (tensor<8xf32>, tensor<?xf32>) -> tensor<f32>
  %0 = vm.dot %a, %b : (tensor<8xf32>, tensor<?xf32>) -> tensor<f32>
  // CHECK: vm.dot %[[H]], %[[H]] : tensor<16xf16> -> tensor<f16>
  %1 = vm.dot %h, %h : tensor<16xf16> -> tensor<f16>
  // Widening accumulators.
  // CHECK: vm.dot %[[H]], %[[H]] : tensor<16xf16> -> tensor<f32>
  %2 = vm.dot %h, %h : tensor<16xf16> -> tensor<f32>
  // CHECK: vm.dot %[[BF]], %[[BF]] : tensor<16xbf16> -> tensor<f32>
  %3 = vm.dot %bf, %bf : tensor<16xbf16> -> tensor<f32>
  // CHECK: vm.dot %[[I]], %[[I]] : tensor<?xi8> -> tensor<i32>
  %4 = vm.dot %i, %i : tensor<?xi8> -> tensor<i32>
  // CHECK: vm.dot %[[I]], %[[I]] : tensor<?xi8> -> tensor<i8>
  %5 = vm.dot %i, %i : tensor<?xi8> -> tensor<i8>
  // CHECK: vm.dot %[[L]], %[[L]] : tensor<4xi64> -> tensor<i64>
  %6 = vm.dot %l, %l : tensor<4xi64> -> tensor<i64>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<f32>, tensor<f16>, tensor<f32>, tensor<f32>, tensor<i32>, tensor<i8>, tensor<i64>
}

// vm.arg_reduce (contract v2).
// CHECK-LABEL: func.func @arg_reduce
func.func @arg_reduce(%x: tensor<5x?xf16>, %y: tensor<7xi8>) -> (tensor<5xi64>, tensor<i32>) {
  // CHECK: vm.arg_reduce %{{.+}} {dim = 1 : i64, kind = "max"} : tensor<5x?xf16> -> tensor<5xi64>
  %0 = vm.arg_reduce %x {kind = "max", dim = 1 : i64} : tensor<5x?xf16> -> tensor<5xi64>
  // CHECK: vm.arg_reduce %{{.+}} {dim = 0 : i64, kind = "min", unsigned} : tensor<7xi8> -> tensor<i32>
  %1 = vm.arg_reduce %y {kind = "min", dim = 0 : i64, unsigned} : tensor<7xi8> -> tensor<i32>
  return %0, %1 : tensor<5xi64>, tensor<i32>
}

// vm.scan (contract v2).
// CHECK-LABEL: func.func @scan
func.func @scan(%x: tensor<5x?xf16>, %y: tensor<7xi8>) -> (tensor<5x?xf16>, tensor<7xi8>) {
  // CHECK: vm.scan %{{.+}} {dim = 1 : i64, kind = "sum"} : tensor<5x?xf16>
  %0 = vm.scan %x {kind = "sum", dim = 1 : i64} : tensor<5x?xf16>
  // CHECK: vm.scan %{{.+}} {dim = 0 : i64, exclusive, kind = "max", reverse, unsigned} : tensor<7xi8>
  %1 = vm.scan %y {kind = "max", dim = 0 : i64, unsigned, exclusive, reverse} : tensor<7xi8>
  return %0, %1 : tensor<5x?xf16>, tensor<7xi8>
}
