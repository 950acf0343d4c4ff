// RUN: vm-gpu-opt %s | FileCheck %s
// RUN: vm-gpu-opt %s --mlir-print-op-generic | vm-gpu-opt | FileCheck %s

// Round trip of vm.cmp with every predicate, vm.convert in every direction, and vm.bitcast.

// CHECK-LABEL: func.func @cmp_float
//  CHECK-SAME: (%[[A:.+]]: tensor<4x?xf32>, %[[B:.+]]: tensor<4x?xf32>)
func.func @cmp_float(%a: tensor<4x?xf32>, %b: tensor<4x?xf32>)
    -> (tensor<4x?xi1>, tensor<4x?xi1>, tensor<4x?xi1>, tensor<4x?xi1>, tensor<4x?xi1>, tensor<4x?xi1>) {
  // CHECK: vm.cmp %[[A]], %[[B]] {predicate = "eq"} : tensor<4x?xf32> -> tensor<4x?xi1>
  %0 = vm.cmp %a, %b {predicate = "eq"} : tensor<4x?xf32> -> tensor<4x?xi1>
  // CHECK: vm.cmp %[[A]], %[[B]] {predicate = "ne"} : tensor<4x?xf32> -> tensor<4x?xi1>
  %1 = vm.cmp %a, %b {predicate = "ne"} : tensor<4x?xf32> -> tensor<4x?xi1>
  // CHECK: vm.cmp %[[A]], %[[B]] {predicate = "lt"} : tensor<4x?xf32> -> tensor<4x?xi1>
  %2 = vm.cmp %a, %b {predicate = "lt"} : tensor<4x?xf32> -> tensor<4x?xi1>
  // CHECK: vm.cmp %[[A]], %[[B]] {predicate = "le"} : tensor<4x?xf32> -> tensor<4x?xi1>
  %3 = vm.cmp %a, %b {predicate = "le"} : tensor<4x?xf32> -> tensor<4x?xi1>
  // CHECK: vm.cmp %[[A]], %[[B]] {predicate = "gt"} : tensor<4x?xf32> -> tensor<4x?xi1>
  %4 = vm.cmp %a, %b {predicate = "gt"} : tensor<4x?xf32> -> tensor<4x?xi1>
  // CHECK: vm.cmp %[[A]], %[[B]] {predicate = "ge"} : tensor<4x?xf32> -> tensor<4x?xi1>
  %5 = vm.cmp %a, %b {predicate = "ge"} : tensor<4x?xf32> -> tensor<4x?xi1>
  return %0, %1, %2, %3, %4, %5 : tensor<4x?xi1>, tensor<4x?xi1>, tensor<4x?xi1>, tensor<4x?xi1>, tensor<4x?xi1>, tensor<4x?xi1>
}

// CHECK-LABEL: func.func @cmp_int
//  CHECK-SAME: (%[[A:.+]]: tensor<?xi64>, %[[B:.+]]: tensor<?xi64>)
func.func @cmp_int(%a: tensor<?xi64>, %b: tensor<?xi64>)
    -> (tensor<?xi1>, tensor<?xi1>, tensor<?xi1>, tensor<?xi1>, tensor<?xi1>, tensor<?xi1>) {
  // CHECK: vm.cmp %[[A]], %[[B]] {predicate = "eq", unsigned} : tensor<?xi64> -> tensor<?xi1>
  %0 = vm.cmp %a, %b {predicate = "eq", unsigned} : tensor<?xi64> -> tensor<?xi1>
  // CHECK: vm.cmp %[[A]], %[[B]] {predicate = "ne"} : tensor<?xi64> -> tensor<?xi1>
  %1 = vm.cmp %a, %b {predicate = "ne"} : tensor<?xi64> -> tensor<?xi1>
  // CHECK: vm.cmp %[[A]], %[[B]] {predicate = "lt"} : tensor<?xi64> -> tensor<?xi1>
  %2 = vm.cmp %a, %b {predicate = "lt"} : tensor<?xi64> -> tensor<?xi1>
  // CHECK: vm.cmp %[[A]], %[[B]] {predicate = "le", unsigned} : tensor<?xi64> -> tensor<?xi1>
  %3 = vm.cmp %a, %b {predicate = "le", unsigned} : tensor<?xi64> -> tensor<?xi1>
  // CHECK: vm.cmp %[[A]], %[[B]] {predicate = "gt", unsigned} : tensor<?xi64> -> tensor<?xi1>
  %4 = vm.cmp %a, %b {predicate = "gt", unsigned} : tensor<?xi64> -> tensor<?xi1>
  // CHECK: vm.cmp %[[A]], %[[B]] {predicate = "ge"} : tensor<?xi64> -> tensor<?xi1>
  %5 = vm.cmp %a, %b {predicate = "ge"} : tensor<?xi64> -> tensor<?xi1>
  return %0, %1, %2, %3, %4, %5 : tensor<?xi1>, tensor<?xi1>, tensor<?xi1>, tensor<?xi1>, tensor<?xi1>, tensor<?xi1>
}

