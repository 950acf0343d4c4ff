//===- FuzzInput.h - values read off a fuzzer's bytes -------------*- C++ -*-===//
//
// Reads integers, flags and strings from the front of an input, and zeros
// once it is used up, so that any input is a valid script. (libFuzzer's
// FuzzedDataProvider does this too, but ships only with compiler-rt, which
// the normal build does not need.)
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_TEST_FUZZ_FUZZINPUT_H
#define VMGPU_TEST_FUZZ_FUZZINPUT_H

#include <cstdint>
#include <cstring>
#include <string>
#include <type_traits>
#include <vector>

class FuzzInput {
public:
  FuzzInput(const uint8_t *data, size_t size) : data_(data), size_(size) {}

  size_t remaining() const { return size_; }

  /// Any value of T.
  template <typename T> T integral() {
    static_assert(std::is_integral_v<T>, "integers only");
    std::make_unsigned_t<T> value = 0;
    size_t bytes = sizeof(T) < size_ ? sizeof(T) : size_;
    std::memcpy(&value, data_, bytes);
    data_ += bytes;
    size_ -= bytes;
    return static_cast<T>(value);
  }

  /// A value in [low, high], from as few bytes as the range needs.
  template <typename T> T inRange(T low, T high) {
    uint64_t span = static_cast<uint64_t>(high) - static_cast<uint64_t>(low);
    uint64_t raw = 0;
    for (uint64_t left = span; left != 0 && size_ != 0; left >>= 8)
      raw = (raw << 8) | integral<uint8_t>();
    uint64_t offset = span == UINT64_MAX ? raw : raw % (span + 1);
    return static_cast<T>(static_cast<uint64_t>(low) + offset);
  }

  bool flag() { return integral<uint8_t>() & 1; }

  /// True about once in `n` times.
  bool oneIn(unsigned n) { return integral<uint8_t>() % n == 0; }

  std::vector<uint8_t> bytes(size_t count) {
    if (count > size_)
      count = size_;
    std::vector<uint8_t> result(data_, data_ + count);
    data_ += count;
    size_ -= count;
    return result;
  }

  /// A string of at most `maxLength` bytes (its length read first).
  std::string string(size_t maxLength) {
    std::vector<uint8_t> raw = bytes(inRange<size_t>(0, maxLength));
    return std::string(raw.begin(), raw.end());
  }

private:
  const uint8_t *data_;
  size_t size_;
};

#endif // VMGPU_TEST_FUZZ_FUZZINPUT_H
