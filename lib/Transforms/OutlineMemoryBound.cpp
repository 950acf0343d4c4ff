//===- OutlineMemoryBound.cpp - a block's memory need as an entry point ---===//

#include "vmgpu/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/DataLayoutInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/MathExtras.h"

namespace vmgpu {
#define GEN_PASS_DEF_OUTLINEMEMORYBOUND
#include "vmgpu/Transforms/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;

namespace {

/// Bytes added to every allocation for the runtime's bookkeeping (the CPU
/// allocator keeps a header in front of each buffer; see
/// runtime/BlockMemory.cpp, which checks that its header fits).
constexpr uint64_t kAllocationHeaderBytes = 64;

/// Unsigned 64-bit arithmetic that saturates at UINT64_MAX, so that a size
/// that overflows is refused instead of wrapping to a small one.
struct SaturatingBuilder {
  OpBuilder &builder;
  Location loc;

  Value constant(uint64_t value) {
    return arith::ConstantIntOp::create(builder, loc, static_cast<int64_t>(value),
                                        64);
  }
  Value fromIndex(Value index) {
    return arith::IndexCastUIOp::create(builder, loc, builder.getI64Type(),
                                        index);
  }
  Value saturateIf(Value overflow, Value value) {
    return arith::SelectOp::create(builder, loc, overflow, constant(UINT64_MAX),
                                   value);
  }
  /// min(a * b, MAX). Exact: once a product saturates every later factor is
  /// at least 1, unless one is 0, and then the true product is 0 too.
  Value mul(Value a, Value b) {
    auto product = arith::MulUIExtendedOp::create(builder, loc, a, b);
    Value overflow =
        arith::CmpIOp::create(builder, loc, arith::CmpIPredicate::ne,
                              product.getHigh(), constant(0));
    return saturateIf(overflow, product.getLow());
  }
  /// min(a + b, MAX); a null `a` stands for 0.
  Value add(Value a, Value b) {
    if (!a)
      return b;
    Value sum = arith::AddIOp::create(builder, loc, a, b);
    Value overflow = arith::CmpIOp::create(
        builder, loc, arith::CmpIPredicate::ult, sum, a);
    return saturateIf(overflow, sum);
  }
  /// The bytes of a buffer of `type` whose dynamic dims are `dynamicSizes`
  /// (index values, in order), plus `extra`: the static part is multiplied
  /// here, the dynamic dims at run time.
  Value bytes(MemRefType type, ValueRange dynamicSizes, uint64_t elementBytes,
              uint64_t extra) {
    bool overflow = false;
    uint64_t staticBytes = elementBytes;
    for (int64_t dim : type.getShape())
      if (!ShapedType::isDynamic(dim))
        staticBytes = llvm::SaturatingMultiply(
            staticBytes, static_cast<uint64_t>(dim), &overflow);
    Value total = constant(staticBytes);
    for (Value size : dynamicSizes)
      total = mul(total, fromIndex(size));
    return extra ? add(total, constant(extra)) : total;
  }
};

bool allocates(Operation *op) {
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  return effects && effects.hasEffect<MemoryEffects::Allocate>();
}

struct OutlineMemoryBoundPass
    : vmgpu::impl::OutlineMemoryBoundBase<OutlineMemoryBoundPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> functions;
    for (auto function : module.getOps<func::FuncOp>())
      if (function.isPublic() && !function.isExternal() &&
          !function.getName().starts_with(vmgpu::kShapeCheckPrefix) &&
          !function.getName().starts_with(vmgpu::kMemoryBoundPrefix))
        functions.push_back(function);
    for (func::FuncOp function : functions)
      if (failed(outline(module, function)))
        return signalPassFailure();
  }

  /// Checks that every allocation of `function` runs exactly once and has a
  /// size the bound can count.
  LogicalResult checkAllocations(func::FuncOp function) {
    WalkResult result = function.walk([&](Operation *op) {
      if (auto alloca = dyn_cast<memref::AllocaOp>(op)) {
        if (!alloca.getDynamicSizes().empty()) {
          op->emitError("a stack allocation with a run-time size (the input "
                        "could overflow the stack)");
          return WalkResult::interrupt();
        }
        return WalkResult::advance();
      }
      if (auto call = dyn_cast<CallOpInterface>(op)) {
        auto callee = dyn_cast_or_null<FunctionOpInterface>(
            call.resolveCallable());
        if (!callee || callee.isExternal() ||
            callee->walk([](Operation *inner) {
                    return allocates(inner) ? WalkResult::interrupt()
                                            : WalkResult::advance();
                  }).wasInterrupted()) {
          op->emitError("the memory bound cannot count what this call "
                        "allocates");
          return WalkResult::interrupt();
        }
        return WalkResult::advance();
      }
      if (!allocates(op))
        return WalkResult::advance();
      if (!isa<memref::AllocOp>(op)) {
        op->emitError("the memory bound counts only memref.alloc");
        return WalkResult::interrupt();
      }
      if (op->getParentOp() != function) {
        op->emitError("the memory bound needs every allocation at the top "
                      "level of the function");
        return WalkResult::interrupt();
      }
      return WalkResult::advance();
    });
    return failure(result.wasInterrupted());
  }

