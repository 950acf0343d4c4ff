//===- Engine.h - compile through the cache, run with fallback --*- C++ -*-===//
//
// The facade a JIT talks to: hand it vm IR, get a compiled block back, run
// it on host tensors. The engine picks the device, falls back to the CPU
// when the GPU is missing or fails, and counts everything in its metrics.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_ENGINE_ENGINE_H
#define VMGPU_ENGINE_ENGINE_H

#include "vmgpu/Compiler/Compiler.h"
#include "vmgpu/Engine/MemoryCache.h"
#include "vmgpu/runtime/KernelCache.h"
#include "vmgpu/runtime/Metrics.h"
#include "vmgpu/runtime/NativeExecutable.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace mlir {
class DialectRegistry;
class MLIRContext;
} // namespace mlir

namespace llvm {
class ThreadPoolInterface;
} // namespace llvm

namespace vmgpu {

/// Where a block should run: `cpu`, `cuda[:N]`, `rocm[:N]` or `auto`.
struct DeviceSelection {
  enum class Kind { Cpu, Cuda, Rocm, Auto };
  Kind kind = Kind::Auto;
  int ordinal = 0;

  /// Parses the spelling above; InvalidArgument otherwise.
  static runtime::StatusOr<DeviceSelection> parse(llvm::StringRef text);
  std::string toString() const;
};

/// The kernel cache's two levels (docs/runtime.md, "Kernel cache").
struct CacheOptions {
  /// Loaded blocks kept in memory, bounded by the size of their binaries.
  bool memory = true;
  uint64_t memoryMaxBytes = uint64_t(256) << 20;
  /// Artifacts kept on disk, shared by every process that uses `directory`.
  /// $VMGPU_DISK_CACHE=0 turns this level off.
  bool disk = true;
  /// Default: $VMGPU_CACHE_DIR, else $XDG_CACHE_HOME/vmgpu, else
  /// ~/.cache/vmgpu. No disk level when this ends up empty.
  std::optional<std::string> directory;
  /// Default: $VMGPU_CACHE_MAX_BYTES, else 1 GiB.
  std::optional<uint64_t> diskMaxBytes;
  /// How long a compile waits for another process compiling the same block
  /// before compiling it too. Default: $VMGPU_CACHE_LOCK_WAIT_MS, else 30 s.
  std::optional<uint64_t> diskLockWaitMs;
};

struct EngineOptions {
  /// The device. When unset: `VMGPU_DEVICE` if set, else `auto`. An
  /// explicit choice here (the API, `vm-gpu-run --device`) wins over the
  /// environment.
  std::optional<DeviceSelection> device;
  /// Run on the CPU when the selected GPU is missing, refuses or fails.
  bool allowFallback = true;
  /// How blocks are compiled. A `kernelObjectSink` turns the caches off for
  /// this engine: a cached block would not show its kernels to the sink.
  CompileOptions compile;
  CacheOptions cache;
  /// The most bytes one block run may need (NativeExecutable::RunOptions::
  /// memoryMaxBytes). Default: $VMGPU_BLOCK_MEMORY_MAX_BYTES, else what the
  /// process can still get when the run starts.
  std::optional<uint64_t> blockMemoryMaxBytes;
  /// How long one compile may take, in milliseconds, before it stops with
  /// DeadlineExceeded (a GPU build past it is a fallback reason; the CPU
  /// build is the block's own). Default: $VMGPU_COMPILE_DEADLINE_MS, else
  /// kDefaultCompileDeadlineMs (5 minutes); 0 means no deadline.
  std::optional<uint64_t> compileDeadlineMs;
  /// How CUDA builds lower contractions (matmul, batch_matmul): `generated`
  /// kernels, cuBLASLt calls (`library`), or the cost model (`auto`):
  /// cuBLASLt above a size when the library loads on this machine,
  /// generated kernels otherwise (docs/gpu-path.md). Default:
  /// $VMGPU_CONTRACTION_STRATEGY, else `auto`. Replaces
  /// `compile.contractionStrategy` for CUDA builds.
  std::optional<ContractionStrategy> contractionStrategy;
  /// How many of cuBLASLt's candidates the `library` strategy times on the
  /// first call of each problem, keeping the fastest (0 or 1: the
  /// heuristic's choice; at most runtime::kMaxLibraryTuneCandidates).
  /// Default: $VMGPU_LIBRARY_TUNE, else 0. The choices are kept in the disk
  /// cache directory (`library/`) when the disk cache is on, so a later
  /// process runs the same algorithms without timing them again. The
  /// setting is the process's (runtime::setLibraryGemmOptions): the engine
  /// made last decides.
  std::optional<int> libraryTuneCandidates;
  /// Replay GPU blocks run again with the same shapes as graphs
  /// (runtime::GpuGraphPlans.h; docs/runtime.md, "Graphs"): every run then
  /// has NativeExecutable::RunOptions::graphs set. Default:
  /// $VMGPU_GPU_GRAPHS (`1` on, `0` off), else off.
  std::optional<bool> gpuGraphs;
};

/// A compiled block, ready to run. Immutable after compile(); shared between
/// threads through std::shared_ptr.
struct CompiledBlock {
  /// The CPU build: the fallback, and the target of `cpu` selections.
  runtime::Artifact cpuArtifact;
  std::unique_ptr<runtime::NativeExecutable> cpu;
  /// The GPU build when a GPU was selected (or `auto` found one) and it
  /// compiled and loaded; null otherwise.
  runtime::Artifact gpuArtifact;
  std::unique_ptr<runtime::NativeExecutable> gpu;
  /// Cuda or Rocm when `gpu` is set.
  DeviceSelection::Kind gpuKind = DeviceSelection::Kind::Cpu;
  int gpuOrdinal = 0;
  /// With `auto`: run on the GPU only from this many input bytes up, or
  /// when every input already lives on the device (UINT64_MAX: only then).
  uint64_t gpuMinInputBytes = 0;
  /// Why the block does not run on the selected GPU (empty when it does or
  /// when the CPU was selected).
  std::string fallbackReason;
};

/// Ownership: owns its MLIR contexts, the compiled blocks' executables (via
/// the shared pointers it returns) and its metrics.
/// Thread-safety: compile() and run() may be called from several threads;
/// compiles of different blocks run at once (each with its own MLIR
/// context), compiles of one block happen once (single flight).
class Engine {
public:
  explicit Engine(EngineOptions options = {});
  ~Engine();

