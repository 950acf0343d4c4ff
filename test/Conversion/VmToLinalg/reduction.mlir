// RUN: vm-gpu-opt %s --vm-to-linalg | FileCheck %s

// vm-to-linalg, reduction family: vm.reduce (identities, NaN rule), vm.dot,
// vm.softmax.

// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[COL:.+]] = affine_map<(d0, d1) -> (d1)>

// Sum starts from 0; the result keeps the dynamic dim of the operand.
// CHECK-LABEL: func.func @reduce_sum(
//  CHECK-SAME: %[[A:.+]]: tensor<4x?x8xf32>)
//       CHECK: %[[ZERO:.+]] = arith.constant 0.000000e+00 : f32
//       CHECK: %[[D:.+]] = tensor.dim %[[A]], %{{.+}} : tensor<4x?x8xf32>
//       CHECK: %[[E:.+]] = tensor.empty(%[[D]]) : tensor<?x8xf32>
//       CHECK: %[[F:.+]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E]] : tensor<?x8xf32>)
//       CHECK: %[[R:.+]] = linalg.reduce { arith.addf } ins(%[[A]] : tensor<4x?x8xf32>) outs(%[[F]] : tensor<?x8xf32>) dimensions = [0]
//       CHECK: return %[[R]]
func.func @reduce_sum(%a: tensor<4x?x8xf32>) -> tensor<?x8xf32> {
  %0 = vm.reduce %a {kind = "sum", dims = array<i64: 0>} : tensor<4x?x8xf32> -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// Float min starts from NaN (which loses to any number) unless the reduction
// is empty, where it gives the identity +inf; the combiner follows the
// elementwise NaN rule.
// CHECK-LABEL: func.func @reduce_min_float(
//  CHECK-SAME: %[[A:.+]]: tensor<4x?x8xf32>)
//       CHECK: %[[INF:.+]] = arith.constant 0x7F800000 : f32
//       CHECK: %[[C32:.+]] = arith.constant 32 : index
//       CHECK: %[[EMPTY:.+]] = arith.cmpi eq, %[[C32]], %{{.+}} : index
//       CHECK: %[[NAN:.+]] = arith.constant 0x7FC00000 : f32
//       CHECK: %[[INIT:.+]] = arith.select %[[EMPTY]], %[[INF]], %[[NAN]] : f32
//       CHECK: %[[F:.+]] = linalg.fill ins(%[[INIT]] : f32) outs(%{{.+}} : tensor<?xf32>)
//       CHECK: %[[R:.+]] = linalg.reduce ins(%[[A]] : tensor<4x?x8xf32>) outs(%[[F]] : tensor<?xf32>) dimensions = [0, 2]
//  CHECK-NEXT:   (%[[X:.+]]: f32, %[[ACC:.+]]: f32) {
//  CHECK-NEXT:     %[[AB:.+]] = arith.bitcast %[[ACC]] : f32 to i32
//  CHECK-NEXT:     %[[XB:.+]] = arith.bitcast %[[X]] : f32 to i32
//  CHECK-NEXT:     %[[TB:.+]] = arith.ori %[[AB]], %[[XB]] : i32
//  CHECK-NEXT:     %[[TIE:.+]] = arith.bitcast %[[TB]] : i32 to f32
//  CHECK-NEXT:     %[[RW:.+]] = arith.cmpf ogt, %[[ACC]], %[[X]] : f32
//  CHECK-NEXT:     %[[R1:.+]] = arith.select %[[RW]], %[[X]], %[[TIE]] : f32
//  CHECK-NEXT:     %[[LW:.+]] = arith.cmpf olt, %[[ACC]], %[[X]] : f32
//  CHECK-NEXT:     %[[M:.+]] = arith.select %[[LW]], %[[ACC]], %[[R1]] : f32
//  CHECK-NEXT:     %[[ACCNAN:.+]] = arith.cmpf uno, %[[ACC]], %[[ACC]] : f32
//  CHECK-NEXT:     %[[S1:.+]] = arith.select %[[ACCNAN]], %[[X]], %[[M]] : f32
//  CHECK-NEXT:     %[[XNAN:.+]] = arith.cmpf uno, %[[X]], %[[X]] : f32
//  CHECK-NEXT:     %[[S2:.+]] = arith.select %[[XNAN]], %[[ACC]], %[[S1]] : f32
//  CHECK-NEXT:     linalg.yield %[[S2]] : f32
//       CHECK: return %[[R]]
func.func @reduce_min_float(%a: tensor<4x?x8xf32>) -> tensor<?xf32> {
  %0 = vm.reduce %a {kind = "min", dims = array<i64: 0, 2>} : tensor<4x?x8xf32> -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// Float max: identity -inf; the reduced dim is dynamic, so is the count.
// CHECK-LABEL: func.func @reduce_max_float(
//  CHECK-SAME: %[[A:.+]]: tensor<3x?xf64>)
//       CHECK: %[[NINF:.+]] = arith.constant 0xFFF0000000000000 : f64
//       CHECK: %[[D:.+]] = tensor.dim %[[A]], %{{.+}} : tensor<3x?xf64>
//       CHECK: %[[EMPTY:.+]] = arith.cmpi eq, %[[D]], %{{.+}} : index
//       CHECK: %[[NAN:.+]] = arith.constant 0x7FF8000000000000 : f64
//       CHECK: %[[INIT:.+]] = arith.select %[[EMPTY]], %[[NINF]], %[[NAN]] : f64
//       CHECK: linalg.fill ins(%[[INIT]] : f64)
//       CHECK: linalg.reduce ins(%[[A]] : tensor<3x?xf64>) outs(%{{.+}} : tensor<3xf64>) dimensions = [1]
//       CHECK:   arith.andi
//       CHECK:   arith.cmpf uno
//       CHECK:   arith.cmpf uno
func.func @reduce_max_float(%a: tensor<3x?xf64>) -> tensor<3xf64> {
  %0 = vm.reduce %a {kind = "max", dims = array<i64: 1>} : tensor<3x?xf64> -> tensor<3xf64>
  return %0 : tensor<3xf64>
}

// Narrow floats: sums and products accumulate in f32 (the element widened
// exactly) and are rounded to f16 once, by a generic after the reduction.
// CHECK-LABEL: func.func @reduce_prod_f16(
//       CHECK: %[[ONE:.+]] = arith.constant 1.000000e+00 : f32
//       CHECK: %[[F:.+]] = linalg.fill ins(%[[ONE]] : f32) outs(%{{.+}} : tensor<4xf32>)
//       CHECK: %[[RED:.+]] = linalg.reduce ins(%{{.+}} : tensor<4x8xf16>) outs(%[[F]] : tensor<4xf32>) dimensions = [1]
//  CHECK-NEXT:   (%[[X:.+]]: f16, %[[ACC:.+]]: f32) {
//  CHECK-NEXT:     %[[WX:.+]] = arith.extf %[[X]] : f16 to f32
//  CHECK-NEXT:     %[[P:.+]] = arith.mulf %[[ACC]], %[[WX]] : f32
//  CHECK-NEXT:     linalg.yield %[[P]] : f32
//       CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#[[VEC:.+]], #[[VEC]]], iterator_types = ["parallel"]}
//  CHECK-SAME:   ins(%[[RED]] : tensor<4xf32>) outs(%{{.+}} : tensor<4xf16>)
//  CHECK-NEXT:   ^bb0(%[[S:.+]]: f32, %{{.+}}: f16):
//  CHECK-NEXT:     %[[T:.+]] = arith.truncf %[[S]] : f32 to f16
//       CHECK:     arith.cmpf uno
//       CHECK:     %[[C:.+]] = arith.select %{{.+}}, %{{.+}}, %[[T]] : f16
//  CHECK-NEXT:     linalg.yield %[[C]] : f16
//       CHECK: return %[[R]]
func.func @reduce_prod_f16(%a: tensor<4x8xf16>) -> tensor<4xf16> {
  %0 = vm.reduce %a {kind = "prod", dims = array<i64: 1>} : tensor<4x8xf16> -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// bf16 sum over every dim: a 0-D f32 accumulator, one rounding to bf16.
// CHECK-LABEL: func.func @reduce_sum_bf16(
//       CHECK: %[[Z:.+]] = arith.constant 0.000000e+00 : f32
//       CHECK: %[[RED:.+]] = linalg.reduce ins(%{{.+}} : tensor<3x?xbf16>) outs(%{{.+}} : tensor<f32>) dimensions = [0, 1]
//  CHECK-NEXT:   (%[[X:.+]]: bf16, %[[ACC:.+]]: f32) {
//  CHECK-NEXT:     %[[WX:.+]] = arith.extf %[[X]] : bf16 to f32
//  CHECK-NEXT:     %[[S:.+]] = arith.addf %[[ACC]], %[[WX]] : f32
//  CHECK-NEXT:     linalg.yield %[[S]] : f32
//       CHECK: linalg.generic {{.+}} ins(%[[RED]] : tensor<f32>) outs(%{{.+}} : tensor<bf16>)
//       CHECK:   arith.truncf %{{.+}} : f32 to bf16
func.func @reduce_sum_bf16(%a: tensor<3x?xbf16>) -> tensor<bf16> {
  %0 = vm.reduce %a {kind = "sum", dims = array<i64: 0, 1>} : tensor<3x?xbf16> -> tensor<bf16>
  return %0 : tensor<bf16>
}

// f16 max is exact in f16: no wide accumulator, no rounding generic.
// CHECK-LABEL: func.func @reduce_max_f16(
//       CHECK: linalg.reduce ins(%{{.+}} : tensor<4x8xf16>) outs(%{{.+}} : tensor<4xf16>) dimensions = [1]
//   CHECK-NOT: arith.extf
//   CHECK-NOT: linalg.generic
//       CHECK: return
func.func @reduce_max_f16(%a: tensor<4x8xf16>) -> tensor<4xf16> {
  %0 = vm.reduce %a {kind = "max", dims = array<i64: 1>} : tensor<4x8xf16> -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// Integer identities: sum 0, prod 1, min MAX, max MIN, and all ones, or/xor 0.
// CHECK-LABEL: func.func @reduce_int(
//       CHECK: %[[I0:.+]] = arith.constant 0 : i32
//       CHECK: linalg.fill ins(%[[I0]] : i32)
//       CHECK: linalg.reduce { arith.addi
//       CHECK: %[[I1:.+]] = arith.constant 1 : i32
//       CHECK: linalg.fill ins(%[[I1]] : i32)
//       CHECK: linalg.reduce { arith.muli
//       CHECK: %[[I2:.+]] = arith.constant 2147483647 : i32
//       CHECK: linalg.fill ins(%[[I2]] : i32)
//       CHECK: linalg.reduce { arith.minsi }
//       CHECK: %[[I3:.+]] = arith.constant -2147483648 : i32
//       CHECK: linalg.fill ins(%[[I3]] : i32)
//       CHECK: linalg.reduce { arith.maxsi }
//       CHECK: %[[I4:.+]] = arith.constant -1 : i32
//       CHECK: linalg.fill ins(%[[I4]] : i32)
//       CHECK: linalg.reduce { arith.andi }
//       CHECK: %[[I5:.+]] = arith.constant 0 : i32
//       CHECK: linalg.fill ins(%[[I5]] : i32)
//       CHECK: linalg.reduce { arith.ori }
//       CHECK: %[[I6:.+]] = arith.constant 0 : i32
//       CHECK: linalg.fill ins(%[[I6]] : i32)
//       CHECK: linalg.reduce { arith.xori }
//   CHECK-NOT: 0x7FC00000
func.func @reduce_int(%a: tensor<4x8xi32>)
    -> (tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>) {
  %0 = vm.reduce %a {kind = "sum", dims = array<i64: 1>} : tensor<4x8xi32> -> tensor<4xi32>
  %1 = vm.reduce %a {kind = "prod", dims = array<i64: 1>} : tensor<4x8xi32> -> tensor<4xi32>
  %2 = vm.reduce %a {kind = "min", dims = array<i64: 1>} : tensor<4x8xi32> -> tensor<4xi32>
  %3 = vm.reduce %a {kind = "max", dims = array<i64: 1>} : tensor<4x8xi32> -> tensor<4xi32>
  %4 = vm.reduce %a {kind = "and", dims = array<i64: 1>} : tensor<4x8xi32> -> tensor<4xi32>
  %5 = vm.reduce %a {kind = "or", dims = array<i64: 1>} : tensor<4x8xi32> -> tensor<4xi32>
  %6 = vm.reduce %a {kind = "xor", dims = array<i64: 1>} : tensor<4x8xi32> -> tensor<4xi32>
  return %0, %1, %2, %3, %4, %5, %6
      : tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>
}

// i1 and: identity is true.
// CHECK-LABEL: func.func @reduce_i1(
//       CHECK: %[[T:.+]] = arith.constant true
//       CHECK: linalg.fill ins(%[[T]] : i1)
//       CHECK: linalg.reduce { arith.andi } ins(%{{.+}} : tensor<5xi1>) outs(%{{.+}} : tensor<i1>) dimensions = [0]
func.func @reduce_i1(%a: tensor<5xi1>) -> tensor<i1> {
  %0 = vm.reduce %a {kind = "and", dims = array<i64: 0>} : tensor<5xi1> -> tensor<i1>
  return %0 : tensor<i1>
}

// No reduced dims: the operand itself.
// CHECK-LABEL: func.func @reduce_no_dims(
//  CHECK-SAME: %[[A:.+]]: tensor<4xf32>)
//   CHECK-NOT: linalg.reduce
//       CHECK: %[[C:.+]] = tensor.cast %[[A]] : tensor<4xf32> to tensor<4xf32>
//       CHECK: return %[[C]]
func.func @reduce_no_dims(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = vm.reduce %a {kind = "max", dims = array<i64>} : tensor<4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

//===----------------------------------------------------------------------===//
// dot: linalg.dot into a zero-filled 0-D accumulator of the result type.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @dot(
//  CHECK-SAME: %[[A:.+]]: tensor<8xf32>, %[[B:.+]]: tensor<?xf32>)
//       CHECK: %[[Z:.+]] = arith.constant 0.000000e+00 : f32
//       CHECK: %[[E:.+]] = tensor.empty() : tensor<f32>
//       CHECK: %[[F:.+]] = linalg.fill ins(%[[Z]] : f32) outs(%[[E]] : tensor<f32>)
//       CHECK: %[[R:.+]] = linalg.dot ins(%[[A]], %[[B]] : tensor<8xf32>, tensor<?xf32>) outs(%[[F]] : tensor<f32>)
//       CHECK: return %[[R]]
func.func @dot(%a: tensor<8xf32>, %b: tensor<?xf32>) -> tensor<f32> {
  %0 = vm.dot %a, %b : (tensor<8xf32>, tensor<?xf32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// f16 -> f16: an f32 accumulator, rounded once to f16 afterwards.
// CHECK-LABEL: func.func @dot_f16(
//       CHECK: %[[Z:.+]] = arith.constant 0.000000e+00 : f32
//       CHECK: %[[F:.+]] = linalg.fill ins(%[[Z]] : f32) outs(%{{.+}} : tensor<f32>)
//       CHECK: %[[D:.+]] = linalg.dot ins(%{{.+}}, %{{.+}} : tensor<16xf16>, tensor<16xf16>) outs(%[[F]] : tensor<f32>) -> tensor<f32>
//       CHECK: %[[R:.+]] = linalg.generic {{.+}} ins(%[[D]] : tensor<f32>) outs(%{{.+}} : tensor<f16>)
//       CHECK:   arith.truncf %{{.+}} : f32 to f16
//       CHECK: return %[[R]]
func.func @dot_f16(%h: tensor<16xf16>) -> tensor<f16> {
  %0 = vm.dot %h, %h : tensor<16xf16> -> tensor<f16>
  return %0 : tensor<f16>
}

// Widening: f16 -> f32 and i8 -> i32 accumulators.
// CHECK-LABEL: func.func @dot_widening(
//       CHECK: %[[ZF:.+]] = arith.constant 0.000000e+00 : f32
//       CHECK: linalg.fill ins(%[[ZF]] : f32)
//       CHECK: linalg.dot ins(%{{.+}}, %{{.+}} : tensor<16xf16>, tensor<16xf16>) outs(%{{.+}} : tensor<f32>) -> tensor<f32>
//       CHECK: %[[ZI:.+]] = arith.constant 0 : i32
//       CHECK: linalg.fill ins(%[[ZI]] : i32)
//       CHECK: linalg.dot ins(%{{.+}}, %{{.+}} : tensor<?xi8>, tensor<?xi8>) outs(%{{.+}} : tensor<i32>) -> tensor<i32>
func.func @dot_widening(%h: tensor<16xf16>, %i: tensor<?xi8>) -> (tensor<f32>, tensor<i32>) {
  %0 = vm.dot %h, %h : tensor<16xf16> -> tensor<f32>
  %1 = vm.dot %i, %i : tensor<?xi8> -> tensor<i32>
  return %0, %1 : tensor<f32>, tensor<i32>
}

//===----------------------------------------------------------------------===//
// softmax: max reduction, exp(x - max), sum reduction, division.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @softmax(
//  CHECK-SAME: %[[A:.+]]: tensor<2x?xf32>)
//       CHECK: %[[NINF:.+]] = arith.constant 0xFF800000 : f32
//       CHECK: %[[MAXINIT:.+]] = linalg.fill ins(%[[NINF]] : f32) outs(%{{.+}} : tensor<2xf32>)
//       CHECK: %[[MAX:.+]] = linalg.reduce { arith.maximumf } ins(%[[A]] : tensor<2x?xf32>) outs(%[[MAXINIT]] : tensor<2xf32>) dimensions = [1]
//       CHECK: %[[EXPS:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
//  CHECK-SAME:     ins(%[[A]], %[[MAX]] : tensor<2x?xf32>, tensor<2xf32>)
//  CHECK-NEXT:   ^bb0(%[[X:.+]]: f32, %[[M:.+]]: f32, %{{.+}}: f32):
//  CHECK-NEXT:     %[[SH:.+]] = arith.subf %[[X]], %[[M]] : f32
//  CHECK-NEXT:     %[[EX:.+]] = math.exp %[[SH]] : f32
//  CHECK-NEXT:     linalg.yield %[[EX]] : f32
//       CHECK: %[[Z:.+]] = arith.constant 0.000000e+00 : f32
//       CHECK: %[[SUMINIT:.+]] = linalg.fill ins(%[[Z]] : f32) outs(%{{.+}} : tensor<2xf32>)
//       CHECK: %[[SUM:.+]] = linalg.reduce { arith.addf } ins(%[[EXPS]] : tensor<2x?xf32>) outs(%[[SUMINIT]] : tensor<2xf32>) dimensions = [1]
//       CHECK: %[[R:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
//  CHECK-SAME:     ins(%[[EXPS]], %[[SUM]] : tensor<2x?xf32>, tensor<2xf32>)
//  CHECK-NEXT:   ^bb0(%[[E:.+]]: f32, %[[S:.+]]: f32, %{{.+}}: f32):
//  CHECK-NEXT:     %[[Q:.+]] = arith.divf %[[E]], %[[S]] : f32
//  CHECK-NEXT:     linalg.yield %[[Q]] : f32
//       CHECK: return %[[R]]
func.func @softmax(%a: tensor<2x?xf32>) -> tensor<2x?xf32> {
  %0 = vm.softmax %a {dim = 1 : i64} : tensor<2x?xf32>
  return %0 : tensor<2x?xf32>
}

// f16 along dim 0: exps and sums in f32, one rounding at the end.
// CHECK-LABEL: func.func @softmax_f16(
//  CHECK-SAME: %[[A:.+]]: tensor<3x4xf16>)
//       CHECK: %[[MAX:.+]] = linalg.reduce { arith.maximumf } ins(%[[A]] : tensor<3x4xf16>) outs(%{{.+}} : tensor<4xf16>) dimensions = [0]
//       CHECK: %[[EXPS:.+]] = linalg.generic {indexing_maps = [#[[ID]], #[[COL]], #[[ID]]]
//  CHECK-SAME:     ins(%[[A]], %[[MAX]] : tensor<3x4xf16>, tensor<4xf16>) outs(%{{.+}} : tensor<3x4xf32>)
//  CHECK-NEXT:   ^bb0(%[[X:.+]]: f16, %[[M:.+]]: f16, %{{.+}}: f32):
//  CHECK-NEXT:     %[[WX:.+]] = arith.extf %[[X]] : f16 to f32
//  CHECK-NEXT:     %[[WM:.+]] = arith.extf %[[M]] : f16 to f32
//  CHECK-NEXT:     %[[SH:.+]] = arith.subf %[[WX]], %[[WM]] : f32
//  CHECK-NEXT:     %[[EX:.+]] = math.exp %[[SH]] : f32
//  CHECK-NEXT:     linalg.yield %[[EX]] : f32
//       CHECK: %[[SUM:.+]] = linalg.reduce { arith.addf } ins(%[[EXPS]] : tensor<3x4xf32>) outs(%{{.+}} : tensor<4xf32>) dimensions = [0]
//       CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[COL]], #[[ID]]]
//  CHECK-SAME:     ins(%[[EXPS]], %[[SUM]] : tensor<3x4xf32>, tensor<4xf32>) outs(%{{.+}} : tensor<3x4xf16>)
//  CHECK-NEXT:   ^bb0(%[[E:.+]]: f32, %[[S:.+]]: f32, %{{.+}}: f16):
//  CHECK-NEXT:     %[[Q:.+]] = arith.divf %[[E]], %[[S]] : f32
//  CHECK-NEXT:     %[[R:.+]] = arith.truncf %[[Q]] : f32 to f16
//       CHECK:     %[[QNAN:.+]] = arith.cmpf uno, %[[Q]], %[[Q]] : f32
//  CHECK-NEXT:     %[[C:.+]] = arith.select %[[QNAN]], %{{.+}}, %[[R]] : f16
//  CHECK-NEXT:     linalg.yield %[[C]] : f16
func.func @softmax_f16(%a: tensor<3x4xf16>) -> tensor<3x4xf16> {
  %0 = vm.softmax %a {dim = 0 : i64} : tensor<3x4xf16>
  return %0 : tensor<3x4xf16>
}

// Unsigned integer min/max (contract v2): identities UMAX (all ones) and 0,
// combined with minui/maxui.
// CHECK-LABEL: func.func @reduce_unsigned
//       CHECK: %[[UMAX:.+]] = arith.constant -1 : i16
//       CHECK: linalg.fill ins(%[[UMAX]] : i16)
//       CHECK: arith.minui
//       CHECK: %[[ZERO:.+]] = arith.constant 0 : i16
//       CHECK: linalg.fill ins(%[[ZERO]] : i16)
//       CHECK: arith.maxui
func.func @reduce_unsigned(%a: tensor<3x5xi16>) -> (tensor<3xi16>, tensor<5xi16>) {
  %0 = vm.reduce %a {kind = "min", dims = array<i64: 1>, unsigned} : tensor<3x5xi16> -> tensor<3xi16>
  %1 = vm.reduce %a {kind = "max", dims = array<i64: 0>, unsigned} : tensor<3x5xi16> -> tensor<5xi16>
  return %0, %1 : tensor<3xi16>, tensor<5xi16>
}
