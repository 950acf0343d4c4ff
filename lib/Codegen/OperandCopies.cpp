//===- OperandCopies.cpp - contraction inputs read through their copy -----===//

#include "OperandCopies.h"

#include "KernelBuilding.h"
#include "OutputFill.h"

#include "mlir/Dialect/Affine/Utils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/SetVector.h"

using namespace mlir;
using namespace vmgpu;

linalg::GenericOp vmgpu::findOperandWriter(linalg::LinalgOp op, Value operand,
                                           bool viewed) {
  Value buffer = operand;
  if (viewed)
    if (auto collapse = operand.getDefiningOp<memref::CollapseShapeOp>())
      buffer = collapse.getSrc();
  auto alloc = buffer.getDefiningOp<memref::AllocOp>();
  if (!alloc || !alloc.getType().getLayout().isIdentity())
    return nullptr;
  // `op` uses `operand` only as an input (A and B may be the same).
  auto isOperandOfOp = [&](Value value) {
    unsigned reads = 0;
    for (OpOperand &use : value.getUses()) {
      if (use.getOwner() != op.getOperation())
        continue;
      if (!op.isDpsInput(&use))
        return false;
      ++reads;
    }
    return reads > 0;
  };
  linalg::GenericOp writer;
  for (Operation *user : alloc->getUsers()) {
    if (isa<memref::DeallocOp>(user))
      continue;
    if (user == op.getOperation() && buffer == operand)
      continue;
    if (auto collapse = dyn_cast<memref::CollapseShapeOp>(user);
        collapse && collapse.getResult() == operand)
      continue;
    auto generic = dyn_cast<linalg::GenericOp>(user);
    if (!generic || writer)
      return nullptr;
    writer = generic;
  }
  // A view of the buffer is used by `op` alone.
  if (!isOperandOfOp(operand) || (buffer != operand && !operand.hasOneUse()))
    return nullptr;
  if (!writer || writer->getBlock() != op->getBlock() ||
      !writer->isBeforeInBlock(op) || !writer.hasPureBufferSemantics() ||
      writer.getNumDpsInputs() != 1 || writer.getNumDpsInits() != 1 ||
      writer.getDpsInitOperand(0)->get() != buffer ||
      writer.getDpsInputOperand(0)->get() == buffer)
    return nullptr;
  return writer;
}

/// Whether `op` may change or free what a view of `root` holds: any effect
/// but a read on it (or on an unknown value).
static bool mayChange(Operation *op, Value root) {
  if (isMemoryEffectFree(op))
    return false;
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  if (!effects)
    return true;
  SmallVector<MemoryEffects::EffectInstance> instances;
  effects.getEffects(instances);
  return llvm::any_of(instances, [&](const MemoryEffects::EffectInstance &e) {
    return !isa<MemoryEffects::Read>(e.getEffect()) &&
           (!e.getValue() || mayAlias(e.getValue(), root));
  });
}

bool vmgpu::bufferUnchangedUntil(Operation *from, Operation *op, Value value) {
  if (from->getBlock() != op->getBlock() || !from->isBeforeInBlock(op))
    return false;
  Value root = viewRoot(value);
  for (Operation *between = from->getNextNode(); between != op;
       between = between->getNextNode())
    if (mayChange(between, root))
      return false;
  auto writer = dyn_cast<DestinationStyleOpInterface>(op);
  if (!writer)
    return !mayChange(op, root);
  return llvm::none_of(writer.getDpsInits(),
                       [&](Value init) { return mayAlias(init, root); });
}

bool vmgpu::sourceUnchangedUntil(linalg::GenericOp copy, linalg::LinalgOp op) {
  return bufferUnchangedUntil(copy, op, copy.getDpsInputOperand(0)->get());
}

CopiedOperand::Read CopiedOperand::read(OpBuilder &b, Location loc,
                                        ValueRange indices) const {
  // Row-major: the last loop of a group varies fastest.
  SmallVector<Value> loops(copyShape.size());
  for (auto [index, group] : llvm::zip_equal(indices, groups)) {
    Value rest = index;
    for (int64_t loop : llvm::reverse(group)) {
      if (loop == group.front()) {
        loops[loop] = rest;
        break;
      }
      Value size = indexConstant(b, loc, copyShape[loop]);
      loops[loop] = arith::RemUIOp::create(b, loc, rest, size);
      rest = arith::DivUIOp::create(b, loc, rest, size);
    }
  }
  Read result;
  for (AffineExpr expr : sourceMap.getResults())
    result.indices.push_back(affine::expandAffineExpr(b, loc, expr, loops, {}));
  if (!padding)
    return result;
  // Inside where every padded index minus its offset is below the inner
  // size (below the offset wraps around to a large unsigned value).
  ArrayRef<int64_t> innerShape =
      cast<MemRefType>(padding->inner.getType()).getShape();
  for (auto [dim, offset] : llvm::enumerate(padding->low)) {
    if (offset == 0 &&
        innerShape[dim] == cast<MemRefType>(source.getType()).getDimSize(dim))
      continue;
    Value &index = result.indices[dim];
    index = arith::SubIOp::create(b, loc, index, indexConstant(b, loc, offset));
    Value within =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, index,
                              indexConstant(b, loc, innerShape[dim]));
    result.inside = result.inside
                        ? arith::AndIOp::create(b, loc, result.inside, within)
                        : within;
  }
  return result;
}