  /// Parses and verifies `source`, then compiles function `entry`. Errors
  /// are printed to `diagnostics` as `file:line:col: error: ...` and give an
  /// InvalidArgument status; a program over a bound of docs/security.md
  /// (nesting depth, op count) gives ResourceExhausted. Anything outside the
  /// vm IR contract is rejected before it is lowered.
  runtime::StatusOr<std::shared_ptr<const CompiledBlock>>
  compile(std::unique_ptr<llvm::MemoryBuffer> source, llvm::StringRef entry,
          llvm::raw_ostream &diagnostics);

  /// Runs `block` on `inputs` (only read) and returns its results. Inputs
  /// may be host tensors (pinned ones copy faster: createPinnedTensor) or
  /// device-resident ones (toDevice, kept results, DLPack imports), which a
  /// GPU block on their device uses in place. With
  /// `options.keepResultsOnDevice`, a block that runs on the GPU returns
  /// device-resident results (runtime/DeviceTensors.h): no copy, no wait;
  /// pass them to the next block or read them with toHost(). A block that
  /// runs on the CPU returns host tensors either way. If the GPU fails, the
  /// inputs move to the host and the block reruns on the CPU (a fallback
  /// in the metrics).
  runtime::StatusOr<std::vector<runtime::HostTensor>>
  run(const CompiledBlock &block,
      const std::vector<const runtime::HostTensor *> &inputs,
      const runtime::NativeExecutable::RunOptions &options = {});

  /// The GPU this engine runs blocks on (`cuda[:N]`, `rocm[:N]`; `auto`:
  /// cuda:0). Unavailable for `cpu` or without such a device.
  runtime::StatusOr<runtime::GpuDevice *> gpuDevice() const;
  /// A device-resident copy of `tensor` on gpuDevice(). Ownership: the
  /// returned tensor owns its device buffer, which goes back to the device's
  /// pool when it is destroyed. Counted as a transfer.
  runtime::StatusOr<runtime::HostTensor>
  toDevice(const runtime::HostTensor &tensor);
  /// A host copy of `tensor` (device-resident or not); waits for the work
  /// that computes it. Counted as a transfer.
  runtime::StatusOr<runtime::HostTensor>
  toHost(const runtime::HostTensor &tensor);
  /// A zero-filled host tensor in pinned memory of gpuDevice() (a plain one
  /// without a GPU): inputs copied to the device, and results read back into
  /// it, at link speed.
  runtime::StatusOr<runtime::HostTensor>
  createPinnedTensor(runtime::ElementType type, std::vector<int64_t> shape);

