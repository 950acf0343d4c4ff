//===- vm-gpu-run.cpp - run one function of an IR file on .npy inputs -----===//
//
//   vm-gpu-run PROG.mlir --entry main --device cpu|cuda[:N]|rocm[:N]|auto \
//       --input in0.npy ... --output-dir OUT [--metrics-json FILE] [--repeat N]
//
// Goes through the same Engine a JIT uses. A rejected program or input exits
// 1 with `error:` diagnostics on stderr and writes nothing. The program is a
// regular file of at most runtime::kMaxProgramBytes, or `-` (stdin).
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Engine/Engine.h"
#include "vmgpu/runtime/ArtifactFile.h"
#include "vmgpu/runtime/DeviceManager.h"
#include "vmgpu/runtime/FileRead.h"
#include "vmgpu/runtime/RunnerIO.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"

#include <unistd.h>

using namespace llvm;
using namespace vmgpu;

static cl::OptionCategory category("vm-gpu-run options");
static cl::opt<std::string> programPath(cl::Positional,
                                        cl::desc("<program.mlir>"),
                                        cl::cat(category));
static cl::opt<std::string> entry("entry", cl::desc("Function to run"),
                                  cl::init("main"), cl::cat(category));
static cl::opt<std::string>
    device("device",
           cl::desc("cpu | cuda[:N] | rocm[:N] | auto (default: "
                    "$VMGPU_DEVICE, else auto)"),
           cl::cat(category));
static cl::list<std::string> inputs("input",
                                    cl::desc("Input .npy file, in argument order"),
                                    cl::cat(category));
static cl::opt<std::string> outputDir("output-dir",
                                      cl::desc("Directory for out<N>.npy"),
                                      cl::cat(category));
static cl::opt<std::string> metricsJson("metrics-json",
                                        cl::desc("Write the metrics as JSON"),
                                        cl::cat(category));
static cl::opt<unsigned> repeat("repeat", cl::desc("Run the block N times"),
                                cl::init(1), cl::cat(category));
static cl::opt<bool> listDevices(
    "list-devices",
    cl::desc("Print the GPUs found (JSON) and the drivers missing, then exit"),
    cl::cat(category));
static cl::opt<std::string> contractionStrategy(
    "contraction-strategy",
    cl::desc("Contractions: generated code, library calls (library: "
             "cuBLASLt on CUDA, the BLAS for f32/f64 on the CPU where one "
             "loads), or the cost model (auto; default: "
             "$VMGPU_CONTRACTION_STRATEGY, else auto)"),
    cl::cat(category));
static cl::opt<bool> noFallback(
    "no-fallback",
    cl::desc("Fail instead of running on the CPU when the GPU cannot"),
    cl::cat(category));

static int fail(const Twine &message) {
  WithColor::error(errs(), "vm-gpu-run") << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv, "vmgpu block runner\n");
  // Copied before compiling: linking with lld in process resets every
  // llvm::cl option to its default.
  const std::string outputDirectory = outputDir, metricsPath = metricsJson,
                    entryName = entry;
  const unsigned repeatCount = repeat;
  if (listDevices) {
    outs() << runtime::deviceListToJson(runtime::discoverDevices()) << "\n";
    return 0;
  }
  if (programPath.empty())
    return fail("no program given (usage: vm-gpu-run PROG.mlir --output-dir "
                "OUT ...)");
  if (outputDirectory.empty())
    return fail("--output-dir is required");

  std::optional<DeviceSelection> selection;
  if (device.getNumOccurrences()) {
    runtime::StatusOr<DeviceSelection> parsed = DeviceSelection::parse(device);
    if (!parsed.isOk())
      return fail(parsed.status().message());
    selection = *parsed;
  }
  if (repeatCount == 0)
    return fail("--repeat must be at least 1");
  std::optional<ContractionStrategy> strategy;
  if (contractionStrategy.getNumOccurrences()) {
    strategy = symbolizeContractionStrategy(contractionStrategy);
    if (!strategy)
      return fail("unknown contraction strategy '" + contractionStrategy +
                  "' (expected generated, library or auto)");
  }

  runtime::StatusOr<std::vector<runtime::HostTensor>> tensors =
      runtime::readNpyInputs(inputs);
  if (!tensors.isOk())
    return fail(tensors.status().message());

  // A FIFO, device or directory is an error, not a hang.
  runtime::StatusOr<std::string> text = runtime::readProgramText(programPath);
  if (!text.isOk())
    return fail("cannot read the program: " + text.status().message());
  std::unique_ptr<MemoryBuffer> source = MemoryBuffer::getMemBufferCopy(
      *text, programPath == "-" ? "<stdin>" : programPath.getValue());
  text = std::string();

  EngineOptions options;
  options.device = selection;
  options.allowFallback = !noFallback;
  options.contractionStrategy = strategy;
  Engine engine(options);
  runtime::StatusOr<std::shared_ptr<const CompiledBlock>> block =
      engine.compile(std::move(source), entryName, errs());
  if (!block.isOk())
    return fail(block.status().message());
  if (!(*block)->fallbackReason.empty())
    WithColor::note(errs(), "vm-gpu-run")
        << "running on the CPU: " << (*block)->fallbackReason << "\n";

  std::vector<const runtime::HostTensor *> arguments;
  for (const runtime::HostTensor &tensor : *tensors)
    arguments.push_back(&tensor);
  runtime::StatusOr<std::vector<runtime::HostTensor>> results =
      std::vector<runtime::HostTensor>();
  for (unsigned i = 0; i < repeatCount; ++i) {
    results = engine.run(**block, arguments);
    if (!results.isOk())
      return fail(results.status().message());
  }

  if (runtime::Status status = runtime::writeNpyOutputs(outputDirectory, *results);
      !status.isOk())
    return fail(status.message());
  // Like the outputs: written beside its name and renamed over it, so that
  // a FIFO or link already there is replaced, never blocked on or written
  // through.
  if (!metricsPath.empty())
    if (runtime::Status status = runtime::writeFileAtomically(
            metricsPath, engine.metrics().toJson() + "\n");
        !status.isOk())
      return fail("cannot write " + metricsPath + ": " + status.message());
  return 0;
}
