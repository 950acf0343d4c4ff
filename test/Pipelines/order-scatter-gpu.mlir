// vm.scatter, vm.sort and vm.topk through vm-to-nvvm: lanes (the elements
// that differ only in `dim`) of a static length of 64 or more sort by merge
// passes over every element, whatever their number (vm-to-linalg's
// merge-sort-min-length=64 merge-sort-max-lanes=0 in the GPU pipelines);
// shorter or dynamic lanes run one sequential pass each, a kernel of one
// thread per lane (scf-forall-to-parallel, then vm-parallel-loops-to-gpu).
// Host code stays straight-line and touches no block data; no kernel uses
// atomics, so duplicate scatter targets combine in one defined order.
// REQUIRES: nvptx
// RUN: vm-gpu-opt %s --vm-to-nvvm="chip=sm_90a format=ptx" | FileCheck %s
// RUN: vm-gpu-opt %s --vm-to-nvvm="chip=sm_90a format=isa" | sed -e 's/\\0A/\n/g' -e 's/\\09/ /g' | FileCheck %s --check-prefix=PTX

// PTX-NOT: {{[[:space:]]atom\.}}
// PTX-NOT: {{[[:space:]]red\.}}
// PTX: .visible .entry scatter_add_kernel(
// PTX-NOT: {{[[:space:]]atom\.}}
// PTX-NOT: {{[[:space:]]red\.}}

// Lanes of 40 updates: the result starts as a copy of `data` (a kernel),
// then one thread per lane: 1000 lanes, 4 blocks of 256 threads.
// CHECK-LABEL: llvm.func @scatter_add(
// CHECK-DAG:     %[[FOUR:.+]] = llvm.mlir.constant(4 : index) : i64
// CHECK-DAG:     %[[BLOCK:.+]] = llvm.mlir.constant(256 : index) : i64
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func {{.+}} blocks in (%[[FOUR]], %{{.+}}, %{{.+}}) threads in (%[[BLOCK]], %{{.+}}, %{{.+}})
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         llvm.return
func.func @scatter_add(%d: tensor<50x1000xf32>, %i: tensor<40x1000xi32>, %u: tensor<40x1000xf32>) -> tensor<50x1000xf32> {
  %0 = "vm.scatter"(%d, %i, %u) {dim = 0 : i64, kind = "add"} : (tensor<50x1000xf32>, tensor<40x1000xi32>, tensor<40x1000xf32>) -> tensor<50x1000xf32>
  return %0 : tensor<50x1000xf32>
}

// Lanes of 70 updates, 1000 of them, are sorted by target: the keys and
// positions, ceil(log2 70) = 7 merge passes, then the result (each element
// combines its run of updates in order): 9 elementwise kernels over all
// elements, no lane loop.
// CHECK-LABEL: llvm.func @scatter_add_many_lanes(
// CHECK-COUNT-9: gpu.launch_func
// CHECK-NOT:     gpu.launch_func
// CHECK:         llvm.return
func.func @scatter_add_many_lanes(%d: tensor<50x1000xf32>, %i: tensor<70x1000xi32>, %u: tensor<70x1000xf32>) -> tensor<50x1000xf32> {
  %0 = "vm.scatter"(%d, %i, %u) {dim = 0 : i64, kind = "add"} : (tensor<50x1000xf32>, tensor<70x1000xi32>, tensor<70x1000xf32>) -> tensor<50x1000xf32>
  return %0 : tensor<50x1000xf32>
}

// Few long lanes of updates (one of 1000) are sorted by target first: the
// keys and positions, 10 merge passes, then the result: 12 elementwise
// kernels, no lane loop.
// CHECK-LABEL: llvm.func @scatter_max_sorted(
// CHECK-COUNT-12: gpu.launch_func
// CHECK-NOT:     gpu.launch_func
// CHECK:         llvm.return
func.func @scatter_max_sorted(%d: tensor<64xf32>, %i: tensor<1000xi32>, %u: tensor<1000xf32>) -> tensor<64xf32> {
  %0 = "vm.scatter"(%d, %i, %u) {dim = 0 : i64, kind = "max"} : (tensor<64xf32>, tensor<1000xi32>, tensor<1000xf32>) -> tensor<64xf32>
  return %0 : tensor<64xf32>
}

