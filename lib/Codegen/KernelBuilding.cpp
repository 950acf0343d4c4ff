//===- KernelBuilding.cpp - helpers the GPU strategies share ---------------===//

#include "KernelBuilding.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;

Value vmgpu::indexConstant(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

bool vmgpu::isContiguous(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && memref.getLayout().isIdentity();
}

static Value collapse(OpBuilder &b, Location loc, Value memref,
                      ArrayRef<ReassociationIndices> groups) {
  return memref::CollapseShapeOp::create(b, loc, memref, groups);
}

Value vmgpu::collapseTrailingDims(OpBuilder &b, Location loc, Value memref,
                                  int64_t from) {
  int64_t rank = cast<MemRefType>(memref.getType()).getRank();
  if (rank - from <= 1)
    return memref;
  SmallVector<ReassociationIndices> groups;
  for (int64_t d = 0; d < from; ++d)
    groups.push_back({d});
  ReassociationIndices rest;
  for (int64_t d = from; d < rank; ++d)
    rest.push_back(d);
  groups.push_back(rest);
  return collapse(b, loc, memref, groups);
}

Value vmgpu::collapseToRows(OpBuilder &b, Location loc, Value memref,
                            int64_t to) {
  int64_t rank = cast<MemRefType>(memref.getType()).getRank();
  ReassociationIndices rows, columns;
  for (int64_t d = 0; d < to; ++d)
    rows.push_back(d);
  for (int64_t d = to; d < rank; ++d)
    columns.push_back(d);
  if (rows.size() == 1 && columns.size() == 1)
    return memref;
  return collapse(b, loc, memref, {rows, columns});
}

Value vmgpu::dimProduct(OpBuilder &b, Location loc, Value memref,
                        int64_t from, int64_t to) {
  Value product = indexConstant(b, loc, 1);
  for (int64_t d = from; d < to; ++d)
    product = arith::MulIOp::create(b, loc, product,
                                    memref::DimOp::create(b, loc, memref, d));
  return product;
}

void vmgpu::cloneWithLoopIndices(OpBuilder &b, Operation &op,
                                 IRMapping &mapping,
                                 ArrayRef<Value> loopIndices) {
  if (auto index = dyn_cast<linalg::IndexOp>(op)) {
    mapping.map(index.getResult(), loopIndices[index.getDim()]);
    return;
  }
  b.clone(op, mapping);
}

SmallVector<Value> vmgpu::cloneBody(OpBuilder &b, linalg::LinalgOp op,
                                    ValueRange args,
                                    ArrayRef<Value> loopIndices) {
  IRMapping mapping;
  mapping.map(op.getBlock()->getArguments(), args);
  return cloneBody(b, op, mapping, loopIndices);
}

SmallVector<Value> vmgpu::cloneBody(OpBuilder &b, linalg::LinalgOp op,
                                    IRMapping &mapping,
                                    ArrayRef<Value> loopIndices) {
  Block *body = op.getBlock();
  for (Operation &inner : body->without_terminator()) {
    bool computed = inner.getNumResults() != 0 &&
                    llvm::all_of(inner.getResults(), [&](Value result) {
                      return mapping.contains(result);
                    });
    if (!computed)
      cloneWithLoopIndices(b, inner, mapping, loopIndices);
  }
  SmallVector<Value> results;
  for (Value yielded : body->getTerminator()->getOperands())
    results.push_back(mapping.lookupOrDefault(yielded));
  return results;
}

bool vmgpu::isLowerableOnBuffers(linalg::LinalgOp op) {
  return op.hasPureBufferSemantics() &&
         !op->getParentOfType<gpu::LaunchOp>() &&
         op.getBlock()->getOps<linalg::IndexOp>().empty();
}

FailureOr<SmallVector<std::pair<linalg::LinalgOp, vmgpu::LoweringConfig>>>
vmgpu::collectOpsWithStrategy(Operation *root, Strategy strategy) {
  SmallVector<std::pair<linalg::LinalgOp, LoweringConfig>> ops;
  WalkResult walk = root->walk([&](linalg::LinalgOp op) {
    FailureOr<std::optional<LoweringConfig>> config = getLoweringConfig(op);
    if (failed(config))
      return WalkResult::interrupt();
    if (*config && (*config)->strategy == strategy)
      ops.emplace_back(op, **config);
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  return ops;
}

int64_t vmgpu::vectorAccessBytes(Value view, int64_t vectorWidth) {
  return vectorWidth *
         getElementTypeOrSelf(view.getType()).getIntOrFloatBitWidth() / 8;
}

Value vmgpu::andBaseAligned(OpBuilder &b, Location loc, Value aligned,
                            Value view, int64_t bytes) {
  Value pointer = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, view);
  Value misalignment =
      arith::RemUIOp::create(b, loc, pointer, indexConstant(b, loc, bytes));
  return arith::AndIOp::create(
      b, loc, aligned,
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, misalignment,
                            indexConstant(b, loc, 0)));
}

/// The fewer than `unroll` indices `from, from + step, ...` below `end`
/// folded into `accumulators` with one group of reads (emitUnrolledFold's
/// FoldTail::GuardedGroup).
static SmallVector<Value> emitGuardedGroup(
    OpBuilder &b, Location loc, Value from, Value end, int64_t step,
    int64_t unroll, ValueRange accumulators,
    function_ref<SmallVector<Value>(Value)> read,
    function_ref<SmallVector<Value>(ValueRange, ValueRange)> fold) {
  Value any =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, from, end);
  auto ifAny = scf::IfOp::create(b, loc, ValueRange(accumulators).getTypes(),
                                 any, /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifAny.elseBlock());
  scf::YieldOp::create(b, loc, accumulators);
  b.setInsertionPointToStart(ifAny.thenBlock());
  SmallVector<std::pair<Value, SmallVector<Value>>> reads;
  for (int64_t j = 0; j < unroll; ++j) {
    Value index = arith::AddIOp::create(b, loc, from,
                                        vmgpu::indexConstant(b, loc, j * step));
    Value inside =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, index, end);
    // Past `end`, read the group's first index again (from < end here): one
    // of the fold's own indices, whose value the select below discards.
    reads.push_back(
        {inside, read(arith::SelectOp::create(b, loc, inside, index, from))});
  }
  SmallVector<Value> folded(accumulators);
  for (auto &[inside, values] : reads) {
    SmallVector<Value> next = fold(folded, values);
    for (auto [accumulator, value] : llvm::zip_equal(folded, next))
      accumulator = arith::SelectOp::create(b, loc, inside, value, accumulator);
  }
  scf::YieldOp::create(b, loc, folded);
  return llvm::to_vector_of<Value>(ifAny.getResults());
}

