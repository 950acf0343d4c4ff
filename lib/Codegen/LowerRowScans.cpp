//===- LowerRowScans.cpp - scans along rows -> one subgroup per row
//--------===//
//
// The strategy `warp_scan`. vm.scan lowers to a linalg.generic whose last
// loop is a reduction with two outputs: the running value (indexed by the
// parallel loops) and the result (indexed by every loop, written at each
// step). The fallback runs each row in one thread, which on a GPU reads
// rows a row apart in neighbouring threads (uncoalesced) and leaves all
// but a few warps idle. Here one subgroup of W lanes walks a row in chunks
// of W x V elements, lane l owning elements [l V, l V + V) of the chunk:
//
//   1. each lane folds its V elements into a total with the body's
//      combining part (vmgpu::extractReductionCombiner);
//   2. a shuffle-up scan over the lanes (log2 W steps) gives each lane the
//      total of the lanes below it;
//   3. each lane runs the op's own body over its V elements, starting from
//      the row's running value combined with that prefix, and writes what
//      the body yields (so `exclusive`, the f16 rounding of each result and
//      anything else the body does are the body's business);
//   4. the running value becomes the one after the chunk's last element,
//      taken from the lane that holds it.
//
// The combining order depends only on the row length, W and V, so the
// results are the same on every run; float sums and products differ from
// the sequential order within the contract's tolerance (docs/dialect.md,
// vm.scan). Min, max and integer kinds are exact in any order.
//
// V > 1 needs the row length to be a multiple of V and every row's base
// aligned to V elements (checked in the kernel): lanes then read and write
// V elements with one vector access; otherwise V = 1.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Codegen/Passes.h"

#include "KernelBuilding.h"
#include "SubgroupShuffle.h"
#include "vmgpu/Codegen/LoweringConfig.h"
#include "vmgpu/Transforms/ReductionCombiner.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SetVector.h"

namespace vmgpu {
#define GEN_PASS_DEF_GPULOWERROWSCANS
#include "vmgpu/Codegen/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;
using namespace vmgpu;

namespace {

/// What the kernel needs to know about a row scan.
struct RowScanPlan {
  /// Parallel loops before the scanned one (0: a single 1-D scan).
  int64_t parallelLoops;
  /// How the running value combines with a contribution, and how two
  /// partial results combine.
  ReductionCombiner combiner;
  /// The body ops the contribution of one element derives from (body
  /// order), cloned to fold a lane's elements.
  SmallVector<Operation *> contributionOps;
};

bool isScalarIntOrFloat(Type type) {
  return type.isIntOrFloat() && type.getIntOrFloatBitWidth() <= 64;
}

/// The plan of `op`, or failure when the strategy does not take it (the
/// fallback then lowers it, as before).
FailureOr<RowScanPlan> planRowScan(linalg::LinalgOp op) {
  if (!op.hasPureBufferSemantics() || op->getParentOfType<gpu::LaunchOp>())
    return failure();
  int64_t loops = op.getNumLoops();
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  if (loops == 0 || iterators.back() != utils::IteratorType::reduction ||
      op.getNumReductionLoops() != 1)
    return failure();
  int64_t parallel = loops - 1;
  MLIRContext *context = op.getContext();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(loops, context);
  // (getMajorSubMap(0) is the null map, not `(d0) -> ()`.)
  AffineMap rowMap =
      AffineMap::get(loops, /*symbolCount=*/0,
                     identity.getResults().take_front(parallel), context);

  // Inputs: contiguous buffers read element by element in loop order.
  for (OpOperand *input : op.getDpsInputOperands())
    if (op.getMatchingIndexingMap(input) != identity ||
        !isContiguous(input->get().getType()) ||
        !isScalarIntOrFloat(getElementTypeOrSelf(input->get().getType())))
      return failure();
  if (op.getNumDpsInputs() == 0 || op.getNumDpsInits() != 2)
    return failure();
  OpOperand *running = op.getDpsInitOperand(0);
  OpOperand *result = op.getDpsInitOperand(1);
  if (op.getMatchingIndexingMap(running) != rowMap ||
      op.getMatchingIndexingMap(result) != identity ||
      !isContiguous(running->get().getType()) ||
      !isContiguous(result->get().getType()) ||
      !isScalarIntOrFloat(getElementTypeOrSelf(result->get().getType())))
    return failure();

  Block *body = op.getBlock();
  Value accumulator = body->getArgument(op.getNumDpsInputs());
  // The body never reads the element it overwrites.
  if (!body->getArgument(op.getNumDpsInputs() + 1).use_empty() ||
      !isScalarIntOrFloat(accumulator.getType()))
    return failure();
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  FailureOr<ReductionCombiner> combiner =
      extractReductionCombiner(*body, accumulator, yield.getValues().front());
  if (failed(combiner))
    return failure();

  // The contribution's derivation: ops that neither use the accumulator
  // nor read the position (linalg.index is meaningless outside the op).
  llvm::SetVector<Operation *> derivation;
  SmallVector<Value> worklist = {combiner->contribution};
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    Operation *producer = value.getDefiningOp();
    if (!producer || producer->getBlock() != body)
      continue;
    if (isa<linalg::IndexOp>(producer) || producer->getNumRegions() != 0 ||
        llvm::is_contained(combiner->ops, producer))
      return failure();
    if (derivation.insert(producer))
      llvm::append_range(worklist, producer->getOperands());
  }

