// Host code of GPU blocks after vm-to-nvvm, for every reduction form of the
// contract: it is straight-line (no branch, so no launch in a loop) and
// never loads or stores block data (no llvm.load/llvm.store): every
// reduction runs inside kernels. Launches go to one stream, synchronized
// once per run.
// REQUIRES: nvptx
// RUN: vm-gpu-opt %s --vm-to-nvvm="chip=sm_90a format=ptx" | FileCheck %s
// RUN: vm-gpu-opt %s --vm-to-nvvm="chip=sm_90a format=ptx" | FileCheck %s --check-prefix=BINARIES

// Row reduction: one subgroup per row (vm-gpu-lower-row-reductions), which
// starts from the output's initial value itself: one launch.
// CHECK-LABEL: llvm.func @row_sum(
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store|func)}}
// CHECK-NOT:     gpu.launch_func
// CHECK:         llvm.return
func.func @row_sum(%x: tensor<?x?xf32>) -> tensor<?xf32> {
  %r = "vm.reduce"(%x) {kind = "sum", dims = array<i64: 1>} : (tensor<?x?xf32>) -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// Column reduction (the crash of issue 12; 40,001 rows used to be a host loop
// of 40,001 launches): the fill, then coalesced_columns' two stages (row
// segments, then the partials per column).
// CHECK-LABEL: llvm.func @column_max(
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         llvm.return
func.func @column_max(%x: tensor<40001x3xf32>) -> tensor<3xf32> {
  %r = "vm.reduce"(%x) {kind = "max", dims = array<i64: 0>} : (tensor<40001x3xf32>) -> tensor<3xf32>
  return %r : tensor<3xf32>
}

// Reduction of a middle dim: the outer and inner dims are the threads.
// CHECK-LABEL: llvm.func @middle_prod(
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         llvm.return
func.func @middle_prod(%x: tensor<4x?x8xi32>) -> tensor<4x8xi32> {
  %r = "vm.reduce"(%x) {kind = "prod", dims = array<i64: 1>} : (tensor<4x?x8xi32>) -> tensor<4x8xi32>
  return %r : tensor<4x8xi32>
}

// Full reduction of a run-time size (it used to run on the host): two
// stages of subgroups over a fixed partition (vm-gpu-lower-full-reductions);
// the second combines the total with the output's initial value itself, so
// the fill before the reduction is no launch of its own.
// CHECK-LABEL: llvm.func @full_min(
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK-NOT:     gpu.launch_func
// CHECK:         llvm.return
func.func @full_min(%x: tensor<?x?xf16>) -> tensor<f16> {
  %r = "vm.reduce"(%x) {kind = "min", dims = array<i64: 0, 1>} : (tensor<?x?xf16>) -> tensor<f16>
  return %r : tensor<f16>
}

// vm.dot: a full reduction, in two stages the same way.
// CHECK-LABEL: llvm.func @dot(
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK-NOT:     gpu.launch_func
// CHECK:         llvm.return
func.func @dot(%a: tensor<?xf32>, %b: tensor<?xf32>) -> tensor<f32> {
  %r = "vm.dot"(%a, %b) : (tensor<?xf32>, tensor<?xf32>) -> tensor<f32>
  return %r : tensor<f32>
}

// 1-D softmax: its max and sum are full reductions, each in two stages
// that write their initial values themselves; then the normalization.
// CHECK-LABEL: llvm.func @softmax_1d(
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK-NOT:     gpu.launch_func
// CHECK:         llvm.return
func.func @softmax_1d(%x: tensor<?xf32>) -> tensor<?xf32> {
  %r = "vm.softmax"(%x) {dim = 0 : i64} : (tensor<?xf32>) -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// Softmax along dim 0 (column max and sum), f16 computed in f32.
// CHECK-LABEL: llvm.func @softmax_columns(
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         llvm.return
func.func @softmax_columns(%x: tensor<7x5xf16>) -> tensor<7x5xf16> {
  %r = "vm.softmax"(%x) {dim = 0 : i64} : (tensor<7x5xf16>) -> tensor<7x5xf16>
  return %r : tensor<7x5xf16>
}

// A matrix product is one launch (tiled_simt folds the zero fill of its
// output).
// CHECK-LABEL: llvm.func @matmul(
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     gpu.launch_func
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         llvm.return
func.func @matmul(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %r = "vm.matmul"(%a, %b) : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// Average pooling: a reduction over the window dims.
// CHECK-LABEL: llvm.func @pool(
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         llvm.return
func.func @pool(%x: tensor<1x8x8x3xf32>) -> tensor<1x4x4x3xf32> {
  %r = "vm.pool2d"(%x) {kind = "avg", window = array<i64: 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 1, 1>, padding = array<i64: 0, 0, 0, 0>} : (tensor<1x8x8x3xf32>) -> tensor<1x4x4x3xf32>
  return %r : tensor<1x4x4x3xf32>
}

// Every kernel is serialized: one gpu.binary per launch site.
// BINARIES-COUNT-28: gpu.binary @
// BINARIES-NOT:      gpu.binary @