  const runtime::Metrics &metrics() const { return metrics_; }
  runtime::Metrics &metrics() { return metrics_; }
  /// The disk level, or null when it is off.
  runtime::DiskCache *diskCache() { return diskCache_.get(); }
  const EngineOptions &options() const { return options_; }
  /// The device this engine targets (options, environment or `auto`).
  const DeviceSelection &device() const { return device_; }

private:
  EngineOptions options_;
  DeviceSelection device_;
  /// Set when VMGPU_DEVICE is malformed: every compile reports it.
  std::string deviceError_;
  std::unique_ptr<mlir::DialectRegistry> registry_;
  /// The threads every compile's context uses for multithreaded passes.
  std::unique_ptr<llvm::ThreadPoolInterface> threadPool_;
  /// Contexts not in use: a compile takes one (or makes one) and gives it
  /// back, so concurrent compiles never share a context.
  std::mutex contextsMutex_;
  std::vector<std::unique_ptr<mlir::MLIRContext>> idleContexts_;
  /// Compiles under way, by memory-cache key (single flight).
  struct InFlightCompile;
  std::mutex inFlightMutex_;
  std::map<std::string, std::shared_ptr<InFlightCompile>> inFlight_;
  runtime::Metrics metrics_;
  std::unique_ptr<MemoryCache<CompiledBlock>> memoryCache_;
  std::unique_ptr<runtime::DiskCache> diskCache_;

  /// The artifact under `key` from the disk cache, else from `compile`
  /// (published to the disk cache). Processes and threads that ask for one
  /// key at once compile it once. `cached` says where it came from.
  mlir::FailureOr<runtime::Artifact>
  compileThroughDiskCache(const std::string &key,
                          llvm::function_ref<mlir::FailureOr<runtime::Artifact>()>
                              compile,
                          bool &cached);
  /// compileThroughDiskCache, then loads the artifact. A cached entry that
  /// verifies but does not load (built against a library since removed, a
  /// damaged binary with a valid checksum) is dropped and rebuilt once. A
  /// compile failure is InvalidArgument; a load failure is the loader's.
  struct LoadedBuild {
    runtime::Artifact artifact;
    std::unique_ptr<runtime::NativeExecutable> executable;
  };
  /// A GPU artifact loads on `device` (null: CPU artifacts).
  runtime::StatusOr<LoadedBuild> buildThroughDiskCache(
      const std::string &key,
      llvm::function_ref<mlir::FailureOr<runtime::Artifact>()> compile,
      runtime::GpuDevice *device = nullptr);
  /// compile() after a memory-cache miss: compileUncached on the compiler's
  /// own stack, then the block goes into the memory cache under `key`
  /// (none when empty).
  runtime::StatusOr<std::shared_ptr<const CompiledBlock>>
  compileAndCache(std::unique_ptr<llvm::MemoryBuffer> source,
                  llvm::StringRef entry, llvm::raw_ostream &diagnostics,
                  const std::string &key);
  /// Parses, checks and compiles `source` with an MLIR context of its own.
  runtime::StatusOr<std::shared_ptr<CompiledBlock>>
  compileUncached(std::unique_ptr<llvm::MemoryBuffer> source,
                  llvm::StringRef entry, llvm::raw_ostream &diagnostics);
  /// Compiles and loads the GPU build into `block`, or says why not.
  /// `canonicalIR` is the module as the disk cache keys see it.
  std::string prepareGpu(mlir::ModuleOp module, llvm::StringRef entry,
                         const CompileOptions &compile,
                         llvm::StringRef canonicalIR, CompiledBlock &block);
  std::unique_ptr<mlir::MLIRContext> acquireContext();
  void releaseContext(std::unique_ptr<mlir::MLIRContext> context);
  runtime::StatusOr<std::vector<runtime::HostTensor>>
  runOnGpu(const CompiledBlock &block,
           const std::vector<const runtime::HostTensor *> &inputs,
           const runtime::NativeExecutable::RunOptions &options);
};

} // namespace vmgpu

#endif // VMGPU_ENGINE_ENGINE_H