  RowScanPlan plan;
  plan.parallelLoops = parallel;
  plan.combiner = std::move(*combiner);
  for (Operation &inner : body->without_terminator())
    if (derivation.contains(&inner))
      plan.contributionOps.push_back(&inner);
  return plan;
}

class RowScanKernelBuilder {
public:
  RowScanKernelBuilder(linalg::LinalgOp op, const LoweringConfig &config,
                       const RowScanPlan &plan)
      : op(op), config(config), plan(plan), b(op) {}

  void build() {
    Location loc = op.getLoc();
    int64_t parallel = plan.parallelLoops;
    Value result = op.getDpsInitOperand(1)->get();
    Value running = op.getDpsInitOperand(0)->get();
    int64_t rank = cast<MemRefType>(result.getType()).getRank();
    Value rows = dimProduct(b, loc, result, 0, parallel);
    Value columns = memref::DimOp::create(b, loc, result, rank - 1);
    // 2-D views [rows, columns] (1-D [columns] for a single scan) and the
    // running values as [rows] (0-d for a single scan).
    auto rowView = [&](Value memref) {
      return parallel == 0 ? memref : collapseToRows(b, loc, memref, parallel);
    };
    for (Value input : op.getDpsInputs())
      inputViews.push_back(rowView(input));
    resultView = rowView(result);
    runningView =
        parallel == 0 ? running : collapseTrailingDims(b, loc, running, 0);
    // The sizes of the parallel loops, for linalg.index in the body.
    for (int64_t d = 0; d < parallel; ++d)
      parallelSizes.push_back(memref::DimOp::create(b, loc, result, d));

    int64_t width = config.workgroup[0];
    int64_t rowsPerBlock = config.workgroup[1];
    Value one = indexConstant(b, loc, 1);
    Value grid = arith::MaxUIOp::create(
        b, loc,
        arith::CeilDivUIOp::create(b, loc, rows,
                                   indexConstant(b, loc, rowsPerBlock)),
        one);
    auto launch = gpu::LaunchOp::create(
        b, loc, grid, one, one, indexConstant(b, loc, width),
        indexConstant(b, loc, rowsPerBlock), one);
    b.setInsertionPointToStart(&launch.getBody().front());
    Value lane = launch.getThreadIds().x;
    Value row = arith::AddIOp::create(
        b, loc,
        arith::MulIOp::create(b, loc, launch.getBlockIds().x,
                              indexConstant(b, loc, rowsPerBlock)),
        launch.getThreadIds().y);
    // Uniform across each subgroup (a subgroup is one row), so every lane
    // of a working subgroup reaches the shuffles.
    Value work = arith::AndIOp::create(
        b, loc,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, row, rows),
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt, columns,
                              indexConstant(b, loc, 0)));
    auto ifWork = scf::IfOp::create(b, loc, work, /*withElseRegion=*/false);
    b.setInsertionPointToStart(ifWork.thenBlock());
    int64_t vectorWidth = config.vectorWidth;
    if (vectorWidth > 1 && canReadVectors()) {
      auto ifAligned =
          scf::IfOp::create(b, loc, vectorsAligned(loc, columns, vectorWidth),
                            /*withElseRegion=*/true);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(ifAligned.thenBlock());
      emitRow(loc, lane, row, columns, width, vectorWidth);
      b.setInsertionPointToStart(ifAligned.elseBlock());
      emitRow(loc, lane, row, columns, width, 1);
    } else {
      emitRow(loc, lane, row, columns, width, 1);
    }
    b.setInsertionPointAfter(ifWork);
    gpu::TerminatorOp::create(b, loc);
  }

