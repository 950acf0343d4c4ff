//===- LowerColumnReductions.cpp - column reductions, coalesced -----------===//
//
// The strategy `coalesced_columns`. A reduction of the outer loops of
// contiguous inputs (the contiguous dims stay parallel) is viewed as
// [rows, columns] reduced over the rows. The rows are cut into S segments
// of L = ceil(rows / S) rows, S a function of the shape alone (below): the
// same partition on every device, so the same bits on every run.
//
// Stage 1: one thread per (segment, chunk of V = vector_width columns),
// neighbouring threads on neighbouring chunks (coalesced). The thread
// folds its segment's rows in order into V accumulators with the op's own
// body, reading a row's chunk with one aligned vector load when the column
// count is a multiple of V and every base is aligned (checked in the
// kernel, uniform), else element by element; eight rows are loaded before
// they are folded, so the loads are in flight together. It writes the V
// partials to partials[segment, column].
// Stage 2: one thread per column folds the used segments' partials in
// segment order with the body's combining part (the contract's NaN rule,
// exact integers, f32 for 16-bit floats) and combines the total into the
// output's initial value.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Codegen/Passes.h"
#include "vmgpu/Transforms/Passes.h"

#include "KernelBuilding.h"
#include "ReductionPlan.h"
#include "SubgroupReduction.h"
#include "vmgpu/Codegen/LoweringConfig.h"

namespace vmgpu {
#define GEN_PASS_DEF_GPULOWERCOLUMNREDUCTIONS
#include "vmgpu/Codegen/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;
using namespace vmgpu;

namespace {

/// Segments x columns the partition aims at: about 2^17 threads of four
/// columns, enough loads in flight to fill an H200 (and any smaller chip).
constexpr int64_t kTargetSegmentColumns = int64_t{1} << 19;
/// Segments at most (a power of two): stage 2 folds at most this many
/// partials per column.
constexpr int64_t kMaxSegmentsLog2 = 9;
/// Rows a segment gets at least, so the partials stay a small fraction of
/// the traffic.
constexpr int64_t kMinRowsPerSegment = 32;
/// Rows (stage 1) and partials (stage 2) loaded before they are folded.
constexpr int64_t kUnroll = 8;

struct ColumnReductionPlan : ReductionPlan {
  /// The reduction loops, outermost; the parallel ones follow.
  int64_t reductionLoops;
};

FailureOr<ColumnReductionPlan> planColumnReduction(linalg::LinalgOp op) {
  FailureOr<int64_t> reductions =
      countLeadingLoops(op, utils::IteratorType::reduction);
  if (failed(reductions))
    return failure();
  int64_t loops = op.getNumLoops();
  // The output is indexed by the parallel loops in order.
  AffineMap columnMap =
      AffineMap::getMultiDimIdentityMap(loops, op.getContext())
          .getMinorSubMap(loops - *reductions);
  FailureOr<ReductionPlan> plan = planReduction(op, columnMap);
  if (failed(plan))
    return failure();
  ColumnReductionPlan columnPlan;
  static_cast<ReductionPlan &>(columnPlan) = std::move(*plan);
  columnPlan.reductionLoops = *reductions;
  return columnPlan;
}

class ColumnReductionKernelBuilder {
public:
  ColumnReductionKernelBuilder(linalg::LinalgOp op,
                               const LoweringConfig &config,
                               const ColumnReductionPlan &plan)
      : op(op), config(config), plan(plan), b(op),
        vectorWidth(config.vectorWidth) {}

