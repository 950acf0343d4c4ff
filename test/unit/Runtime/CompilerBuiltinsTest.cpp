//===- CompilerBuiltinsTest.cpp - the 16-bit float libcalls of blocks -----===//

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

extern "C" __bf16 __truncsfbf2(float value);
extern "C" __bf16 __truncdfbf2(double value);
extern "C" _Float16 __truncsfhf2(float value);
extern "C" _Float16 __truncdfhf2(double value);
extern "C" float __extendhfsf2(_Float16 value);

namespace {

template <class T> uint16_t bits(T value) {
  static_assert(sizeof(T) == sizeof(uint16_t));
  uint16_t result;
  std::memcpy(&result, &value, sizeof(result));
  return result;
}

_Float16 halfFromBits(uint16_t value) {
  _Float16 result;
  std::memcpy(&result, &value, sizeof(result));
  return result;
}

float fromBits(uint32_t value) {
  float result;
  std::memcpy(&result, &value, sizeof(result));
  return result;
}

TEST(CompilerBuiltinsTest, FloatToBf16RoundsToNearestEven) {
  EXPECT_EQ(bits(__truncsfbf2(1.0f)), 0x3f80);
  // Halfway between 0x3f80 and 0x3f81: to the even one, 0x3f80.
  EXPECT_EQ(bits(__truncsfbf2(fromBits(0x3f808000))), 0x3f80);
  // Halfway between 0x3f81 and 0x3f82: to the even one, 0x3f82.
  EXPECT_EQ(bits(__truncsfbf2(fromBits(0x3f818000))), 0x3f82);
  // Just above halfway rounds up.
  EXPECT_EQ(bits(__truncsfbf2(fromBits(0x3f808001))), 0x3f81);
  EXPECT_EQ(bits(__truncsfbf2(-2.5f)), 0xc020);
  // 2^24 + 2^16 lies halfway between 16777216 (0x4b80) and 16908288
  // (0x4b81): to even; anything above it rounds up.
  EXPECT_EQ(bits(__truncsfbf2(16842752.0f)), 0x4b80);
  EXPECT_EQ(bits(__truncsfbf2(fromBits(0x4b808001))), 0x4b81);
}

TEST(CompilerBuiltinsTest, FloatToBf16KeepsSpecialValues) {
  EXPECT_EQ(bits(__truncsfbf2(std::numeric_limits<float>::infinity())), 0x7f80);
  EXPECT_EQ(bits(__truncsfbf2(-0.0f)), 0x8000);
  // Denormals are rounded, not flushed.
  EXPECT_EQ(bits(__truncsfbf2(fromBits(0x00010000))), 0x0001);
  // The largest float rounds up to infinity.
  EXPECT_EQ(bits(__truncsfbf2(std::numeric_limits<float>::max())), 0x7f80);
  uint16_t nan = bits(__truncsfbf2(std::nanf("")));
  EXPECT_EQ(nan & 0x7f80, 0x7f80);
  EXPECT_NE(nan & 0x007f, 0);
  // A NaN whose payload sits in the dropped bits stays a NaN.
  uint16_t lowNan = bits(__truncsfbf2(fromBits(0x7f800001)));
  EXPECT_NE(lowNan & 0x007f, 0);
}

TEST(CompilerBuiltinsTest, DoubleToBf16RoundsOnce) {
  EXPECT_EQ(bits(__truncdfbf2(1.0)), 0x3f80);
  // 1 + 2^-8 + 2^-30: through float to nearest it would lose the 2^-30
  // and tie to 1.0; rounded once it is above the halfway point.
  EXPECT_EQ(bits(__truncdfbf2(1.0 + std::ldexp(1.0, -8) + std::ldexp(1.0, -30))),
            0x3f81);
  EXPECT_EQ(bits(__truncdfbf2(1.0 + std::ldexp(1.0, -8))), 0x3f80);
  EXPECT_EQ(bits(__truncdfbf2(1e300)), 0x7f80);
  EXPECT_EQ(bits(__truncdfbf2(-1e-300)), 0x8000);
  EXPECT_NE(bits(__truncdfbf2(std::nan(""))) & 0x007f, 0);
}

TEST(CompilerBuiltinsTest, FloatToHalfRoundsToNearestEven) {
  EXPECT_EQ(bits(__truncsfhf2(1.0f)), 0x3c00);
  // 1 + 2^-11 is halfway between 1 and the next half, 1 + 2^-10: ties go to
  // the even one; 1 + 3 * 2^-11 ties up to 1 + 2^-9.
  EXPECT_EQ(bits(__truncsfhf2(1.0f + std::ldexp(1.0f, -11))), 0x3c00);
  EXPECT_EQ(bits(__truncsfhf2(1.0f + 3 * std::ldexp(1.0f, -11))), 0x3c02);
  EXPECT_EQ(bits(__truncsfhf2(-2.5f)), 0xc100);
  // 65504 is the largest half; from 65520 on it rounds to infinity.
  EXPECT_EQ(bits(__truncsfhf2(65519.0f)), 0x7bff);
  EXPECT_EQ(bits(__truncsfhf2(65520.0f)), 0x7c00);
  EXPECT_EQ(bits(__truncsfhf2(-0.0f)), 0x8000);
  // Subnormals: 2^-24 is the smallest; half of it ties to zero.
  EXPECT_EQ(bits(__truncsfhf2(std::ldexp(1.0f, -24))), 0x0001);
  EXPECT_EQ(bits(__truncsfhf2(std::ldexp(1.0f, -25))), 0x0000);
  EXPECT_EQ(bits(__truncsfhf2(std::ldexp(1.0f, -25) + std::ldexp(1.0f, -40))),
            0x0001);
  uint16_t nan = bits(__truncsfhf2(std::nanf("")));
  EXPECT_EQ(nan & 0x7c00, 0x7c00);
  EXPECT_NE(nan & 0x03ff, 0);
}

TEST(CompilerBuiltinsTest, DoubleToHalfRoundsOnce) {
  EXPECT_EQ(bits(__truncdfhf2(1.0)), 0x3c00);
  // 1 + 2^-11 + 2^-40: through float to nearest it would lose the 2^-40
  // and tie to 1.0; rounded once it is above the halfway point.
  EXPECT_EQ(bits(__truncdfhf2(1.0 + std::ldexp(1.0, -11) + std::ldexp(1.0, -40))),
            0x3c01);
  EXPECT_EQ(bits(__truncdfhf2(1.0 + std::ldexp(1.0, -11))), 0x3c00);
  EXPECT_EQ(bits(__truncdfhf2(65519.99)), 0x7bff);
  EXPECT_EQ(bits(__truncdfhf2(1e300)), 0x7c00);
  EXPECT_EQ(bits(__truncdfhf2(-1e-300)), 0x8000);
  EXPECT_NE(bits(__truncdfhf2(std::nan(""))) & 0x03ff, 0);
}

TEST(CompilerBuiltinsTest, HalfToFloatIsExact) {
  EXPECT_EQ(__extendhfsf2(halfFromBits(0x3c01)), 1.0f + std::ldexp(1.0f, -10));
  EXPECT_EQ(__extendhfsf2(halfFromBits(0x0001)), std::ldexp(1.0f, -24));
  EXPECT_EQ(__extendhfsf2(halfFromBits(0xfc00)),
            -std::numeric_limits<float>::infinity());
  EXPECT_TRUE(std::isnan(__extendhfsf2(halfFromBits(0x7e00))));
}

} // namespace
