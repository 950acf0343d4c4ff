//===- HipDriver.h - the HIP runtime API, loaded at run time ----*- C++ -*-===//

#ifndef VMGPU_RUNTIME_HIPDRIVER_H
#define VMGPU_RUNTIME_HIPDRIVER_H

#include "vmgpu/runtime/Status.h"

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace vmgpu::runtime {

/// The HIP runtime's types, declared here so that no HIP header is needed.
using hipError_t = int;
using hipDevice_t = int;
using hipModule_t = struct ihipModule_t *;
using hipFunction_t = struct ihipModuleSymbol_t *;
using hipStream_t = struct ihipStream_t *;

/// Facts about one device.
struct HipDeviceInfo {
  std::string name;
  /// "gfx942" style, without target features (":sramecc+:xnack-"); empty
  /// when the runtime does not report it.
  std::string architecture;
  size_t memoryBytes = 0;
};

/// libamdhip64.so with its symbols resolved once (HipSymbols.def).
///
/// Ownership: get() returns a process-wide singleton that is never unloaded;
/// load() returns an instance the caller owns (the library stays loaded).
/// Thread-safety: get() and every const member are safe to call
/// concurrently.
class HipDriver {
public:
  /// The runtime, loaded and initialized on first use: $VMGPU_HIP_LIBRARY
  /// when set, else libamdhip64.so, libamdhip64.so.7, .6, .5. Unavailable
  /// when no library loads, one lacks a required symbol, or hipInit fails
  /// (no device): work then goes to the CPU.
  static StatusOr<HipDriver *> get();

  /// Loads the first of `libraries` that dlopen finds, resolves the symbol
  /// table and calls hipInit. Unavailable as for get(). For tests and tools;
  /// each call makes a new instance.
  static StatusOr<std::unique_ptr<HipDriver>>
  load(const std::vector<std::string> &libraries);

  /// The library names get() tries, in order.
  static std::vector<std::string> defaultLibraryNames();

#define HIP_SYMBOL(name, ret, params) ret(*name) params = nullptr;
#include "vmgpu/runtime/HipSymbols.def"

  /// Ok, or an error naming `call`, HIP's error name and text. With
  /// VMGPU_FAULT_INJECT=<call name>, that call reports hipErrorUnknown (for
  /// tests of every fallback path on machines without a GPU).
  Status check(hipError_t result, const char *call) const;

  StatusOr<int> deviceCount() const;
  StatusOr<HipDeviceInfo> deviceInfo(int ordinal) const;
  /// Makes device `ordinal` current on this thread.
  Status makeCurrent(int ordinal) const;

  /// Modules from HSACO: the code object bytes stay owned by the caller.
  StatusOr<hipModule_t> loadModule(const void *hsaco) const;
  Status unloadModule(hipModule_t module) const;
  StatusOr<hipFunction_t> getFunction(hipModule_t module,
                                      const char *name) const;
  /// Launches `function` with the kernel arguments `params` (one pointer
  /// per argument, as for hipModuleLaunchKernel); sizes must be positive.
  Status launch(hipFunction_t function, const unsigned grid[3],
                const unsigned block[3], unsigned sharedBytes,
                hipStream_t stream, void **params) const;
  StatusOr<hipStream_t> createStream() const;
  Status synchronize(hipStream_t stream) const;
  Status destroyStream(hipStream_t stream) const;
  /// Memory only the device reaches.
  StatusOr<void *> allocateDevice(size_t bytes) const;
  /// Memory both the host and the device reach.
  StatusOr<void *> allocateManaged(size_t bytes) const;
  Status free(void *pointer) const;

  /// The dlopen'ed library's name.
  const std::string &libraryName() const { return libraryName_; }

private:
  HipDriver() = default;
  void *library_ = nullptr;
  std::string libraryName_;
};

/// Maps a hipError_t to a Status code (Unavailable for missing devices and
/// drivers, OutOfMemory, Internal otherwise: never InvalidArgument, which
/// means bad input to the engine).
StatusCode hipStatusCode(hipError_t result);

/// The name of a hipError_t from HIP's numbering ("hipErrorNoDevice"), for
/// messages when the runtime has no hipGetErrorName; "hipError<N>" for
/// codes vmgpu does not know.
std::string hipErrorName(hipError_t result);

/// The architecture in a gcnArchName-style string: "gfx90a:sramecc+:xnack-"
/// gives "gfx90a".
std::string hipArchitectureFromName(const std::string &gcnArchName);

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_HIPDRIVER_H
