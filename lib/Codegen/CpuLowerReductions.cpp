//===- CpuLowerReductions.cpp - vectorized, threaded CPU reductions -------===//
//
// The CPU strategies for reductions (docs/cpu-path.md, "Reductions"), on
// buffers, after bufferization:
//
// - `cpu_vector_reduction` (row and full reductions, vm.dot): the input is
//   viewed as [rows, length]; each row is cut into segments of a fixed
//   number of elements (the configuration's cache tile), and every
//   (row, segment) pair is one iteration of an scf.forall (the threads).
//   A segment is reduced with several independent vector accumulators
//   (the register tile: accumulators x lanes elements per step), which
//   then meet in a fixed tree; the elements after the last full step are
//   folded one by one. With one segment per row the result is combined
//   into the output directly; otherwise the segments' partials are
//   combined in segment order by a second forall over the rows.
// - `cpu_column_reduction` (the contiguous dim stays parallel): the input
//   is viewed as [batch, rows, columns] and cut into (batch, segment of a
//   fixed number of rows, chunk of columns) tasks. A task reads its rows
//   one after the other, each along its contiguous chunk, and folds every
//   vector of columns (then the columns after the last whole vector) into
//   a row of accumulators in memory that the chunk keeps in L1: the
//   output itself for the first segment (from its initial value), a row
//   of partials for the others, which a second forall then combines in
//   segment order.
//
// The partition depends only on the shapes and the configuration, never on
// the number of threads, and every combination happens in a fixed order:
// the bits do not depend on the thread count (DESIGN.md, "Determinism").
// Each accumulator starts from the contribution of its first element, so
// no identity value is needed; the combinations use the body's combining
// part (ReductionCombiner), so the contract's NaN and signed-zero rules,
// wrapping integers and f32 accumulation of 16-bit floats hold lane by
// lane. An op these strategies cannot take (non-contiguous views, i1
// elements, ops that do not vectorize) keeps the loop lowering.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Codegen/Passes.h"
#include "vmgpu/Transforms/Passes.h"

#include "CpuVectorFold.h"
#include "KernelBuilding.h"
#include "OutputFill.h"
#include "VectorizeBody.h"
#include "vmgpu/Codegen/LoweringConfig.h"
#include "vmgpu/Conversion/ScalarSemantics.h"
#include "vmgpu/Transforms/ReductionCombiner.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace vmgpu {
#define GEN_PASS_DEF_CPULOWERREDUCTIONS
#include "vmgpu/Codegen/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;
using namespace vmgpu;

namespace {

/// Rows a column reduction folds per step (see foldRows).
constexpr int64_t kColumnRowsPerStep = 4;

/// How the loops read one input of the op.
enum class InputKind {
  /// Not a buffer: the value itself.
  Value,
  /// Indexed by every loop in order.
  Element,
  /// Indexed by the outer parallel loops alone (a per-row value, such as
  /// the maximum that softmax subtracts).
  PerRow,
};

/// A memref seen through groups of its dims collapsed into one logical
/// coordinate each (a group of no dims is no coordinate).
struct GroupedView {
  Value memref;
  SmallVector<bool> present;

