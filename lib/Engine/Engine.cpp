//===- Engine.cpp - compile through the cache, run with fallback ----------===//

#include "vmgpu/Engine/Engine.h"
#include "vmgpu/runtime/Environment.h"

#include "CacheKeys.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "vmgpu/Compiler/InputBounds.h"
#include "vmgpu/Target/CpuTarget.h"
#include "vmgpu/Transforms/Passes.h"
#include "vmgpu/runtime/CpuBlas.h"
#include "vmgpu/runtime/CpuLibraryGemm.h"
#include "vmgpu/runtime/CublasLt.h"
#include "vmgpu/runtime/CudaDriver.h"
#include "vmgpu/runtime/DeviceTensors.h"
#include "vmgpu/runtime/GpuDevice.h"
#include "vmgpu/runtime/HipDriver.h"
#include "vmgpu/runtime/LibraryGemm.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ThreadPool.h"

#include <cstdlib>
#include <optional>

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
  } else if (std::optional<std::string> device =
                 runtime::environmentValue(runtime::EnvironmentVariable::Device)) {
    StatusOr<DeviceSelection> parsed = DeviceSelection::parse(*device);
    if (parsed.isOk())
      device_ = *parsed;
    else
      deviceError_ = "VMGPU_DEVICE: " + parsed.status().message();
  }
  if (!options_.blockMemoryMaxBytes)
    if (std::optional<std::string> bound = runtime::environmentValue(
            runtime::EnvironmentVariable::BlockMemoryMaxBytes)) {
      uint64_t bytes;
      if (!llvm::StringRef(*bound).getAsInteger(10, bytes))
        options_.blockMemoryMaxBytes = bytes;
    }
  if (!options_.contractionStrategy) {
    options_.contractionStrategy = ContractionStrategy::Auto;
    if (std::optional<std::string> strategy = runtime::environmentValue(
            runtime::EnvironmentVariable::ContractionStrategy)) {
      std::optional<ContractionStrategy> parsed =
          symbolizeContractionStrategy(*strategy);
      if (parsed)
        options_.contractionStrategy = *parsed;
      else if (deviceError_.empty())
        deviceError_ = "VMGPU_CONTRACTION_STRATEGY: unknown strategy '" +
                       *strategy +
                       "' (expected generated, library or auto)";
    }
  }
  if (std::optional<std::string> tensorCores = runtime::environmentValue(
          runtime::EnvironmentVariable::TensorCores)) {
    if (*tensorCores == "1" || *tensorCores == "0")
      options_.compile.tensorCores = *tensorCores == "1";
    else if (deviceError_.empty())
      deviceError_ = "VMGPU_TENSOR_CORES: expected 0 or 1, not '" +
                     *tensorCores + "'";
  }
  if (!options_.compileDeadlineMs) {
    uint64_t ms = kDefaultCompileDeadlineMs;
    if (std::optional<std::string> deadline = runtime::environmentValue(
            runtime::EnvironmentVariable::CompileDeadlineMs))
      (void)llvm::StringRef(*deadline).getAsInteger(10, ms);
    options_.compileDeadlineMs = ms;
  }
  const CacheOptions &cache = options_.cache;
  // A sink must see every kernel, so nothing may come from a cache.
  bool cacheable = !options_.compile.kernelObjectSink;
  if (cacheable && cache.memory)
    memoryCache_ =
        std::make_unique<MemoryCache<CompiledBlock>>(cache.memoryMaxBytes);
  bool diskOff = runtime::environmentValue(
                     runtime::EnvironmentVariable::DiskCache) == "0";
  std::string directory =
      cache.directory ? *cache.directory : runtime::defaultDiskCacheDirectory();
  if (cacheable && cache.disk && !diskOff && !directory.empty()) {
    uint64_t maxBytes = uint64_t(1) << 30;
    if (cache.diskMaxBytes)
      maxBytes = *cache.diskMaxBytes;
    else if (std::optional<std::string> bound = runtime::environmentValue(
                 runtime::EnvironmentVariable::CacheMaxBytes))
      (void)llvm::StringRef(*bound).getAsInteger(10, maxBytes);
    runtime::DiskCacheOptions diskOptions{directory, maxBytes};
    uint64_t lockWaitMs = diskOptions.lockWait.count();
    if (cache.diskLockWaitMs)
      lockWaitMs = *cache.diskLockWaitMs;
    else if (std::optional<std::string> wait = runtime::environmentValue(
                 runtime::EnvironmentVariable::CacheLockWaitMs))
      (void)llvm::StringRef(*wait).getAsInteger(10, lockWaitMs);
    diskOptions.lockWait = std::chrono::milliseconds(
        std::min<uint64_t>(lockWaitMs, uint64_t(INT32_MAX)));
    diskCache_ = std::make_unique<runtime::DiskCache>(std::move(diskOptions),
                                                      &metrics_);
  }
  if (!options_.libraryTuneCandidates) {
    options_.libraryTuneCandidates = 0;
    if (std::optional<std::string> tune = runtime::environmentValue(
            runtime::EnvironmentVariable::LibraryTune)) {
      int candidates;
      if (!llvm::StringRef(*tune).getAsInteger(10, candidates) &&
          candidates >= 0 && candidates <= runtime::kMaxLibraryTuneCandidates)
        options_.libraryTuneCandidates = candidates;
      else if (deviceError_.empty())
        deviceError_ = "VMGPU_LIBRARY_TUNE: expected 0 to " +
                       std::to_string(runtime::kMaxLibraryTuneCandidates) +
                       " candidates, not '" + *tune + "'";
    }
  }
  if (!options_.gpuGraphs) {
    options_.gpuGraphs = false;
    if (std::optional<std::string> graphs = runtime::environmentValue(
            runtime::EnvironmentVariable::GpuGraphs)) {
      if (*graphs == "0" || *graphs == "1")
        options_.gpuGraphs = *graphs == "1";
      else if (deviceError_.empty())
        deviceError_ =
            "VMGPU_GPU_GRAPHS: expected 0 or 1, not '" + *graphs + "'";
    }
  }
  // The library strategy's algorithm choices live beside the disk cache's
  // entries, and only where it is on (a cold and a warm cache then give
  // the same bits; DESIGN.md, "Determinism").
  runtime::setLibraryGemmOptions(
      {diskCache_ ? directory + "/library" : std::string(),
       std::clamp(*options_.libraryTuneCandidates, 0,
                  runtime::kMaxLibraryTuneCandidates)});
  registry_ = std::make_unique<DialectRegistry>();
  registerCompilerDialects(*registry_);
  threadPool_ = std::make_unique<llvm::DefaultThreadPool>();
}

