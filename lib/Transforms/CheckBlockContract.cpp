//===- CheckBlockContract.cpp - refuse what a vm block may not hold -------===//

#include "vmgpu/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "vm/VmDialect.h"

namespace vmgpu {
#define GEN_PASS_DEF_CHECKBLOCKCONTRACT
#include "vmgpu/Transforms/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;

namespace vmgpu {

static constexpr llvm::StringLiteral kAllowed =
    "a vm block holds only func.func with vm ops, func.return, scalar or "
    "index arith.constant and tensor.dim";

/// Attributes in a dialect's namespace (`llvm.*`, `gpu.*`, ...) steer the
/// lowering (linkage, sections, passthrough function attributes): none
/// belongs to a block.
static LogicalResult checkNoDialectAttributes(Operation *op) {
  for (NamedAttribute attribute : op->getDiscardableAttrs())
    return op->emitError("attribute '")
           << attribute.getName().getValue() << "' is not allowed: "
           << kAllowed;
  return success();
}

static bool isAllowedInBody(Operation *op) {
  if (isa<vm::VmDialect>(op->getDialect()))
    return op->getNumRegions() == 0;
  if (isa<func::ReturnOp, tensor::DimOp>(op))
    return true;
  if (auto constant = dyn_cast<arith::ConstantOp>(op))
    return constant.getType().isIntOrIndexOrFloat();
  return false;
}

LogicalResult checkBlockContract(ModuleOp module) {
  bool ok = succeeded(checkNoDialectAttributes(module));
  for (Operation &op : module.getBody()->getOperations()) {
    auto function = dyn_cast<func::FuncOp>(op);
    if (!function) {
      op.emitError("'") << op.getName() << "' is not allowed at the top "
                        << "level: " << kAllowed;
      ok = false;
      continue;
    }
    ok &= succeeded(checkNoDialectAttributes(function));
    if (function.isExternal()) {
      function.emitError("function declarations are not allowed: ")
          << kAllowed;
      ok = false;
      continue;
    }
    function.walk([&](Operation *nested) {
      if (nested == function.getOperation() || isAllowedInBody(nested))
        return WalkResult::advance();
      nested->emitError("'") << nested->getName()
                             << "' is not allowed in a vm block: " << kAllowed;
      ok = false;
      return WalkResult::skip();
    });
  }
  return success(ok);
}

namespace {
struct CheckBlockContractPass
    : impl::CheckBlockContractBase<CheckBlockContractPass> {
  void runOnOperation() override {
    if (failed(checkBlockContract(getOperation())))
      signalPassFailure();
  }
};
} // namespace

} // namespace vmgpu
