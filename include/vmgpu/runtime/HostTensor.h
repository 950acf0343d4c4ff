//===- HostTensor.h - element types and dense host tensors ------*- C++ -*-===//
//
// The runtime's view of the vm dialect's element types, and HostTensor: a
// dense, row-major tensor in host memory that owns a 64-byte aligned buffer.
// Inputs and outputs cross the engine, the drivers and the .npy reader/writer
// as HostTensors.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_HOSTTENSOR_H
#define VMGPU_RUNTIME_HOSTTENSOR_H

#include "vmgpu/runtime/Status.h"

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vmgpu::runtime {

/// The vm dialect's element types. Integers are signless. The numeric values
/// are stable (the C API exposes them).
enum class ElementType : uint8_t {
  I1 = 0,
  I8 = 1,
  I16 = 2,
  I32 = 3,
  I64 = 4,
  F16 = 5,
  BF16 = 6,
  F32 = 7,
  F64 = 8,
};

/// Every element type, in enum order.
inline constexpr ElementType kAllElementTypes[] = {
    ElementType::I1,   ElementType::I8,  ElementType::I16,
    ElementType::I32,  ElementType::I64, ElementType::F16,
    ElementType::BF16, ElementType::F32, ElementType::F64};

/// Bytes one element occupies in memory. I1 takes one byte (0 or 1).
size_t elementByteSize(ElementType type);
/// The type's bit width as MLIR counts it (I1 -> 1, BF16 -> 16).
unsigned elementBitWidth(ElementType type);
/// The MLIR spelling ("i1", "i32", "bf16", "f64"); a static string.
const char *elementTypeName(ElementType type);
/// Parses the MLIR spelling; nullopt for anything else (including "ui8",
/// "index" and surrounding whitespace).
std::optional<ElementType> parseElementType(std::string_view name);
/// True for F16, BF16, F32, F64.
bool isFloatType(ElementType type);
/// True for I1, I8, I16, I32, I64.
bool isIntegerType(ElementType type);

/// A dense row-major tensor in host memory: element type + shape + an owned
/// buffer of `sizeInBytes()` bytes, aligned to `kAlignment` bytes.
///
/// Ownership: the tensor owns its buffer; it is move-only (copies are
/// explicit through clone(), which can fail). data() pointers stay valid until
/// the tensor is destroyed or moved from. The buffer is never null, even for
/// empty tensors. I1 elements are one byte each holding 0 or 1.
///
/// Thread-safety: none of its own; concurrent reads are safe, a write needs
/// exclusive access (like a std::vector).
class HostTensor {
public:
  /// Alignment of the data buffer in bytes.
  static constexpr size_t kAlignment = 64;
  /// Largest buffer a HostTensor allocates (1 TiB): larger shapes are
  /// rejected with ResourceExhausted instead of attempting the allocation.
  static constexpr uint64_t kMaxSizeInBytes = uint64_t(1) << 40;

  /// An empty rank-1 F32 tensor of shape [0].
  HostTensor();
  /// Moves leave `other` as a default-constructed (empty) tensor.
  HostTensor(HostTensor &&other) noexcept;
  HostTensor &operator=(HostTensor &&other) noexcept;
  HostTensor(const HostTensor &) = delete;
  HostTensor &operator=(const HostTensor &) = delete;
  ~HostTensor() = default;

  /// A zero-filled tensor. InvalidArgument for a negative dimension,
  /// ResourceExhausted when the element count or byte size overflows or
  /// exceeds kMaxSizeInBytes, OutOfMemory when allocation fails.
  static StatusOr<HostTensor> create(ElementType type,
                                     std::vector<int64_t> shape);
  /// Like create() but leaves the contents unspecified (for buffers that are
  /// overwritten at once, e.g. by a file read or a device copy).
  static StatusOr<HostTensor> createUninitialized(ElementType type,
                                                  std::vector<int64_t> shape);
  /// A tensor holding a copy of `size` bytes at `data`; InvalidArgument when
  /// `size` differs from the shape's byte size. For I1, every nonzero byte is
  /// stored as 1.
  static StatusOr<HostTensor> fromBytes(ElementType type,
                                        std::vector<int64_t> shape,
                                        const void *data, size_t size);
  /// A tensor holding a copy of `values`; InvalidArgument when sizeof(T)
  /// differs from the element size or the count from the shape's.
  template <class T>
  static StatusOr<HostTensor> fromVector(ElementType type,
                                         std::vector<int64_t> shape,
                                         const std::vector<T> &values) {
    if (sizeof(T) != elementByteSize(type))
      return invalidArgumentError("HostTensor::fromVector: element size " +
                                  std::to_string(sizeof(T)) +
                                  " does not match " + elementTypeName(type));
    return fromBytes(type, std::move(shape), values.data(),
                     values.size() * sizeof(T));
  }

  /// A deep copy (OutOfMemory when allocation fails).
  StatusOr<HostTensor> clone() const;

  ElementType elementType() const { return type_; }
  /// Frees an adopted buffer; `owner` is the value given to adopt().
  using ReleaseFunction = void (*)(std::byte *buffer, const void *owner);
  /// A tensor over `buffer` (at least sizeInBytes bytes, suitably aligned),
  /// which it owns from now on and frees with `release(buffer, owner)`. For
  /// memory that is not the heap's, e.g. a device's memory a block's
  /// results stay in (DeviceTensors.h), pinned memory, a DLPack producer's. On error the buffer
  /// is released before returning, except without a release function
  /// (then it stays the caller's).
  static StatusOr<HostTensor> adopt(ElementType type, std::vector<int64_t> shape,
                                    std::byte *buffer, ReleaseFunction release,
                                    const void *owner);
  /// The `owner` given to adopt(); null for tensors in heap memory.
  const void *owner() const { return buffer_.get_deleter().owner; }

  const std::vector<int64_t> &shape() const { return shape_; }
  int64_t rank() const { return static_cast<int64_t>(shape_.size()); }
  /// Dimension `i`; `i` must be in [0, rank()).
  int64_t dim(size_t i) const { return shape_[i]; }
  /// The product of the dimensions (1 for rank 0).
  int64_t numElements() const { return numElements_; }
  /// numElements() * elementByteSize().
  size_t sizeInBytes() const { return sizeInBytes_; }

  /// The raw buffer (never null).
  std::byte *bytes() { return buffer_.get(); }
  const std::byte *bytes() const { return buffer_.get(); }

  /// The buffer as T elements. sizeof(T) must equal the element byte size
  /// (checked by assert); use uint16_t for F16/BF16, uint8_t or bool for I1.
  template <class T> T *data() {
    assert(sizeof(T) == elementByteSize(type_) && "element size mismatch");
    return reinterpret_cast<T *>(buffer_.get());
  }
  template <class T> const T *data() const {
    assert(sizeof(T) == elementByteSize(type_) && "element size mismatch");
    return reinterpret_cast<const T *>(buffer_.get());
  }

  /// Element `index` (row-major) converted to double: exact for every type
  /// but I64 values beyond 2^53. Integers are read as signed (I1 as 0/1).
  double elementAsDouble(int64_t index) const;

  /// The MLIR tensor type spelling, e.g. "tensor<2x3xf32>", "tensor<i1>".
  std::string typeString() const;

  /// True when element type and shape are equal.
  bool sameTypeAndShape(const HostTensor &other) const;
  /// True when element type, shape and every byte are equal (NaNs compare by
  /// bit pattern, +0 != -0).
  bool bitwiseEqual(const HostTensor &other) const;

private:
  /// Frees heap buffers with free(), adopted ones with their release
  /// function; leaves the shared static buffer of empty tensors.
  struct BufferDeleter {
    // Constructors rather than member initializers: unique_ptr needs this
    // default-constructible inside HostTensor's own definition.
    BufferDeleter() : release(nullptr), owner(nullptr) {}
    BufferDeleter(ReleaseFunction release, const void *owner)
        : release(release), owner(owner) {}
    void operator()(std::byte *p) const;
    ReleaseFunction release;
    const void *owner;
  };
  using Buffer = std::unique_ptr<std::byte[], BufferDeleter>;

  HostTensor(ElementType type, std::vector<int64_t> shape, int64_t numElements,
             size_t sizeInBytes, Buffer buffer);
  static StatusOr<HostTensor> allocate(ElementType type,
                                       std::vector<int64_t> shape, bool zero);

  ElementType type_ = ElementType::F32;
  std::vector<int64_t> shape_;
  int64_t numElements_ = 0;
  size_t sizeInBytes_ = 0;
  Buffer buffer_;
};

/// Checks the product of `shape` for negative dimensions and overflow and
/// returns the element count. InvalidArgument for a negative dimension,
/// ResourceExhausted when the count or its byte size (at `elementSize` bytes
/// per element) does not fit in int64_t. Thread-safe.
StatusOr<int64_t> checkedNumElements(const std::vector<int64_t> &shape,
                                     size_t elementSize);

/// The byte size of a `type` tensor of `shape`, checked as
/// checkedNumElements does and against HostTensor::kMaxSizeInBytes
/// (ResourceExhausted naming the size). Every tensor allocation, host,
/// pinned or device, goes through it. Thread-safe.
StatusOr<uint64_t> checkedTensorBytes(ElementType type,
                                      const std::vector<int64_t> &shape);

/// Compares `actual` against `expected` for tests: Ok when element types and
/// shapes match and every element satisfies |a - e| <= atol + rtol * |e|
/// (floats; NaN matches NaN, infinities must match exactly) or is equal
/// (integers, where the tolerances are ignored). Otherwise an InvalidArgument
/// naming the first mismatching index, both values and the number of
/// mismatches. Thread-safe.
Status compareTensors(const HostTensor &expected, const HostTensor &actual,
                      double rtol = 0.0, double atol = 0.0);

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_HOSTTENSOR_H
