// RUN: vm-gpu-opt %s --vm-to-linalg --canonicalize --cse | FileCheck %s

// vm.scatter, per lane: an scf.forall over the lanes of `updates` (every
// dim but `dim`) sharing `data`; each lane is one sequential scf.for over
// its updates in order, normalizing the index in i64 (+ n when negative; an
// index still outside [0, n), read as unsigned, skips the update) and
// combining into the lane with the kind's step (f16 add through f32, one
// rounding per update). Few lanes of at least 512 updates (static) take the
// sorted form instead (the last cases).

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

// Sorted: the keys (the normalized target, or n = 10 for a dropped update)
// and positions, ceil(log2 600) = 10 merge passes, then one generic over the
// result: two binary searches (ceil(log2 601) = 10 steps each; their first
// probes are the same key, which CSE shares) bound the element's run of
// sorted updates, which an scf.for folds into `data`'s element in order.
// CHECK-LABEL: func.func @scatter_add_sorted
//  CHECK-SAME: %[[DATA:[a-z0-9]+]]: tensor<10xf32>, %[[IDX:[a-z0-9]+]]: tensor<600xi32>, %[[UPD:[a-z0-9]+]]: tensor<600xf32>
//   CHECK-NOT: scf.forall
//       CHECK: %[[START:.+]]:2 = linalg.generic {{.+}} ins(%[[IDX]] : tensor<600xi32>)
//       CHECK:   %[[IN:.+]] = arith.cmpi ult, %[[T:.+]], %c10_i64 : i64
//       CHECK:   %[[KEY:.+]] = arith.select %[[IN]], %[[T]], %c10_i64 : i64
//       CHECK:   linalg.yield %[[KEY]], %{{.+}} : i64, i64
// CHECK-COUNT-9: linalg.generic {{.+}} outs(%{{.+}}, %{{.+}} : tensor<600xi64>, tensor<600xi64>)
//       CHECK: %[[SORTED:.+]]:2 = linalg.generic {{.+}} outs(%{{.+}}, %{{.+}} : tensor<600xi64>, tensor<600xi64>)
//       CHECK: %[[R:.+]] = linalg.generic {{.+}} ins(%[[DATA]] : tensor<10xf32>) outs(%{{.+}} : tensor<10xf32>)
//       CHECK: ^bb0(%[[ELEMENT:.+]]: f32, %{{.+}}: f32):
// CHECK-COUNT-19: tensor.extract %[[SORTED]]#0
//       CHECK:   scf.for %[[K:.+]] = %{{.+}} to %{{.+}} step %{{.+}} iter_args(%[[ACC:.+]] = %[[ELEMENT]]) -> (f32)
//  CHECK-NEXT:     %[[P:.+]] = tensor.extract %[[SORTED]]#1[%[[K]]]
//  CHECK-NEXT:     %[[PI:.+]] = arith.index_cast %[[P]] : i64 to index
//  CHECK-NEXT:     %[[U:.+]] = tensor.extract %[[UPD]][%[[PI]]]
//  CHECK-NEXT:     %[[S:.+]] = arith.addf %[[ACC]], %[[U]] : f32
//  CHECK-NEXT:     scf.yield %[[S]]
//       CHECK: return %[[R]]
func.func @scatter_add_sorted(%d: tensor<10xf32>, %i: tensor<600xi32>, %u: tensor<600xf32>) -> tensor<10xf32> {
  %0 = vm.scatter %d, %i, %u {dim = 0 : i64, kind = "add"} : (tensor<10xf32>, tensor<600xi32>, tensor<600xf32>) -> tensor<10xf32>
  return %0 : tensor<10xf32>
}

// `set` reads the latest update of the run, if any; result lanes past the
// updates' extent (lane 2 of 3) take none.
// CHECK-LABEL: func.func @scatter_set_sorted
//       CHECK: linalg.generic {{.+}} ins(%{{.+}} : tensor<3x10xf32>) outs(%{{.+}} : tensor<3x10xf32>)
//       CHECK:   %[[ROW:.+]] = linalg.index 0 : index
//       CHECK:   %[[INLANE:.+]] = arith.cmpi ult, %[[ROW]], %c2 : index
//       CHECK:   %[[END:.+]] = arith.select %[[INLANE]], %{{.+}}, %[[FIRST:.+]] : index
//       CHECK:   %[[ANY:.+]] = arith.cmpi ult, %[[FIRST]], %[[END]] : index
//   CHECK-NOT:   scf.for
//       CHECK:   arith.select %[[ANY]], %{{.+}}, %{{.+}} : f32
func.func @scatter_set_sorted(%d: tensor<3x10xf32>, %i: tensor<2x600xi64>, %u: tensor<2x600xf32>) -> tensor<3x10xf32> {
  %0 = vm.scatter %d, %i, %u {dim = 1 : i64, kind = "set"} : (tensor<3x10xf32>, tensor<2x600xi64>, tensor<2x600xf32>) -> tensor<3x10xf32>
  return %0 : tensor<3x10xf32>
}
