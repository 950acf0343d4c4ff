// The PTX of a row softmax (no GPU needed): one kernel, two shuffle trees
// of five steps and two broadcasts, the divide IEEE (div.rn), no spills.
// REQUIRES: nvptx
// RUN: vm-gpu-opt %s --vm-to-nvvm="chip=sm_90a format=ptx" | sed -e 's/\\0A/\n/g' -e 's/\\09/ /g' | FileCheck %s

// CHECK: .entry softmax_kernel(
// CHECK-COUNT-5: shfl.sync.down.b32
// CHECK: shfl.sync.idx.b32
// CHECK-COUNT-5: shfl.sync.down.b32
// CHECK: shfl.sync.idx.b32
// CHECK: div.rn.f32
// CHECK-NOT: .entry
func.func @softmax(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %r = "vm.softmax"(%x) {dim = 1 : i64} : (tensor<?x?xf32>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}
