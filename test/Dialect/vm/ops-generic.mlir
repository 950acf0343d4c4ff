// RUN: vm-gpu-opt %s | FileCheck %s
// RUN: vm-gpu-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC
// RUN: vm-gpu-opt %s --mlir-print-op-generic | vm-gpu-opt | FileCheck %s

// Generic-form input (as used by outside tests) for a broad sample of vm ops, and its generic printing.

// CHECK-LABEL: func.func @elementwise
//  CHECK-SAME: (%[[A:.+]]: tensor<4x?xf32>, %[[B:.+]]: tensor<4x?xf32>, %[[I:.+]]: tensor<4x?xi32>, %[[C:.+]]: tensor<4x?xi1>)
// GENERIC-LABEL: sym_name = "elementwise"
func.func @elementwise(%a: tensor<4x?xf32>, %b: tensor<4x?xf32>, %i: tensor<4x?xi32>, %c: tensor<4x?xi1>)
    -> (tensor<4x?xf32>, tensor<4x?xi32>, tensor<4x?xi32>) {
  // CHECK: %[[ADD:.+]] = vm.add %[[A]], %[[B]] : tensor<4x?xf32>
  // GENERIC: "vm.add"(%{{.+}}, %{{.+}}) : (tensor<4x?xf32>, tensor<4x?xf32>) -> tensor<4x?xf32>
  %0 = "vm.add"(%a, %b) : (tensor<4x?xf32>, tensor<4x?xf32>) -> tensor<4x?xf32>
  // CHECK: %[[EXP:.+]] = vm.exp %[[ADD]] : tensor<4x?xf32>
  // GENERIC: "vm.exp"(%{{.+}}) : (tensor<4x?xf32>) -> tensor<4x?xf32>
  %1 = "vm.exp"(%0) : (tensor<4x?xf32>) -> tensor<4x?xf32>
  // CHECK: %[[FMA:.+]] = vm.fma %[[EXP]], %[[A]], %[[B]] : tensor<4x?xf32>
  // GENERIC: "vm.fma"(%{{.+}}, %{{.+}}, %{{.+}}) : (tensor<4x?xf32>, tensor<4x?xf32>, tensor<4x?xf32>) -> tensor<4x?xf32>
  %2 = "vm.fma"(%1, %a, %b) : (tensor<4x?xf32>, tensor<4x?xf32>, tensor<4x?xf32>) -> tensor<4x?xf32>
  // CHECK: %[[SEL:.+]] = vm.select %[[C]], %[[FMA]], %[[A]] : (tensor<4x?xi1>, tensor<4x?xf32>, tensor<4x?xf32>) -> tensor<4x?xf32>
  // GENERIC: "vm.select"(%{{.+}}, %{{.+}}, %{{.+}}) : (tensor<4x?xi1>, tensor<4x?xf32>, tensor<4x?xf32>) -> tensor<4x?xf32>
  %3 = "vm.select"(%c, %2, %a) : (tensor<4x?xi1>, tensor<4x?xf32>, tensor<4x?xf32>) -> tensor<4x?xf32>
  // `unsigned` is a discardable unit attribute.
  // CHECK: vm.div %[[I]], %[[I]] {unsigned} : tensor<4x?xi32>
  // GENERIC: "vm.div"(%{{.+}}, %{{.+}}) {unsigned} : (tensor<4x?xi32>, tensor<4x?xi32>) -> tensor<4x?xi32>
  %4 = "vm.div"(%i, %i) {unsigned} : (tensor<4x?xi32>, tensor<4x?xi32>) -> tensor<4x?xi32>
  // CHECK: vm.shr %[[I]], %[[I]] {unsigned} : tensor<4x?xi32>
  // GENERIC: "vm.shr"(%{{.+}}, %{{.+}}) {unsigned} : (tensor<4x?xi32>, tensor<4x?xi32>) -> tensor<4x?xi32>
  %5 = "vm.shr"(%i, %i) {unsigned = unit} : (tensor<4x?xi32>, tensor<4x?xi32>) -> tensor<4x?xi32>
  return %3, %4, %5 : tensor<4x?xf32>, tensor<4x?xi32>, tensor<4x?xi32>
}

