//===- CopyGlobalsToBuffers.cpp - constants the device can read -----------===//

#include "vmgpu/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

namespace vmgpu {
#define GEN_PASS_DEF_COPYGLOBALSTOBUFFERS
#include "vmgpu/Transforms/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;

namespace {
struct CopyGlobalsToBuffersPass
    : vmgpu::impl::CopyGlobalsToBuffersBase<CopyGlobalsToBuffersPass> {
  void runOnOperation() override {
    SmallVector<memref::GetGlobalOp> globals;
    getOperation().walk([&](memref::GetGlobalOp op) { globals.push_back(op); });
    for (memref::GetGlobalOp global : globals)
      copy(global);
  }

  void copy(memref::GetGlobalOp global) {
    MemRefType type = global.getType();
    OpBuilder b(global->getContext());
    b.setInsertionPointAfter(global);
    Location loc = global.getLoc();
    Value buffer = memref::AllocOp::create(b, loc, type);
    global.getResult().replaceAllUsesExcept(buffer, {});
    // Host loops (scf.for is never mapped to the GPU).
    SmallVector<Value> indices;
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    for (int64_t size : type.getShape()) {
      Value upper = arith::ConstantIndexOp::create(b, loc, size);
      auto loop = scf::ForOp::create(b, loc, zero, upper, one);
      indices.push_back(loop.getInductionVar());
      b.setInsertionPointToStart(loop.getBody());
    }
    Value element = memref::LoadOp::create(b, loc, global, indices);
    memref::StoreOp::create(b, loc, element, buffer, indices);
  }
};
} // namespace
