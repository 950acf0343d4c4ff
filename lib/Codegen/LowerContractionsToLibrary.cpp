//===- LowerContractionsToLibrary.cpp - contractions as GEMM library calls ===//
//
// The strategy `library`: a configured contraction becomes one call of the
// runtime's `vmgpuGemm` (include/vmgpu/runtime/LibraryGemmAbi.h) in the
// block's host code. The host code only computes addresses and strides
// (metadata), so vm-verify-host-code's rule holds: the host never touches
// block data.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Codegen/Passes.h"

#include "vmgpu/Codegen/LibraryGemmCall.h"

namespace vmgpu {
#define GEN_PASS_DEF_GPULOWERCONTRACTIONSTOLIBRARY
#include "vmgpu/Codegen/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;
using namespace vmgpu;

namespace {

/// The signature of vmgpuGemm: four i32 (types, flags), four i64 sizes,
/// then address and three strides per operand, all i64; vmgpuGemmEpilogue
/// adds the bias address (i64).
FunctionType gemmCallType(MLIRContext *context, bool withEpilogue) {
  Builder b(context);
  SmallVector<Type> inputs(4, b.getI32Type());
  inputs.append(4 + 3 * 4 + (withEpilogue ? 1 : 0), b.getI64Type());
  return b.getFunctionType(inputs, {});
}

struct GpuLowerContractionsToLibraryPass
    : vmgpu::impl::GpuLowerContractionsToLibraryBase<
          GpuLowerContractionsToLibraryPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<SmallVector<std::pair<linalg::LinalgOp, LibraryGemm>>> work =
        collectLibraryContractions(module, GemmLibrary::CublasLt,
                                   /*remarkRefusals=*/false);
    if (failed(work))
      return signalPassFailure();
    if (work->empty())
      return;
    // Both declarations first: a clash with another symbol fails the pass
    // before anything is rewritten. The one no call uses goes at the end.
    func::FuncOp callees[2];
    for (bool withEpilogue : {false, true}) {
      FailureOr<func::FuncOp> callee = getOrDeclareRuntimeCall(
          module,
          withEpilogue ? kLibraryGemmEpilogueSymbol : kLibraryGemmSymbol,
          gemmCallType(module.getContext(), withEpilogue));
      if (failed(callee))
        return signalPassFailure();
      callees[withEpilogue] = *callee;
    }
    for (auto &[op, gemm] : *work) {
      OpBuilder b(op);
      LibraryGemmCall call =
          buildLibraryGemmCall(b, op, gemm, /*takeEpilogue=*/true);
      func::CallOp::create(b, op.getLoc(), callees[call.hasEpilogue],
                           call.operands);
      op->erase();
    }
    for (func::FuncOp callee : callees)
      if (callee.symbolKnownUseEmpty(module))
        callee.erase();
  }
};

} // namespace
