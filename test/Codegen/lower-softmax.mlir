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

// -----

// The elementwise op that alone reads the softmax's temporary output (its
// rounding to f16) runs on each quotient before the store: the kernel
// writes the f16 buffer, and the op and the f32 buffer go.
// LOWER-LABEL: func.func @softmax_then_round
// LOWER-SAME: (%[[X:.+]]: memref<?x?xf32>, %[[Y:.+]]: memref<?x?xf16>)
// LOWER: %[[S:.+]] = memref.alloc
// LOWER-NOT: memref.store %{{.+}}, %[[S]]
// LOWER: gpu.launch
// LOWER:   arith.divf
// LOWER:   arith.truncf {{.*}} f32 to f16
// LOWER:   memref.store %{{.+}}, %[[Y]][%{{.+}}, %{{.+}}] : memref<?x?xf16>
// LOWER-NOT: memref.store %{{.+}}, %[[S]]
// LOWER-NOT: linalg.generic
func.func @softmax_then_round(%x: memref<?x?xf32>, %y: memref<?x?xf16>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %rows = memref.dim %x, %c0 : memref<?x?xf32>
  %columns = memref.dim %x, %c1 : memref<?x?xf32>
  %s = memref.alloc(%rows, %columns) : memref<?x?xf32>
  linalg.softmax {vmgpu.lowering_config = {class = "softmax", strategy = "subgroup_softmax", workgroup = array<i64: 32, 8, 1>}}
      dimension(1) ins(%x : memref<?x?xf32>) outs(%s : memref<?x?xf32>)
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%s : memref<?x?xf32>) outs(%y : memref<?x?xf16>) {
  ^bb0(%in: f32, %out: f16):
    %r = arith.truncf %in : f32 to f16
    linalg.yield %r : f16
  }
  memref.dealloc %s : memref<?x?xf32>
  return
}

// -----

// A softmax's output read again by another op keeps its own store and
// buffer; the elementwise op stays.
// LOWER-LABEL: func.func @softmax_read_twice
// LOWER: %[[S:.+]] = memref.alloc
// LOWER: gpu.launch
// LOWER:   memref.store %{{.+}}, %[[S]]
// LOWER: linalg.generic
// LOWER: memref.copy %[[S]]
func.func @softmax_read_twice(%x: memref<?x?xf32>, %y: memref<?x?xf16>, %z: memref<?x?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %rows = memref.dim %x, %c0 : memref<?x?xf32>
  %columns = memref.dim %x, %c1 : memref<?x?xf32>
  %s = memref.alloc(%rows, %columns) : memref<?x?xf32>
  linalg.softmax {vmgpu.lowering_config = {class = "softmax", strategy = "subgroup_softmax", workgroup = array<i64: 32, 8, 1>}}
      dimension(1) ins(%x : memref<?x?xf32>) outs(%s : memref<?x?xf32>)
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%s : memref<?x?xf32>) outs(%y : memref<?x?xf16>) {
  ^bb0(%in: f32, %out: f16):
    %r = arith.truncf %in : f32 to f16
    linalg.yield %r : f16
  }
  memref.copy %s, %z : memref<?x?xf32> to memref<?x?xf32>
  memref.dealloc %s : memref<?x?xf32>
  return
}

// -----

// An epilogue writing a transposed view of the softmax input is not fused:
// row i would write column i of the input while other rows still read it.
// LOWER-LABEL: func.func @epilogue_writes_input
// LOWER: gpu.launch
// LOWER: linalg.generic
func.func @epilogue_writes_input(%x: memref<64x64xf32>) {
  %xt = memref.transpose %x (i, j) -> (j, i) : memref<64x64xf32> to memref<64x64xf32, strided<[1, 64]>>
  %s = memref.alloc() : memref<64x64xf32>
  linalg.softmax {vmgpu.lowering_config = {class = "softmax", strategy = "subgroup_softmax", workgroup = array<i64: 32, 8, 1>}}
      dimension(1) ins(%x : memref<64x64xf32>) outs(%s : memref<64x64xf32>)
  linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%s : memref<64x64xf32>) outs(%xt : memref<64x64xf32, strided<[1, 64]>>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  memref.dealloc %s : memref<64x64xf32>
  return
}