// CHECK-LABEL: func.func @cmp_other_types
func.func @cmp_other_types(%a: tensor<i8>, %b: tensor<2x2xi1>, %c: tensor<3xbf16>, %d: tensor<3xf16>, %e: tensor<3xf64>, %f: tensor<5xi16>)
    -> (tensor<i1>, tensor<2x2xi1>, tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<5xi1>) {
  // CHECK: vm.cmp %{{.+}}, %{{.+}} {predicate = "lt", unsigned} : tensor<i8> -> tensor<i1>
  %0 = vm.cmp %a, %a {predicate = "lt", unsigned} : tensor<i8> -> tensor<i1>
  // CHECK: vm.cmp %{{.+}}, %{{.+}} {predicate = "eq"} : tensor<2x2xi1>
  %1 = vm.cmp %b, %b {predicate = "eq"} : tensor<2x2xi1>
  // CHECK: vm.cmp %{{.+}}, %{{.+}} {predicate = "ge"} : tensor<3xbf16> -> tensor<3xi1>
  %2 = vm.cmp %c, %c {predicate = "ge"} : tensor<3xbf16> -> tensor<3xi1>
  // CHECK: vm.cmp %{{.+}}, %{{.+}} {predicate = "ne"} : tensor<3xf16> -> tensor<3xi1>
  %3 = vm.cmp %d, %d {predicate = "ne"} : tensor<3xf16> -> tensor<3xi1>
  // CHECK: vm.cmp %{{.+}}, %{{.+}} {predicate = "le"} : tensor<3xf64> -> tensor<3xi1>
  %4 = vm.cmp %e, %e {predicate = "le"} : tensor<3xf64> -> tensor<3xi1>
  // CHECK: vm.cmp %{{.+}}, %{{.+}} {predicate = "gt"} : tensor<5xi16> -> tensor<5xi1>
  %5 = vm.cmp %f, %f {predicate = "gt"} : tensor<5xi16> -> tensor<5xi1>
  return %0, %1, %2, %3, %4, %5 : tensor<i1>, tensor<2x2xi1>, tensor<3xi1>, tensor<3xi1>, tensor<3xi1>, tensor<5xi1>
}