  SmallVector<Value> indices(ArrayRef<Value> coordinates) const {
    SmallVector<Value> result;
    for (auto [used, coordinate] : llvm::zip_equal(present, coordinates))
      if (used)
        result.push_back(coordinate);
    return result;
  }
};

GroupedView groupDims(OpBuilder &b, Location loc, Value memref,
                      ArrayRef<int64_t> groupSizes) {
  GroupedView view;
  SmallVector<ReassociationIndices> groups;
  int64_t dim = 0;
  for (int64_t size : groupSizes) {
    view.present.push_back(size != 0);
    if (size == 0)
      continue;
    ReassociationIndices group;
    for (int64_t i = 0; i < size; ++i)
      group.push_back(dim++);
    groups.push_back(group);
  }
  bool identity = llvm::all_of(
      groups, [](const ReassociationIndices &g) { return g.size() == 1; });
  view.memref =
      identity
          ? memref
          : memref::CollapseShapeOp::create(b, loc, memref, groups).getResult();
  return view;
}

/// The shape of a reduction: `outer` parallel loops, then `reduced`
/// reduction loops, then `inner` parallel loops (row and full reductions:
/// inner = 0; column reductions: inner > 0).
struct ReductionPlan {
  int64_t outer = 0, reduced = 0, inner = 0;
  SmallVector<InputKind> inputs;
  ReductionCombiner combiner;
};

FailureOr<ReductionPlan> planReduction(linalg::LinalgOp op, bool column) {
  if (!isLowerableOnBuffers(op) || op.getNumDpsInits() != 1 ||
      !isa<func::FuncOp>(op->getParentOp()))
    return failure();
  ReductionPlan plan;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  int64_t loops = iterators.size(), d = 0;
  auto count = [&](utils::IteratorType type) {
    int64_t n = 0;
    while (d < loops && iterators[d] == type)
      ++n, ++d;
    return n;
  };
  plan.outer = count(utils::IteratorType::parallel);
  plan.reduced = count(utils::IteratorType::reduction);
  plan.inner = count(utils::IteratorType::parallel);
  if (d != loops || plan.reduced == 0 || (plan.inner != 0) != column)
    return failure();

  MLIRContext *context = op.getContext();
  SmallVector<AffineExpr> kept;
  for (int64_t i = 0; i < loops; ++i)
    if (iterators[i] == utils::IteratorType::parallel)
      kept.push_back(getAffineDimExpr(i, context));
  AffineMap outputMap = AffineMap::get(loops, 0, kept, context);
  AffineMap rowMap = AffineMap::getMultiDimIdentityMap(loops, context)
                         .getMajorSubMap(plan.outer);
  OpOperand *init = op.getDpsInitOperand(0);
  if (!isContiguous(init->get().getType()) ||
      op.getMatchingIndexingMap(init) != outputMap)
    return failure();
  auto isByteSized = [](Type type) {
    return type.isIntOrFloat() && type.getIntOrFloatBitWidth() >= 8 &&
           type.getIntOrFloatBitWidth() <= 64;
  };
  // Vectors of i1 are bit-packed in LLVM, buffers of i1 are not.
  if (!isByteSized(getElementTypeOrSelf(init->get().getType())))
    return failure();

  bool hasElements = false;
  for (OpOperand *input : op.getDpsInputOperands()) {
    Type type = input->get().getType();
    if (!isa<ShapedType>(type)) {
      plan.inputs.push_back(InputKind::Value);
      continue;
    }
    if (!isContiguous(type) || !isByteSized(getElementTypeOrSelf(type)))
      return failure();
    AffineMap map = op.getMatchingIndexingMap(input);
    if (map.isIdentity()) {
      plan.inputs.push_back(InputKind::Element);
      hasElements = true;
    } else if (!column && map == rowMap) {
      plan.inputs.push_back(InputKind::PerRow);
    } else {
      return failure();
    }
  }
  Block *body = op.getBlock();
  SmallVector<Operation *> bodyOps;
  for (Operation &inner : body->without_terminator())
    bodyOps.push_back(&inner);
  if (!hasElements || !isVectorizable(bodyOps))
    return failure();
  FailureOr<ReductionCombiner> combiner =
      extractReductionCombiner(*body, body->getArgument(op.getNumDpsInputs()));
  if (failed(combiner))
    return failure();
  plan.combiner = *combiner;
  return plan;
}

/// Builds the loops of one reduction; the scalar and vector forms of its
/// body, contribution and combination.
class ReductionBuilder {
public:
  ReductionBuilder(linalg::LinalgOp op, const ReductionPlan &plan,
                   int64_t lanes, int64_t accumulators)
      : op(op), plan(plan), lanes(lanes), accumulators(accumulators), b(op),
        loc(op.getLoc()) {
    Block *body = op.getBlock();
    for (Operation &inner : body->without_terminator()) {
      bodyOps.push_back(&inner);
      if (!llvm::is_contained(plan.combiner.ops, &inner))
        contributionOps.push_back(&inner);
    }
  }

  /// cpu_vector_reduction: rows x segments of `segment` elements.
  void buildRows(int64_t segment);
  /// cpu_column_reduction: batch x row segments of `segmentRows` rows x
  /// chunks of `chunk` columns.
  void buildColumns(int64_t segmentRows, int64_t chunk);

private:
  Value index(int64_t v) { return indexConstant(b, loc, v); }
  Value accumulatorArg() {
    return op.getBlock()->getArgument(op.getNumDpsInputs());
  }
  Type accumulatorType() {
    return getElementTypeOrSelf(op.getDpsInitOperand(0)->get().getType());
  }

  /// Views of the inputs and the output, in logical coordinates.
  void makeViews(ArrayRef<int64_t> elementGroups,
                 ArrayRef<int64_t> perRowGroups,
                 ArrayRef<int64_t> outputGroups) {
    for (auto [input, kind] : llvm::zip_equal(op.getDpsInputs(), plan.inputs))
      views.push_back(kind == InputKind::Value
                          ? GroupedView{input, {}}
                          : groupDims(b, loc, input,
                                      kind == InputKind::Element
                                          ? elementGroups
                                          : perRowGroups));
    output = groupDims(b, loc, op.getDpsInitOperand(0)->get(), outputGroups);
  }

