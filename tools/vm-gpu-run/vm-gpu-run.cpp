//===- vm-gpu-run.cpp - run one function of an IR file on .npy inputs -----===//
//
//   vm-gpu-run PROG.mlir --entry main --device cpu|cuda[:N]|rocm[:N]|auto \
//       --input in0.npy ... --output-dir OUT [--metrics-json FILE] [--repeat N]
//
// A client of the C API (include/vmgpu/vmgpu.h): the compiler, the engine
// and LLVM are in libvmgpu.so, and the tool adds only the runtime (no LLVM)
// for its files. So a machine without LLVM needs one copy of LLVM for this
// tool and every other host of the library (the portable bundle), and every
// run, the end-to-end suite's included, goes through the interface a JIT
// uses. A rejected program or input exits 1 with `error:` diagnostics on
// stderr and writes nothing. The program is a regular file of at most
// runtime::kMaxProgramBytes, or `-` (stdin).
//
//===----------------------------------------------------------------------===//

#include "vmgpu/vmgpu.h"

#include "CommandLine.h"
#include "vmgpu/runtime/ArtifactFile.h"
#include "vmgpu/runtime/FileRead.h"
#include "vmgpu/runtime/RunnerIO.h"

#include "llvm/Config/llvm-config.h"

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

using namespace vmgpu;
using runtime::ElementType;
using runtime::HostTensor;
using runtime::Status;
using runtime::StatusOr;

// The C API numbers element types as the runtime does.
static_assert(VMGPU_ELEMENT_TYPE_I1 == static_cast<int>(ElementType::I1));
static_assert(VMGPU_ELEMENT_TYPE_BF16 == static_cast<int>(ElementType::BF16));
static_assert(VMGPU_ELEMENT_TYPE_F64 == static_cast<int>(ElementType::F64));

namespace {

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

int fail(std::string_view message) {
  std::fprintf(stderr, "vm-gpu-run: error: %.*s\n",
               static_cast<int>(message.size()), message.data());
  return 1;
}

/// `error`'s message. Argument errors name the entry point first
/// ("vmgpu_engine_create: unknown device ..."); the tool's users spelled the
/// option, not the call, so that prefix goes.
std::string messageOf(const ErrorHandle &error, std::string_view entryPoint) {
  std::string message = vmgpu_error_get_message(error.get());
  std::string prefix = std::string(entryPoint) + ": ";
  if (message.compare(0, prefix.size(), prefix) == 0)
    message.erase(0, prefix.size());
  return message;
}

/// A failed compile's message without the copy of a diagnostic line the C
/// API appends to it (docs/c-api.md, "Errors"): the diagnostics are printed
/// in full just above it.
std::string compileSummary(std::string message, std::string_view diagnostics) {
  while (!diagnostics.empty()) {
    size_t end = diagnostics.find('\n');
    std::string_view line = diagnostics.substr(0, end);
    std::string suffix = ": " + std::string(line);
    if (!line.empty() && message.size() > suffix.size() &&
        message.compare(message.size() - suffix.size(), suffix.size(),
                        suffix) == 0)
      return message.substr(0, message.size() - suffix.size());
    if (end == std::string_view::npos)
      break;
    diagnostics.remove_prefix(end + 1);
  }
  return message;
}

int printVersion() {
  std::printf("vm-gpu-run: vmgpu %d.%d.%d (C API %d), built with LLVM %s\n"
              "libvmgpu: %s (C API %d)\n",
              VMGPU_VERSION_MAJOR, VMGPU_VERSION_MINOR, VMGPU_VERSION_PATCH,
              VMGPU_API_VERSION, LLVM_VERSION_STRING, vmgpu_get_version(),
              static_cast<int>(vmgpu_get_api_version()));
  return 0;
}

int listDevices() {
  char *json = nullptr;
  ErrorHandle error;
  vmgpu_error_t *raw = nullptr;
  vmgpu_status_t status = vmgpu_get_devices_json(&json, &raw);
  error.reset(raw);
  StringHandle owned(json);
  if (status != VMGPU_STATUS_OK)
    return fail(messageOf(error, "vmgpu_get_devices_json"));
  std::printf("%s\n", json);
  return 0;
}

/// Hands `tensors` to the C API, freeing each as it is copied so that the
/// inputs are held twice one at a time, not all at once.
StatusOr<std::vector<TensorHandle>>
toCTensors(std::vector<HostTensor> tensors) {
  std::vector<TensorHandle> handles;
  for (HostTensor &tensor : tensors) {
    vmgpu_tensor_t *handle = nullptr;
    vmgpu_error_t *raw = nullptr;
    vmgpu_status_t status = vmgpu_tensor_create(
        static_cast<vmgpu_element_type_t>(tensor.elementType()),
        tensor.shape().data(), tensor.shape().size(), tensor.bytes(),
        tensor.sizeInBytes(), &handle, &raw);
    ErrorHandle error(raw);
    if (status != VMGPU_STATUS_OK)
      return runtime::Status(static_cast<runtime::StatusCode>(status),
                             vmgpu_error_get_message(error.get()));
    handles.emplace_back(handle);
    tensor = HostTensor();
  }
  return handles;
}

/// The results as HostTensors over the C API's buffers (no copy): each
/// takes its handle over and destroys it when it goes.
StatusOr<std::vector<HostTensor>>
toHostTensors(std::vector<TensorHandle> handles) {
  std::vector<HostTensor> tensors;
  for (TensorHandle &handle : handles) {
    std::vector<int64_t> shape(vmgpu_tensor_get_rank(handle.get()));
    for (size_t i = 0; i < shape.size(); ++i)
      shape[i] = vmgpu_tensor_get_dim(handle.get(), i);
    auto type =
        static_cast<ElementType>(vmgpu_tensor_get_element_type(handle.get()));
    auto *buffer =
        static_cast<std::byte *>(vmgpu_tensor_get_mutable_data(handle.get()));
    StatusOr<HostTensor> tensor = HostTensor::adopt(
        type, std::move(shape), buffer,
        [](std::byte *, const void *owner) {
          vmgpu_tensor_destroy(
              static_cast<vmgpu_tensor_t *>(const_cast<void *>(owner)));
        },
        handle.release());
    if (!tensor.isOk())
      return tensor.status();
    tensors.push_back(std::move(tensor).value());
  }
  return tensors;
}

} // namespace

