//===- ContractionEpilogue.h - ops fused after a product --------*- C++ -*-===//
//
// Private to lib/Codegen. A contraction kernel may run the elementwise op
// that alone reads its (temporary) output on the accumulators, before the
// store: bias adds, activations, the rounding of an f16 result.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_LIB_CODEGEN_CONTRACTIONEPILOGUE_H
#define VMGPU_LIB_CODEGEN_CONTRACTIONEPILOGUE_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"

#include <optional>

namespace vmgpu {

/// An elementwise op fused after a product.
struct ContractionEpilogue {
  mlir::linalg::GenericOp op;
  /// Inputs that a linalg.broadcast filled from a buffer and nothing else
  /// reads: read at the broadcast's source.
  llvm::SmallDenseMap<mlir::Value, mlir::linalg::BroadcastOp> broadcasts;

  /// The buffer the fused kernel writes.
  mlir::Value output() { return op.getDpsInitOperand(0)->get(); }
};

/// The epilogue of `producer`, an op on buffers that writes every element
/// of `output` (which `fill`, or null, initializes): the next op that is
/// not an allocation or a linalg op filling a fresh buffer without touching
/// C = `output` (those are moved before `producer`, where the kernel goes:
/// no result changes) when it is an elementwise `linalg.generic` reading C
/// with the identity map and writing one other buffer of C's shape, and C
/// is an allocation of the function with no use but the fill, the
/// producer, that op and deallocations. nullopt otherwise (nothing is
/// moved then). The softmax kernels take theirs too.
std::optional<ContractionEpilogue>
findElementwiseEpilogue(mlir::Operation *producer, mlir::Value output,
                        mlir::Operation *fill);

/// findElementwiseEpilogue of a product's output.
std::optional<ContractionEpilogue>
findContractionEpilogue(mlir::linalg::LinalgOp product,
                        mlir::linalg::FillOp fill);

/// The epilogue's result at `loops` (the output's indices) given C's
/// element there: its body cloned as written (each op rounds on its own),
/// its other inputs loaded at the indices their maps give.
mlir::Value emitEpilogueElement(mlir::OpBuilder &b, mlir::Location loc,
                                ContractionEpilogue &epilogue,
                                mlir::Value productOutput, mlir::Value element,
                                mlir::ValueRange loops);

/// Erases the epilogue's op, then the broadcasts read through and their
/// buffers, once nothing else reads them.
void eraseContractionEpilogue(ContractionEpilogue &epilogue);

} // namespace vmgpu

#endif // VMGPU_LIB_CODEGEN_CONTRACTIONEPILOGUE_H