Engine::~Engine() = default;

/// One compile under way; threads that ask for the same key wait for it.
struct Engine::InFlightCompile {
  std::mutex mutex;
  std::condition_variable finished;
  bool done = false;
  /// The block it made; null when it failed.
  std::shared_ptr<const CompiledBlock> block;
};

std::unique_ptr<MLIRContext> Engine::acquireContext() {
  {
    std::lock_guard<std::mutex> lock(contextsMutex_);
    if (!idleContexts_.empty()) {
      std::unique_ptr<MLIRContext> context = std::move(idleContexts_.back());
      idleContexts_.pop_back();
      return context;
    }
  }
  // Every context shares the engine's threads (multithreaded passes) rather
  // than starting its own.
  auto context = std::make_unique<MLIRContext>(
      *registry_, MLIRContext::Threading::DISABLED);
  context->setThreadPool(*threadPool_);
  context->loadAllAvailableDialects();
  return context;
}

void Engine::releaseContext(std::unique_ptr<MLIRContext> context) {
  std::lock_guard<std::mutex> lock(contextsMutex_);
  idleContexts_.push_back(std::move(context));
}

/// Below this many input bytes, `auto` keeps a block on the CPU: the
/// copies to the device and the launches would cost more than they save.
/// Memory-bound blocks with host inputs never reach the GPU: their inputs
/// cross PCIe every run, and the CPU ran them faster at every size that
/// was not thread wake-ups. Contractions move from 512 KiB of inputs:
/// smaller matmuls ran faster on the GPU run after run, but its first run
/// of a block costs 89-155 ms against 4-9 ms on the CPU. Measurements and
/// commands: docs/runtime.md, "Device discovery and selection".
static constexpr uint64_t kAutoGpuMinContractionInputBytes = uint64_t(512)
                                                             << 10;
