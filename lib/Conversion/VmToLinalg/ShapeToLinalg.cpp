//===- ShapeToLinalg.cpp - vm creation and shape ops -> linalg/tensor -----===//

#include "PatternUtils.h"
#include "vmgpu/Conversion/ScalarSemantics.h"
#include "vmgpu/Conversion/VmToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/PatternMatch.h"
#include "vm/VmOps.h"
#include "vm/VmTraits.h"
#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace vmgpu;
using namespace vmgpu::detail;

namespace {

/// Splat constants of more than this many bytes become linalg.fill: as an
/// arith.constant, a splat lowers to a global holding every element, which
/// costs compile time, memory and artifact bytes in proportion to its size
/// (a 1 GiB splat took 50 s and 4 GiB to compile). Smaller ones stay
/// constants, which fusion folds into the ops that read them.
constexpr int64_t kMaxSplatConstantBytes = 4096;

struct ConstantToArith : OpRewritePattern<vm::ConstantOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vm::ConstantOp op,
                                PatternRewriter &rewriter) const override {
    auto value = dyn_cast<TypedAttr>(op.getValue());
    if (!value)
      return rewriter.notifyMatchFailure(op, "constant value is not typed");
    RankedTensorType type = op.getType();
    auto splat = dyn_cast<SplatElementsAttr>(op.getValue());
    if (splat && type.getNumElements() *
                         static_cast<int64_t>(vm::getElementByteSize(
                             type.getElementType())) >
                     kMaxSplatConstantBytes) {
      Value scalar = arith::ConstantOp::create(
          rewriter, op.getLoc(), splat.getSplatValue<TypedAttr>());
      Value empty = tensor::EmptyOp::create(
          rewriter, op.getLoc(), type.getShape(), type.getElementType());
      rewriter.replaceOpWithNewOp<linalg::FillOp>(op, ValueRange{scalar},
                                                  ValueRange{empty});
      return success();
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

/// The empty result of a creation op (splat, iota) whose dynamic sizes come
/// from operands: each is checked to be non-negative at run time first.
static Value createEmptyResult(PatternRewriter &rewriter, Operation *op,
                               RankedTensorType type, ValueRange dynamicSizes) {
  Value zero = indexConstant(rewriter, op->getLoc(), 0);
  for (auto [i, size] : llvm::enumerate(dynamicSizes))
    emitShapeCheck(rewriter, op,
                   arith::CmpIOp::create(rewriter, op->getLoc(),
                                         arith::CmpIPredicate::sge, size, zero),
                   "dynamic size #" + Twine(i) + " must not be negative");
  return tensor::EmptyOp::create(rewriter, op->getLoc(), type.getShape(),
                                 type.getElementType(), dynamicSizes);
}

struct SplatToFill : OpRewritePattern<vm::SplatOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vm::SplatOp op,
                                PatternRewriter &rewriter) const override {
    Value empty =
        createEmptyResult(rewriter, op, op.getType(), op.getDynamicSizes());
    rewriter.replaceOpWithNewOp<linalg::FillOp>(op, ValueRange{op.getValue()},
                                                ValueRange{empty});
    return success();
  }
};

/// vm.iota: a generic with no inputs whose body converts its index along
/// `dim` (as i64, never negative) with vm.convert's rules.
struct IotaToGeneric : OpRewritePattern<vm::IotaOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vm::IotaOp op,
                                PatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    Value empty = createEmptyResult(rewriter, op, type, op.getDynamicSizes());
    int64_t rank = type.getRank();
    SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank)};
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    int64_t dim = op.getDim();
    rewriter.replaceOpWithNewOp<linalg::GenericOp>(
        op, type, ValueRange{}, ValueRange{empty}, maps, iterators,
        [&](OpBuilder &b, Location loc, ValueRange) {
          Value index = linalg::IndexOp::create(b, loc, dim);
          Value position =
              arith::IndexCastUIOp::create(b, loc, b.getI64Type(), index);
          Value element = buildConvert(b, loc, position, type.getElementType(),
                                       /*isUnsigned=*/true);
          linalg::YieldOp::create(b, loc, element);
        });
    return success();
  }
};

