//===- Artifact.h - a compiled block as the runtime sees it -----*- C++ -*-===//
//
// What the compiler hands the runtime: the target, the entry point's
// signature and the binary. It needs no MLIR to read, which is what lets a
// process with only the runtime run blocks compiled elsewhere.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_ARTIFACT_H
#define VMGPU_RUNTIME_ARTIFACT_H

#include "vmgpu/runtime/HostTensor.h"

#include <cstdint>
#include <string>
#include <vector>

namespace vmgpu::runtime {

/// One argument or result of an entry point.
struct ValueSignature {
  /// Marks a dynamic dimension in `shape`.
  static constexpr int64_t kDynamic = INT64_MIN;
  ElementType elementType = ElementType::F32;
  /// The tensor's shape; empty for rank 0 and for scalars.
  std::vector<int64_t> shape;
  /// A builtin scalar (f32, i32, ...) rather than a tensor.
  bool isScalar = false;

  /// The MLIR spelling: "tensor<?x4xf32>" or "f32".
  std::string toString() const;
  /// Ok when `tensor` fits: same element type and rank, equal static dims.
  /// A scalar takes a rank-0 tensor. The message names `what`.
  Status accepts(const HostTensor &tensor, const std::string &what) const;
};

struct FunctionSignature {
  std::vector<ValueSignature> arguments;
  std::vector<ValueSignature> results;
};

/// A compiled block. Value type; thread-compatible.
struct Artifact {
  /// "cpu" (a host shared object), "cuda" or "rocm" (host code that
  /// launches the cubin or HSACO kernels it embeds).
  std::string target;
  /// The function the artifact runs.
  std::string entry;
  FunctionSignature signature;
  /// The binary (for "cpu", the bytes of a shared object).
  std::string binary;
  /// Messages of the run-time shape checks, in order. When non-empty, the
  /// binary has a check entry point (`__vmgpu_check_<entry>`) that returns
  /// 0 or 1 + the index of the first check the inputs break.
  std::vector<std::string> shapeChecks;
  /// The CPU features its host code was compiled with (LLVM's names of the
  /// compiling CPU's features, e.g. "avx512f"); loading refuses a CPU that
  /// lacks one (HostCpu.h). Empty: none recorded, nothing checked.
  std::vector<std::string> hostFeatures;
};

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_ARTIFACT_H
