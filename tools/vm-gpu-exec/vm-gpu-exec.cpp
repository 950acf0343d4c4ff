//===- vm-gpu-exec.cpp - run an artifact file with only the runtime -------===//
//
//   vm-gpu-exec BLOCK.vmgpu [--device cpu|cuda[:N]|rocm[:N]|auto|N]
//       --input in0.npy ... --output-dir OUT [--repeat N]
//
// Needs no LLVM or MLIR: this is how blocks compiled elsewhere run on a GPU
// machine. The artifact fixes the target; --device spells the device as
// vm-gpu-run does and must agree with it (a bare N is the ordinal of the
// artifact's GPU). A "cuda" ("rocm") artifact runs on CUDA (HIP) device N
// (default 0); there is no fallback here (the engine does that): any
// failure, bad arguments included, exits 1 with `error:`.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/runtime/ArtifactFile.h"
#include "vmgpu/runtime/GpuDevice.h"
#include "vmgpu/runtime/Metrics.h"
#include "vmgpu/runtime/NativeExecutable.h"
#include "vmgpu/runtime/RunnerIO.h"

#include <cctype>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

using namespace vmgpu::runtime;

static int fail(const std::string &message) {
  std::fprintf(stderr, "vm-gpu-exec: error: %s\n", message.c_str());
  return 1;
}

/// A whole decimal number in [0, INT_MAX], else nullopt.
static std::optional<int> parseCount(const std::string &text) {
  if (text.empty() || !std::isdigit(static_cast<unsigned char>(text[0])))
    return std::nullopt;
  errno = 0;
  char *end = nullptr;
  long value = std::strtol(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0' || value > INT_MAX)
    return std::nullopt;
  return static_cast<int>(value);
}

/// `--device` as vm-gpu-run spells it (the engine's DeviceSelection, which
/// this runtime-only tool cannot link): cpu, cuda[:N], rocm[:N] or auto;
/// also a bare N, the ordinal of the artifact's GPU (the older spelling).
struct DeviceFlag {
  std::string kind; // "cpu", "cuda", "rocm", "auto" or "" (a bare N)
  int ordinal = 0;
};

static std::optional<DeviceFlag> parseDevice(const std::string &text) {
  DeviceFlag device;
  if (std::optional<int> ordinal = parseCount(text)) {
    device.ordinal = *ordinal;
    return device;
  }
  size_t colon = text.find(':');
  device.kind = text.substr(0, colon);
  if (device.kind != "cpu" && device.kind != "cuda" && device.kind != "rocm" &&
      device.kind != "auto")
    return std::nullopt;
  if (colon == std::string::npos)
    return device;
  std::optional<int> ordinal = parseCount(text.substr(colon + 1));
  if (!ordinal || (device.kind != "cuda" && device.kind != "rocm"))
    return std::nullopt;
  device.ordinal = *ordinal;
  return device;
}

int main(int argc, char **argv) {
  std::string artifactPath, outputDir;
  std::vector<std::string> inputs;
  DeviceFlag device;
  int repeat = 1;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> const char * {
      return i + 1 < argc ? argv[++i] : nullptr;
    };
    const char *next = nullptr;
    if (arg == "--input" && (next = value()))
      inputs.push_back(next);
    else if (arg == "--output-dir" && (next = value()))
      outputDir = next;
    else if (arg == "--device" && (next = value())) {
      std::optional<DeviceFlag> parsed = parseDevice(next);
      if (!parsed)
        return fail("bad device '" + std::string(next) +
                    "' (expected cpu, cuda[:N], rocm[:N], auto or N)");
      device = *parsed;
    } else if (arg == "--repeat" && (next = value())) {
      std::optional<int> parsed = parseCount(next);
      if (!parsed || *parsed < 1)
        return fail("bad --repeat '" + std::string(next) +
                    "' (expected a number of runs, at least 1)");
      repeat = *parsed;
    } else if (!arg.empty() && arg[0] != '-' && artifactPath.empty())
      artifactPath = arg;
    else
      return fail("unexpected argument '" + arg + "'");
  }
  if (artifactPath.empty() || outputDir.empty())
    return fail("usage: vm-gpu-exec BLOCK.vmgpu [--device DEVICE] "
                "--input X.npy ... --output-dir OUT [--repeat N]");

  StatusOr<Artifact> artifact = readArtifactFile(artifactPath);
  if (!artifact.isOk())
    return fail(artifact.status().message());
  if (!device.kind.empty() && device.kind != "auto" &&
      device.kind != artifact->target)
    return fail("--device " + device.kind + " cannot run " + artifactPath +
                ", which was compiled for " + artifact->target);
  StatusOr<std::vector<HostTensor>> tensors = readNpyInputs(inputs);
  if (!tensors.isOk())
    return fail(tensors.status().message());
  // A GPU artifact runs on device N of its target (CUDA or HIP alike).
  GpuDevice *gpu = nullptr;
  if (artifact->target != "cpu") {
    StatusOr<GpuDevice *> selected =
        GpuDevice::get(artifact->target, device.ordinal);
    if (!selected.isOk())
      return fail(selected.status().message());
    gpu = *selected;
  }
  StatusOr<std::unique_ptr<NativeExecutable>> executable =
      gpu ? NativeExecutable::load(*artifact, *gpu)
          : NativeExecutable::load(*artifact);
  if (!executable.isOk())
    return fail(executable.status().message());
  std::vector<const HostTensor *> arguments;
  for (const HostTensor &tensor : *tensors)
    arguments.push_back(&tensor);
  StatusOr<std::vector<HostTensor>> results = std::vector<HostTensor>();
  Stopwatch watch;
  for (int i = 0; i < repeat; ++i) {
    if (i == 1)
      watch.restart();
    results = (*executable)->run(arguments);
    if (!results.isOk())
      return fail(results.status().message());
  }
  if (repeat > 1)
    std::fprintf(stderr, "vm-gpu-exec: %.3f ms per run (%d runs after the first)\n",
                 watch.elapsedMs() / (repeat - 1), repeat - 1);
  if (Status status = writeNpyOutputs(outputDir, *results); !status.isOk())
    return fail(status.message());
  return 0;
}
