//===- CApi.cpp - the C API of include/vmgpu/vmgpu.h over vmgpu::Engine ---===//
//
// Every entry point validates its arguments, calls the C++ engine and turns
// a runtime::Status into a status code plus an optional error object. This
// file is built with exceptions on so that nothing (std::bad_alloc in
// particular) unwinds into the C caller.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/vmgpu.h"

#include "CApiInternal.h"
#include "vmgpu/Codegen/ContractionStrategy.h"
#include "vmgpu/Engine/Engine.h"
#include "vmgpu/runtime/DeviceManager.h"
#include "vmgpu/runtime/FileRead.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <new>
#include <string>
#include <vector>

using namespace vmgpu;
using namespace vmgpu::capi;
using namespace vmgpu::runtime;

namespace {

#define VMGPU_STRINGIFY_NUMBER(x) #x
#define VMGPU_VERSION_STRING_OF(major, minor, patch)                           \
  VMGPU_STRINGIFY_NUMBER(major)                                                \
  "." VMGPU_STRINGIFY_NUMBER(minor) "." VMGPU_STRINGIFY_NUMBER(patch)

/// The library's version: the header's numbers, so that the two cannot drift.
constexpr const char kVersion[] = VMGPU_VERSION_STRING_OF(
    VMGPU_VERSION_MAJOR, VMGPU_VERSION_MINOR, VMGPU_VERSION_PATCH);

// The C numbers are the runtime's: keep them in step.
static_assert(VMGPU_STATUS_INVALID_ARGUMENT ==
              static_cast<int>(StatusCode::InvalidArgument));
static_assert(VMGPU_STATUS_UNAVAILABLE ==
              static_cast<int>(StatusCode::Unavailable));
static_assert(VMGPU_STATUS_OUT_OF_MEMORY ==
              static_cast<int>(StatusCode::OutOfMemory));
static_assert(VMGPU_ELEMENT_TYPE_I1 == static_cast<int>(ElementType::I1));
static_assert(VMGPU_ELEMENT_TYPE_BF16 == static_cast<int>(ElementType::BF16));
static_assert(VMGPU_ELEMENT_TYPE_F64 == static_cast<int>(ElementType::F64));

/// The first line of `diagnostics` that holds an error, for messages.
std::string firstErrorLine(const std::string &diagnostics) {
  size_t at = diagnostics.find("error: ");
  if (at == std::string::npos)
    return "";
  size_t begin = diagnostics.rfind('\n', at);
  begin = begin == std::string::npos ? 0 : begin + 1;
  size_t end = diagnostics.find('\n', at);
  return diagnostics.substr(begin, end == std::string::npos ? std::string::npos
                                                            : end - begin);
}

/// The struct_size of every published vmgpu_engine_options_t, oldest first:
/// a version's struct ends (padding included) where the next version's
/// first field starts, since each version's first field is pointer-aligned
/// (versions 1 and 2: up to `contraction_strategy`; 3: up to `gpu_graphs`).
/// Only these are read: a size that ends inside a field (a pointer cut in
/// half) or between versions is a caller bug, not an older header.
constexpr size_t kEngineOptionsSizes[] = {
    offsetof(vmgpu_engine_options_t, contraction_strategy),
    offsetof(vmgpu_engine_options_t, gpu_graphs),
    sizeof(vmgpu_engine_options_t)};
// The sizes as they were published on LP64 targets: a field inserted before
// the newest version's, or moved, changes one of them.
static_assert(sizeof(void *) != 8 || (kEngineOptionsSizes[0] == 32 &&
                                      kEngineOptionsSizes[1] == 56 &&
                                      kEngineOptionsSizes[2] == 64),
              "a published vmgpu_engine_options_t changed size");

/// The struct_size of every published vmgpu_compile_options_t (the first is
/// VMGPU_API_VERSION 3's).
constexpr size_t kCompileOptionsSizes[] = {sizeof(vmgpu_compile_options_t)};

/// The largest options struct a newer header could plausibly declare.
constexpr size_t kMaxStructSize = 4096;

/// Checks the `struct_size` that starts an options struct: one of `known`
/// (the published versions this library reads), or a newer version's (a
/// larger multiple of `alignment`, up to kMaxStructSize) whose bytes beyond
/// the newest known version are all zero (else UNIMPLEMENTED: the caller
/// set a field this library does not know).
vmgpu_status_t checkStructSize(const void *in, size_t size,
                               llvm::ArrayRef<size_t> known, size_t alignment,
                               const char *fn, const char *what,
                               vmgpu_error_t **error) {
  if (llvm::is_contained(known, size))
    return VMGPU_STATUS_OK;
  size_t newest = known.back();
  if (size <= newest || size % alignment != 0 || size > kMaxStructSize) {
    std::string sizes;
    for (size_t k : known)
      sizes += (sizes.empty() ? "" : ", ") + std::to_string(k);
    return fail(error, VMGPU_STATUS_INVALID_ARGUMENT,
                std::string(fn) + ": " + what + "->struct_size is " +
                    std::to_string(size) + ", not the size of any version (" +
                    sizes + ", or a larger multiple of " +
                    std::to_string(alignment) + " for a newer header; set it "
                    "with the _init function)");
  }
  const auto *bytes = static_cast<const unsigned char *>(in);
  for (size_t i = newest; i < size; ++i)
    if (bytes[i] != 0)
      return fail(error, VMGPU_STATUS_UNIMPLEMENTED,
                  std::string(fn) + ": " + what +
                      " set a field this library does not know (struct_size " +
                      std::to_string(size) + ", known " +
                      std::to_string(newest) + ")");
  return VMGPU_STATUS_OK;
}

/// Reads the options a caller of any published header version passed:
/// fields beyond its version keep their defaults, and bytes beyond ours must
/// be 0.
vmgpu_status_t readEngineOptions(const vmgpu_engine_options_t *in,
                                 EngineOptions &out, vmgpu_error_t **error) {
  const char *fn = "vmgpu_engine_create";
  vmgpu_engine_options_t options;
  vmgpu_engine_options_init(&options);
  if (in) {
    size_t size = in->struct_size;
    if (vmgpu_status_t status =
            checkStructSize(in, size, kEngineOptionsSizes,
                            alignof(vmgpu_engine_options_t), fn, "options",
                            error))
      return status;
    // Copy the fields the caller's version holds.
    std::memcpy(&options, in, std::min(size, sizeof(options)));
    options.struct_size = sizeof(options);
  }
  if (options.device) {
    StatusOr<DeviceSelection> device = DeviceSelection::parse(options.device);
    if (!device.isOk())
      return fail(error, device.status().withContext(fn));
    out.device = *device;
  }
  if (options.contraction_strategy) {
    std::optional<ContractionStrategy> strategy =
        symbolizeContractionStrategy(options.contraction_strategy);
    if (!strategy)
      return fail(error, VMGPU_STATUS_INVALID_ARGUMENT,
                  std::string(fn) + ": unknown contraction strategy '" +
                      options.contraction_strategy +
                      "' (expected generated, library or auto)");
    out.contractionStrategy = *strategy;
  }
  if (options.cache_directory)
    out.cache.directory = std::string(options.cache_directory);
  if (options.gpu_graphs < -1 || options.gpu_graphs > 1)
    return fail(error, VMGPU_STATUS_INVALID_ARGUMENT,
                std::string(fn) + ": gpu_graphs must be -1, 0 or 1, got " +
                    std::to_string(options.gpu_graphs));
  if (options.gpu_graphs != -1)
    out.gpuGraphs = options.gpu_graphs == 1;
  out.cache.memory = options.memory_cache != 0;
  if (options.opt_level < 0 || options.opt_level > 3)
    return fail(error, VMGPU_STATUS_INVALID_ARGUMENT,
                std::string(fn) + ": opt_level must be 0-3, got " +
                    std::to_string(options.opt_level));
  out.allowFallback = options.allow_fallback != 0;
  out.compile.optLevel = static_cast<unsigned>(options.opt_level);
  out.compile.parallel = options.parallel != 0;
  return VMGPU_STATUS_OK;
}

/// Hands `text` to the caller as a `char *` for vmgpu_string_destroy.
vmgpu_status_t giveString(const std::string &text, char **out, const char *fn,
                          vmgpu_error_t **error) {
  char *copy = static_cast<char *>(std::malloc(text.size() + 1));
  if (!copy)
    return fail(error, VMGPU_STATUS_OUT_OF_MEMORY,
                std::string(fn) + ": out of memory");
  std::memcpy(copy, text.c_str(), text.size() + 1);
  *out = copy;
  return succeed(error);
}

/// vmgpu_engine_compile and vmgpu_engine_compile_with_options once their
/// arguments are read; `fn` names the entry point in messages.
vmgpu_status_t compileBlock(const char *fn, vmgpu_engine_t *engine,
                            const char *ir, size_t ir_length,
                            const char *entry, const char *sourceName,
                            vmgpu_block_t **out_block, vmgpu_error_t **error) {
  if (!engine)
    return nullArgument(error, fn, "engine");
  if (!ir && ir_length != 0)
    return nullArgument(error, fn, "ir");
  if (ir_length > kMaxProgramBytes)
    return fail(error, VMGPU_STATUS_RESOURCE_EXHAUSTED,
                std::string(fn) + ": the IR has " + std::to_string(ir_length) +
                    " bytes, more than the " +
                    std::to_string(kMaxProgramBytes) + " a program may have");
  std::string diagnostics;
  llvm::raw_string_ostream os(diagnostics);
  StatusOr<std::shared_ptr<const CompiledBlock>> compiled =
      engine->engine.compile(
          llvm::MemoryBuffer::getMemBufferCopy(
              llvm::StringRef(ir ? ir : "", ir_length),
              sourceName ? sourceName : "<ir>"),
          entry ? entry : "main", os);
  os.flush();
  if (!compiled.isOk()) {
    Status status = compiled.status();
    std::string line = firstErrorLine(diagnostics);
    if (!line.empty())
      status = Status(status.code(), status.message() + ": " + line);
    return fail(error, status, std::move(diagnostics));
  }
  auto block = std::make_unique<vmgpu_block_t>();
  block->block = std::move(*compiled);
  block->engine = engine;
  block->device =
      block->block->gpu ? block->block->gpu->device()->name() : "cpu";
  block->diagnostics = std::move(diagnostics);
  *out_block = block.release();
  return succeed(error);
}

} // namespace