  void build() {
    Location loc = op.getLoc();
    auto index = [&](int64_t v) { return indexConstant(b, loc, v); };
    Value out = op.getDpsInitOperand(0)->get();
    outView = collapseTrailingDims(b, loc, out, 0);
    columns = dimProduct(b, loc, out, 0,
                         cast<MemRefType>(out.getType()).getRank());
    for (auto [input, kind] :
         llvm::zip_equal(op.getDpsInputs(), plan.inputs)) {
      switch (kind) {
      case ReductionInput::Value:
        inputViews.push_back(input);
        break;
      case ReductionInput::Element:
        if (!rows)
          rows = dimProduct(b, loc, input, 0, plan.reductionLoops);
        inputViews.push_back(collapseToRows(b, loc, input,
                                            plan.reductionLoops));
        break;
      case ReductionInput::PerOutput:
        inputViews.push_back(collapseTrailingDims(b, loc, input, 0));
        break;
      }
    }
    Value one = index(1);

    // S: the largest power of two up to 2^kMaxSegmentsLog2 with S x columns
    // <= kTargetSegmentColumns, at most ceil(rows / kMinRowsPerSegment), at
    // least 1. Compares and divisions by constants only: the host keeps to
    // pure arithmetic.
    Value segments = one;
    for (int64_t k = 1; k <= kMaxSegmentsLog2; ++k)
      segments = arith::SelectOp::create(
          b, loc,
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ule, columns,
                                index(kTargetSegmentColumns >> k)),
          index(int64_t{1} << k), segments);
    segments = arith::MaxUIOp::create(
        b, loc,
        arith::MinUIOp::create(
            b, loc, segments,
            arith::CeilDivUIOp::create(b, loc, rows,
                                       index(kMinRowsPerSegment))),
        one);
    Type accumulatorType = getElementTypeOrSelf(out.getType());
    Value partials = markLateAllocation(memref::AllocOp::create(
        b, loc,
        MemRefType::get({ShapedType::kDynamic, ShapedType::kDynamic},
                        accumulatorType),
        ValueRange{segments, columns}));

    int64_t threads = config.workgroup[0];
    Value chunks = arith::CeilDivUIOp::create(b, loc, columns,
                                              index(vectorWidth));
    // Stage 1: thread t takes chunk t mod chunks of segment t / chunks.
    {
      Value items = arith::MulIOp::create(b, loc, segments, chunks);
      auto launch = launchThreads(loc, items, threads);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&launch.getBody().front());
      Value item = threadIndex(loc, launch, threads);
      auto [segmentRows, usedSegments] = partition(loc, segments);
      Value used = arith::CmpIOp::create(
          b, loc, arith::CmpIPredicate::ult, item,
          arith::MulIOp::create(b, loc, usedSegments, chunks));
      auto ifUsed = scf::IfOp::create(b, loc, used, /*withElseRegion=*/false);
      b.setInsertionPointToStart(ifUsed.thenBlock());
      Value chunk = arith::RemUIOp::create(b, loc, item, chunks);
      Value segment = arith::DivUIOp::create(b, loc, item, chunks);
      Value firstRow = arith::MulIOp::create(b, loc, segment, segmentRows);
      Value endRow = arith::MinUIOp::create(
          b, loc, arith::AddIOp::create(b, loc, firstRow, segmentRows), rows);
      Value firstColumn =
          arith::MulIOp::create(b, loc, chunk, index(vectorWidth));
      SmallVector<Value> chunkColumns;
      for (int64_t k = 0; k < vectorWidth; ++k)
        chunkColumns.push_back(
            arith::AddIOp::create(b, loc, firstColumn, index(k)));
      SmallVector<Value> partialValues =
          emitSegment(loc, firstRow, endRow, firstColumn, chunkColumns);
      for (auto [column, value] : llvm::zip_equal(chunkColumns, partialValues)) {
        auto inside = scf::IfOp::create(
            b, loc,
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, column,
                                  columns),
            /*withElseRegion=*/false);
        OpBuilder::InsertionGuard storeGuard(b);
        b.setInsertionPointToStart(inside.thenBlock());
        memref::StoreOp::create(b, loc, value, partials,
                                ValueRange{segment, column});
      }
      b.setInsertionPointAfter(ifUsed);
      gpu::TerminatorOp::create(b, loc);
    }

    // Stage 2: thread c folds column c's partials in segment order.
    {
      auto launch = launchThreads(loc, columns, threads);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&launch.getBody().front());
      Value column = threadIndex(loc, launch, threads);
      Value usedSegments = partition(loc, segments).second;
      Value work = arith::AndIOp::create(
          b, loc,
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, column,
                                columns),
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt,
                                usedSegments, index(0)));
      auto ifWork = scf::IfOp::create(b, loc, work, /*withElseRegion=*/false);
      b.setInsertionPointToStart(ifWork.thenBlock());
      auto load = [&](Value segment) -> SmallVector<Value> {
        return {memref::LoadOp::create(b, loc, partials,
                                       ValueRange{segment, column})};
      };
      Value total = emitUnrolledFold(
          b, loc, one, usedSegments, /*step=*/1, kUnroll, load(index(0)),
          load,
          [&](ValueRange accumulators,
              ValueRange values) -> SmallVector<Value> {
            return {plan.combiner.combine(b, values[0], accumulators[0])};
          })[0];
      Value initial =
          memref::LoadOp::create(b, loc, outView, ValueRange{column});
      memref::StoreOp::create(b, loc,
                              plan.combiner.combine(b, total, initial),
                              outView, ValueRange{column});
      b.setInsertionPointAfter(ifWork);
      gpu::TerminatorOp::create(b, loc);
    }
    memref::DeallocOp::create(b, loc, partials);
  }