// CHECK-LABEL: func.func @compare_convert_create
// GENERIC-LABEL: sym_name = "compare_convert_create"
func.func @compare_convert_create(%a: tensor<8xi16>, %f: f32, %n: index) -> (tensor<8xi1>, tensor<8xf32>, tensor<8xf16>, tensor<3xf32>, tensor<?x2xf32>) {
  // CHECK: vm.cmp %{{.+}}, %{{.+}} {predicate = "lt", unsigned} : tensor<8xi16> -> tensor<8xi1>
  // GENERIC: "vm.cmp"(%{{.+}}, %{{.+}}) <{predicate = "lt"}> {unsigned} : (tensor<8xi16>, tensor<8xi16>) -> tensor<8xi1>
  %0 = "vm.cmp"(%a, %a) {predicate = "lt", unsigned} : (tensor<8xi16>, tensor<8xi16>) -> tensor<8xi1>
  // CHECK: vm.convert %{{.+}} {unsigned} : tensor<8xi16> -> tensor<8xf32>
  // GENERIC: "vm.convert"(%{{.+}}) {unsigned} : (tensor<8xi16>) -> tensor<8xf32>
  %1 = "vm.convert"(%a) {unsigned} : (tensor<8xi16>) -> tensor<8xf32>
  // CHECK: vm.bitcast %{{.+}} : tensor<8xi16> -> tensor<8xf16>
  // GENERIC: "vm.bitcast"(%{{.+}}) : (tensor<8xi16>) -> tensor<8xf16>
  %2 = "vm.bitcast"(%a) : (tensor<8xi16>) -> tensor<8xf16>
  // CHECK: vm.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf32>
  // GENERIC: "vm.constant"() <{value = dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf32>}> : () -> tensor<3xf32>
  %3 = "vm.constant"() {value = dense<[1.0, 2.0, 3.0]> : tensor<3xf32>} : () -> tensor<3xf32>
  // CHECK: vm.splat %{{.+}}[%{{.+}}] : f32 -> tensor<?x2xf32>
  // GENERIC: "vm.splat"(%{{.+}}, %{{.+}}) : (f32, index) -> tensor<?x2xf32>
  %4 = "vm.splat"(%f, %n) : (f32, index) -> tensor<?x2xf32>
  return %0, %1, %2, %3, %4 : tensor<8xi1>, tensor<8xf32>, tensor<8xf16>, tensor<3xf32>, tensor<?x2xf32>
}

// CHECK-LABEL: func.func @shape
// GENERIC-LABEL: sym_name = "shape"
func.func @shape(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) -> (tensor<5x2x3xf32>, tensor<3x2xf32>, tensor<6xf32>, tensor<1x2xf32>, tensor<6x3xf32>) {
  // CHECK: vm.broadcast %{{.+}} {dims = array<i64: 1, 2>} : tensor<2x3xf32> -> tensor<5x2x3xf32>
  // GENERIC: "vm.broadcast"(%{{.+}}) <{dims = array<i64: 1, 2>}> : (tensor<2x3xf32>) -> tensor<5x2x3xf32>
  %0 = "vm.broadcast"(%a) {dims = array<i64: 1, 2>} : (tensor<2x3xf32>) -> tensor<5x2x3xf32>
  // Properties syntax is accepted too.
  // CHECK: vm.transpose %{{.+}} {perm = array<i64: 1, 0>} : tensor<2x3xf32> -> tensor<3x2xf32>
  // GENERIC: "vm.transpose"(%{{.+}}) <{perm = array<i64: 1, 0>}> : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %1 = "vm.transpose"(%a) <{perm = array<i64: 1, 0>}> : (tensor<2x3xf32>) -> tensor<3x2xf32>
  // CHECK: vm.reshape %{{.+}} : tensor<2x3xf32> -> tensor<6xf32>
  // GENERIC: "vm.reshape"(%{{.+}}) : (tensor<2x3xf32>) -> tensor<6xf32>
  %2 = "vm.reshape"(%a) : (tensor<2x3xf32>) -> tensor<6xf32>
  // CHECK: vm.slice %{{.+}} {offsets = array<i64: 1, 0>, sizes = array<i64: 1, 2>, strides = array<i64: 1, 2>} : tensor<2x3xf32> -> tensor<1x2xf32>
  // GENERIC: "vm.slice"(%{{.+}}) <{offsets = array<i64: 1, 0>, sizes = array<i64: 1, 2>, strides = array<i64: 1, 2>}> : (tensor<2x3xf32>) -> tensor<1x2xf32>
  %3 = "vm.slice"(%a) {offsets = array<i64: 1, 0>, sizes = array<i64: 1, 2>, strides = array<i64: 1, 2>} : (tensor<2x3xf32>) -> tensor<1x2xf32>
  // CHECK: vm.concat %{{.+}}, %{{.+}} {dim = 0 : i64} : tensor<2x3xf32>, tensor<4x3xf32> -> tensor<6x3xf32>
  // GENERIC: "vm.concat"(%{{.+}}, %{{.+}}) <{dim = 0 : i64}> : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<6x3xf32>
  %4 = "vm.concat"(%a, %b) {dim = 0 : i64} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<6x3xf32>
  return %0, %1, %2, %3, %4 : tensor<5x2x3xf32>, tensor<3x2xf32>, tensor<6xf32>, tensor<1x2xf32>, tensor<6x3xf32>
}

