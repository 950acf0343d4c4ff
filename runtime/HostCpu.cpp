//===- HostCpu.cpp - the CPU features a block's code needs ----------------===//

#include "vmgpu/runtime/HostCpu.h"

namespace vmgpu::runtime {

std::optional<bool> hostCpuHasFeature(std::string_view feature) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  // __builtin_cpu_supports takes literals only, hence one line per name;
  // the names are LLVM's, which the compiler records. Only features code
  // generation uses on its own (vectorizers, instruction selection): the
  // ones reached through intrinsics alone (aes, sha, pclmul, vp2intersect,
  // amx, ...) never appear in a block's code, and checking them would
  // refuse artifacts that run fine.
#define VMGPU_HOST_FEATURE(name)                                               \
  if (feature == name)                                                         \
    return __builtin_cpu_supports(name) != 0;
  VMGPU_HOST_FEATURE("sse3")
  VMGPU_HOST_FEATURE("ssse3")
  VMGPU_HOST_FEATURE("sse4.1")
  VMGPU_HOST_FEATURE("sse4.2")
  VMGPU_HOST_FEATURE("popcnt")
  VMGPU_HOST_FEATURE("avx")
  VMGPU_HOST_FEATURE("avx2")
  VMGPU_HOST_FEATURE("fma")
  VMGPU_HOST_FEATURE("f16c")
  VMGPU_HOST_FEATURE("bmi")
  VMGPU_HOST_FEATURE("bmi2")
  VMGPU_HOST_FEATURE("lzcnt")
  VMGPU_HOST_FEATURE("movbe")
  VMGPU_HOST_FEATURE("avx512f")
  VMGPU_HOST_FEATURE("avx512bw")
  VMGPU_HOST_FEATURE("avx512dq")
  VMGPU_HOST_FEATURE("avx512vl")
  VMGPU_HOST_FEATURE("avx512cd")
  VMGPU_HOST_FEATURE("avx512vnni")
  VMGPU_HOST_FEATURE("avx512bf16")
  VMGPU_HOST_FEATURE("avx512fp16")
  VMGPU_HOST_FEATURE("avx512vbmi")
  VMGPU_HOST_FEATURE("avx512vbmi2")
  VMGPU_HOST_FEATURE("avx512bitalg")
  VMGPU_HOST_FEATURE("avx512vpopcntdq")
  VMGPU_HOST_FEATURE("avx512ifma")
  VMGPU_HOST_FEATURE("avxvnni")
  VMGPU_HOST_FEATURE("gfni")
#undef VMGPU_HOST_FEATURE
#endif
  (void)feature;
  return std::nullopt;
}

std::vector<std::string>
missingHostCpuFeatures(const std::vector<std::string> &features) {
  std::vector<std::string> missing;
  for (const std::string &feature : features) {
    std::optional<bool> present = hostCpuHasFeature(feature);
    if (present && !*present)
      missing.push_back(feature);
  }
  return missing;
}

} // namespace vmgpu::runtime