  /// The body's block arguments for the element at `element` (logical
  /// coordinates of an Element input) and `row` (of a PerRow input), as
  /// scalars or as vectors of `lanes` consecutive elements.
  SmallVector<Value> inputsAt(ArrayRef<Value> element, ArrayRef<Value> row,
                              bool vector) {
    SmallVector<Value> args;
    for (auto [view, kind] : llvm::zip_equal(views, plan.inputs)) {
      Value value;
      switch (kind) {
      case InputKind::Value:
        value = view.memref;
        break;
      case InputKind::Element:
        if (vector) {
          Type type = VectorType::get(
              {lanes}, getElementTypeOrSelf(view.memref.getType()));
          args.push_back(vector::LoadOp::create(b, loc, type, view.memref,
                                                view.indices(element)));
          continue;
        }
        value =
            memref::LoadOp::create(b, loc, view.memref, view.indices(element));
        break;
      case InputKind::PerRow:
        value = memref::LoadOp::create(b, loc, view.memref, view.indices(row));
        break;
      }
      args.push_back(
          vector ? vector::BroadcastOp::create(
                       b, loc, VectorType::get({lanes}, value.getType()), value)
                       .getResult()
                 : value);
    }
    return args;
  }

  Value contribution(ArrayRef<Value> args, bool vector) {
    IRMapping mapping;
    mapping.map(op.getBlock()->getArguments().drop_back(), args);
    if (!vector) {
      for (Operation *inner : contributionOps)
        b.clone(*inner, mapping);
      return mapping.lookupOrDefault(plan.combiner.contribution);
    }
    cloneVectorized(b, loc, contributionOps, mapping, lanes);
    return mapping.lookup(plan.combiner.contribution);
  }

  Value fold(ArrayRef<Value> args, Value accumulator, bool vector) {
    if (!vector) {
      SmallVector<Value> all(args);
      all.push_back(accumulator);
      return cloneBody(b, op, all)[0];
    }
    IRMapping mapping;
    mapping.map(op.getBlock()->getArguments().drop_back(), args);
    mapping.map(accumulatorArg(), accumulator);
    cloneVectorized(b, loc, bodyOps, mapping, lanes);
    return mapping.lookup(op.getBlock()->getTerminator()->getOperand(0));
  }

  /// Combines two partial results (scalars or vectors of any width).
  Value combine(Value partial, Value accumulated) {
    auto vectorType = dyn_cast<VectorType>(partial.getType());
    if (!vectorType)
      return plan.combiner.combine(b, partial, accumulated);
    IRMapping mapping;
    mapping.map(plan.combiner.contribution, partial);
    mapping.map(plan.combiner.accumulator, accumulated);
    cloneVectorized(b, loc, plan.combiner.ops, mapping,
                    vectorType.getNumElements());
    return mapping.lookup(plan.combiner.result);
  }

  /// The reduction of `length` (> 0) elements of `row` from `start`.
  Value reduceSegment(Value row, Value start, Value length);

  /// Float min/max in ordered integers (reduceSegment): the index of the
  /// input whose elements the combiner takes as they are, when it is the
  /// contract's float min or max (and sets orderedIsMax).
  std::optional<unsigned> orderedMinMaxElement();
  /// The keys of a vector of floats: integers whose signed order is the
  /// float order, NaN the losing key.
  Value orderedKey(Value floats);
  Value orderedCombine(Value lhs, Value rhs);
  /// The float of a scalar key.
  Value orderedFinish(Value key);
  APInt orderedLoser(unsigned width) const {
    return orderedIsMax ? APInt::getSignedMinValue(width)
                        : APInt::getSignedMaxValue(width);
  }
  bool orderedIsMax = true;

  /// Stores `value` (scalar or vector) at `indices` of `memref`.
  void store(Value value, Value memref, ValueRange indices) {
    if (isa<VectorType>(value.getType()))
      vector::StoreOp::create(b, loc, value, memref, indices);
    else
      memref::StoreOp::create(b, loc, value, memref, indices);
  }
  Value load(Type like, Value memref, ValueRange indices) {
    if (auto vectorType = dyn_cast<VectorType>(like))
      return vector::LoadOp::create(b, loc, vectorType, memref, indices);
    return memref::LoadOp::create(b, loc, memref, indices);
  }