/// An operand dim of static size 1 mapped to a result dim of another size is
/// expanded: it is dropped with a rank-reducing slice, and linalg.broadcast
/// adds it back at full size with the result dims no operand dim maps to.
struct BroadcastToLinalg : OpRewritePattern<vm::BroadcastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vm::BroadcastOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType operandType = op.getOperand().getType();
    RankedTensorType resultType = op.getType();
    SmallVector<Value> operandSizes =
        getDimSizes(rewriter, loc, op.getOperand());
    SmallVector<Value> resultSizes(resultType.getRank());
    SmallVector<bool> addedDims(resultType.getRank(), true);
    SmallVector<int64_t> keptShape;
    SmallVector<OpFoldResult> sliceSizes;
    for (auto [i, dim] : llvm::enumerate(op.getDims())) {
      int64_t from = operandType.getDimSize(i);
      int64_t to = resultType.getDimSize(dim);
      bool expanded = from == 1 && to != 1 && !ShapedType::isDynamic(to);
      sliceSizes.push_back(expanded ? OpFoldResult(rewriter.getIndexAttr(1))
                                    : getAsOpFoldResult(operandSizes[i]));
      if (expanded)
        continue;
      if (ShapedType::isDynamic(from) && !ShapedType::isDynamic(to))
        emitEqualSizesCheck(rewriter, op, operandSizes[i],
                            indexConstant(rewriter, loc, to),
                            "operand dimension " + Twine(i) +
                                " must equal result dimension " + Twine(dim));
      // A dynamic dim mapped to a static one has that size (checked above).
      keptShape.push_back(ShapedType::isDynamic(from) ? to : from);
      addedDims[dim] = false;
      resultSizes[dim] = operandSizes[i];
    }
    SmallVector<int64_t> added;
    for (int64_t d = 0; d < resultType.getRank(); ++d) {
      if (!addedDims[d])
        continue;
      added.push_back(d);
      resultSizes[d] = indexConstant(rewriter, loc, resultType.getDimSize(d));
    }

    Value input = op.getOperand();
    if (static_cast<int64_t>(keptShape.size()) == operandType.getRank()) {
      input = refineToStaticSizes(rewriter, loc, input, keptShape);
    } else {
      auto keptType =
          RankedTensorType::get(keptShape, operandType.getElementType());
      SmallVector<OpFoldResult> zeros(operandType.getRank(),
                                      rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> ones(operandType.getRank(),
                                     rewriter.getIndexAttr(1));
      input = tensor::ExtractSliceOp::create(rewriter, loc, keptType, input,
                                             zeros, sliceSizes, ones);
    }
    if (added.empty()) {
      rewriter.replaceOpWithNewOp<tensor::CastOp>(op, resultType, input);
      return success();
    }
    Value init = createEmpty(rewriter, loc, resultType, resultSizes);
    auto broadcast =
        linalg::BroadcastOp::create(rewriter, loc, input, init, added);
    rewriter.replaceOp(op, broadcast.getResults());
    return success();
  }
};

