//===- VmToLinalg.h - vm -> linalg on tensors -------------------*- C++ -*-===//

#ifndef VMGPU_CONVERSION_VMTOLINALG_H
#define VMGPU_CONVERSION_VMTOLINALG_H

#include "mlir/IR/PatternMatch.h"

#include <cstdint>
#include <optional>

namespace vmgpu {

/// vm.topk selects a k up to this (elements of at most 32 bits along a
/// static dim shorter than 2^32) in k reduction passes instead of sorting.
inline constexpr int64_t kTopKSelectionMaxK = 16;

/// Where vm.sort, vm.topk (past selection) and vm.scatter find their
/// parallelism (vm-to-linalg's options): lanes (the elements that differ
/// only in `dim`) of a static length of at least `mergeSortMinLength`, when
/// fewer than `mergeSortMaxLanes` (0: any number), sort by merge passes over
/// every element (O(n log^2 n) work, all of it parallel); other lanes run
/// one sequential pass each (O(n log n) work, one thread per lane). A CPU
/// has few threads and wants the second form as soon as the lanes fill
/// them; a GPU wants the first for any lane count.
/// The defaults are the CPU's, and vm-to-linalg's option defaults.
struct LaneSortForms {
  int64_t mergeSortMinLength = 512;
  int64_t mergeSortMaxLanes = 128;

  /// Whether `lanes` lanes (std::nullopt: known only at run time) of
  /// `length` elements (ShapedType::kDynamic: likewise) take merge passes.
  bool takesMergePasses(std::optional<int64_t> lanes, int64_t length) const;
};

/// Elementwise ops -> linalg.generic with the contract's scalar semantics.
void populateVmElementwiseToLinalgPatterns(mlir::RewritePatternSet &patterns);
/// constant, splat, broadcast, reshape, transpose, slice, concat.
void populateVmShapeToLinalgPatterns(mlir::RewritePatternSet &patterns);
/// reduce, dot, softmax.
void populateVmReductionToLinalgPatterns(mlir::RewritePatternSet &patterns);
/// matmul, batch_matmul, conv2d, pool2d.
void populateVmContractionToLinalgPatterns(mlir::RewritePatternSet &patterns);
/// vm.arg_reduce (contract v2).
void populateVmArgReduceToLinalgPatterns(mlir::RewritePatternSet &patterns);
/// vm.scan (contract v2).
void populateVmScanToLinalgPatterns(mlir::RewritePatternSet &patterns);
/// vm.conv_transpose2d (contract v2), through vm.conv2d.
void populateVmConvTransposeToLinalgPatterns(mlir::RewritePatternSet &patterns);
/// vm.take and vm.gather (contract v2).
void populateVmIndexingToLinalgPatterns(mlir::RewritePatternSet &patterns);
/// vm.scatter (contract v2): a sequential pass per lane in an scf.forall,
/// or the updates sorted by target (`forms`).
void populateVmScatterToLinalgPatterns(mlir::RewritePatternSet &patterns,
                                       const LaneSortForms &forms);
/// vm.sort and vm.topk (contract v2): a merge sort per lane in an
/// scf.forall or merge passes over every element (`forms`), then a gather
/// of the values; small k selected in passes.
void populateVmOrderToLinalgPatterns(mlir::RewritePatternSet &patterns,
                                     const LaneSortForms &forms);

/// All of the above.
void populateVmToLinalgPatterns(mlir::RewritePatternSet &patterns,
                                const LaneSortForms &forms = {});

} // namespace vmgpu

#endif // VMGPU_CONVERSION_VMTOLINALG_H
