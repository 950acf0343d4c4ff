//===- ContractionToLinalg.cpp - matmul, conv2d, pool2d -> linalg ---------===//
//
// Matmuls and convolutions become linalg's named ops (their bodies cast the
// operands to the accumulator type and multiply then add, never fused).
// Pooling is a linalg.generic, because linalg's pooling_nhwc_max takes NaN
// where the contract lets a number win.
//
//===----------------------------------------------------------------------===//

#include "Accumulation.h"
#include "PatternUtils.h"
#include "vmgpu/Conversion/ScalarSemantics.h"
#include "vmgpu/Conversion/VmToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "vm/VmOps.h"

using namespace mlir;
using namespace vmgpu;
using namespace vmgpu::detail;

namespace {

Value zeroOf(OpBuilder &b, Location loc, Type type) {
  return arith::ConstantOp::create(b, loc, b.getZeroAttr(type));
}

/// Indexing maps of a (batched) matmul with optional transposed operands.
SmallVector<AffineMap> matmulMaps(MLIRContext *context, bool batched,
                                  bool transposeA, bool transposeB) {
  unsigned numDims = batched ? 4 : 3;
  unsigned first = batched ? 1 : 0;
  AffineExpr m = getAffineDimExpr(first, context);
  AffineExpr n = getAffineDimExpr(first + 1, context);
  AffineExpr k = getAffineDimExpr(first + 2, context);
  SmallVector<AffineExpr> prefix;
  if (batched)
    prefix.push_back(getAffineDimExpr(0, context));
  auto map = [&](AffineExpr a, AffineExpr b) {
    SmallVector<AffineExpr> results(prefix);
    results.append({a, b});
    return AffineMap::get(numDims, 0, results, context);
  };
  return {transposeA ? map(k, m) : map(m, k), transposeB ? map(n, k) : map(k, n),
          map(m, n)};
}

template <typename VmOp, typename LinalgOp, bool Batched>
struct MatmulToLinalg : OpRewritePattern<VmOp> {
  using OpRewritePattern<VmOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(VmOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    SmallVector<Value> lhs = getDimSizes(rewriter, loc, op.getLhs());
    SmallVector<Value> rhs = getDimSizes(rewriter, loc, op.getRhs());
    unsigned first = Batched ? 1 : 0;
    SmallVector<Value> sizes;
    if (Batched)
      sizes.push_back(lhs[0]);
    sizes.push_back(lhs[first + (op.getTransposeA() ? 1 : 0)]);
    sizes.push_back(rhs[first + (op.getTransposeB() ? 0 : 1)]);
    emitEqualSizesCheck(rewriter, op, lhs[first + (op.getTransposeA() ? 0 : 1)],
                        rhs[first + (op.getTransposeB() ? 1 : 0)],
                        "the contraction dimensions (K) of lhs and rhs differ");
    if (Batched)
      emitEqualSizesCheck(rewriter, op, lhs[0], rhs[0],
                          "the batch dimensions of lhs and rhs differ");
    emitResultShapeCheck(rewriter, op, resultType, sizes);
    RankedTensorType accumulatorType = getAccumulatorTensorType(resultType);
    Value init =
        createFilled(rewriter, loc, accumulatorType, sizes,
                     zeroOf(rewriter, loc, accumulatorType.getElementType()));
    auto matmul = LinalgOp::create(rewriter, loc, TypeRange{accumulatorType},
                                   ValueRange{op.getLhs(), op.getRhs()},
                                   ValueRange{init});
    if (op.getTransposeA() || op.getTransposeB()) {
      SmallVector<AffineMap> maps =
          matmulMaps(rewriter.getContext(), Batched, op.getTransposeA(),
                     op.getTransposeB());
      SmallVector<Attribute> attrs;
      for (AffineMap map : maps)
        attrs.push_back(AffineMapAttr::get(map));
      matmul.setIndexingMapsAttr(rewriter.getArrayAttr(attrs));
    }
    rewriter.replaceOp(
        op, roundAccumulated(rewriter, loc, matmul->getResult(0), resultType));
    return success();
  }
};

/// Pads the H and W dims of an NHWC tensor by `padding` (top, bottom, left,
/// right) with `value`.
Value padSpatial(OpBuilder &b, Location loc, Value input,
                 ArrayRef<int64_t> padding, Value value) {
  if (llvm::all_of(padding, [](int64_t p) { return p == 0; }))
    return input;
  SmallVector<OpFoldResult> low = {b.getIndexAttr(0), b.getIndexAttr(padding[0]),
                                   b.getIndexAttr(padding[2]), b.getIndexAttr(0)};
  SmallVector<OpFoldResult> high = {b.getIndexAttr(0), b.getIndexAttr(padding[1]),
                                    b.getIndexAttr(padding[3]), b.getIndexAttr(0)};
  return tensor::PadOp::create(b, loc, Type(), input, low, high, value);
}

/// Output size of a window of `extent` over a `padded` size (checked to be
/// at least `extent`): (padded - extent) / stride + 1.
Value windowOutputSize(OpBuilder &b, Location loc, Value padded, Value extent,
                       int64_t stride) {
  Value steps = b.createOrFold<arith::DivUIOp>(
      loc, b.createOrFold<arith::SubIOp>(loc, padded, extent),
      indexConstant(b, loc, stride));
  return b.createOrFold<arith::AddIOp>(loc, steps, indexConstant(b, loc, 1));
}

struct Conv2DToLinalg : OpRewritePattern<vm::Conv2DOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vm::Conv2DOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    SmallVector<int64_t, 2> strides = op.getStrideValues();
    SmallVector<int64_t, 2> dilations = op.getDilationValues();
    SmallVector<int64_t, 4> padding = op.getPaddingValues();
    SmallVector<Value> in = getDimSizes(rewriter, loc, op.getInput());
    SmallVector<Value> filter = getDimSizes(rewriter, loc, op.getFilter());
    Type inputElement = op.getInput().getType().getElementType();
    Value input = padSpatial(rewriter, loc, op.getInput(), padding,
                             zeroOf(rewriter, loc, inputElement));
    emitEqualSizesCheck(rewriter, op, in[3], filter[2],
                        "input channels must equal filter channels");
    SmallVector<Value> sizes = {in[0], Value(), Value(), filter[3]};
    // Attributes reach INT64_MAX and dims 2^40: the sizes must not wrap, or
    // the convolution would read outside its input.
    CheckedSizeArithmetic checked(rewriter, loc);
    for (int i = 0; i < 2; ++i) {
      emitShapeCheck(rewriter, op,
                     rewriter.createOrFold<arith::CmpIOp>(
                         loc, arith::CmpIPredicate::sge, filter[i],
                         indexConstant(rewriter, loc, 1)),
                     "filter spatial dimension " + Twine(i) +
                         " must be at least 1");
      // extent = dilation * (K - 1) + 1, with K possibly dynamic.
      Value kernelMinusOne = rewriter.createOrFold<arith::SubIOp>(
          loc, filter[i], indexConstant(rewriter, loc, 1));
      Value extent =
          checked.add(checked.mul(kernelMinusOne, dilations[i]), 1);
      Value padded = checked.add(checked.add(in[1 + i], padding[2 * i]),
                                 padding[2 * i + 1]);
      emitShapeCheck(rewriter, op,
                     rewriter.createOrFold<arith::CmpIOp>(loc,
                                           arith::CmpIPredicate::sge, padded,
                                           extent),
                     "the dilated filter is larger than the padded input in "
                     "spatial dimension " + Twine(i));
      sizes[1 + i] =
          windowOutputSize(rewriter, loc, padded, extent, strides[i]);
    }
    checked.emitNoOverflowCheck(
        op, "the padded input or the dilated filter overflows int64");
    emitResultShapeCheck(rewriter, op, resultType, sizes);
    RankedTensorType accumulatorType = getAccumulatorTensorType(resultType);
    Value init =
        createFilled(rewriter, loc, accumulatorType, sizes,
                     zeroOf(rewriter, loc, accumulatorType.getElementType()));
    auto i64Vector = [&](ArrayRef<int64_t> values) {
      return DenseIntElementsAttr::get(
          RankedTensorType::get({2}, rewriter.getI64Type()), values);
    };
    auto conv = linalg::Conv2DNhwcHwcfOp::create(
        rewriter, loc, TypeRange{accumulatorType},
        ValueRange{input, op.getFilter()}, ValueRange{init}, i64Vector(strides),
        i64Vector(dilations));
    rewriter.replaceOp(
        op, roundAccumulated(rewriter, loc, conv->getResult(0), resultType));
    return success();
  }
};