/// tensor.reshape with a shape operand; a dynamic result dim is the element
/// count divided by the other dims.
struct ReshapeToTensor : OpRewritePattern<vm::ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vm::ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    SmallVector<Value> shape;
    std::optional<unsigned> inferred;
    Value known = indexConstant(rewriter, loc, 1);
    for (int64_t d = 0; d < resultType.getRank(); ++d) {
      if (resultType.isDynamicDim(d)) {
        inferred = shape.size();
        shape.push_back(Value());
        continue;
      }
      shape.push_back(indexConstant(rewriter, loc, resultType.getDimSize(d)));
      known = rewriter.createOrFold<arith::MulIOp>(loc, known, shape.back());
    }
    Value count = product(rewriter, loc, getDimSizes(rewriter, loc, op.getOperand()));
    if (!inferred)
      emitEqualSizesCheck(rewriter, op, count, known,
                          "the operand's element count must equal the "
                          "result's");
    if (inferred) {
      // count = known * inferred. With a zero-sized known part the inferred
      // dim is undetermined: the count must then be 0, and the dim is 0.
      Value zero = indexConstant(rewriter, loc, 0);
      Value one = indexConstant(rewriter, loc, 1);
      Value knownIsZero = rewriter.createOrFold<arith::CmpIOp>(
          loc, arith::CmpIPredicate::eq, known, zero);
      Value safeKnown =
          rewriter.createOrFold<arith::SelectOp>(loc, knownIsZero, one, known);
      Value remainder =
          rewriter.createOrFold<arith::RemUIOp>(loc, count, safeKnown);
      Value divisible = rewriter.createOrFold<arith::CmpIOp>(
          loc, arith::CmpIPredicate::eq, remainder, zero);
      Value countIsZero = rewriter.createOrFold<arith::CmpIOp>(
          loc, arith::CmpIPredicate::eq, count, zero);
      emitShapeCheck(rewriter, op,
                     rewriter.createOrFold<arith::SelectOp>(
                         loc, knownIsZero, countIsZero, divisible),
                     "the operand's element count must be a multiple of "
                     "the result's static dimensions");
      Value quotient =
          rewriter.createOrFold<arith::DivUIOp>(loc, count, safeKnown);
      shape[*inferred] = rewriter.createOrFold<arith::SelectOp>(
          loc, knownIsZero, zero, quotient);
    }
    rewriter.replaceOp(op, reshapeRowMajor(rewriter, loc, op.getOperand(),
                                           resultType, shape));
    return success();
  }

  /// A row-major reshape as metadata only: collapse the operand to 1-D,
  /// then expand it into `shape`. (tensor.reshape would read the shape from
  /// a buffer, which GPU host code must not touch.)
  static Value reshapeRowMajor(PatternRewriter &rewriter, Location loc,
                               Value operand, RankedTensorType resultType,
                               ArrayRef<Value> shape) {
    auto operandType = cast<RankedTensorType>(operand.getType());
    Type element = operandType.getElementType();
    auto allDims = [](int64_t rank) {
      ReassociationIndices group;
      for (int64_t d = 0; d < rank; ++d)
        group.push_back(d);
      return SmallVector<ReassociationIndices>{group};
    };
    Value flat = operand;
    if (operandType.getRank() == 0)
      flat = tensor::ExpandShapeOp::create(
          rewriter, loc, RankedTensorType::get({1}, element), operand,
          SmallVector<ReassociationIndices>{},
          SmallVector<OpFoldResult>{rewriter.getIndexAttr(1)});
    else if (operandType.getRank() > 1)
      flat = tensor::CollapseShapeOp::create(rewriter, loc, operand,
                                             allDims(operandType.getRank()));
    // Sizes known here (a static operand) make the intermediate types
    // static; the result is cast to the declared type at the end.
    SmallVector<OpFoldResult> sizes = getAsOpFoldResult(shape);
    SmallVector<int64_t> staticSizes;
    SmallVector<Value> dynamicSizes;
    dispatchIndexOpFoldResults(sizes, dynamicSizes, staticSizes);
    auto expandedType = RankedTensorType::get(staticSizes, element);
    int64_t flatSize = expandedType.hasStaticShape()
                           ? expandedType.getNumElements()
                           : ShapedType::kDynamic;
    auto flatType = RankedTensorType::get({flatSize}, element);
    if (flat.getType() != flatType)
      flat = tensor::CastOp::create(rewriter, loc, flatType, flat);
    Value expanded = flat;
    if (expandedType.getRank() == 0)
      expanded = tensor::CollapseShapeOp::create(
          rewriter, loc, expandedType, flat, SmallVector<ReassociationIndices>{});
    else if (expandedType.getRank() > 1)
      expanded = tensor::ExpandShapeOp::create(rewriter, loc, expandedType, flat,
                                               allDims(expandedType.getRank()),
                                               sizes);
    if (expanded.getType() == resultType)
      return expanded;
    return tensor::CastOp::create(rewriter, loc, resultType, expanded);
  }
};

struct TransposeToLinalg : OpRewritePattern<vm::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vm::TransposeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    SmallVector<Value> operandSizes =
        getDimSizes(rewriter, loc, op.getOperand());
    SmallVector<Value> resultSizes;
    for (int64_t p : op.getPerm())
      resultSizes.push_back(operandSizes[p]);
    emitResultShapeCheck(rewriter, op, op.getType(), resultSizes);
    Value init = createEmpty(rewriter, loc, op.getType(), resultSizes);
    SmallVector<int64_t> staticSizes(op.getPerm().size());
    for (auto [i, p] : llvm::enumerate(op.getPerm()))
      staticSizes[p] = op.getType().getDimSize(i);
    Value input =
        refineToStaticSizes(rewriter, loc, op.getOperand(), staticSizes);
    auto transpose =
        linalg::TransposeOp::create(rewriter, loc, input, init, op.getPerm());
    rewriter.replaceOp(op, transpose.getResults());
    return success();
  }
};

