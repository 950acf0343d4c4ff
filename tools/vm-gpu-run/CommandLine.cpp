//===- CommandLine.cpp - vm-gpu-run's options -----------------------------===//

#include "CommandLine.h"

#include "OptionParser.h"

#include <type_traits>

namespace vmgpu::tools {

using runtime::invalidArgumentError;
using runtime::okStatus;
using runtime::Status;

namespace {

/// An option that stores its value in `field`.
template <class Field>
CommandLineOption store(std::string_view name, Field &field,
                        bool takesValue = true) {
  return {name, takesValue, /*repeatable=*/false,
          [&field](const std::string &value) {
            if constexpr (std::is_same_v<Field, bool>)
              field = value == "true";
            else
              field = value;
            return okStatus();
          }};
}

} // namespace

runtime::StatusOr<RunCommandLine>
parseRunCommandLine(int argc, const char *const *argv) {
  RunCommandLine line;
  bool havePositional = false;
  std::vector<CommandLineOption> options = {
      store("entry", line.entry),
      store("device", line.device),
      {"input", true, /*repeatable=*/true,
       [&](const std::string &value) {
         line.inputs.push_back(value);
         return okStatus();
       }},
      store("output-dir", line.outputDir),
      store("metrics-json", line.metricsJson),
      store("run-times", line.runTimesJson),
      {"repeat", true, false,
       [&](const std::string &value) {
         std::optional<unsigned> count = parseUnsigned(value);
         if (!count)
           return invalidArgumentError("--repeat takes a number of runs, got '" +
                                       value + "'");
         line.repeat = *count;
         return okStatus();
       }},
      store("contraction-strategy", line.contractionStrategy),
      store("list-devices", line.listDevices, /*takesValue=*/false),
      store("no-fallback", line.noFallback, false),
      store("help", line.help, false),
      store("version", line.version, false),
  };
  Status status = parseCommandLine(
      argc, argv, "vm-gpu-run", options, [&](const std::string &argument) {
        // `-` is the program read from standard input.
        if (havePositional)
          return invalidArgumentError("unexpected argument '" + argument +
                                      "' (one program only, and it is '" +
                                      line.program + "')");
        havePositional = true;
        line.program = argument;
        return okStatus();
      });
  if (!status.isOk())
    return status;
  return line;
}

const char *runUsage() {
  return R"(USAGE: vm-gpu-run PROG.mlir --output-dir OUT [options]

Runs one function of a vm IR file (`-`: standard input) on .npy inputs
through the C API (libvmgpu.so) and writes result N as OUT/outN.npy.

OPTIONS:
  --entry NAME              the function to run (default: main)
  --device D                cpu | cuda[:N] | rocm[:N] | auto
                            (default: $VMGPU_DEVICE, else auto)
  --input FILE              an input .npy file, in argument order (repeat it)
  --output-dir OUT          the directory for out<N>.npy (required)
  --metrics-json FILE       write the engine's metrics as JSON
  --repeat N                run the block N times (default: 1)
  --run-times FILE          write each run's wall time in ms as a JSON array
                            (the first run pays one-time costs: loading
                            modules, libraries' handles)
  --contraction-strategy S  contractions: generated code, library calls
                            (library: cuBLASLt on CUDA, the BLAS for f32/f64
                            on the CPU where one loads), or the cost model
                            (auto; default: $VMGPU_CONTRACTION_STRATEGY,
                            else auto)
  --no-fallback             fail instead of running on the CPU when the GPU
                            cannot
  --list-devices            print the GPUs found (JSON) and the drivers
                            missing, then exit
  --version                 print the versions of the tool and the library
  --help                    print this text
)";
}

} // namespace vmgpu::tools
