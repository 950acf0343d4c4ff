//===- CpuPackOperands.cpp - contraction operands copied for the tiles ----===//
//
// See CpuPackOperands.h. The copies are plain linalg.generic ops (parallel
// loops, threaded by the loop lowering); each writes into a view of a
// buffer whose rows may be longer than the operand's, and the contraction
// reads the same view, so that bufferization keeps one buffer per operand.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Codegen/CpuPackOperands.h"

#include "vmgpu/Codegen/CpuKernelConfig.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace vmgpu;

namespace {

/// M and N below this keep the operands as they are.
constexpr int64_t kMinPackedExtent = 64;
/// Rows whose length in bytes is a multiple of this alias in L1.
constexpr int64_t kAliasingRowBytes = 512;
/// What a copy adds to such a row: one cache line.
constexpr int64_t kRowPaddingBytes = 64;

/// Whether rows of `operand` in `type` elements alias in L1.
bool aliases(Value operand, Type type) {
  auto shape = cast<RankedTensorType>(operand.getType()).getShape();
  int64_t elementBytes = type.getIntOrFloatBitWidth() / 8;
  return (shape.back() * elementBytes) % kAliasingRowBytes == 0;
}

/// A copy of `operand` in `type` elements, its rows padded when they alias.
/// Returns the view of the copy with `operand`'s shape.
Value copyOperand(RewriterBase &rewriter, Location loc, Value operand,
                  Type type) {
  auto operandType = cast<RankedTensorType>(operand.getType());
  SmallVector<int64_t> shape(operandType.getShape());
  SmallVector<int64_t> padded(shape);
  if (aliases(operand, type))
    padded.back() += kRowPaddingBytes / (type.getIntOrFloatBitWidth() / 8);
  // A buffer of its own: two tensor.empty of one shape would be CSE'd into
  // one, and bufferization would then give the second copy a fresh, unpadded
  // buffer.
  Value buffer = bufferization::AllocTensorOp::create(
      rewriter, loc, RankedTensorType::get(padded, type), ValueRange{});
  unsigned rank = shape.size();
  SmallVector<OpFoldResult> zeros(rank, rewriter.getIndexAttr(0));
  SmallVector<OpFoldResult> ones(rank, rewriter.getIndexAttr(1));
  SmallVector<OpFoldResult> sizes =
      getAsIndexOpFoldResult(rewriter.getContext(), shape);
  Value view = tensor::ExtractSliceOp::create(rewriter, loc, buffer, zeros,
                                              sizes, ones);
  if (operandType.getElementType() == type) {
    // A named copy: canonicalization erases identity generics.
    return linalg::CopyOp::create(rewriter, loc, operand, view).getResult(0);
  }
  AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
  SmallVector<utils::IteratorType> parallel(rank,
                                            utils::IteratorType::parallel);
  auto copy = linalg::GenericOp::create(
      rewriter, loc, view.getType(), ValueRange{operand}, ValueRange{view},
      ArrayRef<AffineMap>{identity, identity}, parallel,
      [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
        linalg::YieldOp::create(b, bodyLoc,
                                widenToAccumulator(b, bodyLoc, args[0], type));
      });
  return copy.getResult(0);
}

} // namespace

Value vmgpu::widenToAccumulator(OpBuilder &b, Location loc, Value value,
                                Type accumulator) {
  if (value.getType() == accumulator)
    return value;
  if (isa<FloatType>(accumulator))
    return arith::ExtFOp::create(b, loc, accumulator, value);
  return arith::ExtSIOp::create(b, loc, accumulator, value);
}

linalg::LinalgOp vmgpu::packContractionOperands(RewriterBase &rewriter,
                                                linalg::LinalgOp op) {
  if (!isCpuTiledContraction(op) || op.hasDynamicShape())
    return op;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  SmallVector<int64_t> sizes = op.getStaticLoopRanges();
  if (failed(dims) || sizes[dims->m.front()] < kMinPackedExtent ||
      sizes[dims->n.front()] < kMinPackedExtent)
    return op;
  Type accumulator = getElementTypeOrSelf(op->getResult(0).getType());
  SmallVector<Value> inputs(op.getDpsInputs());
  bool convert = llvm::any_of(inputs, [&](Value v) {
    return getElementTypeOrSelf(v.getType()) != accumulator;
  });
  bool alias = llvm::any_of(inputs, [&](Value v) {
    return aliases(v, accumulator);
  });
  if (!convert && !alias)
    return op;

  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  SmallVector<Value> packed;
  for (Value input : inputs)
    packed.push_back(copyOperand(rewriter, loc, input, accumulator));
  auto contraction = linalg::GenericOp::create(
      rewriter, loc, op->getResultTypes(), packed, op.getDpsInits(),
      op.getIndexingMapsArray(), op.getIteratorTypesArray(),
      [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
        Value product, sum;
        if (isa<FloatType>(accumulator)) {
          product = arith::MulFOp::create(b, bodyLoc, args[0], args[1]);
          sum = arith::AddFOp::create(b, bodyLoc, product, args[2]);
        } else {
          product = arith::MulIOp::create(b, bodyLoc, args[0], args[1]);
          sum = arith::AddIOp::create(b, bodyLoc, product, args[2]);
        }
        linalg::YieldOp::create(b, bodyLoc, sum);
      });
  rewriter.replaceOp(op, contraction->getResults());
  return cast<linalg::LinalgOp>(contraction.getOperation());
}
