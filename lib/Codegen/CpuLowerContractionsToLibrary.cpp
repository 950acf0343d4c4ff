//===- CpuLowerContractionsToLibrary.cpp - CPU contractions as BLAS calls -===//
//
// The CPU's strategy `library`: a configured contraction becomes a plan call
// of the runtime's `vmgpuCpuGemm` on the calling thread and an scf.forall
// that computes each tile of the plan with one more call (a plan of one
// tile runs on the calling thread; a plan the runtime computed itself with
// the library's threads leaves no tile)
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
    // A plan of one tile (or none) runs on the calling thread: the parallel
    // region would wake the sleeping OpenMP threads for nothing, which cost
    // a 64^3 GEMM 17 of its 23 us on two cores.
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    Value several =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ugt, count, one);
    auto callTile = [&](OpBuilder &nested, Value tile) {
      SmallVector<Value> tileOperands = operands;
      tileOperands.back() =
          arith::IndexCastOp::create(nested, loc, nested.getI64Type(), tile);
      func::CallOp::create(nested, loc, callee, tileOperands);
    };
    scf::IfOp::create(
        b, loc, several,
        [&](OpBuilder &nested, Location) {
          auto forall =
              scf::ForallOp::create(nested, loc, ArrayRef<OpFoldResult>{count},
                                    ValueRange(), std::nullopt);
          OpBuilder body(forall.getBody()->getTerminator());
          callTile(body, forall.getInductionVar(0));
          scf::YieldOp::create(nested, loc);
        },
        [&](OpBuilder &nested, Location) {
          Value zero = arith::ConstantIndexOp::create(nested, loc, 0);
          scf::ForOp::create(
              nested, loc, zero, count, one, ValueRange(),
              [&](OpBuilder &body, Location, Value tile, ValueRange) {
                callTile(body, tile);
                scf::YieldOp::create(body, loc);
              });
          scf::YieldOp::create(nested, loc);
        });
    op->erase();
  }
};

} // namespace
