//===- SequentialWorkToGpu.cpp - leftover host work -> one-thread kernels -===//

#include "vmgpu/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace vmgpu {
#define GEN_PASS_DEF_SEQUENTIALWORKTOGPU
#include "vmgpu/Transforms/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;

namespace {

/// Ops that manage buffers or drive the device rather than compute on
/// block data: they stay in host code.
bool isHostOp(Operation *op) {
  if (isa_and_present<gpu::GPUDialect>(op->getDialect()))
    return true;
  if (isa<memref::AllocOp, memref::AllocaOp, memref::DeallocOp, memref::DimOp,
          memref::CastOp, memref::ReinterpretCastOp, memref::ExpandShapeOp,
          memref::CollapseShapeOp, memref::SubViewOp, memref::ViewOp,
          memref::ExtractStridedMetadataOp,
          memref::ExtractAlignedPointerAsIndexOp, memref::GetGlobalOp,
          memref::AssumeAlignmentOp, func::ReturnOp, func::CallOp, scf::IfOp,
          scf::YieldOp>(op))
    return true;
  return op->getNumRegions() == 0 && isPure(op);
}

struct SequentialWorkToGpuPass
    : vmgpu::impl::SequentialWorkToGpuBase<SequentialWorkToGpuPass> {
  void runOnOperation() override {
    SmallVector<Block *> blocks;
    getOperation()->walk<WalkOrder::PreOrder>([&](Operation *op) {
      // Only the blocks of the function and of the conditionals on its
      // host path hold host code. Any other op with regions (a loop, a
      // launch) moves into a kernel as a whole, so the blocks inside it
      // must not become kernels of their own: that would nest a launch
      // inside a kernel.
      if (!isa<func::FuncOp, scf::IfOp>(op))
        return op->getNumRegions() == 0 ? WalkResult::advance()
                                        : WalkResult::skip();
      for (Region &region : op->getRegions())
        for (Block &block : region)
          blocks.push_back(&block);
      return WalkResult::advance();
    });
    for (Block *block : blocks)
      if (failed(moveRunsToKernels(*block)))
        return signalPassFailure();
  }

  /// Moves each maximal run of device work in `block` into a one-thread
  /// gpu.launch placed where the run ends. Pure ops that compute on the
  /// run's results join it; other pure ops (index arithmetic) stay on the
  /// host without ending the run: they cannot observe memory, so the work
  /// may move past them.
  LogicalResult moveRunsToKernels(Block &block) {
    SmallVector<Operation *> run;
    llvm::SmallPtrSet<Operation *, 16> inRun;
    auto usesRun = [&](Operation *op) {
      return llvm::any_of(op->getOperands(), [&](Value operand) {
        Operation *producer = operand.getDefiningOp();
        return producer && inRun.contains(producer);
      });
    };
    for (Operation &op : llvm::make_early_inc_range(block)) {
      bool pure = op.getNumRegions() == 0 && isPure(&op) &&
                  !op.hasTrait<OpTrait::IsTerminator>();
      if (!isHostOp(&op) || (pure && usesRun(&op))) {
        run.push_back(&op);
        inRun.insert(&op);
        continue;
      }
      if (pure)
        continue;
      if (failed(moveToKernel(run, inRun, &op)))
        return failure();
      run.clear();
      inRun.clear();
    }
    return success(); // Every block ends with a terminator, which ends a run.
  }

  LogicalResult moveToKernel(ArrayRef<Operation *> run,
                             const llvm::SmallPtrSetImpl<Operation *> &inRun,
                             Operation *end) {
    if (run.empty())
      return success();
    Block *block = run.front()->getBlock();
    for (Operation *op : run)
      for (Operation *user : op->getUsers())
        if (Operation *ancestor = block->findAncestorOpInBlock(*user);
            !ancestor || !inRun.contains(ancestor))
          return op->emitError("its result is used by host code, so it "
                               "cannot run in a GPU kernel");
    OpBuilder b(end);
    Location loc = run.front()->getLoc();
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    auto launch = gpu::LaunchOp::create(b, loc, one, one, one, one, one, one);
    Block &body = launch.getBody().front();
    b.setInsertionPointToStart(&body);
    auto terminator = gpu::TerminatorOp::create(b, loc);
    for (Operation *op : run)
      op->moveBefore(terminator);
    return success();
  }
};

} // namespace
