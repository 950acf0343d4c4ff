//===- LowerRowReductions.cpp - row reductions -> one subgroup per row ----===//
//
// The strategy `warp_per_row`. A reduction over the innermost dims of
// contiguous inputs is viewed as [rows, columns]; each row is reduced by
// one subgroup (a warp, or an AMD wavefront): lane l folds columns l,
// l + W, l + 2W, ... into a private accumulator with the op's own body
// (neighbouring lanes read neighbouring elements), then the lanes' partials
// are combined by a shuffle tree with the body's combining part (the same
// scalar semantics as the CPU path: the contract's NaN and signed-zero
// rules, exact integers, 16-bit floats in the f32 accumulator the body
// widens to), and lane 0 combines the result into the output's initial
// value. The order depends only on the row length and W, so results are
// the same on every run.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Codegen/Passes.h"

#include "KernelBuilding.h"
#include "OutputFill.h"
#include "ReductionPlan.h"
#include "SubgroupReduction.h"
#include "vmgpu/Codegen/LoweringConfig.h"
#include "vmgpu/Transforms/ReductionCombiner.h"

#include "mlir/Dialect/Vector/IR/VectorOps.h"


namespace vmgpu {
#define GEN_PASS_DEF_GPULOWERROWREDUCTIONS
#include "vmgpu/Codegen/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;
using namespace vmgpu;

namespace {

/// Chunks a lane loads before folding them (their loads in flight
/// together).
constexpr int64_t kUnroll = 4;

/// The plan of a reduction of the innermost loops: the number of parallel
/// loops before them and how each input is read.
struct RowReductionPlan : ReductionPlan {
  int64_t parallelLoops;
};

FailureOr<RowReductionPlan> planRowReduction(linalg::LinalgOp op) {
  FailureOr<int64_t> parallel =
      countLeadingLoops(op, utils::IteratorType::parallel);
  if (failed(parallel))
    return failure();
  // The output is indexed by the parallel loops in order.
  AffineMap rowMap = AffineMap::getMultiDimIdentityMap(op.getNumLoops(),
                                                       op.getContext())
                         .getMajorSubMap(*parallel);
  // The body may read its position when one loop is reduced (argmax packs
  // it into its accumulator): the kernel knows each element's column.
  FailureOr<ReductionPlan> plan =
      planReduction(op, rowMap, /*allowIndex=*/op.getNumReductionLoops() == 1);
  if (failed(plan))
    return failure();
  RowReductionPlan rowPlan;
  static_cast<ReductionPlan &>(rowPlan) = std::move(*plan);
  rowPlan.parallelLoops = *parallel;
  return rowPlan;
}

class RowReductionKernelBuilder {
public:
  RowReductionKernelBuilder(linalg::LinalgOp op, const LoweringConfig &config,
                            const RowReductionPlan &plan)
      : op(op), config(config), plan(plan), b(op) {}