  /// Takes the value of the fill that initializes the output, when there is
  /// one (findOutputFill) and dims [from, to) of `input`, which the
  /// strategy reduces, are static and nonempty: every output element then
  /// gets a combined value from the strategy, which starts from the fill's
  /// value instead of reading it back, and the fill (a parallel loop of
  /// its own) goes. An empty reduction keeps the fill: it leaves the
  /// output as the fill wrote it.
  void foldOutputFill(Value input, int64_t from, int64_t to) {
    auto type = cast<MemRefType>(input.getType());
    for (int64_t d = from; d < to; ++d)
      if (ShapedType::isDynamic(type.getDimSize(d)) || type.getDimSize(d) == 0)
        return;
    fill = findOutputFill(op, op.getDpsInitOperand(0)->get());
    if (fill)
      fillValue = fill.getInputs().front();
  }

  /// The output's initial value at `outputIndices`, as `like` (a scalar, or
  /// a vector of consecutive elements): the fill's value, else read.
  Value initialValue(Type like, ArrayRef<Value> outputIndices) {
    if (!fillValue)
      return load(like, output.memref, output.indices(outputIndices));
    if (auto vector = dyn_cast<VectorType>(like))
      return vector::BroadcastOp::create(b, loc, vector, fillValue);
    return fillValue;
  }

  /// Erases the folded fill (after the strategy is built).
  void eraseFoldedFill() {
    if (fill)
      fill.erase();
  }

  /// Either `partial` into partials[partialIndex] (several segments) or
  /// combined into the output at `outputIndices` (one segment).
  void storePartial(Value split, Value partial, Value partials,
                    Value partialIndex, ArrayRef<Value> outputIndices) {
    auto ifSplit = scf::IfOp::create(b, loc, split, /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifSplit.thenBlock());
    store(partial, partials, partialIndex);
    b.setInsertionPointToStart(ifSplit.elseBlock());
    Value initial = initialValue(partial.getType(), outputIndices);
    store(combine(partial, initial), output.memref,
          output.indices(outputIndices));
  }

  /// The partials of `segments` segments from `first` (stride `stride`),
  /// in order, combined into the output at `outputIndices`.
  void combinePartials(Value partials, Value first, Value stride,
                       Value segments, ArrayRef<Value> outputIndices) {
    Value total = memref::LoadOp::create(b, loc, partials, first);
    auto loop = scf::ForOp::create(
        b, loc, index(1), segments, index(1), ValueRange{total},
        [&](OpBuilder &nested, Location, Value s, ValueRange carried) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(nested.getInsertionBlock(),
                              nested.getInsertionPoint());
          Value at = arith::AddIOp::create(
              b, loc, first, arith::MulIOp::create(b, loc, s, stride));
          Value partial = memref::LoadOp::create(b, loc, partials, at);
          scf::YieldOp::create(b, loc, combine(partial, carried[0]));
        });
    Value initial = initialValue(accumulatorType(), outputIndices);
    memref::StoreOp::create(b, loc, combine(loop.getResult(0), initial),
                            output.memref, output.indices(outputIndices));
  }

  /// An scf.forall over [0, count) whose body `body` builds at `b`.
  void forall(Value count, function_ref<void(Value)> body) {
    auto loop = scf::ForallOp::create(b, loc, ArrayRef<OpFoldResult>{count},
                                      ValueRange{}, std::nullopt);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    body(loop.getInductionVar(0));
  }

  /// A partials buffer of `count` accumulators (allocated at the top level
  /// of the function, as vm-cpu-allocation-hooks requires).
  Value allocatePartials(Value count) {
    return markLateAllocation(memref::AllocOp::create(
        b, loc, MemRefType::get({ShapedType::kDynamic}, accumulatorType()),
        ValueRange{count}));
  }

  /// When the output's initializing fill folds into the strategy
  /// (foldOutputFill): its value, and the fill, erased once the strategy
  /// is built.
  Value fillValue;
  linalg::FillOp fill;

  linalg::LinalgOp op;
  const ReductionPlan &plan;
  int64_t lanes, accumulators;
  OpBuilder b;
  Location loc;
  SmallVector<Operation *> bodyOps, contributionOps;
  SmallVector<GroupedView> views;
  GroupedView output;
};

std::optional<unsigned> ReductionBuilder::orderedMinMaxElement() {
  // The element itself is the contribution (no ops before the combiner),
  // and the combiner is the contract's float min or max.
  auto arg = dyn_cast<BlockArgument>(plan.combiner.contribution);
  if (!contributionOps.empty() || !arg ||
      arg.getOwner() != op.getBlock() ||
      arg.getArgNumber() >= op.getNumDpsInputs() ||
      plan.inputs[arg.getArgNumber()] != InputKind::Element ||
      !isa<FloatType>(accumulatorType()) ||
      arg.getType() != accumulatorType())
    return std::nullopt;
  std::optional<bool> isMax =
      matchFloatMinMax(plan.combiner.result, plan.combiner.contribution,
                       plan.combiner.accumulator);
  if (!isMax)
    return std::nullopt;
  orderedIsMax = *isMax;
  return arg.getArgNumber();
}

