//===- ScatterToLinalg.cpp - vm.scatter in update order -------------------===//
//
// An update at `i` lands in the lane of `data` that `i` names outside `dim`
// (a lane: the elements that differ only in `dim`), so updates meeting at
// one target share a lane, and their row-major order is their order along
// `dim`. Both forms below combine each target's updates in that order, each
// step rounded to the element type: `set` keeps the latest, and every run
// and target gives the same bits (no atomics).
// - Per lane (the general form): an scf.forall over the lanes whose body is
//   one sequential pass over the lane's updates (LaneLoop.h).
// - Sorted (long lanes of static extents, as few as LaneSortForms asks for:
//   a CPU's lanes fill its threads sooner): the updates' targets sorted
//   stably by merge passes over every update (Sorting.h), then one
//   linalg.generic over the result in which each element finds its run of
//   updates by two binary searches and combines it in order.
// An index is normalized in i64: a negative one counts from the end once,
// and one still outside [0, n) drops its update.
//
//===----------------------------------------------------------------------===//

#include "LaneLoop.h"
#include "PatternUtils.h"
#include "Sorting.h"
#include "vmgpu/Conversion/ScalarSemantics.h"
#include "vmgpu/Conversion/VmToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "vm/VmOps.h"
#include "vm/VmTraits.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace vmgpu;
using namespace vmgpu::detail;

namespace {

/// The target position (i64) of `index` (i32 or i64, signed) in a dimension
/// of `size` elements, and whether it is inside it.
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
  return {target, inside};
}

Value toIndex(OpBuilder &b, Location loc, Value value) {
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), value);
}

/// How one op combines an update into its target.
class Combiner {
public:
  explicit Combiner(vm::ScatterOp op)
      : kind(op.getKind()), isUnsigned(op->hasAttr(vm::kUnsignedAttrName)) {}

  bool replaces() const { return kind == "set"; }

  /// `old` combined with `update` (`vm.reduce`'s step of the kind).
  Value combine(OpBuilder &b, Location loc, Value old, Value update) {
    if (replaces())
      return update;
    StringRef reduceKind = llvm::StringSwitch<StringRef>(kind)
                               .Case("add", "sum")
                               .Case("mul", "prod")
                               .Default(kind);
    FailureOr<Value> combined =
        buildReduceCombine(b, loc, reduceKind, old, update, isUnsigned);
    failedKind |= failed(combined);
    return succeeded(combined) ? *combined : update;
  }

  LogicalResult status(vm::ScatterOp op) const {
    if (failedKind)
      return op.emitOpError("cannot lower scatter kind '") << kind << "'";
    return success();
  }

private:
  StringRef kind;
  bool isUnsigned;
  bool failedKind = false;
};

/// One sequential pass per lane of `updates` over a copy of `data`.
Value buildLaneScatter(OpBuilder &b, Location loc, vm::ScatterOp op, Value data,
                       ValueRange dataSizes, ValueRange updateSizes,
                       Combiner &combiner) {
  int64_t dim = op.getDim();
  Value length = dataSizes[dim];
  Value updateCount = updateSizes[dim];
  return buildLaneLoop(
             b, loc, updateSizes, dim, ValueRange{data},
             [&](OpBuilder &lb, Location l, ArrayRef<Value> lane,
                 ValueRange lanes) -> SmallVector<Value> {
               auto pass = scf::ForOp::create(
                   lb, l, indexConstant(lb, l, 0), updateCount,
                   indexConstant(lb, l, 1), ValueRange{lanes[0]},
                   [&](OpBuilder &fb, Location fl, Value j,
                       ValueRange carried) {
                     SmallVector<Value> at(lane);
                     at[dim] = j;
                     Value index =
                         tensor::ExtractOp::create(fb, fl, op.getIndices(), at);
                     Value update =
                         tensor::ExtractOp::create(fb, fl, op.getUpdates(), at);
                     auto [target, inside] =
                         normalizeTarget(fb, fl, index, length);
                     Value position = toIndex(fb, fl, target);
                     Value current = carried[0];
                     auto write = scf::IfOp::create(
                         fb, fl, inside,
                         [&](OpBuilder &tb, Location tl) {
                           Value old = tensor::ExtractOp::create(
                               tb, tl, current, position);
                           Value inserted = tensor::InsertOp::create(
                               tb, tl, combiner.combine(tb, tl, old, update),
                               current, position);
                           scf::YieldOp::create(tb, tl, inserted);
                         },
                         [&](OpBuilder &eb, Location el) {
                           scf::YieldOp::create(eb, el, current);
                         });
                     scf::YieldOp::create(fb, fl, write.getResults());
                   });
               return {pass.getResult(0)};
             })
      .front();
}

