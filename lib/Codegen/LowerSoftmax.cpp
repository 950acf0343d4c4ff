//===- LowerSoftmax.cpp - softmax rows -> one kernel ----------------------===//
//
// The strategy `subgroup_softmax`: linalg.softmax along the innermost dim
// (made by vm-gpu-softmax-to-linalg) becomes one kernel with one subgroup
// per row. The subgroup computes the row's maximum (arith.maximumf, as the
// CPU path: a NaN makes it NaN), then the sum of exp(x - max), both with a
// lane-strided fold and a shuffle tree, broadcasts each from lane 0, and
// writes exp(x - max) / sum: the contract's formula literally (a divide, not
// a reciprocal), so rows holding NaN or +inf, or only -inf, give NaN.
// 16-bit floats compute in f32 and round once. The row is read three times
// by the same subgroup in quick succession: from memory once, then from
// the caches, with one write. The elementwise op that alone reads the
// softmax's (temporary) output, such as the rounding of an f32 softmax to
// f16, runs on each quotient before the store (ContractionEpilogue.h): one
// write of its result instead of a write, a read and a write.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Codegen/Passes.h"

#include "ContractionEpilogue.h"
#include "KernelBuilding.h"
#include "SubgroupReduction.h"
#include "SubgroupShuffle.h"
#include "vmgpu/Codegen/LoweringConfig.h"
#include "vmgpu/Conversion/ScalarSemantics.h"

#include "mlir/Dialect/Math/IR/Math.h"

namespace vmgpu {
#define GEN_PASS_DEF_GPULOWERSOFTMAX
#include "vmgpu/Codegen/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;
using namespace vmgpu;

namespace {

bool isLowerable(linalg::SoftmaxOp op) {
  auto input = dyn_cast<MemRefType>(op.getInput().getType());
  auto output = dyn_cast<MemRefType>(op.getOutput().getType());
  return input && output && input.getRank() >= 1 &&
         op.getDimension() == static_cast<uint64_t>(input.getRank() - 1) &&
         isa<FloatType>(input.getElementType()) &&
         input.getElementType() == output.getElementType() &&
         !op->getParentOfType<gpu::LaunchOp>();
}

/// Softmax element `value` (the softmax's element type) at `indices` as
/// stored: itself, or `epilogue`'s result for it.
Value storedValue(OpBuilder &b, Location loc, linalg::SoftmaxOp op,
                  ContractionEpilogue *epilogue, Value value,
                  ValueRange indices) {
  return epilogue ? emitEpilogueElement(b, loc, *epilogue, op.getOutput(),
                                        value, indices)
                  : value;
}

/// Stores softmax element `value` at `indices`: into the softmax's output,
/// or through `epilogue` into its.
void storeQuotient(OpBuilder &b, Location loc, linalg::SoftmaxOp op,
                   ContractionEpilogue *epilogue, Value value,
                   ValueRange indices) {
  memref::StoreOp::create(
      b, loc, storedValue(b, loc, op, epilogue, value, indices),
      epilogue ? epilogue->output() : op.getOutput(), indices);
}

void lowerSoftmax(linalg::SoftmaxOp op, const LoweringConfig &config,
                  ContractionEpilogue *epilogue) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  Value input = op.getInput(), output = op.getOutput();
  auto type = cast<MemRefType>(input.getType());
  int64_t rank = type.getRank();
  Type element = type.getElementType();
  Type wide = getAccumulatorType(element);
  auto index = [&](int64_t v) { return indexConstant(b, loc, v); };

  SmallVector<Value> leadingSizes;
  for (int64_t d = 0; d + 1 < rank; ++d)
    leadingSizes.push_back(memref::DimOp::create(b, loc, output, d));
  Value rows = dimProduct(b, loc, output, 0, rank - 1);
  Value columns = memref::DimOp::create(b, loc, input, rank - 1);