Value ReductionBuilder::orderedKey(Value floats) {
  auto vectorType = cast<VectorType>(floats.getType());
  unsigned width = vectorType.getElementTypeBitWidth();
  auto bitsType = VectorType::get(vectorType.getShape(),
                                  b.getIntegerType(width));
  auto splat = [&](const APInt &value) -> Value {
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(bitsType, value));
  };
  // Negative floats have their magnitude bits flipped: signed integer order
  // is then float order, -0 (-1) below +0 (0). NaN gets the key that loses.
  Value bits = arith::BitcastOp::create(b, loc, bitsType, floats);
  Value sign = arith::ShRSIOp::create(b, loc, bits,
                                      splat(APInt(width, width - 1)));
  Value key = arith::XOrIOp::create(
      b, loc, bits,
      arith::AndIOp::create(b, loc, sign,
                            splat(APInt::getSignedMaxValue(width))));
  Value nan = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO,
                                    floats, floats);
  return arith::SelectOp::create(b, loc, nan, splat(orderedLoser(width)),
                                 key);
}

Value ReductionBuilder::orderedCombine(Value lhs, Value rhs) {
  if (orderedIsMax)
    return arith::MaxSIOp::create(b, loc, lhs, rhs);
  return arith::MinSIOp::create(b, loc, lhs, rhs);
}

Value ReductionBuilder::orderedFinish(Value key) {
  Type floatType = accumulatorType();
  unsigned width = floatType.getIntOrFloatBitWidth();
  Type bitsType = b.getIntegerType(width);
  auto constant = [&](const APInt &value) -> Value {
    return arith::ConstantOp::create(b, loc, IntegerAttr::get(bitsType, value));
  };
  // The key's flip is its own inverse. The losing key means every element
  // was NaN: the result is the quiet NaN.
  Value sign = arith::ShRSIOp::create(b, loc, key,
                                      constant(APInt(width, width - 1)));
  Value bits = arith::XOrIOp::create(
      b, loc, key,
      arith::AndIOp::create(b, loc, sign,
                            constant(APInt::getSignedMaxValue(width))));
  Value value = arith::BitcastOp::create(b, loc, floatType, bits);
  Value allNaN = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, key,
                                       constant(orderedLoser(width)));
  Value nan = arith::ConstantOp::create(
      b, loc,
      FloatAttr::get(floatType,
                     APFloat::getQNaN(cast<FloatType>(floatType)
                                          .getFloatSemantics())));
  return arith::SelectOp::create(b, loc, allNaN, nan, value);
}

Value ReductionBuilder::reduceSegment(Value row, Value start, Value length) {
  auto at = [&](Value column) -> SmallVector<Value> { return {row, column}; };
  if (std::optional<unsigned> element = orderedMinMaxElement()) {
    // Float min/max: the whole steps fold ordered integer keys with one
    // integer min/max per vector (off the NaN and signed-zero selects of the
    // contract's scalar form, which chain four blends per step), and the
    // result goes back to a float once per segment. Both forms give the
    // unique answer of the contract's rule (min/max are exact; only which
    // NaN an all-NaN segment gives can differ: the quiet NaN here).
    auto contributionAt = [&](Value column, bool vector) {
      SmallVector<Value> args = inputsAt(at(column), {row}, vector);
      return vector ? orderedKey(args[*element])
                    : contribution(args, /*vector=*/false);
    };
    auto foldAt = [&](Value accumulator, Value column, bool vector) {
      SmallVector<Value> args = inputsAt(at(column), {row}, vector);
      return vector ? orderedCombine(accumulator, orderedKey(args[*element]))
                    : fold(args, accumulator, /*vector=*/false);
    };
    auto combineKeys = [&](Value lhs, Value rhs) {
      return orderedCombine(lhs, rhs);
    };
    auto finish = [&](Value key) { return orderedFinish(key); };
    return emitVectorFold(b, loc, start, length, lanes, accumulators,
                          accumulatorType(),
                          {contributionAt, foldAt, combineKeys, finish});
  }
  auto contributionAt = [&](Value column, bool vector) {
    return contribution(inputsAt(at(column), {row}, vector), vector);
  };
  auto foldAt = [&](Value accumulator, Value column, bool vector) {
    return fold(inputsAt(at(column), {row}, vector), accumulator, vector);
  };
  auto combineTwo = [&](Value partial, Value accumulated) {
    return combine(partial, accumulated);
  };
  return emitVectorFold(b, loc, start, length, lanes, accumulators,
                        accumulatorType(),
                        {contributionAt, foldAt, combineTwo});
}

