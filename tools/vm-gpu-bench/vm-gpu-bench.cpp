//===- vm-gpu-bench.cpp - time an artifact's runs with only the runtime ---===//
//
//   vm-gpu-bench BLOCK.vmgpu --input in0.npy ... [--gpu N] [--warmup N]
//       [--runs N] [--max-seconds S] [--kernel-runs N] [--output-dir OUT]
//       [--inputs-on pageable|pinned|device] [--back-to-back N [--sync-each]]
//       [--library-tune N] [--library-algorithms DIR] [--graphs]
//
// The vmgpu side of benchmarks/bench.py. It reads the artifact and the
// inputs once, loads the block, runs it --warmup times untimed, then times
// up to --runs runs one by one (wall clock around each NativeExecutable::run:
// staging, host code, kernels, synchronization, reading results back; no
// process start, compilation or file I/O), stopping early once the timed
// runs have taken --max-seconds (at least 3 runs). For a GPU artifact it then
// makes --kernel-runs more runs with KernelTiming on, which gives the kernel
// launches of a run and their summed device time (events around each
// launch), the cuBLASLt calls of a run (library_calls_per_run: the
// `library` contraction strategy's GEMMs, which are not launches and not in
// the kernel time), and the copies with their bytes and time. Those runs are
// slower (events) and are kept out of the wall-clock figures. For a CPU
// artifact, blas_calls_per_run counts the library strategy's BLAS GEMMs of
// the timed runs (0: the block ran generated code). Last, with
// --output-dir, the results of the final run are written as out<i>.npy.
//
// Where a GPU block's inputs live (--inputs-on): `pageable` (the .npy data
// as read; copied through the device's staging ring), `pinned` (copied once
// into page-locked tensors before timing) or `device` (copied once to the
// device; the runs keep their results there too, and each timed run ends
// with a wait for the device so that wall_ms covers the work). With
// --back-to-back N (device inputs) it then times N runs queued one after
// another and one wait at the end (or one after every run with
// --sync-each): the dispatch cost of a cached block, reported in
// "back_to_back". The device's memory counters give the driver allocations
// and staged copies per timed run.
//
// The `library` strategy's GEMMs take the heuristic's algorithm unless
// --library-tune N (the fastest of N candidates, timed on the first call of
// each problem: in the warm-up run); --library-algorithms DIR keeps and
// reuses the choices across processes (LibraryGemmOptions).
//
// --graphs runs GPU blocks with NativeExecutable::RunOptions::graphs (the
// launches of repeated runs replayed as one graph, GpuGraphPlans.h);
// "graphs" in the report counts what that did over the whole process.
//
// Prints one JSON object on stdout. Needs no LLVM or MLIR; any failure
// prints `vm-gpu-bench: error: ...` and exits 1.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/runtime/ArtifactFile.h"
#include "vmgpu/runtime/CpuLibraryGemm.h"
#include "vmgpu/runtime/CublasLt.h"
#include "vmgpu/runtime/CudaDriver.h"
#include "vmgpu/runtime/DeviceTensors.h"
#include "vmgpu/runtime/GpuDevice.h"
#include "vmgpu/runtime/KernelTiming.h"
#include "vmgpu/runtime/LibraryGemm.h"
#include "vmgpu/runtime/Metrics.h"
#include "vmgpu/runtime/NativeExecutable.h"
#include "vmgpu/runtime/RunnerIO.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

using namespace vmgpu::runtime;
using Json = nlohmann::json;

static int fail(const std::string &message) {
  std::fprintf(stderr, "vm-gpu-bench: error: %s\n", message.c_str());
  return 1;
}

/// A finite decimal number in [low, high], else nullopt.
static std::optional<double> parseNumber(const char *text, double low,
                                         double high) {
  if (!text || !*text)
    return std::nullopt;
  errno = 0;
  char *end = nullptr;
  double value = std::strtod(text, &end);
  if (errno != 0 || *end != '\0' || !std::isfinite(value) || value < low ||
      value > high)
    return std::nullopt;
  return value;
}

/// A whole number in [low, high], else nullopt.
static std::optional<int> parseWhole(const char *text, int low, int high) {
  std::optional<double> value = parseNumber(text, low, high);
  if (!value || *value != std::floor(*value))
    return std::nullopt;
  return static_cast<int>(*value);
}

/// {"median", "min", "max", "mean"} of `values`; null when empty.
static Json statistics(std::vector<double> values) {
  if (values.empty())
    return nullptr;
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  double median = n % 2 ? values[n / 2]
                        : 0.5 * (values[n / 2 - 1] + values[n / 2]);
  double sum = 0.0;
  for (double value : values)
    sum += value;
  return Json{{"median", median},
              {"min", values.front()},
              {"max", values.back()},
              {"mean", sum / static_cast<double>(n)}};
}

