//===- HostTensor.cpp - element types and dense host tensors --------------===//

#include "vmgpu/runtime/HostTensor.h"

#include "vmgpu/runtime/Float16.h"

#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace vmgpu::runtime {

size_t elementByteSize(ElementType type) {
  switch (type) {
  case ElementType::I1:
  case ElementType::I8:
    return 1;
  case ElementType::I16:
  case ElementType::F16:
  case ElementType::BF16:
    return 2;
  case ElementType::I32:
  case ElementType::F32:
    return 4;
  case ElementType::I64:
  case ElementType::F64:
    return 8;
  }
  return 1;
}

unsigned elementBitWidth(ElementType type) {
  return type == ElementType::I1
             ? 1u
             : static_cast<unsigned>(elementByteSize(type) * 8);
}

const char *elementTypeName(ElementType type) {
  switch (type) {
  case ElementType::I1:
    return "i1";
  case ElementType::I8:
    return "i8";
  case ElementType::I16:
    return "i16";
  case ElementType::I32:
    return "i32";
  case ElementType::I64:
    return "i64";
  case ElementType::F16:
    return "f16";
  case ElementType::BF16:
    return "bf16";
  case ElementType::F32:
    return "f32";
  case ElementType::F64:
    return "f64";
  }
  return "unknown";
}

std::optional<ElementType> parseElementType(std::string_view name) {
  for (ElementType type : kAllElementTypes)
    if (name == elementTypeName(type))
      return type;
  return std::nullopt;
}

bool isFloatType(ElementType type) {
  switch (type) {
  case ElementType::F16:
  case ElementType::BF16:
  case ElementType::F32:
  case ElementType::F64:
    return true;
  case ElementType::I1:
  case ElementType::I8:
  case ElementType::I16:
  case ElementType::I32:
  case ElementType::I64:
    return false;
  }
  return false;
}

bool isIntegerType(ElementType type) { return !isFloatType(type); }

StatusOr<int64_t> checkedNumElements(const std::vector<int64_t> &shape,
                                     size_t elementSize) {
  int64_t count = 1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] < 0)
      return invalidArgumentError("dimension " + std::to_string(i) +
                                  " is negative (" + std::to_string(shape[i]) +
                                  ")");
  }
  // Multiply only after checking for zero dims: [0, 2^62, 2^62] is a valid
  // empty shape.
  for (int64_t dim : shape)
    if (dim == 0)
      return int64_t(0);
  for (int64_t dim : shape) {
    if (count > std::numeric_limits<int64_t>::max() / dim)
      return resourceExhaustedError("shape element count overflows int64");
    count *= dim;
  }
  if (elementSize != 0 &&
      static_cast<uint64_t>(count) >
          static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) /
              elementSize)
    return resourceExhaustedError("shape byte size overflows int64");
  return count;
}

// Empty tensors share this buffer, so bytes() is never null and a default
// tensor needs no allocation.
alignas(HostTensor::kAlignment) static std::byte
    emptyBuffer[HostTensor::kAlignment];

void HostTensor::BufferDeleter::operator()(std::byte *p) const {
  if (p == emptyBuffer)
    return;
  if (release)
    release(p, owner);
  else
    std::free(p);
}

StatusOr<HostTensor> HostTensor::adopt(ElementType type,
                                       std::vector<int64_t> shape,
                                       std::byte *buffer,
                                       ReleaseFunction release,
                                       const void *owner) {
  // Without a release function the buffer stays the caller's: freeing it
  // with free() could be wrong (device memory).
  if (!release)
    return invalidArgumentError("HostTensor::adopt needs a release function");
  Buffer owned(buffer, BufferDeleter{release, owner});
  if (!buffer)
    return invalidArgumentError("HostTensor::adopt needs a buffer");
  StatusOr<int64_t> count = checkedNumElements(shape, elementByteSize(type));
  if (!count.isOk())
    return count.status();
  size_t bytes = static_cast<size_t>(*count) * elementByteSize(type);
  return HostTensor(type, std::move(shape), *count, bytes, std::move(owned));
}

HostTensor::HostTensor()
    : type_(ElementType::F32), shape_{0}, numElements_(0), sizeInBytes_(0),
      buffer_(&emptyBuffer[0]) {}

HostTensor::HostTensor(ElementType type, std::vector<int64_t> shape,
                       int64_t numElements, size_t sizeInBytes,
                       Buffer buffer)
    : type_(type), shape_(std::move(shape)), numElements_(numElements),
      sizeInBytes_(sizeInBytes), buffer_(std::move(buffer)) {}

