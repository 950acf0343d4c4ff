//===- CommandLine.h - vm-gpu-run's options -------------------*- C++ -*-===//
//
// The command line of vm-gpu-run (docs/vm-gpu-run.md), parsed without LLVM
// (tools/ToolSupport/OptionParser.h: the spellings of the llvm::cl parser it
// replaced).
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_TOOLS_VM_GPU_RUN_COMMANDLINE_H
#define VMGPU_TOOLS_VM_GPU_RUN_COMMANDLINE_H

#include "vmgpu/runtime/Status.h"

#include <optional>
#include <string>
#include <vector>

namespace vmgpu::tools {

struct RunCommandLine {
  /// The IR file, `-` for standard input; empty when none was given.
  std::string program;
  std::string entry = "main";
  /// Unset: the C API's default ($VMGPU_DEVICE, else auto).
  std::optional<std::string> device;
  std::vector<std::string> inputs;
  std::string outputDir;
  std::string metricsJson;
  /// Where each run's wall time goes (a JSON array of milliseconds); empty:
  /// nowhere.
  std::string runTimesJson;
  /// May be 0 here; the tool rejects it with its own message.
  unsigned repeat = 1;
  /// Unset: $VMGPU_CONTRACTION_STRATEGY, else auto.
  std::optional<std::string> contractionStrategy;
  bool listDevices = false;
  bool noFallback = false;
  bool help = false;
  bool version = false;
};

/// Parses `argv[1..argc)`. InvalidArgument, with a message for
/// `vm-gpu-run: error: `, for an unknown option, a missing or malformed
/// value, an option other than --input given twice, or a second program.
runtime::StatusOr<RunCommandLine> parseRunCommandLine(int argc,
                                                      const char *const *argv);

/// The text of `--help`.
const char *runUsage();

} // namespace vmgpu::tools

#endif // VMGPU_TOOLS_VM_GPU_RUN_COMMANDLINE_H