/// Whether the sorted form applies: static update extents, none empty, and
/// lanes that `forms` sorts by merge passes.
bool prefersSortedScatter(vm::ScatterOp op, const LaneSortForms &forms) {
  RankedTensorType updates = op.getUpdates().getType();
  if (!updates.hasStaticShape() || updates.getNumElements() == 0)
    return false;
  int64_t length = updates.getDimSize(op.getDim());
  return forms.takesMergePasses(updates.getNumElements() / length, length);
}

/// The smallest p in [0, count) whose key (`keyAt(p)`, unsigned) is not
/// below `value`, or `count`: a binary search unrolled over
/// ceil(log2(count + 1)) steps.
Value lowerBound(OpBuilder &b, Location loc, int64_t count, Value value,
                 function_ref<Value(Value)> keyAt) {
  Value low = indexConstant(b, loc, 0);
  Value high = indexConstant(b, loc, count);
  Value one = indexConstant(b, loc, 1);
  Value last = indexConstant(b, loc, count - 1);
  unsigned steps = llvm::Log2_64_Ceil(count + 1);
  for (unsigned step = 0; step < steps; ++step) {
    Value middle = arith::ShRUIOp::create(
        b, loc, arith::AddIOp::create(b, loc, low, high), one);
    Value open =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, low, high);
    Value below = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::ult,
        keyAt(arith::MinUIOp::create(b, loc, middle, last)), value);
    Value notBelow = arith::XOrIOp::create(
        b, loc, below, arith::ConstantIntOp::create(b, loc, 1, 1));
    low = arith::SelectOp::create(
        b, loc, arith::AndIOp::create(b, loc, open, below),
        arith::AddIOp::create(b, loc, middle, one), low);
    high = arith::SelectOp::create(
        b, loc, arith::AndIOp::create(b, loc, open, notBelow), middle, high);
  }
  return low;
}

