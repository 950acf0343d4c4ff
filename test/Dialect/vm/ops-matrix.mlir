// RUN: vm-gpu-opt %s | FileCheck %s
// RUN: vm-gpu-opt %s --mlir-print-op-generic | vm-gpu-opt | FileCheck %s

// Round trip of vm.matmul and vm.batch_matmul with transposes and widening accumulators.

// CHECK-LABEL: func.func @matmul
//  CHECK-SAME: (%[[A:.+]]: tensor<4x8xf32>, %[[B:.+]]: tensor<8x16xf32>, %[[AT:.+]]: tensor<8x4xf32>, %[[BT:.+]]: tensor<16x8xf32>)
func.func @matmul(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %at: tensor<8x4xf32>, %bt: tensor<16x8xf32>)
    -> (tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>) {
  // CHECK: vm.matmul %[[A]], %[[B]] : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  %0 = vm.matmul %a, %b : (tensor<4x8xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  // CHECK: vm.matmul %[[AT]], %[[B]] {transpose_a} : (tensor<8x4xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  %1 = vm.matmul %at, %b {transpose_a} : (tensor<8x4xf32>, tensor<8x16xf32>) -> tensor<4x16xf32>
  // CHECK: vm.matmul %[[A]], %[[BT]] {transpose_b} : (tensor<4x8xf32>, tensor<16x8xf32>) -> tensor<4x16xf32>
  %2 = vm.matmul %a, %bt {transpose_b} : (tensor<4x8xf32>, tensor<16x8xf32>) -> tensor<4x16xf32>
  // CHECK: vm.matmul %[[AT]], %[[BT]] {transpose_a, transpose_b} : (tensor<8x4xf32>, tensor<16x8xf32>) -> tensor<4x16xf32>
  %3 = vm.matmul %at, %bt {transpose_a, transpose_b} : (tensor<8x4xf32>, tensor<16x8xf32>) -> tensor<4x16xf32>
  return %0, %1, %2, %3 : tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>
}

// CHECK-LABEL: func.func @matmul_widening
//  CHECK-SAME: (%[[H:.+]]: tensor<?x32xf16>, %[[BF:.+]]: tensor<32x32xbf16>, %[[I:.+]]: tensor<16x32xi8>, %[[J:.+]]: tensor<32x?xi8>)
func.func @matmul_widening(%h: tensor<?x32xf16>, %bf: tensor<32x32xbf16>, %i: tensor<16x32xi8>, %j: tensor<32x?xi8>)
    -> (tensor<?x?xf32>, tensor<?x?xf16>, tensor<32x32xf32>, tensor<16x?xi32>, tensor<16x?xi8>) {
  // CHECK: vm.matmul %[[H]], %[[H]] {transpose_b} : tensor<?x32xf16> -> tensor<?x?xf32>
  %0 = vm.matmul %h, %h {transpose_b} : tensor<?x32xf16> -> tensor<?x?xf32>
  // CHECK: vm.matmul %[[H]], %[[H]] {transpose_b} : tensor<?x32xf16> -> tensor<?x?xf16>
  %1 = vm.matmul %h, %h {transpose_b} : tensor<?x32xf16> -> tensor<?x?xf16>
  // CHECK: vm.matmul %[[BF]], %[[BF]] {transpose_a} : tensor<32x32xbf16> -> tensor<32x32xf32>
  %2 = vm.matmul %bf, %bf {transpose_a} : tensor<32x32xbf16> -> tensor<32x32xf32>
  // CHECK: vm.matmul %[[I]], %[[J]] : (tensor<16x32xi8>, tensor<32x?xi8>) -> tensor<16x?xi32>
  %3 = vm.matmul %i, %j : (tensor<16x32xi8>, tensor<32x?xi8>) -> tensor<16x?xi32>
  // CHECK: vm.matmul %[[I]], %[[J]] : (tensor<16x32xi8>, tensor<32x?xi8>) -> tensor<16x?xi8>
  %4 = vm.matmul %i, %j : (tensor<16x32xi8>, tensor<32x?xi8>) -> tensor<16x?xi8>
  return %0, %1, %2, %3, %4 : tensor<?x?xf32>, tensor<?x?xf16>, tensor<32x32xf32>, tensor<16x?xi32>, tensor<16x?xi8>
}

