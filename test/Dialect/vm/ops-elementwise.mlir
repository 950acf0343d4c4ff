// RUN: vm-gpu-opt %s | FileCheck %s
// RUN: vm-gpu-opt %s --mlir-print-op-generic | vm-gpu-opt | FileCheck %s

// Round trip of elementwise binary/unary ops, fma and select over all element types and `unsigned`.

// CHECK-LABEL: func.func @binary_float
//  CHECK-SAME: (%[[A:.+]]: tensor<4x?xf32>, %[[B:.+]]: tensor<4x?xf32>)
func.func @binary_float(%a: tensor<4x?xf32>, %b: tensor<4x?xf32>) -> tensor<4x?xf32> {
  // CHECK: %[[ADD:.+]] = vm.add %[[A]], %[[B]] : tensor<4x?xf32>
  %0 = vm.add %a, %b : tensor<4x?xf32>
  // CHECK: %[[SUB:.+]] = vm.sub %[[ADD]], %[[B]] : tensor<4x?xf32>
  %1 = vm.sub %0, %b : tensor<4x?xf32>
  // CHECK: %[[MUL:.+]] = vm.mul %[[SUB]], %[[B]] : tensor<4x?xf32>
  %2 = vm.mul %1, %b : tensor<4x?xf32>
  // CHECK: %[[DIV:.+]] = vm.div %[[MUL]], %[[B]] : tensor<4x?xf32>
  %3 = vm.div %2, %b : tensor<4x?xf32>
  // CHECK: %[[REM:.+]] = vm.rem %[[DIV]], %[[B]] : tensor<4x?xf32>
  %4 = vm.rem %3, %b : tensor<4x?xf32>
  // CHECK: %[[MIN:.+]] = vm.min %[[REM]], %[[B]] : tensor<4x?xf32>
  %5 = vm.min %4, %b : tensor<4x?xf32>
  // CHECK: %[[MAX:.+]] = vm.max %[[MIN]], %[[B]] : tensor<4x?xf32>
  %6 = vm.max %5, %b : tensor<4x?xf32>
  // CHECK: %[[POW:.+]] = vm.pow %[[MAX]], %[[B]] : tensor<4x?xf32>
  %7 = vm.pow %6, %b : tensor<4x?xf32>
  // CHECK: return %[[POW]]
  return %7 : tensor<4x?xf32>
}

// CHECK-LABEL: func.func @binary_f16_bf16_f64
func.func @binary_f16_bf16_f64(%a: tensor<8xf16>, %b: tensor<2x?xbf16>, %c: tensor<f64>)
    -> (tensor<8xf16>, tensor<2x?xbf16>, tensor<f64>) {
  // CHECK: vm.pow %{{.+}}, %{{.+}} : tensor<8xf16>
  %0 = vm.pow %a, %a : tensor<8xf16>
  // CHECK: vm.max %{{.+}}, %{{.+}} : tensor<2x?xbf16>
  %1 = vm.max %b, %b : tensor<2x?xbf16>
  // CHECK: vm.div %{{.+}}, %{{.+}} : tensor<f64>
  %2 = vm.div %c, %c : tensor<f64>
  return %0, %1, %2 : tensor<8xf16>, tensor<2x?xbf16>, tensor<f64>
}

