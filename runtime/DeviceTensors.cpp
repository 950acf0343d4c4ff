//===- DeviceTensors.cpp - tensors in device and pinned memory ------------===//

#include "vmgpu/runtime/DeviceTensors.h"
#include "vmgpu/runtime/BlockMemory.h"

#include <cstring>

namespace vmgpu::runtime {
namespace {

/// HostTensor::adopt's release for pool buffers: back to the device's pool.
/// The tensor may be dropped on any thread, with any device current there
/// (or none): the free must run in its device's context, or the driver
/// refuses it and the buffer leaks; the thread's own is given back after.
void releasePoolBuffer(std::byte *buffer, const void *owner) {
  if (GpuDevice *device = GpuDevice::fromOwner(owner)) {
    GpuCurrentScope current(*device);
    device->free(buffer);
  }
}

/// HostTensor::adopt's release for pinned buffers.
void releasePinnedBuffer(std::byte *buffer, const void *owner) {
  if (GpuDevice *device = GpuDevice::fromPinnedOwner(owner)) {
    GpuCurrentScope current(*device);
    device->freePinned(buffer);
  }
}

} // namespace

StatusOr<HostTensor> adoptDeviceBuffer(GpuDevice &device, ElementType type,
                                       std::vector<int64_t> shape,
                                       void *buffer) {
  return HostTensor::adopt(type, std::move(shape),
                           static_cast<std::byte *>(buffer), releasePoolBuffer,
                           &device);
}

StatusOr<HostTensor> allocateDeviceTensor(GpuDevice &device, ElementType type,
                                          std::vector<int64_t> shape) {
  VMGPU_ASSIGN_OR_RETURN(uint64_t bytes, checkedTensorBytes(type, shape));
  GpuCurrentScope current(device);
  VMGPU_RETURN_IF_ERROR(current.status());
  VMGPU_ASSIGN_OR_RETURN(void *buffer, device.allocate(bytes));
  return adoptDeviceBuffer(device, type, std::move(shape), buffer);
}

StatusOr<HostTensor> copyTensorToDevice(GpuDevice &device,
                                        const HostTensor &tensor) {
  GpuCurrentScope current(device);
  VMGPU_RETURN_IF_ERROR(current.status());
  VMGPU_ASSIGN_OR_RETURN(
      HostTensor copy,
      allocateDeviceTensor(device, tensor.elementType(), tensor.shape()));
  // Another device's memory: the driver copies between the two (unified
  // addressing); never through the host-side staging ring.
  if (GpuDevice *source = tensorDevice(tensor)) {
    if (source != &device)
      VMGPU_RETURN_IF_ERROR(source->synchronize());
    VMGPU_RETURN_IF_ERROR(device.copyOnDevice(copy.bytes(), tensor.bytes(),
                                              tensor.sizeInBytes()));
    return copy;
  }
  VMGPU_RETURN_IF_ERROR(
      device.copyToDevice(copy.bytes(), tensor.bytes(), tensor.sizeInBytes()));
  // `tensor` is the caller's again when this returns.
  VMGPU_ASSIGN_OR_RETURN(void *copied, device.mark());
  VMGPU_RETURN_IF_ERROR(device.waitForMark(copied));
  return copy;
}

StatusOr<HostTensor> copyTensorToHost(const HostTensor &tensor) {
  GpuDevice *device = tensorDevice(tensor);
  if (!device)
    return tensor.clone();
  VMGPU_ASSIGN_OR_RETURN(
      HostTensor host,
      createCachedHostTensor(tensor.elementType(), tensor.shape()));
  GpuCurrentScope current(*device);
  VMGPU_RETURN_IF_ERROR(current.status());
  VMGPU_RETURN_IF_ERROR(
      device->copyToHost(host.bytes(), tensor.bytes(), tensor.sizeInBytes()));
  // The copy may have been queued (a small one, or pinned memory): the
  // stream's wait also reports a failure of the work that computed it.
  VMGPU_RETURN_IF_ERROR(device->synchronize());
  return host;
}

StatusOr<HostTensor> allocatePinnedTensor(GpuDevice &device, ElementType type,
                                          std::vector<int64_t> shape,
                                          bool zeroed) {
  VMGPU_ASSIGN_OR_RETURN(uint64_t bytes, checkedTensorBytes(type, shape));
  GpuCurrentScope current(device);
  VMGPU_RETURN_IF_ERROR(current.status());
  VMGPU_ASSIGN_OR_RETURN(void *buffer, device.allocatePinned(bytes));
  if (zeroed)
    std::memset(buffer, 0, bytes);
  return HostTensor::adopt(type, std::move(shape),
                           static_cast<std::byte *>(buffer),
                           releasePinnedBuffer, device.pinnedOwner());
}

} // namespace vmgpu::runtime
