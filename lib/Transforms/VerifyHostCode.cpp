//===- VerifyHostCode.cpp - GPU host code only manages and launches -------===//

#include "vmgpu/Transforms/Passes.h"

#include "mlir/Interfaces/LoopLikeInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "llvm/ADT/DepthFirstIterator.h"

namespace vmgpu {
#define GEN_PASS_DEF_VERIFYHOSTCODE
#include "vmgpu/Transforms/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;

namespace {

/// True when `block` can run again after itself (a host-level CFG loop).
bool isInCycle(Block *block) {
  for (Block *successor : block->getSuccessors())
    for (Block *reached : llvm::depth_first(successor))
      if (reached == block)
        return true;
  return false;
}

/// True when `buffer` is (a view of) host stack memory.
bool isHostStackMemory(Value buffer) {
  while (auto view = buffer.getDefiningOp<ViewLikeOpInterface>())
    buffer = view.getViewSource();
  return buffer.getDefiningOp<memref::AllocaOp>() != nullptr;
}

/// `what` is "kernel launch" or "library call".
LogicalResult verifyLaunchPlacement(Operation *launch,
                                    llvm::StringRef what = "kernel launch") {
  if (Operation *loop = launch->getParentOfType<LoopLikeOpInterface>())
    return launch->emitError(what)
           << " inside a host loop ('" << loop->getName()
           << "'): one launch per iteration";
  for (Operation *op = launch; op && !isa<func::FuncOp>(op);
       op = op->getParentOp())
    if (isInCycle(op->getBlock()))
      return launch->emitError(what)
             << " inside a host control-flow cycle: one launch per iteration";
  return success();
}

/// A call of a runtime library function (the GEMM of the `library`
/// strategy): it queues device work on the block's stream, like a launch.
bool isRuntimeLibraryCall(Operation *op) {
  auto call = dyn_cast<func::CallOp>(op);
  if (!call)
    return false;
  auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
      op, call.getCalleeAttr());
  return callee && callee->hasAttr("vmgpu.runtime_library_call");
}

/// Host ops may allocate and free buffers and read their metadata, never
/// their contents (only host stack memory and driver copies are exempt).
LogicalResult verifyNoDataAccess(Operation *op) {
  if (auto memory = dyn_cast<MemoryEffectOpInterface>(op)) {
    SmallVector<MemoryEffects::EffectInstance> effects;
    memory.getEffects(effects);
    for (const MemoryEffects::EffectInstance &effect : effects) {
      if (!isa<MemoryEffects::Read, MemoryEffects::Write>(effect.getEffect()))
        continue;
      Value buffer = effect.getValue();
      if (buffer && isa<BaseMemRefType>(buffer.getType()) &&
          isHostStackMemory(buffer))
        continue;
      return op->emitError("host code ")
             << (isa<MemoryEffects::Read>(effect.getEffect()) ? "reads"
                                                               : "writes")
             << " block data; it must run in a GPU kernel";
    }
    return success();
  }
  if (op->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
    return success(); // The nested ops are checked one by one.
  if (isa<func::CallOp>(op))
    return success(); // The callee is a host function checked on its own.
  return op->emitError("host code holds an op whose memory accesses are "
                       "unknown; it must run in a GPU kernel");
}

struct VerifyHostCodePass
    : vmgpu::impl::VerifyHostCodeBase<VerifyHostCodePass> {
  void runOnOperation() override {
    bool failed = false;
    for (auto function : getOperation().getOps<func::FuncOp>()) {
      function.walk<WalkOrder::PreOrder>([&](Operation *op) {
        if (op == function.getOperation())
          return WalkResult::advance();
        if (isa<gpu::LaunchFuncOp, gpu::LaunchOp>(op)) {
          failed |= mlir::failed(verifyLaunchPlacement(op));
          return WalkResult::skip();
        }
        if (isRuntimeLibraryCall(op)) {
          failed |= mlir::failed(verifyLaunchPlacement(op, "library call"));
          return WalkResult::skip();
        }
        // The driver performs the other gpu ops (copies, waits).
        if (isa_and_present<gpu::GPUDialect>(op->getDialect()))
          return WalkResult::skip();
        failed |= mlir::failed(verifyNoDataAccess(op));
        return WalkResult::advance();
      });
    }
    if (failed)
      signalPassFailure();
  }
};

} // namespace