  void build() {
    Location loc = op.getLoc();
    int64_t parallel = plan.parallelLoops;
    Value out = op.getDpsInitOperand(0)->get();
    // The output's initial value, when a fill writes it: each row starts
    // from that value itself and the fill (a launch of its own) goes.
    // Looked up before anything is built between them.
    linalg::FillOp initialFill = findFreshOutputFill(op, out);
    if (initialFill)
      initialValue = initialFill.value();
    Value rows = dimProduct(b, loc, out, 0, parallel);
    outView = collapseTrailingDims(b, loc, out, 0);
    // The row's position in the parallel loops, for a body that reads
    // linalg.index.
    if (!op.getBlock()->getOps<linalg::IndexOp>().empty()) {
      SmallVector<Value> sizes;
      for (int64_t d = 0; d < parallel; ++d)
        sizes.push_back(memref::DimOp::create(b, loc, out, d));
      rowSizes = sizes;
    }
    Value columns;
    for (auto [input, kind] :
         llvm::zip_equal(op.getDpsInputs(), plan.inputs)) {
      switch (kind) {
      case ReductionInput::Value:
        inputViews.push_back(input);
        break;
      case ReductionInput::Element: {
        int64_t rank = cast<MemRefType>(input.getType()).getRank();
        if (!columns)
          columns = dimProduct(b, loc, input, parallel, rank);
        inputViews.push_back(collapseToRows(b, loc, input, parallel));
        break;
      }
      case ReductionInput::PerOutput:
        inputViews.push_back(collapseTrailingDims(b, loc, input, 0));
        break;
      }
    }

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
    Value zero = indexConstant(b, loc, 0);
    // Uniform across each subgroup: a subgroup is one row (workgroup[0] is
    // the subgroup size), so the shuffles below run with every lane active.
    Value rowInRange =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, row, rows);
    Value work = arith::AndIOp::create(
        b, loc, rowInRange,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt, columns,
                              zero));
    auto ifWork = scf::IfOp::create(b, loc, work,
                                    /*withElseRegion=*/initialValue != nullptr);
    b.setInsertionPointToStart(ifWork.thenBlock());
    emitRow(loc, lane, row, columns, width);
    if (initialValue) {
      // Rows of no columns are the initial value, which no fill writes now.
      b.setInsertionPointToStart(ifWork.elseBlock());
      auto ifRow =
          scf::IfOp::create(b, loc, rowInRange, /*withElseRegion=*/false);
      b.setInsertionPointToStart(ifRow.thenBlock());
      emitOnFirstLane(b, loc, lane, [&] {
        memref::StoreOp::create(b, loc, initialValue, outView, ValueRange{row});
      });
    }
    b.setInsertionPointAfter(ifWork);
    gpu::TerminatorOp::create(b, loc);
    if (initialFill)
      initialFill->erase();
  }

private:
  /// The body's block arguments for the element at [row, column]; the
  /// accumulator's slot holds `accumulator`.
  SmallVector<Value> bodyArguments(Location loc, Value row, Value column,
                                   Value accumulator) {
    return reductionBodyArguments(
        plan, inputViews,
        [&](unsigned, unsigned, Value view) -> Value {
          return memref::LoadOp::create(b, loc, view, ValueRange{row, column});
        },
        [&](unsigned, Value view) -> Value {
          return memref::LoadOp::create(b, loc, view, ValueRange{row});
        },
        accumulator);
  }

  /// The loop indices of the element at [row, column] when the body reads
  /// them (none otherwise): the row delinearized over the parallel loops,
  /// then the column (the one reduced loop).
  SmallVector<Value> position(Location loc, Value row, Value column) {
    if (!rowSizes)
      return {};
    SmallVector<Value> indices = delinearize(b, loc, row, *rowSizes);
    indices.push_back(column);
    return indices;
  }

  /// True when the rows can be read `vector_width` elements at a time.
  bool canVectorize() {
    return canReadVectors(op, plan, config.vectorWidth);
  }

  int64_t accessBytes(Value view) const {
    return vectorAccessBytes(view, config.vectorWidth);
  }


  /// The lane partials (lane 0's is the row's) of the row read one element
  /// at a time.
  Value emitScalarRow(Location loc, Value lane, Value row, Value columns,
                      int64_t width) {
    Block *body = op.getBlock();
    Value accumulatorArg = body->getArgument(op.getNumDpsInputs());
    return emitSubgroupReduction(
        b, loc, lane, columns, width,
        [&](Value column) {
          return cloneContribution(
              b, *body, bodyArguments(loc, row, column, accumulatorArg),
              plan.combiner, position(loc, row, column));
        },
        [&](Value accumulator, Value column) {
          return cloneBody(b, op, bodyArguments(loc, row, column, accumulator),
                           position(loc, row, column))[0];
        },
        plan.combiner);
  }