vmgpu_status_t
vmgpu::capi::runBlock(const char *fn, bool keepResultsOnDevice,
                      vmgpu_engine_t *engine, const vmgpu_block_t *block,
                      const vmgpu_tensor_t *const *inputs, size_t num_inputs,
                      vmgpu_tensor_t **outputs, size_t num_outputs,
                      vmgpu_error_t **error) {
  return guarded(error, fn, [&]() -> vmgpu_status_t {
    if (outputs)
      for (size_t i = 0; i < num_outputs; ++i)
        outputs[i] = nullptr;
    if (!engine)
      return nullArgument(error, fn, "engine");
    if (!block)
      return nullArgument(error, fn, "block");
    if (block->engine != engine)
      return fail(error, VMGPU_STATUS_INVALID_ARGUMENT,
                  std::string(fn) +
                      ": the block was compiled by another engine");
    if (!inputs && num_inputs != 0)
      return nullArgument(error, fn, "inputs");
    if (!outputs && num_outputs != 0)
      return nullArgument(error, fn, "outputs");
    size_t numResults = block->block->cpuArtifact.signature.results.size();
    if (num_outputs != numResults)
      return fail(error, VMGPU_STATUS_INVALID_ARGUMENT,
                  std::string(fn) + ": the block has " +
                      std::to_string(numResults) + " results, got room for " +
                      std::to_string(num_outputs) + " outputs");
    std::vector<const HostTensor *> tensors;
    tensors.reserve(num_inputs);
    for (size_t i = 0; i < num_inputs; ++i) {
      if (!inputs[i])
        return fail(error, VMGPU_STATUS_INVALID_ARGUMENT,
                    std::string(fn) + ": input #" + std::to_string(i) +
                        " is NULL");
      tensors.push_back(&inputs[i]->tensor);
    }
    NativeExecutable::RunOptions options;
    options.keepResultsOnDevice = keepResultsOnDevice;
    StatusOr<std::vector<HostTensor>> results =
        engine->engine.run(*block->block, tensors, options);
    if (!results.isOk())
      return fail(error, results.status());
    if (results->size() != num_outputs)
      return fail(error, VMGPU_STATUS_INTERNAL,
                  std::string(fn) + ": the block returned " +
                      std::to_string(results->size()) + " results, expected " +
                      std::to_string(num_outputs));
    std::vector<std::unique_ptr<vmgpu_tensor_t>> wrapped;
    wrapped.reserve(num_outputs);
    for (HostTensor &result : *results)
      wrapped.push_back(
          std::make_unique<vmgpu_tensor_t>(vmgpu_tensor_t{std::move(result)}));
    for (size_t i = 0; i < num_outputs; ++i)
      outputs[i] = wrapped[i].release();
    return succeed(error);
  });
}

