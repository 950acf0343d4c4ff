//===- KernelBuilding.h - helpers the GPU strategies share -------*- C++ -*-===//
//
// Private to lib/Codegen.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_LIB_CODEGEN_KERNELBUILDING_H
#define VMGPU_LIB_CODEGEN_KERNELBUILDING_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "vmgpu/Codegen/LoweringConfig.h"

namespace vmgpu {

/// An index constant.
mlir::Value indexConstant(mlir::OpBuilder &b, mlir::Location loc,
                          int64_t value);

/// True when `type` is a memref whose elements are contiguous in row-major
/// order from its base (identity layout).
bool isContiguous(mlir::Type type);

/// `memref` (contiguous) with its dims `[from, rank)` collapsed into one;
/// `memref` itself when there is nothing to collapse.
mlir::Value collapseTrailingDims(mlir::OpBuilder &b, mlir::Location loc,
                                 mlir::Value memref, int64_t from);

/// `memref` (contiguous) with its dims `[0, to)` collapsed into one and the
/// rest collapsed into another: a 2-D view.
mlir::Value collapseToRows(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value memref, int64_t to);

/// The product of `memref`'s dims `[from, to)`.
mlir::Value dimProduct(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value memref, int64_t from, int64_t to);

/// Clones `op` (an op of a linalg body) at `b`'s insertion point through
/// `mapping`; a linalg.index is not cloned but maps to
/// `loopIndices[dim]` (the element's position, which the kernel knows).
void cloneWithLoopIndices(mlir::OpBuilder &b, mlir::Operation &op,
                          mlir::IRMapping &mapping,
                          llvm::ArrayRef<mlir::Value> loopIndices);

/// Clones the body of `op` with its block arguments replaced by `args` and
/// returns the values it yields; `loopIndices` (one per loop) stand for
/// linalg.index, and must be given when the body reads it.
llvm::SmallVector<mlir::Value>
cloneBody(mlir::OpBuilder &b, mlir::linalg::LinalgOp op, mlir::ValueRange args,
          llvm::ArrayRef<mlir::Value> loopIndices = {});

/// cloneBody through a `mapping` the caller has seeded: besides the block
/// arguments, results of body ops the caller computed otherwise (a load
/// done V-wide for V elements); ops whose results are all mapped already
/// are not cloned.
llvm::SmallVector<mlir::Value>
cloneBody(mlir::OpBuilder &b, mlir::linalg::LinalgOp op,
          mlir::IRMapping &mapping,
          llvm::ArrayRef<mlir::Value> loopIndices = {});

/// True when `op` is on buffers, outside any kernel, and its body does not
/// read the iteration index (linalg.index).
bool isLowerableOnBuffers(mlir::linalg::LinalgOp op);

/// Bytes of one access of `vectorWidth` elements of `view`'s element type.
int64_t vectorAccessBytes(mlir::Value view, int64_t vectorWidth);

/// `aligned` and (i1) the base of `view` being a multiple of `bytes`: the
/// run-time check that lets a kernel use aligned vector accesses.
mlir::Value andBaseAligned(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value aligned, mlir::Value view,
                           int64_t bytes);

/// How emitUnrolledFold reads the indices left after its whole groups.
enum class FoldTail {
  /// One index per loop step: the smallest code.
  OneAtATime,
  /// One more group of `unroll` reads (those past `end` read the group's
  /// first index again) whose folds past `end` are discarded: one round
  /// trip to memory instead of up to `unroll` - 1 (for a long unroll over a
  /// latency-bound read).
  GuardedGroup,
};

/// Folds the indices `first, first + step, ...` below `end` into
/// `accumulators`, in that order: `unroll` indices at a time are read first
/// (`read(i)`: their loads are in flight together), then folded one by one
/// (`fold(accumulators, read values)` returns the new accumulators); the
/// rest as `tail` says. The folds happen in index order whatever `unroll`
/// and `tail`, so the result does not depend on them. `read` and `fold`
/// must have no side effects. Returns the accumulators.
llvm::SmallVector<mlir::Value> emitUnrolledFold(
    mlir::OpBuilder &b, mlir::Location loc, mlir::Value first, mlir::Value end,
    int64_t step, int64_t unroll, mlir::ValueRange accumulators,
    llvm::function_ref<llvm::SmallVector<mlir::Value>(mlir::Value index)> read,
    llvm::function_ref<llvm::SmallVector<mlir::Value>(
        mlir::ValueRange accumulators, mlir::ValueRange values)>
        fold,
    FoldTail tail = FoldTail::OneAtATime);

/// Emits `body` under `if (lane == 0)` and leaves the builder after the
/// `scf.if`: what one lane of a subgroup writes for all of it.
void emitOnFirstLane(mlir::OpBuilder &b, mlir::Location loc, mlir::Value lane,
                     llvm::function_ref<void()> body);

/// True when `config`'s workgroup is rows of one whole subgroup each (x of
/// 32 or 64, z of 1): what the shuffle-based strategies need. Anything else
/// is a hand-written configuration those strategies decline.
bool hasSubgroupRows(const LoweringConfig &config);

/// The indices of `linear` in a row-major space of `sizes` (index values),
/// the last dim fastest; the first index is not reduced modulo its size.
llvm::SmallVector<mlir::Value> delinearize(mlir::OpBuilder &b,
                                           mlir::Location loc,
                                           mlir::Value linear,
                                           mlir::ValueRange sizes);

/// The linalg ops under `root` whose lowering configuration names
/// `strategy`, with their configurations, in walk order (collected first:
/// a strategy replaces the ops it lowers). Fails, after the configuration
/// reader's diagnostic, on a malformed configuration.
mlir::FailureOr<
    llvm::SmallVector<std::pair<mlir::linalg::LinalgOp, LoweringConfig>>>
collectOpsWithStrategy(mlir::Operation *root, Strategy strategy);

} // namespace vmgpu

#endif // VMGPU_LIB_CODEGEN_KERNELBUILDING_H
