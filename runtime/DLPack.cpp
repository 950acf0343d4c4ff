//===- DLPack.cpp - tensors in and out through DLPack ---------------------===//

#include "vmgpu/runtime/DLPack.h"
#include "DLPackAbi.h"
#include "vmgpu/runtime/DeviceTensors.h"

#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <new>

namespace vmgpu::runtime {
namespace {

constexpr uintptr_t kZeroCopyAlignment = HostTensor::kAlignment;

/// What an exported DLManagedTensor owns.
struct ExportContext {
  HostTensor tensor;
  std::vector<int64_t> shape;
};

void deleteExport(DLManagedTensor *self) {
  delete static_cast<ExportContext *>(self->manager_ctx);
  delete self;
}

/// Imported tensors held without a copy: buffer -> the DLManagedTensor whose
/// deleter frees it (a multimap: one buffer may be imported twice).
std::mutex importsMutex;
std::multimap<const std::byte *, DLManagedTensor *> &imports() {
  static auto *map = new std::multimap<const std::byte *, DLManagedTensor *>();
  return *map;
}

/// The owner() of imported host tensors: host memory that is not the heap.
const char kImportedHostOwner = 0;

void callDeleter(DLManagedTensor *managed) {
  if (managed && managed->deleter)
    managed->deleter(managed);
}

void releaseImport(std::byte *buffer, const void *) {
  DLManagedTensor *managed = nullptr;
  {
    std::lock_guard<std::mutex> lock(importsMutex);
    auto found = imports().find(buffer);
    if (found == imports().end())
      return;
    managed = found->second;
    imports().erase(found);
  }
  callDeleter(managed);
}

std::optional<DLDataType> dataTypeOf(ElementType type) {
  auto make = [](uint8_t code, uint8_t bits) {
    return DLDataType{code, bits, 1};
  };
  switch (type) {
  case ElementType::I1:
    return make(kDLUInt, 8);
  case ElementType::I8:
    return make(kDLInt, 8);
  case ElementType::I16:
    return make(kDLInt, 16);
  case ElementType::I32:
    return make(kDLInt, 32);
  case ElementType::I64:
    return make(kDLInt, 64);
  case ElementType::F16:
    return make(kDLFloat, 16);
  case ElementType::BF16:
    return make(kDLBfloat, 16);
  case ElementType::F32:
    return make(kDLFloat, 32);
  case ElementType::F64:
    return make(kDLFloat, 64);
  }
  return std::nullopt;
}

/// The element type of `dtype`; integers are signless, so unsigned ones map
/// to the signed type of their width.
std::optional<ElementType> elementTypeOf(DLDataType dtype) {
  if (dtype.lanes != 1)
    return std::nullopt;
  if (dtype.code == kDLInt || dtype.code == kDLUInt)
    switch (dtype.bits) {
    case 8:
      return ElementType::I8;
    case 16:
      return ElementType::I16;
    case 32:
      return ElementType::I32;
    case 64:
      return ElementType::I64;
    }
  if (dtype.code == kDLFloat)
    switch (dtype.bits) {
    case 16:
      return ElementType::F16;
    case 32:
      return ElementType::F32;
    case 64:
      return ElementType::F64;
    }
  if (dtype.code == kDLBfloat && dtype.bits == 16)
    return ElementType::BF16;
  return std::nullopt;
}

/// True when `strides` (NULL or one per dimension) describe the compact row
/// major layout of `shape`.
/// The device type as the integer the producer stored. Producers on newer
/// DLPack versions send types the 0.6 enum does not list (kDLOneAPI = 14,
/// kDLWebGPU = 15, kDLHexagon = 16, ...), and loading a value outside the
/// enum's range as the enum is undefined behaviour (UBSan's `enum` check
/// caught it through the C API fuzz target).
int32_t readDeviceType(const DLDevice &device) {
  static_assert(sizeof(device.device_type) == sizeof(int32_t),
                "DLPack's device type is a 32-bit integer");
  int32_t type;
  std::memcpy(&type, &device.device_type, sizeof(type));
  return type;
}

bool isCompact(const int64_t *shape, const int64_t *strides, int ndim) {
  if (!strides)
    return true;
  // An empty tensor lays out no element, so any strides describe it (as
  // PyTorch's is_contiguous says); its other dimensions may be as large as
  // int64 allows, and their product must not be formed (found by the C API
  // fuzz target: signed overflow).
  for (int d = 0; d < ndim; ++d)
    if (shape[d] == 0)
      return true;
  int64_t expected = 1;
  for (int d = ndim - 1; d >= 0; --d) {
    if (shape[d] != 1 && strides[d] != expected)
      return false;
    // The caller checked that the element count fits; stay safe anyway.
    if (__builtin_mul_overflow(expected, shape[d], &expected))
      return false;
  }
  return true;
}

/// importFromDLPack once `managed` is known to be non-null; the caller runs
/// the deleter on error.
StatusOr<HostTensor> importOwned(DLManagedTensor *managed,
                                 std::optional<ElementType> requested,
                                 GpuDevice *device, bool &adopted) {
  const DLTensor &tensor = managed->dl_tensor;
  std::optional<ElementType> type = elementTypeOf(tensor.dtype);
  if (!type)
    return invalidArgumentError(
        "DLPack: no vmgpu element type for dtype code " +
        std::to_string(tensor.dtype.code) + ", " +
        std::to_string(tensor.dtype.bits) + " bits, " +
        std::to_string(tensor.dtype.lanes) + " lanes");
  if (requested && *requested != *type) {
    bool i1FromBytes = *requested == ElementType::I1 &&
                       tensor.dtype.code == kDLUInt && tensor.dtype.bits == 8;
    if (!i1FromBytes)
      return invalidArgumentError(
          std::string("DLPack: a ") + elementTypeName(*type) +
          " tensor cannot be read as " + elementTypeName(*requested));
    type = ElementType::I1;
  }
  if (tensor.ndim < 0 || tensor.ndim > 64 || (tensor.ndim > 0 && !tensor.shape))
    return invalidArgumentError("DLPack: bad rank " +
                                std::to_string(tensor.ndim));
  std::vector<int64_t> shape(tensor.shape, tensor.shape + tensor.ndim);
  VMGPU_ASSIGN_OR_RETURN(int64_t count,
                         checkedNumElements(shape, elementByteSize(*type)));
  size_t bytes = static_cast<size_t>(count) * elementByteSize(*type);
  if (!isCompact(tensor.shape, tensor.strides, tensor.ndim))
    return invalidArgumentError(
        "DLPack: strided tensors are not supported (make it contiguous)");
  if (!tensor.data && bytes != 0)
    return invalidArgumentError("DLPack: the tensor has no data");
  // An empty tensor may come without data and still with an offset: no
  // arithmetic on a null pointer (undefined; found by the C API fuzz target).
  auto *data = tensor.data
                   ? static_cast<std::byte *>(tensor.data) + tensor.byte_offset
                   : nullptr;
  bool aligned = reinterpret_cast<uintptr_t>(data) % kZeroCopyAlignment == 0;

  int32_t deviceType = readDeviceType(tensor.device);
  bool host = deviceType == kDLCPU || deviceType == kDLCUDAHost ||
              deviceType == kDLROCMHost || deviceType == kDLCUDAManaged;
  if (host) {
    if (!aligned || bytes == 0)
      return HostTensor::fromBytes(*type, std::move(shape), data, bytes);
    std::lock_guard<std::mutex> lock(importsMutex);
    imports().emplace(data, managed);
    adopted = true;
    return HostTensor::adopt(*type, std::move(shape), data, releaseImport,
                             &kImportedHostOwner);
  }
  if (deviceType != kDLCUDA && deviceType != kDLROCM)
    return unimplementedError("DLPack: device type " +
                              std::to_string(deviceType) +
                              " is not supported");
  std::string kind = deviceType == kDLCUDA ? "cuda" : "rocm";
  if (device &&
      (device->kind() != kind || device->ordinal() != tensor.device.device_id))
    return invalidArgumentError("DLPack: the tensor is on " + kind + ":" +
                                std::to_string(tensor.device.device_id) +
                                ", not " + device->name());
  if (!device) {
    VMGPU_ASSIGN_OR_RETURN(device,
                           GpuDevice::get(kind, tensor.device.device_id));
  }
  if (!aligned || bytes == 0) {
    GpuCurrentScope current(*device);
    VMGPU_RETURN_IF_ERROR(current.status());
    VMGPU_ASSIGN_OR_RETURN(HostTensor copy,
                           allocateDeviceTensor(*device, *type, shape));
    VMGPU_RETURN_IF_ERROR(device->copyOnDevice(copy.bytes(), data, bytes));
    // The source goes with the deleter: the copy must be done first.
    VMGPU_RETURN_IF_ERROR(device->synchronize());
    return copy;
  }
  std::lock_guard<std::mutex> lock(importsMutex);
  imports().emplace(data, managed);
  adopted = true;
  return HostTensor::adopt(*type, std::move(shape), data, releaseImport,
                           device);
}

} // namespace

void releaseDLPack(DLManagedTensor *managed) { callDeleter(managed); }

StatusOr<DLManagedTensor *> exportToDLPack(HostTensor tensor) {
  std::optional<DLDataType> dtype = dataTypeOf(tensor.elementType());
  if (!dtype)
    return internalError("DLPack: unknown element type");
  DLDevice where{kDLCPU, 0};
  if (GpuDevice *device = tensorDevice(tensor)) {
    where = {device->kind() == "rocm" ? kDLROCM : kDLCUDA, device->ordinal()};
    GpuCurrentScope current(*device);
    VMGPU_RETURN_IF_ERROR(current.status());
    VMGPU_RETURN_IF_ERROR(device->synchronize());
  }
  std::unique_ptr<ExportContext> context(new (std::nothrow) ExportContext());
  std::unique_ptr<DLManagedTensor> managed(new (std::nothrow)
                                               DLManagedTensor());
  if (!context || !managed)
    return outOfMemoryError("DLPack: allocating the managed tensor failed");
  context->shape = tensor.shape();
  context->tensor = std::move(tensor);
  DLTensor &out = managed->dl_tensor;
  out.data = context->tensor.bytes();
  out.device = where;
  out.ndim = static_cast<int>(context->tensor.rank());
  out.dtype = *dtype;
  out.shape = context->shape.data();
  out.strides = nullptr;
  out.byte_offset = 0;
  managed->manager_ctx = context.release();
  managed->deleter = deleteExport;
  return managed.release();
}

StatusOr<HostTensor> importFromDLPack(DLManagedTensor *managed,
                                      std::optional<ElementType> elementType,
                                      GpuDevice *device) {
  if (!managed)
    return invalidArgumentError("DLPack: the managed tensor is NULL");
  bool adopted = false;
  StatusOr<HostTensor> tensor =
      importOwned(managed, elementType, device, adopted);
  // Copied, or refused: the producer's memory is no longer needed.
  if (!adopted)
    callDeleter(managed);
  return tensor;
}

} // namespace vmgpu::runtime