  int64_t width = config.workgroup[0];
  int64_t perBlock = config.workgroup[1];
  Value one = index(1);
  Value grid = arith::MaxUIOp::create(
      b, loc, arith::CeilDivUIOp::create(b, loc, rows, index(perBlock)), one);
  auto launch = gpu::LaunchOp::create(b, loc, grid, one, one, index(width),
                                      index(perBlock), one);
  b.setInsertionPointToStart(&launch.getBody().front());
  Value lane = launch.getThreadIds().x;
  Value row = arith::AddIOp::create(
      b, loc,
      arith::MulIOp::create(b, loc, launch.getBlockIds().x, index(perBlock)),
      launch.getThreadIds().y);
  // Uniform per subgroup: one subgroup, one row.
  Value work = arith::AndIOp::create(
      b, loc,
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, row, rows),
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt, columns,
                            index(0)));
  auto ifWork = scf::IfOp::create(b, loc, work, /*withElseRegion=*/false);
  b.setInsertionPointToStart(ifWork.thenBlock());

  // The row's leading indices, innermost leading dim fastest.
  SmallVector<Value> leading = delinearize(b, loc, row, leadingSizes);
  auto indicesAt = [&](Value column) {
    SmallVector<Value> indices(leading);
    indices.push_back(column);
    return indices;
  };
  auto widen = [&](Value v) -> Value {
    return v.getType() == wide ? v : arith::ExtFOp::create(b, loc, wide, v);
  };
  auto load = [&](Value column) {
    return widen(memref::LoadOp::create(b, loc, input, indicesAt(column)));
  };
  auto maximum = [&](Value x, Value y) -> Value {
    return arith::MaximumFOp::create(b, loc, x, y);
  };
  auto add = [&](Value x, Value y) -> Value {
    return arith::AddFOp::create(b, loc, x, y);
  };

  Value max = emitSubgroupReduction(
      b, loc, lane, columns, width, load,
      [&](Value accumulator, Value column) {
        return maximum(accumulator, load(column));
      },
      [&](Value other, Value mine) { return maximum(mine, other); });
  max = shuffleFromLane(b, loc, max, 0, width);
  auto exponential = [&](Value column) -> Value {
    return math::ExpOp::create(
        b, loc, arith::SubFOp::create(b, loc, load(column), max));
  };
  Value sum = emitSubgroupReduction(
      b, loc, lane, columns, width, exponential,
      [&](Value accumulator, Value column) {
        return add(accumulator, exponential(column));
      },
      [&](Value other, Value mine) { return add(mine, other); });
  sum = shuffleFromLane(b, loc, sum, 0, width);

  auto loop = scf::ForOp::create(b, loc, lane, columns, index(width));
  b.setInsertionPointToStart(loop.getBody());
  Value quotient = arith::DivFOp::create(
      b, loc, exponential(loop.getInductionVar()), sum);
  if (wide != element)
    quotient = buildFloatTruncate(b, loc, quotient, element);
  storeQuotient(b, loc, op, epilogue, quotient,
                indicesAt(loop.getInductionVar()));
  b.setInsertionPointAfter(ifWork);
  gpu::TerminatorOp::create(b, loc);
  op->erase();
}

/// Chunks of vector_width elements a thread of `block_softmax` keeps in
/// registers: rows of up to threads x V x 8 elements (8192 f32 with 256
/// threads) are read once.
constexpr int64_t kRegisterChunks = 8;
/// Elements a thread of the online path loads before folding them.
constexpr int64_t kOnlineUnroll = 4;

/// The kernel of `block_softmax`: one block of workgroup[1] subgroups of
/// workgroup[0] lanes per row.
class BlockSoftmaxBuilder {
public:
  BlockSoftmaxBuilder(linalg::SoftmaxOp op, const LoweringConfig &config,
                      ContractionEpilogue *epilogue)
      : op(op), epilogue(epilogue), b(op), subgroupSize(config.workgroup[0]),
        subgroups(config.workgroup[1]),
        threads(config.workgroup[0] * config.workgroup[1]),
        vectorWidth(config.vectorWidth) {
    auto type = cast<MemRefType>(op.getInput().getType());
    element = type.getElementType();
    wide = getAccumulatorType(element);
  }

