//===- ReductionToLinalg.cpp - vm.reduce, vm.dot, vm.softmax -> linalg ----===//

#include "Accumulation.h"
#include "PatternUtils.h"
#include "vmgpu/Conversion/ScalarSemantics.h"
#include "vmgpu/Conversion/VmToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "vm/VmOps.h"

using namespace mlir;
using namespace vmgpu;
using namespace vmgpu::detail;

namespace {

/// The sizes of `tensor` without the dims in `dropped`.
SmallVector<Value> sizesWithout(ArrayRef<Value> sizes, ArrayRef<int64_t> dropped) {
  SmallVector<Value> kept;
  for (auto [d, size] : llvm::enumerate(sizes))
    if (!llvm::is_contained(dropped, static_cast<int64_t>(d)))
      kept.push_back(size);
  return kept;
}

/// linalg.reduce of `input` over `dims` with `combine`, starting from `init`;
/// `op` is the vm op being lowered (for shape checks).
Value buildReduction(OpBuilder &b, Operation *op, Location loc, Value input,
                     ArrayRef<int64_t> dims, RankedTensorType resultType,
                     Value init,
                     function_ref<Value(OpBuilder &, Location, Value, Value)>
                         combine) {
  SmallVector<Value> sizes = getDimSizes(b, loc, input);
  emitResultShapeCheck(b, op, resultType, sizesWithout(sizes, dims));
  auto inputType = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> refined(inputType.getRank(), ShapedType::kDynamic);
  for (int64_t d = 0, r = 0; d < inputType.getRank(); ++d)
    if (!llvm::is_contained(dims, d))
      refined[d] = resultType.getDimSize(r++);
  input = refineToStaticSizes(b, loc, input, refined);
  Value filled =
      createFilled(b, loc, resultType, sizesWithout(sizes, dims), init);
  auto reduce = linalg::ReduceOp::create(
      b, loc, ValueRange{input}, ValueRange{filled}, dims,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        // args = (element, accumulator).
        linalg::YieldOp::create(nested, nestedLoc,
                                combine(nested, nestedLoc, args[1], args[0]));
      });
  return reduce.getResult(0);
}

struct ReduceToLinalg : OpRewritePattern<vm::ReduceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vm::ReduceOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    Type element = resultType.getElementType();
    StringRef kind = op.getKind();
    if (op.getDims().empty()) {
      rewriter.replaceOpWithNewOp<tensor::CastOp>(op, resultType,
                                                  op.getOperand());
      return success();
    }
    // f16/bf16 sums and products accumulate in f32 and round once at the
    // end; min and max are exact in the element type.
    bool isMinMax = kind == "min" || kind == "max";
    RankedTensorType accumulatorType =
        isMinMax ? resultType : getAccumulatorTensorType(resultType);
    bool isUnsigned = op->hasAttr(vm::kUnsignedAttrName);
    FailureOr<TypedAttr> identity = getReduceIdentity(
        rewriter, kind, accumulatorType.getElementType(), isUnsigned);
    if (failed(identity))
      return rewriter.notifyMatchFailure(op, "unknown reduction kind");
    Value init = arith::ConstantOp::create(rewriter, loc, *identity);
    if (isa<FloatType>(element) && isMinMax) {
      // Starting from NaN (which loses to any number) keeps an all-NaN
      // reduction NaN; only an empty one gives the identity.
      SmallVector<Value> sizes = getDimSizes(rewriter, loc, op.getOperand());
      SmallVector<Value> reduced;
      for (int64_t d : op.getDims())
        reduced.push_back(sizes[d]);
      Value empty = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::eq,
          product(rewriter, loc, reduced), indexConstant(rewriter, loc, 0));
      auto floatType = cast<FloatType>(element);
      Value nan = arith::ConstantOp::create(
          rewriter, loc,
          rewriter.getFloatAttr(
              element, APFloat::getQNaN(floatType.getFloatSemantics())));
      init = arith::SelectOp::create(rewriter, loc, empty, init, nan);
    }
    bool failedCombine = false;
    Value result = buildReduction(
        rewriter, op, loc, op.getOperand(), op.getDims(), accumulatorType, init,
        [&](OpBuilder &b, Location l, Value acc, Value x) -> Value {
          FailureOr<Value> combined =
              buildReduceCombine(b, l, kind, acc, x, isUnsigned);
          if (failed(combined)) {
            failedCombine = true;
            return acc;
          }
          return *combined;
        });
    if (failedCombine)
      return op.emitOpError("cannot lower reduction kind '") << kind << "'";
    rewriter.replaceOp(op, roundAccumulated(rewriter, loc, result, resultType));
    return success();
  }
};

