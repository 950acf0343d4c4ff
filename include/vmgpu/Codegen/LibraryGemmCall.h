//===- LibraryGemmCall.h - the operands of a library GEMM call --*- C++ -*-===//
//
// What the GPU and CPU lowerings of the `library` strategy share: the
// runtime call's declaration and its operands, computed from memref
// metadata only (LibraryGemmAbi.h describes the call).
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_CODEGEN_LIBRARYGEMMCALL_H
#define VMGPU_CODEGEN_LIBRARYGEMMCALL_H

#include "vmgpu/Codegen/LibraryGemm.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace vmgpu {

/// The contractions in `module` configured with strategy `library` that
/// `library` takes (matchLibraryGemm on buffers), with their matches; the
/// others keep their configuration and the loop or kernel lowering, with a
/// remark saying why when `remarkRefusals` is set. Failure (with the error
/// at the op) on a malformed configuration.
mlir::FailureOr<
    llvm::SmallVector<std::pair<mlir::linalg::LinalgOp, LibraryGemm>>>
collectLibraryContractions(mlir::ModuleOp module, GemmLibrary library,
                           bool remarkRefusals);

/// A library GEMM call's operands (LibraryGemmAbi.h).
struct LibraryGemmCall {
  /// vmgpuGemm's (and vmgpuCpuGemm's but the tile), then the bias address
  /// when `hasEpilogue`.
  llvm::SmallVector<mlir::Value> operands;
  /// The call is vmgpuGemmEpilogue's: it computes the elementwise op after
  /// `op`, which is gone (a relu in it is left as a kernel of its own).
  bool hasEpilogue = false;
};

/// The operands of a library GEMM call for `op` (matched as `gemm`),
/// built before `op`: element type codes, flags, batch, M, N, K, then per
/// operand its address and batch, row and column strides in elements. A
/// zero fill of exactly the output just before `op` is erased and becomes
/// the flag kGemmOutputZero when K is static and nonzero. With
/// `takeEpilogue` (cuBLASLt), a bias add and f16 rounding after that
/// product that the library computes as the contract does become the
/// call's epilogue (LibraryGemmAbi.h): the call writes their output, and
/// the elementwise op is erased (a relu between them stays, as a kernel in
/// place on that output). Everything is computed from memref metadata: the
/// code never reads the operands.
LibraryGemmCall buildLibraryGemmCall(mlir::OpBuilder &builder,
                                     mlir::linalg::LinalgOp op,
                                     const LibraryGemm &gemm,
                                     bool takeEpilogue);

/// The private declaration of the runtime call `name` of `type` in `module`
/// (marked `vmgpu.runtime_library_call`), made on first use; an error on a
/// symbol of that name that is not such a declaration.
mlir::FailureOr<mlir::func::FuncOp>
getOrDeclareRuntimeCall(mlir::ModuleOp module, llvm::StringRef name,
                        mlir::FunctionType type);

} // namespace vmgpu

#endif // VMGPU_CODEGEN_LIBRARYGEMMCALL_H
