//===- VmToLinalg.h - vm -> linalg on tensors -------------------*- C++ -*-===//

#ifndef VMGPU_CONVERSION_VMTOLINALG_H
#define VMGPU_CONVERSION_VMTOLINALG_H

#include "mlir/IR/PatternMatch.h"

namespace vmgpu {

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
/// vm.scatter (contract v2): a sequential pass per lane in an scf.forall.
void populateVmScatterToLinalgPatterns(mlir::RewritePatternSet &patterns);
/// vm.sort and vm.topk (contract v2): a merge sort per lane in an
/// scf.forall, then a gather of the values.
void populateVmOrderToLinalgPatterns(mlir::RewritePatternSet &patterns);

/// All of the above.
void populateVmToLinalgPatterns(mlir::RewritePatternSet &patterns);

} // namespace vmgpu

#endif // VMGPU_CONVERSION_VMTOLINALG_H
