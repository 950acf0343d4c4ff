//===- Engine.cpp - compile through the cache, run with fallback ----------===//

#include "vmgpu/Engine/Engine.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/SourceMgr.h"

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
  if (const char *device = std::getenv("VMGPU_DEVICE")) {
    if (StatusOr<DeviceSelection> parsed = DeviceSelection::parse(device);
        parsed.isOk())
      options_.device = *parsed;
  }
  DialectRegistry registry;
  registerCompilerDialects(registry);
  context_ = std::make_unique<MLIRContext>(registry);
  context_->loadAllAvailableDialects();
}

Engine::~Engine() = default;

/// Why the selected GPU cannot take a block in this build.
static std::string gpuUnavailableReason(const DeviceSelection &device) {
  switch (device.kind) {
  case DeviceSelection::Kind::Cuda:
    return "cuda: this build has no CUDA code generation yet";
  case DeviceSelection::Kind::Rocm:
    return "rocm: this build has no ROCm code generation yet";
  default:
    return "";
  }
}

StatusOr<std::shared_ptr<const CompiledBlock>>
Engine::compile(std::unique_ptr<llvm::MemoryBuffer> source,
                llvm::StringRef entry, llvm::raw_ostream &diagnostics) {
  std::lock_guard<std::mutex> lock(compileMutex_);
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
  block->fallbackReason = gpuUnavailableReason(options_.device);
  if (!block->fallbackReason.empty() && !options_.allowFallback)
    return unavailableError(block->fallbackReason);

  Stopwatch watch;
  FailureOr<Artifact> artifact =
      compileForCpu(*module, entry, options_.compile);
  if (failed(artifact))
    return invalidArgumentError("compiling '" + entry.str() + "' failed");
  metrics_.recordCompile(watch.elapsedMs());
  block->cpuArtifact = std::move(*artifact);
  VMGPU_ASSIGN_OR_RETURN(block->cpu, CpuExecutable::load(block->cpuArtifact));
  return std::shared_ptr<const CompiledBlock>(std::move(block));
}

StatusOr<std::vector<HostTensor>>
Engine::run(const CompiledBlock &block,
            const std::vector<const HostTensor *> &inputs) {
  if (!block.fallbackReason.empty())
    metrics_.recordFallback(block.fallbackReason);
  Stopwatch watch;
  StatusOr<std::vector<HostTensor>> results = block.cpu->run(inputs);
  if (results.isOk())
    metrics_.recordCpuExecution(watch.elapsedMs());
  return results;
}

} // namespace vmgpu
