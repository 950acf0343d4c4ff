//===- ContractionEpilogue.cpp - elementwise ops fused after a product ----===//

#include "ContractionEpilogue.h"

#include "KernelBuilding.h"
#include "OperandCopies.h"
#include "OutputFill.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace mlir;
using namespace vmgpu;

/// The generic op of findElementwiseEpilogue (see there), or null.
static linalg::GenericOp findGeneric(Operation *op, Value out,
                                     Operation *fill) {
  llvm::SmallPtrSet<Operation *, 4> allocated;
  auto isIndependent = [&](Operation *between) {
    if (isa<memref::AllocOp>(between)) {
      allocated.insert(between);
      return true;
    }
    // A reshaped view (the 2-D view a convolution's epilogue writes,
    // Im2ColContraction.h) touches no memory; one of an allocation made
    // after the product counts as that allocation (ops in between may
    // write it). Views of C stay where they are.
    if (isa<memref::CollapseShapeOp, memref::ExpandShapeOp>(between)) {
      Value source = between->getOperand(0);
      if (source == out)
        return false;
      Operation *def = source.getDefiningOp();
      if (def && allocated.contains(def))
        allocated.insert(between);
      return true;
    }
    auto linalgOp = dyn_cast<linalg::LinalgOp>(between);
    if (!linalgOp || !linalgOp.hasPureBufferSemantics() ||
        llvm::is_contained(between->getOperands(), out))
      return false;
    return llvm::all_of(linalgOp.getDpsInits(), [&](Value init) {
      Operation *def = init.getDefiningOp();
      return def && allocated.contains(def);
    });
  };
  Operation *next = op->getNextNode();
  while (next && !isa<linalg::GenericOp>(next) && isIndependent(next))
    next = next->getNextNode();
  auto generic = dyn_cast_or_null<linalg::GenericOp>(next);
  if (!generic || !isLowerableOnBuffers(generic) ||
      generic.getNumDpsInits() != 1 ||
      generic.getNumLoops() != generic.getNumParallelLoops() ||
      generic.getNumLoops() !=
          static_cast<unsigned>(cast<MemRefType>(out.getType()).getRank()))
    return nullptr;
  bool readsOut = false;
  for (OpOperand &operand : generic->getOpOperands()) {
    Value value = operand.get();
    if (!isa<ShapedType>(value.getType()))
      continue;
    AffineMap map = generic.getMatchingIndexingMap(&operand);
    if (!map.isProjectedPermutation())
      return nullptr;
    if (generic.isDpsInit(&operand)) {
      // Written element by element at the tile's indices.
      auto type = cast<MemRefType>(value.getType());
      if (value == out || !map.isIdentity() ||
          type.getShape() != cast<MemRefType>(out.getType()).getShape() ||
          !type.getElementType().isIntOrFloat() ||
          type.getElementType().getIntOrFloatBitWidth() < 8)
        return nullptr;
      continue;
    }
    if (value == out) {
      if (!map.isIdentity())
        return nullptr;
      readsOut = true;
    }
  }
  // C must be a temporary of this function: a caller could read any other.
  if (!readsOut || !out.getDefiningOp<memref::AllocOp>() ||
      generic.getBlock()->getTerminator()->getNumOperands() != 1)
    return nullptr;
  // The fused kernel writes the epilogue's output while other blocks still
  // read the producer's inputs: they must not overlap.
  Value written = generic.getDpsInitOperand(0)->get();
  if (llvm::any_of(op->getOperands(), [&](Value operand) {
        return operand != out && isa<MemRefType>(operand.getType()) &&
               mayAlias(operand, written);
      }))
    return nullptr;
  for (Operation *user : out.getUsers())
    if (user != op && user != generic.getOperation() && user != fill &&
        !isa<memref::DeallocOp>(user))
      return nullptr;
  // What lies in between reads no result of `op` and its operands are
  // defined before `op` (or by the allocations moved with it).
  while (op->getNextNode() != generic.getOperation())
    op->getNextNode()->moveBefore(op);
  return generic;
}

