//===- OutlineMemoryBound.cpp - a block's memory need as an entry point ---===//
//
// vm-outline-memory-bound counts the buffers bufferization made;
// vm-count-late-allocations adds those the code generation strategies make
// later (the partials of reductions), marked with
// vmgpu::kLateAllocationAttrName.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/DataLayoutInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/MathExtras.h"

namespace vmgpu {
#define GEN_PASS_DEF_OUTLINEMEMORYBOUND
#define GEN_PASS_DEF_COUNTLATEALLOCATIONS
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

/// dim(collapse_shape(src), i) -> the product of src's dims in group i:
/// memref.collapse_shape neither folds its dims nor reifies its shape in
/// MLIR 22, and a strategy may size its partials from a dim of one (a
/// reduction of a reshaped temporary), which would otherwise keep the
/// temporary's allocation in the bound.
struct DimOfCollapseShape : OpRewritePattern<memref::DimOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(memref::DimOp op,
                                PatternRewriter &rewriter) const override {
    auto collapse = op.getSource().getDefiningOp<memref::CollapseShapeOp>();
    std::optional<int64_t> index = op.getConstantIndex();
    if (!collapse || !index ||
        *index >= static_cast<int64_t>(collapse.getReassociationIndices().size()))
      return failure();
    Location loc = op.getLoc();
    Value product;
    for (int64_t d : collapse.getReassociationIndices()[*index]) {
      Value size =
          memref::DimOp::create(rewriter, loc, collapse.getSrc(), d);
      product = product ? arith::MulIOp::create(rewriter, loc, product, size)
                              .getResult()
                        : size;
    }
    rewriter.replaceOp(op, product);
    return success();
  }
};

bool allocates(Operation *op) {
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  return effects && effects.hasEffect<MemoryEffects::Allocate>();
}

/// The bytes of an allocation and the overhead the lowering and the
/// runtime add to it.
Value allocationBytes(SaturatingBuilder &sat, memref::AllocOp alloc,
                      const DataLayout &layout) {
  MemRefType type = alloc.getType();
  uint64_t element = std::max<uint64_t>(
      1, layout.getTypeSize(type.getElementType()).getFixedValue());
  // The lowering of memref.alloc asks for `alignment` more bytes to align
  // the buffer itself.
  uint64_t alignment = alloc.getAlignment().value_or(element);
  return sat.bytes(type, alloc.getDynamicSizes(), element,
                   alignment + kAllocationHeaderBytes);
}

/// A copy of `function` named `name` that takes its arguments and returns,
/// as an i64, the bytes of its top-level allocations that `counts` selects
/// (plus the runtime's copy of each result when `countResults`), reduced to
/// the shape arithmetic that computes them. Fails with an error at the op
/// the total would depend on that is not pure shape arithmetic.
FailureOr<func::FuncOp>
buildBoundFunction(func::FuncOp function, StringRef name,
                   function_ref<bool(memref::AllocOp)> counts,
                   bool countResults) {
  MLIRContext *context = function.getContext();
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

  Value total;
  SmallVector<memref::AllocOp> allocs(body.getOps<memref::AllocOp>());
  for (memref::AllocOp alloc : allocs)
    if (counts(alloc))
      total = sat.add(total, allocationBytes(sat, alloc, layout));
  // The runtime's copy of each result.
  if (countResults) {
    for (Value result : terminator->getOperands()) {
      auto type = dyn_cast<MemRefType>(result.getType());
      if (!type)
        continue;
      SmallVector<Value> dynamicSizes;
      for (auto [i, dim] : llvm::enumerate(type.getShape()))
        if (ShapedType::isDynamic(dim))
          dynamicSizes.push_back(memref::DimOp::create(builder, loc, result, i));
      uint64_t element = std::max<uint64_t>(
          1, layout.getTypeSize(type.getElementType()).getFixedValue());
      total = sat.add(total, sat.bytes(type, dynamicSizes, element, 0));
    }
  }
  if (!total)
    total = sat.constant(0);
  func::ReturnOp::create(builder, loc, total);
  terminator->erase();

  // Keep only what the total depends on: the computation dies, and dims of
  // buffers resolve to the sizes their allocations were given.
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
  patterns.add<DimOfCollapseShape>(context);
  for (RegisteredOperationName opName : context->getRegisteredOperations())
    opName.getCanonicalizationPatterns(patterns, context);
  if (failed(applyPatternsGreedily(bound, std::move(patterns)))) {
    bound.emitError("memory-bound simplification did not converge");
    bound.erase();
    return failure();
  }

  // What is left must be pure shape arithmetic: running it must not
  // allocate, read or write anything.
  WalkResult pure = bound.walk([&](Operation *op) {
    if (op == bound.getOperation() ||
        (op->getNumRegions() == 0 && isMemoryEffectFree(op)))
      return WalkResult::advance();
    op->emitError() << "the memory bound of '" << function.getName()
                    << "' depends on this op";
    return WalkResult::interrupt();
  });
  if (pure.wasInterrupted()) {
    bound.erase();
    return failure();
  }
  return bound;
}

