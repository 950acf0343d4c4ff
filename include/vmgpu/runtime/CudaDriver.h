//===- CudaDriver.h - the CUDA driver API, loaded at run time ---*- C++ -*-===//

#ifndef VMGPU_RUNTIME_CUDADRIVER_H
#define VMGPU_RUNTIME_CUDADRIVER_H

#include "vmgpu/runtime/Status.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace vmgpu::runtime {

/// The driver API's types, declared here so that no CUDA header is needed.
using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;
using CUcontext = struct CUctx_st *;
using CUmodule = struct CUmod_st *;
using CUfunction = struct CUfunc_st *;
using CUstream = struct CUstream_st *;

/// Facts about one device.
struct CudaDeviceInfo {
  std::string name;
  /// "sm_90" style, from the compute capability.
  std::string architecture;
  int multiprocessors = 0;
  size_t memoryBytes = 0;
};

/// libcuda.so.1 with its symbols resolved once (CudaSymbols.def).
///
/// Ownership: a process-wide singleton; never unloaded.
/// Thread-safety: get() and every member are safe to call concurrently.
class CudaDriver {
public:
  /// The driver, loaded and initialized on first use. Unavailable when
  /// libcuda.so.1 is missing, lacks a symbol, or cuInit fails (no device):
  /// work then goes to the CPU.
  static StatusOr<CudaDriver *> get();

#define CUDA_SYMBOL(name, ret, params) ret(*name) params = nullptr;
#include "vmgpu/runtime/CudaSymbols.def"

  /// Ok, or an error naming `call`, the driver's error name and text. With
  /// VMGPU_FAULT_INJECT=<call name>, that call reports CUDA_ERROR_UNKNOWN
  /// (for tests of every fallback path on machines without a GPU).
  Status check(CUresult result, const char *call) const;
  /// True when VMGPU_FAULT_INJECT names `call`.
  static bool faultInjected(const char *call);

  StatusOr<int> deviceCount() const;
  StatusOr<CudaDeviceInfo> deviceInfo(int ordinal) const;
  /// Makes device `ordinal`'s primary context current on this thread.
  Status makeCurrent(int ordinal) const;

private:
  CudaDriver() = default;
  void *library_ = nullptr;
  /// Primary contexts retained so far, by ordinal: each is retained once
  /// and kept for the life of the process.
  mutable std::mutex contextsMutex_;
  mutable std::map<int, CUcontext> contexts_;
};

/// Maps a CUresult to a Status code (Unavailable for missing devices,
/// OutOfMemory, Internal otherwise: never InvalidArgument, which means bad
/// input to the engine).
StatusCode cudaStatusCode(CUresult result);

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_CUDADRIVER_H