static constexpr uint64_t kAutoGpuNever = UINT64_MAX;

/// True when `entry` of `module` holds a contraction (matmul, batch_matmul,
/// conv2d): work
/// that grows faster than the bytes it reads.
static bool hasContraction(ModuleOp module, llvm::StringRef entry) {
  Operation *function = module.lookupSymbol(entry);
  if (!function)
    return false;
  WalkResult found = function->walk([](Operation *op) {
    llvm::StringRef name = op->getName().getStringRef();
    return name == "vm.matmul" || name == "vm.batch_matmul" ||
                   name == "vm.conv2d"
               ? WalkResult::interrupt()
               : WalkResult::advance();
  });
  return found.wasInterrupted();
}

/// The parts of a disk key common to every target: what is compiled, how,
/// and by which compiler.
static SmallVector<std::string> commonKeyParts(llvm::StringRef canonicalIR,
                                               llvm::StringRef entry,
                                               const CompileOptions &options) {
  return {compilerBuildId(),
          canonicalIR.str(),
          entry.str(),
          "opt=" + std::to_string(options.optLevel),
          std::string("parallel=") + (options.parallel ? "1" : "0"),
          std::string("cuda-ptx=") + (options.cudaPtx ? "1" : "0"),
          "contractions=" +
              stringifyContractionStrategy(options.contractionStrategy).str(),
          std::string("tensor-cores=") + (options.tensorCores ? "1" : "0")};
}


static std::string diskKey(llvm::StringRef canonicalIR, llvm::StringRef entry,
                           const CompileOptions &options,
                           llvm::ArrayRef<std::string> target) {
  SmallVector<std::string> parts = commonKeyParts(canonicalIR, entry, options);
  parts.append(target.begin(), target.end());
  SmallVector<llvm::StringRef> refs(parts.begin(), parts.end());
  return hashKeyParts(refs);
}

FailureOr<Artifact> Engine::compileThroughDiskCache(
    const std::string &key, llvm::function_ref<FailureOr<Artifact>()> compile,
    bool &cached) {
  cached = false;
  auto compileAndCount = [&]() -> FailureOr<Artifact> {
    Stopwatch watch;
    FailureOr<Artifact> artifact = compile();
    if (succeeded(artifact))
      metrics_.recordCompile(watch.elapsedMs());
    return artifact;
  };
  if (!diskCache_)
    return compileAndCount();
  if (std::optional<Artifact> hit = diskCache_->lookup(key)) {
    metrics_.recordCacheHit(CacheLevel::Disk);
    cached = true;
    return std::move(*hit);
  }
  // Whoever holds the key's lock is compiling it; wait, then look again.
  // Without a lock (an unwritable directory, or a holder still busy after
  // the lock wait: stopped or slow) compile anyway; publishing is atomic.
  StatusOr<DiskCache::KeyLock> held = diskCache_->lock(key);
  if (held.isOk())
    if (std::optional<Artifact> hit = diskCache_->lookup(key)) {
      metrics_.recordCacheHit(CacheLevel::Disk);
      cached = true;
      return std::move(*hit);
    }
  metrics_.recordCacheMiss(CacheLevel::Disk);
  FailureOr<Artifact> artifact = compileAndCount();
  // A cache that cannot be written costs only the next compile.
  if (succeeded(artifact))
    (void)diskCache_->publish(key, *artifact);
  return artifact;
}

