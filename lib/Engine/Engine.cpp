//===- Engine.cpp - compile through the cache, run with fallback ----------===//

#include "vmgpu/Engine/Engine.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/SourceMgr.h"
#include "vmgpu/runtime/CudaDriver.h"

#include <cstdlib>

using namespace mlir;
using namespace vmgpu::runtime;

namespace vmgpu {

StatusOr<DeviceSelection> DeviceSelection::parse(llvm::StringRef text) {
  DeviceSelection selection;
  auto [name, ordinal] = text.split(':');
  if (name == "cpu")
    selection.kind = Kind::Cpu;
  else if (name == "cuda")
    selection.kind = Kind::Cuda;
  else if (name == "rocm")
    selection.kind = Kind::Rocm;
  else if (name == "auto")
    selection.kind = Kind::Auto;
  else
    return invalidArgumentError("unknown device '" + text.str() +
                                "' (expected cpu, cuda[:N], rocm[:N] or auto)");
  if (text.contains(':')) {
    bool gpu = selection.kind == Kind::Cuda || selection.kind == Kind::Rocm;
    if (!gpu || ordinal.getAsInteger(10, selection.ordinal) ||
        selection.ordinal < 0)
      return invalidArgumentError("bad device ordinal in '" + text.str() + "'");
  }
  return selection;
}

std::string DeviceSelection::toString() const {
  switch (kind) {
  case Kind::Cpu:
    return "cpu";
  case Kind::Cuda:
    return "cuda:" + std::to_string(ordinal);
  case Kind::Rocm:
    return "rocm:" + std::to_string(ordinal);
  case Kind::Auto:
    return "auto";
  }
  return "auto";
}

Engine::Engine(EngineOptions options) : options_(std::move(options)) {
  if (options_.device) {
    device_ = *options_.device;
  } else if (const char *device = std::getenv("VMGPU_DEVICE")) {
    StatusOr<DeviceSelection> parsed = DeviceSelection::parse(device);
    if (parsed.isOk())
      device_ = *parsed;
    else
      deviceError_ = "VMGPU_DEVICE: " + parsed.status().message();
  }
  DialectRegistry registry;
  registerCompilerDialects(registry);
  context_ = std::make_unique<MLIRContext>(registry);
  context_->loadAllAvailableDialects();
}

Engine::~Engine() = default;

/// Below this many input bytes, `auto` keeps a block on the CPU: the
/// copies to the device and the launches would cost more than they save.
/// Provisional: to be replaced by thresholds measured on the H100.
static constexpr uint64_t kAutoGpuMinInputBytes = uint64_t(1) << 20;

std::string Engine::prepareGpu(ModuleOp module, llvm::StringRef entry,
                               CompiledBlock &block) {
  using Kind = DeviceSelection::Kind;
  const DeviceSelection &device = device_;
  if (device.kind == Kind::Rocm)
    return "rocm: this build has no ROCm code generation yet";
  StatusOr<CudaDriver *> cuda = CudaDriver::get();
  if (!cuda.isOk())
    return "cuda: " + cuda.status().message();
  StatusOr<int> count = (*cuda)->deviceCount();
  if (!count.isOk())
    return "cuda: " + count.status().message();
  if (device.ordinal >= *count)
    return "cuda: no device " + std::to_string(device.ordinal) + " (found " +
           std::to_string(*count) + ")";
  if (Status status = (*cuda)->makeCurrent(device.ordinal); !status.isOk())
    return "cuda: " + status.message();
  StatusOr<CudaDeviceInfo> info = (*cuda)->deviceInfo(device.ordinal);
  if (!info.isOk())
    return "cuda: " + info.status().message();

  Stopwatch watch;
  FailureOr<Artifact> artifact =
      compileForCuda(module, entry, info->architecture, options_.compile);
  if (failed(artifact))
    return "cuda: compiling for " + info->architecture + " failed";
  metrics_.recordCompile(watch.elapsedMs());
  StatusOr<std::unique_ptr<NativeExecutable>> executable =
      NativeExecutable::load(*artifact);
  if (!executable.isOk())
    return "cuda: " + executable.status().message();
  block.gpuArtifact = std::move(*artifact);
  block.gpu = std::move(*executable);
  block.gpuOrdinal = device.ordinal;
  block.gpuMinInputBytes = device.kind == Kind::Auto ? kAutoGpuMinInputBytes : 0;
  return "";
}

StatusOr<std::shared_ptr<const CompiledBlock>>
Engine::compile(std::unique_ptr<llvm::MemoryBuffer> source,
                llvm::StringRef entry, llvm::raw_ostream &diagnostics) {
  std::lock_guard<std::mutex> lock(compileMutex_);
  if (!deviceError_.empty())
    return invalidArgumentError(deviceError_);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(source), llvm::SMLoc());
  SourceMgrDiagnosticHandler handler(sourceMgr, context_.get(), diagnostics);
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(sourceMgr, context_.get());
  if (!module)
    return invalidArgumentError("the program does not parse");
  if (failed(verify(*module)))
    return invalidArgumentError("the program does not verify");

