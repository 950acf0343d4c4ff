//===- VmFolds.cpp - vm folders and canonicalization patterns -------------===//
//
// Plain identities only: an op whose result equals its operand folds away,
// and chains of the same shape op collapse into one.
//
//===----------------------------------------------------------------------===//

#include "vm/VmOps.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace vmgpu::vm;

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

OpFoldResult ConvertOp::fold(FoldAdaptor) {
  if (getOperand().getType() == getType())
    return getOperand();
  return {};
}

OpFoldResult BitcastOp::fold(FoldAdaptor) {
  if (getOperand().getType() == getType())
    return getOperand();
  // bitcast(bitcast(x)) reads x's bits directly. Shape compatibility is not
  // transitive (4 -> ? -> 5 verifies link by link), so x must still be
  // compatible with the result for the shortened op to verify.
  if (auto inner = getOperand().getDefiningOp<BitcastOp>()) {
    Value source = inner.getOperand();
    if (failed(verifyCompatibleShape(source.getType(), getType())))
      return {};
    if (source.getType() == getType())
      return source;
    getOperandMutable().assign(source);
    return getResult();
  }
  return {};
}

OpFoldResult BroadcastOp::fold(FoldAdaptor) {
  // With equal types and dims = [0, 1, ...], every dimension maps to itself
  // with its own size (a dynamic result dim takes the operand's size).
  if (getOperand().getType() != getType())
    return {};
  for (auto [i, dim] : llvm::enumerate(getDims()))
    if (dim != static_cast<int64_t>(i))
      return {};
  return getOperand();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  if (getOperand().getType() == getType())
    return getOperand();
  // reshape(reshape(x)) is one reshape of x: row-major order is preserved.
  // Only where the shortened op verifies: a dynamic middle type can hide an
  // element count mismatch between x and the result.
  if (auto inner = getOperand().getDefiningOp<ReshapeOp>()) {
    auto source = inner.getOperand();
    if (failed(verifyShapes(source.getType(), getType(), nullptr)))
      return {};
    if (source.getType() == getType())
      return source;
    getOperandMutable().assign(source);
    return getResult();
  }
  return {};
}

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  for (auto [i, p] : llvm::enumerate(getPerm()))
    if (p != static_cast<int64_t>(i))
      return {};
  if (getOperand().getType() != getType())
    return {};
  return getOperand();
}

namespace {
/// transpose(transpose(x, inner), outer) -> transpose(x, inner o outer).
struct ComposeTransposes : OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getOperand().getDefiningOp<TransposeOp>();
    if (!inner)
      return failure();
    // result[i] = mid[outer[i]] = x[inner[outer[i]]].
    // A dynamic middle dim may hide a static mismatch between x and the
    // result; leave such a chain alone rather than build an invalid op.
    ArrayRef<int64_t> source = inner.getOperand().getType().getShape();
    ArrayRef<int64_t> result = op.getType().getShape();
    SmallVector<int64_t> composed;
    for (auto [i, p] : llvm::enumerate(op.getPerm())) {
      composed.push_back(inner.getPerm()[p]);
      int64_t from = source[composed.back()], to = result[i];
      if (!ShapedType::isDynamic(from) && !ShapedType::isDynamic(to) &&
          from != to)
        return failure();
    }
    rewriter.replaceOpWithNewOp<TransposeOp>(op, op.getType(),
                                             inner.getOperand(), composed);
    return success();
  }
};
} // namespace

void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &patterns,
                                              MLIRContext *context) {
  patterns.add<ComposeTransposes>(context);
}

OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getInputs().size() == 1 && getInputs().front().getType() == getType())
    return getInputs().front();
  return {};
}