// CHECK-LABEL: func.func @matmul_other_types
func.func @matmul_other_types(%a: tensor<2x2xf64>, %b: tensor<2x2xi16>, %c: tensor<2x2xi64>, %d: tensor<2x2xi1>, %e: tensor<?x?xi32>)
    -> (tensor<2x2xf64>, tensor<2x2xi16>, tensor<2x2xi64>, tensor<2x2xi1>, tensor<?x?xi32>) {
  // CHECK: vm.matmul %{{.+}}, %{{.+}} : tensor<2x2xf64>
  %0 = vm.matmul %a, %a : tensor<2x2xf64>
  // CHECK: vm.matmul %{{.+}}, %{{.+}} : tensor<2x2xi16>
  %1 = vm.matmul %b, %b : tensor<2x2xi16>
  // CHECK: vm.matmul %{{.+}}, %{{.+}} : tensor<2x2xi64>
  %2 = vm.matmul %c, %c : tensor<2x2xi64>
  // CHECK: vm.matmul %{{.+}}, %{{.+}} : tensor<2x2xi1>
  %3 = vm.matmul %d, %d : tensor<2x2xi1>
  // CHECK: vm.matmul %{{.+}}, %{{.+}} {transpose_a, transpose_b} : tensor<?x?xi32>
  %4 = vm.matmul %e, %e {transpose_a, transpose_b} : tensor<?x?xi32>
  return %0, %1, %2, %3, %4 : tensor<2x2xf64>, tensor<2x2xi16>, tensor<2x2xi64>, tensor<2x2xi1>, tensor<?x?xi32>
}

// CHECK-LABEL: func.func @batch_matmul
//  CHECK-SAME: (%[[A:.+]]: tensor<2x4x8xf32>, %[[B:.+]]: tensor<2x8x16xf32>, %[[AT:.+]]: tensor<?x8x4xf32>, %[[BT:.+]]: tensor<2x16x8xf32>)
func.func @batch_matmul(%a: tensor<2x4x8xf32>, %b: tensor<2x8x16xf32>, %at: tensor<?x8x4xf32>, %bt: tensor<2x16x8xf32>)
    -> (tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<?x4x16xf32>) {
  // CHECK: vm.batch_matmul %[[A]], %[[B]] : (tensor<2x4x8xf32>, tensor<2x8x16xf32>) -> tensor<2x4x16xf32>
  %0 = vm.batch_matmul %a, %b : (tensor<2x4x8xf32>, tensor<2x8x16xf32>) -> tensor<2x4x16xf32>
  // CHECK: vm.batch_matmul %[[AT]], %[[B]] {transpose_a} : (tensor<?x8x4xf32>, tensor<2x8x16xf32>) -> tensor<2x4x16xf32>
  %1 = vm.batch_matmul %at, %b {transpose_a} : (tensor<?x8x4xf32>, tensor<2x8x16xf32>) -> tensor<2x4x16xf32>
  // CHECK: vm.batch_matmul %[[A]], %[[BT]] {transpose_b} : (tensor<2x4x8xf32>, tensor<2x16x8xf32>) -> tensor<2x4x16xf32>
  %2 = vm.batch_matmul %a, %bt {transpose_b} : (tensor<2x4x8xf32>, tensor<2x16x8xf32>) -> tensor<2x4x16xf32>
  // CHECK: vm.batch_matmul %[[AT]], %[[BT]] {transpose_a, transpose_b} : (tensor<?x8x4xf32>, tensor<2x16x8xf32>) -> tensor<?x4x16xf32>
  %3 = vm.batch_matmul %at, %bt {transpose_a, transpose_b} : (tensor<?x8x4xf32>, tensor<2x16x8xf32>) -> tensor<?x4x16xf32>
  return %0, %1, %2, %3 : tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<2x4x16xf32>, tensor<?x4x16xf32>
}

// CHECK-LABEL: func.func @batch_matmul_widening
//  CHECK-SAME: (%[[H:.+]]: tensor<3x4x8xf16>, %[[BF:.+]]: tensor<3x8x8xbf16>, %[[I:.+]]: tensor<?x?x?xi8>)
func.func @batch_matmul_widening(%h: tensor<3x4x8xf16>, %bf: tensor<3x8x8xbf16>, %i: tensor<?x?x?xi8>)
    -> (tensor<3x4x4xf32>, tensor<3x8x8xf32>, tensor<?x?x?xi32>) {
  // CHECK: vm.batch_matmul %[[H]], %[[H]] {transpose_b} : tensor<3x4x8xf16> -> tensor<3x4x4xf32>
  %0 = vm.batch_matmul %h, %h {transpose_b} : tensor<3x4x8xf16> -> tensor<3x4x4xf32>
  // CHECK: vm.batch_matmul %[[BF]], %[[BF]] : tensor<3x8x8xbf16> -> tensor<3x8x8xf32>
  %1 = vm.batch_matmul %bf, %bf : tensor<3x8x8xbf16> -> tensor<3x8x8xf32>
  // CHECK: vm.batch_matmul %[[I]], %[[I]] : tensor<?x?x?xi8> -> tensor<?x?x?xi32>
  %2 = vm.batch_matmul %i, %i : tensor<?x?x?xi8> -> tensor<?x?x?xi32>
  return %0, %1, %2 : tensor<3x4x4xf32>, tensor<3x8x8xf32>, tensor<?x?x?xi32>
}