extern "C" {

//===----------------------------------------------------------------------===//
// Status codes, errors, strings, version
//===----------------------------------------------------------------------===//

const char *vmgpu_status_get_name(vmgpu_status_t status) {
  switch (status) {
  case VMGPU_STATUS_OK:
    return "OK";
  case VMGPU_STATUS_CANCELLED:
    return "CANCELLED";
  case VMGPU_STATUS_INVALID_ARGUMENT:
    return "INVALID_ARGUMENT";
  case VMGPU_STATUS_NOT_FOUND:
    return "NOT_FOUND";
  case VMGPU_STATUS_ALREADY_EXISTS:
    return "ALREADY_EXISTS";
  case VMGPU_STATUS_PERMISSION_DENIED:
    return "PERMISSION_DENIED";
  case VMGPU_STATUS_RESOURCE_EXHAUSTED:
    return "RESOURCE_EXHAUSTED";
  case VMGPU_STATUS_FAILED_PRECONDITION:
    return "FAILED_PRECONDITION";
  case VMGPU_STATUS_ABORTED:
    return "ABORTED";
  case VMGPU_STATUS_OUT_OF_RANGE:
    return "OUT_OF_RANGE";
  case VMGPU_STATUS_UNIMPLEMENTED:
    return "UNIMPLEMENTED";
  case VMGPU_STATUS_INTERNAL:
    return "INTERNAL";
  case VMGPU_STATUS_UNAVAILABLE:
    return "UNAVAILABLE";
  case VMGPU_STATUS_DATA_LOSS:
    return "DATA_LOSS";
  case VMGPU_STATUS_DEADLINE_EXCEEDED:
    return "DEADLINE_EXCEEDED";
  case VMGPU_STATUS_OUT_OF_MEMORY:
    return "OUT_OF_MEMORY";
  default:
    return "UNKNOWN";
  }
}

vmgpu_status_t vmgpu_error_get_status(const vmgpu_error_t *error) {
  return error ? error->status : VMGPU_STATUS_INVALID_ARGUMENT;
}

const char *vmgpu_error_get_message(const vmgpu_error_t *error) {
  return error ? error->message.c_str() : "";
}

const char *vmgpu_error_get_diagnostics(const vmgpu_error_t *error) {
  return error ? error->diagnostics.c_str() : "";
}

void vmgpu_error_destroy(vmgpu_error_t *error) { delete error; }

void vmgpu_string_destroy(char *string) { std::free(string); }

const char *vmgpu_get_version(void) { return kVersion; }

int32_t vmgpu_get_api_version(void) { return VMGPU_API_VERSION; }

//===----------------------------------------------------------------------===//
// Element types
//===----------------------------------------------------------------------===//

const char *vmgpu_element_type_get_name(vmgpu_element_type_t type) {
  if (!isElementType(type))
    return nullptr;
  return elementTypeName(static_cast<ElementType>(type));
}

size_t vmgpu_element_type_get_size(vmgpu_element_type_t type) {
  if (!isElementType(type))
    return 0;
  return elementByteSize(static_cast<ElementType>(type));
}

vmgpu_status_t vmgpu_element_type_parse(const char *name,
                                        vmgpu_element_type_t *out_type,
                                        vmgpu_error_t **error) {
  const char *fn = "vmgpu_element_type_parse";
  return guarded(error, fn, [&]() -> vmgpu_status_t {
    if (!out_type)
      return nullArgument(error, fn, "out_type");
    *out_type = VMGPU_ELEMENT_TYPE_INVALID;
    if (!name)
      return nullArgument(error, fn, "name");
    std::optional<ElementType> type = parseElementType(name);
    if (!type)
      return fail(error, VMGPU_STATUS_INVALID_ARGUMENT,
                  std::string(fn) + ": unknown element type '" + name +
                      "' (expected i1, i8, i16, i32, i64, f16, bf16, f32 or "
                      "f64)");
    *out_type = static_cast<vmgpu_element_type_t>(*type);
    return succeed(error);
  });
}

//===----------------------------------------------------------------------===//
// Tensors
//===----------------------------------------------------------------------===//

vmgpu_status_t vmgpu_tensor_create(vmgpu_element_type_t type,
                                   const int64_t *shape, size_t rank,
                                   const void *data, size_t data_size,
                                   vmgpu_tensor_t **out_tensor,
                                   vmgpu_error_t **error) {
  const char *fn = "vmgpu_tensor_create";
  return guarded(error, fn, [&]() -> vmgpu_status_t {
    if (!out_tensor)
      return nullArgument(error, fn, "out_tensor");
    *out_tensor = nullptr;
    if (vmgpu_status_t status = checkTensorType(error, fn, type, shape, rank))
      return status;
    if (!data && data_size != 0)
      return nullArgument(error, fn, "data");
    auto elementType = static_cast<ElementType>(type);
    std::vector<int64_t> dims(shape, shape + rank);
    StatusOr<int64_t> count =
        checkedNumElements(dims, elementByteSize(elementType));
    if (!count.isOk())
      return fail(error, count.status().withContext(fn));
    uint64_t needed =
        static_cast<uint64_t>(*count) * elementByteSize(elementType);
    // Too large is what it is, whatever data came with it.
    if (needed > HostTensor::kMaxSizeInBytes)
      return fail(error, VMGPU_STATUS_RESOURCE_EXHAUSTED,
                  std::string(fn) + ": " + std::to_string(*count) + " " +
                      elementTypeName(elementType) + " elements need " +
                      std::to_string(needed) + " bytes, more than the " +
                      std::to_string(HostTensor::kMaxSizeInBytes) +
                      " a tensor may hold");
    if (data && needed != data_size)
      return fail(error, VMGPU_STATUS_INVALID_ARGUMENT,
                  std::string(fn) + ": " + std::to_string(*count) + " " +
                      elementTypeName(elementType) + " elements need " +
                      std::to_string(needed) + " bytes, got data_size " +
                      std::to_string(data_size));
    StatusOr<HostTensor> tensor =
        data ? HostTensor::fromBytes(elementType, std::move(dims), data,
                                     data_size)
             : HostTensor::create(elementType, std::move(dims));
    if (!tensor.isOk())
      return fail(error, tensor.status().withContext(fn));
    *out_tensor = new vmgpu_tensor_t{std::move(*tensor)};
    return succeed(error);
  });
}

void vmgpu_tensor_destroy(vmgpu_tensor_t *tensor) { delete tensor; }

vmgpu_element_type_t
vmgpu_tensor_get_element_type(const vmgpu_tensor_t *tensor) {
  return tensor
             ? static_cast<vmgpu_element_type_t>(tensor->tensor.elementType())
             : VMGPU_ELEMENT_TYPE_INVALID;
}

size_t vmgpu_tensor_get_rank(const vmgpu_tensor_t *tensor) {
  return tensor ? tensor->tensor.shape().size() : 0;
}

int64_t vmgpu_tensor_get_dim(const vmgpu_tensor_t *tensor, size_t index) {
  if (!tensor || index >= tensor->tensor.shape().size())
    return -1;
  return tensor->tensor.dim(index);
}

int64_t vmgpu_tensor_get_num_elements(const vmgpu_tensor_t *tensor) {
  return tensor ? tensor->tensor.numElements() : 0;
}

size_t vmgpu_tensor_get_byte_size(const vmgpu_tensor_t *tensor) {
  return tensor ? tensor->tensor.sizeInBytes() : 0;
}

const void *vmgpu_tensor_get_data(const vmgpu_tensor_t *tensor) {
  return tensor ? tensor->tensor.bytes() : nullptr;
}

void *vmgpu_tensor_get_mutable_data(vmgpu_tensor_t *tensor) {
  return tensor ? tensor->tensor.bytes() : nullptr;
}

//===----------------------------------------------------------------------===//
// Engines
//===----------------------------------------------------------------------===//

vmgpu_status_t vmgpu_engine_create(const vmgpu_engine_options_t *options,
                                   vmgpu_engine_t **out_engine,
                                   vmgpu_error_t **error) {
  const char *fn = "vmgpu_engine_create";
  return guarded(error, fn, [&]() -> vmgpu_status_t {
    if (!out_engine)
      return nullArgument(error, fn, "out_engine");
    *out_engine = nullptr;
    exposeHostCallsToBlocks();
    EngineOptions engineOptions;
    if (vmgpu_status_t status =
            readEngineOptions(options, engineOptions, error))
      return status;
    *out_engine = new vmgpu_engine_t(std::move(engineOptions));
    return succeed(error);
  });
}

void vmgpu_engine_destroy(vmgpu_engine_t *engine) { delete engine; }

const char *vmgpu_engine_get_device(const vmgpu_engine_t *engine) {
  return engine ? engine->device.c_str() : "";
}

vmgpu_status_t vmgpu_engine_get_metrics_json(const vmgpu_engine_t *engine,
                                             char **out_json,
                                             vmgpu_error_t **error) {
  const char *fn = "vmgpu_engine_get_metrics_json";
  return guarded(error, fn, [&]() -> vmgpu_status_t {
    if (!out_json)
      return nullArgument(error, fn, "out_json");
    *out_json = nullptr;
    if (!engine)
      return nullArgument(error, fn, "engine");
    return giveString(engine->engine.metrics().toJson(), out_json, fn, error);
  });
}

vmgpu_status_t vmgpu_get_devices_json(char **out_json, vmgpu_error_t **error) {
  const char *fn = "vmgpu_get_devices_json";
  return guarded(error, fn, [&]() -> vmgpu_status_t {
    if (!out_json)
      return nullArgument(error, fn, "out_json");
    *out_json = nullptr;
    return giveString(deviceListToJson(discoverDevices()), out_json, fn,
                      error);
  });
}

//===----------------------------------------------------------------------===//
// Blocks
//===----------------------------------------------------------------------===//

vmgpu_status_t vmgpu_engine_compile(vmgpu_engine_t *engine, const char *ir,
                                    size_t ir_length, const char *entry,
                                    vmgpu_block_t **out_block,
                                    vmgpu_error_t **error) {
  const char *fn = "vmgpu_engine_compile";
  return guarded(error, fn, [&]() -> vmgpu_status_t {
    if (!out_block)
      return nullArgument(error, fn, "out_block");
    *out_block = nullptr;
    return compileBlock(fn, engine, ir, ir_length, entry, /*sourceName=*/nullptr,
                        out_block, error);
  });
}

vmgpu_status_t vmgpu_engine_compile_with_options(
    vmgpu_engine_t *engine, const char *ir, size_t ir_length,
    const vmgpu_compile_options_t *options, vmgpu_block_t **out_block,
    vmgpu_error_t **error) {
  const char *fn = "vmgpu_engine_compile_with_options";
  return guarded(error, fn, [&]() -> vmgpu_status_t {
    if (!out_block)
      return nullArgument(error, fn, "out_block");
    *out_block = nullptr;
    vmgpu_compile_options_t read;
    vmgpu_compile_options_init(&read);
    if (options) {
      if (vmgpu_status_t status = checkStructSize(
              options, options->struct_size, kCompileOptionsSizes,
              alignof(vmgpu_compile_options_t), fn, "options", error))
        return status;
      std::memcpy(&read, options, std::min(options->struct_size, sizeof read));
    }
    return compileBlock(fn, engine, ir, ir_length, read.entry,
                        read.source_name, out_block, error);
  });
}

vmgpu_status_t vmgpu_engine_run(vmgpu_engine_t *engine,
                                const vmgpu_block_t *block,
                                const vmgpu_tensor_t *const *inputs,
                                size_t num_inputs, vmgpu_tensor_t **outputs,
                                size_t num_outputs, vmgpu_error_t **error) {
  return runBlock("vmgpu_engine_run", /*keepResultsOnDevice=*/false, engine,
                  block, inputs, num_inputs, outputs, num_outputs, error);
}

void vmgpu_block_destroy(vmgpu_block_t *block) { delete block; }

size_t vmgpu_block_get_num_inputs(const vmgpu_block_t *block) {
  return block ? block->block->cpuArtifact.signature.arguments.size() : 0;
}

size_t vmgpu_block_get_num_results(const vmgpu_block_t *block) {
  return block ? block->block->cpuArtifact.signature.results.size() : 0;
}

const char *vmgpu_block_get_device(const vmgpu_block_t *block) {
  return block ? block->device.c_str() : "";
}

const char *vmgpu_block_get_fallback_reason(const vmgpu_block_t *block) {
  return block ? block->block->fallbackReason.c_str() : "";
}

const char *vmgpu_block_get_diagnostics(const vmgpu_block_t *block) {
  return block ? block->diagnostics.c_str() : "";
}

} // extern "C"
