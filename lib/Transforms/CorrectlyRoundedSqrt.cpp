//===- CorrectlyRoundedSqrt.cpp - f32 sqrt as sqrt.rn.f32 on NVVM ---------===//

#include "vmgpu/Transforms/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"

namespace vmgpu {
#define GEN_PASS_DEF_CORRECTLYROUNDEDSQRT
#include "vmgpu/Transforms/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;

namespace {
struct CorrectlyRoundedSqrtPass
    : vmgpu::impl::CorrectlyRoundedSqrtBase<CorrectlyRoundedSqrtPass> {
  void runOnOperation() override {
    SmallVector<math::SqrtOp> roots;
    getOperation()->walk([&](math::SqrtOp op) {
      if (op.getType().isF32())
        roots.push_back(op);
    });
    for (math::SqrtOp op : roots) {
      OpBuilder builder(op);
      auto call = LLVM::CallIntrinsicOp::create(
          builder, op.getLoc(), op.getType(),
          builder.getStringAttr("llvm.nvvm.sqrt.rn.f"),
          ValueRange{op.getOperand()});
      op.replaceAllUsesWith(call.getResult(0));
      op.erase();
    }
  }
};
} // namespace
