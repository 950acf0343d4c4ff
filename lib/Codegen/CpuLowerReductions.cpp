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
//   is viewed as [batch, rows, columns]; blocks of whole vectors of columns
//   walk a fixed segment of rows with one vector accumulator per vector of
//   columns (columns past the last full block are folded one by one);
//   the row segments' partials are combined in segment order.
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

#include "CpuVectorFold.h"
#include "KernelBuilding.h"
#include "VectorizeBody.h"
#include "vmgpu/Codegen/LoweringConfig.h"
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
  view.memref = identity ? memref
                         : memref::CollapseShapeOp::create(b, loc, memref,
                                                           groups)
                               .getResult();
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
  FailureOr<ReductionCombiner> combiner = extractReductionCombiner(
      *body, body->getArgument(op.getNumDpsInputs()));
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
      : op(op), plan(plan), lanes(lanes), accumulators(accumulators),
        b(op), loc(op.getLoc()) {
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
  /// column blocks of accumulators x lanes columns.
  void buildColumns(int64_t segmentRows);

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
        value = memref::LoadOp::create(b, loc, view.memref,
                                       view.indices(element));
        break;
      case InputKind::PerRow:
        value =
            memref::LoadOp::create(b, loc, view.memref, view.indices(row));
        break;
      }
      args.push_back(vector ? vector::BroadcastOp::create(
                                  b, loc,
                                  VectorType::get({lanes}, value.getType()),
                                  value)
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

  /// Either `partial` into partials[partialIndex] (several segments) or
  /// combined into the output at `outputIndices` (one segment).
  void storePartial(Value split, Value partial, Value partials,
                    Value partialIndex, ArrayRef<Value> outputIndices) {
    auto ifSplit = scf::IfOp::create(b, loc, split, /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifSplit.thenBlock());
    store(partial, partials, partialIndex);
    b.setInsertionPointToStart(ifSplit.elseBlock());
    Value initial = load(partial.getType(), output.memref,
                         output.indices(outputIndices));
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
    Value initial = memref::LoadOp::create(b, loc, output.memref,
                                           output.indices(outputIndices));
    memref::StoreOp::create(b, loc, combine(loop.getResult(0), initial),
                            output.memref, output.indices(outputIndices));
  }

  /// An scf.forall over [0, count) whose body `body` builds at `b`.
  void forall(Value count, function_ref<void(Value)> body) {
    auto loop = scf::ForallOp::create(
        b, loc, ArrayRef<OpFoldResult>{count}, ValueRange{}, std::nullopt);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    body(loop.getInductionVar(0));
  }

  /// A partials buffer of `count` accumulators (allocated at the top level
  /// of the function, as vm-cpu-allocation-hooks requires).
  Value allocatePartials(Value count) {
    return memref::AllocOp::create(
        b, loc, MemRefType::get({ShapedType::kDynamic}, accumulatorType()),
        ValueRange{count});
  }

  linalg::LinalgOp op;
  const ReductionPlan &plan;
  int64_t lanes, accumulators;
  OpBuilder b;
  Location loc;
  SmallVector<Operation *> bodyOps, contributionOps;
  SmallVector<GroupedView> views;
  GroupedView output;
};

Value ReductionBuilder::reduceSegment(Value row, Value start, Value length) {
  auto at = [&](Value column) -> SmallVector<Value> { return {row, column}; };
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
  Value segments =
      arith::CeilDivUIOp::create(b, loc, length, index(segment));
  Value divisor = arith::MaxUIOp::create(b, loc, segments, index(1));
  Value tasks = arith::MulIOp::create(b, loc, rows, segments);
  Value split = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt,
                                      segments, index(1));
  Value zero = index(0);
  Value partials = allocatePartials(
      arith::SelectOp::create(b, loc, split, tasks, zero));

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
}

