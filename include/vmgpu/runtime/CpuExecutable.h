//===- CpuExecutable.h - runs a CPU artifact in this process ----*- C++ -*-===//

#ifndef VMGPU_RUNTIME_CPUEXECUTABLE_H
#define VMGPU_RUNTIME_CPUEXECUTABLE_H

#include "vmgpu/runtime/Artifact.h"

#include <memory>
#include <vector>

namespace vmgpu::runtime {

/// A "cpu" artifact loaded into the process (dlopen of its shared object).
///
/// Ownership: owns the loaded library; unloads it on destruction.
/// Thread-safety: run() may be called from several threads at once (each
/// call has its own descriptors and result buffers).
class CpuExecutable {
public:
  /// Loads `artifact` (a copy of its signature is kept). NotFound when the
  /// entry point is missing, Internal when the library does not load.
  static StatusOr<std::unique_ptr<CpuExecutable>> load(const Artifact &artifact);
  ~CpuExecutable();
  CpuExecutable(const CpuExecutable &) = delete;
  CpuExecutable &operator=(const CpuExecutable &) = delete;

  /// Runs the entry point on `inputs` (checked against the signature:
  /// InvalidArgument on a mismatch) and returns the results. The inputs are
  /// only read.
  StatusOr<std::vector<HostTensor>>
  run(const std::vector<const HostTensor *> &inputs) const;

  const FunctionSignature &signature() const { return signature_; }

private:
  using PackedEntry = void (*)(void **);
  CpuExecutable(void *library, PackedEntry entry, PackedEntry check,
                const Artifact &artifact)
      : library_(library), entry_(entry), check_(check),
        signature_(artifact.signature), shapeChecks_(artifact.shapeChecks) {}

  void *library_;
  PackedEntry entry_;
  /// Null when the block has no run-time shape checks.
  PackedEntry check_;
  FunctionSignature signature_;
  std::vector<std::string> shapeChecks_;
};

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_CPUEXECUTABLE_H
