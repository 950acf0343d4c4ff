//===- HostCpu.h - the CPU features a block's code needs --------*- C++ -*-===//
//
// A block's host code (all of a CPU block, the launching code of a GPU
// block) is compiled for the CPU of the machine that compiles it, with all
// of that CPU's features (AVX-512 on one, AVX2 on another). Run on a CPU
// without one of them, it dies of SIGILL at the first such instruction. So
// an artifact lists the features it was compiled with (LLVM's names), and
// the runtime refuses to load one on a CPU that lacks a feature it can
// check. The runtime does not link LLVM: on x86 it reads CPUID (and XCR0,
// for the register state the OS saves) for a fixed list of the features
// code generation uses without intrinsics (AVX-512 and its extensions,
// AVX2, FMA, F16C, BMI, ...); the compiler turns off the few others it
// could use on its own (lib/Target/Cpu), so every feature compiled code may
// need is checked. Other names (intrinsic-only ones, baseline x86-64), and
// other architectures, are not checked and count as present.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_HOSTCPU_H
#define VMGPU_RUNTIME_HOSTCPU_H

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vmgpu::runtime {

/// Whether this CPU has `feature` (an LLVM feature name such as "avx512f");
/// nullopt when the runtime cannot tell. Thread-safe.
std::optional<bool> hostCpuHasFeature(std::string_view feature);

/// The features hostCpuHasFeature can tell about (LLVM's names).
std::vector<std::string> checkedHostCpuFeatures();

/// The features among `features` this CPU is known to lack, in order.
std::vector<std::string>
missingHostCpuFeatures(const std::vector<std::string> &features);

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_HOSTCPU_H
