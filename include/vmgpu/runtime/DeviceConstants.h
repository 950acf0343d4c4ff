//===- DeviceConstants.h - a loaded block's constants on its device -*- C++ -*-===//
//
// A GPU block's kernels read its constant globals through device copies
// (vm-device-constants): the host code asks vmgpuDeviceConstant for the
// copy of a global every run, and the runtime answers from the
// DeviceConstants of the executable being run, uploading each global the
// first time. One upload per (loaded executable, global), never one per
// run; the copies go with the executable.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_DEVICECONSTANTS_H
#define VMGPU_RUNTIME_DEVICECONSTANTS_H

#include "vmgpu/runtime/Status.h"

#include <cstddef>
#include <map>
#include <mutex>

namespace vmgpu::runtime {

class GpuDevice;

/// The device copies of one loaded executable's constants.
///
/// Ownership: owns the copies (device buffers of `device`, which must
/// outlive it); destroying it frees them, ordered on the calling thread's
/// stream, with the device current. Thread-safety: get() may be called
/// concurrently (runs of one executable on several threads); the first
/// caller for a global uploads it and every stream of the device may read
/// the copy once get() returns.
class DeviceConstants {
public:
  explicit DeviceConstants(GpuDevice &device) : device_(device) {}
  ~DeviceConstants();
  DeviceConstants(const DeviceConstants &) = delete;
  DeviceConstants &operator=(const DeviceConstants &) = delete;

  /// The device copy of the `bytes` at `host` (a global of the loaded
  /// block, which stays where it is while the block is loaded), uploaded
  /// on the first call for `host`. InvalidArgument when `host` was seen
  /// with another size.
  StatusOr<void *> get(const void *host, size_t bytes);
  /// Globals uploaded so far.
  size_t size() const;

private:
  struct Copy {
    void *device;
    size_t bytes;
  };
  GpuDevice &device_;
  mutable std::mutex mutex_;
  std::map<const void *, Copy> copies_;
};

/// Makes `constants` the calling thread's current DeviceConstants for the
/// scope's lifetime (a block run), then restores the previous one.
class DeviceConstantsScope {
public:
  explicit DeviceConstantsScope(DeviceConstants *constants);
  ~DeviceConstantsScope();
  DeviceConstantsScope(const DeviceConstantsScope &) = delete;
  DeviceConstantsScope &operator=(const DeviceConstantsScope &) = delete;

private:
  DeviceConstants *previous_;
};

/// The calling thread's current DeviceConstants (null outside every scope).
DeviceConstants *currentDeviceConstants();

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_DEVICECONSTANTS_H