/// The value padding and the window accumulator start from in max pooling.
/// Integers: MIN. Floats: NaN, which loses to every number, so padding never
/// wins and a window of only NaNs stays NaN; but a window with no input
/// element starts from -inf, the identity of an empty max. Such windows
/// exist only when H or W is 0: the verifier keeps each padding below the
/// window, so every window of a non-empty input overlaps it.
std::pair<Value, Value> maxPoolPadAndInit(OpBuilder &b, Location loc,
                                          Type element, ArrayRef<Value> in) {
  FailureOr<TypedAttr> identity = getReduceIdentity(b, "max", element);
  Value minimum = arith::ConstantOp::create(b, loc, *identity);
  auto floatType = dyn_cast<FloatType>(element);
  if (!floatType)
    return {minimum, minimum};
  Value nan = arith::ConstantOp::create(
      b, loc,
      b.getFloatAttr(element, APFloat::getQNaN(floatType.getFloatSemantics())));
  Value noInput = b.createOrFold<arith::CmpIOp>(loc, arith::CmpIPredicate::eq,
                                                product(b, loc, {in[1], in[2]}),
                                                indexConstant(b, loc, 0));
  return {nan, b.createOrFold<arith::SelectOp>(loc, noInput, minimum, nan)};
}

/// `sum / count` for average pooling with the contract's division: floats
/// divide in the accumulator type (f32 for f16/bf16) and round once;
/// integers divide in i64 (a count above the element type's range stays
/// exact), and a window with no input element (count 0, only when H or W
/// is 0) gives all ones, as `vm.div` by 0 does.
Value averageOf(OpBuilder &b, Location loc, Value sum, Value count,
                Type element) {
  Type i64 = b.getI64Type();
  Value count64 = arith::IndexCastOp::create(b, loc, i64, count);
  if (isa<FloatType>(element)) {
    Value divisor = arith::SIToFPOp::create(b, loc, sum.getType(), count64);
    Value quotient = arith::DivFOp::create(b, loc, sum, divisor);
    if (quotient.getType() == element)
      return quotient;
    return buildFloatTruncate(b, loc, quotient, element);
  }
  Value zero = arith::ConstantOp::create(b, loc, b.getIntegerAttr(i64, 0));
  Value one = arith::ConstantOp::create(b, loc, b.getIntegerAttr(i64, 1));
  Value empty =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, count64, zero);
  Value divisor = arith::SelectOp::create(b, loc, empty, one, count64);
  Value wideSum = sum.getType() == i64
                      ? sum
                      : Value(arith::ExtSIOp::create(b, loc, i64, sum));
  Value quotient = arith::DivSIOp::create(b, loc, wideSum, divisor);
  if (element != i64)
    quotient = arith::TruncIOp::create(b, loc, element, quotient);
  Value allOnes = arith::ConstantOp::create(
      b, loc,
      b.getIntegerAttr(element,
                       APInt::getAllOnes(element.getIntOrFloatBitWidth())));
  return arith::SelectOp::create(b, loc, empty, allOnes, quotient);
}

