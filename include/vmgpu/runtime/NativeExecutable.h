//===- NativeExecutable.h - runs an artifact's native code ------*- C++ -*-===//

#ifndef VMGPU_RUNTIME_NATIVEEXECUTABLE_H
#define VMGPU_RUNTIME_NATIVEEXECUTABLE_H

#include "vmgpu/runtime/Artifact.h"
#include "vmgpu/runtime/DeviceConstants.h"
#include "vmgpu/runtime/GpuDevice.h"
#include "vmgpu/runtime/GpuGraphPlans.h"
#include "vmgpu/runtime/GpuHostBackend.h"

#include <memory>
#include <optional>
#include <vector>

namespace vmgpu::runtime {

class CpuBlas;

/// An artifact's shared object loaded into the process (dlopen). For a
/// "cpu" artifact it is the whole block; for a "cuda" or "rocm" artifact it
/// is the host code, which launches the kernels through the GPU host calls
/// (GpuHostCalls.h) on a GpuDevice (GpuDevice.h: its stream, pool and
/// function cache), made current on the calling thread while the library
/// loads, runs and unloads. Inputs are copied to device buffers from the
/// device's pool, and any driver error makes run() fail (the engine then
/// falls back to the CPU).
///
/// Ownership: owns the loaded library; unloads it on destruction. Does not
/// own its device (except the one load(artifact, backend) makes), which
/// must outlive it.
/// Thread-safety: run() may be called from several threads at once (each
/// call has its own descriptors and result buffers).
class NativeExecutable {
public:
  struct RunOptions {
    /// GPU blocks: return device-resident results (DeviceTensors.h; owner()
    /// == residence()) instead of copying them to the heap, and do not wait
    /// for the device. The host must not read them (copyTensorToHost does);
    /// passed to a block on the same device they are used in place. CPU
    /// blocks return host tensors either way.
    bool keepResultsOnDevice = false;
    /// The most bytes a run may need (what the block's memory-bound entry
    /// point computes, plus a GPU block's copies of its inputs); a run that
    /// needs more is refused with ResourceExhausted before it starts.
    /// Unset: what the process can still get (processMemoryHeadroom in
    /// BlockMemory.h), looked at only for runs that need at least
    /// kSmallRunBytes. A run whose need overflows 64 bits is always refused.
    std::optional<uint64_t> memoryMaxBytes;
    /// GPU blocks: replay the block's launches as a graph on repeated runs
    /// of the same shapes (GpuGraphPlans.h; docs/runtime.md, "Graphs").
    /// Ignored while kernels are timed (VMGPU_KERNEL_TIMING) and where the
    /// driver has no graphs.
    bool graphs = false;
  };
  /// Loads `artifact` (a copy of its signature is kept); a GPU artifact on
  /// device 0 of its target (GpuDevice::get). InvalidArgument for an unknown
  /// target, Unavailable when the target's driver is missing (no
  /// libcuda.so.1 for "cuda", no libamdhip64.so for "rocm"), NotFound when
  /// the entry point, its memory-bound entry point or (for "cpu") the
  /// allocation hooks are missing, Internal when the library does not load.
  static StatusOr<std::unique_ptr<NativeExecutable>>
  load(const Artifact &artifact);
  /// As above, on `device` (whose kind must be the artifact's target),
  /// which must outlive the executable.
  static StatusOr<std::unique_ptr<NativeExecutable>>
  load(const Artifact &artifact, GpuDevice &device);
  /// As above, on device 0 of `backend` (a device the executable makes and
  /// owns) instead of the process driver's: tests, and drivers the caller
  /// loaded itself. `backend` must outlive the executable.
  static StatusOr<std::unique_ptr<NativeExecutable>>
  load(const Artifact &artifact, const GpuHostBackend &backend);
  ~NativeExecutable();
  NativeExecutable(const NativeExecutable &) = delete;
  NativeExecutable &operator=(const NativeExecutable &) = delete;

  /// Runs the entry point on `inputs` (checked against the signature and
  /// the shape checks: InvalidArgument on a mismatch) and returns the
  /// results. The inputs are only read. A run that needs more memory than
  /// `options.memoryMaxBytes` allows is refused (ResourceExhausted, before
  /// anything is allocated); a CPU run whose allocation fails anyway stops
  /// there with OutOfMemory, its buffers freed. A CPU block reads its inputs
  /// in place. A GPU block copies each input to device memory first, except
  /// inputs already there (owner() == residence()), and waits for its
  /// device's stream once, at the end.
  StatusOr<std::vector<HostTensor>>
  run(const std::vector<const HostTensor *> &inputs,
      const RunOptions &options) const;
  StatusOr<std::vector<HostTensor>>
  run(const std::vector<const HostTensor *> &inputs) const {
    return run(inputs, RunOptions());
  }

