//===- CpuLowerSoftmax.cpp - softmax rows, vectorized, over threads -------===//
//
// The CPU strategy `cpu_row_softmax`: linalg.softmax along the innermost
// dim (made by vm-gpu-softmax-to-linalg) becomes an scf.forall over the
// rows. Each row takes three passes, the last two over data the first one
// brought into the caches: its maximum (arith.maximumf, as the other
// paths: a NaN makes it NaN), the sum of exp(x - max) (f32 and f64 rows
// keep each exponential in the output as they go), then exp(x - max) / sum
// written out: the contract's formula literally (a divide, not a
// reciprocal), so rows holding NaN or +inf, or only -inf, give NaN. The max
// and the sum fold with vector accumulators in an order fixed by the row
// length (CpuVectorFold), so the bits do not depend on the thread count.
// 16-bit floats compute in f32 and round once. f32 exponentials use MLIR's
// polynomial approximation (vector code instead of one libm call per
// element; softmax is held to a tolerance, DESIGN.md), on every element of
// the row alike.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Codegen/Passes.h"

#include "CpuVectorFold.h"
#include "KernelBuilding.h"
#include "vmgpu/Codegen/CpuKernelConfig.h"
#include "vmgpu/Codegen/CpuTarget.h"
#include "vmgpu/Codegen/LoweringConfig.h"
#include "vmgpu/Conversion/ScalarSemantics.h"

#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Rewrite/FrozenRewritePatternSet.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace vmgpu {
#define GEN_PASS_DEF_CPULOWERSOFTMAX
#include "vmgpu/Codegen/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;
using namespace vmgpu;

namespace {

class SoftmaxBuilder {
public:
  SoftmaxBuilder(linalg::SoftmaxOp op, int64_t lanes, int64_t accumulators)
      : op(op), b(op), loc(op.getLoc()), input(op.getInput()),
        output(op.getOutput()), lanes(lanes), accumulators(accumulators) {
    auto inputType = cast<MemRefType>(input.getType());
    auto outputType = cast<MemRefType>(output.getType());
    element = inputType.getElementType();
    wide = getAccumulatorType(element);
    // vector.load needs unit-stride rows; other rows fold element by
    // element.
    if (!inputType.isLastDimUnitStride() || !outputType.isLastDimUnitStride())
      this->lanes = this->accumulators = 0;
  }

  /// Builds the loops; the exponentials they compute are in `exponentials`.
  void build();

  SmallVector<Operation *> exponentials;

private:
  Value index(int64_t v) { return indexConstant(b, loc, v); }
  bool vectorized() const { return lanes * accumulators != 0; }
  Type typeOf(Type scalar, bool vector) {
    return vector ? VectorType::get({lanes}, scalar) : scalar;
  }
  SmallVector<Value> at(Value column) {
    SmallVector<Value> indices(leading);
    indices.push_back(column);
    return indices;
  }
  /// x at `column` (and the next lanes - 1), widened.
  Value load(Value memref, Value column, bool vector) {
    Value value =
        vector ? vector::LoadOp::create(b, loc, typeOf(element, true), memref,
                                        at(column))
                     .getResult()
               : memref::LoadOp::create(b, loc, memref, at(column)).getResult();
    return wide == element
               ? value
               : arith::ExtFOp::create(b, loc, typeOf(wide, vector), value)
                     .getResult();
  }
  Value splat(Value scalar, bool vector) {
    return vector ? vector::BroadcastOp::create(
                        b, loc, typeOf(scalar.getType(), true), scalar)
                        .getResult()
                  : scalar;
  }
  Value exponential(Value column, Value max, bool vector) {
    auto exp = math::ExpOp::create(
        b, loc,
        arith::SubFOp::create(b, loc, load(input, column, vector),
                              splat(max, vector)));
    exponentials.push_back(exp);
    return exp;
  }
  void store(Value value, Value column, bool vector) {
    if (vector)
      vector::StoreOp::create(b, loc, value, output, at(column));
    else
      memref::StoreOp::create(b, loc, value, output, at(column));
  }
  /// out = exp(x - max) / sum at `column`, from the stored exponential
  /// (f32, f64) or a new one, rounded once to a 16-bit type.
  void normalize(Value column, Value max, Value sum, bool vector) {
    Value numerator = wide == element ? load(output, column, vector)
                                      : exponential(column, max, vector);
    Value quotient =
        arith::DivFOp::create(b, loc, numerator, splat(sum, vector));
    if (wide != element)
      quotient = buildFloatTruncate(b, loc, quotient, element);
    store(quotient, column, vector);
  }

  linalg::SoftmaxOp op;
  OpBuilder b;
  Location loc;
  Value input, output;
  int64_t lanes, accumulators;
  Type element, wide;
  SmallVector<Value> leading;
};

void SoftmaxBuilder::build() {
  auto type = cast<MemRefType>(output.getType());
  int64_t rank = type.getRank();
  SmallVector<Value> leadingSizes;
  for (int64_t d = 0; d + 1 < rank; ++d)
    leadingSizes.push_back(memref::DimOp::create(b, loc, output, d));
  Value rows = dimProduct(b, loc, output, 0, rank - 1);
  Value columns = memref::DimOp::create(b, loc, input, rank - 1);
  Value work = arith::SelectOp::create(
      b, loc,
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt, columns,
                            index(0)),
      rows, index(0));
  auto loop = scf::ForallOp::create(b, loc, ArrayRef<OpFoldResult>{work},
                                    ValueRange{}, std::nullopt);
  b.setInsertionPointToStart(loop.getBody());
  // The row's leading indices, innermost leading dim fastest.
  leading.resize(leadingSizes.size());
  Value rest = loop.getInductionVar(0);
  for (int64_t d = static_cast<int64_t>(leadingSizes.size()) - 1; d >= 0; --d) {
    if (d == 0) {
      leading[d] = rest;
      break;
    }
    leading[d] = arith::RemUIOp::create(b, loc, rest, leadingSizes[d]);
    rest = arith::DivUIOp::create(b, loc, rest, leadingSizes[d]);
  }