HostTensor::HostTensor(HostTensor &&other) noexcept
    : type_(other.type_), shape_(std::move(other.shape_)),
      numElements_(other.numElements_), sizeInBytes_(other.sizeInBytes_),
      buffer_(std::move(other.buffer_)) {
  other.type_ = ElementType::F32;
  other.shape_ = {0};
  other.numElements_ = 0;
  other.sizeInBytes_ = 0;
  other.buffer_ = Buffer(&emptyBuffer[0]);
}

HostTensor &HostTensor::operator=(HostTensor &&other) noexcept {
  if (this == &other)
    return *this;
  type_ = other.type_;
  shape_ = std::move(other.shape_);
  numElements_ = other.numElements_;
  sizeInBytes_ = other.sizeInBytes_;
  buffer_ = std::move(other.buffer_);
  other.type_ = ElementType::F32;
  other.shape_ = {0};
  other.numElements_ = 0;
  other.sizeInBytes_ = 0;
  other.buffer_ = Buffer(&emptyBuffer[0]);
  return *this;
}

StatusOr<uint64_t> checkedTensorBytes(ElementType type,
                                      const std::vector<int64_t> &shape) {
  size_t elementSize = elementByteSize(type);
  StatusOr<int64_t> count = checkedNumElements(shape, elementSize);
  if (!count.isOk())
    return count.status().withContext(
        "cannot create a " + std::string(elementTypeName(type)) + " tensor");
  uint64_t bytes = static_cast<uint64_t>(*count) * elementSize;
  if (bytes > HostTensor::kMaxSizeInBytes)
    return resourceExhaustedError(
        "cannot create a tensor of " + std::to_string(bytes) +
        " bytes: the limit is " + std::to_string(HostTensor::kMaxSizeInBytes));
  return bytes;
}

StatusOr<HostTensor>
HostTensor::allocate(ElementType type, std::vector<int64_t> shape, bool zero) {
  VMGPU_ASSIGN_OR_RETURN(uint64_t bytes, checkedTensorBytes(type, shape));
  int64_t count = static_cast<int64_t>(bytes / elementByteSize(type));
  if (bytes == 0)
    return HostTensor(type, std::move(shape), count, 0,
                      Buffer(&emptyBuffer[0]));
  // aligned_alloc wants a size that is a multiple of the alignment.
  size_t rounded =
      static_cast<size_t>((bytes + kAlignment - 1) / kAlignment * kAlignment);
  auto *raw = static_cast<std::byte *>(std::aligned_alloc(kAlignment, rounded));
  if (!raw)
    return outOfMemoryError("cannot allocate " + std::to_string(bytes) +
                            " bytes for a host tensor");
  if (zero)
    std::memset(raw, 0, rounded);
  else if (rounded != bytes) // Keep the padding deterministic.
    std::memset(raw + bytes, 0, rounded - bytes);
  return HostTensor(type, std::move(shape), count, static_cast<size_t>(bytes),
                    Buffer(raw));
}

StatusOr<HostTensor> HostTensor::create(ElementType type,
                                        std::vector<int64_t> shape) {
  return allocate(type, std::move(shape), /*zero=*/true);
}

StatusOr<HostTensor>
HostTensor::createUninitialized(ElementType type, std::vector<int64_t> shape) {
  return allocate(type, std::move(shape), /*zero=*/false);
}

StatusOr<HostTensor> HostTensor::fromBytes(ElementType type,
                                           std::vector<int64_t> shape,
                                           const void *data, size_t size) {
  StatusOr<HostTensor> tensor = createUninitialized(type, std::move(shape));
  if (!tensor.isOk())
    return tensor;
  if (tensor->sizeInBytes() != size)
    return invalidArgumentError(
        "HostTensor::fromBytes: " + tensor->typeString() + " needs " +
        std::to_string(tensor->sizeInBytes()) + " bytes, got " +
        std::to_string(size));
  if (size != 0)
    std::memcpy(tensor->bytes(), data, size);
  if (type == ElementType::I1) {
    auto *values = tensor->data<uint8_t>();
    for (size_t i = 0; i < size; ++i)
      values[i] = values[i] != 0;
  }
  return tensor;
}

StatusOr<HostTensor> HostTensor::clone() const {
  return fromBytes(type_, shape_, bytes(), sizeInBytes_);
}

template <class T> static T loadElement(const std::byte *base, int64_t index) {
  T value;
  std::memcpy(&value, base + index * static_cast<int64_t>(sizeof(T)),
              sizeof(T));
  return value;
}

