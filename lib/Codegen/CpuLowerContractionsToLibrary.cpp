//===- CpuLowerContractionsToLibrary.cpp - CPU contractions as BLAS calls -===//
//
// The CPU's strategy `library`: a configured contraction becomes a plan call
// of the runtime's `vmgpuCpuGemm` on the calling thread and an scf.forall
// that computes each tile of the plan with one more call (a plan the
// runtime computed itself with the library's threads leaves no tile)
// (include/vmgpu/runtime/LibraryGemmAbi.h). The forall becomes an OpenMP
// loop like the other strategies' foralls: vmgpu's threads do the work, one
// single-threaded BLAS call each.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Codegen/Passes.h"

#include "vmgpu/Codegen/LibraryGemmCall.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

namespace vmgpu {
#define GEN_PASS_DEF_CPULOWERCONTRACTIONSTOLIBRARY
#include "vmgpu/Codegen/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;
using namespace vmgpu;

namespace {

/// The signature of vmgpuCpuGemm: vmgpuGemm's (four i32, four i64 sizes,
/// address and three strides per operand), then the tile; the result is the
/// tile count of a plan call.
FunctionType cpuGemmCallType(MLIRContext *context) {
  Builder b(context);
  SmallVector<Type> inputs(4, b.getI32Type());
  inputs.append(4 + 3 * 4 + 1, b.getI64Type());
  return b.getFunctionType(inputs, {b.getI64Type()});
}

struct CpuLowerContractionsToLibraryPass
    : vmgpu::impl::CpuLowerContractionsToLibraryBase<
          CpuLowerContractionsToLibraryPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    FailureOr<SmallVector<std::pair<linalg::LinalgOp, LibraryGemm>>> work =
        collectLibraryContractions(module, GemmLibrary::CpuBlas,
                                   /*remarkRefusals=*/true);
    if (failed(work))
      return signalPassFailure();
    if (work->empty())
      return;
    FailureOr<func::FuncOp> callee = getOrDeclareRuntimeCall(
        module, kCpuLibraryGemmSymbol, cpuGemmCallType(module.getContext()));
    if (failed(callee))
      return signalPassFailure();
    for (auto &[op, gemm] : *work)
      lower(op, gemm, *callee);
  }

  void lower(linalg::LinalgOp op, const LibraryGemm &gemm,
             func::FuncOp callee) {
    OpBuilder b(op);
    Location loc = op.getLoc();
    SmallVector<Value> operands =
        buildLibraryGemmCall(b, op, gemm, /*takeEpilogue=*/false).operands;
    operands.push_back(arith::ConstantIntOp::create(b, loc, kCpuGemmPlan, 64));
    Value tiles = func::CallOp::create(b, loc, callee, operands).getResult(0);
    Value count = arith::IndexCastOp::create(b, loc, b.getIndexType(), tiles);
    // A plan of one tile (or none) runs on the calling thread anyway:
    // vm-cpu-guard-small-parallel-regions gives the forall's OpenMP region
    // an `if` on its tile count (its body, a call, has no known work).
    auto forall = scf::ForallOp::create(b, loc, ArrayRef<OpFoldResult>{count},
                                        ValueRange(), std::nullopt);
    b.setInsertionPoint(forall.getBody()->getTerminator());
    operands.back() = arith::IndexCastOp::create(b, loc, b.getI64Type(),
                                                 forall.getInductionVar(0));
    func::CallOp::create(b, loc, callee, operands);
    op->erase();
  }
};

} // namespace