  void build() {
    Location loc = op.getLoc();
    Value input = op.getInput(), output = op.getOutput();
    int64_t rank = cast<MemRefType>(input.getType()).getRank();
    for (int64_t d = 0; d + 1 < rank; ++d)
      leadingSizes.push_back(memref::DimOp::create(b, loc, output, d));
    Value rows = dimProduct(b, loc, output, 0, rank - 1);
    columns = memref::DimOp::create(b, loc, input, rank - 1);
    // Rows held in registers are read through [rows, columns] views, which
    // need contiguous buffers; others use full indices.
    Value stored = epilogue ? epilogue->output() : output;
    bool registerRows =
        vectorWidth > 1 && isContiguous(input.getType()) &&
        isContiguous(stored.getType()) &&
        llvm::isPowerOf2_32(element.getIntOrFloatBitWidth()) &&
        llvm::isPowerOf2_32(
            getElementTypeOrSelf(stored.getType()).getIntOrFloatBitWidth());
    if (registerRows) {
      inputRows = collapseToRows(b, loc, input, rank - 1);
      outputRows = collapseToRows(b, loc, stored, rank - 1);
    }

    Value one = index(loc, 1);
    auto workgroup = gpu::AddressSpaceAttr::get(
        b.getContext(), gpu::AddressSpace::Workgroup);
    auto bufferType =
        MemRefType::get({subgroups}, wide, MemRefLayoutAttrInterface(),
                        workgroup);
    auto launch = gpu::LaunchOp::create(
        b, loc, arith::MaxUIOp::create(b, loc, rows, one), one, one,
        index(loc, threads), one, one, /*dynamicSharedMemorySize=*/nullptr,
        /*asyncTokenType=*/nullptr, /*asyncDependencies=*/{},
        TypeRange{bufferType, bufferType});
    buffers = {launch.getWorkgroupAttributions()[0],
               launch.getWorkgroupAttributions()[1]};
    b.setInsertionPointToStart(&launch.getBody().front());
    thread = launch.getThreadIds().x;
    lane = arith::RemUIOp::create(b, loc, thread, index(loc, subgroupSize));
    subgroup = arith::DivUIOp::create(b, loc, thread, index(loc, subgroupSize));
    row = launch.getBlockIds().x;
    // Uniform per block: one block, one row.
    Value work = arith::AndIOp::create(
        b, loc,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, row, rows),
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt, columns,
                              index(loc, 0)));
    auto ifWork = scf::IfOp::create(b, loc, work, /*withElseRegion=*/false);
    b.setInsertionPointToStart(ifWork.thenBlock());
    computeLeadingIndices(loc);
    if (registerRows) {
      auto ifFits = scf::IfOp::create(b, loc, rowFitsRegisters(loc),
                                      /*withElseRegion=*/true);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(ifFits.thenBlock());
      emitRegisterRow(loc);
      b.setInsertionPointToStart(ifFits.elseBlock());
      emitOnlineRow(loc);
    } else {
      emitOnlineRow(loc);
    }
    b.setInsertionPointAfter(ifWork);
    gpu::TerminatorOp::create(b, loc);
    op->erase();
  }

