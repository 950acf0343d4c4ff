// vm-gpu-sort-in-workgroups: which vm.sort and vm.topk ops sort their rows
// in workgroups (vmgpu_codegen.sort_rows between bufferization.to_buffer
// and bufferization.to_tensor), and which are left to vm-to-linalg.
// RUN: vm-gpu-opt %s --pass-pipeline="builtin.module(func.func(vm-gpu-sort-in-workgroups))" | FileCheck %s

// Rows of 100 along the innermost dim, descending; the rows [37] and the
// unit dim after the sorted one collapse away.
// CHECK-LABEL: func.func @sort_rows
//  CHECK-SAME:   (%[[X:.+]]: tensor<37x100x1xf32>)
//       CHECK:   %[[IN:.+]] = bufferization.to_buffer %[[X]] read_only : tensor<37x100x1xf32> to memref<37x100x1xf32>
//       CHECK:   %[[V:.+]] = memref.alloc() : memref<37x100x1xf32>
//       CHECK:   %[[I:.+]] = memref.alloc() : memref<37x100x1xi64>
//       CHECK:   %[[INROWS:.+]] = memref.collapse_shape %[[IN]] {{\[}}[0], [1, 2]] : memref<37x100x1xf32> into memref<37x100xf32>
//       CHECK:   %[[VROWS:.+]] = memref.collapse_shape %[[V]]
//       CHECK:   %[[IROWS:.+]] = memref.collapse_shape %[[I]]
//       CHECK:   vmgpu_codegen.sort_rows ins(%[[INROWS]] : memref<37x100xf32>) outs(%[[VROWS]], %[[IROWS]] : memref<37x100xf32>, memref<37x100xi64>) {descending}
//       CHECK:   %[[VT:.+]] = bufferization.to_tensor %[[V]] restrict writable
//       CHECK:   %[[IT:.+]] = bufferization.to_tensor %[[I]] restrict writable
//       CHECK:   return %[[VT]], %[[IT]]
func.func @sort_rows(%x: tensor<37x100x1xf32>) -> (tensor<37x100x1xf32>, tensor<37x100x1xi64>) {
  %v, %i = vm.sort %x {dim = 1 : i64, descending} : tensor<37x100x1xf32> -> (tensor<37x100x1xf32>, tensor<37x100x1xi64>)
  return %v, %i : tensor<37x100x1xf32>, tensor<37x100x1xi64>
}

// One row of 4096 unsigned i16 (the longest row).
// CHECK-LABEL: func.func @sort_one_row
//       CHECK:   vmgpu_codegen.sort_rows ins(%{{.+}} : memref<4096xi16>) outs(%{{.+}}, %{{.+}} : memref<4096xi16>, memref<4096xi64>) {unsigned_keys}
func.func @sort_one_row(%x: tensor<4096xi16>) -> (tensor<4096xi16>, tensor<4096xi64>) {
  %v, %i = vm.sort %x {dim = 0 : i64, unsigned} : tensor<4096xi16> -> (tensor<4096xi16>, tensor<4096xi64>)
  return %v, %i : tensor<4096xi16>, tensor<4096xi64>
}

// A top-k past selection (k = 17): the first 17 of each row, descending
// unless `smallest`.
// CHECK-LABEL: func.func @topk_rows
//       CHECK:   vmgpu_codegen.sort_rows ins(%{{.+}} : memref<6x50xi32>) outs(%{{.+}}, %{{.+}} : memref<6x17xi32>, memref<6x17xi64>) {descending}
//       CHECK:   vmgpu_codegen.sort_rows ins(%{{.+}} : memref<6x50xi32>) outs(%{{.+}}, %{{.+}} : memref<6x17xi32>, memref<6x17xi64>)
//   CHECK-NOT:   vm.topk
func.func @topk_rows(%x: tensor<6x50xi32>) -> (tensor<6x17xi32>, tensor<6x17xi32>) {
  %v, %i = vm.topk %x {k = 17 : i64, dim = 1 : i64} : tensor<6x50xi32> -> (tensor<6x17xi32>, tensor<6x17xi64>)
  %w, %j = vm.topk %x {k = 17 : i64, dim = 1 : i64, smallest} : tensor<6x50xi32> -> (tensor<6x17xi32>, tensor<6x17xi64>)
  return %v, %w : tensor<6x17xi32>, tensor<6x17xi32>
}

// Left to vm-to-linalg: a top-k that selects (k <= 16), rows of 4097, 64-bit
// elements, sizes known at run time, a sorted dim with elements after it,
// one element per row.
// CHECK-LABEL: func.func @left_alone
//   CHECK-NOT:   vmgpu_codegen.sort_rows
//   CHECK-NOT:   bufferization
//       CHECK:   return
func.func @left_alone(%a: tensor<6x50xf32>, %b: tensor<4097xf32>, %c: tensor<5x9xi64>, %d: tensor<?x9xf32>, %e: tensor<9x3xf32>, %f: tensor<9x1xf32>) {
  %0:2 = vm.topk %a {k = 16 : i64, dim = 1 : i64} : tensor<6x50xf32> -> (tensor<6x16xf32>, tensor<6x16xi64>)
  %1:2 = vm.sort %b {dim = 0 : i64} : tensor<4097xf32> -> (tensor<4097xf32>, tensor<4097xi64>)
  %2:2 = vm.sort %c {dim = 1 : i64} : tensor<5x9xi64> -> (tensor<5x9xi64>, tensor<5x9xi64>)
  %3:2 = vm.sort %d {dim = 1 : i64} : tensor<?x9xf32> -> (tensor<?x9xf32>, tensor<?x9xi64>)
  %4:2 = vm.sort %e {dim = 0 : i64} : tensor<9x3xf32> -> (tensor<9x3xf32>, tensor<9x3xi64>)
  %5:2 = vm.sort %f {dim = 1 : i64} : tensor<9x1xf32> -> (tensor<9x1xf32>, tensor<9x1xi64>)
  return
}