void ReductionBuilder::buildRows(int64_t segment) {
  // Logical coordinates: (row, column) of the elements, (row) of the
  // per-row inputs and the output.
  int64_t rank = plan.outer + plan.reduced;
  makeViews({plan.outer, plan.reduced}, {plan.outer}, {plan.outer});
  Value first;
  for (auto [input, kind] : llvm::zip_equal(op.getDpsInputs(), plan.inputs))
    if (kind == InputKind::Element && !first)
      first = input;
  Value rows = dimProduct(b, loc, first, 0, plan.outer);
  Value length = dimProduct(b, loc, first, plan.outer, rank);
  foldOutputFill(first, plan.outer, rank);
  Value segments = arith::CeilDivUIOp::create(b, loc, length, index(segment));
  Value divisor = arith::MaxUIOp::create(b, loc, segments, index(1));
  Value tasks = arith::MulIOp::create(b, loc, rows, segments);
  Value split = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt,
                                      segments, index(1));
  Value zero = index(0);
  Value partials =
      allocatePartials(arith::SelectOp::create(b, loc, split, tasks, zero));

  forall(tasks, [&](Value task) {
    Value row = arith::DivUIOp::create(b, loc, task, divisor);
    Value s = arith::RemUIOp::create(b, loc, task, divisor);
    Value start = arith::MulIOp::create(b, loc, s, index(segment));
    Value count = arith::MinUIOp::create(
        b, loc, index(segment), arith::SubIOp::create(b, loc, length, start));
    Value partial = reduceSegment(row, start, count);
    storePartial(split, partial, partials, task, {row});
  });
  forall(arith::SelectOp::create(b, loc, split, rows, zero), [&](Value row) {
    combinePartials(partials, arith::MulIOp::create(b, loc, row, segments),
                    index(1), segments, {row});
  });
  memref::DeallocOp::create(b, loc, partials);
  eraseFoldedFill();
}

