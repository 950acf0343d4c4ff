//===- CpuAllocationHooks.cpp - CPU blocks allocate through the runtime ---===//

#include "vmgpu/Transforms/Passes.h"

#include "vmgpu/runtime/LibraryGemmAbi.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Matchers.h"

namespace vmgpu {
#define GEN_PASS_DEF_CPUALLOCATIONHOOKS
#include "vmgpu/Transforms/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;

namespace {

/// The generic allocation functions of finalize-memref-to-llvm.
constexpr llvm::StringLiteral kGenericAlloc = "_mlir_memref_to_llvm_alloc";
constexpr llvm::StringLiteral kGenericFree = "_mlir_memref_to_llvm_free";

struct CpuAllocationHooksPass
    : vmgpu::impl::CpuAllocationHooksBase<CpuAllocationHooksPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (failed(checkStackAllocations(module)))
      return signalPassFailure();
    SmallVector<LLVM::CallOp> allocs, frees, gemms;
    WalkResult walk = module.walk([&](LLVM::CallOp call) {
      std::optional<StringRef> callee = call.getCallee();
      // The library GEMM's tiles are called from OpenMP threads; its plan
      // call may end the run, so it must be made by the calling thread.
      if (callee && *callee == vmgpu::kCpuLibraryGemmSymbol) {
        APInt tile;
        if (!call.getArgOperands().empty() &&
            matchPattern(call.getArgOperands().back(), m_ConstantInt(&tile)) &&
            tile.getSExtValue() == vmgpu::kCpuGemmPlan &&
            !isa<LLVM::LLVMFuncOp>(call->getParentOp())) {
          call.emitError() << "the plan call of '" << *callee
                           << "' must be made at the top level of a function";
          return WalkResult::interrupt();
        }
        gemms.push_back(call);
      }
      if (!callee || (*callee != kGenericAlloc && *callee != kGenericFree))
        return WalkResult::advance();
      // Only the calling thread can end a run; OpenMP regions (and any
      // other region) may run elsewhere.
      if (!isa<LLVM::LLVMFuncOp>(call->getParentOp())) {
        call.emitError() << "'" << *callee
                         << "' must be called at the top level of a function";
        return WalkResult::interrupt();
      }
      (*callee == kGenericAlloc ? allocs : frees).push_back(call);
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();
    SmallVector<StringRef> hooks = {StringRef(vmgpu::kCpuAllocHook),
                                    StringRef(vmgpu::kCpuFreeHook)};
    if (!gemms.empty())
      hooks.push_back(vmgpu::kCpuGemmHookSymbol);
    for (StringRef name : hooks)
      if (module.lookupSymbol(name)) {
        module.emitError() << "the symbol '" << name
                           << "' is reserved for the runtime's hooks";
        return signalPassFailure();
      }

    OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
    auto ptr = LLVM::LLVMPointerType::get(&getContext());
    Location loc = module.getLoc();
    for (StringRef name : hooks) {
      // External and writable: the runtime finds it with dlsym and stores
      // its function there before the first run.
      auto global = LLVM::GlobalOp::create(
          builder, loc, ptr, /*isConstant=*/false, LLVM::Linkage::External,
          name, Attribute());
      Block *init = builder.createBlock(&global.getInitializerRegion());
      builder.setInsertionPointToStart(init);
      Value null = LLVM::ZeroOp::create(builder, loc, ptr);
      LLVM::ReturnOp::create(builder, loc, null);
      builder.setInsertionPointAfter(global);
    }
    // A fresh buffer aliases nothing, as LLVM knows of malloc's result: keep
    // that for alias analysis (vectorization without overlap checks).
    Builder attrs(&getContext());
    ArrayAttr noalias = attrs.getArrayAttr({attrs.getDictionaryAttr(
        attrs.getNamedAttr(LLVM::LLVMDialect::getNoAliasAttrName(),
                           attrs.getUnitAttr()))});
    for (LLVM::CallOp call : redirect(allocs, vmgpu::kCpuAllocHook))
      call.setResAttrsAttr(noalias);
    redirect(frees, vmgpu::kCpuFreeHook);
    redirect(gemms, vmgpu::kCpuGemmHookSymbol);
    for (StringRef name : {StringRef(kGenericAlloc), StringRef(kGenericFree),
                           StringRef(vmgpu::kCpuLibraryGemmSymbol)})
      if (auto declaration = module.lookupSymbol<LLVM::LLVMFuncOp>(name))
        if (declaration.isExternal() &&
            SymbolTable::symbolKnownUseEmpty(declaration, module))
          declaration.erase();
  }

  /// A stack allocation sized at run time could be sized by the input.
  LogicalResult checkStackAllocations(ModuleOp module) {
    WalkResult walk = module.walk([&](LLVM::AllocaOp alloca) {
      if (matchPattern(alloca.getArraySize(), m_Constant()))
        return WalkResult::advance();
      alloca.emitError("a stack allocation with a run-time size (the input "
                       "could overflow the stack)");
      return WalkResult::interrupt();
    });
    return failure(walk.wasInterrupted());
  }

  /// Calls through the function pointer stored in global `hook`; returns
  /// the new calls.
  SmallVector<LLVM::CallOp> redirect(ArrayRef<LLVM::CallOp> calls,
                                     StringRef hook) {
    auto ptr = LLVM::LLVMPointerType::get(&getContext());
    SmallVector<LLVM::CallOp> redirected;
    for (LLVM::CallOp call : calls) {
      OpBuilder builder(call);
      Location loc = call.getLoc();
      Value address = LLVM::AddressOfOp::create(builder, loc, ptr, hook);
      Value function = LLVM::LoadOp::create(builder, loc, ptr, address);
      SmallVector<Value> operands = {function};
      llvm::append_range(operands, call.getArgOperands());
      auto indirect = LLVM::CallOp::create(builder, loc,
                                           call.getCalleeFunctionType(),
                                           operands);
      call.replaceAllUsesWith(indirect.getResults());
      call.erase();
      redirected.push_back(indirect);
    }
    return redirected;
  }
};

} // namespace
