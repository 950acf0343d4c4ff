// RUN: vm-gpu-opt %s --vm-to-linalg | FileCheck %s

// vm-to-linalg for vm.take and vm.gather: one generic over the result with
// the indices as its input; the body normalizes the index (negative from the
// end, then clamped into [0, n)) and extracts from the captured data. An
// empty dim with indices is refused by a shape check.

// CHECK-DAG: #[[TAKE_IDX:.+]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[ID3:.+]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @take
//  CHECK-SAME: (%[[D:.+]]: tensor<5x?xf32>, %[[I:.+]]: tensor<2x3xi32>)
//       CHECK: %[[N:.+]] = tensor.dim %[[D]], %{{.+}} : tensor<5x?xf32>
//       CHECK: cf.assert %{{.+}}, "'vm.take' at {{.+}}: indices select from an empty dimension"
//       CHECK: linalg.generic {indexing_maps = [#[[TAKE_IDX]], #[[ID3]]], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[I]] : tensor<2x3xi32>)
//  CHECK-NEXT: ^bb0(%[[X:.+]]: i32, %{{.+}}: f32):
//  CHECK-NEXT:   %[[W:.+]] = arith.extsi %[[X]] : i32 to i64
//  CHECK-NEXT:   %[[N64:.+]] = arith.index_cast %[[N]] : index to i64
//       CHECK:   %[[NEG:.+]] = arith.cmpi slt, %[[W]], %{{.+}} : i64
//       CHECK:   %[[END:.+]] = arith.addi %[[W]], %[[N64]] : i64
//       CHECK:   %[[SEL:.+]] = arith.select %[[NEG]], %[[END]], %[[W]] : i64
//       CHECK:   %[[LO:.+]] = arith.maxsi %[[SEL]], %{{.+}} : i64
//       CHECK:   %[[C:.+]] = arith.minsi %[[LO]], %{{.+}} : i64
//       CHECK:   %[[POS:.+]] = arith.index_cast %[[C]] : i64 to index
//       CHECK:   %[[ROW:.+]] = linalg.index 0 : index
//       CHECK:   %[[E:.+]] = tensor.extract %[[D]][%[[ROW]], %[[POS]]] : tensor<5x?xf32>
//       CHECK:   linalg.yield %[[E]] : f32
func.func @take(%d: tensor<5x?xf32>, %i: tensor<2x3xi32>) -> tensor<5x2x3xf32> {
  %0 = vm.take %d, %i {dim = 1 : i64} : (tensor<5x?xf32>, tensor<2x3xi32>) -> tensor<5x2x3xf32>
  return %0 : tensor<5x2x3xf32>
}

// Gather checks the non-gathered dims of the indices against data's.
// CHECK-LABEL: func.func @gather
//       CHECK: cf.assert %{{.+}}, "'vm.gather' at {{.+}}: indices dimension 0 must not be larger than data's"
//       CHECK: linalg.generic
//       CHECK: ^bb0(%{{.+}}: i64, %{{.+}}: i8):
//       CHECK:   %[[ROW:.+]] = linalg.index 0 : index
//       CHECK:   tensor.extract %{{.+}}[%[[ROW]], %{{.+}}] : tensor<?x4xi8>
func.func @gather(%d: tensor<?x4xi8>, %i: tensor<?x2xi64>) -> tensor<?x2xi8> {
  %0 = vm.gather %d, %i {dim = 1 : i64} : (tensor<?x4xi8>, tensor<?x2xi64>) -> tensor<?x2xi8>
  return %0 : tensor<?x2xi8>
}