StatusOr<Engine::LoadedBuild>
Engine::buildThroughDiskCache(const std::string &key,
                              llvm::function_ref<FailureOr<Artifact>()> compile,
                              GpuDevice *device) {
  for (int attempt = 0;; ++attempt) {
    bool cached = false;
    FailureOr<Artifact> artifact = compileThroughDiskCache(key, compile, cached);
    if (failed(artifact))
      return invalidArgumentError("compiling failed");
    StatusOr<std::unique_ptr<NativeExecutable>> executable =
        device ? NativeExecutable::load(*artifact, *device)
               : NativeExecutable::load(*artifact);
    if (executable.isOk())
      return LoadedBuild{std::move(*artifact), std::move(executable).value()};
    if (!cached || attempt > 0 || !diskCache_)
      return executable.status();
    diskCache_->remove(key);
  }
}

/// The device `ordinal` of `target` and its architecture ("sm_90",
/// "gfx942"), or why it cannot be used.
template <typename Driver>
static StatusOr<std::pair<GpuDevice *, std::string>>
selectDevice(const std::string &target, int ordinal) {
  VMGPU_ASSIGN_OR_RETURN(GpuDevice * device, GpuDevice::get(target, ordinal));
  VMGPU_ASSIGN_OR_RETURN(Driver * driver, Driver::get());
  VMGPU_ASSIGN_OR_RETURN(auto info, driver->deviceInfo(ordinal));
  if (info.architecture.empty())
    return unavailableError("the device does not say its architecture");
  return std::make_pair(device, info.architecture);
}

/// The cost model's choice of contraction strategy for the CPU build: what
/// the options say when the block has a contraction and a BLAS loads here
/// (then `auto` takes the BLAS above a size, LibraryGemm.h), `generated`
/// otherwise. A block without contractions never loads the library.
static ContractionStrategy cpuContractionStrategy(ContractionStrategy asked,
                                                  ModuleOp module,
                                                  llvm::StringRef entry) {
  if (asked == ContractionStrategy::Generated ||
      !hasContraction(module, entry) || !CpuBlas::get().isOk())
    return ContractionStrategy::Generated;
  return asked;
}

/// The cost model's choice of contraction strategy for CUDA builds: what
/// the options say, with `auto` kept only when cuBLASLt loads here (the
/// library strategy is then available) and `generated` otherwise.
static ContractionStrategy cudaContractionStrategy(ContractionStrategy asked) {
  if (asked != ContractionStrategy::Auto)
    return asked;
  return CublasLt::get().isOk() ? ContractionStrategy::Auto
                                : ContractionStrategy::Generated;
}

std::string Engine::prepareGpu(ModuleOp module, llvm::StringRef entry,
                               const CompileOptions &cpuCompile,
                               llvm::StringRef canonicalIR,
                               CompiledBlock &block) {
  bool rocm = device_.kind == DeviceSelection::Kind::Rocm;
  std::string target = rocm ? "rocm" : "cuda";
  StatusOr<std::pair<GpuDevice *, std::string>> selected =
      rocm ? selectDevice<HipDriver>(target, device_.ordinal)
           : selectDevice<CudaDriver>(target, device_.ordinal);
  if (!selected.isOk())
    return target + ": " + selected.status().message();
  GpuDevice *device = selected->first;
  const std::string *chip = &selected->second;
  CompileOptions compile = cpuCompile;
  compile.contractionStrategy =
      rocm ? ContractionStrategy::Generated
           : cudaContractionStrategy(*options_.contractionStrategy);
  StatusOr<LoadedBuild> build = buildThroughDiskCache(
      diskKey(canonicalIR, entry, compile,
              {target, *chip,
               runtime::environmentKeyPart(
                   rocm ? runtime::EnvironmentVariable::RocmPath
                        : runtime::EnvironmentVariable::CudaPath)}),
      [&] {
        return rocm ? compileForRocm(module, entry, *chip, compile)
                    : compileForCuda(module, entry, *chip, compile);
      },
      device);
  if (!build.isOk() && compile.deadline &&
      CompileClock::now() >= *compile.deadline)
    return target + ": compiling for " + *chip +
           " took longer than the compile deadline";
  if (!build.isOk())
    return target + ": " +
           (build.status().code() == StatusCode::InvalidArgument
                ? "compiling for " + *chip + " failed"
                : build.status().message());
  block.gpuArtifact = std::move(build->artifact);
  block.gpu = std::move(build->executable);
  block.gpuKind =
      rocm ? DeviceSelection::Kind::Rocm : DeviceSelection::Kind::Cuda;
  block.gpuOrdinal = device_.ordinal;
  block.gpuMinInputBytes = 0;
  if (device_.kind == DeviceSelection::Kind::Auto)
    block.gpuMinInputBytes = hasContraction(module, entry)
                                 ? kAutoGpuMinContractionInputBytes
                                 : kAutoGpuNever;
  return "";
}

