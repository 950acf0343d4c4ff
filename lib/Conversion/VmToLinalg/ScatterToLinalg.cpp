//===- ScatterToLinalg.cpp - vm.scatter to a loop per lane ----------------===//
//
// An update at `i` lands in the lane of `data` that `i` names outside `dim`,
// so updates of different lanes never meet, and updates meeting at one
// target share a lane. Each lane therefore runs one sequential pass over its
// updates in order along `dim`, which is their row-major order: `set` keeps
// the latest, `add` and `mul` combine in that order, each step rounded to
// the element type, and the result is the same on every run and target (no
// atomics). Lanes run in parallel (LaneLoop.h). An index is normalized in
// i64: a negative one counts from the end once, and one still outside
// [0, n) drops its update.
//
// The faster form for long lanes (a sort of the updates by target, then a
// segmented combine) is open: see docs/gpu-path.md.
//
//===----------------------------------------------------------------------===//

#include "LaneLoop.h"
#include "PatternUtils.h"
#include "vmgpu/Conversion/ScalarSemantics.h"
#include "vmgpu/Conversion/VmToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "vm/VmOps.h"
#include "vm/VmTraits.h"

using namespace mlir;
using namespace vmgpu;
using namespace vmgpu::detail;

namespace {

/// The target position of `index` (i32 or i64, signed) in a dimension of
/// `size` elements, and whether it is inside it.
std::pair<Value, Value> normalizeTarget(OpBuilder &b, Location loc, Value index,
                                        Value size) {
  Type i64 = b.getI64Type();
  if (index.getType() != i64)
    index = arith::ExtSIOp::create(b, loc, i64, index);
  Value n = arith::IndexCastOp::create(b, loc, i64, size);
  Value zero = arith::ConstantIntOp::create(b, loc, i64, 0);
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, index, zero);
  Value target = arith::SelectOp::create(
      b, loc, negative, arith::AddIOp::create(b, loc, index, n), index);
  // Read as unsigned, a target still negative is above every size.
  Value inside =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, target, n);
  return {arith::IndexCastOp::create(b, loc, b.getIndexType(), target), inside};
}

struct ScatterToLinalg : OpRewritePattern<vm::ScatterOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vm::ScatterOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t dim = op.getDim();
    StringRef kind = op.getKind();
    bool isUnsigned = op->hasAttr(vm::kUnsignedAttrName);
    int64_t rank = op.getType().getRank();
    SmallVector<Value> dataSizes = getDimSizes(rewriter, loc, op.getData());
    SmallVector<Value> updateSizes =
        getDimSizes(rewriter, loc, op.getUpdates());
    emitShapeMatchesCheck(rewriter, op, op.getIndices(), updateSizes,
                          "indices must have the shape of updates");
    RankedTensorType dataType = op.getData().getType();
    RankedTensorType updatesType = op.getUpdates().getType();
    for (int64_t d = 0; d < rank; ++d) {
      // Static sizes were checked by the verifier.
      if (d == dim ||
          (!dataType.isDynamicDim(d) && !updatesType.isDynamicDim(d)))
        continue;
      Value fits =
          arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::ule,
                                updateSizes[d], dataSizes[d]);
      emitShapeCheck(rewriter, op, fits,
                     "updates dimension " + Twine(d) +
                         " must not be larger than data's");
    }
    emitResultShapeCheck(rewriter, op, op.getType(), dataSizes);

    // The combining step; `set` has none (the update replaces the target).
    StringRef combineKind = llvm::StringSwitch<StringRef>(kind)
                                .Case("add", "sum")
                                .Case("mul", "prod")
                                .Default(kind);
    bool failedCombine = false;
    auto combine = [&](OpBuilder &b, Location l, Value old, Value update) {
      if (kind == "set")
        return update;
      FailureOr<Value> combined =
          buildReduceCombine(b, l, combineKind, old, update, isUnsigned);
      failedCombine |= failed(combined);
      return succeeded(combined) ? *combined : update;
    };

    Value data = op.getData();
    if (data.getType() != op.getType())
      data = tensor::CastOp::create(rewriter, loc, op.getType(), data);
    Value length = dataSizes[dim];
    Value updateCount = updateSizes[dim];
    SmallVector<Value> results = buildLaneLoop(
        rewriter, loc, updateSizes, dim, ValueRange{data},
        [&](OpBuilder &b, Location l, ArrayRef<Value> lane,
            ValueRange lanes) -> SmallVector<Value> {
          auto pass = scf::ForOp::create(
              b, l, indexConstant(b, l, 0), updateCount, indexConstant(b, l, 1),
              ValueRange{lanes[0]},
              [&](OpBuilder &fb, Location fl, Value j, ValueRange carried) {
                SmallVector<Value> at(lane);
                at[dim] = j;
                Value index =
                    tensor::ExtractOp::create(fb, fl, op.getIndices(), at);
                Value update =
                    tensor::ExtractOp::create(fb, fl, op.getUpdates(), at);
                auto [target, inside] = normalizeTarget(fb, fl, index, length);
                Value current = carried[0];
                auto write = scf::IfOp::create(
                    fb, fl, inside,
                    [&](OpBuilder &tb, Location tl) {
                      Value old =
                          tensor::ExtractOp::create(tb, tl, current, target);
                      Value inserted = tensor::InsertOp::create(
                          tb, tl, combine(tb, tl, old, update), current,
                          target);
                      scf::YieldOp::create(tb, tl, inserted);
                    },
                    [&](OpBuilder &eb, Location el) {
                      scf::YieldOp::create(eb, el, current);
                    });
                scf::YieldOp::create(fb, fl, write.getResults());
              });
          return {pass.getResult(0)};
        });
    if (failedCombine)
      return op.emitOpError("cannot lower scatter kind '") << kind << "'";
    rewriter.replaceOp(op, results.front());
    return success();
  }
};

} // namespace

void vmgpu::populateVmScatterToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ScatterToLinalg>(patterns.getContext());
}
