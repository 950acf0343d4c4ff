// vm-to-linalg's choice between the two forms of vm.sort, vm.topk and
// vm.scatter (LaneSortForms): one sequential pass per lane (an scf.forall
// over the lanes) or merge passes over every element (linalg.generic ops
// only). The defaults are the CPU's (merge passes for fewer than 128 lanes
// of 512 or more); the GPU pipelines ask for merge passes from 64 elements
// on, whatever the number of lanes.
// RUN: vm-gpu-opt %s --vm-to-linalg | FileCheck %s --check-prefix=CPU
// RUN: vm-gpu-opt %s --vm-to-linalg="merge-sort-min-length=64 merge-sort-max-lanes=0" | FileCheck %s --check-prefix=GPU
// RUN: not vm-gpu-opt %s --vm-to-linalg="merge-sort-max-lanes=-1" 2>&1 | FileCheck %s --check-prefix=BAD
// RUN: not vm-gpu-opt %s --vm-to-linalg="merge-sort-min-length=0" 2>&1 | FileCheck %s --check-prefix=BAD

// BAD: error: vm-to-linalg: merge-sort-min-length must be at least 1 and merge-sort-max-lanes at least 0

// 200 lanes of 100.
// CPU-LABEL: func.func @sort_many_lanes
//       CPU:   scf.forall
// GPU-LABEL: func.func @sort_many_lanes
//   GPU-NOT:   scf.forall
// GPU-COUNT-8: linalg.generic {{.+}} outs(%{{.+}}, %{{.+}} : tensor<200x100xi32>, tensor<200x100xi64>)
//   GPU-NOT:   scf.forall
//       GPU:   return
func.func @sort_many_lanes(%x: tensor<200x100xf32>) -> (tensor<200x100xf32>, tensor<200x100xi64>) {
  %v, %i = vm.sort %x {dim = 1 : i64} : tensor<200x100xf32> -> (tensor<200x100xf32>, tensor<200x100xi64>)
  return %v, %i : tensor<200x100xf32>, tensor<200x100xi64>
}

// Lanes of 40 are short for both: one pass per lane.
// CPU-LABEL: func.func @sort_short_lanes
//       CPU:   scf.forall
// GPU-LABEL: func.func @sort_short_lanes
//       GPU:   scf.forall
func.func @sort_short_lanes(%x: tensor<3x40xf32>) -> (tensor<3x40xf32>, tensor<3x40xi64>) {
  %v, %i = vm.sort %x {dim = 1 : i64} : tensor<3x40xf32> -> (tensor<3x40xf32>, tensor<3x40xi64>)
  return %v, %i : tensor<3x40xf32>, tensor<3x40xi64>
}

// k = 20 sorts (a k up to 16 selects): 300 lanes of 64 along dim 0.
// CPU-LABEL: func.func @topk_many_lanes
//       CPU:   scf.forall
// GPU-LABEL: func.func @topk_many_lanes
//   GPU-NOT:   scf.forall
//       GPU:   return
func.func @topk_many_lanes(%x: tensor<64x300xi32>) -> (tensor<20x300xi32>, tensor<20x300xi64>) {
  %v, %i = vm.topk %x {k = 20 : i64, dim = 0 : i64} : tensor<64x300xi32> -> (tensor<20x300xi32>, tensor<20x300xi64>)
  return %v, %i : tensor<20x300xi32>, tensor<20x300xi64>
}

// 256 lanes of 1000 updates: the targets sorted for the GPU (i64 keys).
// CPU-LABEL: func.func @scatter_many_lanes
//       CPU:   scf.forall
// GPU-LABEL: func.func @scatter_many_lanes
//   GPU-NOT:   scf.forall
// GPU-COUNT-10: linalg.generic {{.+}} outs(%{{.+}}, %{{.+}} : tensor<1000x256xi64>, tensor<1000x256xi64>)
//       GPU:   linalg.generic {{.+}} ins(%{{.+}} : tensor<64x256xf32>) outs(%{{.+}} : tensor<64x256xf32>)
//       GPU:     scf.for
//   GPU-NOT:   scf.forall
//       GPU:   return
func.func @scatter_many_lanes(%d: tensor<64x256xf32>, %i: tensor<1000x256xi64>, %u: tensor<1000x256xf32>) -> tensor<64x256xf32> {
  %0 = vm.scatter %d, %i, %u {dim = 0 : i64, kind = "add"} : (tensor<64x256xf32>, tensor<1000x256xi64>, tensor<1000x256xf32>) -> tensor<64x256xf32>
  return %0 : tensor<64x256xf32>
}
