//===- CApiInternal.h - what the C API's files share ------------*- C++ -*-===//
//
// The handles' definitions and the helpers every entry point uses to turn a
// runtime::Status or an exception into a status code plus an error object.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_LIB_CAPI_CAPIINTERNAL_H
#define VMGPU_LIB_CAPI_CAPIINTERNAL_H

#include "vmgpu/vmgpu.h"

#include "vmgpu/Engine/Engine.h"

#include <memory>
#include <new>
#include <string>

struct vmgpu_error_t {
  vmgpu_status_t status;
  std::string message;
  std::string diagnostics;
};

struct vmgpu_tensor_t {
  vmgpu::runtime::HostTensor tensor;
};

struct vmgpu_engine_t {
  explicit vmgpu_engine_t(vmgpu::EngineOptions options)
      : engine(std::move(options)), device(engine.device().toString()) {}
  vmgpu::Engine engine;
  std::string device;
};

struct vmgpu_block_t {
  /// Identity only: checked by vmgpu_engine_run, never dereferenced.
  const vmgpu_engine_t *engine = nullptr;
  std::shared_ptr<const vmgpu::CompiledBlock> block;
  std::string device;
  std::string diagnostics;
};

namespace vmgpu::capi {

using runtime::Status;

/// Puts the library holding the C API into the process's global symbol
/// scope, once, so that the blocks it loads find its GPU host calls even
/// when an FFI loaded it RTLD_LOCAL (HostCallScope.cpp).
void exposeHostCallsToBlocks();

/// Writes `*error` (when asked for) and returns `status`. Allocation
/// failures leave `*error` NULL: the code still reaches the caller.
inline vmgpu_status_t fail(vmgpu_error_t **error, vmgpu_status_t status,
                           std::string message, std::string diagnostics = {}) {
  if (error) {
    *error = nullptr;
    try {
      *error =
          new vmgpu_error_t{status, std::move(message), std::move(diagnostics)};
    } catch (...) {
    }
  }
  return status;
}

inline vmgpu_status_t fail(vmgpu_error_t **error, const Status &status,
                           std::string diagnostics = {}) {
  int code = static_cast<int>(status.code());
  if (code <= VMGPU_STATUS_OK || code > VMGPU_STATUS_OUT_OF_MEMORY)
    code = VMGPU_STATUS_INTERNAL;
  return fail(error, code, status.message(), std::move(diagnostics));
}

inline vmgpu_status_t succeed(vmgpu_error_t **error) {
  if (error)
    *error = nullptr;
  return VMGPU_STATUS_OK;
}

inline vmgpu_status_t nullArgument(vmgpu_error_t **error, const char *function,
                                   const char *argument) {
  return fail(error, VMGPU_STATUS_INVALID_ARGUMENT,
              std::string(function) + ": '" + argument + "' is NULL");
}

/// Runs `body` and turns an escaping exception into a status.
template <class Body>
vmgpu_status_t guarded(vmgpu_error_t **error, const char *function,
                       Body &&body) {
  try {
    return body();
  } catch (const std::bad_alloc &) {
    return fail(error, VMGPU_STATUS_OUT_OF_MEMORY,
                std::string(function) + ": out of memory");
  } catch (const std::exception &e) {
    return fail(error, VMGPU_STATUS_INTERNAL,
                std::string(function) + ": " + e.what());
  } catch (...) {
    return fail(error, VMGPU_STATUS_INTERNAL,
                std::string(function) + ": unknown exception");
  }
}

/// vmgpu_engine_run and vmgpu_engine_run_device_resident (CApi.cpp); `fn`
/// names the entry point in messages.
vmgpu_status_t runBlock(const char *fn, bool keepResultsOnDevice,
                        vmgpu_engine_t *engine, const vmgpu_block_t *block,
                        const vmgpu_tensor_t *const *inputs, size_t num_inputs,
                        vmgpu_tensor_t **outputs, size_t num_outputs,
                        vmgpu_error_t **error);

inline bool isElementType(vmgpu_element_type_t type) {
  return type >= VMGPU_ELEMENT_TYPE_I1 && type <= VMGPU_ELEMENT_TYPE_F64;
}

/// The checks every tensor-creating entry point makes on its element type,
/// rank and shape pointer: OK, or the error set in `error`.
inline vmgpu_status_t checkTensorType(vmgpu_error_t **error, const char *fn,
                                      vmgpu_element_type_t type,
                                      const int64_t *shape, size_t rank) {
  if (!isElementType(type))
    return fail(error, VMGPU_STATUS_INVALID_ARGUMENT,
                std::string(fn) + ": unknown element type " +
                    std::to_string(type));
  if (rank > VMGPU_MAX_RANK)
    return fail(error, VMGPU_STATUS_INVALID_ARGUMENT,
                std::string(fn) + ": rank " + std::to_string(rank) +
                    " is above VMGPU_MAX_RANK (" +
                    std::to_string(VMGPU_MAX_RANK) + ")");
  if (rank > 0 && !shape)
    return nullArgument(error, fn, "shape");
  return VMGPU_STATUS_OK;
}

} // namespace vmgpu::capi

#endif // VMGPU_LIB_CAPI_CAPIINTERNAL_H