void ReductionBuilder::buildColumns(int64_t segmentRows) {
  // Logical coordinates: (batch, row, column) of the elements, (batch,
  // column) of the output.
  int64_t rank = plan.outer + plan.reduced + plan.inner;
  makeViews({plan.outer, plan.reduced, plan.inner}, {},
            {plan.outer, plan.inner});
  Value first = op.getDpsInputs()[llvm::find(plan.inputs,
                                             InputKind::Element) -
                                  plan.inputs.begin()];
  Value batches = dimProduct(b, loc, first, 0, plan.outer);
  Value rows = dimProduct(b, loc, first, plan.outer,
                          plan.outer + plan.reduced);
  Value columns =
      dimProduct(b, loc, first, plan.outer + plan.reduced, rank);
  int64_t blockColumns = lanes * accumulators;
  Value segments =
      arith::CeilDivUIOp::create(b, loc, rows, index(segmentRows));
  Value blocks =
      arith::CeilDivUIOp::create(b, loc, columns, index(blockColumns));
  Value perBatch = arith::MulIOp::create(b, loc, segments, blocks);
  Value tasks = arith::MulIOp::create(b, loc, batches, perBatch);
  Value split = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt,
                                      segments, index(1));
  Value zero = index(0);
  Value partials = allocatePartials(arith::SelectOp::create(
      b, loc, split,
      arith::MulIOp::create(b, loc, arith::MulIOp::create(b, loc, batches,
                                                          segments),
                            columns),
      zero));
  auto safe = [&](Value v) {
    return arith::MaxUIOp::create(b, loc, v, index(1)).getResult();
  };
  Value perBatchDivisor = safe(perBatch), blocksDivisor = safe(blocks);

  forall(tasks, [&](Value task) {
    Value batch = arith::DivUIOp::create(b, loc, task, perBatchDivisor);
    Value inBatch = arith::RemUIOp::create(b, loc, task, perBatchDivisor);
    Value s = arith::DivUIOp::create(b, loc, inBatch, blocksDivisor);
    Value block = arith::RemUIOp::create(b, loc, inBatch, blocksDivisor);
    Value firstRow = arith::MulIOp::create(b, loc, s, index(segmentRows));
    Value endRow = arith::MinUIOp::create(
        b, loc, rows, arith::AddIOp::create(b, loc, firstRow,
                                            index(segmentRows)));
    Value nextRow = arith::AddIOp::create(b, loc, firstRow, index(1));
    Value firstColumn =
        arith::MulIOp::create(b, loc, block, index(blockColumns));
    // partials[(batch * segments + s) * columns + column]
    Value partialRow = arith::MulIOp::create(
        b, loc,
        arith::AddIOp::create(
            b, loc, arith::MulIOp::create(b, loc, batch, segments), s),
        columns);
    auto at = [&](Value row, Value column) -> SmallVector<Value> {
      return {batch, row, column};
    };
    // One column segment: `vector` lanes of columns from `column`.
    auto reduceColumns = [&](Value column, bool vector) {
      Value partial =
          contribution(inputsAt(at(firstRow, column), {}, vector), vector);
      auto loop = scf::ForOp::create(
          b, loc, nextRow, endRow, index(1), ValueRange{partial},
          [&](OpBuilder &nested, Location, Value r, ValueRange carried) {
            OpBuilder::InsertionGuard inner(b);
            b.setInsertionPoint(nested.getInsertionBlock(),
                                nested.getInsertionPoint());
            scf::YieldOp::create(
                b, loc,
                fold(inputsAt(at(r, column), {}, vector), carried[0], vector));
          });
      storePartial(split, loop.getResult(0), partials,
                   arith::AddIOp::create(b, loc, partialRow, column),
                   {batch, column});
    };
    Value blockEnd =
        arith::AddIOp::create(b, loc, firstColumn, index(blockColumns));
    Value whole = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ule,
                                        blockEnd, columns);
    auto ifWhole = scf::IfOp::create(b, loc, whole, /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(b);
    // A whole block: one vector accumulator per `lanes` columns; the
    // accumulators are independent, so their loops are kept apart only
    // by the column they start at (LLVM interleaves them).
    b.setInsertionPointToStart(ifWhole.thenBlock());
    {
      SmallVector<Value> partial;
      SmallVector<Value> starts;
      for (int64_t u = 0; u < accumulators; ++u) {
        starts.push_back(
            arith::AddIOp::create(b, loc, firstColumn, index(u * lanes)));
        partial.push_back(contribution(
            inputsAt(at(firstRow, starts.back()), {}, true), true));
      }
      auto loop = scf::ForOp::create(
          b, loc, nextRow, endRow, index(1), partial,
          [&](OpBuilder &nested, Location, Value r, ValueRange carried) {
            OpBuilder::InsertionGuard inner(b);
            b.setInsertionPoint(nested.getInsertionBlock(),
                                nested.getInsertionPoint());
            SmallVector<Value> next;
            for (int64_t u = 0; u < accumulators; ++u)
              next.push_back(fold(inputsAt(at(r, starts[u]), {}, true),
                                  carried[u], true));
            scf::YieldOp::create(b, loc, next);
          });
      for (int64_t u = 0; u < accumulators; ++u)
        storePartial(split, loop.getResult(u), partials,
                     arith::AddIOp::create(b, loc, partialRow, starts[u]),
                     {batch, starts[u]});
    }
    // The last, partial block: column by column.
    b.setInsertionPointToStart(ifWhole.elseBlock());
    scf::ForOp::create(
        b, loc, firstColumn, columns, index(1), ValueRange{},
        [&](OpBuilder &nested, Location, Value column, ValueRange) {
          OpBuilder::InsertionGuard inner(b);
          b.setInsertionPoint(nested.getInsertionBlock(),
                              nested.getInsertionPoint());
          reduceColumns(column, /*vector=*/false);
          scf::YieldOp::create(b, loc);
        });
  });
  Value outputs = arith::MulIOp::create(b, loc, batches, columns);
  forall(arith::SelectOp::create(b, loc, split, outputs, zero),
         [&](Value flat) {
           Value batch =
               arith::DivUIOp::create(b, loc, flat, safe(columns));
           Value column =
               arith::RemUIOp::create(b, loc, flat, safe(columns));
           Value firstPartial = arith::AddIOp::create(
               b, loc,
               arith::MulIOp::create(
                   b, loc, arith::MulIOp::create(b, loc, batch, segments),
                   columns),
               column);
           combinePartials(partials, firstPartial, columns, segments,
                           {batch, column});
         });
  memref::DeallocOp::create(b, loc, partials);
}

