// RUN: vm-gpu-opt %s --vm-to-linalg | FileCheck %s

// vm-to-linalg for the contract's second round of elementwise ops: the
// transcendental functions become math ops (narrow floats in f32, rounded
// once), round is roundeven, sign and integer pow are built from arith.

// CHECK-LABEL: func.func @transcendental
//       CHECK: math.sin %{{.+}} : f32
//       CHECK: math.cos
//       CHECK: math.tan
//       CHECK: math.asin
//       CHECK: math.acos
//       CHECK: math.atan
//       CHECK: math.sinh
//       CHECK: math.cosh
//       CHECK: math.asinh
//       CHECK: math.acosh
//       CHECK: math.atanh
//       CHECK: math.erf
//       CHECK: math.roundeven
func.func @transcendental(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = vm.sin %a : tensor<4xf32>
  %1 = vm.cos %0 : tensor<4xf32>
  %2 = vm.tan %1 : tensor<4xf32>
  %3 = vm.asin %2 : tensor<4xf32>
  %4 = vm.acos %3 : tensor<4xf32>
  %5 = vm.atan %4 : tensor<4xf32>
  %6 = vm.sinh %5 : tensor<4xf32>
  %7 = vm.cosh %6 : tensor<4xf32>
  %8 = vm.asinh %7 : tensor<4xf32>
  %9 = vm.acosh %8 : tensor<4xf32>
  %10 = vm.atanh %9 : tensor<4xf32>
  %11 = vm.erf %10 : tensor<4xf32>
  %12 = vm.round %11 : tensor<4xf32>
  return %12 : tensor<4xf32>
}

// f16 computes in f32 and rounds once.
// CHECK-LABEL: func.func @narrow
//       CHECK: ^bb0(%[[X:.+]]: f16, %{{.+}}: f16):
//  CHECK-NEXT:   %[[W:.+]] = arith.extf %[[X]] : f16 to f32
//  CHECK-NEXT:   %[[R:.+]] = math.atanh %[[W]] : f32
//  CHECK-NEXT:   arith.truncf %[[R]] : f32 to f16
func.func @narrow(%a: tensor<4xf16>) -> tensor<4xf16> {
  %0 = vm.atanh %a : tensor<4xf16>
  return %0 : tensor<4xf16>
}

// Float sign: +-1 where the input compares above or below 0, else the input
// itself (+-0, NaN), with no widening.
// CHECK-LABEL: func.func @sign_float
//       CHECK: ^bb0(%[[X:.+]]: bf16, %{{.+}}: bf16):
//       CHECK:   %[[GT:.+]] = arith.cmpf ogt, %[[X]], %{{.+}} : bf16
//       CHECK:   %[[LT:.+]] = arith.cmpf olt, %[[X]], %{{.+}} : bf16
//       CHECK:   %[[NEG:.+]] = arith.select %[[LT]], %{{.+}}, %[[X]] : bf16
//       CHECK:   %[[R:.+]] = arith.select %[[GT]], %{{.+}}, %[[NEG]] : bf16
//  CHECK-NEXT:   linalg.yield %[[R]]
func.func @sign_float(%a: tensor<4xbf16>) -> tensor<4xbf16> {
  %0 = vm.sign %a : tensor<4xbf16>
  return %0 : tensor<4xbf16>
}

// Integer sign: signed gives -1 for negatives; unsigned only 0 or 1.
// CHECK-LABEL: func.func @sign_int
//       CHECK: arith.cmpi ne
//       CHECK: arith.cmpi slt
//       CHECK: linalg.yield
//       CHECK: arith.cmpi ne
//   CHECK-NOT: arith.cmpi slt
//       CHECK: linalg.yield
func.func @sign_int(%a: tensor<4xi8>) -> (tensor<4xi8>, tensor<4xi8>) {
  %0 = vm.sign %a : tensor<4xi8>
  %1 = vm.sign %a {unsigned} : tensor<4xi8>
  return %0, %1 : tensor<4xi8>, tensor<4xi8>
}

// Integer pow: one multiply-and-select per exponent bit (8 for i8), no
// loop; signed exponents then select the negative-exponent rule.
// CHECK-LABEL: func.func @pow_int
//       CHECK: ^bb0(%[[B:.+]]: i8, %[[E:.+]]: i8, %{{.+}}: i8):
//   CHECK-NOT: scf.
// CHECK-COUNT-8: arith.select %{{.+}}, %{{.+}}, %{{.+}} : i8
//       CHECK: arith.cmpi slt, %[[E]]
//       CHECK: linalg.yield
//       CHECK: ^bb0(%[[B2:.+]]: i8, %[[E2:.+]]: i8, %{{.+}}: i8):
//   CHECK-NOT: arith.cmpi slt
//       CHECK: linalg.yield
func.func @pow_int(%a: tensor<4xi8>, %b: tensor<4xi8>) -> (tensor<4xi8>, tensor<4xi8>) {
  %0 = vm.pow %a, %b : tensor<4xi8>
  %1 = vm.pow %a, %b {unsigned} : tensor<4xi8>
  return %0, %1 : tensor<4xi8>, tensor<4xi8>
}