  auto block = std::make_shared<CompiledBlock>();
  Stopwatch watch;
  FailureOr<Artifact> artifact =
      compileForCpu(*module, entry, options_.compile);
  if (failed(artifact))
    return invalidArgumentError("compiling '" + entry.str() + "' failed");
  metrics_.recordCompile(watch.elapsedMs());
  block->cpuArtifact = std::move(*artifact);
  VMGPU_ASSIGN_OR_RETURN(block->cpu, NativeExecutable::load(block->cpuArtifact));

  if (device_.kind != DeviceSelection::Kind::Cpu) {
    std::string reason = prepareGpu(*module, entry, *block);
    // `auto` without a usable GPU is the CPU by choice, not a fallback.
    if (device_.kind != DeviceSelection::Kind::Auto)
      block->fallbackReason = reason;
  }
  if (!block->fallbackReason.empty() && !options_.allowFallback)
    return unavailableError(block->fallbackReason);
  return std::shared_ptr<const CompiledBlock>(std::move(block));
}

StatusOr<std::vector<HostTensor>>
Engine::runOnGpu(const CompiledBlock &block,
                 const std::vector<const HostTensor *> &inputs) {
  StatusOr<CudaDriver *> cuda = CudaDriver::get();
  if (!cuda.isOk())
    return cuda.status();
  VMGPU_RETURN_IF_ERROR((*cuda)->makeCurrent(block.gpuOrdinal));
  uint64_t inputBytes = 0;
  for (const HostTensor *input : inputs)
    inputBytes += input->sizeInBytes();
  Stopwatch watch;
  StatusOr<std::vector<HostTensor>> results = block.gpu->run(inputs);
  if (!results.isOk())
    return results;
  uint64_t outputBytes = 0;
  for (const HostTensor &result : *results)
    outputBytes += result.sizeInBytes();
  // Managed memory: the copies are part of the run; count their bytes.
  metrics_.recordHostToDevice(inputBytes, 0.0);
  metrics_.recordDeviceToHost(outputBytes, 0.0);
  metrics_.recordGpuExecution(watch.elapsedMs());
  return results;
}

StatusOr<std::vector<HostTensor>>
Engine::run(const CompiledBlock &block,
            const std::vector<const HostTensor *> &inputs) {
  std::string reason = block.fallbackReason;
  if (block.gpu) {
    uint64_t inputBytes = 0;
    for (const HostTensor *input : inputs)
      inputBytes += input->sizeInBytes();
    if (inputBytes >= block.gpuMinInputBytes) {
      StatusOr<std::vector<HostTensor>> results = runOnGpu(block, inputs);
      // Inputs the program rejects are the caller's error on any device.
      if (results.isOk() ||
          results.status().code() == StatusCode::InvalidArgument)
        return results;
      reason = "cuda: " + results.status().message();
      if (!options_.allowFallback)
        return results.status();
    }
  }
  if (!reason.empty())
    metrics_.recordFallback(reason);
  Stopwatch watch;
  StatusOr<std::vector<HostTensor>> results = block.cpu->run(inputs);
  if (results.isOk())
    metrics_.recordCpuExecution(watch.elapsedMs());
  return results;
}

} // namespace vmgpu
