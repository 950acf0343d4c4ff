// RUN: vm-gpu-opt %s --vm-to-linalg | FileCheck %s

// vm.arg_reduce: one generic reducing `dim` into (value, index). An element
// is taken when it ranks above the accumulator, or is the same at a lower
// index, which makes the combine order-independent.

// Floats start from NaN with the index past every real one; a number beats
// NaN, ogt ranks, and equal zeros of different signs favour +0 for max.
// CHECK-LABEL: func.func @argmax_float
//       CHECK: cf.assert %{{.+}}, "'vm.arg_reduce' at {{.+}}: dimension 1 is empty: it has no first max or min"
//   CHECK-NOT: longer than
//   CHECK-DAG: %[[NAN:.+]] = arith.constant 0x7E00 : f16
//   CHECK-DAG: %[[PAST:.+]] = arith.constant 9223372036854775807 : i64
//       CHECK: %[[V:.+]] = linalg.fill ins(%[[NAN]] : f16)
//       CHECK: %[[I:.+]] = linalg.fill ins(%[[PAST]] : i64)
//       CHECK: %[[R:.+]]:2 = linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]} ins(%{{.+}} : tensor<5x?xf16>) outs(%[[V]], %[[I]] : tensor<5xf16>, tensor<5xi64>)
//  CHECK-NEXT: ^bb0(%[[X:.+]]: f16, %[[ACC:.+]]: f16, %[[AI:.+]]: i64):
//  CHECK-NEXT:   %[[POS:.+]] = linalg.index 1 : index
//  CHECK-NEXT:   %[[XI:.+]] = arith.index_cast %[[POS]] : index to i64
//       CHECK:   arith.cmpf ogt, %[[X]], %[[ACC]] : f16
//       CHECK:   %[[EARLIER:.+]] = arith.cmpi slt, %[[XI]], %[[AI]] : i64
//       CHECK:   %[[TAKE:.+]] = arith.ori
//       CHECK:   %[[NV:.+]] = arith.select %[[TAKE]], %[[X]], %[[ACC]] : f16
//       CHECK:   %[[NI:.+]] = arith.select %[[TAKE]], %[[XI]], %[[AI]] : i64
//       CHECK:   linalg.yield %[[NV]], %[[NI]] : f16, i64
//       CHECK: return %[[R]]#1
func.func @argmax_float(%x: tensor<5x?xf16>) -> tensor<5xi64> {
  %0 = vm.arg_reduce %x {kind = "max", dim = 1 : i64} : tensor<5x?xf16> -> tensor<5xi64>
  return %0 : tensor<5xi64>
}

// Unsigned integer min starts from UMAX and ranks with ult; an i32 index
// needs the length check.
// CHECK-LABEL: func.func @argmin_unsigned
//       CHECK: "'vm.arg_reduce' at {{.+}}: dimension 0 is longer than an i32 result can index"
//       CHECK: arith.constant -1 : i8
//       CHECK: linalg.generic
//       CHECK:   arith.cmpi ult
//       CHECK:   arith.cmpi eq
func.func @argmin_unsigned(%y: tensor<?xi8>) -> tensor<i32> {
  %0 = vm.arg_reduce %y {kind = "min", dim = 0 : i64, unsigned} : tensor<?xi8> -> tensor<i32>
  return %0 : tensor<i32>
}
