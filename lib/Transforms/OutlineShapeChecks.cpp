//===- OutlineShapeChecks.cpp - run-time shape checks as an entry point ---===//

#include "vmgpu/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace vmgpu {
#define GEN_PASS_DEF_OUTLINESHAPECHECKS
#include "vmgpu/Transforms/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;

namespace {

SmallVector<cf::AssertOp> collectAsserts(func::FuncOp function) {
  SmallVector<cf::AssertOp> asserts;
  function.walk([&](cf::AssertOp op) { asserts.push_back(op); });
  return asserts;
}

struct OutlineShapeChecksPass
    : vmgpu::impl::OutlineShapeChecksBase<OutlineShapeChecksPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> functions;
    for (auto function : module.getOps<func::FuncOp>())
      if (function.isPublic() && !function.isExternal() &&
          !collectAsserts(function).empty())
        functions.push_back(function);
    for (func::FuncOp function : functions)
      if (failed(outline(module, function)))
        return signalPassFailure();
  }

  LogicalResult outline(ModuleOp module, func::FuncOp function) {
    MLIRContext *context = &getContext();
    // Only single-block bodies carry checks (vm-to-linalg never creates
    // control flow); anything else keeps its asserts.
    if (!function.getBody().hasOneBlock())
      return function.emitError("shape checks need a single-block function");
    OpBuilder builder(function);
    auto check = cast<func::FuncOp>(builder.clone(*function));
    check.setName((vmgpu::kShapeCheckPrefix + function.getName()).str());
    check.setType(FunctionType::get(context, function.getArgumentTypes(),
                                    {builder.getI32Type()}));
    check.setAllResultAttrs(ArrayRef<DictionaryAttr>{});

    // result = the 1-based index of the first failing check, else 0.
    SmallVector<cf::AssertOp> asserts = collectAsserts(check);
    Operation *terminator = check.getBody().front().getTerminator();
    builder.setInsertionPoint(terminator);
    Location loc = function.getLoc();
    Value result = arith::ConstantIntOp::create(builder, loc, 0, 32);
    SmallVector<Attribute> messages;
    for (auto [i, op] : llvm::enumerate(asserts))
      messages.push_back(op.getMsgAttr());
    for (int64_t i = asserts.size() - 1; i >= 0; --i) {
      Value index = arith::ConstantIntOp::create(builder, loc, i + 1, 32);
      result = arith::SelectOp::create(builder, loc, asserts[i].getArg(),
                                       result, index);
    }
    func::ReturnOp::create(builder, loc, result);
    terminator->erase();
    for (cf::AssertOp op : asserts)
      op.erase();
    for (cf::AssertOp op : collectAsserts(function))
      op.erase();

    // Keep only the shape arithmetic: dims of intermediate tensors resolve
    // to dims of the arguments, and the computations die.
    RewritePatternSet patterns(context);
    memref::populateResolveRankedShapedTypeResultDimsPatterns(patterns);
    memref::populateResolveShapedTypeResultDimsPatterns(patterns);
    for (RegisteredOperationName name : context->getRegisteredOperations())
      name.getCanonicalizationPatterns(patterns, context);
    if (failed(applyPatternsGreedily(check, std::move(patterns))))
      return check.emitError("shape-check simplification did not converge");

    module->setAttr((vmgpu::kShapeCheckMessagesPrefix + function.getName()).str(),
                    ArrayAttr::get(context, messages));
    return success();
  }
};

} // namespace
