//===- DeviceTensors.h - tensors in device and pinned memory ----*- C++ -*-===//
//
// A HostTensor describes any dense tensor: element type, shape and a buffer
// with its owner. Two kinds of buffers are a device's (GpuDevice.h):
// - device-resident tensors: the buffer is device memory from the device's
//   pool (or a DLPack producer's), owner() is the GpuDevice, and bytes() is
//   a device address that the host must never read or write. Blocks on that
//   device use them in place; copyTensorToHost reads them back.
// - pinned tensors: page-locked host memory, owner() is the device's
//   pinnedOwner(); ordinary host tensors that copy at link speed.
// Every other HostTensor is plain host memory.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_DEVICETENSORS_H
#define VMGPU_RUNTIME_DEVICETENSORS_H

#include "vmgpu/runtime/GpuDevice.h"
#include "vmgpu/runtime/HostTensor.h"

#include <vector>

namespace vmgpu::runtime {

/// The device whose memory holds `tensor`; null for host memory (pinned
/// included).
inline GpuDevice *tensorDevice(const HostTensor &tensor) {
  return GpuDevice::fromOwner(tensor.owner());
}

/// A device-resident tensor from `device`'s pool, contents unspecified.
/// Ownership: the tensor owns the buffer and gives it back to the pool
/// (ordered on the device's stream) when destroyed; `device` must outlive
/// it. Errors as HostTensor::create, and the driver's.
StatusOr<HostTensor> allocateDeviceTensor(GpuDevice &device, ElementType type,
                                          std::vector<int64_t> shape);

/// A device-resident copy of `tensor` on `device`: host memory is copied up
/// (queued on the stream), memory of `device` or another device is copied
/// on the devices. `tensor` may be reused once this returns.
StatusOr<HostTensor> copyTensorToDevice(GpuDevice &device,
                                        const HostTensor &tensor);

/// A heap copy of `tensor`. For a device-resident tensor this waits for
/// its device's stream (the work that computes it) and reports the
/// device's error if that work failed.
StatusOr<HostTensor> copyTensorToHost(const HostTensor &tensor);

/// A zero-filled tensor in `device`'s pinned host memory (copies to and from
/// the device skip the staging ring); left uninitialized when `zeroed` is
/// false (a buffer about to be overwritten). The tensor frees it when
/// destroyed (GpuDevice::freePinned, which keeps it for reuse); `device`
/// must outlive it.
StatusOr<HostTensor> allocatePinnedTensor(GpuDevice &device, ElementType type,
                                          std::vector<int64_t> shape,
                                          bool zeroed = true);

/// Adopts `buffer`, a whole allocate() buffer of `device`, as a
/// device-resident tensor (the run's results kept on the device). On error
/// the buffer goes back to the pool.
StatusOr<HostTensor> adoptDeviceBuffer(GpuDevice &device, ElementType type,
                                       std::vector<int64_t> shape,
                                       void *buffer);

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_DEVICETENSORS_H