private:
  /// Element types packed in whole bytes can be read V at a time (i1 is
  /// not).
  bool canReadVectors() {
    auto packed = [](Value view) {
      return getElementTypeOrSelf(view.getType()).getIntOrFloatBitWidth() % 8 ==
             0;
    };
    return llvm::all_of(op.getDpsInputs(), packed) &&
           packed(op.getDpsInitOperand(1)->get());
  }

  /// True (i1) when the row length is a multiple of `vectorWidth` and every
  /// input's and the result's base is aligned to `vectorWidth` elements.
  Value vectorsAligned(Location loc, Value columns, int64_t vectorWidth) {
    Value aligned = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::eq,
        arith::RemUIOp::create(b, loc, columns,
                               indexConstant(b, loc, vectorWidth)),
        indexConstant(b, loc, 0));
    SmallVector<Value> views(inputViews);
    views.push_back(resultView);
    for (Value view : views)
      aligned = andBaseAligned(b, loc, aligned, view,
                               vectorAccessBytes(view, vectorWidth));
    return aligned;
  }

  /// The indices of `view` for element `column` of `row`.
  SmallVector<Value> at(Value row, Value column) const {
    if (plan.parallelLoops == 0)
      return {column};
    return {row, column};
  }

  /// The contribution of one element whose inputs are `elements`.
  Value contribution(Location loc, ValueRange elements) {
    Block *body = op.getBlock();
    IRMapping mapping;
    for (auto [argument, element] :
         llvm::zip(body->getArguments().take_front(elements.size()), elements))
      mapping.map(argument, element);
    for (Operation *inner : plan.contributionOps)
      b.clone(*inner, mapping);
    return mapping.lookupOrDefault(plan.combiner.contribution);
  }

  /// The op's body for the element at (`row`, `column`) with inputs
  /// `elements` and running value `accumulator`: its yielded values (the
  /// new running value, the element to write).
  SmallVector<Value> body(Location loc, ValueRange elements, Value accumulator,
                          Value row, Value column) {
    Block *block = op.getBlock();
    IRMapping mapping;
    unsigned inputs = elements.size();
    for (unsigned i = 0; i < inputs; ++i)
      mapping.map(block->getArgument(i), elements[i]);
    mapping.map(block->getArgument(inputs), accumulator);
    // The overwritten element is never read (checked by the plan).
    Value unused = block->getArgument(inputs + 1);
    mapping.map(unused, arith::ConstantOp::create(
                            b, loc, b.getZeroAttr(unused.getType())));
    // The element's position, for linalg.index (built only when read).
    SmallVector<Value> position;
    if (!block->getOps<linalg::IndexOp>().empty()) {
      if (plan.parallelLoops != 0)
        position = delinearize(b, loc, row, parallelSizes);
      position.push_back(column);
    }
    for (Operation &inner : block->without_terminator())
      cloneWithLoopIndices(b, inner, mapping, position);
    return llvm::map_to_vector(
        block->getTerminator()->getOperands(),
        [&](Value value) { return mapping.lookupOrDefault(value); });
  }

  /// One row with `vectorWidth` (V) elements per lane and chunk.
  void emitRow(Location loc, Value lane, Value row, Value columns,
               int64_t width, int64_t vectorWidth) {
    Type i32 = b.getI32Type();
    Value zero = indexConstant(b, loc, 0);
    Value chunk = indexConstant(b, loc, width * vectorWidth);
    Value initial = memref::LoadOp::create(
        b, loc, runningView,
        plan.parallelLoops == 0 ? ValueRange{} : ValueRange{row});
    auto loop =
        scf::ForOp::create(b, loc, zero, columns, chunk, ValueRange{initial});
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(loop.getBody());
      Value start = loop.getInductionVar();
      Value carry = loop.getRegionIterArgs().front();
      Value first = arith::AddIOp::create(
          b, loc, start,
          arith::MulIOp::create(b, loc, lane,
                                indexConstant(b, loc, vectorWidth)));
      // Lanes past the row's end hold no element (with V > 1 the length is
      // a multiple of V, so a lane holds all of its V or none); they read
      // the row's first chunk instead, and nothing they compute is taken.
      Value holds = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                          first, columns);
      Value readAt = arith::SelectOp::create(b, loc, holds, first, zero);
      SmallVector<SmallVector<Value>> elements =
          readElements(loc, row, readAt, vectorWidth);

      // 1. The lane's total.
      Value total = contribution(loc, elements[0]);
      for (int64_t k = 1; k < vectorWidth; ++k)
        total = plan.combiner.combine(b, contribution(loc, elements[k]), total);
      // 2. Inclusive scan of the totals over the lanes, lower lanes first.
      Value inclusive = total;
      for (int64_t offset = 1; offset < width; offset *= 2) {
        Value below = shuffleUp(b, loc, inclusive, offset, width);
        Value combined = plan.combiner.combine(b, inclusive, below);
        Value hasBelow =
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, lane,
                                  indexConstant(b, loc, offset));
        inclusive =
            arith::SelectOp::create(b, loc, hasBelow, combined, inclusive);
      }
      Value lanesBelow = shuffleUp(b, loc, inclusive, 1, width);
      Value isFirstLane =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, lane, zero);
      Value accumulator =
          arith::SelectOp::create(b, loc, isFirstLane, carry,
                                  plan.combiner.combine(b, lanesBelow, carry));
      // 3. The body over the lane's elements, in order.
      SmallVector<Value> written;
      for (int64_t k = 0; k < vectorWidth; ++k) {
        Value column =
            arith::AddIOp::create(b, loc, readAt, indexConstant(b, loc, k));
        SmallVector<Value> yielded =
            body(loc, elements[k], accumulator, row, column);
        accumulator = yielded[0];
        written.push_back(yielded[1]);
      }
      writeElements(loc, row, first, holds, written);
      // 4. The running value after the chunk: that of the lane holding the
      // chunk's last element.
      Value lastLane = arith::MinUIOp::create(
          b, loc, indexConstant(b, loc, width - 1),
          arith::DivUIOp::create(
              b, loc,
              arith::SubIOp::create(
                  b, loc,
                  arith::SubIOp::create(b, loc, columns,
                                        indexConstant(b, loc, 1)),
                  start),
              indexConstant(b, loc, vectorWidth)));
      Value next = shuffleFromLane(
          b, loc, accumulator,
          arith::IndexCastOp::create(b, loc, i32, lastLane), width);
      scf::YieldOp::create(b, loc, next);
    }
    // Lane 0 stores the row's final running value.
    emitOnFirstLane(b, loc, lane, [&] {
      memref::StoreOp::create(b, loc, loop.getResult(0), runningView,
                              plan.parallelLoops == 0 ? ValueRange{}
                                                      : ValueRange{row});
    });
  }

  /// The inputs of the `vectorWidth` elements from `column` on: one list
  /// per element, one value per input.
  SmallVector<SmallVector<Value>>
  readElements(Location loc, Value row, Value column, int64_t vectorWidth) {
    SmallVector<SmallVector<Value>> elements(vectorWidth);
    for (Value view : inputViews) {
      Type elementType = getElementTypeOrSelf(view.getType());
      if (vectorWidth == 1) {
        elements[0].push_back(
            memref::LoadOp::create(b, loc, view, at(row, column)));
        continue;
      }
      Value vector = vector::LoadOp::create(
          b, loc, VectorType::get({vectorWidth}, elementType), view,
          at(row, column), /*nontemporal=*/false,
          llvm::MaybeAlign(vectorAccessBytes(view, vectorWidth)));
      for (int64_t k = 0; k < vectorWidth; ++k)
        elements[k].push_back(vector::ExtractOp::create(b, loc, vector, k));
    }
    return elements;
  }

  /// Writes `values` from `column` on when the lane `holds` elements.
  void writeElements(Location loc, Value row, Value column, Value holds,
                     ArrayRef<Value> values) {
    auto ifHolds = scf::IfOp::create(b, loc, holds, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifHolds.thenBlock());
    if (values.size() == 1) {
      memref::StoreOp::create(b, loc, values[0], resultView, at(row, column));
      return;
    }
    int64_t vectorWidth = values.size();
    auto type = VectorType::get({vectorWidth}, values[0].getType());
    Value vector = vector::FromElementsOp::create(b, loc, type, values);
    vector::StoreOp::create(
        b, loc, vector, resultView, at(row, column), /*nontemporal=*/false,
        llvm::MaybeAlign(vectorAccessBytes(resultView, vectorWidth)));
  }

  linalg::LinalgOp op;
  const LoweringConfig &config;
  const RowScanPlan &plan;
  OpBuilder b;
  SmallVector<Value> inputViews;
  Value resultView;
  Value runningView;
  SmallVector<Value> parallelSizes;
};

struct GpuLowerRowScansPass
    : vmgpu::impl::GpuLowerRowScansBase<GpuLowerRowScansPass> {
  void runOnOperation() override {
    auto work = collectOpsWithStrategy(getOperation(), Strategy::WarpScan);
    if (failed(work))
      return signalPassFailure();
    for (auto &[op, config] : *work) {
      if (!hasSubgroupRows(config))
        continue;
      FailureOr<RowScanPlan> plan = planRowScan(op);
      if (failed(plan))
        continue; // Declined: the fallback lowers it.
      RowScanKernelBuilder(op, config, *plan).build();
      op->erase();
    }
  }
};

} // namespace
