//===- ContractionPlan.cpp - recognize (batched) matrix products ----------===//

#include "ContractionPlan.h"
#include "OutputFill.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"

using namespace mlir;
using namespace vmgpu;

/// The loop positions of `map`'s results, or failure when one is not a
/// plain loop dim.
static FailureOr<SmallVector<unsigned>> loopsOf(AffineMap map) {
  SmallVector<unsigned> loops;
  for (AffineExpr result : map.getResults()) {
    auto dim = dyn_cast<AffineDimExpr>(result);
    if (!dim)
      return failure();
    loops.push_back(dim.getPosition());
  }
  return loops;
}

/// A conversion the body may apply to an input before multiplying: one
/// operand, one result, no side effects.
static bool isConversion(Operation *op) {
  return isa<arith::ExtFOp, arith::ExtSIOp, arith::ExtUIOp, arith::SIToFPOp,
             arith::UIToFPOp>(op);
}

/// The conversions from `arg` to `value` (innermost first), or failure when
/// `value` is not `arg` under a chain of conversions used once each.
static FailureOr<SmallVector<Operation *>> conversionChain(Value value,
                                                           Value arg) {
  SmallVector<Operation *> chain;
  while (value != arg) {
    Operation *def = value.getDefiningOp();
    if (!def || !isConversion(def) || !def->hasOneUse())
      return failure();
    chain.push_back(def);
    value = def->getOperand(0);
  }
  std::reverse(chain.begin(), chain.end());
  return chain;
}

/// Matches `yield(add(acc, mul(cvt(a), cvt(b))))` (operands of the add and
/// the multiply in either order) into `plan`.
static LogicalResult matchMultiplyAdd(linalg::LinalgOp op,
                                      ContractionPlan &plan) {
  Block *body = op.getBlock();
  Value lhsArg = body->getArgument(0), rhsArg = body->getArgument(1),
        accArg = body->getArgument(2);
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  if (yield.getNumOperands() != 1)
    return failure();
  Operation *add = yield.getOperand(0).getDefiningOp();
  bool isFloat = isa<FloatType>(plan.accumulatorType);
  if (!add || !(isFloat ? isa<arith::AddFOp>(add) : isa<arith::AddIOp>(add)))
    return failure();
  Value product = add->getOperand(0) == accArg   ? add->getOperand(1)
                  : add->getOperand(1) == accArg ? add->getOperand(0)
                                                 : Value();
  Operation *mul = product ? product.getDefiningOp() : nullptr;
  if (!mul || !mul->hasOneUse() ||
      !(isFloat ? isa<arith::MulFOp>(mul) : isa<arith::MulIOp>(mul)))
    return failure();
  for (auto [first, second] : {std::pair{0, 1}, std::pair{1, 0}}) {
    FailureOr<SmallVector<Operation *>> lhs =
        conversionChain(mul->getOperand(first), lhsArg);
    FailureOr<SmallVector<Operation *>> rhs =
        conversionChain(mul->getOperand(second), rhsArg);
    if (failed(lhs) || failed(rhs))
      continue;
    // Nothing else in the body: the chains, the multiply and the add.
    if (static_cast<size_t>(std::distance(body->begin(), body->end())) !=
        lhs->size() + rhs->size() + 3)
      return failure();
    plan.lhsConversions = std::move(*lhs);
    plan.rhsConversions = std::move(*rhs);
    return success();
  }
  return failure();
}