namespace {
struct Options {
  std::string artifactPath, outputDir;
  std::vector<std::string> inputs;
  int gpu = 0;
  int warmup = 1;
  int runs = 10;
  double maxSeconds = 10.0;
  bool graphs = false;
  int kernelRuns = -1; // -1: min(runs, 5) for GPU artifacts
  std::string inputsOn = "pageable";
  int backToBack = 0;
  bool syncEach = false;
  LibraryGemmOptions library;
};
} // namespace

/// Parses the command line into `options`; an error message, or "" when
/// they are fine.
static std::string parseOptions(int argc, char **argv, Options &options) {
  constexpr int kMaxCount = 100000000;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    const char *next = i + 1 < argc ? argv[i + 1] : nullptr;
    auto count = [&](int low, int &out) {
      std::optional<int> value = parseWhole(next, low, kMaxCount);
      if (!value)
        return false;
      out = *value;
      ++i;
      return true;
    };
    if (arg == "--input" && next) {
      options.inputs.push_back(next);
      ++i;
    } else if (arg == "--output-dir" && next) {
      options.outputDir = next;
      ++i;
    } else if (arg == "--gpu") {
      if (!count(0, options.gpu))
        return "bad --gpu (expected a device ordinal)";
    } else if (arg == "--warmup") {
      if (!count(0, options.warmup))
        return "bad --warmup (expected a number of runs, 0 or more)";
    } else if (arg == "--runs") {
      if (!count(1, options.runs))
        return "bad --runs (expected a number of runs, at least 1)";
    } else if (arg == "--kernel-runs") {
      if (!count(0, options.kernelRuns))
        return "bad --kernel-runs (expected a number of runs, 0 or more)";
    } else if (arg == "--max-seconds") {
      std::optional<double> value = parseNumber(next, 0.0, 1e6);
      if (!value)
        return "bad --max-seconds (expected seconds, 0 to 1e6)";
      options.maxSeconds = *value;
      ++i;
    } else if (arg == "--inputs-on" && next) {
      options.inputsOn = next;
      ++i;
      if (options.inputsOn != "pageable" && options.inputsOn != "pinned" &&
          options.inputsOn != "device")
        return "bad --inputs-on (expected pageable, pinned or device)";
    } else if (arg == "--back-to-back") {
      if (!count(1, options.backToBack))
        return "bad --back-to-back (expected a number of runs, at least 1)";
    } else if (arg == "--sync-each") {
      options.syncEach = true;
    } else if (arg == "--graphs") {
      options.graphs = true;
    } else if (arg == "--library-tune") {
      std::optional<int> value = parseWhole(next, 0, kMaxLibraryTuneCandidates);
      if (!value)
        return "bad --library-tune (expected 0 to " +
               std::to_string(kMaxLibraryTuneCandidates) + " candidates)";
      options.library.tuneCandidates = *value;
      ++i;
    } else if (arg == "--library-algorithms" && next) {
      options.library.algorithmDirectory = next;
      ++i;
    } else if (!arg.empty() && arg[0] != '-' && options.artifactPath.empty()) {
      options.artifactPath = arg;
    } else {
      return "unexpected argument '" + arg + "'";
    }
  }
  if (options.artifactPath.empty())
    return "usage: vm-gpu-bench BLOCK.vmgpu --input X.npy ... [--gpu N] "
           "[--warmup N] [--runs N] [--max-seconds S] [--kernel-runs N] "
           "[--output-dir OUT] [--inputs-on pageable|pinned|device] "
           "[--back-to-back N [--sync-each]] [--library-tune N] "
           "[--library-algorithms DIR] [--graphs]";
  if (options.backToBack > 0 && options.inputsOn != "device")
    return "--back-to-back needs --inputs-on device";
  return "";
}

