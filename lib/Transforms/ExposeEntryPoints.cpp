//===- ExposeEntryPoints.cpp - C interfaces for public functions ----------===//

#include "vmgpu/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace vmgpu {
#define GEN_PASS_DEF_EXPOSEENTRYPOINTS
#include "vmgpu/Transforms/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;

namespace {
struct ExposeEntryPointsPass
    : vmgpu::impl::ExposeEntryPointsBase<ExposeEntryPointsPass> {
  void runOnOperation() override {
    UnitAttr unit = UnitAttr::get(&getContext());
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal())
        func->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(), unit);
  }
};
} // namespace
