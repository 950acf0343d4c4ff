//===- CacheKeys.h - kernel cache keys --------------------------*- C++ -*-===//
//
// What the kernel cache's keys are made of (docs/runtime.md lists it). Every
// key is the hex SHA-256 of length-prefixed parts, so no two different part
// lists give one key.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_LIB_ENGINE_CACHEKEYS_H
#define VMGPU_LIB_ENGINE_CACHEKEYS_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace vmgpu {

/// 64 hex digits of SHA-256 over `parts`.
std::string hashKeyParts(llvm::ArrayRef<llvm::StringRef> parts);

/// Names this build of the compiler: vmgpu's and LLVM's versions plus the
/// size and modification time of the file the compiler's code was loaded
/// from (the tool, or the JIT that links vmgpu). A rebuilt compiler never
/// reads entries written by another build.
const std::string &compilerBuildId();

/// `module` printed with its locations (shape-check messages quote them) in
/// the generic form, which does not depend on how the source was spelled.
std::string canonicalModuleText(mlir::ModuleOp module);

} // namespace vmgpu

#endif // VMGPU_LIB_ENGINE_CACHEKEYS_H
