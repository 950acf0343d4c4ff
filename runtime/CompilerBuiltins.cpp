//===- CompilerBuiltins.cpp - libcalls LLVM emits into CPU blocks ---------===//
//
// On x86 CPUs without AVX512-BF16, LLVM's backend lowers a bf16 operation it
// cannot do natively (llvm.floor.bf16, a conversion to bf16, a select it
// promotes to f32) through a call of compiler-rt's `__truncsfbf2`. Blocks
// are linked without compiler-rt and resolve their undefined symbols in the
// process that loads them, so the runtime defines the conversions here and
// the executables export them (vmgpu_export_gpu_host_calls in CMake).
// Both round once to nearest even, as DESIGN.md requires, and keep NaNs NaN.
//
//===----------------------------------------------------------------------===//

#include <cmath>
#include <cstdint>
#include <cstring>

namespace {

uint16_t roundToBf16Bits(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  if (std::isnan(value))
    return static_cast<uint16_t>((bits >> 16) | 0x0040); // quiet NaN
  uint32_t rounding = 0x7fff + ((bits >> 16) & 1);
  return static_cast<uint16_t>((bits + rounding) >> 16);
}

__bf16 fromBits(uint16_t bits) {
  __bf16 result;
  std::memcpy(&result, &bits, sizeof(result));
  return result;
}

} // namespace

extern "C" {

__bf16 __truncsfbf2(float value) { return fromBits(roundToBf16Bits(value)); }

/// double -> float rounding to odd keeps every bit the second rounding
/// needs, so float -> bf16 to nearest even then rounds the double once.
__bf16 __truncdfbf2(double value) {
  if (std::isnan(value))
    return fromBits(roundToBf16Bits(static_cast<float>(value)));
  float truncated = static_cast<float>(value);
  if (std::fabs(static_cast<double>(truncated)) > std::fabs(value))
    truncated = std::nextafter(truncated, 0.0f);
  if (static_cast<double>(truncated) != value) {
    uint32_t bits;
    std::memcpy(&bits, &truncated, sizeof(bits));
    bits |= 1;
    std::memcpy(&truncated, &bits, sizeof(bits));
  }
  return fromBits(roundToBf16Bits(truncated));
}

} // extern "C"
