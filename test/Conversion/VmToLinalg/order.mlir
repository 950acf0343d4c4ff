// RUN: vm-gpu-opt %s --vm-to-linalg --canonicalize --cse | FileCheck %s

// vm.sort and vm.topk. Many lanes, or a length known only at run time:
// positions 0..n-1 (an iota along `dim` over a work tensor of twice the lane
// length: positions, then scratch), sorted per lane by an scf.while of merge
// passes inside an scf.forall over the lanes. Few lanes (< 128) of a static
// length >= 512: merge passes over every element, each one linalg.generic
// (a binary search along the merge path, unrolled). Either way the results
// (the first n, or k, positions and the values there) come from one
// linalg.generic with two outputs. vm.topk with a small k selects instead
// (below).

// Floats: the key flips every bit of a negative value and the sign bit of
// any other, and every NaN becomes all ones; descending compares `ugt`.
// CHECK-LABEL: func.func @sort_desc
//  CHECK-SAME: %[[X:[a-z0-9]+]]: tensor<4x?xf32>
//   CHECK-DAG: %[[ONES:.+]] = arith.constant -1 : i32
//   CHECK-DAG: %[[SIGN:.+]] = arith.constant -2147483648 : i32
//       CHECK: %[[N:.+]] = tensor.dim %[[X]]
//       CHECK: %[[TWO_N:.+]] = arith.shli %[[N]]
//       CHECK: %[[EMPTY:.+]] = tensor.empty(%[[TWO_N]]) : tensor<4x?xi64>
//       CHECK: %[[IOTA:.+]] = linalg.generic {{.+}} outs(%[[EMPTY]] : tensor<4x?xi64>)
//       CHECK:   linalg.index 1
//       CHECK: %[[WORK:.+]] = scf.forall (%[[LANE:.+]]) in (4) shared_outs(%[[OUT:.+]] = %[[IOTA]])
//       CHECK:   tensor.extract_slice %[[OUT]][%[[LANE]], 0]
//       CHECK:   scf.while
//       CHECK:     arith.cmpi ult, %{{.+}}, %[[N]] : index
//       CHECK:   } do {
//       CHECK:     scf.for
//       CHECK:       scf.for
//       CHECK:         %[[V:.+]] = tensor.extract %[[X]][%[[LANE]], %{{.+}}] : tensor<4x?xf32>
//       CHECK:         %[[BITS:.+]] = arith.bitcast %[[V]] : f32 to i32
//       CHECK:         %[[NEG:.+]] = arith.cmpi slt, %[[BITS]]
//       CHECK:         %[[FLIP:.+]] = arith.select %[[NEG]], %[[ONES]], %[[SIGN]] : i32
//       CHECK:         %[[ORD:.+]] = arith.xori %[[BITS]], %[[FLIP]] : i32
//       CHECK:         %[[NAN:.+]] = arith.cmpf uno, %[[V]], %[[V]] : f32
//       CHECK:         arith.select %[[NAN]], %[[ONES]], %[[ORD]] : i32
//       CHECK:         arith.cmpi ugt
//       CHECK:         tensor.insert
//       CHECK:     scf.for
//       CHECK:   scf.forall.in_parallel
//       CHECK: %[[FIRST:.+]] = tensor.extract_slice %[[WORK]][0, 0] [4, %[[N]]] [1, 1]
//       CHECK: %[[R:.+]]:2 = linalg.generic {{.+}} ins(%[[FIRST]] : tensor<4x?xi64>) outs(%{{.+}}, %{{.+}} : tensor<4x?xf32>, tensor<4x?xi64>)
//       CHECK: ^bb0(%[[POS:.+]]: i64, %{{.+}}: f32, %{{.+}}: i64):
//       CHECK:   %[[E:.+]] = tensor.extract %[[X]]
//       CHECK:   linalg.yield %[[E]], %[[POS]] : f32, i64
//       CHECK: return %[[R]]#0, %[[R]]#1
func.func @sort_desc(%x: tensor<4x?xf32>) -> (tensor<4x?xf32>, tensor<4x?xi64>) {
  %v, %i = vm.sort %x {dim = 1 : i64, descending} : tensor<4x?xf32> -> (tensor<4x?xf32>, tensor<4x?xi64>)
  return %v, %i : tensor<4x?xf32>, tensor<4x?xi64>
}

