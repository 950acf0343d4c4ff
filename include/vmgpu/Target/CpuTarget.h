//===- CpuTarget.h - LLVM dialect -> host shared object ---------*- C++ -*-===//
//
// Turns a module lowered by `vm-to-cpu` into a shared object for the host
// CPU. Every public function `f` with a C interface gets one more entry
// point, `__vmgpu_packed_f(void **args)`, that the runtime calls without
// knowing `f`'s signature at compile time:
//   - args[0] points to the results (one descriptor, or a struct of them,
//     or a scalar returned by value), when `f` has results;
//   - each memref argument is the address of its descriptor;
//   - each scalar argument is the address of its value.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_TARGET_CPUTARGET_H
#define VMGPU_TARGET_CPUTARGET_H

#include "mlir/IR/BuiltinOps.h"

#include <string>
#include <vector>

namespace vmgpu {

/// Prefix of the packed entry points.
inline constexpr llvm::StringLiteral kPackedEntryPrefix = "__vmgpu_packed_";

struct CpuTargetOptions {
  /// LLVM optimization level, 0-3.
  unsigned optLevel = 3;
  /// Link against the OpenMP runtime (the module uses `omp` ops).
  bool linkOpenMP = true;
};

/// Compiles `module` (LLVM dialect, plus `omp`) to the bytes of a shared
/// object. Emits a diagnostic on `module` and fails when translation, code
/// generation or linking fails. Links with lld in process when the build
/// has it (VMGPU_LINK_LLD_LIBRARY), else with ld.lld ($VMGPU_LD_LLD names an
/// executable and wins over both). Thread-safe.
mlir::FailureOr<std::string>
compileToCpuSharedObject(mlir::ModuleOp module, const CpuTargetOptions &options);

/// Registers the translations compileToCpuSharedObject needs.
void registerCpuTargetTranslations(mlir::DialectRegistry &registry);

/// A string naming the host CPU and features (part of cache keys).
std::string getHostCpuDescription();

/// The features of this CPU that host code is compiled with (LLVM's names,
/// the enabled ones, sorted; those code generation could use but the runtime
/// cannot check are off): what an artifact records (Artifact::
/// hostFeatures).
std::vector<std::string> getHostCpuFeatures();

/// A string naming what blocks are linked with and against here: the
/// linker (lld in process, or the executable) and the OpenMP runtime found
/// now (part of cache keys: a block linked without libomp does not load
/// once it is needed, nor one linked against a library that moved).
std::string getBlockLinkDescription();

} // namespace vmgpu

#endif // VMGPU_TARGET_CPUTARGET_H
