// The softmax strategy: vm-gpu-softmax-to-linalg keeps a row softmax whole
// (vm IR -> linalg.softmax), vm-gpu-lower-softmax makes it one kernel.
// RUN: vm-gpu-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-gpu-softmax-to-linalg))" \
// RUN:   | FileCheck %s --check-prefix=KEEP
// RUN: vm-gpu-opt %s --split-input-file \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-gpu-lower-softmax))" \
// RUN:   | FileCheck %s --check-prefix=LOWER

// KEEP-LABEL: func.func @rows
// KEEP: %[[D0:.+]] = tensor.dim %{{.+}}, %c0
// KEEP: %[[EMPTY:.+]] = tensor.empty(%[[D0]]) : tensor<?x33xf16>
// KEEP: linalg.softmax dimension(1) ins(%{{.+}} : tensor<?x33xf16>) outs(%[[EMPTY]] : tensor<?x33xf16>)
// KEEP-NOT: vm.softmax
// Along an outer dim, or 1-D: left to vm-to-linalg.
// KEEP-LABEL: func.func @columns
// KEEP: vm.softmax
// KEEP-LABEL: func.func @vector
// KEEP: vm.softmax
func.func @rows(%x: tensor<?x33xf16>) -> tensor<?x33xf16> {
  %r = "vm.softmax"(%x) {dim = 1 : i64} : (tensor<?x33xf16>) -> tensor<?x33xf16>
  return %r : tensor<?x33xf16>
}
func.func @columns(%x: tensor<4x33xf32>) -> tensor<4x33xf32> {
  %r = "vm.softmax"(%x) {dim = 0 : i64} : (tensor<4x33xf32>) -> tensor<4x33xf32>
  return %r : tensor<4x33xf32>
}
func.func @vector(%x: tensor<33xf32>) -> tensor<33xf32> {
  %r = "vm.softmax"(%x) {dim = 0 : i64} : (tensor<33xf32>) -> tensor<33xf32>
  return %r : tensor<33xf32>
}

// -----

// f16 rows of a 3-D buffer, the input a strided view: the max (maximumf),
// then the sum of exp(x - max) in f32, each broadcast from lane 0, then
// the divide rounded once to f16.
// LOWER-LABEL: func.func @softmax_f16
// LOWER-SAME: (%[[X:.+]]: memref<2x?x33xf16, strided<[?, 66, 2]>>, %[[Y:.+]]: memref<2x?x33xf16>)
// LOWER: gpu.launch {{.*}} threads({{.*}}) in ({{.*}} = %c32{{.*}}, {{.*}} = %c8
// LOWER:   arith.remui
// LOWER:   memref.load %[[X]][%{{.+}}, %{{.+}}, %{{.+}}]
// LOWER:   arith.extf
// LOWER:   scf.for
// LOWER:     arith.maximumf
// LOWER-COUNT-5: gpu.shuffle down
// LOWER:   %[[MAX:.+]], %{{.+}} = gpu.shuffle idx %{{.+}}, %c0_i32
// LOWER:   scf.for
// LOWER:     arith.subf
// LOWER:     math.exp
// LOWER:     arith.addf
// LOWER-COUNT-5: gpu.shuffle down
// LOWER:   gpu.shuffle idx
// LOWER:   scf.for
// LOWER:     math.exp
// LOWER:     arith.divf
// LOWER:     arith.truncf {{.*}} f32 to f16
// LOWER:     memref.store %{{.+}}, %[[Y]][%{{.+}}, %{{.+}}, %{{.+}}]
// LOWER-NOT: linalg.softmax
func.func @softmax_f16(%x: memref<2x?x33xf16, strided<[?, 66, 2]>>, %y: memref<2x?x33xf16>) {
  linalg.softmax dimension(2) ins(%x : memref<2x?x33xf16, strided<[?, 66, 2]>>) outs(%y : memref<2x?x33xf16>)
  return
}

// -----

// A hand-written configuration: AMD wavefronts of 64, four rows per block.
// LOWER-LABEL: func.func @softmax_wave64
// LOWER: gpu.launch {{.*}} threads({{.*}}) in ({{.*}} = %c64{{.*}}, {{.*}} = %c4
// LOWER-COUNT-6: gpu.shuffle down %{{.+}}, %c{{[0-9]+}}_i32{{.*}}, %c64_i32
func.func @softmax_wave64(%x: memref<?x?xf32>, %y: memref<?x?xf32>) {
  linalg.softmax {vmgpu.lowering_config = {class = "softmax", strategy = "subgroup_softmax", workgroup = array<i64: 64, 4, 1>}}
      dimension(1) ins(%x : memref<?x?xf32>) outs(%y : memref<?x?xf32>)
  return
}
