//===- HostTensorTest.cpp - element types, HostTensor, f16/bf16 -----------===//

#include "vmgpu/runtime/HostTensor.h"
#include "vmgpu/runtime/Float16.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

using namespace vmgpu::runtime;

namespace {

TEST(ElementTypeTest, NamesSizesAndParsing) {
  struct Case {
    ElementType type;
    const char *name;
    size_t bytes;
    unsigned bits;
    bool isFloat;
  };
  const Case cases[] = {
      {ElementType::I1, "i1", 1, 1, false},
      {ElementType::I8, "i8", 1, 8, false},
      {ElementType::I16, "i16", 2, 16, false},
      {ElementType::I32, "i32", 4, 32, false},
      {ElementType::I64, "i64", 8, 64, false},
      {ElementType::F16, "f16", 2, 16, true},
      {ElementType::BF16, "bf16", 2, 16, true},
      {ElementType::F32, "f32", 4, 32, true},
      {ElementType::F64, "f64", 8, 64, true},
  };
  ASSERT_EQ(std::size(cases), std::size(kAllElementTypes));
  for (size_t i = 0; i < std::size(cases); ++i) {
    const Case &c = cases[i];
    EXPECT_EQ(kAllElementTypes[i], c.type);
    EXPECT_STREQ(elementTypeName(c.type), c.name);
    EXPECT_EQ(elementByteSize(c.type), c.bytes) << c.name;
    EXPECT_EQ(elementBitWidth(c.type), c.bits) << c.name;
    EXPECT_EQ(isFloatType(c.type), c.isFloat) << c.name;
    EXPECT_EQ(isIntegerType(c.type), !c.isFloat) << c.name;
    EXPECT_EQ(parseElementType(c.name), c.type) << c.name;
  }
  for (const char *bad : {"", "i", "ui8", "si32", "I32", " i32", "i32 ",
                          "index", "f80", "tensor<f32>", "float"})
    EXPECT_FALSE(parseElementType(bad).has_value()) << bad;
}

int releases = 0;
void countRelease(std::byte *buffer, const void *owner) {
  EXPECT_EQ(owner, &releases);
  std::free(buffer);
  ++releases;
}

TEST(HostTensorTest, AdoptedBuffersGoBackToTheirOwner) {
  releases = 0;
  auto *buffer = static_cast<std::byte *>(std::malloc(3 * sizeof(float)));
  {
    StatusOr<HostTensor> tensor = HostTensor::adopt(
        ElementType::F32, {3}, buffer, countRelease, &releases);
    ASSERT_TRUE(tensor.isOk()) << tensor.status().toString();
    EXPECT_EQ(tensor->owner(), &releases);
    EXPECT_EQ(tensor->bytes(), buffer);
    EXPECT_EQ(tensor->sizeInBytes(), 3 * sizeof(float));
    HostTensor moved = std::move(tensor).value();
    EXPECT_EQ(moved.owner(), &releases);
    EXPECT_EQ(releases, 0);
  }
  EXPECT_EQ(releases, 1);
  // Heap tensors have no owner.
  EXPECT_EQ(HostTensor::create(ElementType::I8, {2})->owner(), nullptr);
}

TEST(HostTensorTest, AdoptRejectsBadArgumentsAndStillReleases) {
  releases = 0;
  EXPECT_EQ(HostTensor::adopt(ElementType::F32, {1}, nullptr, countRelease,
                              &releases)
                .status()
                .code(),
            StatusCode::InvalidArgument);
  EXPECT_EQ(releases, 0);
  auto *buffer = static_cast<std::byte *>(std::malloc(4));
  EXPECT_EQ(HostTensor::adopt(ElementType::F32, {-1}, buffer, countRelease,
                              &releases)
                .status()
                .code(),
            StatusCode::InvalidArgument);
  EXPECT_EQ(releases, 1);
}

TEST(HostTensorTest, DefaultIsEmpty) {
  HostTensor tensor;
  EXPECT_EQ(tensor.elementType(), ElementType::F32);
  EXPECT_EQ(tensor.shape(), std::vector<int64_t>{0});
  EXPECT_EQ(tensor.numElements(), 0);
  EXPECT_EQ(tensor.sizeInBytes(), 0u);
  EXPECT_NE(tensor.bytes(), nullptr);
}

TEST(HostTensorTest, CreateIsZeroedAndAligned) {
  StatusOr<HostTensor> tensor = HostTensor::create(ElementType::F32, {2, 3});
  ASSERT_TRUE(tensor.isOk()) << tensor.status().toString();
  EXPECT_EQ(tensor->rank(), 2);
  EXPECT_EQ(tensor->dim(1), 3);
  EXPECT_EQ(tensor->numElements(), 6);
  EXPECT_EQ(tensor->sizeInBytes(), 24u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(tensor->bytes()) %
                HostTensor::kAlignment,
            0u);
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(tensor->data<float>()[i], 0.0f);
  EXPECT_EQ(tensor->typeString(), "tensor<2x3xf32>");
}

TEST(HostTensorTest, ScalarAndEmptyShapes) {
  StatusOr<HostTensor> scalar = HostTensor::create(ElementType::I64, {});
  ASSERT_TRUE(scalar.isOk());
  EXPECT_EQ(scalar->rank(), 0);
  EXPECT_EQ(scalar->numElements(), 1);
  EXPECT_EQ(scalar->sizeInBytes(), 8u);
  EXPECT_EQ(scalar->typeString(), "tensor<i64>");

  StatusOr<HostTensor> empty = HostTensor::create(ElementType::F16, {4, 0, 2});
  ASSERT_TRUE(empty.isOk());
  EXPECT_EQ(empty->numElements(), 0);
  EXPECT_EQ(empty->sizeInBytes(), 0u);
  EXPECT_NE(empty->bytes(), nullptr);
  EXPECT_EQ(empty->typeString(), "tensor<4x0x2xf16>");

  // A zero dim makes any other dim size harmless.
  int64_t huge = std::numeric_limits<int64_t>::max();
  EXPECT_TRUE(HostTensor::create(ElementType::F64, {huge, 0, huge}).isOk());
}

TEST(HostTensorTest, RejectsBadShapes) {
  EXPECT_EQ(HostTensor::create(ElementType::F32, {2, -1}).status().code(),
            StatusCode::InvalidArgument);
  int64_t big = int64_t(1) << 40;
  EXPECT_EQ(HostTensor::create(ElementType::I8, {big, big}).status().code(),
            StatusCode::ResourceExhausted);
  // Fits in int64 as a count, but not as bytes.
  EXPECT_EQ(
      HostTensor::create(ElementType::F64, {int64_t(1) << 61}).status().code(),
      StatusCode::ResourceExhausted);
  // Over the allocation limit.
  EXPECT_EQ(HostTensor::create(ElementType::I8,
                               {int64_t(HostTensor::kMaxSizeInBytes) + 1})
                .status()
                .code(),
            StatusCode::ResourceExhausted);
  StatusOr<int64_t> count = checkedNumElements({3, 4}, 8);
  ASSERT_TRUE(count.isOk());
  EXPECT_EQ(*count, 12);
}

TEST(HostTensorTest, FromBytesAndVector) {
  std::vector<int32_t> values = {1, -2, 3, -4};
  StatusOr<HostTensor> tensor =
      HostTensor::fromVector(ElementType::I32, {2, 2}, values);
  ASSERT_TRUE(tensor.isOk());
  EXPECT_EQ(tensor->data<int32_t>()[3], -4);
  EXPECT_EQ(tensor->elementAsDouble(1), -2.0);

  EXPECT_EQ(
      HostTensor::fromVector(ElementType::I32, {3}, values).status().code(),
      StatusCode::InvalidArgument);
  EXPECT_EQ(
      HostTensor::fromVector(ElementType::I64, {4}, values).status().code(),
      StatusCode::InvalidArgument);

  uint8_t flags[] = {0, 1, 2, 255};
  StatusOr<HostTensor> mask =
      HostTensor::fromBytes(ElementType::I1, {4}, flags, sizeof(flags));
  ASSERT_TRUE(mask.isOk());
  const uint8_t expected[] = {0, 1, 1, 1};
  EXPECT_EQ(std::memcmp(mask->bytes(), expected, 4), 0);
}

TEST(HostTensorTest, CloneMoveAndEquality) {
  StatusOr<HostTensor> a =
      HostTensor::fromVector<float>(ElementType::F32, {3}, {1.0f, 2.0f, 3.0f});
  ASSERT_TRUE(a.isOk());
  StatusOr<HostTensor> b = a->clone();
  ASSERT_TRUE(b.isOk());
  EXPECT_NE(a->bytes(), b->bytes());
  EXPECT_TRUE(a->bitwiseEqual(*b));
  b->data<float>()[2] = 4.0f;
  EXPECT_FALSE(a->bitwiseEqual(*b));
  EXPECT_TRUE(a->sameTypeAndShape(*b));

  HostTensor moved = std::move(*b);
  EXPECT_EQ(moved.data<float>()[2], 4.0f);
  EXPECT_EQ(b->numElements(), 0);
  EXPECT_NE(b->bytes(), nullptr);
  HostTensor assigned;
  assigned = std::move(moved);
  EXPECT_EQ(assigned.numElements(), 3);
  EXPECT_EQ(moved.numElements(), 0);
}

TEST(HostTensorTest, CompareTensors) {
  auto make = [](std::vector<float> v, std::vector<int64_t> shape) {
    return HostTensor::fromVector(ElementType::F32, std::move(shape), v)
        .value();
  };
  float nan = std::numeric_limits<float>::quiet_NaN();
  float inf = std::numeric_limits<float>::infinity();
  HostTensor expected = make({1.0f, nan, inf, 4.0f}, {2, 2});
  EXPECT_TRUE(
      compareTensors(expected, make({1.0f, nan, inf, 4.0f}, {2, 2})).isOk());
  EXPECT_TRUE(
      compareTensors(expected, make({1.001f, nan, inf, 4.0f}, {2, 2}), 1e-2)
          .isOk());
  Status mismatch =
      compareTensors(expected, make({1.0f, nan, -inf, 5.0f}, {2, 2}));
  ASSERT_FALSE(mismatch.isOk());
  EXPECT_EQ(mismatch.message(),
            "2 of 4 elements of tensor<2x2xf32> differ; first at [1, 0]: "
            "expected inf, got -inf");
  EXPECT_FALSE(
      compareTensors(expected, make({1.0f, 0.0f, inf, 4.0f}, {2, 2})).isOk());
  Status shape = compareTensors(expected, make({1, 2, 3, 4}, {4}));
  EXPECT_EQ(shape.message(), "expected tensor<2x2xf32>, got tensor<4xf32>");

  auto i64 = [](int64_t v) {
    return HostTensor::fromVector<int64_t>(ElementType::I64, {1}, {v}).value();
  };
  int64_t big = (int64_t(1) << 60) + 1;
  Status exact = compareTensors(i64(big), i64(big - 1), 1.0, 1.0);
  EXPECT_EQ(exact.message(),
            "1 of 1 elements of tensor<1xi64> differ; first at [0]: expected "
            "1152921504606846977, got 1152921504606846976");
}

TEST(Float16Test, HalfRoundTripsEveryValue) {
  for (uint32_t bits = 0; bits <= 0xffff; ++bits) {
    float value = halfToFloat(static_cast<uint16_t>(bits));
    if (std::isnan(value)) {
      EXPECT_TRUE(std::isnan(halfToFloat(floatToHalf(value))));
      continue;
    }
    ASSERT_EQ(floatToHalf(value), bits) << "bits " << bits;
  }
}

TEST(Float16Test, HalfKnownValues) {
  EXPECT_EQ(floatToHalf(1.0f), 0x3c00);
  EXPECT_EQ(floatToHalf(-2.0f), 0xc000);
  EXPECT_EQ(floatToHalf(65504.0f), 0x7bff);
  EXPECT_EQ(floatToHalf(65519.0f), 0x7bff);
  EXPECT_EQ(floatToHalf(65520.0f), 0x7c00);
  EXPECT_EQ(floatToHalf(1e10f), 0x7c00);
  EXPECT_EQ(floatToHalf(-0.0f), 0x8000);
  EXPECT_EQ(floatToHalf(std::ldexp(1.0f, -24)), 0x0001);
  EXPECT_EQ(floatToHalf(std::ldexp(1.0f, -25)), 0x0000); // Tie to even.
  EXPECT_EQ(floatToHalf(std::ldexp(1.5f, -25)), 0x0001);
  EXPECT_EQ(floatToHalf(std::ldexp(3.0f, -25)), 0x0002); // Tie to even.
  // 1 + 2^-11 is halfway between 1 and the next half: ties to even (1).
  EXPECT_EQ(floatToHalf(1.0f + std::ldexp(1.0f, -11)), 0x3c00);
  EXPECT_EQ(floatToHalf(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3c02);
  EXPECT_EQ(halfToFloat(0x3555), 0.333251953125f);
  EXPECT_EQ(halfToFloat(0x0001), std::ldexp(1.0f, -24));
  EXPECT_TRUE(std::isinf(halfToFloat(0xfc00)));
  EXPECT_TRUE(std::isnan(halfToFloat(0x7e00)));
  EXPECT_EQ(floatToHalf(std::numeric_limits<float>::quiet_NaN()) & 0x7e00,
            0x7e00);
}

TEST(Float16Test, BFloat16) {
  EXPECT_EQ(floatToBFloat16(1.0f), 0x3f80);
  EXPECT_EQ(bfloat16ToFloat(0x3f80), 1.0f);
  EXPECT_EQ(bfloat16ToFloat(0xc0490000 >> 16), -3.140625f);
  // 1 + 2^-8 is halfway between bf16 neighbours: ties to even (1).
  EXPECT_EQ(floatToBFloat16(1.0f + std::ldexp(1.0f, -8)), 0x3f80);
  EXPECT_EQ(floatToBFloat16(1.0f + 3 * std::ldexp(1.0f, -8)), 0x3f82);
  EXPECT_TRUE(std::isnan(bfloat16ToFloat(
      floatToBFloat16(std::numeric_limits<float>::quiet_NaN()))));
  EXPECT_EQ(floatToBFloat16(std::numeric_limits<float>::infinity()), 0x7f80);
  for (uint32_t bits = 0; bits <= 0xffff; ++bits) {
    float value = bfloat16ToFloat(static_cast<uint16_t>(bits));
    if (!std::isnan(value)) {
      ASSERT_EQ(floatToBFloat16(value), bits);
    }
  }
}

} // namespace