/// The memory level's key: the source exactly as given (its buffer name
/// included: shape-check messages quote it), the entry and everything in the
/// engine's options that changes what is built.
static std::string memoryKey(const llvm::MemoryBuffer &source,
                             llvm::StringRef entry, const EngineOptions &options,
                             const DeviceSelection &device) {
  return hashKeyParts(
      {source.getBufferIdentifier(), source.getBuffer(), entry,
       device.toString(), options.allowFallback ? "fallback" : "no-fallback",
       std::to_string(options.compile.optLevel),
       options.compile.parallel ? "parallel" : "serial",
       options.compile.cudaPtx ? "cuda-ptx" : "cuda-cubin",
       stringifyContractionStrategy(*options.contractionStrategy),
       options.compile.tensorCores ? "tensor-cores" : "simt"});
}

StatusOr<std::shared_ptr<const CompiledBlock>>
Engine::compile(std::unique_ptr<llvm::MemoryBuffer> source,
                llvm::StringRef entry, llvm::raw_ostream &diagnostics) {
  if (!deviceError_.empty())
    return invalidArgumentError(deviceError_);
  if (!memoryCache_)
    return compileAndCache(std::move(source), entry, diagnostics, "");
  std::string key = memoryKey(*source, entry, options_, device_);
  if (std::shared_ptr<const CompiledBlock> hit = memoryCache_->get(key)) {
    metrics_.recordCacheHit(CacheLevel::Memory);
    return hit;
  }
  // Single flight per key: the first thread compiles, later ones wait for
  // it; different keys compile at once. No engine-wide lock is held while
  // compiling.
  std::shared_ptr<InFlightCompile> flight;
  bool leader = false;
  {
    std::lock_guard<std::mutex> lock(inFlightMutex_);
    std::shared_ptr<InFlightCompile> &slot = inFlight_[key];
    if (!slot) {
      slot = std::make_shared<InFlightCompile>();
      leader = true;
    }
    flight = slot;
  }
  if (!leader) {
    std::unique_lock<std::mutex> lock(flight->mutex);
    flight->finished.wait(lock, [&] { return flight->done; });
    if (flight->block) {
      metrics_.recordCacheHit(CacheLevel::Memory);
      return flight->block;
    }
    // It failed: compile here, for this caller's own diagnostics.
    lock.unlock();
    metrics_.recordCacheMiss(CacheLevel::Memory);
    return compileAndCache(std::move(source), entry, diagnostics, key);
  }
  StatusOr<std::shared_ptr<const CompiledBlock>> result = nullptr;
  // Finished by a leader that ended between this thread's lookup and its
  // registration.
  if (std::shared_ptr<const CompiledBlock> hit = memoryCache_->get(key)) {
    metrics_.recordCacheHit(CacheLevel::Memory);
    result = hit;
  } else {
    metrics_.recordCacheMiss(CacheLevel::Memory);
    result = compileAndCache(std::move(source), entry, diagnostics, key);
  }
  {
    std::lock_guard<std::mutex> lock(flight->mutex);
    flight->done = true;
    if (result.isOk())
      flight->block = *result;
  }
  flight->finished.notify_all();
  std::lock_guard<std::mutex> lock(inFlightMutex_);
  inFlight_.erase(key);
  return result;
}

