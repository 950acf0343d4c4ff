//===- CApiClient.cpp - what the tools over the C API share ---------------===//

#include "CApiClient.h"

#include <type_traits>

namespace vmgpu::tools {

using runtime::ElementType;
using runtime::HostTensor;
using runtime::Status;
using runtime::StatusOr;

// The C API numbers element types and status codes as the runtime does.
static_assert(VMGPU_ELEMENT_TYPE_I1 == static_cast<int>(ElementType::I1));
static_assert(VMGPU_ELEMENT_TYPE_BF16 == static_cast<int>(ElementType::BF16));
static_assert(VMGPU_ELEMENT_TYPE_F64 == static_cast<int>(ElementType::F64));
static_assert(VMGPU_STATUS_INVALID_ARGUMENT ==
              static_cast<int>(runtime::StatusCode::InvalidArgument));
static_assert(VMGPU_STATUS_OUT_OF_MEMORY ==
              static_cast<int>(runtime::StatusCode::OutOfMemory));

Status statusOf(vmgpu_status_t status, const ErrorHandle &error,
                std::string_view entryPoint) {
  std::string message = vmgpu_error_get_message(error.get());
  std::string prefix = std::string(entryPoint) + ": ";
  if (message.compare(0, prefix.size(), prefix) == 0)
    message.erase(0, prefix.size());
  if (message.empty())
    message = std::string(entryPoint) + " failed with " +
              vmgpu_status_get_name(status);
  if (status <= VMGPU_STATUS_OK || status > VMGPU_STATUS_OUT_OF_MEMORY)
    status = VMGPU_STATUS_INTERNAL;
  return Status(static_cast<runtime::StatusCode>(status), std::move(message));
}

StatusOr<TensorHandle> toCTensor(const HostTensor &tensor) {
  vmgpu_tensor_t *handle = nullptr;
  vmgpu_error_t *error = nullptr;
  vmgpu_status_t status = vmgpu_tensor_create(
      static_cast<vmgpu_element_type_t>(tensor.elementType()),
      tensor.shape().data(), tensor.shape().size(), tensor.bytes(),
      tensor.sizeInBytes(), &handle, &error);
  ErrorHandle owned(error);
  if (status != VMGPU_STATUS_OK)
    return statusOf(status, owned, "vmgpu_tensor_create");
  return TensorHandle(handle);
}

namespace {

/// toCTensors; with `release`, each tensor is emptied once it is copied.
template <class Tensors>
StatusOr<std::vector<TensorHandle>> copyToCApi(Tensors &tensors, bool release) {
  std::vector<TensorHandle> handles;
  for (auto &tensor : tensors) {
    StatusOr<TensorHandle> handle = toCTensor(tensor);
    if (!handle.isOk())
      return handle.status();
    handles.push_back(std::move(handle).value());
    if constexpr (!std::is_const_v<Tensors>)
      if (release)
        tensor = HostTensor();
  }
  return handles;
}

} // namespace

StatusOr<std::vector<TensorHandle>>
toCTensors(const std::vector<HostTensor> &tensors) {
  return copyToCApi(tensors, /*release=*/false);
}

StatusOr<std::vector<TensorHandle>> toCTensors(std::vector<HostTensor> &&tensors) {
  return copyToCApi(tensors, /*release=*/true);
}

StatusOr<HostTensor> toHostTensor(TensorHandle handle) {
  std::vector<int64_t> shape(vmgpu_tensor_get_rank(handle.get()));
  for (size_t i = 0; i < shape.size(); ++i)
    shape[i] = vmgpu_tensor_get_dim(handle.get(), i);
  auto type =
      static_cast<ElementType>(vmgpu_tensor_get_element_type(handle.get()));
  auto *buffer =
      static_cast<std::byte *>(vmgpu_tensor_get_mutable_data(handle.get()));
  // adopt() releases the buffer (here: the handle) on every path.
  return HostTensor::adopt(
      type, std::move(shape), buffer,
      [](std::byte *, const void *owner) {
        vmgpu_tensor_destroy(
            static_cast<vmgpu_tensor_t *>(const_cast<void *>(owner)));
      },
      handle.release());
}

StatusOr<std::vector<HostTensor>>
toHostTensors(std::vector<TensorHandle> handles) {
  std::vector<HostTensor> tensors;
  for (TensorHandle &handle : handles) {
    StatusOr<HostTensor> tensor = toHostTensor(std::move(handle));
    if (!tensor.isOk())
      return tensor.status();
    tensors.push_back(std::move(tensor).value());
  }
  return tensors;
}

StatusOr<std::vector<TensorHandle>>
runBlock(vmgpu_engine_t *engine, const vmgpu_block_t *block,
         const std::vector<TensorHandle> &inputs) {
  std::vector<const vmgpu_tensor_t *> arguments;
  for (const TensorHandle &input : inputs)
    arguments.push_back(input.get());
  std::vector<vmgpu_tensor_t *> slots(vmgpu_block_get_num_results(block),
                                      nullptr);
  vmgpu_error_t *error = nullptr;
  vmgpu_status_t status =
      vmgpu_engine_run(engine, block, arguments.data(), arguments.size(),
                       slots.data(), slots.size(), &error);
  ErrorHandle owned(error);
  std::vector<TensorHandle> results;
  for (vmgpu_tensor_t *slot : slots)
    results.emplace_back(slot);
  if (status != VMGPU_STATUS_OK)
    return statusOf(status, owned, "vmgpu_engine_run");
  return results;
}

} // namespace vmgpu::tools
