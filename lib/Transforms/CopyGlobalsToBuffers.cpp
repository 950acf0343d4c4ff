//===- CopyGlobalsToBuffers.cpp - constants the device can read -----------===//

#include "vmgpu/Transforms/Passes.h"


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
    // The driver copies from the host binary's data: no host code touches
    // the buffer.
    gpu::MemcpyOp::create(b, loc, /*asyncToken=*/Type(),
                          /*asyncDependencies=*/ValueRange(), buffer, global);
  }
};
} // namespace