double HostTensor::elementAsDouble(int64_t index) const {
  const std::byte *base = bytes();
  switch (type_) {
  case ElementType::I1:
    return loadElement<uint8_t>(base, index) != 0 ? 1.0 : 0.0;
  case ElementType::I8:
    return loadElement<int8_t>(base, index);
  case ElementType::I16:
    return loadElement<int16_t>(base, index);
  case ElementType::I32:
    return loadElement<int32_t>(base, index);
  case ElementType::I64:
    return static_cast<double>(loadElement<int64_t>(base, index));
  case ElementType::F16:
    return halfToFloat(loadElement<uint16_t>(base, index));
  case ElementType::BF16:
    return bfloat16ToFloat(loadElement<uint16_t>(base, index));
  case ElementType::F32:
    return loadElement<float>(base, index);
  case ElementType::F64:
    return loadElement<double>(base, index);
  }
  return 0.0;
}

std::string HostTensor::typeString() const {
  std::string result = "tensor<";
  for (int64_t dim : shape_) {
    result += std::to_string(dim);
    result += 'x';
  }
  result += elementTypeName(type_);
  result += '>';
  return result;
}

bool HostTensor::sameTypeAndShape(const HostTensor &other) const {
  return type_ == other.type_ && shape_ == other.shape_;
}

bool HostTensor::bitwiseEqual(const HostTensor &other) const {
  return sameTypeAndShape(other) &&
         (sizeInBytes_ == 0 ||
          std::memcmp(bytes(), other.bytes(), sizeInBytes_) == 0);
}

// Integers print exactly (an i64 does not survive a trip through double).
static std::string formatElement(const HostTensor &tensor, int64_t index) {
  char buffer[64];
  switch (tensor.elementType()) {
  case ElementType::I64:
    std::snprintf(buffer, sizeof(buffer), "%" PRId64,
                  loadElement<int64_t>(tensor.bytes(), index));
    break;
  case ElementType::I1:
  case ElementType::I8:
  case ElementType::I16:
  case ElementType::I32:
    std::snprintf(buffer, sizeof(buffer), "%.0f",
                  tensor.elementAsDouble(index));
    break;
  case ElementType::F16:
  case ElementType::BF16:
  case ElementType::F32:
    std::snprintf(buffer, sizeof(buffer), "%.9g",
                  tensor.elementAsDouble(index));
    break;
  case ElementType::F64:
    std::snprintf(buffer, sizeof(buffer), "%.17g",
                  tensor.elementAsDouble(index));
    break;
  }
  return buffer;
}

static std::string formatIndex(const std::vector<int64_t> &shape,
                               int64_t flat) {
  std::vector<int64_t> index(shape.size());
  for (size_t i = shape.size(); i-- > 0;) {
    index[i] = flat % shape[i];
    flat /= shape[i];
  }
  std::string result = "[";
  for (size_t i = 0; i < index.size(); ++i) {
    if (i)
      result += ", ";
    result += std::to_string(index[i]);
  }
  return result + "]";
}

static bool elementsMatch(const HostTensor &expected, const HostTensor &actual,
                          int64_t index, double rtol, double atol) {
  ElementType type = expected.elementType();
  if (type == ElementType::I64)
    return loadElement<int64_t>(expected.bytes(), index) ==
           loadElement<int64_t>(actual.bytes(), index);
  double e = expected.elementAsDouble(index);
  double a = actual.elementAsDouble(index);
  if (isIntegerType(type))
    return e == a;
  if (std::isnan(e) || std::isnan(a))
    return std::isnan(e) && std::isnan(a);
  if (std::isinf(e) || std::isinf(a))
    return e == a;
  return std::fabs(a - e) <= atol + rtol * std::fabs(e);
}

Status compareTensors(const HostTensor &expected, const HostTensor &actual,
                      double rtol, double atol) {
  if (!expected.sameTypeAndShape(actual))
    return invalidArgumentError("expected " + expected.typeString() + ", got " +
                                actual.typeString());
  int64_t mismatches = 0;
  int64_t first = -1;
  for (int64_t i = 0, e = expected.numElements(); i < e; ++i) {
    if (elementsMatch(expected, actual, i, rtol, atol))
      continue;
    if (mismatches++ == 0)
      first = i;
  }
  if (mismatches == 0)
    return okStatus();
  return invalidArgumentError(
      std::to_string(mismatches) + " of " +
      std::to_string(expected.numElements()) + " elements of " +
      expected.typeString() + " differ; first at " +
      formatIndex(expected.shape(), first) + ": expected " +
      formatElement(expected, first) + ", got " + formatElement(actual, first));
}

} // namespace vmgpu::runtime