// Signed integers flip the sign bit; ascending compares `ult`. A 1-D sort
// is one lane (the single-iteration forall folds away).
// CHECK-LABEL: func.func @sort_i8
//       CHECK: %[[SIGN:.+]] = arith.constant -128 : i8
//   CHECK-NOT: scf.forall
//       CHECK: scf.while
//       CHECK:   arith.xori %{{.+}}, %[[SIGN]] : i8
//       CHECK:   arith.cmpi ult, %{{.+}} : i8
func.func @sort_i8(%x: tensor<7xi8>) -> (tensor<7xi8>, tensor<7xi64>) {
  %v, %i = vm.sort %x {dim = 0 : i64} : tensor<7xi8> -> (tensor<7xi8>, tensor<7xi64>)
  return %v, %i : tensor<7xi8>, tensor<7xi64>
}

// A small k (<= 16) of elements of at most 32 bits over a static length is
// selected in k passes: each an i64 reduction of (key << 32 | position)
// under unsigned min for `smallest` (an unsigned element is its own key;
// the position as it is), taking only elements after the previous pick
// (`ugt`); then one generic picks pass j for result row j and reads the
// element there.
// CHECK-LABEL: func.func @topk_smallest_unsigned
//   CHECK-NOT: scf.forall
//       CHECK: %[[P0:.+]] = linalg.generic {{.+}} iterator_types = ["reduction", "parallel"]} ins(%{{.+}} : tensor<9x2xi32>) outs(%{{.+}} : tensor<2xi64>)
//       CHECK:   arith.extui %{{.+}} : i32 to i64
//       CHECK:   linalg.index 0
//   CHECK-NOT:   arith.xori
//       CHECK:   arith.minui
//       CHECK: %[[P1:.+]] = linalg.generic {{.+}} ins(%{{.+}}, %[[P0]] : tensor<9x2xi32>, tensor<2xi64>) outs(%{{.+}} : tensor<2xi64>)
//       CHECK:   arith.cmpi ugt
//       CHECK:   arith.minui
//       CHECK: %[[P2:.+]] = linalg.generic {{.+}} ins(%{{.+}}, %[[P1]] : tensor<9x2xi32>, tensor<2xi64>)
//       CHECK: linalg.generic {{.+}} ins(%[[P0]], %[[P1]], %[[P2]] : tensor<2xi64>, tensor<2xi64>, tensor<2xi64>) outs(%{{.+}}, %{{.+}} : tensor<3x2xi32>, tensor<3x2xi64>)
//       CHECK:   tensor.extract
func.func @topk_smallest_unsigned(%x: tensor<9x2xi32>) -> (tensor<3x2xi32>, tensor<3x2xi64>) {
  %v, %i = vm.topk %x {k = 3 : i64, dim = 0 : i64, smallest, unsigned} : tensor<9x2xi32> -> (tensor<3x2xi32>, tensor<3x2xi64>)
  return %v, %i : tensor<3x2xi32>, tensor<3x2xi64>
}

// Descending: the position complemented (the earlier of equal keys packs
// larger), unsigned max, only elements before the previous pick (`ult`).
// CHECK-LABEL: func.func @topk_largest
//       CHECK: linalg.generic
//       CHECK:   arith.xori
//       CHECK:   arith.maxui
//       CHECK: linalg.generic
//       CHECK:   arith.cmpi ult
//       CHECK:   arith.maxui
func.func @topk_largest(%x: tensor<4x50xf32>) -> (tensor<4x2xf32>, tensor<4x2xi64>) {
  %v, %i = vm.topk %x {k = 2 : i64, dim = 1 : i64} : tensor<4x50xf32> -> (tensor<4x2xf32>, tensor<4x2xi64>)
  return %v, %i : tensor<4x2xf32>, tensor<4x2xi64>
}