// CHECK-LABEL: func.func @reduction_matrix
// GENERIC-LABEL: sym_name = "reduction_matrix"
func.func @reduction_matrix(%a: tensor<4x8xf16>, %b: tensor<8x4xf16>, %v: tensor<8xi8>, %x: tensor<2x4x8xf32>, %y: tensor<2x4x8xf32>)
    -> (tensor<4xf16>, tensor<i32>, tensor<4x4xf32>, tensor<4x4xf16>, tensor<2x4x4xf32>) {
  // CHECK: vm.reduce %{{.+}} {dims = array<i64: 1>, kind = "sum"} : tensor<4x8xf16> -> tensor<4xf16>
  // GENERIC: "vm.reduce"(%{{.+}}) <{dims = array<i64: 1>, kind = "sum"}> : (tensor<4x8xf16>) -> tensor<4xf16>
  %0 = "vm.reduce"(%a) {kind = "sum", dims = array<i64: 1>} : (tensor<4x8xf16>) -> tensor<4xf16>
  // CHECK: vm.dot %{{.+}}, %{{.+}} : tensor<8xi8> -> tensor<i32>
  // GENERIC: "vm.dot"(%{{.+}}, %{{.+}}) : (tensor<8xi8>, tensor<8xi8>) -> tensor<i32>
  %1 = "vm.dot"(%v, %v) : (tensor<8xi8>, tensor<8xi8>) -> tensor<i32>
  // CHECK: vm.matmul %{{.+}}, %{{.+}} : (tensor<4x8xf16>, tensor<8x4xf16>) -> tensor<4x4xf32>
  // GENERIC: "vm.matmul"(%{{.+}}, %{{.+}}) : (tensor<4x8xf16>, tensor<8x4xf16>) -> tensor<4x4xf32>
  %2 = "vm.matmul"(%a, %b) : (tensor<4x8xf16>, tensor<8x4xf16>) -> tensor<4x4xf32>
  // CHECK: vm.matmul %{{.+}}, %{{.+}} {transpose_a, transpose_b} : (tensor<8x4xf16>, tensor<4x8xf16>) -> tensor<4x4xf16>
  // GENERIC: "vm.matmul"(%{{.+}}, %{{.+}}) <{transpose_a, transpose_b}> : (tensor<8x4xf16>, tensor<4x8xf16>) -> tensor<4x4xf16>
  %3 = "vm.matmul"(%b, %a) {transpose_a, transpose_b} : (tensor<8x4xf16>, tensor<4x8xf16>) -> tensor<4x4xf16>
  // CHECK: vm.batch_matmul %{{.+}}, %{{.+}} {transpose_b} : tensor<2x4x8xf32> -> tensor<2x4x4xf32>
  // GENERIC: "vm.batch_matmul"(%{{.+}}, %{{.+}}) <{transpose_b}> : (tensor<2x4x8xf32>, tensor<2x4x8xf32>) -> tensor<2x4x4xf32>
  %4 = "vm.batch_matmul"(%x, %y) {transpose_b} : (tensor<2x4x8xf32>, tensor<2x4x8xf32>) -> tensor<2x4x4xf32>
  return %0, %1, %2, %3, %4 : tensor<4xf16>, tensor<i32>, tensor<4x4xf32>, tensor<4x4xf16>, tensor<2x4x4xf32>
}

// CHECK-LABEL: func.func @tensor_ops
// GENERIC-LABEL: sym_name = "tensor_ops"
func.func @tensor_ops(%i: tensor<1x8x8x3xf32>, %f: tensor<3x3x3x4xf32>, %s: tensor<2x10xf32>)
    -> (tensor<1x4x4x4xf32>, tensor<1x4x4x3xf32>, tensor<2x10xf32>) {
  // CHECK: vm.conv2d %{{.+}}, %{{.+}} {dilations = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x4x4x4xf32>
  // GENERIC: "vm.conv2d"(%{{.+}}, %{{.+}}) <{dilations = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}> : (tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x4x4x4xf32>
  %0 = "vm.conv2d"(%i, %f) {strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, padding = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x4x4x4xf32>
  // CHECK: vm.pool2d %{{.+}} {kind = "avg", strides = array<i64: 2, 2>, window = array<i64: 2, 2>} : tensor<1x8x8x3xf32> -> tensor<1x4x4x3xf32>
  // GENERIC: "vm.pool2d"(%{{.+}}) <{kind = "avg", strides = array<i64: 2, 2>, window = array<i64: 2, 2>}> : (tensor<1x8x8x3xf32>) -> tensor<1x4x4x3xf32>
  %1 = "vm.pool2d"(%i) {kind = "avg", window = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x8x8x3xf32>) -> tensor<1x4x4x3xf32>
  // CHECK: vm.softmax %{{.+}} {dim = 1 : i64} : tensor<2x10xf32>
  // GENERIC: "vm.softmax"(%{{.+}}) <{dim = 1 : i64}> : (tensor<2x10xf32>) -> tensor<2x10xf32>
  %2 = "vm.softmax"(%s) {dim = 1 : i64} : (tensor<2x10xf32>) -> tensor<2x10xf32>
  return %0, %1, %2 : tensor<1x4x4x4xf32>, tensor<1x4x4x3xf32>, tensor<2x10xf32>
}
