//===- CompilerBuiltins.cpp - libcalls LLVM emits into CPU blocks ---------===//
//
// LLVM's x86 backend lowers the 16-bit float operations a CPU cannot do
// natively to calls of compiler-rt/libgcc functions: bf16 (without
// AVX512-BF16: llvm.floor.bf16, a conversion to bf16, a select it promotes
// to f32) through `__truncsfbf2`/`__truncdfbf2`, and f16 conversions
// through `__truncdfhf2` (f64 -> f16 has no instruction before
// AVX512-FP16) and, without F16C, `__truncsfhf2`/`__extendhfsf2`. Blocks
// are linked without compiler-rt and resolve their undefined symbols in the
// process that loads them, which need not have libgcc_s (libvmgpu.so and
// the bundle's tools link libgcc statically, and its copies are not
// exported), so the runtime defines the conversions here and the
// executables and libvmgpu.so export them (tools/vm-gpu-exec/
// exported-symbols.list). Each rounds once to nearest even, as DESIGN.md
// requires, and keeps NaNs NaN.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/runtime/Float16.h"

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

/// `value` rounded to float toward zero, with the lowest bit set when that
/// was inexact ("round to odd"): it keeps every bit a second rounding to a
/// type of at most 22 significand bits needs, so that rounding to nearest
/// even then rounds the double once. NaN stays NaN.
float roundToOddFloat(double value) {
  float truncated = static_cast<float>(value);
  if (std::isnan(value))
    return truncated;
  if (std::fabs(static_cast<double>(truncated)) > std::fabs(value))
    truncated = std::nextafter(truncated, 0.0f);
  if (static_cast<double>(truncated) != value) {
    uint32_t bits;
    std::memcpy(&bits, &truncated, sizeof(bits));
    bits |= 1;
    std::memcpy(&truncated, &bits, sizeof(bits));
  }
  return truncated;
}

template <class T> T fromBits(uint16_t bits) {
  static_assert(sizeof(T) == sizeof(bits));
  T result;
  std::memcpy(&result, &bits, sizeof(result));
  return result;
}

} // namespace

extern "C" {

__bf16 __truncsfbf2(float value) {
  return fromBits<__bf16>(roundToBf16Bits(value));
}

__bf16 __truncdfbf2(double value) {
  return fromBits<__bf16>(roundToBf16Bits(roundToOddFloat(value)));
}

_Float16 __truncsfhf2(float value) {
  return fromBits<_Float16>(vmgpu::runtime::floatToHalf(value));
}

_Float16 __truncdfhf2(double value) {
  return fromBits<_Float16>(vmgpu::runtime::floatToHalf(roundToOddFloat(value)));
}

float __extendhfsf2(_Float16 value) {
  uint16_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return vmgpu::runtime::halfToFloat(bits);
}

} // extern "C"
