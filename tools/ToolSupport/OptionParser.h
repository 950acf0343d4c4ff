//===- OptionParser.h - command lines without LLVM --------------*- C++ -*-===//
//
// The tools over the C API link no LLVM, so no llvm::cl. This parser takes
// the spellings llvm::cl took, which scripts and tests use: `--name value`
// and `--name=value`, one or two leading dashes, options before or after
// the positional arguments, `--` to end the options, `-` as a positional
// argument, flags with `=true`/`=false`.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_TOOLS_TOOLSUPPORT_OPTIONPARSER_H
#define VMGPU_TOOLS_TOOLSUPPORT_OPTIONPARSER_H

#include "vmgpu/runtime/Status.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vmgpu::tools {

/// One option of a tool's command line.
struct CommandLineOption {
  /// The name without dashes ("entry", "no-fallback").
  std::string_view name;
  /// A value option (`--name V`, `--name=V`), else a flag (`--name`,
  /// `--name=true|false|1|0`).
  bool takesValue = true;
  /// May be given more than once; each value is applied in turn.
  bool repeatable = false;
  /// Takes the value (a flag's is "true" or "false"); an error stops the
  /// parse with its message.
  std::function<runtime::Status(const std::string &value)> apply;
};

/// Parses `argv[1..argc)` against `options`; every other argument goes to
/// `positional`, in order. InvalidArgument, with a message meant to follow
/// `TOOL: error: `, for an unknown option, a missing or malformed value, an
/// option that is not repeatable given twice, or whatever `apply` or
/// `positional` refuse.
runtime::Status parseCommandLine(
    int argc, const char *const *argv, std::string_view tool,
    const std::vector<CommandLineOption> &options,
    const std::function<runtime::Status(const std::string &)> &positional);

/// A whole decimal number that fits an unsigned, else nullopt.
std::optional<unsigned> parseUnsigned(std::string_view text);

} // namespace vmgpu::tools

#endif // VMGPU_TOOLS_TOOLSUPPORT_OPTIONPARSER_H