  auto maximum = [&](Value x, Value y) -> Value {
    return arith::MaximumFOp::create(b, loc, x, y);
  };
  auto add = [&](Value x, Value y) -> Value {
    return arith::AddFOp::create(b, loc, x, y);
  };
  Value zero = index(0);
  auto loadInput = [&](Value column, bool vector) {
    return load(input, column, vector);
  };
  Value max =
      emitVectorFold(b, loc, zero, columns, lanes, accumulators, wide,
                     {loadInput,
                      [&](Value accumulator, Value column, bool vector) {
                        return maximum(accumulator, loadInput(column, vector));
                      },
                      maximum});
  // Each exponential is computed once here; f32/f64 rows keep it in the
  // output for the last pass.
  auto kept = [&](Value column, bool vector) {
    Value e = exponential(column, max, vector);
    if (wide == element)
      store(e, column, vector);
    return e;
  };
  Value sum =
      emitVectorFold(b, loc, zero, columns, lanes, accumulators, wide,
                     {kept,
                      [&](Value accumulator, Value column, bool vector) {
                        return add(accumulator, kept(column, vector));
                      },
                      add});

  // The last pass: whole vectors (f32, f64), then element by element.
  Value tailStart = zero;
  if (vectorized() && wide == element) {
    tailStart = arith::SubIOp::create(
        b, loc, columns, arith::RemUIOp::create(b, loc, columns, index(lanes)));
    auto vectors = scf::ForOp::create(b, loc, zero, tailStart, index(lanes));
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPoint(vectors.getBody()->getTerminator());
    normalize(vectors.getInductionVar(), max, sum, /*vector=*/true);
  }
  auto scalars = scf::ForOp::create(b, loc, tailStart, columns, index(1));
  b.setInsertionPoint(scalars.getBody()->getTerminator());
  normalize(scalars.getInductionVar(), max, sum, /*vector=*/false);
  op->erase();
}

bool isLowerable(linalg::SoftmaxOp op) {
  auto input = dyn_cast<MemRefType>(op.getInput().getType());
  auto output = dyn_cast<MemRefType>(op.getOutput().getType());
  return input && output && input.getRank() >= 1 &&
         op.getDimension() == static_cast<uint64_t>(input.getRank() - 1) &&
         isa<FloatType>(input.getElementType()) &&
         input.getElementType() == output.getElementType();
}

struct CpuLowerSoftmaxPass
    : vmgpu::impl::CpuLowerSoftmaxBase<CpuLowerSoftmaxPass> {
  using Base::Base;

  LogicalResult initialize(MLIRContext *context) override {
    RewritePatternSet patterns(context);
    populateMathPolynomialApproximationPatterns(patterns, [](StringRef name) {
      return name == math::ExpOp::getOperationName();
    });
    approximations = FrozenRewritePatternSet(std::move(patterns));
    return success();
  }

  void runOnOperation() override {
    std::optional<CpuTargetDescription> cpu = lookupCpuTarget(target);
    if (!cpu) {
      getOperation().emitError()
          << "vm-cpu-lower-softmax: unknown target '" << target << "'";
      return signalPassFailure();
    }
    SmallVector<linalg::SoftmaxOp> softmaxes;
    getOperation().walk([&](linalg::SoftmaxOp op) { softmaxes.push_back(op); });
    SmallVector<Operation *> exponentials;
    for (linalg::SoftmaxOp op : softmaxes) {
      // No other lowering takes a linalg.softmax: this pass must.
      if (!isLowerable(op)) {
        op.emitOpError("vm-cpu-lower-softmax: only a softmax along the "
                       "innermost dim of buffers of floats is lowered");
        return signalPassFailure();
      }
      FailureOr<std::optional<LoweringConfig>> existing = getLoweringConfig(op);
      if (failed(existing))
        return signalPassFailure();
      LoweringConfig config =
          *existing ? **existing : chooseCpuSoftmaxConfig(op, *cpu);
      int64_t rank = cast<MemRefType>(op.getOutput().getType()).getRank();
      int64_t step = config.registerTiles.size() == static_cast<size_t>(rank)
                         ? config.registerTiles.back()
                         : 0;
      if (config.strategy != Strategy::CpuRowSoftmax || step <= 0 ||
          step % config.vectorWidth != 0) {
        op.emitOpError() << "lowering config: vm-cpu-lower-softmax needs "
                            "strategy 'cpu_row_softmax' with a register tile "
                            "on the innermost dim that is a multiple of "
                            "'vector_width'";
        return signalPassFailure();
      }
      SoftmaxBuilder builder(op, config.vectorWidth, step / config.vectorWidth);
      builder.build();
      llvm::append_range(exponentials, builder.exponentials);
    }
    // Only the exponentials built here: an elementwise vm.exp keeps the
    // libm call.
    if (!exponentials.empty() &&
        failed(applyOpPatternsGreedily(exponentials, approximations)))
      return signalPassFailure();
  }

  FrozenRewritePatternSet approximations;
};

} // namespace
