// RUN: vm-gpu-opt %s --vm-to-linalg | FileCheck %s

// vm-to-linalg, elementwise family: one linalg.generic with identity maps per
// op, whose body carries the contract's scalar semantics (ScalarSemantics.cpp).

// CHECK-DAG: #[[ID:.+]] = affine_map<(d0) -> (d0)>
// CHECK-DAG: #[[ID2:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ID0:.+]] = affine_map<() -> ()>

// CHECK-LABEL: func.func @add_float(
//  CHECK-SAME: %[[A:.+]]: tensor<4x?xf32>, %[[B:.+]]: tensor<4x?xf32>)
//       CHECK: %[[C1:.+]] = arith.constant 1 : index
//       CHECK: %[[D:.+]] = tensor.dim %[[A]], %[[C1]]
//       CHECK: %[[INIT:.+]] = tensor.empty(%[[D]]) : tensor<4x?xf32>
//       CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#[[ID2]], #[[ID2]], #[[ID2]]], iterator_types = ["parallel", "parallel"]}
//  CHECK-SAME: ins(%[[A]], %[[B]] : tensor<4x?xf32>, tensor<4x?xf32>) outs(%[[INIT]] : tensor<4x?xf32>)
//  CHECK-NEXT: ^bb0(%[[X:.+]]: f32, %[[Y:.+]]: f32, %{{.+}}: f32):
//  CHECK-NEXT:   %[[S:.+]] = arith.addf %[[X]], %[[Y]] : f32
//  CHECK-NEXT:   linalg.yield %[[S]] : f32
//       CHECK: return %[[R]]
//   CHECK-NOT: vm.
func.func @add_float(%a: tensor<4x?xf32>, %b: tensor<4x?xf32>) -> tensor<4x?xf32> {
  %0 = vm.add %a, %b : tensor<4x?xf32>
  return %0 : tensor<4x?xf32>
}

// A float mul and add stay two separately rounded ops.
// CHECK-LABEL: func.func @mul_add_float(
//       CHECK: linalg.generic
//       CHECK:   arith.mulf %{{.+}}, %{{.+}} : f64
//   CHECK-NOT:   math.fma
//       CHECK: linalg.generic
//       CHECK:   arith.addf %{{.+}}, %{{.+}} : f64
//   CHECK-NOT: math.fma
//       CHECK: return
func.func @mul_add_float(%a: tensor<8xf64>, %b: tensor<8xf64>) -> tensor<8xf64> {
  %0 = vm.mul %a, %b : tensor<8xf64>
  %1 = vm.add %0, %b : tensor<8xf64>
  return %1 : tensor<8xf64>
}

// Integer arithmetic wraps: plain arith ops.
// CHECK-LABEL: func.func @int_arith(
//       CHECK: arith.addi %{{.+}}, %{{.+}} : i16
//       CHECK: arith.subi %{{.+}}, %{{.+}} : i16
//       CHECK: arith.muli %{{.+}}, %{{.+}} : i16
//       CHECK: arith.andi %{{.+}}, %{{.+}} : i16
//       CHECK: arith.ori %{{.+}}, %{{.+}} : i16
//       CHECK: arith.xori %{{.+}}, %{{.+}} : i16
//       CHECK: arith.andi %{{.+}}, %{{.+}} : i1
func.func @int_arith(%a: tensor<4xi16>, %b: tensor<4xi16>, %m: tensor<4xi1>) -> (tensor<4xi16>, tensor<4xi1>) {
  %0 = vm.add %a, %b : tensor<4xi16>
  %1 = vm.sub %0, %b : tensor<4xi16>
  %2 = vm.mul %1, %b : tensor<4xi16>
  %3 = vm.and %2, %b : tensor<4xi16>
  %4 = vm.or %3, %b : tensor<4xi16>
  %5 = vm.xor %4, %b : tensor<4xi16>
  %6 = vm.and %m, %m : tensor<4xi1>
  return %5, %6 : tensor<4xi16>, tensor<4xi1>
}