bool CopiedOperand::mayAliasLoaded(Value value) const {
  return mayAlias(value, source) ||
         (padding && mayAlias(value, padding->inner));
}

SmallVector<Operation *> CopiedOperand::deadOps() const {
  SmallVector<Operation *> ops = {copy};
  if (padding)
    ops.append({padding->copy, padding->fill});
  return ops;
}

bool CopiedOperand::innermostRunsAreContiguous(int64_t width) const {
  auto sourceType = cast<MemRefType>(loadedBuffer().getType());
  if (!isContiguous(sourceType) || sourceType.getRank() == 0 || groups.empty())
    return false;
  // Padding along the innermost dim would split runs.
  if (padding && (padding->low.back() != 0 ||
                  sourceType.getShape().back() !=
                      cast<MemRefType>(source.getType()).getShape().back()))
    return false;
  int64_t innermost = groups.back().back();
  // A run stays within one row of the innermost loop, and rows of the
  // source start at multiples of the width.
  if (copyShape[innermost] % width ||
      ShapedType::isDynamic(sourceType.getShape().back()) ||
      sourceType.getShape().back() % width)
    return false;
  ArrayRef<AffineExpr> results = sourceMap.getResults();
  if (results.back() != getAffineDimExpr(innermost, sourceMap.getContext()))
    return false;
  return llvm::none_of(results.drop_back(), [&](AffineExpr expr) {
    return expr.isFunctionOfDim(innermost);
  });
}

/// Whether `value` is a constant whose bits are all zero.
static bool isZeroBits(Value value) {
  return matchPattern(value, m_PosZeroFloat()) || matchPattern(value, m_Zero());
}

/// The fill of the whole of `buffer` with zero bits: a `linalg.fill`, or a
/// `linalg.map` without inputs that yields such a constant.
static bool isZeroFillOf(Operation *op, Value buffer) {
  if (auto fill = dyn_cast<linalg::FillOp>(op))
    return fill.getOutputs().front() == buffer &&
           isZeroBits(fill.getInputs().front());
  auto map = dyn_cast<linalg::MapOp>(op);
  return map && map.getInputs().empty() && map.getInit() == buffer &&
         isZeroBits(map.getMapper().front().getTerminator()->getOperand(0));
}

/// The zero padding around the source of `copy` (see ZeroPadding), when
/// `copy` alone reads that fresh buffer and what it holds, the inner
/// buffer, is unchanged until `op`.
static std::optional<CopiedOperand::ZeroPadding>
findZeroPadding(linalg::GenericOp copy, linalg::LinalgOp op) {
  Value source = copy.getDpsInputOperand(0)->get();
  auto alloc = source.getDefiningOp<memref::AllocOp>();
  if (!alloc || !alloc.getType().getLayout().isIdentity() ||
      !alloc.getType().hasStaticShape() || alloc->getBlock() != op->getBlock())
    return std::nullopt;
  Operation *fill = nullptr;
  linalg::CopyOp padCopy;
  memref::SubViewOp window;
  for (Operation *user : alloc->getUsers()) {
    if (isa<memref::DeallocOp>(user) || user == copy.getOperation())
      continue;
    if (auto subview = dyn_cast<memref::SubViewOp>(user);
        subview && !window && subview->hasOneUse()) {
      window = subview;
      padCopy = dyn_cast<linalg::CopyOp>(*subview->user_begin());
      continue;
    }
    if (fill || !isZeroFillOf(user, source))
      return std::nullopt;
    fill = user;
  }
  if (!fill || !padCopy || padCopy.getOutputs().front() != window.getResult() ||
      !padCopy.hasPureBufferSemantics() || fill->getBlock() != op->getBlock() ||
      padCopy->getBlock() != op->getBlock() ||
      !fill->isBeforeInBlock(padCopy) || !padCopy->isBeforeInBlock(copy))
    return std::nullopt;
  Value inner = padCopy.getInputs().front();
  auto innerType = dyn_cast<MemRefType>(inner.getType());
  if (!innerType || !innerType.hasStaticShape() ||
      llvm::is_contained(innerType.getShape(), 0) ||
      window.getSourceType().getRank() != window.getType().getRank() ||
      window.getType().getShape() != innerType.getShape() ||
      !window.hasUnitStride() ||
      llvm::any_of(window.getStaticOffsets(), ShapedType::isDynamic))
    return std::nullopt;
  // The inner buffer is read where it lies: unchanged from the copy into
  // the padded buffer until `op`, which does not write it either.
  if (!bufferUnchangedUntil(padCopy, op, inner))
    return std::nullopt;
  return CopiedOperand::ZeroPadding{
      inner, llvm::to_vector(window.getStaticOffsets()), fill, padCopy};
}

