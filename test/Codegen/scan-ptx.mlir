// The PTX of warp_scan (no GPU needed): per chunk, one 16-byte load per lane
// on the aligned path, five shfl.sync.up steps over the lanes' totals and
// one more for the total below the lane, 16-byte stores, and the running
// value taken from the last lane holding elements (shfl.sync.idx); the
// unaligned path reads one element per lane and step.
// REQUIRES: nvptx
// RUN: vm-gpu-opt %s --vm-to-nvvm="chip=sm_90a format=ptx" | sed -e 's/\\0A/\n/g' -e 's/\\09/ /g' | FileCheck %s

// CHECK-LABEL: .entry cumsum_rows_kernel
// CHECK-DAG: ld.global.v4.b32
// CHECK-DAG: st.global.v4.b32
// CHECK-DAG: ld.global.b32
// CHECK-DAG: shfl.sync.idx.b32 {{.*}}, 31, -1;
// CHECK-COUNT-6: shfl.sync.up.b32 {{.*}}, 0, -1;
func.func @cumsum_rows(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %r = "vm.scan"(%x) {kind = "sum", dim = 1 : i64} : (tensor<?x?xf32>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// f64 values move as two 32-bit words per shuffle; the combine keeps the
// contract's NaN rule.
// CHECK-LABEL: .entry running_max_f64_kernel
// CHECK-COUNT-12: shfl.sync.up.b32
// CHECK: setp.nan.f64
func.func @running_max_f64(%x: tensor<?x?xf64>) -> tensor<?x?xf64> {
  %r = "vm.scan"(%x) {kind = "max", dim = 1 : i64} : (tensor<?x?xf64>) -> tensor<?x?xf64>
  return %r : tensor<?x?xf64>
}