SmallVector<Value> vmgpu::emitUnrolledFold(
    OpBuilder &b, Location loc, Value first, Value end, int64_t step,
    int64_t unroll, ValueRange accumulators,
    function_ref<SmallVector<Value>(Value)> read,
    function_ref<SmallVector<Value>(ValueRange, ValueRange)> fold,
    FoldTail tail) {
  SmallVector<Value> current(accumulators);
  Value mainEnd = first;
  if (unroll > 1) {
    // Whole groups of `unroll` indices: ceil((end - first) / step) indices
    // (none when end <= first), rounded down.
    Value span = arith::SubIOp::create(
        b, loc, arith::MaxUIOp::create(b, loc, end, first), first);
    Value count = arith::CeilDivUIOp::create(b, loc, span,
                                             indexConstant(b, loc, step));
    Value grouped = arith::MulIOp::create(
        b, loc,
        arith::DivUIOp::create(b, loc, count, indexConstant(b, loc, unroll)),
        indexConstant(b, loc, unroll * step));
    mainEnd = arith::AddIOp::create(b, loc, first, grouped);
    auto loop = scf::ForOp::create(b, loc, first, mainEnd,
                                   indexConstant(b, loc, unroll * step),
                                   current);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    SmallVector<SmallVector<Value>> group;
    for (int64_t j = 0; j < unroll; ++j)
      group.push_back(read(arith::AddIOp::create(
          b, loc, loop.getInductionVar(), indexConstant(b, loc, j * step))));
    SmallVector<Value> folded(loop.getRegionIterArgs());
    for (ArrayRef<Value> values : group)
      folded = fold(folded, values);
    scf::YieldOp::create(b, loc, folded);
    current = llvm::to_vector_of<Value>(loop.getResults());
  }
  if (unroll > 1 && tail == FoldTail::GuardedGroup)
    return emitGuardedGroup(b, loc, mainEnd, end, step, unroll, current, read,
                            fold);
  auto rest = scf::ForOp::create(b, loc, mainEnd, end,
                                 indexConstant(b, loc, step), current);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(rest.getBody());
    scf::YieldOp::create(
        b, loc,
        fold(rest.getRegionIterArgs(), read(rest.getInductionVar())));
  }
  return llvm::to_vector_of<Value>(rest.getResults());
}

void vmgpu::emitOnFirstLane(OpBuilder &b, Location loc, Value lane,
                            llvm::function_ref<void()> body) {
  Value isFirstLane = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::eq, lane, indexConstant(b, loc, 0));
  auto ifFirst = scf::IfOp::create(b, loc, isFirstLane,
                                   /*withElseRegion=*/false);
  b.setInsertionPointToStart(ifFirst.thenBlock());
  body();
  b.setInsertionPointAfter(ifFirst);
}

bool vmgpu::hasSubgroupRows(const LoweringConfig &config) {
  int64_t width = config.workgroup[0];
  return (width == 32 || width == 64) && config.workgroup[2] == 1;
}

SmallVector<Value> vmgpu::delinearize(OpBuilder &b, Location loc, Value linear,
                                      ValueRange sizes) {
  SmallVector<Value> indices(sizes.size());
  Value rest = linear;
  for (int64_t d = static_cast<int64_t>(sizes.size()) - 1; d > 0; --d) {
    indices[d] = arith::RemUIOp::create(b, loc, rest, sizes[d]);
    rest = arith::DivUIOp::create(b, loc, rest, sizes[d]);
  }
  if (!sizes.empty())
    indices[0] = rest;
  return indices;
}
