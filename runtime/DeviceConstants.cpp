//===- DeviceConstants.cpp - a loaded block's constants on its device -----===//

#include "vmgpu/runtime/DeviceConstants.h"
#include "vmgpu/runtime/GpuDevice.h"

namespace vmgpu::runtime {
namespace {
thread_local DeviceConstants *currentConstants = nullptr;
} // namespace

DeviceConstants::~DeviceConstants() {
  for (auto &[host, copy] : copies_)
    device_.free(copy.device);
}

StatusOr<void *> DeviceConstants::get(const void *host, size_t bytes) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = copies_.find(host);
  if (found != copies_.end()) {
    if (found->second.bytes != bytes)
      return invalidArgumentError(
          "device constant at the same address asked for with " +
          std::to_string(bytes) + " bytes, uploaded with " +
          std::to_string(found->second.bytes));
    return found->second.device;
  }
  // Held while uploading: a second thread asking for the same global waits
  // for this copy instead of making its own.
  VMGPU_ASSIGN_OR_RETURN(void *copy, device_.uploadConstant(host, bytes));
  copies_.emplace(host, Copy{copy, bytes});
  return copy;
}

size_t DeviceConstants::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return copies_.size();
}

DeviceConstantsScope::DeviceConstantsScope(DeviceConstants *constants)
    : previous_(currentConstants) {
  currentConstants = constants;
}

DeviceConstantsScope::~DeviceConstantsScope() { currentConstants = previous_; }

DeviceConstants *currentDeviceConstants() { return currentConstants; }

} // namespace vmgpu::runtime
