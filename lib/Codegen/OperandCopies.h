//===- OperandCopies.h - inputs read through their copy ---------*- C++ -*-===//
//
// Private to lib/Codegen. An input of a contraction is often a fresh buffer
// that one copy filled just before: a bitcast of the caller's bits, or the
// im2col copy of a convolution (KH x KW times the input's size). A strategy
// that can address the copy's source itself reads it in place, and the
// copy, a kernel of its own and one write and one read of its buffer, goes.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_LIB_CODEGEN_OPERANDCOPIES_H
#define VMGPU_LIB_CODEGEN_OPERANDCOPIES_H

#include "ContractionEpilogue.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"

#include <array>
#include <optional>

namespace vmgpu {

/// The `linalg.generic` that fills the fresh buffer `operand` of `op` (the
/// allocation itself, or a `memref.collapse_shape` of it when `viewed`):
/// the buffer's one writer, before `op` in its block, with one input and
/// the buffer as its output; `op` reads the buffer only as inputs (were it
/// also the output, the copy would write C's initial value), and nothing
/// else but deallocations uses it. Null otherwise.
mlir::linalg::GenericOp findOperandWriter(mlir::linalg::LinalgOp op,
                                          mlir::Value operand, bool viewed);

/// Whether the buffer `value` views holds the same values at `op` as right
/// after `from`: `from` comes before `op` in its block, nothing between
/// them may change or free that buffer, and `op` does not write it.
bool bufferUnchangedUntil(mlir::Operation *from, mlir::Operation *op,
                          mlir::Value value);

/// Whether `op` reads the same values in `copy`'s input as `copy` did:
/// nothing between the two changes or frees that buffer, and `op` does not
/// write it (reading A from C's buffer is what a copy prevents). Buffers
/// of different roots are distinct (the block's inputs are never written).
bool sourceUnchangedUntil(mlir::linalg::GenericOp copy,
                          mlir::linalg::LinalgOp op);

/// An input of a contraction that a plain copy (body: yield the input
/// element) with static loop ranges and an identity output map filled from
/// another buffer along any affine map, e.g. a convolution's im2col copy:
///
///   cols[n, oh, ow, kh, kw, c] = input[n, oh + kh, ow + kw, c]
///   A[m, k] = cols collapsed [[n, oh, ow], [kh, kw, c]]
struct CopiedOperand {
  /// A source that is a fresh buffer of zeros around a copy of another
  /// buffer (a convolution's padded input, `tensor.pad` on buffers): a fill
  /// with zero of all of it, then a `linalg.copy` of `inner` into a subview
  /// at static offsets `low`. The strategy reads `inner` where it lies and
  /// zero elsewhere; the fill and the copy go too.
  struct ZeroPadding {
    mlir::Value inner;
    llvm::SmallVector<int64_t> low;
    mlir::Operation *fill, *copy;
  };
  /// What reading an element takes: its indices in `loadedBuffer()`, and
  /// (null: always) an i1 that is false where the element is padding, a
  /// zero that is not loaded.
  struct Read {
    llvm::SmallVector<mlir::Value> indices;
    mlir::Value inside;
  };

  mlir::linalg::GenericOp copy;
  /// The copy's input, which the strategy reads instead.
  mlir::Value source;
  /// Copy loops -> the source's indices.
  mlir::AffineMap sourceMap;
  /// The copy's loop ranges (its output's shape).
  llvm::SmallVector<int64_t> copyShape;
  /// Per dim of the operand, the copy loops it is (row-major).
  llvm::SmallVector<mlir::ReassociationIndices> groups;

  std::optional<ZeroPadding> padding;

  /// The buffer the strategy loads from: the source, or the buffer inside
  /// its padding.
  mlir::Value loadedBuffer() const { return padding ? padding->inner : source; }

  /// How to read the operand's element at `indices`.
  Read read(mlir::OpBuilder &b, mlir::Location loc,
            mlir::ValueRange indices) const;

  /// The ops that go once the strategy reads through the copy.
  llvm::SmallVector<mlir::Operation *> deadOps() const;

  /// Whether `value` may view a buffer the strategy then loads from (a
  /// fused epilogue must not write one: other blocks still read it).
  bool mayAliasLoaded(mlir::Value value) const;

  /// True when `width` consecutive elements along the operand's innermost
  /// dim, starting at a multiple of `width`, are `width` consecutive
  /// elements of the loaded buffer along its innermost dim (all padding or
  /// none), and each such run starts at a multiple of `width` from the
  /// buffer's base (identity layout): one aligned vector access (or none)
  /// when the base is aligned.
  bool innermostRunsAreContiguous(int64_t width) const;
};

/// The copy `operand` of `op` is read through, when `findOperandWriter`
/// finds one (a view of the buffer allowed) that is such a copy of a
/// buffer `op` may read in its place (`sourceUnchangedUntil`); with the
/// source's zero padding when the copy alone reads the source and the
/// padded buffer is unchanged until `op`.
std::optional<CopiedOperand> findCopiedOperand(mlir::linalg::LinalgOp op,
                                               mlir::Value operand);

/// Whether the generated strategies read an input of `op` through its copy
/// with vector accesses (findCopiedOperand, and 16-byte runs of the
/// source), so that no copy kernel runs: the cost model then keeps `op`
/// off the library, which needs the copy.
bool readsThroughCopy(mlir::linalg::LinalgOp op);

/// The inputs of a contraction that a generated strategy reads through
/// their copies.
struct ReadThroughCopies {
  std::optional<CopiedOperand> lhs, rhs;

  /// Erases what reading through them made dead (a copy both inputs read,
  /// once). Call after the strategy built its kernel.
  void eraseDeadOps() const;
};

/// findCopiedOperand of each input of `op`, kept where the strategy loses no
/// vector load by reading through. The strategy loads `width` elements at a
/// time along an input's contiguous dim where the extent allows; through a
/// copy it can where `runsUsable[i]` (its layout of input i takes the
/// copy's runs) and innermostRunsAreContiguous. Otherwise the copy is read
/// through only if its own buffer would not have had vector loads either,
/// so a copy that reorders elements (a transpose) stays a kernel of vector
/// accesses. A copy whose loaded buffer `epilogue`'s output may view is not
/// read through: the fused kernel would write what other blocks read.
ReadThroughCopies
findReadThroughCopies(mlir::linalg::LinalgOp op,
                      const std::optional<ContractionEpilogue> &epilogue,
                      int64_t width, std::array<bool, 2> runsUsable);

} // namespace vmgpu

#endif // VMGPU_LIB_CODEGEN_OPERANDCOPIES_H