  LogicalResult outline(ModuleOp module, func::FuncOp function) {
    MLIRContext *context = &getContext();
    if (!function.getBody().hasOneBlock())
      return function.emitError("the memory bound needs a single-block "
                                "function");
    if (failed(checkAllocations(function)))
      return failure();
    std::string name = (vmgpu::kMemoryBoundPrefix + function.getName()).str();
    if (module.lookupSymbol(name))
      return function.emitError() << "the symbol '" << name
                                  << "' is reserved for the memory bound";

    OpBuilder builder(function);
    auto bound = cast<func::FuncOp>(builder.clone(*function));
    bound.setName(name);
    bound.setType(FunctionType::get(context, function.getArgumentTypes(),
                                    {builder.getI64Type()}));
    bound.setAllResultAttrs(ArrayRef<DictionaryAttr>{});

    Block &body = bound.getBody().front();
    Operation *terminator = body.getTerminator();
    builder.setInsertionPoint(terminator);
    Location loc = function.getLoc();
    SaturatingBuilder sat{builder, loc};
    DataLayout layout = DataLayout::closest(bound);
    auto elementBytes = [&](MemRefType type) {
      return std::max<uint64_t>(
          1, layout.getTypeSize(type.getElementType()).getFixedValue());
    };

    // The lowering of memref.alloc asks for `alignment` more bytes to align
    // the buffer itself.
    Value total;
    SmallVector<memref::AllocOp> allocs(body.getOps<memref::AllocOp>());
    for (memref::AllocOp alloc : allocs) {
      MemRefType type = alloc.getType();
      uint64_t alignment =
          alloc.getAlignment().value_or(elementBytes(type));
      total = sat.add(total, sat.bytes(type, alloc.getDynamicSizes(),
                                       elementBytes(type),
                                       alignment + kAllocationHeaderBytes));
    }
    // The runtime's copy of each result.
    for (Value result : terminator->getOperands()) {
      auto type = dyn_cast<MemRefType>(result.getType());
      if (!type)
        continue;
      SmallVector<Value> dynamicSizes;
      for (auto [i, dim] : llvm::enumerate(type.getShape()))
        if (ShapedType::isDynamic(dim))
          dynamicSizes.push_back(memref::DimOp::create(builder, loc, result, i));
      total = sat.add(total,
                      sat.bytes(type, dynamicSizes, elementBytes(type), 0));
    }
    if (!total)
      total = sat.constant(0);
    func::ReturnOp::create(builder, loc, total);
    terminator->erase();

    // Keep only what the total depends on: the computation dies, and dims of
    // results resolve to the sizes their allocations were given.
    llvm::SetVector<Operation *> needed;
    needed.insert(body.getTerminator());
    for (size_t i = 0; i < needed.size(); ++i)
      for (Value operand : needed[i]->getOperands())
        if (Operation *def = operand.getDefiningOp())
          needed.insert(def);
    for (Operation &op : llvm::make_early_inc_range(llvm::reverse(body)))
      if (!needed.contains(&op))
        op.erase();
    RewritePatternSet patterns(context);
    memref::populateResolveRankedShapedTypeResultDimsPatterns(patterns);
    memref::populateResolveShapedTypeResultDimsPatterns(patterns);
    for (RegisteredOperationName opName : context->getRegisteredOperations())
      opName.getCanonicalizationPatterns(patterns, context);
    if (failed(applyPatternsGreedily(bound, std::move(patterns))))
      return bound.emitError("memory-bound simplification did not converge");

    // What is left must be pure shape arithmetic: running it must not
    // allocate, read or write anything.
    WalkResult pure = bound.walk([&](Operation *op) {
      if (op == bound.getOperation() || (op->getNumRegions() == 0 &&
                                         isMemoryEffectFree(op)))
        return WalkResult::advance();
      op->emitError() << "the memory bound of '" << function.getName()
                      << "' depends on this op";
      return WalkResult::interrupt();
    });
    return failure(pure.wasInterrupted());
  }
};

} // namespace
