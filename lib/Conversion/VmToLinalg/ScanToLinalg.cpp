//===- ScanToLinalg.cpp - vm.scan to linalg -------------------------------===//
//
// Linalg has no scan op. A scan is one linalg.generic with `dim` as a
// reduction loop and two outputs: the running value, indexed without `dim`
// (a reduction accumulator), and the result, indexed with it. Each step
// writes the result element at its position, so lowered to loops (where a
// reduction loop runs in order) it is the sequential scan, one lane per
// parallel iteration. Code generation leaves such ops (an output indexed by
// a reduction loop) to the loop lowering: see ClassifyOp.cpp.
//
// `reverse` reverses the operand along `dim` before and the result after.
// f16/bf16 sums and products run in f32 and round each result once; float
// min/max start from NaN so that an all-NaN prefix gives NaN (the identity
// is for empty prefixes only: the first element of an exclusive scan).
//
//===----------------------------------------------------------------------===//

#include "PatternUtils.h"
#include "vmgpu/Conversion/ScalarSemantics.h"
#include "vmgpu/Conversion/VmToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "vm/VmOps.h"
#include "vm/VmTraits.h"

using namespace mlir;
using namespace vmgpu;
using namespace vmgpu::detail;

namespace {

/// `tensor` with the order of `dim` reversed.
Value reverseAlong(OpBuilder &b, Location loc, Value tensor, int64_t dim,
                   ArrayRef<Value> sizes) {
  auto type = cast<RankedTensorType>(tensor.getType());
  int64_t rank = type.getRank();
  Value empty = createEmpty(b, loc, type, sizes);
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, type, ValueRange{}, ValueRange{empty}, maps, iterators,
      [&](OpBuilder &nested, Location l, ValueRange) {
        SmallVector<Value> at;
        for (int64_t d = 0; d < rank; ++d)
          at.push_back(linalg::IndexOp::create(nested, l, d));
        Value last = arith::SubIOp::create(nested, l, sizes[dim],
                                           indexConstant(nested, l, 1));
        at[dim] = arith::SubIOp::create(nested, l, last, at[dim]);
        linalg::YieldOp::create(nested, l,
                                tensor::ExtractOp::create(nested, l, tensor, at)
                                    .getResult());
      });
  return generic.getResult(0);
}

struct ScanToLinalg : OpRewritePattern<vm::ScanOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vm::ScanOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t dim = op.getDim();
    StringRef kind = op.getKind();
    bool isUnsigned = op->hasAttr(vm::kUnsignedAttrName);
    bool exclusive = op.getExclusive();
    RankedTensorType type = op.getType();
    int64_t rank = type.getRank();
    Type element = type.getElementType();
    bool isMinMax = kind == "min" || kind == "max";
    bool isFloat = isa<FloatType>(element);
    Type carryElement = isMinMax ? element : getAccumulatorType(element);

    SmallVector<Value> sizes = getDimSizes(rewriter, loc, op.getOperand());
    Value input = op.getOperand();
    if (op.getReverse())
      input = reverseAlong(rewriter, loc, input, dim, sizes);

    FailureOr<TypedAttr> identity =
        getReduceIdentity(rewriter, kind, carryElement, isUnsigned);
    if (failed(identity))
      return rewriter.notifyMatchFailure(op, "no identity for the kind");
    Value identityValue = arith::ConstantOp::create(rewriter, loc, *identity);
    Value carryInit = identityValue;
    if (isFloat && isMinMax)
      carryInit = arith::ConstantOp::create(
          rewriter, loc,
          rewriter.getFloatAttr(
              element, APFloat::getQNaN(
                           cast<FloatType>(element).getFloatSemantics())));
    SmallVector<Value> laneSizes(sizes);
    laneSizes.erase(laneSizes.begin() + dim);
    SmallVector<int64_t> laneShape;
    for (int64_t d = 0; d < rank; ++d)
      if (d != dim)
        laneShape.push_back(type.getDimSize(d));
    auto laneType = RankedTensorType::get(laneShape, carryElement);
    Value carry = createFilled(rewriter, loc, laneType, laneSizes, carryInit);
    Value result = createEmpty(rewriter, loc, type, sizes);

    SmallVector<utils::IteratorType> iterators =
        getReductionIterators(rank, {dim});
    AffineMap identityMap = rewriter.getMultiDimIdentityMap(rank);
    AffineMap laneMap = getMapWithout(rewriter.getContext(), rank, {dim});
    bool failedCombine = false;
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{laneType, type}, ValueRange{input},
        ValueRange{carry, result},
        SmallVector<AffineMap>{identityMap, laneMap, identityMap}, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = args[0], running = args[1];
          FailureOr<Value> next =
              buildReduceCombine(b, l, kind, running, x, isUnsigned);
          if (failed(next)) {
            failedCombine = true;
            next = running;
          }
          Value written = exclusive ? running : *next;
          if (exclusive && isFloat && isMinMax) {
            // Only the first element's prefix is empty.
            Value first = arith::CmpIOp::create(
                b, l, arith::CmpIPredicate::eq,
                linalg::IndexOp::create(b, l, dim), indexConstant(b, l, 0));
            written = arith::SelectOp::create(b, l, first, identityValue,
                                              written);
          }
          if (written.getType() != element)
            written = buildFloatTruncate(b, l, written, element);
          linalg::YieldOp::create(b, l, ValueRange{*next, written});
        });
    if (failedCombine)
      return op.emitOpError("cannot lower scan kind '") << kind << "'";
    Value scanned = generic.getResult(1);
    if (op.getReverse())
      scanned = reverseAlong(rewriter, loc, scanned, dim, sizes);
    rewriter.replaceOp(op, scanned);
    return success();
  }
};

} // namespace

void vmgpu::populateVmScanToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ScanToLinalg>(patterns.getContext());
}