StatusOr<std::shared_ptr<const CompiledBlock>>
Engine::compileAndCache(std::unique_ptr<llvm::MemoryBuffer> source,
                        llvm::StringRef entry, llvm::raw_ostream &diagnostics,
                        const std::string &key) {
  StatusOr<std::shared_ptr<CompiledBlock>> built =
      internalError("the compile did not run");
  // MLIR and LLVM recurse as deep as the IR nests: parse and compile on a
  // stack of known size, whatever stack the caller's thread has.
  runOnCompilerStack([&] {
    built = compileUncached(std::move(source), entry, diagnostics);
  });
  if (!built.isOk())
    return built.status();
  std::shared_ptr<CompiledBlock> block = std::move(built).value();
  if (memoryCache_ && !key.empty())
    memoryCache_->put(key, block,
                      block->cpuArtifact.binary.size() +
                          block->gpuArtifact.binary.size());
  return std::shared_ptr<const CompiledBlock>(std::move(block));
}

StatusOr<std::shared_ptr<CompiledBlock>>
Engine::compileUncached(std::unique_ptr<llvm::MemoryBuffer> source,
                        llvm::StringRef entry, llvm::raw_ostream &diagnostics) {
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(source), llvm::SMLoc());
  if (isBytecode(
          sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID())->getBuffer()))
    return invalidArgumentError("the program is MLIR bytecode; vmgpu takes "
                                "MLIR text");
  if (!checkInputNesting(sourceMgr, diagnostics))
    return resourceExhaustedError("the program nests deeper than " +
                                  std::to_string(kMaxNestingDepth) +
                                  " levels");
  // A context of its own for the whole compile: diagnostics handlers are
  // per context, and nothing else is shared with other compiles.
  std::unique_ptr<MLIRContext> context = acquireContext();
  llvm::scope_exit giveBack([&] { releaseContext(std::move(context)); });
  SourceMgrDiagnosticHandler handler(sourceMgr, context.get(), diagnostics);
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(sourceMgr, context.get());
  if (!module)
    return invalidArgumentError("the program does not parse");
  if (failed(verify(*module)))
    return invalidArgumentError("the program does not verify");
  if (failed(checkBlockContract(*module)))
    return invalidArgumentError("the program is not a vm block");
  if (failed(checkCompileBounds(*module)))
    return resourceExhaustedError(
        "the program is over a bound on what one compile takes (" +
        std::to_string(kMaxModuleOps) + " ops, " +
        std::to_string(kMaxFunctionArguments) + " arguments and " +
        std::to_string(kMaxFunctionResults) + " results per function)");

  std::string canonicalIR = canonicalModuleText(*module);
  CompileOptions compile = options_.compile;
  if (*options_.compileDeadlineMs)
    compile.deadline = CompileClock::now() + std::chrono::milliseconds(
                                                 *options_.compileDeadlineMs);
  auto block = std::make_shared<CompiledBlock>();
  CompileOptions cpuCompile = compile;
  cpuCompile.contractionStrategy =
      cpuContractionStrategy(*options_.contractionStrategy, *module, entry);
  StatusOr<LoadedBuild> build = buildThroughDiskCache(
      diskKey(canonicalIR, entry, cpuCompile,
              {"cpu", getHostCpuDescription(), getBlockLinkDescription()}),
      [&] { return compileForCpu(*module, entry, cpuCompile); });
  if (!build.isOk()) {
    if (compile.deadline && CompileClock::now() >= *compile.deadline)
      return deadlineExceededError(
          "compiling '" + entry.str() + "' took longer than the deadline of " +
          std::to_string(*options_.compileDeadlineMs) + " ms");
    return build.status().code() == StatusCode::InvalidArgument
               ? invalidArgumentError("compiling '" + entry.str() + "' failed")
               : build.status();
  }
  block->cpuArtifact = std::move(build->artifact);
  block->cpu = std::move(build->executable);

  if (device_.kind != DeviceSelection::Kind::Cpu) {
    std::string reason =
        prepareGpu(*module, entry, compile, canonicalIR, *block);
    // `auto` without a usable GPU is the CPU by choice, not a fallback.
    if (device_.kind != DeviceSelection::Kind::Auto)
      block->fallbackReason = reason;
  }
  if (!block->fallbackReason.empty() && !options_.allowFallback)
    return unavailableError(block->fallbackReason);
  return block;
}

