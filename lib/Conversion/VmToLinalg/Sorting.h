//===- Sorting.h - the sorts behind vm.sort and vm.topk ---------*- C++ -*-===//
//
// Both sorts order the positions 0..n-1 of every lane (the elements that
// differ only in `dim`) of an operand, stably (equal keys keep their index
// order), by keys made from the element bits (KeyOrder). They differ in
// where the parallelism is:
// - buildLaneMergeSort: one sequential bottom-up merge sort per lane
//   (LaneLoop.h), O(n log n) steps in one thread (GPU) or OpenMP iteration
//   (CPU) per lane; for many lanes or lengths known only at run time;
// - buildParallelMergeSort: log2(n) merge passes, each one linalg.generic
//   over every element (each finds its source by a binary search along the
//   merge path), O(n log^2 n) work spread over all elements; for few long
//   lanes of a static length; vm.scatter sorts its updates by target with
//   it (ScatterToLinalg.cpp).
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_LIB_CONVERSION_VMTOLINALG_SORTING_H
#define VMGPU_LIB_CONVERSION_VMTOLINALG_SORTING_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "vmgpu/Conversion/SortKeys.h"

namespace vmgpu::detail {

/// Sorts the lanes of `operand` along `dim` (its sizes `sizes`) in one
/// sequential pass per lane. Returns an i64 tensor of the operand's shape
/// with `dim` twice as long, whose lanes hold the sorted source positions
/// in their first half.
mlir::Value buildLaneMergeSort(mlir::OpBuilder &b, mlir::Location loc,
                               mlir::Value operand, int64_t dim, KeyOrder order,
                               mlir::ValueRange sizes);

/// Makes the key of one element (an integer whose unsigned order, reversed
/// when descending, is the order to sort by).
using KeyBuilder = llvm::function_ref<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::Value element)>;

/// Sorts the lanes of `source` along `dim`, whose length must be static, by
/// the keys (of `keyType`) that `keyOf` makes from its elements, in merge
/// passes over all elements. Returns the sorted keys and the i64 source
/// positions, both of the source's shape.
std::pair<mlir::Value, mlir::Value>
buildParallelMergeSort(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value source, int64_t dim, KeyOrder order,
                       mlir::Type keyType, KeyBuilder keyOf,
                       mlir::ValueRange sizes);

} // namespace vmgpu::detail

#endif // VMGPU_LIB_CONVERSION_VMTOLINALG_SORTING_H
