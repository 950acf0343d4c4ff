//===- CApiClient.h - what the tools over the C API share -------*- C++ -*-===//
//
// vm-gpu-run and vm-gpu-soak use the engine through libvmgpu.so's C API
// (include/vmgpu/vmgpu.h) and the runtime library (no LLVM) for their own
// tensors and files. This is the glue: owners of C API handles, C API
// errors as runtime::Status, and tensors across the boundary.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_TOOLS_TOOLSUPPORT_CAPICLIENT_H
#define VMGPU_TOOLS_TOOLSUPPORT_CAPICLIENT_H

#include "vmgpu/vmgpu.h"

#include "vmgpu/runtime/HostTensor.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace vmgpu::tools {

/// Owns a C API handle; `Destroy` accepts NULL.
template <auto Destroy> struct HandleDeleter {
  template <class T> void operator()(T *handle) const { Destroy(handle); }
};
template <class T, auto Destroy>
using Handle = std::unique_ptr<T, HandleDeleter<Destroy>>;
using EngineHandle = Handle<vmgpu_engine_t, vmgpu_engine_destroy>;
using BlockHandle = Handle<vmgpu_block_t, vmgpu_block_destroy>;
using TensorHandle = Handle<vmgpu_tensor_t, vmgpu_tensor_destroy>;
using ErrorHandle = Handle<vmgpu_error_t, vmgpu_error_destroy>;
using StringHandle = Handle<char, vmgpu_string_destroy>;

/// A failed call's status and message (`error` may be NULL: the code
/// alone). Argument errors name the entry point first ("vmgpu_engine_create:
/// unknown device ..."); a tool's user spelled an option, not the call, so
/// `entryPoint: ` is dropped from the front.
runtime::Status statusOf(vmgpu_status_t status, const ErrorHandle &error,
                         std::string_view entryPoint);

/// A C API tensor holding a copy of `tensor`.
runtime::StatusOr<TensorHandle> toCTensor(const runtime::HostTensor &tensor);

/// C API copies of `tensors`.
runtime::StatusOr<std::vector<TensorHandle>>
toCTensors(const std::vector<runtime::HostTensor> &tensors);
/// The same, freeing each of `tensors` once it is copied, so that a large
/// input is held twice one at a time, not all of them.
runtime::StatusOr<std::vector<TensorHandle>>
toCTensors(std::vector<runtime::HostTensor> &&tensors);

/// `handle`'s tensor as a HostTensor over the same buffer, without a copy:
/// the HostTensor takes the handle over and destroys it when it goes.
runtime::StatusOr<runtime::HostTensor> toHostTensor(TensorHandle handle);

/// toHostTensor of each of `handles`.
runtime::StatusOr<std::vector<runtime::HostTensor>>
toHostTensors(std::vector<TensorHandle> handles);

/// One vmgpu_engine_run of `block` on `inputs`; its results as C API
/// tensors. Errors as statusOf gives them.
runtime::StatusOr<std::vector<TensorHandle>>
runBlock(vmgpu_engine_t *engine, const vmgpu_block_t *block,
         const std::vector<TensorHandle> &inputs);

} // namespace vmgpu::tools

#endif // VMGPU_TOOLS_TOOLSUPPORT_CAPICLIENT_H