private:
  Value index(Location loc, int64_t v) { return indexConstant(b, loc, v); }

  Value widen(Location loc, Value v) {
    return v.getType() == wide ? v : arith::ExtFOp::create(b, loc, wide, v);
  }

  Value narrow(Location loc, Value v) {
    return wide == element ? v : buildFloatTruncate(b, loc, v, element);
  }

  Value negativeInfinity(Location loc) {
    auto type = cast<FloatType>(wide);
    return arith::ConstantOp::create(
        b, loc, b.getFloatAttr(type, APFloat::getInf(type.getFloatSemantics(),
                                                     /*Negative=*/true)));
  }

  void computeLeadingIndices(Location loc) {
    leading = delinearize(b, loc, row, leadingSizes);
  }

  SmallVector<Value> indicesAt(Value column) {
    SmallVector<Value> indices(leading);
    indices.push_back(column);
    return indices;
  }

  /// True (uniform) when the row is kept in registers: a multiple of V
  /// elements, at most threads x V x kRegisterChunks of them, on aligned
  /// bases.
  Value rowFitsRegisters(Location loc) {
    Value fits = arith::AndIOp::create(
        b, loc,
        arith::CmpIOp::create(
            b, loc, arith::CmpIPredicate::eq,
            arith::RemUIOp::create(b, loc, columns, index(loc, vectorWidth)),
            index(loc, 0)),
        arith::CmpIOp::create(
            b, loc, arith::CmpIPredicate::ule, columns,
            index(loc, threads * vectorWidth * kRegisterChunks)));
    fits = andBaseAligned(b, loc, fits, inputRows,
                          vectorAccessBytes(inputRows, vectorWidth));
    return andBaseAligned(b, loc, fits, outputRows,
                          vectorAccessBytes(outputRows, vectorWidth));
  }

  /// Combines `values` across the block in a fixed order: a shuffle-down
  /// tree in each subgroup, lane 0 of each subgroup storing value i to
  /// `slots[i]` (workgroup memory), a barrier, then every thread folds the
  /// subgroups' values in subgroup order. Returns the block's values in
  /// every thread. Each slot is written once per kernel, so no barrier is
  /// needed after the reads.
  SmallVector<Value> reduceBlock(
      Location loc, SmallVector<Value> values, ArrayRef<Value> slots,
      function_ref<SmallVector<Value>(ValueRange other, ValueRange mine)>
          combine) {
    for (int64_t k = subgroupSize / 2; k >= 1; k /= 2) {
      SmallVector<Value> others;
      for (Value value : values)
        others.push_back(shuffleDown(b, loc, value, k, subgroupSize));
      // Lanes at or above k combine values nobody reads.
      values = combine(others, values);
    }
    auto isFirstLane = scf::IfOp::create(
        b, loc,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, lane,
                              index(loc, 0)),
        /*withElseRegion=*/false);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(isFirstLane.thenBlock());
      for (auto [value, slot] : llvm::zip_equal(values, slots))
        memref::StoreOp::create(b, loc, value, slot, ValueRange{subgroup});
    }
    gpu::BarrierOp::create(b, loc);
    auto readSubgroup = [&](int64_t s) {
      SmallVector<Value> read;
      for (size_t i = 0; i < values.size(); ++i)
        read.push_back(memref::LoadOp::create(b, loc, slots[i],
                                              ValueRange{index(loc, s)}));
      return read;
    };
    SmallVector<Value> total = readSubgroup(0);
    for (int64_t s = 1; s < subgroups; ++s)
      total = combine(readSubgroup(s), total);
    return total;
  }

  Value reduceBlockScalar(Location loc, Value value, Value slot,
                          function_ref<Value(Value, Value)> combine) {
    return reduceBlock(loc, {value}, {slot},
                       [&](ValueRange other, ValueRange mine) {
                         return SmallVector<Value>{combine(other[0], mine[0])};
                       })[0];
  }

  /// The row held in registers: thread t loads chunks t, t + T, ... (at
  /// most kRegisterChunks), then max, sum of exponentials and the quotients
  /// come from registers; one read and one write of the row.
  void emitRegisterRow(Location loc) {
    Value chunks =
        arith::DivUIOp::create(b, loc, columns, index(loc, vectorWidth));
    auto loadType = VectorType::get({vectorWidth}, element);
    Value minusInf = negativeInfinity(loc);
    SmallVector<Value> valid, columnOf;
    SmallVector<SmallVector<Value>> values;
    for (int64_t j = 0; j < kRegisterChunks; ++j) {
      Value chunk = arith::AddIOp::create(b, loc, thread,
                                          index(loc, j * threads));
      valid.push_back(arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                            chunk, chunks));
      columnOf.push_back(
          arith::MulIOp::create(b, loc, chunk, index(loc, vectorWidth)));
      // Chunks past the row read as -inf: they change neither the maximum
      // nor the sum (exp(-inf) = 0) and are not written.
      auto ifValid = scf::IfOp::create(b, loc, TypeRange(SmallVector<Type>(
                                                   vectorWidth, wide)),
                                       valid.back(), /*withElseRegion=*/true);
      {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(ifValid.thenBlock());
        Value loaded = vector::LoadOp::create(
            b, loc, loadType, inputRows, ValueRange{row, columnOf.back()},
            /*nontemporal=*/false,
            llvm::MaybeAlign(vectorAccessBytes(inputRows, vectorWidth)));
        SmallVector<Value> elements;
        for (int64_t k = 0; k < vectorWidth; ++k)
          elements.push_back(
              widen(loc, vector::ExtractOp::create(b, loc, loaded, k)));
        scf::YieldOp::create(b, loc, elements);
        b.setInsertionPointToStart(ifValid.elseBlock());
        scf::YieldOp::create(b, loc,
                             SmallVector<Value>(vectorWidth, minusInf));
      }
      values.push_back(llvm::to_vector_of<Value>(ifValid.getResults()));
    }
    Value max = minusInf;
    for (ArrayRef<Value> chunk : values)
      for (Value x : chunk)
        max = arith::MaximumFOp::create(b, loc, max, x);
    max = reduceBlockScalar(loc, max, buffers[0], [&](Value other, Value mine) {
      return arith::MaximumFOp::create(b, loc, mine, other).getResult();
    });
    Value sum;
    for (SmallVector<Value> &chunk : values)
      for (Value &x : chunk) {
        x = math::ExpOp::create(b, loc, arith::SubFOp::create(b, loc, x, max));
        sum = sum ? arith::AddFOp::create(b, loc, sum, x).getResult() : x;
      }
    sum = reduceBlockScalar(loc, sum, buffers[1], [&](Value other, Value mine) {
      return arith::AddFOp::create(b, loc, mine, other).getResult();
    });
    auto storeType = VectorType::get(
        {vectorWidth}, getElementTypeOrSelf(outputRows.getType()));
    for (int64_t j = 0; j < kRegisterChunks; ++j) {
      auto ifValid = scf::IfOp::create(b, loc, valid[j],
                                       /*withElseRegion=*/false);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(ifValid.thenBlock());
      SmallVector<Value> quotients;
      for (auto [k, e] : llvm::enumerate(values[j])) {
        Value quotient = narrow(loc, arith::DivFOp::create(b, loc, e, sum));
        quotients.push_back(
            epilogue ? storedValue(b, loc, op, epilogue, quotient,
                                   indicesAt(arith::AddIOp::create(
                                       b, loc, columnOf[j], index(loc, k))))
                     : quotient);
      }
      Value vector =
          vector::FromElementsOp::create(b, loc, storeType, quotients);
      vector::StoreOp::create(
          b, loc, vector, outputRows, ValueRange{row, columnOf[j]},
          /*nontemporal=*/false,
          llvm::MaybeAlign(vectorAccessBytes(outputRows, vectorWidth)));
    }
  }

  /// (max, sum) after taking in `x`: the sum rescaled to the new maximum.
  /// While the maximum is -inf (only -inf so far) the sum stays 0, so a
  /// row of -inf ends as the formula's exp(-inf - -inf) / 0 = NaN in the
  /// second pass and -inf elements before a finite one add nothing.
  std::pair<Value, Value> combineRunning(Location loc, Value maxA, Value sumA,
                                         Value maxB, Value sumB) {
    Value max = arith::MaximumFOp::create(b, loc, maxA, maxB);
    auto rescaled = [&](Value m, Value s) -> Value {
      return arith::MulFOp::create(
          b, loc, s,
          math::ExpOp::create(b, loc, arith::SubFOp::create(b, loc, m, max)));
    };
    Value sum = arith::AddFOp::create(b, loc, rescaled(maxA, sumA),
                                      rescaled(maxB, sumB));
    Value onlyMinusInf = arith::CmpFOp::create(
        b, loc, arith::CmpFPredicate::OEQ, max, negativeInfinity(loc));
    Value zero = arith::ConstantOp::create(b, loc, b.getFloatAttr(wide, 0.0));
    return {max, arith::SelectOp::create(b, loc, onlyMinusInf, zero, sum)};
  }

  /// Rows that do not fit in registers (or strided views): pass 1 keeps a
  /// running maximum and a sum rescaled to it per thread (columns t,
  /// t + T, ...), combined across the block; pass 2 writes
  /// exp(x - max) / sum. Two reads and one write.
  void emitOnlineRow(Location loc) {
    Value input = op.getInput();
    Value zero = arith::ConstantOp::create(b, loc, b.getFloatAttr(wide, 0.0));
    auto load = [&](Value column) {
      return widen(loc,
                   memref::LoadOp::create(b, loc, input, indicesAt(column)));
    };
    SmallVector<Value> running = emitUnrolledFold(
        b, loc, thread, columns, threads, kOnlineUnroll,
        ValueRange{negativeInfinity(loc), zero},
        [&](Value column) { return SmallVector<Value>{load(column)}; },
        [&](ValueRange current, ValueRange x) -> SmallVector<Value> {
          Value one =
              arith::ConstantOp::create(b, loc, b.getFloatAttr(wide, 1.0));
          auto [max, sum] =
              combineRunning(loc, current[0], current[1], x[0], one);
          return {max, sum};
        });
    SmallVector<Value> total = reduceBlock(
        loc, running, buffers, [&](ValueRange other, ValueRange mine) {
          auto [max, sum] =
              combineRunning(loc, mine[0], mine[1], other[0], other[1]);
          return SmallVector<Value>{max, sum};
        });
    auto loop = scf::ForOp::create(b, loc, thread, columns,
                                   index(loc, threads));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    Value column = loop.getInductionVar();
    Value e = math::ExpOp::create(
        b, loc, arith::SubFOp::create(b, loc, load(column), total[0]));
    storeQuotient(b, loc, op, epilogue,
                  narrow(loc, arith::DivFOp::create(b, loc, e, total[1])),
                  indicesAt(column));
  }

  linalg::SoftmaxOp op;
  ContractionEpilogue *epilogue;
  OpBuilder b;
  int64_t subgroupSize, subgroups, threads, vectorWidth;
  Type element, wide;
  Value columns, inputRows, outputRows;
  Value thread, lane, subgroup, row;
  SmallVector<Value> leadingSizes, leading;
  std::array<Value, 2> buffers;
};