//===----------------------------------------------------------------------===//
// Integer division and remainder: x / 0 = all ones, x rem 0 = x,
// MIN / -1 = MIN, MIN rem -1 = 0 (the divisor is replaced by 1).
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @div_signed(
//       CHECK: ^bb0(%[[X:.+]]: i32, %[[Y:.+]]: i32, %{{.+}}: i32):
//   CHECK-DAG:   %[[ZERO:.+]] = arith.constant 0 : i32
//   CHECK-DAG:   %[[ONE:.+]] = arith.constant 1 : i32
//   CHECK-DAG:   %[[MIN:.+]] = arith.constant -2147483648 : i32
//   CHECK-DAG:   %[[M1:.+]] = arith.constant -1 : i32
//   CHECK-DAG:   %[[BYZERO:.+]] = arith.cmpi eq, %[[Y]], %[[ZERO]] : i32
//   CHECK-DAG:   %[[XMIN:.+]] = arith.cmpi eq, %[[X]], %[[MIN]] : i32
//   CHECK-DAG:   %[[YM1:.+]] = arith.cmpi eq, %[[Y]], %[[M1]] : i32
//       CHECK:   %[[OVF:.+]] = arith.andi %[[XMIN]], %[[YM1]] : i1
//       CHECK:   %[[UNSAFE:.+]] = arith.ori %[[BYZERO]], %[[OVF]] : i1
//       CHECK:   %[[DIVISOR:.+]] = arith.select %[[UNSAFE]], %[[ONE]], %[[Y]] : i32
//       CHECK:   %[[Q:.+]] = arith.divsi %[[X]], %[[DIVISOR]] : i32
//       CHECK:   %[[ONES:.+]] = arith.constant -1 : i32
//       CHECK:   %[[RES:.+]] = arith.select %[[BYZERO]], %[[ONES]], %[[Q]] : i32
//       CHECK:   linalg.yield %[[RES]] : i32
func.func @div_signed(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = vm.div %a, %b : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// Unsigned: only the zero divisor is guarded.
// CHECK-LABEL: func.func @div_unsigned(
//       CHECK: ^bb0(%[[X:.+]]: i16, %[[Y:.+]]: i16, %{{.+}}: i16):
//   CHECK-DAG:   %[[ZERO:.+]] = arith.constant 0 : i16
//   CHECK-DAG:   %[[ONE:.+]] = arith.constant 1 : i16
//       CHECK:   %[[BYZERO:.+]] = arith.cmpi eq, %[[Y]], %[[ZERO]] : i16
//   CHECK-NOT:   -32768
//       CHECK:   %[[DIVISOR:.+]] = arith.select %[[BYZERO]], %[[ONE]], %[[Y]] : i16
//       CHECK:   %[[Q:.+]] = arith.divui %[[X]], %[[DIVISOR]] : i16
//       CHECK:   %[[ONES:.+]] = arith.constant -1 : i16
//       CHECK:   %[[RES:.+]] = arith.select %[[BYZERO]], %[[ONES]], %[[Q]] : i16
//       CHECK:   linalg.yield %[[RES]] : i16
func.func @div_unsigned(%a: tensor<4xi16>, %b: tensor<4xi16>) -> tensor<4xi16> {
  %0 = vm.div %a, %b {unsigned} : tensor<4xi16>
  return %0 : tensor<4xi16>
}

// CHECK-LABEL: func.func @rem_signed(
//       CHECK: ^bb0(%[[X:.+]]: i8, %[[Y:.+]]: i8, %{{.+}}: i8):
//   CHECK-DAG:   %[[ZERO:.+]] = arith.constant 0 : i8
//   CHECK-DAG:   %[[ONE:.+]] = arith.constant 1 : i8
//   CHECK-DAG:   %[[MIN:.+]] = arith.constant -128 : i8
//   CHECK-DAG:   %[[M1:.+]] = arith.constant -1 : i8
//   CHECK-DAG:   %[[BYZERO:.+]] = arith.cmpi eq, %[[Y]], %[[ZERO]] : i8
//   CHECK-DAG:   %[[XMIN:.+]] = arith.cmpi eq, %[[X]], %[[MIN]] : i8
//   CHECK-DAG:   %[[YM1:.+]] = arith.cmpi eq, %[[Y]], %[[M1]] : i8
//       CHECK:   %[[OVF:.+]] = arith.andi %[[XMIN]], %[[YM1]] : i1
//       CHECK:   %[[UNSAFE:.+]] = arith.ori %[[BYZERO]], %[[OVF]] : i1
//       CHECK:   %[[DIVISOR:.+]] = arith.select %[[UNSAFE]], %[[ONE]], %[[Y]] : i8
//       CHECK:   %[[REM:.+]] = arith.remsi %[[X]], %[[DIVISOR]] : i8
//       CHECK:   %[[RES:.+]] = arith.select %[[BYZERO]], %[[X]], %[[REM]] : i8
//       CHECK:   linalg.yield %[[RES]] : i8
func.func @rem_signed(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  %0 = vm.rem %a, %b : tensor<4xi8>
  return %0 : tensor<4xi8>
}

// CHECK-LABEL: func.func @rem_unsigned(
//       CHECK: ^bb0(%[[X:.+]]: i64, %[[Y:.+]]: i64, %{{.+}}: i64):
//       CHECK:   %[[BYZERO:.+]] = arith.cmpi eq, %[[Y]], %{{.+}} : i64
//       CHECK:   %[[DIVISOR:.+]] = arith.select %[[BYZERO]], %{{.+}}, %[[Y]] : i64
//       CHECK:   %[[REM:.+]] = arith.remui %[[X]], %[[DIVISOR]] : i64
//       CHECK:   %[[RES:.+]] = arith.select %[[BYZERO]], %[[X]], %[[REM]] : i64
//       CHECK:   linalg.yield %[[RES]] : i64
func.func @rem_unsigned(%a: tensor<4xi64>, %b: tensor<4xi64>) -> tensor<4xi64> {
  %0 = vm.rem %a, %b {unsigned} : tensor<4xi64>
  return %0 : tensor<4xi64>
}

// Float rem is fmod: arith.remf, no guards.
// CHECK-LABEL: func.func @rem_float(
//       CHECK: ^bb0(%[[X:.+]]: f64, %[[Y:.+]]: f64, %{{.+}}: f64):
//  CHECK-NEXT:   %[[R:.+]] = arith.remf %[[X]], %[[Y]] : f64
//  CHECK-NEXT:   linalg.yield %[[R]] : f64
func.func @rem_float(%a: tensor<4xf64>, %b: tensor<4xf64>) -> tensor<4xf64> {
  %0 = vm.rem %a, %b : tensor<4xf64>
  return %0 : tensor<4xf64>
}

//===----------------------------------------------------------------------===//
// Shifts: the amount is taken modulo the bit width.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @shifts(
//       CHECK: ^bb0(%[[X:.+]]: i32, %[[Y:.+]]: i32, %{{.+}}: i32):
//       CHECK:   %[[M31:.+]] = arith.constant 31 : i32
//       CHECK:   %[[AMT:.+]] = arith.andi %[[Y]], %[[M31]] : i32
//       CHECK:   %[[SHL:.+]] = arith.shli %[[X]], %[[AMT]] : i32
//       CHECK:   linalg.yield %[[SHL]]
//       CHECK: ^bb0(%[[X:.+]]: i64, %[[Y:.+]]: i64, %{{.+}}: i64):
//       CHECK:   %[[M63:.+]] = arith.constant 63 : i64
//       CHECK:   %[[AMT:.+]] = arith.andi %[[Y]], %[[M63]] : i64
//       CHECK:   %[[SHR:.+]] = arith.shrsi %[[X]], %[[AMT]] : i64
//       CHECK:   linalg.yield %[[SHR]]
//       CHECK: ^bb0(%[[X:.+]]: i8, %[[Y:.+]]: i8, %{{.+}}: i8):
//       CHECK:   %[[M7:.+]] = arith.constant 7 : i8
//       CHECK:   %[[AMT:.+]] = arith.andi %[[Y]], %[[M7]] : i8
//       CHECK:   %[[SHRU:.+]] = arith.shrui %[[X]], %[[AMT]] : i8
//       CHECK:   linalg.yield %[[SHRU]]
func.func @shifts(%a: tensor<4xi32>, %b: tensor<4xi64>, %c: tensor<4xi8>)
    -> (tensor<4xi32>, tensor<4xi64>, tensor<4xi8>) {
  %0 = vm.shl %a, %a : tensor<4xi32>
  %1 = vm.shr %b, %b : tensor<4xi64>
  %2 = vm.shr %c, %c {unsigned} : tensor<4xi8>
  return %0, %1, %2 : tensor<4xi32>, tensor<4xi64>, tensor<4xi8>
}

//===----------------------------------------------------------------------===//
// Float min/max spelled out: the ordered winner, else (equal values, which
// differ at most in the sign of zero) the bits and-ed (max: +0 wins) or
// or-ed (min: -0 wins); then a NaN operand loses to the other one.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @min_float(
//       CHECK: ^bb0(%[[X:.+]]: f32, %[[Y:.+]]: f32, %{{.+}}: f32):
//  CHECK-NEXT:   %[[XB:.+]] = arith.bitcast %[[X]] : f32 to i32
//  CHECK-NEXT:   %[[YB:.+]] = arith.bitcast %[[Y]] : f32 to i32
//  CHECK-NEXT:   %[[TB:.+]] = arith.ori %[[XB]], %[[YB]] : i32
//  CHECK-NEXT:   %[[TIE:.+]] = arith.bitcast %[[TB]] : i32 to f32
//  CHECK-NEXT:   %[[RW:.+]] = arith.cmpf ogt, %[[X]], %[[Y]] : f32
//  CHECK-NEXT:   %[[R1:.+]] = arith.select %[[RW]], %[[Y]], %[[TIE]] : f32
//  CHECK-NEXT:   %[[LW:.+]] = arith.cmpf olt, %[[X]], %[[Y]] : f32
//  CHECK-NEXT:   %[[M:.+]] = arith.select %[[LW]], %[[X]], %[[R1]] : f32
//  CHECK-NEXT:   %[[XNAN:.+]] = arith.cmpf uno, %[[X]], %[[X]] : f32
//  CHECK-NEXT:   %[[S1:.+]] = arith.select %[[XNAN]], %[[Y]], %[[M]] : f32
//  CHECK-NEXT:   %[[YNAN:.+]] = arith.cmpf uno, %[[Y]], %[[Y]] : f32
//  CHECK-NEXT:   %[[S2:.+]] = arith.select %[[YNAN]], %[[X]], %[[S1]] : f32
//  CHECK-NEXT:   linalg.yield %[[S2]] : f32
func.func @min_float(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = vm.min %a, %b : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// CHECK-LABEL: func.func @max_float(
//       CHECK: ^bb0(%[[X:.+]]: f64, %[[Y:.+]]: f64, %{{.+}}: f64):
//  CHECK-NEXT:   %[[XB:.+]] = arith.bitcast %[[X]] : f64 to i64
//  CHECK-NEXT:   %[[YB:.+]] = arith.bitcast %[[Y]] : f64 to i64
//  CHECK-NEXT:   %[[TB:.+]] = arith.andi %[[XB]], %[[YB]] : i64
//  CHECK-NEXT:   %[[TIE:.+]] = arith.bitcast %[[TB]] : i64 to f64
//  CHECK-NEXT:   %[[RW:.+]] = arith.cmpf olt, %[[X]], %[[Y]] : f64
//  CHECK-NEXT:   %[[R1:.+]] = arith.select %[[RW]], %[[Y]], %[[TIE]] : f64
//  CHECK-NEXT:   %[[LW:.+]] = arith.cmpf ogt, %[[X]], %[[Y]] : f64
//  CHECK-NEXT:   %[[M:.+]] = arith.select %[[LW]], %[[X]], %[[R1]] : f64
//  CHECK-NEXT:   %[[XNAN:.+]] = arith.cmpf uno, %[[X]], %[[X]] : f64
//  CHECK-NEXT:   %[[S1:.+]] = arith.select %[[XNAN]], %[[Y]], %[[M]] : f64
//  CHECK-NEXT:   %[[YNAN:.+]] = arith.cmpf uno, %[[Y]], %[[Y]] : f64
//  CHECK-NEXT:   %[[S2:.+]] = arith.select %[[YNAN]], %[[X]], %[[S1]] : f64
//  CHECK-NEXT:   linalg.yield %[[S2]] : f64
func.func @max_float(%a: tensor<4xf64>, %b: tensor<4xf64>) -> tensor<4xf64> {
  %0 = vm.max %a, %b : tensor<4xf64>
  return %0 : tensor<4xf64>
}

// f16 min/max is exact in the narrow type: no widening.
// CHECK-LABEL: func.func @max_f16(
//   CHECK-NOT:   arith.extf
//       CHECK:   arith.andi %{{.+}}, %{{.+}} : i16
//       CHECK:   arith.cmpf ogt, %{{.+}}, %{{.+}} : f16
//       CHECK:   arith.cmpf uno
//   CHECK-NOT:   arith.truncf
//       CHECK: return
func.func @max_f16(%a: tensor<4xf16>, %b: tensor<4xf16>) -> tensor<4xf16> {
  %0 = vm.max %a, %b : tensor<4xf16>
  return %0 : tensor<4xf16>
}

// CHECK-LABEL: func.func @minmax_int(
//       CHECK: ^bb0(%[[X:.+]]: i32, %[[Y:.+]]: i32, %{{.+}}: i32):
//  CHECK-NEXT:   arith.minsi %[[X]], %[[Y]] : i32
//       CHECK: ^bb0(%[[X:.+]]: i32, %[[Y:.+]]: i32, %{{.+}}: i32):
//  CHECK-NEXT:   arith.minui %[[X]], %[[Y]] : i32
//       CHECK: ^bb0(%[[X:.+]]: i32, %[[Y:.+]]: i32, %{{.+}}: i32):
//  CHECK-NEXT:   arith.maxsi %[[X]], %[[Y]] : i32
//       CHECK: ^bb0(%[[X:.+]]: i32, %[[Y:.+]]: i32, %{{.+}}: i32):
//  CHECK-NEXT:   arith.maxui %[[X]], %[[Y]] : i32
func.func @minmax_int(%a: tensor<4xi32>, %b: tensor<4xi32>)
    -> (tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>) {
  %0 = vm.min %a, %b : tensor<4xi32>
  %1 = vm.min %a, %b {unsigned} : tensor<4xi32>
  %2 = vm.max %a, %b : tensor<4xi32>
  %3 = vm.max %a, %b {unsigned} : tensor<4xi32>
  return %0, %1, %2, %3 : tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>
}

//===----------------------------------------------------------------------===//
// Saturating add/sub.
//===----------------------------------------------------------------------===//

// Signed add: overflow iff (x ^ r) & (y ^ r) < 0; clamp by the sign of x.
// CHECK-LABEL: func.func @add_sat_signed(
//       CHECK: ^bb0(%[[X:.+]]: i8, %[[Y:.+]]: i8, %{{.+}}: i8):
//       CHECK:   %[[RAW:.+]] = arith.addi %[[X]], %[[Y]] : i8
//       CHECK:   %[[F1:.+]] = arith.xori %[[X]], %[[RAW]] : i8
//       CHECK:   %[[F2:.+]] = arith.xori %[[Y]], %[[RAW]] : i8
//       CHECK:   %[[BOTH:.+]] = arith.andi %[[F1]], %[[F2]] : i8
//       CHECK:   %[[ZERO:.+]] = arith.constant 0 : i8
//       CHECK:   %[[OVF:.+]] = arith.cmpi slt, %[[BOTH]], %[[ZERO]] : i8
//       CHECK:   %[[NEG:.+]] = arith.cmpi slt, %[[X]], %[[ZERO]] : i8
//   CHECK-DAG:   %[[MIN:.+]] = arith.constant -128 : i8
//   CHECK-DAG:   %[[MAX:.+]] = arith.constant 127 : i8
//       CHECK:   %[[CLAMP:.+]] = arith.select %[[NEG]], %[[MIN]], %[[MAX]] : i8
//       CHECK:   %[[RES:.+]] = arith.select %[[OVF]], %[[CLAMP]], %[[RAW]] : i8
//       CHECK:   linalg.yield %[[RES]] : i8
func.func @add_sat_signed(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  %0 = vm.add_sat %a, %b : tensor<4xi8>
  return %0 : tensor<4xi8>
}

// Signed sub: overflow iff (x ^ y) & (x ^ r) < 0.
// CHECK-LABEL: func.func @sub_sat_signed(
//       CHECK: ^bb0(%[[X:.+]]: i16, %[[Y:.+]]: i16, %{{.+}}: i16):
//       CHECK:   %[[RAW:.+]] = arith.subi %[[X]], %[[Y]] : i16
//       CHECK:   %[[F1:.+]] = arith.xori %[[X]], %[[RAW]] : i16
//       CHECK:   %[[F2:.+]] = arith.xori %[[X]], %[[Y]] : i16
//       CHECK:   %[[BOTH:.+]] = arith.andi %[[F1]], %[[F2]] : i16
//       CHECK:   %[[OVF:.+]] = arith.cmpi slt, %[[BOTH]], %{{.+}} : i16
//       CHECK:   %[[NEG:.+]] = arith.cmpi slt, %[[X]], %{{.+}} : i16
//   CHECK-DAG:   %[[MIN:.+]] = arith.constant -32768 : i16
//   CHECK-DAG:   %[[MAX:.+]] = arith.constant 32767 : i16
//       CHECK:   %[[CLAMP:.+]] = arith.select %[[NEG]], %[[MIN]], %[[MAX]] : i16
//       CHECK:   %[[RES:.+]] = arith.select %[[OVF]], %[[CLAMP]], %[[RAW]] : i16
//       CHECK:   linalg.yield %[[RES]] : i16
func.func @sub_sat_signed(%a: tensor<4xi16>, %b: tensor<4xi16>) -> tensor<4xi16> {
  %0 = vm.sub_sat %a, %b : tensor<4xi16>
  return %0 : tensor<4xi16>
}

// Unsigned add: the sum wrapped iff it is below x; clamp to all ones.
// CHECK-LABEL: func.func @add_sat_unsigned(
//       CHECK: ^bb0(%[[X:.+]]: i8, %[[Y:.+]]: i8, %{{.+}}: i8):
//       CHECK:   %[[RAW:.+]] = arith.addi %[[X]], %[[Y]] : i8
//       CHECK:   %[[WRAP:.+]] = arith.cmpi ult, %[[RAW]], %[[X]] : i8
//       CHECK:   %[[MAX:.+]] = arith.constant -1 : i8
//       CHECK:   %[[RES:.+]] = arith.select %[[WRAP]], %[[MAX]], %[[RAW]] : i8
//       CHECK:   linalg.yield %[[RES]] : i8
func.func @add_sat_unsigned(%a: tensor<4xi8>, %b: tensor<4xi8>) -> tensor<4xi8> {
  %0 = vm.add_sat %a, %b {unsigned} : tensor<4xi8>
  return %0 : tensor<4xi8>
}

// Unsigned sub: clamps to 0 when y > x.
// CHECK-LABEL: func.func @sub_sat_unsigned(
//       CHECK: ^bb0(%[[X:.+]]: i32, %[[Y:.+]]: i32, %{{.+}}: i32):
//       CHECK:   %[[RAW:.+]] = arith.subi %[[X]], %[[Y]] : i32
//       CHECK:   %[[UNDER:.+]] = arith.cmpi ult, %[[X]], %[[Y]] : i32
//       CHECK:   %[[ZERO:.+]] = arith.constant 0 : i32
//       CHECK:   %[[RES:.+]] = arith.select %[[UNDER]], %[[ZERO]], %[[RAW]] : i32
//       CHECK:   linalg.yield %[[RES]] : i32
func.func @sub_sat_unsigned(%a: tensor<4xi32>, %b: tensor<4xi32>) -> tensor<4xi32> {
  %0 = vm.sub_sat %a, %b {unsigned} : tensor<4xi32>
  return %0 : tensor<4xi32>
}

//===----------------------------------------------------------------------===//
// Unary ops.
//===----------------------------------------------------------------------===//

// Integer neg/abs wrap (abs(MIN) = MIN), not is xor with all ones.
// CHECK-LABEL: func.func @unary_int(
//       CHECK: ^bb0(%[[X:.+]]: i32, %{{.+}}: i32):
//       CHECK:   %[[Z:.+]] = arith.constant 0 : i32
//       CHECK:   %[[NEG:.+]] = arith.subi %[[Z]], %[[X]] : i32
//       CHECK:   linalg.yield %[[NEG]]
//       CHECK: ^bb0(%[[X:.+]]: i32, %{{.+}}: i32):
//       CHECK:   %[[Z:.+]] = arith.constant 0 : i32
//       CHECK:   %[[LT:.+]] = arith.cmpi slt, %[[X]], %[[Z]] : i32
//       CHECK:   %[[N:.+]] = arith.subi %[[Z]], %[[X]] : i32
//       CHECK:   %[[ABS:.+]] = arith.select %[[LT]], %[[N]], %[[X]] : i32
//       CHECK:   linalg.yield %[[ABS]]
//       CHECK: ^bb0(%[[X:.+]]: i32, %{{.+}}: i32):
//       CHECK:   %[[ONES:.+]] = arith.constant -1 : i32
//       CHECK:   %[[NOT:.+]] = arith.xori %[[X]], %[[ONES]] : i32
//       CHECK:   linalg.yield %[[NOT]]
//       CHECK: ^bb0(%[[X:.+]]: i32, %{{.+}}: i32):
//       CHECK:   %[[Z:.+]] = arith.constant 0 : i32
//       CHECK:   %[[RELU:.+]] = arith.maxsi %[[X]], %[[Z]] : i32
//       CHECK:   linalg.yield %[[RELU]]
func.func @unary_int(%a: tensor<4xi32>) -> (tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>) {
  %0 = vm.neg %a : tensor<4xi32>
  %1 = vm.abs %a : tensor<4xi32>
  %2 = vm.not %a : tensor<4xi32>
  %3 = vm.relu %a : tensor<4xi32>
  return %0, %1, %2, %3 : tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>
}

// CHECK-LABEL: func.func @unary_float(
//       CHECK: ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
//  CHECK-NEXT:   %[[R:.+]] = arith.negf %[[X]] : f32
//  CHECK-NEXT:   linalg.yield %[[R]]
//       CHECK: ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
//  CHECK-NEXT:   %[[R:.+]] = math.absf %[[X]] : f32
//  CHECK-NEXT:   linalg.yield %[[R]]
//       CHECK: ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
//  CHECK-NEXT:   %[[R:.+]] = math.floor %[[X]] : f32
//  CHECK-NEXT:   linalg.yield %[[R]]
//       CHECK: ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
//  CHECK-NEXT:   %[[R:.+]] = math.ceil %[[X]] : f32
//  CHECK-NEXT:   linalg.yield %[[R]]
//       CHECK: ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
//  CHECK-NEXT:   %[[R:.+]] = math.sqrt %[[X]] : f32
//  CHECK-NEXT:   linalg.yield %[[R]]
//       CHECK: ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
//  CHECK-NEXT:   %[[R:.+]] = math.exp %[[X]] : f32
//  CHECK-NEXT:   linalg.yield %[[R]]
//       CHECK: ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
//  CHECK-NEXT:   %[[R:.+]] = math.log %[[X]] : f32
//  CHECK-NEXT:   linalg.yield %[[R]]
//       CHECK: ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
//  CHECK-NEXT:   %[[R:.+]] = math.tanh %[[X]] : f32
//  CHECK-NEXT:   linalg.yield %[[R]]
func.func @unary_float(%a: tensor<4xf32>)
    -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>,
        tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = vm.neg %a : tensor<4xf32>
  %1 = vm.abs %a : tensor<4xf32>
  %2 = vm.floor %a : tensor<4xf32>
  %3 = vm.ceil %a : tensor<4xf32>
  %4 = vm.sqrt %a : tensor<4xf32>
  %5 = vm.exp %a : tensor<4xf32>
  %6 = vm.log %a : tensor<4xf32>
  %7 = vm.tanh %a : tensor<4xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7
      : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>,
        tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// relu(x) = max(x, +0) with the contract's max (-0 becomes +0: the bits
// are and-ed with +0's), and NaN stays NaN.
// CHECK-LABEL: func.func @relu_float(
//       CHECK: ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
//  CHECK-NEXT:   %[[Z:.+]] = arith.constant 0.000000e+00 : f32
//       CHECK:   arith.andi %{{.+}}, %{{.+}} : i32
//       CHECK:   arith.cmpf uno, %[[Z]], %[[Z]] : f32
//  CHECK-NEXT:   arith.select
//  CHECK-NEXT:   %[[XNAN:.+]] = arith.cmpf uno, %[[X]], %[[X]] : f32
//  CHECK-NEXT:   %[[R:.+]] = arith.select %[[XNAN]], %[[X]], %{{.+}} : f32
//  CHECK-NEXT:   linalg.yield %[[R]] : f32
//   CHECK-NOT: arith.maxnumf
func.func @relu_float(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = vm.relu %a : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// rsqrt is 1 / sqrt(x), never math.rsqrt (which may be approximate).
// CHECK-LABEL: func.func @rsqrt(
//       CHECK: ^bb0(%[[X:.+]]: f64, %{{.+}}: f64):
//  CHECK-NEXT:   %[[ONE:.+]] = arith.constant 1.000000e+00 : f64
//  CHECK-NEXT:   %[[S:.+]] = math.sqrt %[[X]] : f64
//  CHECK-NEXT:   %[[R:.+]] = arith.divf %[[ONE]], %[[S]] : f64
//  CHECK-NEXT:   linalg.yield %[[R]] : f64
//   CHECK-NOT: math.rsqrt
func.func @rsqrt(%a: tensor<4xf64>) -> tensor<4xf64> {
  %0 = vm.rsqrt %a : tensor<4xf64>
  return %0 : tensor<4xf64>
}

// sigmoid(x) = 1 / (1 + exp(-x)).
// CHECK-LABEL: func.func @sigmoid(
//       CHECK: ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
//  CHECK-NEXT:   %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
//  CHECK-NEXT:   %[[N:.+]] = arith.negf %[[X]] : f32
//  CHECK-NEXT:   %[[E:.+]] = math.exp %[[N]] : f32
//  CHECK-NEXT:   %[[D:.+]] = arith.addf %[[ONE]], %[[E]] : f32
//  CHECK-NEXT:   %[[R:.+]] = arith.divf %[[ONE]], %[[D]] : f32
//  CHECK-NEXT:   linalg.yield %[[R]] : f32
func.func @sigmoid(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = vm.sigmoid %a : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// gelu, exact erf form: x * (1 + erf(x / sqrt(2))) * 0.5.
// CHECK-LABEL: func.func @gelu(
//       CHECK: ^bb0(%[[X:.+]]: f32, %{{.+}}: f32):
//   CHECK-DAG:   %[[INV:.+]] = arith.constant 0.707106769 : f32
//   CHECK-DAG:   %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
//   CHECK-DAG:   %[[HALF:.+]] = arith.constant 5.000000e-01 : f32
//       CHECK:   %[[S:.+]] = arith.mulf %[[X]], %[[INV]] : f32
//       CHECK:   %[[E:.+]] = math.erf %[[S]] : f32
//       CHECK:   %[[P:.+]] = arith.addf %[[ONE]], %[[E]] : f32
//       CHECK:   %[[M:.+]] = arith.mulf %[[X]], %[[P]] : f32
//       CHECK:   %[[R:.+]] = arith.mulf %[[M]], %[[HALF]] : f32
//       CHECK:   linalg.yield %[[R]] : f32
//   CHECK-NOT: math.tanh
func.func @gelu(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = vm.gelu %a : tensor<4xf32>
  return %0 : tensor<4xf32>
}

//===----------------------------------------------------------------------===//
// f16/bf16 arithmetic is done in f32 and rounded once.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @narrow_float(
//       CHECK: ^bb0(%[[X:.+]]: f16, %[[Y:.+]]: f16, %{{.+}}: f16):
//  CHECK-NEXT:   %[[WX:.+]] = arith.extf %[[X]] : f16 to f32
//  CHECK-NEXT:   %[[WY:.+]] = arith.extf %[[Y]] : f16 to f32
//  CHECK-NEXT:   %[[S:.+]] = arith.addf %[[WX]], %[[WY]] : f32
//  CHECK-NEXT:   %[[R:.+]] = arith.truncf %[[S]] : f32 to f16
//       CHECK:   arith.cmpf uno
//       CHECK:   %[[C:.+]] = arith.select %{{.+}}, %{{.+}}, %[[R]] : f16
//  CHECK-NEXT:   linalg.yield %[[C]] : f16
//       CHECK: ^bb0(%[[X:.+]]: bf16, %[[Y:.+]]: bf16, %{{.+}}: bf16):
//  CHECK-NEXT:   %[[WX:.+]] = arith.extf %[[X]] : bf16 to f32
//  CHECK-NEXT:   %[[WY:.+]] = arith.extf %[[Y]] : bf16 to f32
//  CHECK-NEXT:   %[[S:.+]] = arith.divf %[[WX]], %[[WY]] : f32
//  CHECK-NEXT:   %[[R:.+]] = arith.truncf %[[S]] : f32 to bf16
//       CHECK:   arith.cmpf uno
//       CHECK:   %[[C:.+]] = arith.select %{{.+}}, %{{.+}}, %[[R]] : bf16
//  CHECK-NEXT:   linalg.yield %[[C]] : bf16
//       CHECK: ^bb0(%[[X:.+]]: f16, %{{.+}}: f16):
//  CHECK-NEXT:   %[[WX:.+]] = arith.extf %[[X]] : f16 to f32
//  CHECK-NEXT:   %[[S:.+]] = math.sqrt %[[WX]] : f32
//  CHECK-NEXT:   %[[R:.+]] = arith.truncf %[[S]] : f32 to f16
//       CHECK:   arith.cmpf uno
//       CHECK:   %[[C:.+]] = arith.select %{{.+}}, %{{.+}}, %[[R]] : f16
//  CHECK-NEXT:   linalg.yield %[[C]] : f16
//       CHECK: ^bb0(%[[X:.+]]: bf16, %{{.+}}: bf16):
//  CHECK-NEXT:   %[[WX:.+]] = arith.extf %[[X]] : bf16 to f32
//  CHECK-NEXT:   %[[S:.+]] = math.exp %[[WX]] : f32
//  CHECK-NEXT:   %[[R:.+]] = arith.truncf %[[S]] : f32 to bf16
//       CHECK:   arith.cmpf uno
//       CHECK:   %[[C:.+]] = arith.select %{{.+}}, %{{.+}}, %[[R]] : bf16
//  CHECK-NEXT:   linalg.yield %[[C]] : bf16
//       CHECK: ^bb0(%[[X:.+]]: f16, %[[Y:.+]]: f16, %{{.+}}: f16):
//  CHECK-NEXT:   %[[WX:.+]] = arith.extf %[[X]] : f16 to f32
//  CHECK-NEXT:   %[[WY:.+]] = arith.extf %[[Y]] : f16 to f32
//  CHECK-NEXT:   %[[P:.+]] = math.powf %[[WX]], %[[WY]] : f32
//  CHECK-NEXT:   %[[R:.+]] = arith.truncf %[[P]] : f32 to f16
//       CHECK:   arith.cmpf uno
//       CHECK:   %[[C:.+]] = arith.select %{{.+}}, %{{.+}}, %[[R]] : f16
//  CHECK-NEXT:   linalg.yield %[[C]] : f16
func.func @narrow_float(%h: tensor<4xf16>, %b: tensor<4xbf16>)
    -> (tensor<4xf16>, tensor<4xbf16>, tensor<4xf16>, tensor<4xbf16>, tensor<4xf16>) {
  %0 = vm.add %h, %h : tensor<4xf16>
  %1 = vm.div %b, %b : tensor<4xbf16>
  %2 = vm.sqrt %h : tensor<4xf16>
  %3 = vm.exp %b : tensor<4xbf16>
  %4 = vm.pow %h, %h : tensor<4xf16>
  return %0, %1, %2, %3, %4 : tensor<4xf16>, tensor<4xbf16>, tensor<4xf16>, tensor<4xbf16>, tensor<4xf16>
}

//===----------------------------------------------------------------------===//
// fma: one rounding. f32/f64 -> math.fma; f16/bf16: the product is exact in
// f64, the sum is rounded to odd there (TwoSum), then narrowed once;
// integer -> muli + addi.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @fma(
//       CHECK: ^bb0(%[[X:.+]]: f32, %[[Y:.+]]: f32, %[[Z:.+]]: f32, %{{.+}}: f32):
//  CHECK-NEXT:   %[[R:.+]] = math.fma %[[X]], %[[Y]], %[[Z]] : f32
//  CHECK-NEXT:   linalg.yield %[[R]] : f32
//       CHECK: ^bb0(%[[X:.+]]: f16, %[[Y:.+]]: f16, %[[Z:.+]]: f16, %{{.+}}: f16):
//  CHECK-NEXT:   %[[WX:.+]] = arith.extf %[[X]] : f16 to f64
//  CHECK-NEXT:   %[[WY:.+]] = arith.extf %[[Y]] : f16 to f64
//  CHECK-NEXT:   %[[WZ:.+]] = arith.extf %[[Z]] : f16 to f64
//  CHECK-NEXT:   %[[P:.+]] = arith.mulf %[[WX]], %[[WY]] : f64
//  CHECK-NEXT:   %[[S:.+]] = arith.addf %[[P]], %[[WZ]] : f64
//  CHECK-NEXT:   %[[ZP:.+]] = arith.subf %[[S]], %[[P]] : f64
//  CHECK-NEXT:   %[[PP:.+]] = arith.subf %[[S]], %[[ZP]] : f64
//  CHECK-NEXT:   %[[PE:.+]] = arith.subf %[[P]], %[[PP]] : f64
//  CHECK-NEXT:   %[[ZE:.+]] = arith.subf %[[WZ]], %[[ZP]] : f64
//  CHECK-NEXT:   %[[E:.+]] = arith.addf %[[PE]], %[[ZE]] : f64
//       CHECK:   %[[ODD:.+]] = arith.bitcast %{{.+}} : i64 to f64
//  CHECK-NEXT:   %[[R:.+]] = arith.truncf %[[ODD]] : f64 to f16
//       CHECK:   arith.cmpf uno
//       CHECK:   %[[C:.+]] = arith.select %{{.+}}, %{{.+}}, %[[R]] : f16
//  CHECK-NEXT:   linalg.yield %[[C]] : f16
//   CHECK-NOT:   math.fma
//       CHECK: ^bb0(%[[X:.+]]: i32, %[[Y:.+]]: i32, %[[Z:.+]]: i32, %{{.+}}: i32):
//  CHECK-NEXT:   %[[M:.+]] = arith.muli %[[X]], %[[Y]] : i32
//  CHECK-NEXT:   %[[R:.+]] = arith.addi %[[M]], %[[Z]] : i32
//  CHECK-NEXT:   linalg.yield %[[R]] : i32
func.func @fma(%a: tensor<4xf32>, %h: tensor<4xf16>, %i: tensor<4xi32>)
    -> (tensor<4xf32>, tensor<4xf16>, tensor<4xi32>) {
  %0 = vm.fma %a, %a, %a : tensor<4xf32>
  %1 = vm.fma %h, %h, %h : tensor<4xf16>
  %2 = vm.fma %i, %i, %i : tensor<4xi32>
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf16>, tensor<4xi32>
}

// bf16 fma: the TwoSum error decides the round-to-odd step; the f64 ->
// bf16 narrowing then rounds to odd again through f32 (which composes).
// CHECK-LABEL: func.func @fma_bf16(
//       CHECK: ^bb0(%{{.+}}: bf16, %{{.+}}: bf16, %{{.+}}: bf16, %{{.+}}: bf16):
//       CHECK:   %[[S:.+]] = arith.addf %{{.+}}, %{{.+}} : f64
//       CHECK:   %[[E:.+]] = arith.addf %{{.+}}, %{{.+}} : f64
//       CHECK:   %[[ZERO:.+]] = arith.constant 0.000000e+00 : f64
//       CHECK:   %[[INF:.+]] = arith.constant 0x7FF0000000000000 : f64
//       CHECK:   %[[ABS:.+]] = math.absf %[[S]] : f64
//       CHECK:   %[[NF:.+]] = arith.cmpf uge, %[[ABS]], %[[INF]] : f64
//       CHECK:   %[[EXACT:.+]] = arith.cmpf oeq, %[[E]], %[[ZERO]] : f64
//       CHECK:   %[[KEEP:.+]] = arith.ori %[[EXACT]], %[[NF]] : i1
//       CHECK:   %[[ENEG:.+]] = arith.cmpf olt, %[[E]], %[[ZERO]] : f64
//       CHECK:   %[[SNEG:.+]] = arith.cmpf olt, %[[S]], %[[ZERO]] : f64
//       CHECK:   %[[AWAY:.+]] = arith.xori %[[ENEG]], %[[SNEG]] : i1
//       CHECK:   %[[BITS:.+]] = arith.bitcast %[[S]] : f64 to i64
//       CHECK:   %[[ONE:.+]] = arith.constant 1 : i64
//       CHECK:   %[[DOWN:.+]] = arith.subi %[[BITS]], %[[ONE]] : i64
//       CHECK:   %[[TZ:.+]] = arith.select %[[AWAY]], %[[DOWN]], %[[BITS]] : i64
//       CHECK:   %[[ODD:.+]] = arith.ori %[[TZ]], %[[ONE]] : i64
//       CHECK:   %[[SEL:.+]] = arith.select %[[KEEP]], %[[BITS]], %[[ODD]] : i64
//       CHECK:   %[[F:.+]] = arith.bitcast %[[SEL]] : i64 to f64
//       CHECK:   arith.truncf %[[F]] : f64 to f32
//       CHECK:   arith.truncf %{{.+}} : f32 to bf16
//   CHECK-NOT:   arith.truncf %{{.+}} : f64 to bf16
//       CHECK:   linalg.yield %{{.+}} : bf16
func.func @fma_bf16(%b: tensor<4xbf16>) -> tensor<4xbf16> {
  %0 = vm.fma %b, %b, %b : tensor<4xbf16>
  return %0 : tensor<4xbf16>
}

//===----------------------------------------------------------------------===//
// select, bitcast, cmp.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @select_bitcast(
//       CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ID]], #[[ID]], #[[ID]]]
//       CHECK: ^bb0(%[[C:.+]]: i1, %[[X:.+]]: f32, %[[Y:.+]]: f32, %{{.+}}: f32):
//  CHECK-NEXT:   %[[R:.+]] = arith.select %[[C]], %[[X]], %[[Y]] : f32
//  CHECK-NEXT:   linalg.yield %[[R]] : f32
//       CHECK: ^bb0(%[[X:.+]]: f32, %{{.+}}: i32):
//  CHECK-NEXT:   %[[R:.+]] = arith.bitcast %[[X]] : f32 to i32
//  CHECK-NEXT:   linalg.yield %[[R]] : i32
func.func @select_bitcast(%c: tensor<4xi1>, %a: tensor<4xf32>, %b: tensor<4xf32>)
    -> (tensor<4xf32>, tensor<4xi32>) {
  %0 = vm.select %c, %a, %b : (tensor<4xi1>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = vm.bitcast %a : tensor<4xf32> -> tensor<4xi32>
  return %0, %1 : tensor<4xf32>, tensor<4xi32>
}

// Float predicates are ordered (false on NaN) except `ne`, which is unordered.
// CHECK-LABEL: func.func @cmp_float(
//       CHECK: arith.cmpf oeq, %{{.+}}, %{{.+}} : f32
//       CHECK: arith.cmpf une, %{{.+}}, %{{.+}} : f32
//       CHECK: arith.cmpf olt, %{{.+}}, %{{.+}} : f32
//       CHECK: arith.cmpf ole, %{{.+}}, %{{.+}} : f32
//       CHECK: arith.cmpf ogt, %{{.+}}, %{{.+}} : f32
//       CHECK: arith.cmpf oge, %{{.+}}, %{{.+}} : f32
func.func @cmp_float(%a: tensor<4xf32>, %b: tensor<4xf32>)
    -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) {
  %0 = vm.cmp %a, %b {predicate = "eq"} : tensor<4xf32> -> tensor<4xi1>
  %1 = vm.cmp %a, %b {predicate = "ne"} : tensor<4xf32> -> tensor<4xi1>
  %2 = vm.cmp %a, %b {predicate = "lt"} : tensor<4xf32> -> tensor<4xi1>
  %3 = vm.cmp %a, %b {predicate = "le"} : tensor<4xf32> -> tensor<4xi1>
  %4 = vm.cmp %a, %b {predicate = "gt"} : tensor<4xf32> -> tensor<4xi1>
  %5 = vm.cmp %a, %b {predicate = "ge"} : tensor<4xf32> -> tensor<4xi1>
  return %0, %1, %2, %3, %4, %5
      : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
}

// CHECK-LABEL: func.func @cmp_int(
//       CHECK: arith.cmpi eq, %{{.+}}, %{{.+}} : i64
//       CHECK: arith.cmpi ne, %{{.+}}, %{{.+}} : i64
//       CHECK: arith.cmpi slt, %{{.+}}, %{{.+}} : i64
//       CHECK: arith.cmpi sle, %{{.+}}, %{{.+}} : i64
//       CHECK: arith.cmpi sgt, %{{.+}}, %{{.+}} : i64
//       CHECK: arith.cmpi sge, %{{.+}}, %{{.+}} : i64
//       CHECK: arith.cmpi ult, %{{.+}}, %{{.+}} : i64
//       CHECK: arith.cmpi ule, %{{.+}}, %{{.+}} : i64
//       CHECK: arith.cmpi ugt, %{{.+}}, %{{.+}} : i64
//       CHECK: arith.cmpi uge, %{{.+}}, %{{.+}} : i64
//       CHECK: arith.cmpi eq, %{{.+}}, %{{.+}} : i64
func.func @cmp_int(%a: tensor<4xi64>, %b: tensor<4xi64>)
    -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>,
        tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>) {
  %0 = vm.cmp %a, %b {predicate = "eq"} : tensor<4xi64> -> tensor<4xi1>
  %1 = vm.cmp %a, %b {predicate = "ne"} : tensor<4xi64> -> tensor<4xi1>
  %2 = vm.cmp %a, %b {predicate = "lt"} : tensor<4xi64> -> tensor<4xi1>
  %3 = vm.cmp %a, %b {predicate = "le"} : tensor<4xi64> -> tensor<4xi1>
  %4 = vm.cmp %a, %b {predicate = "gt"} : tensor<4xi64> -> tensor<4xi1>
  %5 = vm.cmp %a, %b {predicate = "ge"} : tensor<4xi64> -> tensor<4xi1>
  %6 = vm.cmp %a, %b {predicate = "lt", unsigned} : tensor<4xi64> -> tensor<4xi1>
  %7 = vm.cmp %a, %b {predicate = "le", unsigned} : tensor<4xi64> -> tensor<4xi1>
  %8 = vm.cmp %a, %b {predicate = "gt", unsigned} : tensor<4xi64> -> tensor<4xi1>
  %9 = vm.cmp %a, %b {predicate = "ge", unsigned} : tensor<4xi64> -> tensor<4xi1>
  %10 = vm.cmp %a, %b {predicate = "eq", unsigned} : tensor<4xi64> -> tensor<4xi1>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10
      : tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>,
        tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>, tensor<4xi1>
}

//===----------------------------------------------------------------------===//
// convert.
//===----------------------------------------------------------------------===//

// float -> signed int: out-of-range inputs are replaced by 0 before fptosi
// (which would be poison) and the result by MIN/MAX; NaN -> 0.
// CHECK-LABEL: func.func @convert_float_to_signed(
//       CHECK: ^bb0(%[[X:.+]]: f32, %{{.+}}: i32):
//   CHECK-DAG:   %[[IZERO:.+]] = arith.constant 0 : i32
//   CHECK-DAG:   %[[UP:.+]] = arith.constant 2.14748365E+9 : f32
//   CHECK-DAG:   %[[LO:.+]] = arith.constant -2.14748365E+9 : f32
//   CHECK-DAG:   %[[FZERO:.+]] = arith.constant 0.000000e+00 : f32
//       CHECK:   %[[TOOLARGE:.+]] = arith.cmpf oge, %[[X]], %[[UP]] : f32
//       CHECK:   %[[TOOSMALL:.+]] = arith.cmpf ole, %[[X]], %[[LO]] : f32
//       CHECK:   %[[OUT:.+]] = arith.ori %[[TOOLARGE]], %[[TOOSMALL]] : i1
//       CHECK:   %[[SAFE:.+]] = arith.select %[[OUT]], %[[FZERO]], %[[X]] : f32
//       CHECK:   %[[CONV:.+]] = arith.fptosi %[[SAFE]] : f32 to i32
//   CHECK-DAG:   %[[MAX:.+]] = arith.constant 2147483647 : i32
//   CHECK-DAG:   %[[MIN:.+]] = arith.constant -2147483648 : i32
//       CHECK:   %[[CLAMP:.+]] = arith.select %[[TOOLARGE]], %[[MAX]], %[[MIN]] : i32
//       CHECK:   %[[SAT:.+]] = arith.select %[[OUT]], %[[CLAMP]], %[[CONV]] : i32
//       CHECK:   %[[NAN:.+]] = arith.cmpf uno, %[[X]], %[[X]] : f32
//       CHECK:   %[[RES:.+]] = arith.select %[[NAN]], %[[IZERO]], %[[SAT]] : i32
//       CHECK:   linalg.yield %[[RES]] : i32
func.func @convert_float_to_signed(%a: tensor<4xf32>) -> tensor<4xi32> {
  %0 = vm.convert %a : tensor<4xf32> -> tensor<4xi32>
  return %0 : tensor<4xi32>
}

// float -> unsigned int: <= 0 gives 0, >= 2^width gives all ones.
// CHECK-LABEL: func.func @convert_float_to_unsigned(
//       CHECK: ^bb0(%[[X:.+]]: f16, %{{.+}}: i8):
//   CHECK-DAG:   %[[IZERO:.+]] = arith.constant 0 : i8
//   CHECK-DAG:   %[[LIMIT:.+]] = arith.constant 2.560000e+02 : f16
//   CHECK-DAG:   %[[FZERO:.+]] = arith.constant 0.000000e+00 : f16
//       CHECK:   %[[TOOLARGE:.+]] = arith.cmpf oge, %[[X]], %[[LIMIT]] : f16
//       CHECK:   %[[NOTPOS:.+]] = arith.cmpf ole, %[[X]], %[[FZERO]] : f16
//       CHECK:   %[[OUT:.+]] = arith.ori %[[TOOLARGE]], %[[NOTPOS]] : i1
//       CHECK:   %[[SAFE:.+]] = arith.select %[[OUT]], %[[FZERO]], %[[X]] : f16
//       CHECK:   %[[CONV:.+]] = arith.fptoui %[[SAFE]] : f16 to i8
//       CHECK:   %[[MAX:.+]] = arith.constant -1 : i8
//       CHECK:   %[[SAT:.+]] = arith.select %[[TOOLARGE]], %[[MAX]], %[[CONV]] : i8
//       CHECK:   %[[NAN:.+]] = arith.cmpf uno, %[[X]], %[[X]] : f16
//       CHECK:   %[[RES:.+]] = arith.select %[[NAN]], %[[IZERO]], %[[SAT]] : i8
//       CHECK:   linalg.yield %[[RES]] : i8
func.func @convert_float_to_unsigned(%a: tensor<4xf16>) -> tensor<4xi8> {
  %0 = vm.convert %a {unsigned} : tensor<4xf16> -> tensor<4xi8>
  return %0 : tensor<4xi8>
}

// A bound that the source type cannot represent becomes +-inf.
// CHECK-LABEL: func.func @convert_f16_to_i64(
//   CHECK-DAG:   arith.constant 0x7C00 : f16
//   CHECK-DAG:   arith.constant 0xFC00 : f16
//       CHECK:   arith.fptosi %{{.+}} : f16 to i64
func.func @convert_f16_to_i64(%a: tensor<4xf16>) -> tensor<4xi64> {
  %0 = vm.convert %a : tensor<4xf16> -> tensor<4xi64>
  return %0 : tensor<4xi64>
}

// To i1 means != 0 (NaN -> true); from i1 gives 0 or 1 (zero-extended).
// CHECK-LABEL: func.func @convert_i1(
//       CHECK: ^bb0(%[[X:.+]]: f32, %{{.+}}: i1):
//  CHECK-NEXT:   %[[Z:.+]] = arith.constant 0.000000e+00 : f32
//  CHECK-NEXT:   %[[R:.+]] = arith.cmpf une, %[[X]], %[[Z]] : f32
//  CHECK-NEXT:   linalg.yield %[[R]] : i1
//       CHECK: ^bb0(%[[X:.+]]: i8, %{{.+}}: i1):
//  CHECK-NEXT:   %[[Z:.+]] = arith.constant 0 : i8
//  CHECK-NEXT:   %[[R:.+]] = arith.cmpi ne, %[[X]], %[[Z]] : i8
//  CHECK-NEXT:   linalg.yield %[[R]] : i1
//       CHECK: ^bb0(%[[X:.+]]: i1, %{{.+}}: i32):
//  CHECK-NEXT:   %[[R:.+]] = arith.extui %[[X]] : i1 to i32
//  CHECK-NEXT:   linalg.yield %[[R]] : i32
//       CHECK: ^bb0(%[[X:.+]]: i1, %{{.+}}: f32):
//  CHECK-NEXT:   %[[R:.+]] = arith.uitofp %[[X]] : i1 to f32
//  CHECK-NEXT:   linalg.yield %[[R]] : f32
func.func @convert_i1(%f: tensor<4xf32>, %i: tensor<4xi8>, %m: tensor<4xi1>)
    -> (tensor<4xi1>, tensor<4xi1>, tensor<4xi32>, tensor<4xf32>) {
  %0 = vm.convert %f : tensor<4xf32> -> tensor<4xi1>
  %1 = vm.convert %i : tensor<4xi8> -> tensor<4xi1>
  %2 = vm.convert %m : tensor<4xi1> -> tensor<4xi32>
  %3 = vm.convert %m : tensor<4xi1> -> tensor<4xf32>
  return %0, %1, %2, %3 : tensor<4xi1>, tensor<4xi1>, tensor<4xi32>, tensor<4xf32>
}

// CHECK-LABEL: func.func @convert_int(
//       CHECK: arith.extsi %{{.+}} : i8 to i32
//       CHECK: arith.extui %{{.+}} : i8 to i32
//       CHECK: arith.trunci %{{.+}} : i64 to i16
//       CHECK: arith.trunci %{{.+}} : i64 to i16
//       CHECK: arith.sitofp %{{.+}} : i64 to f32
//       CHECK: arith.uitofp %{{.+}} : i64 to f32
func.func @convert_int(%i: tensor<4xi8>, %l: tensor<4xi64>)
    -> (tensor<4xi32>, tensor<4xi32>, tensor<4xi16>, tensor<4xi16>, tensor<4xf32>, tensor<4xf32>) {
  %0 = vm.convert %i : tensor<4xi8> -> tensor<4xi32>
  %1 = vm.convert %i {unsigned} : tensor<4xi8> -> tensor<4xi32>
  %2 = vm.convert %l : tensor<4xi64> -> tensor<4xi16>
  %3 = vm.convert %l {unsigned} : tensor<4xi64> -> tensor<4xi16>
  %4 = vm.convert %l : tensor<4xi64> -> tensor<4xf32>
  %5 = vm.convert %l {unsigned} : tensor<4xi64> -> tensor<4xf32>
  return %0, %1, %2, %3, %4, %5
      : tensor<4xi32>, tensor<4xi32>, tensor<4xi16>, tensor<4xi16>, tensor<4xf32>, tensor<4xf32>
}

// Integer -> f16/bf16 rounds once. f16 goes through f32 from any width (an
// integer below f16's overflow threshold is exact in f32); bf16 from i8/i16
// through f32 (exact), from i32 through f64 (exact) and round-to-odd to f32;
// from i64 the two 32-bit halves are summed in f64 with round-to-odd.
// CHECK-LABEL: func.func @convert_int_to_narrow_float(
//       CHECK: ^bb0(%[[X:.+]]: i32, %{{.+}}: f16):
//  CHECK-NEXT:   %[[W:.+]] = arith.sitofp %[[X]] : i32 to f32
//  CHECK-NEXT:   %[[R:.+]] = arith.truncf %[[W]] : f32 to f16
//  CHECK-NEXT:   linalg.yield %[[R]] : f16
//       CHECK: ^bb0(%[[X:.+]]: i64, %{{.+}}: f16):
//  CHECK-NEXT:   %[[W:.+]] = arith.uitofp %[[X]] : i64 to f32
//  CHECK-NEXT:   %[[R:.+]] = arith.truncf %[[W]] : f32 to f16
//  CHECK-NEXT:   linalg.yield %[[R]] : f16
//       CHECK: ^bb0(%[[X:.+]]: i16, %{{.+}}: bf16):
//  CHECK-NEXT:   %[[W:.+]] = arith.sitofp %[[X]] : i16 to f32
//  CHECK-NEXT:   %[[R:.+]] = arith.truncf %[[W]] : f32 to bf16
//  CHECK-NEXT:   linalg.yield %[[R]] : bf16
//       CHECK: ^bb0(%[[X:.+]]: i32, %{{.+}}: bf16):
//  CHECK-NEXT:   %[[W:.+]] = arith.sitofp %[[X]] : i32 to f64
//  CHECK-NEXT:   %[[NEAR:.+]] = arith.truncf %[[W]] : f64 to f32
//       CHECK:   %[[F:.+]] = arith.bitcast %{{.+}} : i32 to f32
//  CHECK-NEXT:   %[[R:.+]] = arith.truncf %[[F]] : f32 to bf16
//  CHECK-NEXT:   linalg.yield %[[R]] : bf16
//       CHECK: ^bb0(%[[X:.+]]: i64, %{{.+}}: bf16):
//  CHECK-NEXT:   %[[C32:.+]] = arith.constant 32 : i64
//  CHECK-NEXT:   %[[HI:.+]] = arith.shrsi %[[X]], %[[C32]] : i64
//  CHECK-NEXT:   %[[HI32:.+]] = arith.trunci %[[HI]] : i64 to i32
//  CHECK-NEXT:   %[[HIF:.+]] = arith.sitofp %[[HI32]] : i32 to f64
//  CHECK-NEXT:   %[[SCALE:.+]] = arith.constant 0x41F0000000000000 : f64
//  CHECK-NEXT:   %[[HIS:.+]] = arith.mulf %[[HIF]], %[[SCALE]] : f64
//  CHECK-NEXT:   %[[LO32:.+]] = arith.trunci %[[X]] : i64 to i32
//  CHECK-NEXT:   %[[LOF:.+]] = arith.uitofp %[[LO32]] : i32 to f64
//  CHECK-NEXT:   %[[S:.+]] = arith.addf %[[HIS]], %[[LOF]] : f64
//       CHECK:   %[[ODD:.+]] = arith.bitcast %{{.+}} : i64 to f64
//  CHECK-NEXT:   arith.truncf %[[ODD]] : f64 to f32
//       CHECK:   %[[R:.+]] = arith.truncf %{{.+}} : f32 to bf16
//  CHECK-NEXT:   linalg.yield %[[R]] : bf16
//       CHECK: ^bb0(%[[X:.+]]: i64, %{{.+}}: bf16):
//  CHECK-NEXT:   %[[C32:.+]] = arith.constant 32 : i64
//  CHECK-NEXT:   arith.shrui %[[X]], %[[C32]] : i64
//       CHECK:   arith.uitofp %{{.+}} : i32 to f64
//       CHECK:   arith.uitofp %{{.+}} : i32 to f64
//   CHECK-NOT:   itofp %{{.+}} to bf16
func.func @convert_int_to_narrow_float(%i: tensor<4xi32>, %l: tensor<4xi64>, %s: tensor<4xi16>)
    -> (tensor<4xf16>, tensor<4xf16>, tensor<4xbf16>, tensor<4xbf16>, tensor<4xbf16>, tensor<4xbf16>) {
  %0 = vm.convert %i : tensor<4xi32> -> tensor<4xf16>
  %1 = vm.convert %l {unsigned} : tensor<4xi64> -> tensor<4xf16>
  %2 = vm.convert %s : tensor<4xi16> -> tensor<4xbf16>
  %3 = vm.convert %i : tensor<4xi32> -> tensor<4xbf16>
  %4 = vm.convert %l : tensor<4xi64> -> tensor<4xbf16>
  %5 = vm.convert %l {unsigned} : tensor<4xi64> -> tensor<4xbf16>
  return %0, %1, %2, %3, %4, %5
      : tensor<4xf16>, tensor<4xf16>, tensor<4xbf16>, tensor<4xbf16>, tensor<4xbf16>, tensor<4xbf16>
}

// float -> float: widening is exact; narrowing rounds once; f16 <-> bf16 goes
// through f32 (exact) and rounds once.
// CHECK-LABEL: func.func @convert_float(
//       CHECK: ^bb0(%[[X:.+]]: f16, %{{.+}}: f64):
//  CHECK-NEXT:   %[[R:.+]] = arith.extf %[[X]] : f16 to f64
//  CHECK-NEXT:   linalg.yield %[[R]]
//       CHECK: ^bb0(%[[X:.+]]: f32, %{{.+}}: f16):
//  CHECK-NEXT:   %[[R:.+]] = arith.truncf %[[X]] : f32 to f16
//       CHECK:   arith.cmpf uno
//       CHECK:   %[[C:.+]] = arith.select %{{.+}}, %{{.+}}, %[[R]] : f16
//  CHECK-NEXT:   linalg.yield %[[C]]
//       CHECK: ^bb0(%[[X:.+]]: f16, %{{.+}}: bf16):
//  CHECK-NEXT:   %[[W:.+]] = arith.extf %[[X]] : f16 to f32
//  CHECK-NEXT:   %[[R:.+]] = arith.truncf %[[W]] : f32 to bf16
//       CHECK:   arith.cmpf uno
//       CHECK:   %[[C:.+]] = arith.select %{{.+}}, %{{.+}}, %[[R]] : bf16
//  CHECK-NEXT:   linalg.yield %[[C]]
//       CHECK: ^bb0(%[[X:.+]]: bf16, %{{.+}}: f16):
//  CHECK-NEXT:   %[[W:.+]] = arith.extf %[[X]] : bf16 to f32
//  CHECK-NEXT:   %[[R:.+]] = arith.truncf %[[W]] : f32 to f16
//       CHECK:   arith.cmpf uno
//       CHECK:   %[[C:.+]] = arith.select %{{.+}}, %{{.+}}, %[[R]] : f16
//  CHECK-NEXT:   linalg.yield %[[C]]
//       CHECK: ^bb0(%[[X:.+]]: f64, %{{.+}}: f16):
//  CHECK-NEXT:   %[[R:.+]] = arith.truncf %[[X]] : f64 to f16
//       CHECK:   arith.cmpf uno
//       CHECK:   %[[C:.+]] = arith.select %{{.+}}, %{{.+}}, %[[R]] : f16
//  CHECK-NEXT:   linalg.yield %[[C]]
func.func @convert_float(%h: tensor<4xf16>, %f: tensor<4xf32>, %b: tensor<4xbf16>, %d: tensor<4xf64>)
    -> (tensor<4xf64>, tensor<4xf16>, tensor<4xbf16>, tensor<4xf16>, tensor<4xf16>) {
  %0 = vm.convert %h : tensor<4xf16> -> tensor<4xf64>
  %1 = vm.convert %f : tensor<4xf32> -> tensor<4xf16>
  %2 = vm.convert %h : tensor<4xf16> -> tensor<4xbf16>
  %3 = vm.convert %b : tensor<4xbf16> -> tensor<4xf16>
  %4 = vm.convert %d : tensor<4xf64> -> tensor<4xf16>
  return %0, %1, %2, %3, %4 : tensor<4xf64>, tensor<4xf16>, tensor<4xbf16>, tensor<4xf16>, tensor<4xf16>
}

// f64 -> bf16 rounds once: to f32 with round-to-odd (sticky bit in the last
// place unless exact or NaN), then to bf16.
// CHECK-LABEL: func.func @convert_f64_to_bf16(
//       CHECK: ^bb0(%[[X:.+]]: f64, %{{.+}}: bf16):
//       CHECK:   %[[NEAR:.+]] = arith.truncf %[[X]] : f64 to f32
//       CHECK:   %[[BACK:.+]] = arith.extf %[[NEAR]] : f32 to f64
//       CHECK:   %[[EXACT:.+]] = arith.cmpf oeq, %[[BACK]], %[[X]] : f64
//       CHECK:   %[[ABSB:.+]] = math.absf %[[BACK]] : f64
//       CHECK:   %[[ABSX:.+]] = math.absf %[[X]] : f64
//       CHECK:   %[[AWAY:.+]] = arith.cmpf ogt, %[[ABSB]], %[[ABSX]] : f64
//       CHECK:   %[[NAN:.+]] = arith.cmpf uno, %[[X]], %[[X]] : f64
//       CHECK:   %[[KEEP:.+]] = arith.ori %[[EXACT]], %[[NAN]] : i1
//       CHECK:   %[[BITS:.+]] = arith.bitcast %[[NEAR]] : f32 to i32
//       CHECK:   %[[ONE:.+]] = arith.constant 1 : i32
//       CHECK:   %[[DOWN:.+]] = arith.subi %[[BITS]], %[[ONE]] : i32
//       CHECK:   %[[TZ:.+]] = arith.select %[[AWAY]], %[[DOWN]], %[[BITS]] : i32
//       CHECK:   %[[ODD:.+]] = arith.ori %[[TZ]], %[[ONE]] : i32
//       CHECK:   %[[SEL:.+]] = arith.select %[[KEEP]], %[[BITS]], %[[ODD]] : i32
//       CHECK:   %[[F:.+]] = arith.bitcast %[[SEL]] : i32 to f32
//       CHECK:   %[[R:.+]] = arith.truncf %[[F]] : f32 to bf16
//       CHECK:   arith.cmpf uno
//       CHECK:   %[[C:.+]] = arith.select %{{.+}}, %{{.+}}, %[[R]] : bf16
//  CHECK-NEXT:   linalg.yield %[[C]] : bf16
//   CHECK-NOT:   arith.truncf %{{.+}} : f64 to bf16
func.func @convert_f64_to_bf16(%a: tensor<4xf64>) -> tensor<4xbf16> {
  %0 = vm.convert %a : tensor<4xf64> -> tensor<4xbf16>
  return %0 : tensor<4xbf16>
}

// A 0-D elementwise op has no loops.
// CHECK-LABEL: func.func @rank0(
//       CHECK: %[[INIT:.+]] = tensor.empty() : tensor<i32>
//       CHECK: linalg.generic {indexing_maps = [#[[ID0]], #[[ID0]], #[[ID0]]], iterator_types = []}
//  CHECK-SAME: outs(%[[INIT]] : tensor<i32>)
//       CHECK:   arith.xori %{{.+}}, %{{.+}} : i32
func.func @rank0(%a: tensor<i32>) -> tensor<i32> {
  %0 = vm.xor %a, %a : tensor<i32>
  return %0 : tensor<i32>
}