void ReductionBuilder::buildColumns(int64_t segmentRows, int64_t chunk) {
  // Logical coordinates: (batch, row, column) of the elements, (batch,
  // column) of the output.
  int64_t rank = plan.outer + plan.reduced + plan.inner;
  makeViews({plan.outer, plan.reduced, plan.inner}, {},
            {plan.outer, plan.inner});
  Value first = op.getDpsInputs()[llvm::find(plan.inputs, InputKind::Element) -
                                  plan.inputs.begin()];
  Value batches = dimProduct(b, loc, first, 0, plan.outer);
  Value rows = dimProduct(b, loc, first, plan.outer, plan.outer + plan.reduced);
  Value columns = dimProduct(b, loc, first, plan.outer + plan.reduced, rank);
  foldOutputFill(first, plan.outer, plan.outer + plan.reduced);
  Value segments = arith::CeilDivUIOp::create(b, loc, rows, index(segmentRows));
  Value chunks = arith::CeilDivUIOp::create(b, loc, columns, index(chunk));
  Value perBatch = arith::MulIOp::create(b, loc, segments, chunks);
  Value tasks = arith::MulIOp::create(b, loc, batches, perBatch);
  Value zero = index(0), one = index(1);
  // Segment 0 accumulates in the output, from its initial value; segment
  // s > 0 in row (batch * (segments - 1) + s - 1) of the partials.
  Value laterSegments = arith::SubIOp::create(
      b, loc, arith::MaxUIOp::create(b, loc, segments, one), one);
  Value partials = allocatePartials(arith::MulIOp::create(
      b, loc, arith::MulIOp::create(b, loc, batches, laterSegments), columns));
  auto safe = [&](Value v) {
    return arith::MaxUIOp::create(b, loc, v, one).getResult();
  };
  auto partialAt = [&](Value batch, Value s, Value column) -> Value {
    Value partialRow = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, batch, laterSegments),
        arith::SubIOp::create(b, loc, s, one));
    return arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, partialRow, columns), column);
  };
  Value perBatchDivisor = safe(perBatch), chunksDivisor = safe(chunks);
  Value split =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt, segments, one);
  // Per (batch, chunk): how many of its segments are folded. The task that
  // folds the last one combines the chunk's partials into the output, in
  // segment order (the same order whoever does it), so the combining needs
  // no parallel region of its own. Zeroed by a sequential loop: a few words.
  Value counterCount = arith::MulIOp::create(b, loc, batches, chunks);
  Value counters = markLateAllocation(memref::AllocOp::create(
      b, loc, MemRefType::get({ShapedType::kDynamic}, b.getI32Type()),
      ValueRange{counterCount}));
  {
    auto zeroLoop = scf::ForOp::create(b, loc, zero, counterCount, one);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(zeroLoop.getBody()->getTerminator());
    memref::StoreOp::create(b, loc, arith::ConstantIntOp::create(b, loc, 0, 32),
                            counters, zeroLoop.getInductionVar());
  }
  Value lastDone = arith::IndexCastOp::create(
      b, loc, b.getI32Type(), arith::SubIOp::create(b, loc, safe(segments), one));

  forall(tasks, [&](Value task) {
    Value batch = arith::DivUIOp::create(b, loc, task, perBatchDivisor);
    Value inBatch = arith::RemUIOp::create(b, loc, task, perBatchDivisor);
    Value s = arith::DivUIOp::create(b, loc, inBatch, chunksDivisor);
    Value j = arith::RemUIOp::create(b, loc, inBatch, chunksDivisor);
    Value firstRow = arith::MulIOp::create(b, loc, s, index(segmentRows));
    Value endRow = arith::MinUIOp::create(
        b, loc, rows,
        arith::AddIOp::create(b, loc, firstRow, index(segmentRows)));
    Value firstColumn = arith::MulIOp::create(b, loc, j, index(chunk));
    Value endColumn = arith::MinUIOp::create(
        b, loc, columns,
        arith::AddIOp::create(b, loc, firstColumn, index(chunk)));
    // Whole vectors of columns, then the rest one by one.
    Value vectorsEnd = arith::SubIOp::create(
        b, loc, endColumn,
        arith::RemUIOp::create(
            b, loc, arith::SubIOp::create(b, loc, endColumn, firstColumn),
            index(lanes)));
    auto overColumns = [&](function_ref<void(Value, bool)> body) {
      for (bool vector : {true, false}) {
        auto loop = scf::ForOp::create(
            b, loc, vector ? firstColumn : vectorsEnd,
            vector ? vectorsEnd : endColumn, index(vector ? lanes : 1));
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(loop.getBody()->getTerminator());
        body(loop.getInductionVar(), vector);
      }
    };
    // The segment's rows folded, in order, into the accumulators that
    // `accumulatorAt` locates (a row of the output or of the partials):
    // kColumnRowsPerStep rows per step, so that each accumulator is read
    // and written once per step (folded row after row: the same order, the
    // same bits), then the rows left one by one.
    auto foldRows = [&](Value from, Value memref,
                        function_ref<SmallVector<Value>(Value)> accumulatorAt) {
      Value steps = arith::DivUIOp::create(
          b, loc, arith::SubIOp::create(b, loc, endRow, from),
          index(kColumnRowsPerStep));
      Value wholeEnd = arith::AddIOp::create(
          b, loc, from,
          arith::MulIOp::create(b, loc, steps, index(kColumnRowsPerStep)));
      for (int64_t rowsPerStep : {kColumnRowsPerStep, int64_t(1)}) {
        bool whole = rowsPerStep != 1;
        auto loop = scf::ForOp::create(b, loc, whole ? from : wholeEnd,
                                       whole ? wholeEnd : endRow,
                                       index(rowsPerStep));
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(loop.getBody()->getTerminator());
        Value first = loop.getInductionVar();
        overColumns([&](Value column, bool vector) {
          Type like = vector
                          ? Type(VectorType::get({lanes}, accumulatorType()))
                          : accumulatorType();
          Value accumulated = load(like, memref, accumulatorAt(column));
          for (int64_t i = 0; i < rowsPerStep; ++i) {
            Value row = i == 0 ? first
                               : arith::AddIOp::create(b, loc, first, index(i))
                                     .getResult();
            accumulated = fold(inputsAt({batch, row, column}, {}, vector),
                               accumulated, vector);
          }
          store(accumulated, memref, accumulatorAt(column));
        });
      }
    };
    Value isFirst =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, s, zero);
    auto ifFirst = scf::IfOp::create(b, loc, isFirst, /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(ifFirst.thenBlock()->getTerminator());
    // The first row from the output's initial value, then the others.
    overColumns([&](Value column, bool vector) {
      Type like = vector ? Type(VectorType::get({lanes}, accumulatorType()))
                         : accumulatorType();
      store(fold(inputsAt({batch, firstRow, column}, {}, vector),
                 initialValue(like, {batch, column}), vector),
            output.memref, output.indices({batch, column}));
    });
    foldRows(arith::AddIOp::create(b, loc, firstRow, one), output.memref,
             [&](Value column) {
               return output.indices({batch, column});
             });
    b.setInsertionPoint(ifFirst.elseBlock()->getTerminator());
    auto partialIndex = [&](Value column) -> SmallVector<Value> {
      return {partialAt(batch, s, column)};
    };
    overColumns([&](Value column, bool vector) {
      store(
          contribution(inputsAt({batch, firstRow, column}, {}, vector), vector),
          partials, partialIndex(column));
    });
    foldRows(arith::AddIOp::create(b, loc, firstRow, one), partials,
             partialIndex);
    // With several segments: count this one done (acquire-release: the
    // last task sees every partial), and the last task of the chunk adds
    // the later segments' partials, in segment order, to the output.
    b.setInsertionPointAfter(ifFirst);
    auto ifSplit = scf::IfOp::create(b, loc, split);
    b.setInsertionPoint(ifSplit.thenBlock()->getTerminator());
    Value counter = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, batch, chunks), j);
    Value done = memref::AtomicRMWOp::create(
        b, loc, arith::AtomicRMWKind::addi,
        arith::ConstantIntOp::create(b, loc, 1, 32), counters,
        ValueRange{counter});
    auto ifLast = scf::IfOp::create(
        b, loc,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, done,
                              lastDone));
    b.setInsertionPoint(ifLast.thenBlock()->getTerminator());
    overColumns([&](Value column, bool vector) {
      Type like = vector ? Type(VectorType::get({lanes}, accumulatorType()))
                         : accumulatorType();
      SmallVector<Value> at = output.indices({batch, column});
      Value total = load(like, output.memref, at);
      auto loop = scf::ForOp::create(
          b, loc, one, segments, one, ValueRange{total},
          [&](OpBuilder &nested, Location, Value later, ValueRange carried) {
            OpBuilder::InsertionGuard inner(b);
            b.setInsertionPoint(nested.getInsertionBlock(),
                                nested.getInsertionPoint());
            Value partial =
                load(like, partials, {partialAt(batch, later, column)});
            scf::YieldOp::create(b, loc, combine(partial, carried[0]));
          });
      store(loop.getResult(0), output.memref, at);
    });
  });
  memref::DeallocOp::create(b, loc, partials);
  memref::DeallocOp::create(b, loc, counters);
  eraseFoldedFill();
}