// A larger k sorts: the results are the first k = 17 rows of the sorted
// work (positions, then scratch: 2 x 20 rows).
// CHECK-LABEL: func.func @topk_large_k
//       CHECK: tensor.empty() : tensor<40x2xi64>
//       CHECK: %[[WORK:.+]] = scf.forall (%[[LANE:.+]]) in (2)
//       CHECK:   tensor.extract_slice %{{.+}}[0, %[[LANE]]] [40, 1] [1, 1] : tensor<40x2xi64> to tensor<40xi64>
//       CHECK:   arith.cmpi ult, %{{.+}}, %{{.+}} : i32
//       CHECK: %[[FIRST:.+]] = tensor.extract_slice %[[WORK]][0, 0] [17, 2] [1, 1] : tensor<40x2xi64> to tensor<17x2xi64>
//       CHECK: linalg.generic {{.+}} ins(%[[FIRST]] : tensor<17x2xi64>) outs(%{{.+}}, %{{.+}} : tensor<17x2xi32>, tensor<17x2xi64>)
func.func @topk_large_k(%x: tensor<20x2xi32>) -> (tensor<17x2xi32>, tensor<17x2xi64>) {
  %v, %i = vm.topk %x {k = 17 : i64, dim = 0 : i64, smallest, unsigned} : tensor<20x2xi32> -> (tensor<17x2xi32>, tensor<17x2xi64>)
  return %v, %i : tensor<17x2xi32>, tensor<17x2xi64>
}

// k against a dynamic dimension is a run-time shape check.
// CHECK-LABEL: func.func @topk_dynamic
//       CHECK: cf.assert %{{.+}}, "'vm.topk' at {{.+}}: attribute 'k' 4 is larger than dimension 1"
func.func @topk_dynamic(%x: tensor<2x?xf16>) -> (tensor<2x4xf16>, tensor<2x4xi64>) {
  %v, %i = vm.topk %x {k = 4 : i64, dim = 1 : i64} : tensor<2x?xf16> -> (tensor<2x4xf16>, tensor<2x4xi64>)
  return %v, %i : tensor<2x4xf16>, tensor<2x4xi64>
}

// Without elements there is nothing to sort.
// CHECK-LABEL: func.func @sort_empty
//   CHECK-NOT: scf.forall
//       CHECK: tensor.empty() : tensor<3x0xf32>
func.func @sort_empty(%x: tensor<3x0xf32>) -> (tensor<3x0xf32>, tensor<3x0xi64>) {
  %v, %i = vm.sort %x {dim = 1 : i64} : tensor<3x0xf32> -> (tensor<3x0xf32>, tensor<3x0xi64>)
  return %v, %i : tensor<3x0xf32>, tensor<3x0xi64>
}

// Two lanes of 600: keys and positions, then ceil(log2 600) = 10 merge
// passes of two outputs (keys, positions); pass p searches in p + 1 steps,
// each reading two keys (the first pass: 1 step, then the choice).
// CHECK-LABEL: func.func @sort_parallel
//   CHECK-NOT: scf.forall
//       CHECK: %[[START:.+]]:2 = linalg.generic {{.+}} ins(%{{.+}} : tensor<2x600xf32>) outs(%{{.+}}, %{{.+}} : tensor<2x600xi32>, tensor<2x600xi64>)
//       CHECK:   arith.bitcast
//       CHECK:   linalg.yield %{{.+}}, %{{.+}} : i32, i64
//       CHECK: %[[PASS0:.+]]:2 = linalg.generic {{.+}} outs(%{{.+}}, %{{.+}} : tensor<2x600xi32>, tensor<2x600xi64>)
//       CHECK:   %[[LOW:.+]] = arith.andi %{{.+}}, %c-2 : index
// CHECK-COUNT-3:   tensor.extract %[[START]]#0
//       CHECK:   %[[SRC:.+]] = arith.select
//  CHECK-NEXT:   tensor.extract %[[START]]#0[%{{.+}}, %[[SRC]]]
//  CHECK-NEXT:   tensor.extract %[[START]]#1[%{{.+}}, %[[SRC]]]
// CHECK-COUNT-9: linalg.generic {{.+}} outs(%{{.+}}, %{{.+}} : tensor<2x600xi32>, tensor<2x600xi64>)
//       CHECK: linalg.generic {{.+}} outs(%{{.+}}, %{{.+}} : tensor<2x600xf32>, tensor<2x600xi64>)
//   CHECK-NOT: linalg.generic
func.func @sort_parallel(%x: tensor<2x600xf32>) -> (tensor<2x600xf32>, tensor<2x600xi64>) {
  %v, %i = vm.sort %x {dim = 1 : i64} : tensor<2x600xf32> -> (tensor<2x600xf32>, tensor<2x600xi64>)
  return %v, %i : tensor<2x600xf32>, tensor<2x600xi64>
}
