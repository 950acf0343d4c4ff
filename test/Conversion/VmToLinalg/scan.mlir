// RUN: vm-gpu-opt %s --vm-to-linalg | FileCheck %s

// vm.scan: one generic with `dim` as a reduction loop and two outputs, the
// running value (indexed without `dim`) and the result (indexed with it);
// f16 sums run in f32 and each result is rounded once.

// CHECK-DAG: #[[ID:.+]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[LANE:.+]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @cumsum
//       CHECK: %[[RUNNING:.+]] = linalg.fill ins(%{{.+}} : f32) outs(%{{.+}} : tensor<5xf32>)
//       CHECK: %[[R:.+]]:2 = linalg.generic {indexing_maps = [#[[ID]], #[[LANE]], #[[ID]]], iterator_types = ["parallel", "reduction"]} ins(%{{.+}} : tensor<5x?xf16>) outs(%[[RUNNING]], %{{.+}} : tensor<5xf32>, tensor<5x?xf16>)
//  CHECK-NEXT: ^bb0(%[[X:.+]]: f16, %[[ACC:.+]]: f32, %{{.+}}: f16):
//  CHECK-NEXT:   %[[W:.+]] = arith.extf %[[X]] : f16 to f32
//  CHECK-NEXT:   %[[S:.+]] = arith.addf %[[ACC]], %[[W]] : f32
//       CHECK:   linalg.yield %[[S]], %{{.+}} : f32, f16
//       CHECK: return %[[R]]#1
func.func @cumsum(%x: tensor<5x?xf16>) -> tensor<5x?xf16> {
  %0 = vm.scan %x {kind = "sum", dim = 1 : i64} : tensor<5x?xf16>
  return %0 : tensor<5x?xf16>
}

// reverse: the operand is read backwards (n - 1 - i) and the result written
// back the same way; exclusive writes the running value before the step.
// CHECK-LABEL: func.func @reverse_exclusive
//       CHECK: linalg.generic {{.+}} outs(%{{.+}} : tensor<7xi8>)
//       CHECK:   arith.subi
//       CHECK:   tensor.extract
//       CHECK: %[[R:.+]]:2 = linalg.generic
//       CHECK: ^bb0(%[[X:.+]]: i8, %[[ACC:.+]]: i8, %{{.+}}: i8):
//  CHECK-NEXT:   %[[M:.+]] = arith.maxui %[[ACC]], %[[X]] : i8
//  CHECK-NEXT:   linalg.yield %[[M]], %[[ACC]] : i8, i8
//       CHECK: linalg.generic {{.+}} outs(%{{.+}} : tensor<7xi8>)
//       CHECK:   tensor.extract %[[R]]#1
func.func @reverse_exclusive(%y: tensor<7xi8>) -> tensor<7xi8> {
  %0 = vm.scan %y {kind = "max", dim = 0 : i64, unsigned, exclusive, reverse} : tensor<7xi8>
  return %0 : tensor<7xi8>
}
