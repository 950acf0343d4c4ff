//===- DLPack.h - tensors in and out through DLPack -------------*- C++ -*-===//
//
// Zero-copy exchange with other frameworks (PyTorch, CuPy, JAX, a JIT's own
// arrays) through DLPack's DLManagedTensor (version 0.6, the layout in
// runtime/DLPackAbi.h). Host tensors travel as kDLCPU, device-resident ones
// (DeviceTensors.h) as kDLCUDA / kDLROCM with the device's ordinal. DLPack
// 0.6 has no boolean type: i1 travels as 8-bit unsigned integers holding 0
// or 1, and an importer says when a uint8 tensor is an i1 one.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_DLPACK_H
#define VMGPU_RUNTIME_DLPACK_H

#include "vmgpu/runtime/GpuDevice.h"
#include "vmgpu/runtime/HostTensor.h"

#include <optional>

struct DLManagedTensor;

namespace vmgpu::runtime {

/// Hands `tensor` to a DLPack consumer. Ownership: the returned
/// DLManagedTensor owns the tensor's buffer; the consumer calls its
/// `deleter` exactly once when done, which frees everything (a
/// device-resident buffer goes back to its device's pool). Strides are
/// NULL (compact, row major), `byte_offset` 0. For a device-resident
/// tensor this waits for its device's stream first, so that the consumer,
/// on its own stream, sees finished data. Errors: the device's, or
/// OutOfMemory.
StatusOr<DLManagedTensor *> exportToDLPack(HostTensor tensor);

/// Takes `managed` over as a tensor. Ownership: from the call on, the
/// DLManagedTensor is the runtime's whatever the outcome: its `deleter`
/// (if any) runs when the returned tensor is destroyed, or before this
/// returns on an error or when the data had to be copied. Zero copy when
/// the data (plus `byte_offset`) is 64-byte aligned and compact (strides
/// NULL or row major); an unaligned compact tensor is copied (on its device
/// for GPU memory). `elementType` overrides the type DLPack's dtype maps to
/// only where the bits agree: I1 for 8-bit unsigned data (values must be 0
/// or 1). GPU tensors (kDLCUDA, kDLROCM) belong to `device` when given
/// (which must be that kind and ordinal), else to GpuDevice::get(kind,
/// device_id); their producer's work must be complete. kDLCPU,
/// kDLCUDAHost, kDLROCMHost and kDLCUDAManaged data is host memory.
/// InvalidArgument for a NULL or malformed tensor, a type vmgpu lacks
/// (lanes != 1, complex, ...), strided data or a device mismatch;
/// Unimplemented for other device types.
StatusOr<HostTensor>
importFromDLPack(DLManagedTensor *managed,
                 std::optional<ElementType> elementType = std::nullopt,
                 GpuDevice *device = nullptr);

/// Calls `managed`'s deleter, if it has one (a tensor refused before
/// importFromDLPack could take it). NULL is a no-op.
void releaseDLPack(DLManagedTensor *managed);

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_DLPACK_H