StatusOr<std::vector<HostTensor>>
Engine::runOnGpu(const CompiledBlock &block,
                 const std::vector<const HostTensor *> &inputs,
                 const NativeExecutable::RunOptions &options) {
  // What the run did on its device, from the device's counters (another
  // thread's run on the same device at the same time may add to them).
  GpuDevice &device = *block.gpu->device();
  DeviceMemoryStats before = device.memoryStats();
  // cuBLASLt calls, when the library was ever loaded (the library strategy
  // loads it on its first call).
  CublasLt *library = CublasLt::loadedInstance();
  uint64_t libraryCallsBefore =
      library ? libraryGemmCounters(device, *library).calls : 0;
  GpuGraphCounters graphsBefore = gpuGraphCounters();
  Stopwatch watch;
  StatusOr<std::vector<HostTensor>> results = block.gpu->run(inputs, options);
  if (!results.isOk())
    return results;
  GpuGraphCounters graphsAfter = gpuGraphCounters();
  metrics_.recordGraphs(graphsAfter.launches - graphsBefore.launches,
                        graphsAfter.replays - graphsBefore.replays,
                        graphsAfter.captures - graphsBefore.captures);
  DeviceMemoryStats after = device.memoryStats();
  metrics_.recordHostToDevice(after.hostToDeviceBytes -
                                  before.hostToDeviceBytes,
                              after.hostToDeviceMs - before.hostToDeviceMs);
  metrics_.recordDeviceToHost(after.deviceToHostBytes -
                                  before.deviceToHostBytes,
                              after.deviceToHostMs - before.deviceToHostMs);
  metrics_.recordDeviceMemory(
      after.stagedCopies - before.stagedCopies,
      after.driverAllocations - before.driverAllocations, after.bytesInUse,
      after.peakBytesInUse, after.pinnedBytes);
  metrics_.recordConstantUploads(after.constantUploads -
                                 before.constantUploads);
  if ((library = CublasLt::loadedInstance()))
    metrics_.recordLibraryCalls(libraryGemmCounters(device, *library).calls -
                                libraryCallsBefore);
  metrics_.recordGpuExecution(watch.elapsedMs());
  return results;
}

/// The arguments of one run: the caller's tensors, or host copies of the
/// device-resident ones where the block reads them on the host.
class RunArguments {
public:
  explicit RunArguments(const std::vector<const HostTensor *> &inputs)
      : arguments_(inputs), copies_(inputs.size()) {}
  const std::vector<const HostTensor *> &get() const { return arguments_; }
  /// Brings argument `index` to the host when it is device-resident;
  /// counts the bytes in `metrics`.
  Status toHost(size_t index, Metrics &metrics) {
    if (!tensorDevice(*arguments_[index]))
      return okStatus();
    Stopwatch watch;
    VMGPU_ASSIGN_OR_RETURN(HostTensor host,
                           copyTensorToHost(*arguments_[index]));
    metrics.recordDeviceToHost(host.sizeInBytes(), watch.elapsedMs());
    copies_[index] = std::move(host);
    arguments_[index] = &*copies_[index];
    return okStatus();
  }
  Status allToHost(Metrics &metrics) {
    for (size_t i = 0; i < arguments_.size(); ++i)
      VMGPU_RETURN_IF_ERROR(toHost(i, metrics));
    return okStatus();
  }

private:
  std::vector<const HostTensor *> arguments_;
  std::vector<std::optional<HostTensor>> copies_;
};