// CHECK-LABEL: func.func @binary_int
//  CHECK-SAME: (%[[A:.+]]: tensor<?xi32>, %[[B:.+]]: tensor<?xi32>)
func.func @binary_int(%a: tensor<?xi32>, %b: tensor<?xi32>) -> tensor<?xi32> {
  // CHECK: %[[ADD:.+]] = vm.add %[[A]], %[[B]] : tensor<?xi32>
  %0 = vm.add %a, %b : tensor<?xi32>
  // CHECK: %[[SUB:.+]] = vm.sub %[[ADD]], %[[B]] : tensor<?xi32>
  %1 = vm.sub %0, %b : tensor<?xi32>
  // CHECK: %[[MUL:.+]] = vm.mul %[[SUB]], %[[B]] : tensor<?xi32>
  %2 = vm.mul %1, %b : tensor<?xi32>
  // CHECK: %[[DIV:.+]] = vm.div %[[MUL]], %[[B]] : tensor<?xi32>
  %3 = vm.div %2, %b : tensor<?xi32>
  // CHECK: %[[REM:.+]] = vm.rem %[[DIV]], %[[B]] : tensor<?xi32>
  %4 = vm.rem %3, %b : tensor<?xi32>
  // CHECK: %[[MIN:.+]] = vm.min %[[REM]], %[[B]] : tensor<?xi32>
  %5 = vm.min %4, %b : tensor<?xi32>
  // CHECK: %[[MAX:.+]] = vm.max %[[MIN]], %[[B]] : tensor<?xi32>
  %6 = vm.max %5, %b : tensor<?xi32>
  // CHECK: %[[AND:.+]] = vm.and %[[MAX]], %[[B]] : tensor<?xi32>
  %7 = vm.and %6, %b : tensor<?xi32>
  // CHECK: %[[OR:.+]] = vm.or %[[AND]], %[[B]] : tensor<?xi32>
  %8 = vm.or %7, %b : tensor<?xi32>
  // CHECK: %[[XOR:.+]] = vm.xor %[[OR]], %[[B]] : tensor<?xi32>
  %9 = vm.xor %8, %b : tensor<?xi32>
  // CHECK: %[[SHL:.+]] = vm.shl %[[XOR]], %[[B]] : tensor<?xi32>
  %10 = vm.shl %9, %b : tensor<?xi32>
  // CHECK: %[[SHR:.+]] = vm.shr %[[SHL]], %[[B]] : tensor<?xi32>
  %11 = vm.shr %10, %b : tensor<?xi32>
  // CHECK: %[[ADDS:.+]] = vm.add_sat %[[SHR]], %[[B]] : tensor<?xi32>
  %12 = vm.add_sat %11, %b : tensor<?xi32>
  // CHECK: %[[SUBS:.+]] = vm.sub_sat %[[ADDS]], %[[B]] : tensor<?xi32>
  %13 = vm.sub_sat %12, %b : tensor<?xi32>
  // CHECK: return %[[SUBS]]
  return %13 : tensor<?xi32>
}

// CHECK-LABEL: func.func @binary_unsigned
//  CHECK-SAME: (%[[A:.+]]: tensor<3x?xi8>, %[[B:.+]]: tensor<3x?xi8>)
func.func @binary_unsigned(%a: tensor<3x?xi8>, %b: tensor<3x?xi8>) -> tensor<3x?xi8> {
  // CHECK: %[[DIV:.+]] = vm.div %[[A]], %[[B]] {unsigned} : tensor<3x?xi8>
  %0 = vm.div %a, %b {unsigned} : tensor<3x?xi8>
  // CHECK: %[[REM:.+]] = vm.rem %[[DIV]], %[[B]] {unsigned} : tensor<3x?xi8>
  %1 = vm.rem %0, %b {unsigned} : tensor<3x?xi8>
  // CHECK: %[[MIN:.+]] = vm.min %[[REM]], %[[B]] {unsigned} : tensor<3x?xi8>
  %2 = vm.min %1, %b {unsigned} : tensor<3x?xi8>
  // CHECK: %[[MAX:.+]] = vm.max %[[MIN]], %[[B]] {unsigned} : tensor<3x?xi8>
  %3 = vm.max %2, %b {unsigned} : tensor<3x?xi8>
  // CHECK: %[[SHR:.+]] = vm.shr %[[MAX]], %[[B]] {unsigned} : tensor<3x?xi8>
  %4 = vm.shr %3, %b {unsigned} : tensor<3x?xi8>
  // CHECK: %[[ADDS:.+]] = vm.add_sat %[[SHR]], %[[B]] {unsigned} : tensor<3x?xi8>
  %5 = vm.add_sat %4, %b {unsigned} : tensor<3x?xi8>
  // CHECK: %[[SUBS:.+]] = vm.sub_sat %[[ADDS]], %[[B]] {unsigned} : tensor<3x?xi8>
  %6 = vm.sub_sat %5, %b {unsigned} : tensor<3x?xi8>
  // CHECK: return %[[SUBS]]
  return %6 : tensor<3x?xi8>
}