  /// The bytes a run on `inputs` needs at most: the block's memory-bound
  /// entry point (every buffer it allocates and the copies of its results),
  /// plus, for a GPU block, the inputs it copies to the device; UINT64_MAX
  /// when that overflows. The inputs are checked as run() checks them.
  StatusOr<uint64_t>
  memoryNeeded(const std::vector<const HostTensor *> &inputs) const;

  /// The owner() of tensors in this block's device memory: its GpuDevice;
  /// null for CPU blocks.
  const void *residence() const { return device_; }
  /// The device a GPU block runs on; null for CPU blocks.
  GpuDevice *device() const { return device_; }

  const FunctionSignature &signature() const { return signature_; }

private:
  using PackedEntry = void (*)(void **);
  NativeExecutable(void *library, int memoryFile, PackedEntry entry,
                   PackedEntry check, PackedEntry memory, GpuDevice *device,
                   const Artifact &artifact)
      : library_(library), memoryFile_(memoryFile), entry_(entry),
        check_(check), memory_(memory), device_(device),
        signature_(artifact.signature), shapeChecks_(artifact.shapeChecks) {}
  static StatusOr<std::unique_ptr<NativeExecutable>>
  loadWith(const Artifact &artifact, GpuDevice *device,
           std::unique_ptr<GpuDevice> ownedDevice);
  StatusOr<std::vector<HostTensor>>
  runOnCpu(const std::vector<const HostTensor *> &inputs) const;
  StatusOr<std::vector<HostTensor>>
  runOnDevice(const std::vector<const HostTensor *> &inputs,
              const RunOptions &options) const;
  /// Checks `inputs` against the signature and the shape checks, and
  /// returns memoryNeeded's number.
  StatusOr<uint64_t>
  checkInputs(const std::vector<const HostTensor *> &inputs) const;
  /// The packed arguments of the entry points: a slot for the results at
  /// `resultSlot` (omitted when there are no results), then one per input,
  /// pointing into `descriptors` for tensors whose data is at `data[i]`.
  /// Without `descriptors`, the key of a run's graph plan (each input's
  /// residence and shape, the scalars' bytes); with them, what a graph
  /// replay must find unchanged (the input descriptors, addresses
  /// included, and the scalars' bytes).
  std::vector<int64_t>
  graphWords(const std::vector<const HostTensor *> &inputs,
             const std::vector<std::vector<int64_t>> *descriptors) const;
  std::vector<void *> packArguments(const std::vector<const HostTensor *> &inputs,
                                    const std::vector<void *> &data,
                                    void *resultSlot,
                                    std::vector<std::vector<int64_t>> &descriptors) const;

  void *library_;
  /// The memory file the library was loaded from. Kept open while the
  /// library is loaded: dlopen recognizes loaded libraries by path, so a
  /// reused /proc/self/fd/N would hand back this library for another block.
  int memoryFile_;
  PackedEntry entry_;
  /// Null when the block has no run-time shape checks.
  PackedEntry check_;
  /// `__vmgpu_memory_<entry>` (vm-outline-memory-bound).
  PackedEntry memory_;
  /// The device of a GPU block; null for a "cpu" artifact.
  GpuDevice *device_;
  /// The device load(artifact, backend) made; destroyed after the library
  /// is unloaded.
  std::unique_ptr<GpuDevice> ownedDevice_;
  /// A GPU block's constants on its device, uploaded on first use; freed
  /// before the device goes.
  std::unique_ptr<DeviceConstants> constants_;
  /// A GPU block's graph plans (RunOptions::graphs); destroyed before the
  /// library is unloaded.
  std::unique_ptr<GpuGraphPlans> graphPlans_;
  /// The BLAS a CPU block of the `library` contraction strategy calls; null
  /// for other blocks.
  const CpuBlas *blas_ = nullptr;
  /// libomp's kmp_get_blocktime/kmp_set_blocktime as the CPU block links
  /// them; null for sequential blocks and when the user set OMP_WAIT_POLICY
  /// or KMP_BLOCKTIME (their choice stands).
  int (*getBlocktime_)() = nullptr;
  void (*setBlocktime_)(int) = nullptr;
  FunctionSignature signature_;
  std::vector<std::string> shapeChecks_;
};

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_NATIVEEXECUTABLE_H
