//===- CommandLine.cpp - vm-gpu-run's options -----------------------------===//

#include "CommandLine.h"

#include <charconv>
#include <climits>
#include <set>
#include <string_view>

namespace vmgpu::tools {
namespace {

using runtime::invalidArgumentError;
using runtime::Status;

/// The options that take no value, and the field each sets.
struct Flag {
  std::string_view name;
  bool RunCommandLine::*field;
};
constexpr Flag kFlags[] = {
    {"list-devices", &RunCommandLine::listDevices},
    {"no-fallback", &RunCommandLine::noFallback},
    {"help", &RunCommandLine::help},
    {"version", &RunCommandLine::version},
};

/// The options that take a value. All but --input may be given once.
constexpr std::string_view kValueOptions[] = {
    "entry",  "device", "input", "output-dir", "metrics-json",
    "repeat", "contraction-strategy"};

const Flag *findFlag(std::string_view name) {
  for (const Flag &flag : kFlags)
    if (flag.name == name)
      return &flag;
  return nullptr;
}

bool isValueOption(std::string_view name) {
  for (std::string_view option : kValueOptions)
    if (option == name)
      return true;
  return false;
}

/// `--repeat`'s value: a whole decimal number that fits an unsigned.
std::optional<unsigned> parseRunCount(std::string_view text) {
  unsigned long long value = 0;
  const char *end = text.data() + text.size();
  auto [last, error] = std::from_chars(text.data(), end, value, 10);
  if (text.empty() || error != std::errc() || last != end || value > UINT_MAX)
    return std::nullopt;
  return static_cast<unsigned>(value);
}

Status setValue(RunCommandLine &line, std::string_view name,
                std::string value) {
  if (name == "entry")
    line.entry = std::move(value);
  else if (name == "device")
    line.device = std::move(value);
  else if (name == "input")
    line.inputs.push_back(std::move(value));
  else if (name == "output-dir")
    line.outputDir = std::move(value);
  else if (name == "metrics-json")
    line.metricsJson = std::move(value);
  else if (name == "contraction-strategy")
    line.contractionStrategy = std::move(value);
  else if (std::optional<unsigned> count = parseRunCount(value))
    line.repeat = *count;
  else
    return invalidArgumentError("--repeat takes a number of runs, got '" +
                                value + "'");
  return runtime::okStatus();
}

} // namespace

runtime::StatusOr<RunCommandLine>
parseRunCommandLine(int argc, const char *const *argv) {
  RunCommandLine line;
  std::set<std::string_view> given;
  bool havePositional = false, optionsEnded = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (optionsEnded || arg.size() < 2 || arg[0] != '-') {
      // `-` is the program read from standard input.
      if (havePositional)
        return invalidArgumentError("unexpected argument '" + std::string(arg) +
                                    "' (one program only, and it is '" +
                                    line.program + "')");
      havePositional = true;
      line.program = std::string(arg);
      continue;
    }
    if (arg == "--") {
      optionsEnded = true;
      continue;
    }
    std::string_view spelled = arg, name = arg.substr(arg[1] == '-' ? 2 : 1);
    std::optional<std::string_view> attached;
    if (size_t equals = name.find('='); equals != std::string_view::npos) {
      attached = name.substr(equals + 1);
      name = name.substr(0, equals);
      spelled = arg.substr(0, arg.size() - attached->size() - 1);
    }
    if (const Flag *flag = findFlag(name)) {
      bool value = true;
      if (attached) {
        if (*attached == "false" || *attached == "0")
          value = false;
        else if (*attached != "true" && *attached != "1")
          return invalidArgumentError(std::string(spelled) +
                                      " takes no value but true or false, got '" +
                                      std::string(*attached) + "'");
      }
      line.*(flag->field) = value;
      continue;
    }
    if (!isValueOption(name))
      return invalidArgumentError("unknown option '" + std::string(spelled) +
                                  "' (see vm-gpu-run --help)");
    if (name != "input" && !given.insert(name).second)
      return invalidArgumentError(std::string(spelled) + " is given twice");
    std::string value;
    if (attached)
      value = std::string(*attached);
    else if (i + 1 < argc)
      value = argv[++i];
    else
      return invalidArgumentError(std::string(spelled) + " needs a value");
    if (Status status = setValue(line, name, std::move(value)); !status.isOk())
      return status;
  }
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
  --contraction-strategy S  CUDA contractions: generated kernels, cuBLASLt
                            calls (library), or the cost model (auto)
                            (default: $VMGPU_CONTRACTION_STRATEGY, else auto)
  --no-fallback             fail instead of running on the CPU when the GPU
                            cannot
  --list-devices            print the GPUs found (JSON) and the drivers
                            missing, then exit
  --version                 print the versions of the tool and the library
  --help                    print this text
)";
}

} // namespace vmgpu::tools