struct SliceToTensor : OpRewritePattern<vm::SliceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vm::SliceOp op,
                                PatternRewriter &rewriter) const override {
    auto toFoldResults = [&](ArrayRef<int64_t> values) {
      SmallVector<OpFoldResult> results;
      for (int64_t value : values)
        results.push_back(rewriter.getIndexAttr(value));
      return results;
    };
    RankedTensorType operandType = op.getOperand().getType();
    for (int64_t d = 0; d < operandType.getRank(); ++d) {
      if (!operandType.isDynamicDim(d))
        continue;
      int64_t offset = op.getOffsets()[d], size = op.getSizes()[d];
      // The last index read, or offset - 1 when nothing is read. Where it
      // overflows int64 no dimension is large enough (the verifier rejects
      // it; a false check keeps the lowering safe without it).
      std::optional<int64_t> last =
          size == 0 ? std::optional<int64_t>(offset - 1)
                    : llvm::checkedMulAdd(size - 1, op.getStrides()[d], offset);
      Value dim = tensor::DimOp::create(rewriter, op.getLoc(), op.getOperand(), d);
      Value inBounds =
          last ? Value(arith::CmpIOp::create(
                     rewriter, op.getLoc(), arith::CmpIPredicate::slt,
                     indexConstant(rewriter, op.getLoc(), *last), dim))
               : Value(arith::ConstantIntOp::create(rewriter, op.getLoc(), 0, 1));
      emitShapeCheck(rewriter, op, inBounds,
                     "the slice reads out of bounds in dimension " + Twine(d));
    }
    // An empty slice may start at the end of a dimension, which
    // tensor.extract_slice rejects; it reads nothing anyway.
    if (op.getType().hasStaticShape() && op.getType().getNumElements() == 0) {
      rewriter.replaceOpWithNewOp<tensor::EmptyOp>(
          op, op.getType().getShape(), op.getType().getElementType());
      return success();
    }
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        op, op.getType(), op.getOperand(), toFoldResults(op.getOffsets()),
        toFoldResults(op.getSizes()), toFoldResults(op.getStrides()));
    return success();
  }
};

struct ConcatToTensor : OpRewritePattern<vm::ConcatOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vm::ConcatOp op,
                                PatternRewriter &rewriter) const override {
    int64_t dim = op.getDimAttr().getInt();
    SmallVector<Value> firstSizes =
        getDimSizes(rewriter, op.getLoc(), op.getInputs().front());
    Value total = indexConstant(rewriter, op.getLoc(), 0);
    CheckedSizeArithmetic checked(rewriter, op.getLoc());
    for (auto [i, input] : llvm::enumerate(op.getInputs())) {
      SmallVector<Value> sizes = getDimSizes(rewriter, op.getLoc(), input);
      for (auto [d, size] : llvm::enumerate(sizes))
        if (static_cast<int64_t>(d) != dim)
          emitEqualSizesCheck(rewriter, op, size, firstSizes[d],
                              "input #" + Twine(i) + " dimension " + Twine(d) +
                                  " must equal input #0's");
      total = checked.add(total, sizes[dim]);
    }
    checked.emitNoOverflowCheck(op, "the concatenated size of dimension " +
                                        Twine(dim) + " overflows int64");
    firstSizes[dim] = total;
    emitResultShapeCheck(rewriter, op, op.getType(), firstSizes);
    // Inputs that are statically empty along `dim` add nothing (and would
    // become zero-sized insertions at the end of the result).
    SmallVector<Value> inputs;
    for (Value input : op.getInputs())
      if (cast<RankedTensorType>(input.getType()).getDimSize(dim) != 0)
        inputs.push_back(input);
    if (inputs.empty()) {
      // Every input is empty along `dim`, so the result is too.
      SmallVector<Value> sizes = getDimSizes(rewriter, op.getLoc(),
                                             op.getInputs().front());
      rewriter.replaceOp(op, createEmpty(rewriter, op.getLoc(), op.getType(),
                                         sizes));
      return success();
    }
    if (inputs.size() == 1) {
      rewriter.replaceOpWithNewOp<tensor::CastOp>(op, op.getType(),
                                                  inputs.front());
      return success();
    }
    rewriter.replaceOpWithNewOp<tensor::ConcatOp>(op, op.getType(), dim,
                                                  inputs);
    return success();
  }
};

} // namespace

void vmgpu::populateVmShapeToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<BroadcastToLinalg, ConcatToTensor, ConstantToArith,
               IotaToGeneric, ReshapeToTensor, SliceToTensor, SplatToFill,
               TransposeToLinalg>(
      patterns.getContext());
}