StatusOr<std::vector<HostTensor>>
Engine::run(const CompiledBlock &block,
            const std::vector<const HostTensor *> &inputs,
            const NativeExecutable::RunOptions &callerOptions) {
  NativeExecutable::RunOptions options = callerOptions;
  if (!options.memoryMaxBytes)
    options.memoryMaxBytes = options_.blockMemoryMaxBytes;
  options.graphs |= *options_.gpuGraphs;
  RunArguments arguments(inputs);
  // Scalar arguments are read by the host code: device-resident ones come
  // to the host first.
  const auto &signature = block.cpu->signature().arguments;
  if (signature.size() == inputs.size())
    for (size_t i = 0; i < inputs.size(); ++i)
      if (signature[i].isScalar)
        VMGPU_RETURN_IF_ERROR(arguments.toHost(i, metrics_));
  std::string reason = block.fallbackReason;
  if (block.gpu) {
    uint64_t inputBytes = 0;
    bool resident = !inputs.empty();
    for (const HostTensor *input : inputs) {
      inputBytes += input->sizeInBytes();
      resident &= input->owner() == block.gpu->residence();
    }
    // Inputs already on the device cost no transfer: run where they are.
    if (resident || inputBytes >= block.gpuMinInputBytes) {
      StatusOr<std::vector<HostTensor>> results =
          runOnGpu(block, arguments.get(), options);
      // Inputs the program rejects are the caller's error on any device.
      if (results.isOk() ||
          results.status().code() == StatusCode::InvalidArgument)
        return results;
      reason = (block.gpuKind == DeviceSelection::Kind::Rocm ? "rocm: "
                                                              : "cuda: ") +
               results.status().message();
      if (!options_.allowFallback)
        return results.status();
    }
  }
  if (!reason.empty())
    metrics_.recordFallback(reason);
  // The CPU reads host memory: device-resident inputs (the caller's, kept
  // from earlier GPU runs) move to the host first. After a GPU failure the
  // copy may itself fail (a faulted context): that error is the run's.
  VMGPU_RETURN_IF_ERROR(arguments.allToHost(metrics_));
  uint64_t libraryCallsBefore = cpuLibraryGemmCalls();
  Stopwatch watch;
  StatusOr<std::vector<HostTensor>> results =
      block.cpu->run(arguments.get(), options);
  if (results.isOk()) {
    metrics_.recordCpuExecution(watch.elapsedMs());
    metrics_.recordLibraryCalls(cpuLibraryGemmCalls() - libraryCallsBefore);
  }
  return results;
}

StatusOr<GpuDevice *> Engine::gpuDevice() const {
  switch (device_.kind) {
  case DeviceSelection::Kind::Cpu:
    return unavailableError("the engine runs blocks on the CPU");
  case DeviceSelection::Kind::Rocm:
    return GpuDevice::get("rocm", device_.ordinal);
  case DeviceSelection::Kind::Cuda:
  case DeviceSelection::Kind::Auto:
    break;
  }
  return GpuDevice::get("cuda", device_.ordinal);
}

StatusOr<HostTensor> Engine::toDevice(const HostTensor &tensor) {
  VMGPU_ASSIGN_OR_RETURN(GpuDevice * device, gpuDevice());
  Stopwatch watch;
  VMGPU_ASSIGN_OR_RETURN(HostTensor copy, copyTensorToDevice(*device, tensor));
  if (!tensorDevice(tensor))
    metrics_.recordHostToDevice(tensor.sizeInBytes(), watch.elapsedMs());
  return copy;
}

StatusOr<HostTensor> Engine::toHost(const HostTensor &tensor) {
  bool onDevice = tensorDevice(tensor) != nullptr;
  Stopwatch watch;
  VMGPU_ASSIGN_OR_RETURN(HostTensor copy, copyTensorToHost(tensor));
  if (onDevice)
    metrics_.recordDeviceToHost(tensor.sizeInBytes(), watch.elapsedMs());
  return copy;
}

StatusOr<HostTensor> Engine::createPinnedTensor(ElementType type,
                                                std::vector<int64_t> shape) {
  StatusOr<GpuDevice *> device = gpuDevice();
  if (!device.isOk())
    return HostTensor::create(type, std::move(shape));
  StatusOr<HostTensor> pinned = allocatePinnedTensor(**device, type, shape);
  // A driver without pinned memory still gives a usable tensor.
  if (!pinned.isOk() && pinned.status().code() == StatusCode::Unimplemented)
    return HostTensor::create(type, std::move(shape));
  return pinned;
}

} // namespace vmgpu