/// The sizes a configuration gives a reduction strategy.
struct ReductionSizes {
  int64_t lanes, accumulators;
  /// Elements (row and full) or rows (column) of a segment.
  int64_t segment;
  /// Columns of a chunk (column reductions).
  int64_t chunk;
};

/// Reads and checks the configuration's sizes. The segment is the cache
/// tile of the innermost reduced loop; the step (accumulators x lanes) the
/// register tile of the same loop (row and full) or of the innermost loop
/// (column), whose cache tile is the chunk.
FailureOr<ReductionSizes> readSizes(linalg::LinalgOp op,
                                    const LoweringConfig &config,
                                    const ReductionPlan &plan, bool column) {
  unsigned loops = op.getNumLoops();
  if (config.cacheTiles.size() != loops || config.registerTiles.size() != loops)
    return op->emitOpError()
           << "lowering config: 'cache_tiles' and 'register_tiles' need one "
              "size per loop ("
           << loops << ")";
  int64_t lastReduced = plan.outer + plan.reduced - 1;
  int64_t segment = config.cacheTiles[lastReduced];
  int64_t step = config.registerTiles[column ? loops - 1 : lastReduced];
  int64_t chunk = column ? config.cacheTiles[loops - 1] : 1;
  int64_t lanes = config.vectorWidth;
  if (segment <= 0 || chunk <= 0 || step <= 0 || lanes <= 0 ||
      step % lanes != 0 || !llvm::isPowerOf2_64(lanes))
    return op->emitOpError()
           << "lowering config: strategy '"
           << stringifyStrategy(config.strategy)
           << "' needs positive cache tiles on the innermost reduced loop"
           << (column ? " and the innermost loop" : "")
           << ", a power-of-two 'vector_width' and a register tile that is a "
              "multiple of it";
  return ReductionSizes{lanes, step / lanes, segment, chunk};
}

struct CpuLowerReductionsPass
    : vmgpu::impl::CpuLowerReductionsBase<CpuLowerReductionsPass> {
  void runOnOperation() override {
    for (Strategy strategy :
         {Strategy::CpuVectorReduction, Strategy::CpuColumnReduction}) {
      bool column = strategy == Strategy::CpuColumnReduction;
      auto work = collectOpsWithStrategy(getOperation(), strategy);
      if (failed(work))
        return signalPassFailure();
      for (auto &[op, config] : *work) {
        FailureOr<ReductionPlan> plan = planReduction(op, column);
        if (failed(plan))
          continue; // Declined: the loop lowering takes it.
        auto sizes = readSizes(op, config, *plan, column);
        if (failed(sizes))
          return signalPassFailure();
        ReductionBuilder builder(op, *plan, sizes->lanes, sizes->accumulators);
        if (column)
          builder.buildColumns(sizes->segment, sizes->chunk);
        else
          builder.buildRows(sizes->segment);
        op->erase();
      }
    }
  }
};

} // namespace
