//===- NativeExecutable.h - runs an artifact's native code ------*- C++ -*-===//

#ifndef VMGPU_RUNTIME_NATIVEEXECUTABLE_H
#define VMGPU_RUNTIME_NATIVEEXECUTABLE_H

#include "vmgpu/runtime/Artifact.h"

#include <memory>
#include <vector>

namespace vmgpu::runtime {

/// An artifact's shared object loaded into the process (dlopen). For a
/// "cpu" artifact it is the whole block; for a "cuda" artifact it is the
/// host code, which launches the kernels through the GPU host calls
/// (GpuHostCalls.h): inputs are copied to managed memory first, and any
/// driver error makes run() fail (the engine then falls back to the CPU).
/// A "cuda" artifact must be loaded and run with the device's context
/// current (CudaDriver::makeCurrent).
///
/// Ownership: owns the loaded library; unloads it on destruction.
/// Thread-safety: run() may be called from several threads at once (each
/// call has its own descriptors and result buffers).
class NativeExecutable {
public:
  /// Loads `artifact` (a copy of its signature is kept). NotFound when the
  /// entry point is missing, Internal when the library does not load.
  static StatusOr<std::unique_ptr<NativeExecutable>> load(const Artifact &artifact);
  ~NativeExecutable();
  NativeExecutable(const NativeExecutable &) = delete;
  NativeExecutable &operator=(const NativeExecutable &) = delete;

  /// Runs the entry point on `inputs` (checked against the signature:
  /// InvalidArgument on a mismatch) and returns the results. The inputs are
  /// only read.
  StatusOr<std::vector<HostTensor>>
  run(const std::vector<const HostTensor *> &inputs) const;

  const FunctionSignature &signature() const { return signature_; }

private:
  using PackedEntry = void (*)(void **);
  NativeExecutable(void *library, int memoryFile, PackedEntry entry,
                   PackedEntry check, const Artifact &artifact)
      : library_(library), memoryFile_(memoryFile), entry_(entry), check_(check),
        target_(artifact.target), signature_(artifact.signature),
        shapeChecks_(artifact.shapeChecks) {}

  void *library_;
  /// The memory file the library was loaded from. Kept open while the
  /// library is loaded: dlopen recognizes loaded libraries by path, so a
  /// reused /proc/self/fd/N would hand back this library for another block.
  int memoryFile_;
  PackedEntry entry_;
  /// Null when the block has no run-time shape checks.
  PackedEntry check_;
  std::string target_;
  FunctionSignature signature_;
  std::vector<std::string> shapeChecks_;
};

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_NATIVEEXECUTABLE_H