struct GpuLowerSoftmaxPass
    : vmgpu::impl::GpuLowerSoftmaxBase<GpuLowerSoftmaxPass> {
  void runOnOperation() override {
    SmallVector<linalg::SoftmaxOp> softmaxes;
    getOperation().walk(
        [&](linalg::SoftmaxOp op) { softmaxes.push_back(op); });
    for (linalg::SoftmaxOp op : softmaxes) {
      FailureOr<std::optional<LoweringConfig>> config = getLoweringConfig(op);
      if (failed(config))
        return signalPassFailure();
      // No other lowering takes a linalg.softmax: this pass must.
      if (!isLowerable(op)) {
        op.emitOpError("vm-gpu-lower-softmax: only a softmax along the "
                       "innermost dim of buffers of floats is lowered");
        return signalPassFailure();
      }
      LoweringConfig chosen;
      chosen.workgroup = {32, 8, 1};
      chosen.strategy = Strategy::SubgroupSoftmax;
      if (*config)
        chosen = **config;
      int64_t width = chosen.workgroup[0];
      if ((width != 32 && width != 64) || chosen.workgroup[2] != 1 ||
          (chosen.strategy != Strategy::SubgroupSoftmax &&
           chosen.strategy != Strategy::BlockSoftmax)) {
        op.emitOpError("vm-gpu-lower-softmax: needs strategy "
                       "'subgroup_softmax' or 'block_softmax' and workgroup "
                       "[32 or 64, y, 1]");
        return signalPassFailure();
      }
      std::optional<ContractionEpilogue> epilogue =
          findElementwiseEpilogue(op, op.getOutput(), /*fill=*/nullptr);
      ContractionEpilogue *fused = epilogue ? &*epilogue : nullptr;
      if (chosen.strategy == Strategy::BlockSoftmax)
        BlockSoftmaxBuilder(op, chosen, fused).build();
      else
        lowerSoftmax(op, chosen, fused);
      if (epilogue)
        eraseContractionEpilogue(*epilogue);
    }
  }
};

} // namespace