int main(int argc, char **argv) {
  StatusOr<tools::RunCommandLine> parsed =
      tools::parseRunCommandLine(argc, argv);
  if (!parsed.isOk())
    return fail(parsed.status().message());
  const tools::RunCommandLine &line = *parsed;
  if (line.help) {
    std::fputs(tools::runUsage(), stdout);
    return 0;
  }
  if (line.version)
    return printVersion();
  if (line.listDevices)
    return listDevices();
  if (line.program.empty())
    return fail("no program given (usage: vm-gpu-run PROG.mlir --output-dir "
                "OUT ...)");
  if (line.outputDir.empty())
    return fail("--output-dir is required");

  // The engine first: it checks the device and strategy spellings.
  vmgpu_engine_options_t options;
  vmgpu_engine_options_init(&options);
  options.device = line.device ? line.device->c_str() : nullptr;
  options.allow_fallback = !line.noFallback;
  options.contraction_strategy =
      line.contractionStrategy ? line.contractionStrategy->c_str() : nullptr;
  vmgpu_engine_t *rawEngine = nullptr;
  vmgpu_error_t *rawError = nullptr;
  vmgpu_status_t status = vmgpu_engine_create(&options, &rawEngine, &rawError);
  EngineHandle engine(rawEngine);
  ErrorHandle error(rawError);
  if (status != VMGPU_STATUS_OK)
    return fail(messageOf(error, "vmgpu_engine_create"));
  if (line.repeat == 0)
    return fail("--repeat must be at least 1");

  StatusOr<std::vector<HostTensor>> read = runtime::readNpyInputs(line.inputs);
  if (!read.isOk())
    return fail(read.status().message());
  StatusOr<std::vector<TensorHandle>> inputs =
      toCTensors(std::move(read).value());
  if (!inputs.isOk())
    return fail(inputs.status().message());

  // A FIFO, device or directory is an error, not a hang.
  StatusOr<std::string> text = runtime::readProgramText(line.program);
  if (!text.isOk())
    return fail("cannot read the program: " + text.status().message());
  vmgpu_compile_options_t compileOptions;
  vmgpu_compile_options_init(&compileOptions);
  compileOptions.entry = line.entry.c_str();
  compileOptions.source_name =
      line.program == "-" ? "<stdin>" : line.program.c_str();
  vmgpu_block_t *rawBlock = nullptr;
  status = vmgpu_engine_compile_with_options(engine.get(), text->data(),
                                             text->size(), &compileOptions,
                                             &rawBlock, &rawError);
  BlockHandle block(rawBlock);
  error.reset(rawError);
  *text = std::string();
  if (status != VMGPU_STATUS_OK) {
    const char *diagnostics = vmgpu_error_get_diagnostics(error.get());
    std::fputs(diagnostics, stderr);
    return fail(compileSummary(
        messageOf(error, "vmgpu_engine_compile_with_options"), diagnostics));
  }
  std::fputs(vmgpu_block_get_diagnostics(block.get()), stderr);
  if (const char *reason = vmgpu_block_get_fallback_reason(block.get()); *reason)
    std::fprintf(stderr, "vm-gpu-run: note: running on the CPU: %s\n", reason);

  std::vector<const vmgpu_tensor_t *> arguments;
  for (const TensorHandle &input : *inputs)
    arguments.push_back(input.get());
  size_t numResults = vmgpu_block_get_num_results(block.get());
  std::vector<vmgpu_tensor_t *> slots(numResults, nullptr);
  std::vector<TensorHandle> results;
  for (unsigned i = 0; i < line.repeat; ++i) {
    results.clear();
    status = vmgpu_engine_run(engine.get(), block.get(), arguments.data(),
                              arguments.size(), slots.data(), slots.size(),
                              &rawError);
    error.reset(rawError);
    for (vmgpu_tensor_t *slot : slots)
      results.emplace_back(slot);
    if (status != VMGPU_STATUS_OK)
      return fail(messageOf(error, "vmgpu_engine_run"));
  }

  StatusOr<std::vector<HostTensor>> written = toHostTensors(std::move(results));
  if (!written.isOk())
    return fail(written.status().message());
  if (Status saved = runtime::writeNpyOutputs(line.outputDir, *written);
      !saved.isOk())
    return fail(saved.message());
  // Like the outputs: written beside its name and renamed over it, so that
  // a FIFO or link already there is replaced, never blocked on or written
  // through.
  if (!line.metricsJson.empty()) {
    char *json = nullptr;
    status = vmgpu_engine_get_metrics_json(engine.get(), &json, &rawError);
    StringHandle owned(json);
    error.reset(rawError);
    if (status != VMGPU_STATUS_OK)
      return fail(messageOf(error, "vmgpu_engine_get_metrics_json"));
    if (Status saved = runtime::writeFileAtomically(line.metricsJson,
                                                    std::string(json) + "\n");
        !saved.isOk())
      return fail("cannot write " + line.metricsJson + ": " + saved.message());
  }
  return 0;
}