FailureOr<ContractionPlan> vmgpu::planContraction(linalg::LinalgOp op) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !linalg::isaContractionOpInterface(op))
    return failure();
  for (Value operand : op->getOperands()) {
    auto shaped = dyn_cast<ShapedType>(operand.getType());
    if (!shaped || !shaped.hasRank())
      return failure();
    // Elements packed in whole bytes (no i1): the kernels load them in
    // chunks.
    Type element = shaped.getElementType();
    if (!element.isIntOrFloat() || element.getIntOrFloatBitWidth() < 8 ||
        !llvm::isPowerOf2_32(element.getIntOrFloatBitWidth()))
      return failure();
  }
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || dims->batch.size() > 1 || dims->m.size() != 1 ||
      dims->n.size() != 1 || dims->k.size() != 1)
    return failure();
  ContractionPlan plan;
  if (!dims->batch.empty())
    plan.batchLoop = dims->batch.front();
  plan.mLoop = dims->m.front();
  plan.nLoop = dims->n.front();
  plan.kLoop = dims->k.front();
  if (op.getNumLoops() != (plan.batchLoop ? 4u : 3u))
    return failure();

  // Each operand: [batch,] then its two matrix dims.
  auto layout = [&](OpOperand *operand, unsigned outer, unsigned inner)
      -> FailureOr<bool> /*true: (outer, inner); false: (inner, outer)*/ {
    FailureOr<SmallVector<unsigned>> loops =
        loopsOf(op.getMatchingIndexingMap(operand));
    if (failed(loops))
      return failure();
    ArrayRef<unsigned> matrix = *loops;
    if (plan.batchLoop) {
      if (matrix.size() != 3 || matrix.front() != *plan.batchLoop)
        return failure();
      matrix = matrix.drop_front();
    }
    if (matrix.size() != 2)
      return failure();
    if (matrix[0] == outer && matrix[1] == inner)
      return true;
    if (matrix[0] == inner && matrix[1] == outer)
      return false;
    return failure();
  };
  FailureOr<bool> lhs =
      layout(op.getDpsInputOperand(0), plan.mLoop, plan.kLoop);
  FailureOr<bool> rhs =
      layout(op.getDpsInputOperand(1), plan.nLoop, plan.kLoop);
  FailureOr<bool> out = layout(op.getDpsInitOperand(0), plan.mLoop, plan.nLoop);
  if (failed(lhs) || failed(rhs) || failed(out) || !*out)
    return failure();
  plan.lhsKInnermost = *lhs;
  plan.rhsKInnermost = *rhs;

  plan.accumulatorType =
      getElementTypeOrSelf(op.getDpsInitOperand(0)->get().getType());
  if (!plan.accumulatorType.isF32() && !plan.accumulatorType.isF64() &&
      !plan.accumulatorType.isInteger(32) &&
      !plan.accumulatorType.isInteger(64))
    return failure();
  if (failed(matchMultiplyAdd(op, plan)))
    return failure();
  return plan;
}

Type vmgpu::tensorCoreInputType(linalg::LinalgOp op,
                                const ContractionPlan &plan) {
  Type lhs = getElementTypeOrSelf(op.getDpsInputOperand(0)->get().getType());
  Type rhs = getElementTypeOrSelf(op.getDpsInputOperand(1)->get().getType());
  if (lhs != rhs || plan.lhsConversions.size() != 1 ||
      plan.rhsConversions.size() != 1)
    return nullptr;
  auto convertedBy = [&](auto opType) {
    using Conversion = decltype(opType);
    return isa<Conversion>(plan.lhsConversions.front()) &&
           isa<Conversion>(plan.rhsConversions.front());
  };
  if ((lhs.isF16() || lhs.isBF16()) && plan.accumulatorType.isF32() &&
      convertedBy(arith::ExtFOp()))
    return lhs;
  if (lhs.isInteger(8) && plan.accumulatorType.isInteger(32) &&
      convertedBy(arith::ExtSIOp()))
    return lhs;
  return nullptr;
}

linalg::FillOp vmgpu::precedingFill(linalg::LinalgOp op, Type accumulatorType) {
  if (!op.hasPureBufferSemantics())
    return nullptr;
  linalg::FillOp fill = findOutputFill(op, op.getDpsInitOperand(0)->get());
  if (!fill || fill.getInputs().front().getType() != accumulatorType)
    return nullptr;
  return fill;
}
