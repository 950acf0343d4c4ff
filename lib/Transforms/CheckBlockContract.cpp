//===- CheckBlockContract.cpp - refuse what a vm block may not hold -------===//

#include "vmgpu/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "vm/VmDialect.h"
#include "vm/VmTraits.h"

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
    return constant.getType().isIndex() ||
           vm::isVmElementType(constant.getType());
  return false;
}

/// A function's signature: ranked tensors (no encoding) of vm elements or
/// vm scalars in, ranked tensors out, each within the tensor size bound;
/// no argument or result attributes (`llvm.noalias`, `llvm.byval`, ... steer
/// the lowering as dialect attributes do). One block: a vm block is
/// straight-line code.
static LogicalResult checkSignature(func::FuncOp function) {
  bool ok = true;
  auto isTensor = [](Type type) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    return tensor && !tensor.getEncoding() &&
           vm::isVmElementType(tensor.getElementType());
  };
  auto emit = [&] { return function.emitError(); };
  auto check = [&](Type type, bool allowScalar, const Twine &what) {
    if (!isTensor(type) && !(allowScalar && vm::isVmElementType(type))) {
      function.emitError() << what << " has type " << type << ": " << kAllowed
                           << ", taking ranked tensors"
                           << (allowScalar ? " or vm scalars" : "");
      ok = false;
      return;
    }
    ok &= succeeded(vm::verifyTensorSizeBound(type, what, emit));
  };
  for (auto [i, type] : llvm::enumerate(function.getArgumentTypes()))
    check(type, /*allowScalar=*/true, "argument #" + Twine(i));
  for (auto [i, type] : llvm::enumerate(function.getResultTypes()))
    check(type, /*allowScalar=*/false, "result #" + Twine(i));
  auto hasAttributes = [](std::optional<ArrayAttr> list) {
    return list && llvm::any_of(*list, [](Attribute dict) {
             return !cast<DictionaryAttr>(dict).empty();
           });
  };
  if (hasAttributes(function.getArgAttrs()) ||
      hasAttributes(function.getResAttrs())) {
    function.emitError("argument and result attributes are not allowed: ")
        << kAllowed;
    ok = false;
  }
  if (!function.isExternal() && !function.getBody().hasOneBlock()) {
    function.emitError("a vm block has one block of straight-line code, "
                       "this function has ")
        << function.getBody().getBlocks().size();
    ok = false;
  }
  return success(ok);
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
    ok &= succeeded(checkSignature(function));
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
