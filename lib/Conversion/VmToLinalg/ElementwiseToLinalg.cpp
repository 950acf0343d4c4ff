//===- ElementwiseToLinalg.cpp - vm elementwise ops -> linalg.generic -----===//
//
// Every elementwise op becomes one linalg.generic with identity maps whose
// body is the op's scalar semantics (ScalarSemantics.cpp). Elementwise
// fusion later merges chains of them into one loop nest.
//
//===----------------------------------------------------------------------===//

#include "PatternUtils.h"
#include "vmgpu/Conversion/ScalarSemantics.h"
#include "vmgpu/Conversion/VmToLinalg.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"
#include "vm/VmOps.h"

using namespace mlir;
using namespace vmgpu;

namespace {

bool isElementwiseVmOp(Operation *op) {
  if (isa<vm::SoftmaxOp>(op))
    return false;
  return op->hasTrait<vm::OpTrait::SameElementwiseType>() ||
         op->hasTrait<vm::OpTrait::SameOperandsShape>() ||
         isa<vm::SelectOp>(op);
}

struct ElementwiseToGeneric : RewritePattern {
  ElementwiseToGeneric(MLIRContext *context)
      : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, context) {}

  LogicalResult matchAndRewrite(Operation *op,
                                PatternRewriter &rewriter) const override {
    if (!isa<vm::VmDialect>(op->getDialect()) || !isElementwiseVmOp(op))
      return failure();
    Location loc = op->getLoc();
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    SmallVector<Value> sizes =
        vmgpu::detail::getDimSizes(rewriter, loc, op->getOperand(0));
    for (unsigned i = 1, e = op->getNumOperands(); i < e; ++i)
      vmgpu::detail::emitShapeMatchesCheck(
          rewriter, op, op->getOperand(i), sizes,
          "operand #" + Twine(i) + " must have the shape of operand #0");
    vmgpu::detail::emitResultShapeCheck(rewriter, op, resultType, sizes);
    Value init = vmgpu::detail::createEmpty(rewriter, loc, resultType, sizes);

    int64_t rank = resultType.getRank();
    SmallVector<AffineMap> maps(op->getNumOperands() + 1,
                                rewriter.getMultiDimIdentityMap(rank));
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    bool bodyFailed = false;
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, op->getOperands(),
        ValueRange{init}, maps, iterators,
        [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
          FailureOr<Value> scalar =
              buildVmScalarOp(b, bodyLoc, op, args.drop_back());
          if (failed(scalar)) {
            bodyFailed = true;
            linalg::YieldOp::create(b, bodyLoc, args.back());
            return;
          }
          linalg::YieldOp::create(b, bodyLoc, *scalar);
        });
    if (bodyFailed) {
      rewriter.eraseOp(generic);
      return failure();
    }
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

void vmgpu::populateVmElementwiseToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ElementwiseToGeneric>(patterns.getContext());
}