struct DotToLinalg : OpRewritePattern<vm::DotOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vm::DotOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    RankedTensorType accumulatorType = getAccumulatorTensorType(resultType);
    Value zero = arith::ConstantOp::create(
        rewriter, loc, rewriter.getZeroAttr(accumulatorType.getElementType()));
    emitEqualSizesCheck(rewriter, op, getDimSizes(rewriter, loc, op.getLhs())[0],
                        getDimSizes(rewriter, loc, op.getRhs())[0],
                        "lhs and rhs must have the same length");
    Value init = createFilled(rewriter, loc, accumulatorType, {}, zero);
    auto dot = linalg::DotOp::create(rewriter, loc, TypeRange{accumulatorType},
                                     ValueRange{op.getLhs(), op.getRhs()},
                                     ValueRange{init});
    rewriter.replaceOp(
        op, roundAccumulated(rewriter, loc, dot.getResult(0), resultType));
    return success();
  }
};

/// exp(x - max) / sum(exp(x - max)) along `dim`, as two reductions and two
/// elementwise generics. f16/bf16 compute in f32 and round once at the end.
struct SoftmaxToLinalg : OpRewritePattern<vm::SoftmaxOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vm::SoftmaxOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    RankedTensorType type = op.getType();
    Type element = type.getElementType();
    Type wide = getAccumulatorType(element);
    int64_t rank = type.getRank();
    int64_t dim = op.getDimAttr().getInt();
    SmallVector<Value> sizes = getDimSizes(rewriter, loc, op.getOperand());
    SmallVector<int64_t> reducedShape;
    for (int64_t d = 0; d < rank; ++d)
      if (d != dim)
        reducedShape.push_back(type.getDimSize(d));
    auto reducedType = RankedTensorType::get(reducedShape, element);
    auto wideReducedType = RankedTensorType::get(reducedShape, wide);
    auto wideType = RankedTensorType::get(type.getShape(), wide);
    emitResultShapeCheck(rewriter, op, type, sizes);

    Value minusInf = arith::ConstantOp::create(
        rewriter, loc,
        rewriter.getFloatAttr(element,
                              APFloat::getInf(cast<FloatType>(element)
                                                  .getFloatSemantics(),
                                              /*Negative=*/true)));
    Value max = buildReduction(
        rewriter, op, loc, op.getOperand(), {dim}, reducedType, minusInf,
        [](OpBuilder &b, Location l, Value acc, Value x) -> Value {
          return arith::MaximumFOp::create(b, l, acc, x);
        });

    AffineMap full = rewriter.getMultiDimIdentityMap(rank);
    AffineMap reduced = getMapWithout(context, rank, {dim});
    SmallVector<utils::IteratorType> parallel(rank,
                                              utils::IteratorType::parallel);
    auto widen = [&](OpBuilder &b, Location l, Value v) -> Value {
      return v.getType() == wide ? v : arith::ExtFOp::create(b, l, wide, v);
    };
    Value exps = linalg::GenericOp::create(
                     rewriter, loc, TypeRange{wideType},
                     ValueRange{op.getOperand(), max},
                     ValueRange{createEmpty(rewriter, loc, wideType, sizes)},
                     ArrayRef<AffineMap>{full, reduced, full}, parallel,
                     [&](OpBuilder &b, Location l, ValueRange args) {
                       Value shifted = arith::SubFOp::create(
                           b, l, widen(b, l, args[0]), widen(b, l, args[1]));
                       linalg::YieldOp::create(
                           b, l, Value(math::ExpOp::create(b, l, shifted)));
                     })
                     .getResult(0);
    Value zero =
        arith::ConstantOp::create(rewriter, loc, rewriter.getZeroAttr(wide));
    Value sum = buildReduction(
        rewriter, op, loc, exps, {dim}, wideReducedType, zero,
        [](OpBuilder &b, Location l, Value acc, Value x) -> Value {
          return arith::AddFOp::create(b, l, acc, x);
        });
    auto result = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{exps, sum},
        ValueRange{createEmpty(rewriter, loc, type, sizes)},
        ArrayRef<AffineMap>{full, reduced, full}, parallel,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value quotient = arith::DivFOp::create(b, l, args[0], args[1]);
          if (wide != element)
            quotient = buildFloatTruncate(b, l, quotient, element);
          linalg::YieldOp::create(b, l, quotient);
        });
    rewriter.replaceOp(op, result.getResults());
    return success();
  }
};

} // namespace

void vmgpu::populateVmReductionToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<DotToLinalg, ReduceToLinalg, SoftmaxToLinalg>(
      patterns.getContext());
}
