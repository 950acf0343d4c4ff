// RUN: vm-gpu-opt %s --vm-to-linalg --canonicalize --cse | FileCheck %s

// vm.scatter: an scf.forall over the lanes of `updates` (every dim but
// `dim`) sharing `data`; each lane is one sequential scf.for over its
// updates in order, normalizing the index in i64 (+ n when negative; an
// index still outside [0, n), read as unsigned, skips the update) and
// combining into the lane with the kind's step (f16 add through f32, one
// rounding per update).

// CHECK-LABEL: func.func @scatter_add
//  CHECK-SAME: %[[DATA:[a-z0-9]+]]: tensor<5x?xf16>, %[[IDX:[a-z0-9]+]]: tensor<2x3xi32>, %[[UPD:[a-z0-9]+]]: tensor<2x3xf16>
//       CHECK: %[[N:.+]] = tensor.dim %[[DATA]], %{{.+}} : tensor<5x?xf16>
//       CHECK: %[[R:.+]] = scf.forall (%[[LANE:.+]]) in (2) shared_outs(%[[OUT:.+]] = %[[DATA]]) -> (tensor<5x?xf16>)
//       CHECK:   %[[ROW:.+]] = tensor.extract_slice %[[OUT]][%[[LANE]], 0] [1, %{{.+}}] [1, 1] : tensor<5x?xf16> to tensor<?xf16>
//       CHECK:   %[[DONE:.+]] = scf.for %[[J:.+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%[[ACC:.+]] = %[[ROW]]) -> (tensor<?xf16>)
//       CHECK:     %[[I:.+]] = tensor.extract %[[IDX]][%[[LANE]], %[[J]]] : tensor<2x3xi32>
//       CHECK:     %[[U:.+]] = tensor.extract %[[UPD]][%[[LANE]], %[[J]]] : tensor<2x3xf16>
//       CHECK:     %[[I64:.+]] = arith.extsi %[[I]] : i32 to i64
//       CHECK:     %[[N64:.+]] = arith.index_cast %[[N]] : index to i64
//       CHECK:     %[[NEG:.+]] = arith.cmpi slt, %[[I64]]
//       CHECK:     %[[UP:.+]] = arith.addi %[[I64]], %[[N64]]
//       CHECK:     %[[T:.+]] = arith.select %[[NEG]], %[[UP]], %[[I64]]
//       CHECK:     %[[IN:.+]] = arith.cmpi ult, %[[T]], %[[N64]] : i64
//       CHECK:     %[[AT:.+]] = arith.index_cast %[[T]] : i64 to index
//       CHECK:     scf.if %[[IN]] -> (tensor<?xf16>)
//       CHECK:       %[[OLD:.+]] = tensor.extract %[[ACC]][%[[AT]]]
//       CHECK:       %[[A:.+]] = arith.extf %[[OLD]] : f16 to f32
//       CHECK:       %[[B:.+]] = arith.extf %[[U]] : f16 to f32
//       CHECK:       %[[S:.+]] = arith.addf %[[A]], %[[B]] : f32
//       CHECK:       arith.truncf %[[S]] : f32 to f16
//       CHECK:       tensor.insert %{{.+}} into %[[ACC]][%[[AT]]]
//       CHECK:     } else {
//  CHECK-NEXT:       scf.yield %[[ACC]]
//       CHECK:   scf.forall.in_parallel
//  CHECK-NEXT:     tensor.parallel_insert_slice %[[DONE]] into %[[OUT]][%[[LANE]], 0]
//       CHECK: return %[[R]]
func.func @scatter_add(%d: tensor<5x?xf16>, %i: tensor<2x3xi32>, %u: tensor<2x3xf16>) -> tensor<5x?xf16> {
  %0 = vm.scatter %d, %i, %u {dim = 1 : i64, kind = "add"} : (tensor<5x?xf16>, tensor<2x3xi32>, tensor<2x3xf16>) -> tensor<5x?xf16>
  return %0 : tensor<5x?xf16>
}

// A 1-D scatter is one lane (the single-iteration forall folds away); `set`
// writes the update; dynamic update counts are checked against the indices.
// CHECK-LABEL: func.func @scatter_set_1d
//       CHECK: cf.assert %{{.+}}, "'vm.scatter' at {{.+}}: indices must have the shape of updates (dimension 0)"
//   CHECK-NOT: scf.forall
//       CHECK: scf.for %{{.+}} iter_args(%[[ACC:.+]] = %{{.+}}) -> (tensor<7xi8>)
//       CHECK:   %[[U:.+]] = tensor.extract %{{.+}} : tensor<?xi8>
//       CHECK:   arith.cmpi ult, %{{.+}}, %c7_i64 : i64
//       CHECK:   scf.if
//  CHECK-NEXT:     tensor.insert %[[U]] into %[[ACC]]
func.func @scatter_set_1d(%d: tensor<7xi8>, %i: tensor<?xi64>, %u: tensor<?xi8>) -> tensor<7xi8> {
  %0 = vm.scatter %d, %i, %u {dim = 0 : i64, kind = "set"} : (tensor<7xi8>, tensor<?xi64>, tensor<?xi8>) -> tensor<7xi8>
  return %0 : tensor<7xi8>
}

// Unsigned max uses the unsigned integer step.
// CHECK-LABEL: func.func @scatter_max_unsigned
//       CHECK: scf.forall
//       CHECK:   arith.maxui
func.func @scatter_max_unsigned(%d: tensor<4x3xi32>, %i: tensor<6x3xi32>, %u: tensor<6x3xi32>) -> tensor<4x3xi32> {
  %0 = vm.scatter %d, %i, %u {dim = 0 : i64, kind = "max", unsigned} : (tensor<4x3xi32>, tensor<6x3xi32>, tensor<6x3xi32>) -> tensor<4x3xi32>
  return %0 : tensor<4x3xi32>
}