private:
  /// A 1-D grid of `threads`-thread blocks covering `count` threads (at
  /// least one block).
  gpu::LaunchOp launchThreads(Location loc, Value count, int64_t threads) {
    Value one = indexConstant(b, loc, 1);
    Value grid = arith::MaxUIOp::create(
        b, loc,
        arith::CeilDivUIOp::create(b, loc, count,
                                   indexConstant(b, loc, threads)),
        one);
    return gpu::LaunchOp::create(b, loc, grid, one, one,
                                 indexConstant(b, loc, threads), one, one);
  }

  Value threadIndex(Location loc, gpu::LaunchOp launch, int64_t threads) {
    return arith::AddIOp::create(
        b, loc,
        arith::MulIOp::create(b, loc, launch.getBlockIds().x,
                              indexConstant(b, loc, threads)),
        launch.getThreadIds().x);
  }

  /// The rows of a segment and the segments in use (the last may be
  /// shorter; every used segment has a row). Divisions by run-time values:
  /// each kernel computes them.
  std::pair<Value, Value> partition(Location loc, Value segments) {
    Value length = arith::MaxUIOp::create(
        b, loc, arith::CeilDivUIOp::create(b, loc, rows, segments),
        indexConstant(b, loc, 1));
    return {length, arith::CeilDivUIOp::create(b, loc, rows, length)};
  }

  /// The per-column values of the PerOutput inputs, read once per column.
  SmallVector<Value> perColumnValues(Location loc, Value column) {
    SmallVector<Value> values;
    for (auto [view, kind] : llvm::zip_equal(inputViews, plan.inputs))
      values.push_back(kind == ReductionInput::PerOutput
                           ? memref::LoadOp::create(b, loc, view,
                                                    ValueRange{column})
                                 .getResult()
                           : Value());
    return values;
  }

  /// The body's arguments for column k of the chunk: `rowValues` holds,
  /// per input, what was read of the row (a vector or V scalars).
  SmallVector<Value> arguments(Location loc,
                               ArrayRef<SmallVector<Value>> rowValues,
                               ArrayRef<SmallVector<Value>> perColumn,
                               int64_t k, Value accumulator, bool vectors) {
    return reductionBodyArguments(
        plan, inputViews,
        [&](unsigned input, unsigned, Value) -> Value {
          if (!vectors)
            return rowValues[input][k];
          return vector::ExtractOp::create(b, loc, rowValues[input][0], k);
        },
        [&](unsigned input, Value) { return perColumn[k][input]; },
        accumulator);
  }

  /// What the thread reads of `row` for each input: one vector of the
  /// chunk, or its V elements (columns clamped into the row: a chunk past
  /// the end reads the last column and stores nothing).
  SmallVector<SmallVector<Value>> readRow(Location loc, Value row,
                                          Value firstColumn,
                                          ArrayRef<Value> clampedColumns,
                                          bool vectors) {
    SmallVector<SmallVector<Value>> values;
    for (auto [view, kind] : llvm::zip_equal(inputViews, plan.inputs)) {
      SmallVector<Value> &read = values.emplace_back();
      if (kind != ReductionInput::Element)
        continue;
      if (vectors) {
        auto type = VectorType::get({vectorWidth},
                                    getElementTypeOrSelf(view.getType()));
        read.push_back(vector::LoadOp::create(
            b, loc, type, view, ValueRange{row, firstColumn},
            /*nontemporal=*/false,
            llvm::MaybeAlign(vectorAccessBytes(view, vectorWidth))));
        continue;
      }
      for (Value column : clampedColumns)
        read.push_back(
            memref::LoadOp::create(b, loc, view, ValueRange{row, column}));
    }
    return values;
  }

  /// The V partials of rows [firstRow, endRow) (non-empty) of the chunk.
  SmallVector<Value> foldSegment(Location loc, Value firstRow, Value endRow,
                                 Value firstColumn,
                                 ArrayRef<Value> chunkColumns, bool vectors) {
    Value last = arith::SubIOp::create(b, loc, columns,
                                       indexConstant(b, loc, 1));
    SmallVector<Value> clamped;
    SmallVector<SmallVector<Value>> perColumn;
    for (Value column : chunkColumns) {
      clamped.push_back(vectors ? column
                                : arith::MinUIOp::create(b, loc, column, last)
                                      .getResult());
      perColumn.push_back(perColumnValues(loc, clamped.back()));
    }
    Block *body = op.getBlock();
    Value accumulatorArg = body->getArgument(op.getNumDpsInputs());
    // The first row gives each column its contribution.
    SmallVector<SmallVector<Value>> first =
        readRow(loc, firstRow, firstColumn, clamped, vectors);
    SmallVector<Value> accumulators;
    for (int64_t k = 0; k < vectorWidth; ++k)
      accumulators.push_back(cloneContribution(
          b, *body, arguments(loc, first, perColumn, k, accumulatorArg, vectors),
          plan.combiner));
    // Values read per row, flattened for the fold helper.
    auto flatten = [](ArrayRef<SmallVector<Value>> nested) {
      SmallVector<Value> flat;
      for (ArrayRef<Value> values : nested)
        llvm::append_range(flat, values);
      return flat;
    };
    SmallVector<int64_t> counts;
    for (ArrayRef<Value> values : first)
      counts.push_back(static_cast<int64_t>(values.size()));
    auto unflatten = [&](ValueRange flat) {
      SmallVector<SmallVector<Value>> nested;
      int64_t at = 0;
      for (int64_t count : counts) {
        nested.emplace_back(flat.begin() + at, flat.begin() + at + count);
        at += count;
      }
      return nested;
    };
    return emitUnrolledFold(
        b, loc, arith::AddIOp::create(b, loc, firstRow,
                                      indexConstant(b, loc, 1)),
        endRow, /*step=*/1, kUnroll, accumulators,
        [&](Value row) {
          return flatten(readRow(loc, row, firstColumn, clamped, vectors));
        },
        [&](ValueRange current, ValueRange flat) {
          SmallVector<SmallVector<Value>> rowValues = unflatten(flat);
          SmallVector<Value> next;
          for (int64_t k = 0; k < vectorWidth; ++k)
            next.push_back(cloneBody(b, op,
                                     arguments(loc, rowValues, perColumn, k,
                                               current[k], vectors))[0]);
          return next;
        });
  }

  /// The chunk's partials over its segment: vector loads when every row of
  /// every element input starts on an access boundary, else element loads.
  SmallVector<Value> emitSegment(Location loc, Value firstRow, Value endRow,
                                 Value firstColumn,
                                 ArrayRef<Value> chunkColumns) {
    if (!canReadVectors(op, plan, vectorWidth))
      return foldSegment(loc, firstRow, endRow, firstColumn, chunkColumns,
                         /*vectors=*/false);
    Value aligned =
        vectorChunksAligned(b, loc, plan, inputViews, columns, vectorWidth);
    Type accumulatorType =
        op.getBlock()->getArgument(op.getNumDpsInputs()).getType();
    auto ifAligned = scf::IfOp::create(
        b, loc, SmallVector<Type>(vectorWidth, accumulatorType), aligned,
        /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifAligned.thenBlock());
    scf::YieldOp::create(b, loc,
                         foldSegment(loc, firstRow, endRow, firstColumn,
                                     chunkColumns, /*vectors=*/true));
    b.setInsertionPointToStart(ifAligned.elseBlock());
    scf::YieldOp::create(b, loc,
                         foldSegment(loc, firstRow, endRow, firstColumn,
                                     chunkColumns, /*vectors=*/false));
    return llvm::to_vector_of<Value>(ifAligned.getResults());
  }

  linalg::LinalgOp op;
  const LoweringConfig &config;
  const ColumnReductionPlan &plan;
  OpBuilder b;
  int64_t vectorWidth;
  Value rows, columns, outView;
  SmallVector<Value> inputViews;
};

struct GpuLowerColumnReductionsPass
    : vmgpu::impl::GpuLowerColumnReductionsBase<GpuLowerColumnReductionsPass> {
  void runOnOperation() override {
    auto work =
        collectOpsWithStrategy(getOperation(), Strategy::CoalescedColumns);
    if (failed(work))
      return signalPassFailure();
    for (auto &[op, config] : *work) {
      if (config.workgroup[1] != 1 || config.workgroup[2] != 1)
        continue;
      FailureOr<ColumnReductionPlan> plan = planColumnReduction(op);
      if (failed(plan))
        continue; // Declined: the fallback lowers it.
      ColumnReductionKernelBuilder(op, config, *plan).build();
      op->erase();
    }
  }
};

} // namespace
