// RUN: vm-gpu-opt %s --vm-to-linalg | FileCheck %s

// vm.iota: a generic with no inputs; the body converts linalg.index of `dim`
// with vm.convert's rules; dynamic sizes are checked to be non-negative.

// CHECK-LABEL: func.func @iota_int
//  CHECK-SAME: (%[[N:.+]]: index)
//       CHECK: %[[OK:.+]] = arith.cmpi sge, %[[N]], %{{.+}} : index
//       CHECK: cf.assert %[[OK]], "'vm.iota' at {{.+}}: dynamic size #0 must not be negative"
//       CHECK: %[[E:.+]] = tensor.empty(%[[N]]) : tensor<3x?xi8>
//       CHECK: linalg.generic {{.+}} iterator_types = ["parallel", "parallel"]} outs(%[[E]] : tensor<3x?xi8>)
//  CHECK-NEXT: ^bb0(%{{.+}}: i8):
//  CHECK-NEXT:   %[[I:.+]] = linalg.index 1 : index
//  CHECK-NEXT:   %[[W:.+]] = arith.index_castui %[[I]] : index to i64
//  CHECK-NEXT:   %[[T:.+]] = arith.trunci %[[W]] : i64 to i8
//  CHECK-NEXT:   linalg.yield %[[T]] : i8
func.func @iota_int(%n: index) -> tensor<3x?xi8> {
  %0 = vm.iota [%n] {dim = 1 : i64} : tensor<3x?xi8>
  return %0 : tensor<3x?xi8>
}

// Floats round once to nearest even (vm.convert from i64).
// CHECK-LABEL: func.func @iota_float
//       CHECK: linalg.index 0 : index
//       CHECK: arith.uitofp
//       CHECK: linalg.yield %{{.+}} : f16
func.func @iota_float() -> tensor<5xf16> {
  %0 = vm.iota {dim = 0 : i64} : tensor<5xf16>
  return %0 : tensor<5xf16>
}