/// Reads and checks the configuration's sizes: (lanes, accumulators,
/// segment). The segment and the step are the sizes of the innermost
/// reduced loop (row and full) or of the innermost reduced and the
/// innermost loop (column).
FailureOr<std::tuple<int64_t, int64_t, int64_t>>
readSizes(linalg::LinalgOp op, const LoweringConfig &config,
          const ReductionPlan &plan, bool column) {
  unsigned loops = op.getNumLoops();
  if (config.cacheTiles.size() != loops ||
      config.registerTiles.size() != loops)
    return op->emitOpError()
           << "lowering config: 'cache_tiles' and 'register_tiles' need one "
              "size per loop ("
           << loops << ")";
  int64_t lastReduced = plan.outer + plan.reduced - 1;
  int64_t segment = config.cacheTiles[lastReduced];
  int64_t step = config.registerTiles[column ? loops - 1 : lastReduced];
  int64_t lanes = config.vectorWidth;
  if (segment <= 0 || step <= 0 || lanes <= 0 || step % lanes != 0 ||
      !llvm::isPowerOf2_64(lanes))
    return op->emitOpError()
           << "lowering config: strategy '"
           << stringifyStrategy(config.strategy)
           << "' needs a positive cache tile on the innermost reduced loop, "
              "a power-of-two 'vector_width' and a register tile that is a "
              "multiple of it";
  return std::make_tuple(lanes, step / lanes, segment);
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
        auto [lanes, accumulators, segment] = *sizes;
        ReductionBuilder builder(op, *plan, lanes, accumulators);
        if (column)
          builder.buildColumns(segment);
        else
          builder.buildRows(segment);
        op->erase();
      }
    }
  }
};

} // namespace
