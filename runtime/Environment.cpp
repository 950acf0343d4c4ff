//===- Environment.cpp - the environment variables vmgpu reads ------------===//
//
// The one place that reads the process environment (see Environment.h).
//
//===----------------------------------------------------------------------===//

#include "vmgpu/runtime/Environment.h"

#include <cstdlib>

namespace vmgpu::runtime {

const char *environmentVariableName(EnvironmentVariable variable) {
  switch (variable) {
#define VMGPU_ENVIRONMENT_NAME(identifier, name)                               \
  case EnvironmentVariable::identifier:                                        \
    return name;
    VMGPU_ENVIRONMENT_VARIABLES(VMGPU_ENVIRONMENT_NAME)
#undef VMGPU_ENVIRONMENT_NAME
  }
  return "";
}

std::optional<std::string> environmentValue(EnvironmentVariable variable) {
  const char *value = std::getenv(environmentVariableName(variable));
  if (!value || !*value)
    return std::nullopt;
  return std::string(value);
}

std::string environmentKeyPart(EnvironmentVariable variable) {
  std::string name = environmentVariableName(variable);
  std::optional<std::string> value = environmentValue(variable);
  return value ? name + "=" + *value : name + " unset";
}

} // namespace vmgpu::runtime
