//===- vm-gpu-run.cpp - run one function of an IR file on .npy inputs -----===//
//
//   vm-gpu-run PROG.mlir --entry main --device cpu|cuda[:N]|rocm[:N]|auto \
//       --input in0.npy ... --output-dir OUT [--metrics-json FILE] [--repeat N]
//       [--run-times FILE]
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

#include "CApiClient.h"
#include "CommandLine.h"
#include "vmgpu/runtime/ArtifactFile.h"
#include "vmgpu/runtime/FileRead.h"
#include "vmgpu/runtime/RunnerIO.h"

#include "llvm/Config/llvm-config.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

using namespace vmgpu;
using namespace vmgpu::tools;
using runtime::HostTensor;
using runtime::Status;
using runtime::StatusOr;

namespace {

int fail(std::string_view message) {
  std::fprintf(stderr, "vm-gpu-run: error: %.*s\n",
               static_cast<int>(message.size()), message.data());
  return 1;
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
  vmgpu_error_t *error = nullptr;
  vmgpu_status_t status = vmgpu_get_devices_json(&json, &error);
  ErrorHandle ownedError(error);
  StringHandle owned(json);
  if (status != VMGPU_STATUS_OK)
    return fail(
        statusOf(status, ownedError, "vmgpu_get_devices_json").message());
  std::printf("%s\n", json);
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  StatusOr<RunCommandLine> parsed = parseRunCommandLine(argc, argv);
  if (!parsed.isOk())
    return fail(parsed.status().message());
  const RunCommandLine &line = *parsed;
  if (line.help) {
    std::fputs(runUsage(), stdout);
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
    return fail(statusOf(status, error, "vmgpu_engine_create").message());
  if (line.repeat == 0)
    return fail("--repeat must be at least 1");

  StatusOr<std::vector<HostTensor>> read = runtime::readNpyInputs(line.inputs);
  if (!read.isOk())
    return fail(read.status().message());
  // Each .npy tensor is freed once it is copied into the C API's.
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
        statusOf(status, error, "vmgpu_engine_compile_with_options").message(),
        diagnostics));
  }
  std::fputs(vmgpu_block_get_diagnostics(block.get()), stderr);
  if (const char *reason = vmgpu_block_get_fallback_reason(block.get()); *reason)
    std::fprintf(stderr, "vm-gpu-run: note: running on the CPU: %s\n", reason);

  StatusOr<std::vector<TensorHandle>> results = std::vector<TensorHandle>();
  std::vector<double> runMs;
  for (unsigned i = 0; i < line.repeat; ++i) {
    auto start = std::chrono::steady_clock::now();
    results = runBlock(engine.get(), block.get(), *inputs);
    runMs.push_back(std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - start)
                        .count());
    if (!results.isOk())
      return fail(results.status().message());
  }

  // The results as HostTensors over the C API's buffers (no copy).
  StatusOr<std::vector<HostTensor>> written =
      toHostTensors(std::move(results).value());
  if (!written.isOk())
    return fail(written.status().message());
  if (Status saved = runtime::writeNpyOutputs(line.outputDir, *written);
      !saved.isOk())
    return fail(saved.message());
  // Like the outputs, these files are written beside their names and
  // renamed over them, so that a FIFO or link already there is replaced,
  // never blocked on or written through.
  if (!line.runTimesJson.empty())
    if (Status saved = runtime::writeFileAtomically(
            line.runTimesJson, nlohmann::json(runMs).dump() + "\n");
        !saved.isOk())
      return fail("cannot write " + line.runTimesJson + ": " + saved.message());
  if (!line.metricsJson.empty()) {
    char *json = nullptr;
    status = vmgpu_engine_get_metrics_json(engine.get(), &json, &rawError);
    StringHandle owned(json);
    error.reset(rawError);
    if (status != VMGPU_STATUS_OK)
      return fail(
          statusOf(status, error, "vmgpu_engine_get_metrics_json").message());
    if (Status saved = runtime::writeFileAtomically(line.metricsJson,
                                                    std::string(json) + "\n");
        !saved.isOk())
      return fail("cannot write " + line.metricsJson + ": " + saved.message());
  }
  return 0;
}