/// The epilogue's inputs that a linalg.broadcast before it filled from a
/// buffer and that nothing else reads: the kernel, which runs where
/// `producer` is, reads the source, so the source must hold at `producer`
/// what the broadcast read.
static llvm::SmallDenseMap<Value, linalg::BroadcastOp>
foldableBroadcasts(linalg::GenericOp epilogue, Operation *producer) {
  llvm::SmallDenseMap<Value, linalg::BroadcastOp> broadcasts;
  for (Value input : epilogue.getDpsInputs()) {
    auto alloc = input.getDefiningOp<memref::AllocOp>();
    if (!alloc)
      continue;
    linalg::BroadcastOp broadcast;
    bool foldable = true;
    for (Operation *user : input.getUsers()) {
      if (auto writer = dyn_cast<linalg::BroadcastOp>(user);
          writer && writer.getInit() == input && !broadcast &&
          writer.hasPureBufferSemantics())
        broadcast = writer;
      else if (user != epilogue.getOperation() && !isa<memref::DeallocOp>(user))
        foldable = false;
    }
    if (foldable && broadcast &&
        bufferUnchangedUntil(broadcast, producer, broadcast.getInput()))
      broadcasts[input] = broadcast;
  }
  return broadcasts;
}

std::optional<ContractionEpilogue>
vmgpu::findElementwiseEpilogue(Operation *producer, Value output,
                               Operation *fill) {
  linalg::GenericOp generic = findGeneric(producer, output, fill);
  if (!generic)
    return std::nullopt;
  return ContractionEpilogue{generic, foldableBroadcasts(generic, producer)};
}

std::optional<ContractionEpilogue>
vmgpu::findContractionEpilogue(linalg::LinalgOp product, linalg::FillOp fill) {
  return findElementwiseEpilogue(product, product.getDpsInitOperand(0)->get(),
                                 fill);
}

Value vmgpu::emitEpilogueElement(OpBuilder &b, Location loc,
                                 ContractionEpilogue &epilogue,
                                 Value productOutput, Value element,
                                 ValueRange loops) {
  SmallVector<Value> args;
  for (OpOperand &operand : epilogue.op->getOpOperands()) {
    Value value = operand.get();
    BlockArgument arg = epilogue.op.getMatchingBlockArgument(&operand);
    if (value == productOutput && epilogue.op.isDpsInput(&operand)) {
      args.push_back(element);
    } else if (!isa<ShapedType>(value.getType())) {
      args.push_back(value);
    } else if (epilogue.op.isDpsInit(&operand) && arg.use_empty()) {
      // An output the body does not read.
      args.push_back(
          arith::ConstantOp::create(b, loc, b.getZeroAttr(arg.getType())));
    } else {
      SmallVector<Value> at;
      for (AffineExpr result :
           epilogue.op.getMatchingIndexingMap(&operand).getResults())
        at.push_back(loops[cast<AffineDimExpr>(result).getPosition()]);
      // A broadcast buffer is read at its source instead.
      if (linalg::BroadcastOp broadcast = epilogue.broadcasts.lookup(value)) {
        SmallVector<Value> source;
        for (auto [dim, index] : llvm::enumerate(at))
          if (!llvm::is_contained(broadcast.getDimensions(),
                                  static_cast<int64_t>(dim)))
            source.push_back(index);
        value = broadcast.getInput();
        at = std::move(source);
      }
      args.push_back(memref::LoadOp::create(b, loc, value, at));
    }
  }
  return cloneBody(b, epilogue.op, args).front();
}

void vmgpu::eraseContractionEpilogue(ContractionEpilogue &epilogue) {
  epilogue.op->erase();
  for (auto &entry : epilogue.broadcasts) {
    Value buffer = entry.first;
    linalg::BroadcastOp broadcast = entry.second;
    if (llvm::any_of(buffer.getUsers(), [&](Operation *user) {
          return user != broadcast.getOperation() &&
                 !isa<memref::DeallocOp>(user);
        }))
      continue;
    broadcast->erase();
    for (Operation *user : llvm::make_early_inc_range(buffer.getUsers()))
      user->erase();
    buffer.getDefiningOp()->erase();
  }
}
