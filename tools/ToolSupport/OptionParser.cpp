//===- OptionParser.cpp - command lines without LLVM ----------------------===//

#include "OptionParser.h"

#include <charconv>
#include <climits>
#include <set>

namespace vmgpu::tools {

using runtime::invalidArgumentError;
using runtime::Status;

namespace {

const CommandLineOption *find(const std::vector<CommandLineOption> &options,
                              std::string_view name) {
  for (const CommandLineOption &option : options)
    if (option.name == name)
      return &option;
  return nullptr;
}

/// A flag's attached value as "true" or "false", else nullopt.
std::optional<std::string> flagValue(std::string_view text) {
  if (text == "true" || text == "1")
    return std::string("true");
  if (text == "false" || text == "0")
    return std::string("false");
  return std::nullopt;
}

} // namespace

Status parseCommandLine(
    int argc, const char *const *argv, std::string_view tool,
    const std::vector<CommandLineOption> &options,
    const std::function<Status(const std::string &)> &positional) {
  std::set<std::string_view> given;
  bool optionsEnded = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (optionsEnded || arg.size() < 2 || arg[0] != '-') {
      if (Status status = positional(std::string(arg)); !status.isOk())
        return status;
      continue;
    }
    if (arg == "--") {
      optionsEnded = true;
      continue;
    }
    // `spelled` is the option as written, up to any `=`.
    std::string_view spelled = arg, name = arg.substr(arg[1] == '-' ? 2 : 1);
    std::optional<std::string_view> attached;
    if (size_t equals = name.find('='); equals != std::string_view::npos) {
      attached = name.substr(equals + 1);
      name = name.substr(0, equals);
      spelled = arg.substr(0, arg.size() - attached->size() - 1);
    }
    const CommandLineOption *option = find(options, name);
    if (!option)
      return invalidArgumentError("unknown option '" + std::string(spelled) +
                                  "' (see " + std::string(tool) + " --help)");
    if (!option->repeatable && !given.insert(option->name).second)
      return invalidArgumentError(std::string(spelled) + " is given twice");
    std::string value;
    if (!option->takesValue) {
      std::optional<std::string> flag =
          attached ? flagValue(*attached) : std::string("true");
      if (!flag)
        return invalidArgumentError(std::string(spelled) +
                                    " takes no value but true or false, got '" +
                                    std::string(*attached) + "'");
      value = *flag;
    } else if (attached) {
      value = std::string(*attached);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      return invalidArgumentError(std::string(spelled) + " needs a value");
    }
    if (Status status = option->apply(value); !status.isOk())
      return status;
  }
  return runtime::okStatus();
}

std::optional<unsigned> parseUnsigned(std::string_view text) {
  unsigned long long value = 0;
  const char *end = text.data() + text.size();
  auto [last, error] = std::from_chars(text.data(), end, value, 10);
  if (text.empty() || error != std::errc() || last != end || value > UINT_MAX)
    return std::nullopt;
  return static_cast<unsigned>(value);
}

} // namespace vmgpu::tools