// CHECK-LABEL: func.func @binary_int_widths
func.func @binary_int_widths(%a: tensor<16xi1>, %b: tensor<2x2xi16>, %c: tensor<?x?xi64>, %d: tensor<i8>)
    -> (tensor<16xi1>, tensor<2x2xi16>, tensor<?x?xi64>, tensor<i8>) {
  // CHECK: vm.xor %{{.+}}, %{{.+}} : tensor<16xi1>
  %0 = vm.xor %a, %a : tensor<16xi1>
  // CHECK: vm.shl %{{.+}}, %{{.+}} : tensor<2x2xi16>
  %1 = vm.shl %b, %b : tensor<2x2xi16>
  // CHECK: vm.sub_sat %{{.+}}, %{{.+}} {unsigned} : tensor<?x?xi64>
  %2 = vm.sub_sat %c, %c {unsigned} : tensor<?x?xi64>
  // CHECK: vm.mul %{{.+}}, %{{.+}} : tensor<i8>
  %3 = vm.mul %d, %d : tensor<i8>
  return %0, %1, %2, %3 : tensor<16xi1>, tensor<2x2xi16>, tensor<?x?xi64>, tensor<i8>
}

// Operands may be more or less static than one another and the result.
// CHECK-LABEL: func.func @binary_mixed_static
func.func @binary_mixed_static(%a: tensor<4x?xf32>, %b: tensor<?x8xf32>) -> tensor<4x8xf32> {
  // CHECK: vm.add %{{.+}}, %{{.+}} : (tensor<4x?xf32>, tensor<?x8xf32>) -> tensor<4x8xf32>
  %0 = vm.add %a, %b : (tensor<4x?xf32>, tensor<?x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// CHECK-LABEL: func.func @unary_float
//  CHECK-SAME: (%[[A:.+]]: tensor<?x16xf16>)
func.func @unary_float(%a: tensor<?x16xf16>) -> tensor<?x16xf16> {
  // CHECK: %[[NEG:.+]] = vm.neg %[[A]] : tensor<?x16xf16>
  %0 = vm.neg %a : tensor<?x16xf16>
  // CHECK: %[[ABS:.+]] = vm.abs %[[NEG]] : tensor<?x16xf16>
  %1 = vm.abs %0 : tensor<?x16xf16>
  // CHECK: %[[SQRT:.+]] = vm.sqrt %[[ABS]] : tensor<?x16xf16>
  %2 = vm.sqrt %1 : tensor<?x16xf16>
  // CHECK: %[[RSQRT:.+]] = vm.rsqrt %[[SQRT]] : tensor<?x16xf16>
  %3 = vm.rsqrt %2 : tensor<?x16xf16>
  // CHECK: %[[EXP:.+]] = vm.exp %[[RSQRT]] : tensor<?x16xf16>
  %4 = vm.exp %3 : tensor<?x16xf16>
  // CHECK: %[[LOG:.+]] = vm.log %[[EXP]] : tensor<?x16xf16>
  %5 = vm.log %4 : tensor<?x16xf16>
  // CHECK: %[[TANH:.+]] = vm.tanh %[[LOG]] : tensor<?x16xf16>
  %6 = vm.tanh %5 : tensor<?x16xf16>
  // CHECK: %[[SIG:.+]] = vm.sigmoid %[[TANH]] : tensor<?x16xf16>
  %7 = vm.sigmoid %6 : tensor<?x16xf16>
  // CHECK: %[[RELU:.+]] = vm.relu %[[SIG]] : tensor<?x16xf16>
  %8 = vm.relu %7 : tensor<?x16xf16>
  // CHECK: %[[GELU:.+]] = vm.gelu %[[RELU]] : tensor<?x16xf16>
  %9 = vm.gelu %8 : tensor<?x16xf16>
  // CHECK: %[[FLOOR:.+]] = vm.floor %[[GELU]] : tensor<?x16xf16>
  %10 = vm.floor %9 : tensor<?x16xf16>
  // CHECK: %[[CEIL:.+]] = vm.ceil %[[FLOOR]] : tensor<?x16xf16>
  %11 = vm.ceil %10 : tensor<?x16xf16>
  // CHECK: return %[[CEIL]]
  return %11 : tensor<?x16xf16>
}

// CHECK-LABEL: func.func @unary_other_types
func.func @unary_other_types(%a: tensor<2xbf16>, %b: tensor<?xf64>, %c: tensor<3xi64>, %d: tensor<4xi1>, %e: tensor<f32>)
    -> (tensor<2xbf16>, tensor<?xf64>, tensor<3xi64>, tensor<3xi64>, tensor<4xi1>, tensor<f32>) {
  // CHECK: vm.gelu %{{.+}} : tensor<2xbf16>
  %0 = vm.gelu %a : tensor<2xbf16>
  // CHECK: vm.sigmoid %{{.+}} : tensor<?xf64>
  %1 = vm.sigmoid %b : tensor<?xf64>
  // CHECK: vm.abs %{{.+}} : tensor<3xi64>
  %2 = vm.abs %c : tensor<3xi64>
  // CHECK: vm.relu %{{.+}} : tensor<3xi64>
  %3 = vm.relu %2 : tensor<3xi64>
  // CHECK: vm.not %{{.+}} : tensor<4xi1>
  %4 = vm.not %d : tensor<4xi1>
  // CHECK: vm.exp %{{.+}} : tensor<f32>
  %5 = vm.exp %e : tensor<f32>
  return %0, %1, %2, %3, %4, %5 : tensor<2xbf16>, tensor<?xf64>, tensor<3xi64>, tensor<3xi64>, tensor<4xi1>, tensor<f32>
}

// CHECK-LABEL: func.func @unary_int
//  CHECK-SAME: (%[[A:.+]]: tensor<8x?xi16>)
func.func @unary_int(%a: tensor<8x?xi16>) -> tensor<8x?xi16> {
  // CHECK: %[[NEG:.+]] = vm.neg %[[A]] : tensor<8x?xi16>
  %0 = vm.neg %a : tensor<8x?xi16>
  // CHECK: %[[NOT:.+]] = vm.not %[[NEG]] : tensor<8x?xi16>
  %1 = vm.not %0 : tensor<8x?xi16>
  // CHECK: return %[[NOT]]
  return %1 : tensor<8x?xi16>
}

// CHECK-LABEL: func.func @fma
//  CHECK-SAME: (%[[A:.+]]: tensor<4xf32>, %[[B:.+]]: tensor<4xf32>, %[[C:.+]]: tensor<4xf32>, %[[D:.+]]: tensor<?x2xf64>)
func.func @fma(%a: tensor<4xf32>, %b: tensor<4xf32>, %c: tensor<4xf32>, %d: tensor<?x2xf64>)
    -> (tensor<4xf32>, tensor<?x2xf64>) {
  // CHECK: vm.fma %[[A]], %[[B]], %[[C]] : tensor<4xf32>
  %0 = vm.fma %a, %b, %c : tensor<4xf32>
  // CHECK: vm.fma %[[D]], %[[D]], %[[D]] : tensor<?x2xf64>
  %1 = vm.fma %d, %d, %d : tensor<?x2xf64>
  return %0, %1 : tensor<4xf32>, tensor<?x2xf64>
}

// CHECK-LABEL: func.func @fma_int
func.func @fma_int(%a: tensor<4xi32>) -> tensor<4xi32> {
  // CHECK: vm.fma %{{.+}}, %{{.+}}, %{{.+}} : tensor<4xi32>
  %0 = vm.fma %a, %a, %a : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// CHECK-LABEL: func.func @select
//  CHECK-SAME: (%[[C:.+]]: tensor<4x?xi1>, %[[A:.+]]: tensor<4x?xf32>, %[[B:.+]]: tensor<4x?xf32>, %[[D:.+]]: tensor<4x?xi8>)
func.func @select(%c: tensor<4x?xi1>, %a: tensor<4x?xf32>, %b: tensor<4x?xf32>, %d: tensor<4x?xi8>)
    -> (tensor<4x?xf32>, tensor<4x?xi8>, tensor<4x?xi1>) {
  // CHECK: vm.select %[[C]], %[[A]], %[[B]] : (tensor<4x?xi1>, tensor<4x?xf32>, tensor<4x?xf32>) -> tensor<4x?xf32>
  %0 = vm.select %c, %a, %b : (tensor<4x?xi1>, tensor<4x?xf32>, tensor<4x?xf32>) -> tensor<4x?xf32>
  // CHECK: vm.select %[[C]], %[[D]], %[[D]] : (tensor<4x?xi1>, tensor<4x?xi8>, tensor<4x?xi8>) -> tensor<4x?xi8>
  %1 = vm.select %c, %d, %d : (tensor<4x?xi1>, tensor<4x?xi8>, tensor<4x?xi8>) -> tensor<4x?xi8>
  // An all-i1 select spells its type once.
  // CHECK: vm.select %[[C]], %[[C]], %[[C]] : tensor<4x?xi1>
  %2 = vm.select %c, %c, %c : tensor<4x?xi1>
  return %0, %1, %2 : tensor<4x?xf32>, tensor<4x?xi8>, tensor<4x?xi1>
}

// Contract v2: transcendental functions, round and sign on floats; sign and
// pow on integers, with and without `unsigned`.
// CHECK-LABEL: func.func @unary_float_v2
func.func @unary_float_v2(%a: tensor<?xbf16>) -> tensor<?xbf16> {
  // CHECK: vm.sin %{{.+}} : tensor<?xbf16>
  %0 = vm.sin %a : tensor<?xbf16>
  // CHECK-NEXT: vm.cos
  %1 = vm.cos %0 : tensor<?xbf16>
  // CHECK-NEXT: vm.tan
  %2 = vm.tan %1 : tensor<?xbf16>
  // CHECK-NEXT: vm.asin
  %3 = vm.asin %2 : tensor<?xbf16>
  // CHECK-NEXT: vm.acos
  %4 = vm.acos %3 : tensor<?xbf16>
  // CHECK-NEXT: vm.atan
  %5 = vm.atan %4 : tensor<?xbf16>
  // CHECK-NEXT: vm.sinh
  %6 = vm.sinh %5 : tensor<?xbf16>
  // CHECK-NEXT: vm.cosh
  %7 = vm.cosh %6 : tensor<?xbf16>
  // CHECK-NEXT: vm.asinh
  %8 = vm.asinh %7 : tensor<?xbf16>
  // CHECK-NEXT: vm.acosh
  %9 = vm.acosh %8 : tensor<?xbf16>
  // CHECK-NEXT: vm.atanh
  %10 = vm.atanh %9 : tensor<?xbf16>
  // CHECK-NEXT: vm.erf
  %11 = vm.erf %10 : tensor<?xbf16>
  // CHECK-NEXT: vm.round
  %12 = vm.round %11 : tensor<?xbf16>
  // CHECK-NEXT: vm.sign %{{.+}} : tensor<?xbf16>
  %13 = vm.sign %12 : tensor<?xbf16>
  return %13 : tensor<?xbf16>
}

// CHECK-LABEL: func.func @integer_v2
func.func @integer_v2(%a: tensor<3xi16>) -> (tensor<3xi16>, tensor<3xi16>, tensor<3xi16>, tensor<3xi16>) {
  // CHECK: vm.sign %{{.+}} : tensor<3xi16>
  %0 = vm.sign %a : tensor<3xi16>
  // CHECK: vm.sign %{{.+}} {unsigned} : tensor<3xi16>
  %1 = vm.sign %a {unsigned} : tensor<3xi16>
  // CHECK: vm.pow %{{.+}}, %{{.+}} : tensor<3xi16>
  %2 = vm.pow %a, %a : tensor<3xi16>
  // CHECK: vm.pow %{{.+}}, %{{.+}} {unsigned} : tensor<3xi16>
  %3 = vm.pow %a, %a {unsigned} : tensor<3xi16>
  return %0, %1, %2, %3 : tensor<3xi16>, tensor<3xi16>, tensor<3xi16>, tensor<3xi16>
}
