//===- DeviceManager.h - the GPUs this process can use ----------*- C++ -*-===//
//
// Discovery across drivers: every CUDA and HIP device the drivers report,
// and for each driver that is absent or fails, why. An absent driver means
// no device of that kind, never an error.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_DEVICEMANAGER_H
#define VMGPU_RUNTIME_DEVICEMANAGER_H

#include <cstdint>
#include <string>
#include <vector>

namespace vmgpu::runtime {

struct DeviceDescription {
  /// "cuda" or "rocm": the spelling `--device` and VMGPU_DEVICE use.
  std::string kind;
  int ordinal = 0;
  std::string name;
  /// "sm_90", "gfx942", ...; what kernels are compiled for.
  std::string architecture;
  /// Streaming multiprocessors (CUDA); 0 when the driver does not say.
  int computeUnits = 0;
  uint64_t memoryBytes = 0;
};

struct DeviceList {
  std::vector<DeviceDescription> devices;
  /// One line per driver that gave no devices, e.g. "rocm: no HIP runtime
  /// (libamdhip64.so ... not found)".
  std::vector<std::string> unavailable;
};

/// Asks every driver for its devices. Thread-safe; loads the drivers on
/// first use (each once per process).
DeviceList discoverDevices();

/// `list` as JSON: {"devices": [{kind, ordinal, name, architecture,
/// compute_units, memory_bytes}, ...], "unavailable": [...]}.
std::string deviceListToJson(const DeviceList &list);

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_DEVICEMANAGER_H
