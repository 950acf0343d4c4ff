//===- DeviceManager.cpp - the GPUs this process can use ------------------===//

#include "vmgpu/runtime/DeviceManager.h"

#include "vmgpu/runtime/CudaDriver.h"
#include "vmgpu/runtime/HipDriver.h"

#include <nlohmann/json.hpp>

namespace vmgpu::runtime {
namespace {

/// Appends the devices of one driver (`Driver::get()`, deviceCount,
/// deviceInfo), or the reason it has none.
template <typename Driver, typename Describe>
void addDevices(const char *kind, DeviceList &list, Describe describe) {
  StatusOr<Driver *> driver = Driver::get();
  if (!driver.isOk()) {
    list.unavailable.push_back(std::string(kind) + ": " +
                               driver.status().message());
    return;
  }
  StatusOr<int> count = (*driver)->deviceCount();
  if (!count.isOk()) {
    list.unavailable.push_back(std::string(kind) + ": " +
                               count.status().message());
    return;
  }
  for (int ordinal = 0; ordinal < *count; ++ordinal) {
    auto info = (*driver)->deviceInfo(ordinal);
    if (!info.isOk()) {
      list.unavailable.push_back(std::string(kind) + ":" +
                                 std::to_string(ordinal) + ": " +
                                 info.status().message());
      continue;
    }
    DeviceDescription device = describe(*info);
    device.kind = kind;
    device.ordinal = ordinal;
    list.devices.push_back(std::move(device));
  }
}

} // namespace

DeviceList discoverDevices() {
  DeviceList list;
  addDevices<CudaDriver>("cuda", list, [](const CudaDeviceInfo &info) {
    return DeviceDescription{"", 0, info.name, info.architecture,
                             info.multiprocessors, info.memoryBytes};
  });
  addDevices<HipDriver>("rocm", list, [](const HipDeviceInfo &info) {
    return DeviceDescription{"", 0, info.name, info.architecture, 0,
                             info.memoryBytes};
  });
  return list;
}

std::string deviceListToJson(const DeviceList &list) {
  nlohmann::json devices = nlohmann::json::array();
  for (const DeviceDescription &device : list.devices)
    devices.push_back({{"kind", device.kind},
                       {"ordinal", device.ordinal},
                       {"name", device.name},
                       {"architecture", device.architecture},
                       {"compute_units", device.computeUnits},
                       {"memory_bytes", device.memoryBytes}});
  nlohmann::json json = {{"devices", devices},
                         {"unavailable", list.unavailable}};
  // Driver strings need not be UTF-8: replace, never throw.
  return json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace vmgpu::runtime