int main(int argc, char **argv) {
  Options options;
  if (std::string error = parseOptions(argc, argv, options); !error.empty())
    return fail(error);

  setLibraryGemmOptions(options.library);
  StatusOr<Artifact> artifact = readArtifactFile(options.artifactPath);
  if (!artifact.isOk())
    return fail(artifact.status().message());
  bool gpu = artifact->target != "cpu";
  if (gpu && artifact->target != "cuda")
    return fail("only cpu and cuda artifacts can be timed; " +
                options.artifactPath + " is for " + artifact->target);
  StatusOr<std::vector<HostTensor>> tensors = readNpyInputs(options.inputs);
  if (!tensors.isOk())
    return fail(tensors.status().message());
  std::string deviceName = "cpu";
  if (gpu) {
    StatusOr<CudaDriver *> cuda = CudaDriver::get();
    if (!cuda.isOk())
      return fail(cuda.status().message());
    if (Status status = (*cuda)->makeCurrent(options.gpu); !status.isOk())
      return fail(status.message());
    StatusOr<CudaDeviceInfo> info = (*cuda)->deviceInfo(options.gpu);
    if (!info.isOk())
      return fail(info.status().message());
    deviceName = info->name + " (" + info->architecture + ")";
  }
  GpuDevice *device = nullptr;
  if (gpu) {
    StatusOr<GpuDevice *> selected = GpuDevice::get("cuda", options.gpu);
    if (!selected.isOk())
      return fail(selected.status().message());
    device = *selected;
  }
  StatusOr<std::unique_ptr<NativeExecutable>> executable =
      device ? NativeExecutable::load(*artifact, *device)
             : NativeExecutable::load(*artifact);
  if (!executable.isOk())
    return fail(executable.status().message());
  if (!device && options.inputsOn != "pageable")
    return fail("--inputs-on " + options.inputsOn + " needs a GPU artifact");
  // Inputs where --inputs-on puts them, copied once before any timing.
  std::vector<HostTensor> placed;
  for (const HostTensor &tensor : *tensors) {
    if (options.inputsOn == "pageable")
      break;
    StatusOr<HostTensor> copy =
        options.inputsOn == "device"
            ? copyTensorToDevice(*device, tensor)
            : allocatePinnedTensor(*device, tensor.elementType(),
                                   tensor.shape());
    if (!copy.isOk())
      return fail(copy.status().message());
    if (options.inputsOn == "pinned" && tensor.sizeInBytes())
      std::memcpy(copy->bytes(), tensor.bytes(), tensor.sizeInBytes());
    placed.push_back(std::move(copy).value());
  }
  std::vector<const HostTensor *> arguments;
  size_t inputBytes = 0;
  for (size_t i = 0; i < tensors->size(); ++i) {
    arguments.push_back(placed.empty() ? &(*tensors)[i] : &placed[i]);
    inputBytes += (*tensors)[i].sizeInBytes();
  }

  bool resident = options.inputsOn == "device";
  NativeExecutable::RunOptions runOptions;
  runOptions.keepResultsOnDevice = resident;
  runOptions.graphs = options.graphs;
  StatusOr<std::vector<HostTensor>> results = std::vector<HostTensor>();
  auto runOnce = [&]() -> bool {
    results = (*executable)->run(arguments, runOptions);
    // Device-resident runs return at once: wait, so the time is the work's.
    if (results.isOk() && resident)
      if (Status synced = device->synchronize(); !synced.isOk())
        results = synced;
    return results.isOk();
  };
  for (int i = 0; i < options.warmup; ++i)
    if (!runOnce())
      return fail(results.status().message());

  // Wall clock per run; stop early past the time budget (keeping at least 3
  // runs, or all of them when fewer were asked for).
  DeviceMemoryStats memoryBefore;
  if (device)
    memoryBefore = device->memoryStats();
  std::vector<double> wall;
  uint64_t blasCallsBefore = cpuLibraryGemmCalls();
  Stopwatch total;
  for (int i = 0; i < options.runs; ++i) {
    Stopwatch watch;
    if (!runOnce())
      return fail(results.status().message());
    wall.push_back(watch.elapsedMs());
    if (wall.size() >= 3 && total.elapsedMs() > options.maxSeconds * 1e3)
      break;
  }
  double totalMs = total.elapsedMs();
  Json memory = nullptr;
  if (device) {
    DeviceMemoryStats after = device->memoryStats();
    double runs = static_cast<double>(wall.size());
    memory = {
        {"driver_allocations_per_run",
         (after.driverAllocations - memoryBefore.driverAllocations) / runs},
        {"staged_copies_per_run",
         (after.stagedCopies - memoryBefore.stagedCopies) / runs},
        {"h2d_bytes_per_run",
         (after.hostToDeviceBytes - memoryBefore.hostToDeviceBytes) / runs},
        {"d2h_bytes_per_run",
         (after.deviceToHostBytes - memoryBefore.deviceToHostBytes) / runs},
        {"pool_peak_bytes", after.peakBytesInUse},
        {"pinned_bytes", after.pinnedBytes},
        {"constant_uploads_per_run",
         (after.constantUploads - memoryBefore.constantUploads) / runs}};
  }

  // Dispatch: runs queued back to back on device-resident inputs, their
  // results dropped (back to the pool, in stream order), one wait.
  Json backToBack = nullptr;
  if (options.backToBack > 0) {
    Stopwatch watch;
    for (int i = 0; i < options.backToBack; ++i) {
      StatusOr<std::vector<HostTensor>> queued =
          (*executable)->run(arguments, runOptions);
      if (!queued.isOk())
        return fail(queued.status().message());
      if (options.syncEach)
        if (Status synced = device->synchronize(); !synced.isOk())
          return fail(synced.message());
    }
    if (Status synced = device->synchronize(); !synced.isOk())
      return fail(synced.message());
    double ms = watch.elapsedMs();
    backToBack = {{"blocks", options.backToBack},
                  {"sync", options.syncEach ? "each" : "end"},
                  {"total_ms", ms},
                  {"us_per_block", ms * 1e3 / options.backToBack}};
  }

  Json report = {{"artifact", options.artifactPath},
                 {"target", artifact->target},
                 {"device", deviceName},
                 {"input_bytes", inputBytes},
                 {"warmup", options.warmup},
                 {"runs", wall.size()},
                 {"total_ms", totalMs},
                 {"blas_calls_per_run",
                  static_cast<double>(cpuLibraryGemmCalls() - blasCallsBefore) /
                      static_cast<double>(wall.size())},
                 {"wall_ms", statistics(wall)},
                 {"kernel_runs", 0},
                 {"launches_per_run", nullptr},
                 {"kernel_ms", nullptr},
                 {"copies_per_run", nullptr},
                 {"copy_bytes_per_run", nullptr},
                 {"copy_ms", nullptr},
                 {"inputs_on", options.inputsOn},
                 {"device_memory", memory},
                 {"back_to_back", backToBack}};
  GpuGraphCounters graphs = gpuGraphCounters();
  report["graphs"] = {{"on", options.graphs},
                      {"captures", graphs.captures},
                      {"instantiations", graphs.instantiations},
                      {"launches", graphs.launches},
                      {"replays", graphs.replays},
                      {"refusals", graphs.refusals}};

  int kernelRuns = options.kernelRuns;
  if (kernelRuns < 0)
    kernelRuns = gpu ? std::min(options.runs, 5) : 0;
  if (gpu && kernelRuns > 0) {
    std::vector<double> kernelMs, copyMs;
    KernelTimingSummary last;
    bool complete = true;
    (void)takeKernelTiming(); // Nothing should be pending; start clean.
    // cuBLASLt calls (the `library` contraction strategy) are no launches:
    // counted on their own.
    auto libraryCalls = [&]() -> uint64_t {
      CublasLt *library = CublasLt::loadedInstance();
      return library ? libraryGemmCounters(*device, *library).calls : 0;
    };
    uint64_t libraryCallsBefore = libraryCalls();
    setKernelTimingEnabled(true);
    for (int i = 0; i < kernelRuns; ++i) {
      bool ran = runOnce();
      StatusOr<KernelTimingSummary> summary = takeKernelTiming();
      if (!ran) {
        setKernelTimingEnabled(false);
        return fail(results.status().message());
      }
      if (!summary.isOk()) {
        setKernelTimingEnabled(false);
        return fail("kernel timing: " + summary.status().message());
      }
      complete = complete && summary->complete();
      kernelMs.push_back(summary->kernelMs);
      copyMs.push_back(summary->copyMs);
      last = *summary;
    }
    setKernelTimingEnabled(false);
    report["kernel_runs"] = kernelRuns;
    report["launches_per_run"] = last.launches;
    report["library_calls_per_run"] =
        (libraryCalls() - libraryCallsBefore) / uint64_t(kernelRuns);
    report["copies_per_run"] = last.copies;
    report["copy_bytes_per_run"] = last.copyBytes;
    if (CublasLt *library = CublasLt::loadedInstance()) {
      LibraryGemmCounters counted = libraryGemmCounters(*device, *library);
      report["library_tune"] = options.library.tuneCandidates;
      report["library_plans_searched"] = counted.plansSearched;
      report["library_plans_tuned"] = counted.plansTuned;
      report["library_plans_stored"] = counted.plansStored;
    }
    // Partial sums would understate: without events for every launch and
    // copy (a driver without event calls), give counts only.
    report["timed"] = complete;
    if (complete) {
      report["kernel_ms"] = statistics(kernelMs);
      report["copy_ms"] = statistics(copyMs);
    }
  }

  if (!options.outputDir.empty()) {
    std::vector<HostTensor> onHost;
    for (const HostTensor &result : *results) {
      StatusOr<HostTensor> copy = copyTensorToHost(result);
      if (!copy.isOk())
        return fail(copy.status().message());
      onHost.push_back(std::move(copy).value());
    }
    if (Status status = writeNpyOutputs(options.outputDir, onHost);
        !status.isOk())
      return fail(status.message());
  }
  // `replace`: paths and device names may hold invalid UTF-8, and the
  // default handler would throw (abort without exceptions).
  std::printf("%s\n", report
                          .dump(-1, ' ', /*ensure_ascii=*/false,
                                Json::error_handler_t::replace)
                          .c_str());
  return 0;
}