/// The updates sorted stably by target, then each result element combines
/// its run of them, in order, into `data`'s element.
Value buildSortedScatter(OpBuilder &b, Location loc, vm::ScatterOp op,
                         Value data, ValueRange dataSizes,
                         ValueRange updateSizes, Combiner &combiner) {
  int64_t dim = op.getDim();
  RankedTensorType updatesType = op.getUpdates().getType();
  int64_t count = updatesType.getDimSize(dim);
  Value length = dataSizes[dim];
  // A dropped update's key is n, after every target.
  auto [keys, positions] = buildParallelMergeSort(
      b, loc, op.getIndices(), dim, KeyOrder{false, true}, b.getI64Type(),
      [&](OpBuilder &nb, Location l, Value index) -> Value {
        auto [target, inside] = normalizeTarget(nb, l, index, length);
        return arith::SelectOp::create(
            nb, l, inside, target,
            arith::IndexCastOp::create(nb, l, nb.getI64Type(), length));
      },
      updateSizes);

  RankedTensorType resultType = op.getType();
  int64_t rank = resultType.getRank();
  AffineMap identity = b.getMultiDimIdentityMap(rank);
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, ValueRange{data},
      ValueRange{createEmpty(b, loc, resultType, dataSizes)},
      SmallVector<AffineMap>(2, identity),
      SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
      [&](OpBuilder &nb, Location l, ValueRange args) {
        SmallVector<Value> at, lane;
        Value inLanes = arith::ConstantIntOp::create(nb, l, 1, 1);
        for (int64_t d = 0; d < rank; ++d) {
          Value position = linalg::IndexOp::create(nb, l, d);
          at.push_back(position);
          if (d == dim) {
            lane.push_back(position);
            continue;
          }
          // Result lanes past the updates' extent take no update; their
          // reads clamp into the updates.
          int64_t extent = updatesType.getDimSize(d);
          inLanes = arith::AndIOp::create(
              nb, l, inLanes,
              arith::CmpIOp::create(nb, l, arith::CmpIPredicate::ult, position,
                                    indexConstant(nb, l, extent)));
          lane.push_back(arith::MinUIOp::create(
              nb, l, position, indexConstant(nb, l, extent - 1)));
        }
        auto readAt = [&](Value tensor, Value along) -> Value {
          SmallVector<Value> where(lane);
          where[dim] = along;
          return tensor::ExtractOp::create(nb, l, tensor, where);
        };
        auto keyAt = [&](Value p) { return readAt(keys, p); };
        Value target =
            arith::IndexCastOp::create(nb, l, nb.getI64Type(), at[dim]);
        Value first = lowerBound(nb, l, count, target, keyAt);
        Value next = arith::AddIOp::create(
            nb, l, target,
            arith::ConstantIntOp::create(nb, l, nb.getI64Type(), 1));
        Value end = arith::SelectOp::create(
            nb, l, inLanes, lowerBound(nb, l, count, next, keyAt), first);
        Value one = indexConstant(nb, l, 1);
        auto updateAt = [&](OpBuilder &ub, Location ul, Value k) {
          Value source = toIndex(ub, ul, readAt(positions, k));
          SmallVector<Value> where(lane);
          where[dim] = source;
          return tensor::ExtractOp::create(ub, ul, op.getUpdates(), where)
              .getResult();
        };
        Value result;
        if (combiner.replaces()) {
          // The latest update of the run, if any.
          Value any = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::ult,
                                            first, end);
          Value latest = arith::MaxSIOp::create(
              nb, l, arith::SubIOp::create(nb, l, end, one),
              indexConstant(nb, l, 0));
          result = arith::SelectOp::create(nb, l, any, updateAt(nb, l, latest),
                                           args[0]);
        } else {
          auto run = scf::ForOp::create(
              nb, l, first, end, one, ValueRange{args[0]},
              [&](OpBuilder &fb, Location fl, Value k, ValueRange acc) {
                scf::YieldOp::create(
                    fb, fl,
                    combiner.combine(fb, fl, acc[0], updateAt(fb, fl, k)));
              });
          result = run.getResult(0);
        }
        linalg::YieldOp::create(nb, l, result);
      });
  return generic.getResult(0);
}

struct ScatterToLinalg : OpRewritePattern<vm::ScatterOp> {
  ScatterToLinalg(MLIRContext *context, const LaneSortForms &forms)
      : OpRewritePattern(context), forms(forms) {}

  LogicalResult matchAndRewrite(vm::ScatterOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t dim = op.getDim();
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

    Value data = op.getData();
    if (data.getType() != op.getType())
      data = tensor::CastOp::create(rewriter, loc, op.getType(), data);
    Combiner combiner(op);
    Value result = prefersSortedScatter(op, forms)
                       ? buildSortedScatter(rewriter, loc, op, data, dataSizes,
                                            updateSizes, combiner)
                       : buildLaneScatter(rewriter, loc, op, data, dataSizes,
                                          updateSizes, combiner);
    if (failed(combiner.status(op)))
      return failure();
    rewriter.replaceOp(op, result);
    return success();
  }

private:
  LaneSortForms forms;
};

} // namespace

void vmgpu::populateVmScatterToLinalgPatterns(RewritePatternSet &patterns,
                                              const LaneSortForms &forms) {
  patterns.add<ScatterToLinalg>(patterns.getContext(), forms);
}
