//===- CublasLt.h - cuBLASLt, loaded at run time ----------------*- C++ -*-===//
//
// The GEMM library behind the `library` contraction strategy
// (LibraryGemm.h). Like the CUDA driver it is dlopen'ed, so vmgpu builds
// and runs without it: a missing library makes the strategy unavailable
// (the engine then compiles contractions as kernels, and a block compiled
// for the library fails cleanly and runs on the CPU).
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_CUBLASLT_H
#define VMGPU_RUNTIME_CUBLASLT_H

#include "vmgpu/runtime/Status.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace vmgpu::runtime {

/// cublasLtMatmulAlgo_t and cublasLtMatmulHeuristicResult_t as cublasLt.h
/// lays them out (CUDA 11 to 13).
struct CublasLtAlgorithm {
  uint64_t data[8];
};
struct CublasLtHeuristicResult {
  CublasLtAlgorithm algorithm;
  size_t workspaceBytes;
  int state;
  float wavesCount;
  int reserved[4];
};

/// libcublasLt with its symbols resolved (CublasLtSymbols.def).
///
/// Ownership: get() returns a process-wide singleton that is never
/// unloaded; load() returns an instance the caller owns (the library stays
/// loaded). Thread-safety: get() and every member are safe to call
/// concurrently (cuBLASLt's own calls are, on distinct descriptors).
class CublasLt {
public:
  /// The library, loaded on first use from defaultLibraryNames().
  /// Unavailable when none loads or one lacks a symbol.
  static StatusOr<CublasLt *> get();
  /// get()'s library when an earlier get() loaded it; null otherwise (never
  /// loads: for counters that must not pull in the library).
  static CublasLt *loadedInstance();
  /// Loads the first of `libraries` that dlopen finds. For tests (a fake
  /// library) and embedders; each call makes a new instance.
  static StatusOr<std::unique_ptr<CublasLt>>
  load(const std::vector<std::string> &libraries);
  /// $VMGPU_CUBLASLT_LIBRARY when set, else libcublasLt.so.13, then
  /// libcublasLt.so.
  static std::vector<std::string> defaultLibraryNames();

#define CUBLASLT_SYMBOL(name, ret, params) ret(*name) params = nullptr;
#include "vmgpu/runtime/CublasLtSymbols.def"

  /// Ok, or an error naming `call` with cuBLASLt's status name and text
  /// (Internal: never InvalidArgument, which the engine does not retry on
  /// the CPU). VMGPU_FAULT_INJECT=<call> makes that call fail.
  Status check(int status, const char *call) const;

  /// The file that loaded.
  const std::string &fileName() const { return fileName_; }

private:
  CublasLt() = default;
  std::string fileName_;
};

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_CUBLASLT_H