// CHECK-LABEL: func.func @convert
//  CHECK-SAME: (%[[F:.+]]: tensor<4x?xf32>, %[[I:.+]]: tensor<4x?xi32>)
func.func @convert(%f: tensor<4x?xf32>, %i: tensor<4x?xi32>)
    -> (tensor<4x?xi32>, tensor<4x?xi8>, tensor<4x?xf32>, tensor<4x?xf64>, tensor<4x?xi64>,
        tensor<4x?xi16>, tensor<4x?xf16>, tensor<4x?xbf16>, tensor<4x?xi1>, tensor<4x?xf32>) {
  // float -> int, signed and unsigned.
  // CHECK: %[[F2I:.+]] = vm.convert %[[F]] : tensor<4x?xf32> -> tensor<4x?xi32>
  %0 = vm.convert %f : tensor<4x?xf32> -> tensor<4x?xi32>
  // CHECK: vm.convert %[[F]] {unsigned} : tensor<4x?xf32> -> tensor<4x?xi8>
  %1 = vm.convert %f {unsigned} : tensor<4x?xf32> -> tensor<4x?xi8>
  // int -> float, signed and unsigned.
  // CHECK: vm.convert %[[I]] {unsigned} : tensor<4x?xi32> -> tensor<4x?xf32>
  %2 = vm.convert %i {unsigned} : tensor<4x?xi32> -> tensor<4x?xf32>
  // CHECK: vm.convert %[[F2I]] : tensor<4x?xi32> -> tensor<4x?xf64>
  %3 = vm.convert %0 : tensor<4x?xi32> -> tensor<4x?xf64>
  // int -> int: extend (zero-extend with unsigned) and truncate.
  // CHECK: vm.convert %[[I]] {unsigned} : tensor<4x?xi32> -> tensor<4x?xi64>
  %4 = vm.convert %i {unsigned} : tensor<4x?xi32> -> tensor<4x?xi64>
  // CHECK: vm.convert %[[I]] : tensor<4x?xi32> -> tensor<4x?xi16>
  %5 = vm.convert %i : tensor<4x?xi32> -> tensor<4x?xi16>
  // float -> float.
  // CHECK: vm.convert %[[F]] : tensor<4x?xf32> -> tensor<4x?xf16>
  %6 = vm.convert %f : tensor<4x?xf32> -> tensor<4x?xf16>
  // CHECK: vm.convert %[[F]] : tensor<4x?xf32> -> tensor<4x?xbf16>
  %7 = vm.convert %f : tensor<4x?xf32> -> tensor<4x?xbf16>
  // To and from i1.
  // CHECK: %[[MASK:.+]] = vm.convert %[[F]] : tensor<4x?xf32> -> tensor<4x?xi1>
  %8 = vm.convert %f : tensor<4x?xf32> -> tensor<4x?xi1>
  // CHECK: vm.convert %[[MASK]] : tensor<4x?xi1> -> tensor<4x?xf32>
  %9 = vm.convert %8 : tensor<4x?xi1> -> tensor<4x?xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9
      : tensor<4x?xi32>, tensor<4x?xi8>, tensor<4x?xf32>, tensor<4x?xf64>, tensor<4x?xi64>,
        tensor<4x?xi16>, tensor<4x?xf16>, tensor<4x?xbf16>, tensor<4x?xi1>, tensor<4x?xf32>
}

// The result may be more static than the operand.
// CHECK-LABEL: func.func @convert_refines_shape
func.func @convert_refines_shape(%a: tensor<?xbf16>) -> tensor<8xf64> {
  // CHECK: vm.convert %{{.+}} : tensor<?xbf16> -> tensor<8xf64>
  %0 = vm.convert %a : tensor<?xbf16> -> tensor<8xf64>
  return %0 : tensor<8xf64>
}

// CHECK-LABEL: func.func @bitcast
//  CHECK-SAME: (%[[F:.+]]: tensor<2x?xf32>, %[[H:.+]]: tensor<8xf16>, %[[D:.+]]: tensor<f64>, %[[B:.+]]: tensor<3xi8>)
func.func @bitcast(%f: tensor<2x?xf32>, %h: tensor<8xf16>, %d: tensor<f64>, %b: tensor<3xi8>)
    -> (tensor<2x?xi32>, tensor<8xbf16>, tensor<8xi16>, tensor<i64>, tensor<3xi8>) {
  // CHECK: vm.bitcast %[[F]] : tensor<2x?xf32> -> tensor<2x?xi32>
  %0 = vm.bitcast %f : tensor<2x?xf32> -> tensor<2x?xi32>
  // CHECK: vm.bitcast %[[H]] : tensor<8xf16> -> tensor<8xbf16>
  %1 = vm.bitcast %h : tensor<8xf16> -> tensor<8xbf16>
  // CHECK: vm.bitcast %[[H]] : tensor<8xf16> -> tensor<8xi16>
  %2 = vm.bitcast %h : tensor<8xf16> -> tensor<8xi16>
  // CHECK: vm.bitcast %[[D]] : tensor<f64> -> tensor<i64>
  %3 = vm.bitcast %d : tensor<f64> -> tensor<i64>
  // CHECK: vm.bitcast %[[B]] : tensor<3xi8>
  %4 = vm.bitcast %b : tensor<3xi8>
  return %0, %1, %2, %3, %4 : tensor<2x?xi32>, tensor<8xbf16>, tensor<8xi16>, tensor<i64>, tensor<3xi8>
}
