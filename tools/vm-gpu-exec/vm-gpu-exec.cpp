//===- vm-gpu-exec.cpp - run an artifact file with only the runtime -------===//
//
//   vm-gpu-exec BLOCK.vmgpu [--device N] --input in0.npy ... --output-dir OUT
//       [--repeat N]
//
// Needs no LLVM or MLIR: this is how blocks compiled elsewhere run on a GPU
// machine. A "cuda" artifact runs on CUDA device N (default 0); there is no
// fallback here (the engine does that): any failure exits 1 with `error:`.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/runtime/ArtifactFile.h"
#include "vmgpu/runtime/CudaDriver.h"
#include "vmgpu/runtime/Metrics.h"
#include "vmgpu/runtime/NativeExecutable.h"
#include "vmgpu/runtime/RunnerIO.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace vmgpu::runtime;

static int fail(const std::string &message) {
  std::fprintf(stderr, "vm-gpu-exec: error: %s\n", message.c_str());
  return 1;
}

int main(int argc, char **argv) {
  std::string artifactPath, outputDir;
  std::vector<std::string> inputs;
  int device = 0, repeat = 1;
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
    else if (arg == "--device" && (next = value()))
      device = std::atoi(next);
    else if (arg == "--repeat" && (next = value()))
      repeat = std::atoi(next);
    else if (!arg.empty() && arg[0] != '-' && artifactPath.empty())
      artifactPath = arg;
    else
      return fail("unexpected argument '" + arg + "'");
  }
  if (artifactPath.empty() || outputDir.empty() || repeat < 1)
    return fail("usage: vm-gpu-exec BLOCK.vmgpu [--device N] --input X.npy ... "
                "--output-dir OUT [--repeat N]");

  StatusOr<Artifact> artifact = readArtifactFile(artifactPath);
  if (!artifact.isOk())
    return fail(artifact.status().message());
  StatusOr<std::vector<HostTensor>> tensors = readNpyInputs(inputs);
  if (!tensors.isOk())
    return fail(tensors.status().message());
  if (artifact->target == "cuda") {
    StatusOr<CudaDriver *> cuda = CudaDriver::get();
    if (!cuda.isOk())
      return fail(cuda.status().message());
    if (Status status = (*cuda)->makeCurrent(device); !status.isOk())
      return fail(status.message());
  }
  StatusOr<std::unique_ptr<NativeExecutable>> executable =
      NativeExecutable::load(*artifact);
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