/// The functions that get a memory bound: the block's entry points (public,
/// defined, not a shape check or a bound itself).
bool hasMemoryBound(func::FuncOp function) {
  return function.isPublic() && !function.isExternal() &&
         !function.getName().starts_with(vmgpu::kShapeCheckPrefix) &&
         !function.getName().starts_with(vmgpu::kMemoryBoundPrefix);
}

/// The functions of `module` that get a memory bound, collected first so that
/// the bound functions added next to them are not visited.
SmallVector<func::FuncOp> functionsWithBound(ModuleOp module) {
  SmallVector<func::FuncOp> functions;
  for (auto function : module.getOps<func::FuncOp>())
    if (hasMemoryBound(function))
      functions.push_back(function);
  return functions;
}

struct OutlineMemoryBoundPass
    : vmgpu::impl::OutlineMemoryBoundBase<OutlineMemoryBoundPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (func::FuncOp function : functionsWithBound(module))
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
    if (!function.getBody().hasOneBlock())
      return function.emitError("the memory bound needs a single-block "
                                "function");
    if (failed(checkAllocations(function)))
      return failure();
    std::string name = (vmgpu::kMemoryBoundPrefix + function.getName()).str();
    if (module.lookupSymbol(name))
      return function.emitError() << "the symbol '" << name
                                  << "' is reserved for the memory bound";
    return failure(failed(buildBoundFunction(
        function, name, [](memref::AllocOp) { return true; },
        /*countResults=*/true)));
  }
};

struct CountLateAllocationsPass
    : vmgpu::impl::CountLateAllocationsBase<CountLateAllocationsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (func::FuncOp function : functionsWithBound(module))
      if (failed(count(module, function)))
        return signalPassFailure();
    // Functions without a bound (private ones: never called, blocks have no
    // calls) only lose the marks.
    module.walk([](memref::AllocOp alloc) {
      alloc->removeAttr(vmgpu::kLateAllocationAttrName);
    });
  }

  LogicalResult count(ModuleOp module, func::FuncOp function) {
    auto isLate = [](Operation *op) {
      return op->hasAttr(vmgpu::kLateAllocationAttrName);
    };
    memref::AllocOp first;
    WalkResult nested = function.walk([&](memref::AllocOp alloc) {
      if (!isLate(alloc))
        return WalkResult::advance();
      if (!first)
        first = alloc;
      if (alloc->getParentOp() == function)
        return WalkResult::advance();
      alloc.emitError("the memory bound needs every allocation at the top "
                      "level of the function");
      return WalkResult::interrupt();
    });
    if (nested.wasInterrupted())
      return failure();
    if (!first)
      return success();
    std::string name = (vmgpu::kMemoryBoundPrefix + function.getName()).str();
    auto bound = module.lookupSymbol<func::FuncOp>(name);
    if (!bound)
      return first.emitError()
             << "allocations made after vm-outline-memory-bound, but no '"
             << name << "' to count them in";
    FailureOr<func::FuncOp> late = buildBoundFunction(
        function, name + "__late",
        [&](memref::AllocOp alloc) { return isLate(alloc); },
        /*countResults=*/false);
    if (failed(late))
      return failure();

    // The late total, computed in the bound from the same arguments, is
    // added to what the bound returned.
    Block &lateBody = late->getBody().front();
    Operation *terminator = bound.getBody().front().getTerminator();
    OpBuilder builder(terminator);
    IRMapping mapping;
    mapping.map(lateBody.getArguments(), bound.getArguments());
    for (Operation &op : lateBody.without_terminator())
      builder.clone(op, mapping);
    SaturatingBuilder sat{builder, function.getLoc()};
    Value lateTotal =
        mapping.lookup(lateBody.getTerminator()->getOperand(0));
    terminator->setOperand(0, sat.add(terminator->getOperand(0), lateTotal));
    late->erase();
    return success();
  }
};

} // namespace
