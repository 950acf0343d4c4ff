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

#include "vmgpu/Codegen/LibraryGemm.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace vmgpu {
#define GEN_PASS_DEF_GPULOWERCONTRACTIONSTOLIBRARY
#include "vmgpu/Codegen/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;
using namespace vmgpu;

namespace {

/// The attribute that marks the declaration of a runtime library call
/// (vm-verify-host-code checks its calls like launches).
constexpr llvm::StringLiteral kRuntimeLibraryCallAttr =
    "vmgpu.runtime_library_call";

/// The signature of vmgpuGemm: four i32 (types, flags), four i64 sizes,
/// then address and three strides per operand, all i64.
FunctionType gemmCallType(MLIRContext *context) {
  Builder b(context);
  SmallVector<Type> inputs(4, b.getI32Type());
  inputs.append(4 + 3 * 4, b.getI64Type());
  return b.getFunctionType(inputs, {});
}

/// The declaration of vmgpuGemm in `module`, made on first use.
FailureOr<func::FuncOp> getOrDeclareGemm(ModuleOp module) {
  FunctionType type = gemmCallType(module.getContext());
  if (auto existing = module.lookupSymbol<func::FuncOp>(kLibraryGemmSymbol)) {
    if (existing.getFunctionType() != type || !existing.isDeclaration())
      return existing.emitOpError()
             << "'" << kLibraryGemmSymbol
             << "' is the runtime's GEMM call and cannot be redefined";
    return existing;
  }
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  auto declaration =
      func::FuncOp::create(b, module.getLoc(), kLibraryGemmSymbol, type);
  declaration.setPrivate();
  declaration->setAttr(kRuntimeLibraryCallAttr, b.getUnitAttr());
  return declaration;
}

/// A `linalg.fill` of zero into exactly `output` with only ops free of
/// memory effects (and not using `output`) between it and `op`; null when
/// there is none. Any other op in between might write a view of `output`.
linalg::FillOp findZeroFill(Operation *op, Value output) {
  for (Operation *before = op->getPrevNode(); before;
       before = before->getPrevNode()) {
    if (auto fill = dyn_cast<linalg::FillOp>(before)) {
      Value value = fill.getInputs().front();
      bool zero = matchPattern(value, m_PosZeroFloat()) ||
                  matchPattern(value, m_Zero());
      return zero && fill.getOutputs().front() == output ? fill : nullptr;
    }
    if (llvm::is_contained(before->getOperands(), output) ||
        !isMemoryEffectFree(before))
      return nullptr;
  }
  return nullptr;
}

struct GpuLowerContractionsToLibraryPass
    : vmgpu::impl::GpuLowerContractionsToLibraryBase<
          GpuLowerContractionsToLibraryPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<std::pair<linalg::LinalgOp, LibraryGemm>> work;
    WalkResult walk = module.walk([&](linalg::LinalgOp op) {
      FailureOr<std::optional<LoweringConfig>> config = getLoweringConfig(op);
      if (failed(config))
        return WalkResult::interrupt();
      if (!*config || (*config)->strategy != Strategy::Library)
        return WalkResult::advance();
      std::string reason;
      FailureOr<LibraryGemm> gemm = matchLibraryGemm(op, reason);
      if (succeeded(gemm))
        work.emplace_back(op, *gemm);
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();
    if (work.empty())
      return;
    FailureOr<func::FuncOp> callee = getOrDeclareGemm(module);
    if (failed(callee))
      return signalPassFailure();
    for (auto &[op, gemm] : work)
      lower(op, gemm, *callee);
  }

  /// The device address of `buffer`'s first element, and its batch, row and
  /// column strides in elements (0 for a missing batch dim), as i64. Strides
  /// and offsets the type knows are constants; the others come from
  /// `memref.extract_strided_metadata`.
  SmallVector<Value> describeOperand(OpBuilder &b, Location loc, Value buffer,
                                     const LibraryGemmOperand &matrix,
                                     int64_t elementBytes) {
    auto type = cast<MemRefType>(buffer.getType());
    SmallVector<int64_t> staticStrides;
    int64_t staticOffset;
    (void)type.getStridesAndOffset(staticStrides, staticOffset);
    auto metadata = memref::ExtractStridedMetadataOp::create(b, loc, buffer);
    auto known = [&](int64_t value, Value dynamic) -> Value {
      if (ShapedType::isDynamic(value))
        return dynamic;
      return arith::ConstantIndexOp::create(b, loc, value);
    };
    Value aligned =
        memref::ExtractAlignedPointerAsIndexOp::create(b, loc, buffer);
    Value address = aligned;
    if (staticOffset != 0) {
      Value offsetBytes = b.createOrFold<arith::MulIOp>(
          loc, known(staticOffset, metadata.getOffset()),
          arith::ConstantIndexOp::create(b, loc, elementBytes));
      address = arith::AddIOp::create(b, loc, aligned, offsetBytes);
    }
    auto stride = [&](int64_t dim) -> Value {
      if (dim < 0)
        return arith::ConstantIndexOp::create(b, loc, 0);
      return known(staticStrides[dim], metadata.getStrides()[dim]);
    };
    SmallVector<Value> values = {address, stride(matrix.batchDim),
                                 stride(matrix.rowDim), stride(matrix.colDim)};
    for (Value &value : values)
      value = b.createOrFold<arith::IndexCastOp>(loc, b.getI64Type(), value);
    if (metadata->use_empty())
      metadata->erase();
    return values;
  }

  void lower(linalg::LinalgOp op, const LibraryGemm &gemm,
             func::FuncOp callee) {
    OpBuilder b(op);
    Location loc = op.getLoc();
    Value a = op.getDpsInputOperand(0)->get();
    Value bMatrix = op.getDpsInputOperand(1)->get();
    Value c = op.getDpsInitOperand(0)->get();
    // The zero fill folds into the call only when K is known to be nonzero:
    // with K = 0 the library computes nothing, and C must still be zero.
    int32_t flags = 0;
    int64_t staticK = cast<MemRefType>(a.getType()).getDimSize(gemm.a.colDim);
    if (!ShapedType::isDynamic(staticK) && staticK > 0)
      if (linalg::FillOp fill = findZeroFill(op, c)) {
        fill.erase();
        flags |= kGemmOutputZero;
      }
    auto i32 = [&](int64_t value) -> Value {
      return arith::ConstantIntOp::create(b, loc, value, 32);
    };
    auto size = [&](Value buffer, int64_t dim) -> Value {
      if (dim < 0)
        return arith::ConstantIntOp::create(b, loc, 1, 64);
      Value extent = b.createOrFold<memref::DimOp>(loc, buffer, dim);
      return b.createOrFold<arith::IndexCastOp>(loc, b.getI64Type(), extent);
    };
    SmallVector<Value> arguments = {i32(static_cast<int32_t>(gemm.aType)),
                                    i32(static_cast<int32_t>(gemm.bType)),
                                    i32(static_cast<int32_t>(gemm.cType)),
                                    i32(flags),
                                    size(c, gemm.c.batchDim),
                                    size(a, gemm.a.rowDim),
                                    size(bMatrix, gemm.b.colDim),
                                    size(a, gemm.a.colDim)};
    for (auto [buffer, matrix, type] :
         {std::make_tuple(a, gemm.a, gemm.aType),
          std::make_tuple(bMatrix, gemm.b, gemm.bType),
          std::make_tuple(c, gemm.c, gemm.cType)})
      llvm::append_range(arguments, describeOperand(b, loc, buffer, matrix,
                                                    gemmElementBytes(type)));
    func::CallOp::create(b, loc, callee, arguments);
    op->erase();
  }
};

} // namespace