std::optional<CopiedOperand> vmgpu::findCopiedOperand(linalg::LinalgOp op,
                                                      Value operand) {
  linalg::GenericOp copy = findOperandWriter(op, operand, /*viewed=*/true);
  if (!copy || !copy.hasPureBufferSemantics() ||
      llvm::any_of(copy.getIteratorTypesArray(), [](utils::IteratorType type) {
        return type != utils::IteratorType::parallel;
      }))
    return std::nullopt;
  Block *body = copy.getBody();
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  if (body->getOperations().size() != 1 ||
      yield.getValues().front() != body->getArgument(0))
    return std::nullopt;
  OpOperand *input = copy.getDpsInputOperand(0);
  OpOperand *output = copy.getDpsInitOperand(0);
  if (!copy.getMatchingIndexingMap(output).isIdentity() ||
      !isa<MemRefType>(input->get().getType()))
    return std::nullopt;
  auto bufferType = cast<MemRefType>(output->get().getType());
  if (!bufferType.hasStaticShape())
    return std::nullopt;
  CopiedOperand copied{copy,
                       input->get(),
                       copy.getMatchingIndexingMap(input),
                       llvm::to_vector(bufferType.getShape()),
                       {},
                       std::nullopt};
  if (auto collapse = operand.getDefiningOp<memref::CollapseShapeOp>())
    copied.groups = collapse.getReassociationIndices();
  else
    for (int64_t dim = 0; dim < bufferType.getRank(); ++dim)
      copied.groups.push_back({dim});
  if (!sourceUnchangedUntil(copy, op))
    return std::nullopt;
  copied.padding = findZeroPadding(copy, op);
  return copied;
}

ReadThroughCopies
vmgpu::findReadThroughCopies(linalg::LinalgOp op,
                             const std::optional<ContractionEpilogue> &epilogue,
                             int64_t width, std::array<bool, 2> runsUsable) {
  Value written =
      epilogue ? linalg::GenericOp(epilogue->op).getDpsInitOperand(0)->get()
               : Value();
  auto readThrough = [&](unsigned input) -> std::optional<CopiedOperand> {
    std::optional<CopiedOperand> copied =
        findCopiedOperand(op, op.getDpsInputOperand(input)->get());
    if (!copied || (written && copied->mayAliasLoaded(written)))
      return std::nullopt;
    if (runsUsable[input] && copied->innermostRunsAreContiguous(width))
      return copied;
    // No vector loads through the copy: only where its own buffer, whose
    // innermost extent is the product of the last group's loops, would
    // have had none either.
    int64_t extent = 1;
    for (int64_t loop : copied->groups.back())
      extent *= copied->copyShape[loop];
    return extent % width ? copied : std::nullopt;
  };
  return {readThrough(0), readThrough(1)};
}

void ReadThroughCopies::eraseDeadOps() const {
  llvm::SetVector<Operation *> dead;
  for (const std::optional<CopiedOperand> &copied : {lhs, rhs})
    if (copied)
      dead.insert_range(copied->deadOps());
  for (Operation *op : dead)
    op->erase();
}

bool vmgpu::readsThroughCopy(linalg::LinalgOp op) {
  return llvm::any_of(op.getDpsInputs(), [&](Value input) {
    std::optional<CopiedOperand> copied = findCopiedOperand(op, input);
    if (!copied)
      return false;
    Type element = getElementTypeOrSelf(copied->loadedBuffer().getType());
    return element.isIntOrFloat() && element.getIntOrFloatBitWidth() % 8 == 0 &&
           copied->innermostRunsAreContiguous(
               16 / (element.getIntOrFloatBitWidth() / 8));
  });
}
