// RUN: vm-gpu-opt %s --vm-to-linalg | FileCheck %s

// vm.arg_reduce. Elements of at most 32 bits with positions below 2^32 (an
// i32 result, or a static length): one i64 accumulator of packed (key,
// position) under unsigned max/min, then the index unpacked. Otherwise one
// generic reducing `dim` into (value, index): an element is taken when it
// ranks above the accumulator, or is the same at a lower index. Both
// combines are order-independent.

// The two-accumulator form (an i64 result over a dynamic length). Floats
// start from NaN with the index past every real one; a number beats
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

// The packed form: an unsigned i8 min (its key is the value itself), an i32
// result (so positions fit and the length is checked); umin starts from all
// ones, the position is the low word.
// CHECK-LABEL: func.func @argmin_unsigned
//       CHECK: "'vm.arg_reduce' at {{.+}}: dimension 0 is longer than an i32 result can index"
//       CHECK: %[[ONES:.+]] = arith.constant -1 : i64
//       CHECK: %[[INIT:.+]] = linalg.fill ins(%[[ONES]] : i64)
//       CHECK: %[[P:.+]] = linalg.generic {{.+}} iterator_types = ["reduction"]} ins(%{{.+}} : tensor<?xi8>) outs(%[[INIT]] : tensor<i64>)
//  CHECK-NEXT: ^bb0(%[[X:.+]]: i8, %[[ACC:.+]]: i64):
//       CHECK:   %[[KEY:.+]] = arith.extui %[[X]] : i8 to i64
//       CHECK:   %[[POS:.+]] = linalg.index 0 : index
//       CHECK:   %[[PI:.+]] = arith.index_cast %[[POS]] : index to i64
//       CHECK:   %[[HIGH:.+]] = arith.shli %[[KEY]], %{{.+}} : i64
//       CHECK:   %[[CAND:.+]] = arith.ori %[[HIGH]], %[[PI]] : i64
//       CHECK:   %[[BEST:.+]] = arith.minui %[[ACC]], %[[CAND]] : i64
//       CHECK:   linalg.yield %[[BEST]] : i64
//       CHECK: linalg.generic {{.+}} ins(%[[P]] : tensor<i64>)
//       CHECK:   arith.andi
//   CHECK-NOT:   arith.xori
//       CHECK:   arith.trunci %{{.+}} : i64 to i32
func.func @argmin_unsigned(%y: tensor<?xi8>) -> tensor<i32> {
  %0 = vm.arg_reduce %y {kind = "min", dim = 0 : i64, unsigned} : tensor<?xi8> -> tensor<i32>
  return %0 : tensor<i32>
}

// A float max over a static length with an i64 result is packed too: NaN
// keys become 0 (below every number's), the position is complemented so
// that the earlier one packs larger, umax starts from 0.
// CHECK-LABEL: func.func @argmax_packed_float
//       CHECK: %[[ZERO:.+]] = arith.constant 0 : i64
//       CHECK: linalg.fill ins(%[[ZERO]] : i64)
//       CHECK: linalg.generic {{.+}} iterator_types = ["parallel", "reduction"]} ins(%{{.+}} : tensor<3x1000xf32>)
//       CHECK:   arith.cmpf uno
//       CHECK:   arith.select
//       CHECK:   linalg.index 1
//       CHECK:   arith.xori
//       CHECK:   arith.maxui
//       CHECK: linalg.generic
//       CHECK:   arith.andi
//       CHECK:   arith.xori
func.func @argmax_packed_float(%x: tensor<3x1000xf32>) -> tensor<3xi64> {
  %0 = vm.arg_reduce %x {kind = "max", dim = 1 : i64} : tensor<3x1000xf32> -> tensor<3xi64>
  return %0 : tensor<3xi64>
}

// 64-bit elements keep the two accumulators.
// CHECK-LABEL: func.func @argmax_f64
//       CHECK: linalg.generic {{.+}} outs(%{{.+}}, %{{.+}} : tensor<4xf64>, tensor<4xi32>)
func.func @argmax_f64(%x: tensor<4x7xf64>) -> tensor<4xi32> {
  %0 = vm.arg_reduce %x {kind = "max", dim = 1 : i64} : tensor<4x7xf64> -> tensor<4xi32>
  return %0 : tensor<4xi32>
}
