//===- Float16.h - IEEE half and bfloat16 <-> float conversions -*- C++ -*-===//
//
// Host-side conversions for the 16-bit float element types, which have no
// portable C++17 type: tests compare f16/bf16 results through them and the CPU
// reference uses them. Pure functions, thread-safe.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_FLOAT16_H
#define VMGPU_RUNTIME_FLOAT16_H

#include <cstdint>

namespace vmgpu::runtime {

/// IEEE 754 binary16 bits -> float (exact; NaN payloads are kept as quiet).
float halfToFloat(uint16_t bits);
/// float -> IEEE 754 binary16 bits, round to nearest even; overflow gives
/// infinity, NaN stays NaN (quiet).
uint16_t floatToHalf(float value);

/// bfloat16 bits -> float (exact).
float bfloat16ToFloat(uint16_t bits);
/// float -> bfloat16 bits, round to nearest even; NaN stays NaN (quiet).
uint16_t floatToBFloat16(float value);

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_FLOAT16_H