/// Max pooling follows the contract's NaN rule (maxPoolPadAndInit); average
/// pooling sums (in f32 for f16/bf16) and divides by the number of window
/// elements inside the (unpadded) input.
struct Pool2DToLinalg : OpRewritePattern<vm::Pool2DOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vm::Pool2DOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    RankedTensorType resultType = op.getType();
    Type element = resultType.getElementType();
    bool isMax = op.getKind() == "max";
    ArrayRef<int64_t> window = op.getWindow();
    SmallVector<int64_t, 2> strides = op.getStrideValues();
    SmallVector<int64_t, 4> padding = op.getPaddingValues();
    SmallVector<Value> in = getDimSizes(rewriter, loc, op.getInput());

    StringRef kind = isMax ? "max" : "sum";
    RankedTensorType accumulatorType =
        isMax ? resultType : getAccumulatorTensorType(resultType);
    Value padValue, initValue;
    if (isMax) {
      std::tie(padValue, initValue) =
          maxPoolPadAndInit(rewriter, loc, element, in);
    } else {
      padValue = zeroOf(rewriter, loc, element);
      initValue = zeroOf(rewriter, loc, accumulatorType.getElementType());
    }
    Value input = padSpatial(rewriter, loc, op.getInput(), padding, padValue);

    SmallVector<Value> sizes = {in[0], Value(), Value(), in[3]};
    CheckedSizeArithmetic checked(rewriter, loc);
    for (int i = 0; i < 2; ++i) {
      Value padded = checked.add(checked.add(in[1 + i], padding[2 * i]),
                                 padding[2 * i + 1]);
      Value extent = indexConstant(rewriter, loc, window[i]);
      emitShapeCheck(rewriter, op,
                     rewriter.createOrFold<arith::CmpIOp>(loc, arith::CmpIPredicate::sge, padded,
                         extent),
                     "the window is larger than the padded input in spatial "
                     "dimension " + Twine(i));
      sizes[1 + i] =
          windowOutputSize(rewriter, loc, padded, extent, strides[i]);
    }
    checked.emitNoOverflowCheck(op, "the padded input overflows int64");
    emitResultShapeCheck(rewriter, op, resultType, sizes);
    Value init = createFilled(rewriter, loc, accumulatorType, sizes, initValue);
    Value windowShape = tensor::EmptyOp::create(rewriter, loc, window, element);

    // Loops (n, oh, ow, c, kh, kw).
    auto d = [&](unsigned i) { return getAffineDimExpr(i, context); };
    AffineMap inputMap = AffineMap::get(
        6, 0,
        {d(0), d(1) * strides[0] + d(4), d(2) * strides[1] + d(5), d(3)},
        context);
    AffineMap windowMap = AffineMap::get(6, 0, {d(4), d(5)}, context);
    AffineMap outputMap = AffineMap::get(6, 0, {d(0), d(1), d(2), d(3)}, context);
    using utils::IteratorType;
    SmallVector<IteratorType> iterators = {
        IteratorType::parallel,  IteratorType::parallel,
        IteratorType::parallel,  IteratorType::parallel,
        IteratorType::reduction, IteratorType::reduction};
    Value pooled =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{accumulatorType},
            ValueRange{input, windowShape}, ValueRange{init},
            ArrayRef<AffineMap>{inputMap, windowMap, outputMap}, iterators,
            [&](OpBuilder &b, Location l, ValueRange args) {
              FailureOr<Value> combined =
                  buildReduceCombine(b, l, kind, args[2], args[0]);
              linalg::YieldOp::create(b, l, succeeded(combined) ? *combined
                                                                : args[2]);
            })
            .getResult(0);
    if (isMax) {
      rewriter.replaceOp(op, pooled);
      return success();
    }

    // avg: count = (min(o*s - pad + K, H) - max(o*s - pad, 0)) per spatial dim.
    AffineMap identity4 = rewriter.getMultiDimIdentityMap(4);
    SmallVector<IteratorType> parallel(4, IteratorType::parallel);
    auto average = linalg::GenericOp::create(
        rewriter, loc, TypeRange{resultType}, ValueRange{pooled},
        ValueRange{createEmpty(rewriter, loc, resultType, sizes)},
        ArrayRef<AffineMap>{identity4, identity4}, parallel,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value count = indexConstant(b, l, 1);
          for (int i = 0; i < 2; ++i) {
            Value start = arith::SubIOp::create(
                b, l,
                arith::MulIOp::create(b, l, linalg::IndexOp::create(b, l, 1 + i),
                                      indexConstant(b, l, strides[i])),
                indexConstant(b, l, padding[2 * i]));
            Value end = arith::AddIOp::create(b, l, start,
                                              indexConstant(b, l, window[i]));
            Value clampedEnd = arith::MinSIOp::create(b, l, end, in[1 + i]);
            Value clampedStart =
                arith::MaxSIOp::create(b, l, start, indexConstant(b, l, 0));
            count = arith::MulIOp::create(
                b, l, count, arith::SubIOp::create(b, l, clampedEnd, clampedStart));
          }
          linalg::YieldOp::create(b, l,
                                  averageOf(b, l, args[0], count, element));
        });
    rewriter.replaceOp(op, average.getResults());
    return success();
  }
};

} // namespace

void vmgpu::populateVmContractionToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<MatmulToLinalg<vm::MatmulOp, linalg::MatmulOp, false>,
               MatmulToLinalg<vm::BatchMatmulOp, linalg::BatchMatmulOp, true>,
               Conv2DToLinalg, Pool2DToLinalg>(patterns.getContext());
}