  /// The same with the row read in chunks of vector_width (V) elements:
  /// lane l folds chunks l, l + W, ... (each chunk's elements in order),
  /// loading kUnroll chunks before folding them.
  Value emitVectorRow(Location loc, Value lane, Value row, Value columns,
                      int64_t width) {
    int64_t vectorWidth = config.vectorWidth;
    Value chunks = arith::DivUIOp::create(
        b, loc, columns, indexConstant(b, loc, vectorWidth));
    // One vector per element input: the chunk's elements.
    auto readChunk = [&](Value chunk) {
      Value column = arith::MulIOp::create(
          b, loc, chunk, indexConstant(b, loc, vectorWidth));
      SmallVector<Value> vectors;
      for (auto [view, kind] : llvm::zip_equal(inputViews, plan.inputs)) {
        if (kind != ReductionInput::Element)
          continue;
        auto type = VectorType::get({vectorWidth},
                                    getElementTypeOrSelf(view.getType()));
        vectors.push_back(vector::LoadOp::create(
            b, loc, type, view, ValueRange{row, column},
            /*nontemporal=*/false, llvm::MaybeAlign(accessBytes(view))));
      }
      // The chunk's first column goes last, for the elements' positions.
      vectors.push_back(column);
      return vectors;
    };
    // The body's arguments for element k of the chunk.
    auto argumentsAt = [&](ValueRange vectors, int64_t k, Value accumulator) {
      return reductionBodyArguments(
          plan, inputViews,
          [&](unsigned, unsigned n, Value) -> Value {
            return vector::ExtractOp::create(b, loc, vectors[n], k);
          },
          [&](unsigned, Value view) -> Value {
            return memref::LoadOp::create(b, loc, view, ValueRange{row});
          },
          accumulator);
    };
    auto positionAt = [&](ValueRange loaded, int64_t k) {
      if (!rowSizes)
        return SmallVector<Value>();
      return position(loc, row,
                      arith::AddIOp::create(b, loc, loaded.back(),
                                            indexConstant(b, loc, k)));
    };
    return emitSubgroupChunkReduction(b, loc, op, plan.combiner, lane, chunks,
                                      width, vectorWidth, kUnroll, readChunk,
                                      argumentsAt, positionAt);
  }

  void emitRow(Location loc, Value lane, Value row, Value columns,
               int64_t width) {
    Value partial;
    if (canVectorize()) {
      Type accumulatorType =
          op.getBlock()->getArgument(op.getNumDpsInputs()).getType();
      auto ifAligned = scf::IfOp::create(b, loc, TypeRange{accumulatorType},
                                         vectorChunksAligned(b, loc, plan, inputViews,
                                                     columns, config.vectorWidth),
                                         /*withElseRegion=*/true);
      {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(ifAligned.thenBlock());
        scf::YieldOp::create(b, loc,
                             emitVectorRow(loc, lane, row, columns, width));
        b.setInsertionPointToStart(ifAligned.elseBlock());
        scf::YieldOp::create(b, loc,
                             emitScalarRow(loc, lane, row, columns, width));
      }
      partial = ifAligned.getResult(0);
    } else {
      partial = emitScalarRow(loc, lane, row, columns, width);
    }

    // Lane 0 folds the row into the output's initial value.
    emitOnFirstLane(b, loc, lane, [&] {
      Value initial = initialValue ? initialValue
                                   : memref::LoadOp::create(b, loc, outView,
                                                            ValueRange{row});
      Value result = plan.combiner.combine(b, partial, initial);
      memref::StoreOp::create(b, loc, result, outView, ValueRange{row});
    });
  }

  linalg::LinalgOp op;
  const LoweringConfig &config;
  const RowReductionPlan &plan;
  OpBuilder b;
  Value outView;
  /// The value a folded fill wrote into the output, or null.
  Value initialValue;
  SmallVector<Value> inputViews;
  /// The sizes of the parallel loops, when the body reads linalg.index.
  std::optional<SmallVector<Value>> rowSizes;
};

struct GpuLowerRowReductionsPass
    : vmgpu::impl::GpuLowerRowReductionsBase<GpuLowerRowReductionsPass> {
  void runOnOperation() override {
    auto work = collectOpsWithStrategy(getOperation(), Strategy::WarpPerRow);
    if (failed(work))
      return signalPassFailure();
    for (auto &[op, config] : *work) {
      if (!hasSubgroupRows(config))
        continue;
      FailureOr<RowReductionPlan> plan = planRowReduction(op);
      if (failed(plan))
        continue; // Declined: the fallback lowers it.
      RowReductionKernelBuilder(op, config, *plan).build();
      op->erase();
    }
  }
};

} // namespace