// Sort of lanes known only at run time: the positions (an iota kernel), the
// lane sort (one thread per row), the values and indices (one elementwise
// kernel).
// CHECK-LABEL: llvm.func @sort_rows(
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     llvm.{{(br|cond_br|switch|load|store)}}
// CHECK:         gpu.launch_func
// CHECK-NOT:     gpu.launch_func
// CHECK:         llvm.return
func.func @sort_rows(%x: tensor<?x?xf16>) -> (tensor<?x?xf16>, tensor<?x?xi64>) {
  %v, %i = "vm.sort"(%x) {dim = 1 : i64, descending} : (tensor<?x?xf16>) -> (tensor<?x?xf16>, tensor<?x?xi64>)
  return %v, %i : tensor<?x?xf16>, tensor<?x?xi64>
}

// Long lanes (3 columns of 1000) sort by merge passes over every
// element: the keys and positions, ceil(log2 1000) = 10 passes, the
// results; each a `vectorized_elementwise` kernel whose body reads its
// position (linalg.index): 3000 elements, two per thread step (the i64
// positions), 6 blocks of 256. (k = 17: a k up to 16 selects instead of
// sorting, order.mlir.)
// CHECK-LABEL: llvm.func @topk_cols(
// CHECK-DAG:     %[[SIX:.+]] = llvm.mlir.constant(6 : index) : i64
// CHECK-DAG:     %[[BLOCK:.+]] = llvm.mlir.constant(256 : index) : i64
// CHECK-COUNT-11: gpu.launch_func {{.+}} blocks in (%[[SIX]], %{{.+}}, %{{.+}}) threads in (%[[BLOCK]], %{{.+}}, %{{.+}})
// CHECK:         gpu.launch_func
// CHECK-NOT:     gpu.launch_func
// CHECK:         llvm.return
func.func @topk_cols(%x: tensor<1000x3xi32>) -> (tensor<17x3xi32>, tensor<17x3xi64>) {
  %v, %i = "vm.topk"(%x) {k = 17 : i64, dim = 0 : i64, unsigned} : (tensor<1000x3xi32>) -> (tensor<17x3xi32>, tensor<17x3xi64>)
  return %v, %i : tensor<17x3xi32>, tensor<17x3xi64>
}

// Rows of 2 to 4096 elements (static, at most 32 bits, along the innermost
// dim) sort in one workgroup each (vm-gpu-sort-in-workgroups,
// vm-gpu-lower-sort-rows): one kernel, 4096 workgroups of 64 threads
// holding 4 of a row of 256 each (test/Codegen/lower-sort-rows.mlir checks
// the kernel).
// CHECK-LABEL: llvm.func @sort_many_rows(
// CHECK-DAG:     %[[ROWS:.+]] = llvm.mlir.constant(4096 : index) : i64
// CHECK-DAG:     %[[THREADS:.+]] = llvm.mlir.constant(64 : index) : i64
// CHECK:         gpu.launch_func {{.+}} blocks in (%[[ROWS]], %{{.+}}, %{{.+}}) threads in (%[[THREADS]], %{{.+}}, %{{.+}})
// CHECK-NOT:     gpu.launch_func
// CHECK:         llvm.return
func.func @sort_many_rows(%x: tensor<4096x256xf32>) -> (tensor<4096x256xf32>, tensor<4096x256xi64>) {
  %v, %i = "vm.sort"(%x) {dim = 1 : i64} : (tensor<4096x256xf32>) -> (tensor<4096x256xf32>, tensor<4096x256xi64>)
  return %v, %i : tensor<4096x256xf32>, tensor<4096x256xi64>
}

// Rows longer than 4096 sort by merge passes: keys and positions,
// ceil(log2 5000) = 13 passes, the last fused with the gather of the
// results.
// CHECK-LABEL: llvm.func @sort_long_rows(
// CHECK-COUNT-14: gpu.launch_func
// CHECK-NOT:     gpu.launch_func
// CHECK:         llvm.return
func.func @sort_long_rows(%x: tensor<3x5000xf32>) -> (tensor<3x5000xf32>, tensor<3x5000xi64>) {
  %v, %i = "vm.sort"(%x) {dim = 1 : i64} : (tensor<3x5000xf32>) -> (tensor<3x5000xf32>, tensor<3x5000xi64>)
  return %v, %i : tensor<3x5000xf32>, tensor<3x5000xi64>
}
