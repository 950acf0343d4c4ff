//===- CApiDevice.cpp - device-resident and pinned tensors, DLPack --------===//
//
// The VMGPU_API_VERSION 2 entry points of include/vmgpu/vmgpu.h over the
// engine's device layer (Engine::toDevice, toHost, createPinnedTensor) and
// runtime/DLPack.h. Built with exceptions on, like CApi.cpp.
//
//===----------------------------------------------------------------------===//

#include "CApiInternal.h"
#include "vmgpu/runtime/DLPack.h"
#include "vmgpu/runtime/DeviceTensors.h"

#include <memory>
#include <string>
#include <vector>

using namespace vmgpu;
using namespace vmgpu::capi;
using namespace vmgpu::runtime;

namespace {

/// Hands `tensor` to the caller as a new handle.
vmgpu_status_t giveTensor(HostTensor tensor, vmgpu_tensor_t **out_tensor,
                          vmgpu_error_t **error) {
  *out_tensor = new vmgpu_tensor_t{std::move(tensor)};
  return succeed(error);
}

/// The checks every engine-and-tensor entry point starts with.
vmgpu_status_t checkTensorCall(const char *fn, const vmgpu_engine_t *engine,
                               const vmgpu_tensor_t *tensor,
                               vmgpu_tensor_t **out_tensor,
                               vmgpu_error_t **error) {
  if (out_tensor)
    *out_tensor = nullptr;
  if (!engine)
    return nullArgument(error, fn, "engine");
  if (!tensor)
    return nullArgument(error, fn, "tensor");
  if (!out_tensor)
    return nullArgument(error, fn, "out_tensor");
  return VMGPU_STATUS_OK;
}

} // namespace

extern "C" {

const char *vmgpu_tensor_get_device(const vmgpu_tensor_t *tensor) {
  if (!tensor)
    return "";
  GpuDevice *device = tensorDevice(tensor->tensor);
  return device ? device->name().c_str() : "cpu";
}

vmgpu_status_t vmgpu_engine_run_device_resident(
    vmgpu_engine_t *engine, const vmgpu_block_t *block,
    const vmgpu_tensor_t *const *inputs, size_t num_inputs,
    vmgpu_tensor_t **outputs, size_t num_outputs, vmgpu_error_t **error) {
  return runBlock("vmgpu_engine_run_device_resident",
                  /*keepResultsOnDevice=*/true, engine, block, inputs,
                  num_inputs, outputs, num_outputs, error);
}

vmgpu_status_t vmgpu_engine_copy_to_device(vmgpu_engine_t *engine,
                                           const vmgpu_tensor_t *tensor,
                                           vmgpu_tensor_t **out_tensor,
                                           vmgpu_error_t **error) {
  const char *fn = "vmgpu_engine_copy_to_device";
  return guarded(error, fn, [&]() -> vmgpu_status_t {
    if (vmgpu_status_t status =
            checkTensorCall(fn, engine, tensor, out_tensor, error))
      return status;
    StatusOr<HostTensor> copy = engine->engine.toDevice(tensor->tensor);
    if (!copy.isOk())
      return fail(error, copy.status().withContext(fn));
    return giveTensor(std::move(copy).value(), out_tensor, error);
  });
}

vmgpu_status_t vmgpu_engine_copy_to_host(vmgpu_engine_t *engine,
                                         const vmgpu_tensor_t *tensor,
                                         vmgpu_tensor_t **out_tensor,
                                         vmgpu_error_t **error) {
  const char *fn = "vmgpu_engine_copy_to_host";
  return guarded(error, fn, [&]() -> vmgpu_status_t {
    if (vmgpu_status_t status =
            checkTensorCall(fn, engine, tensor, out_tensor, error))
      return status;
    StatusOr<HostTensor> copy = engine->engine.toHost(tensor->tensor);
    if (!copy.isOk())
      return fail(error, copy.status().withContext(fn));
    return giveTensor(std::move(copy).value(), out_tensor, error);
  });
}

vmgpu_status_t vmgpu_engine_create_pinned_tensor(
    vmgpu_engine_t *engine, vmgpu_element_type_t type, const int64_t *shape,
    size_t rank, vmgpu_tensor_t **out_tensor, vmgpu_error_t **error) {
  const char *fn = "vmgpu_engine_create_pinned_tensor";
  return guarded(error, fn, [&]() -> vmgpu_status_t {
    if (out_tensor)
      *out_tensor = nullptr;
    if (!engine)
      return nullArgument(error, fn, "engine");
    if (!out_tensor)
      return nullArgument(error, fn, "out_tensor");
    if (vmgpu_status_t status = checkTensorType(error, fn, type, shape, rank))
      return status;
    std::vector<int64_t> dims(shape, shape + rank);
    StatusOr<HostTensor> tensor = engine->engine.createPinnedTensor(
        static_cast<ElementType>(type), std::move(dims));
    if (!tensor.isOk())
      return fail(error, tensor.status().withContext(fn));
    return giveTensor(std::move(tensor).value(), out_tensor, error);
  });
}

vmgpu_status_t vmgpu_tensor_export_dlpack(vmgpu_tensor_t *tensor,
                                          DLManagedTensor **out_managed,
                                          vmgpu_error_t **error) {
  const char *fn = "vmgpu_tensor_export_dlpack";
  return guarded(error, fn, [&]() -> vmgpu_status_t {
    if (out_managed)
      *out_managed = nullptr;
    if (!tensor)
      return nullArgument(error, fn, "tensor");
    if (!out_managed)
      return nullArgument(error, fn, "out_managed");
    // A device-resident tensor is waited for before it is handed over; a
    // failure there leaves the handle as it was.
    if (GpuDevice *device = tensorDevice(tensor->tensor)) {
      GpuCurrentScope current(*device);
      if (Status synced = current.status().isOk() ? device->synchronize()
                                                  : current.status();
          !synced.isOk())
        return fail(error, synced.withContext(fn));
    }
    StatusOr<DLManagedTensor *> managed =
        exportToDLPack(std::move(tensor->tensor));
    if (!managed.isOk())
      return fail(error, managed.status().withContext(fn));
    delete tensor;
    *out_managed = *managed;
    return succeed(error);
  });
}

vmgpu_status_t vmgpu_tensor_import_dlpack(DLManagedTensor *managed,
                                          vmgpu_element_type_t type,
                                          vmgpu_tensor_t **out_tensor,
                                          vmgpu_error_t **error) {
  const char *fn = "vmgpu_tensor_import_dlpack";
  return guarded(error, fn, [&]() -> vmgpu_status_t {
    if (out_tensor)
      *out_tensor = nullptr;
    std::optional<ElementType> elementType;
    if (type != VMGPU_ELEMENT_TYPE_INVALID) {
      if (!isElementType(type)) {
        // The tensor is ours whatever happens.
        releaseDLPack(managed);
        return fail(error, VMGPU_STATUS_INVALID_ARGUMENT,
                    std::string(fn) + ": unknown element type " +
                        std::to_string(type));
      }
      elementType = static_cast<ElementType>(type);
    }
    if (!out_tensor) {
      releaseDLPack(managed);
      return nullArgument(error, fn, "out_tensor");
    }
    StatusOr<HostTensor> tensor = importFromDLPack(managed, elementType);
    if (!tensor.isOk())
      return fail(error, tensor.status().withContext(fn));
    return giveTensor(std::move(tensor).value(), out_tensor, error);
  });
}

} // extern "C"
