//===- HostCopyThreadsTest.cpp - copyOnHost splits and completes copies ---===//

#include "vmgpu/runtime/HostCopyThreads.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <numeric>
#include <thread>
#include <vector>

using namespace vmgpu::runtime;

namespace {

/// Copies `bytes` starting `offset` bytes into both buffers and checks
/// every byte, and that nothing around the range was touched.
void checkCopy(size_t bytes, size_t offset) {
  std::vector<uint8_t> source(bytes + 2 * offset + 64);
  std::iota(source.begin(), source.end(), uint8_t(3));
  std::vector<uint8_t> destination(source.size(), 0xee);
  copyOnHost(destination.data() + offset, source.data() + offset, bytes);
  for (size_t i = 0; i < destination.size(); ++i) {
    bool inside = i >= offset && i < offset + bytes;
    ASSERT_EQ(destination[i], inside ? source[i] : 0xee)
        << "byte " << i << " of a " << bytes << "-byte copy at " << offset;
  }
}

TEST(HostCopyThreadsTest, CopiesEveryByteAtAwkwardSizes) {
  EXPECT_GE(hostCopyThreadCount(), 1u);
  EXPECT_LE(hostCopyThreadCount(), 8u);
  for (size_t bytes : {size_t(0), size_t(1), size_t(4095),
                       kParallelCopyMinBytes, 2 * kParallelCopyMinBytes,
                       2 * kParallelCopyMinBytes + 1,
                       (size_t(37) << 20) + 4093})
    checkCopy(bytes, 13);
}

TEST(HostCopyThreadsTest, ConcurrentCallersShareTheWorkers) {
  constexpr size_t kBytes = (size_t(9) << 20) + 7;
  std::vector<std::thread> callers;
  // 0: every round right; N: round N - 1 was wrong; -1: never finished.
  std::vector<int> wrong(6, -1);
  for (int caller = 0; caller < 6; ++caller)
    callers.emplace_back([&, caller] {
      std::vector<uint8_t> source(kBytes), destination(kBytes, 0);
      for (int round = 0; round < 4; ++round) {
        for (size_t i = 0; i < kBytes; i += 4096)
          source[i] = uint8_t(caller * 16 + round + i / 4096);
        copyOnHost(destination.data(), source.data(), kBytes);
        if (destination != source) {
          wrong[caller] = round + 1;
          return;
        }
      }
      wrong[caller] = 0;
    });
  for (std::thread &caller : callers)
    caller.join();
  for (int caller = 0; caller < 6; ++caller)
    EXPECT_EQ(wrong[caller], 0) << "caller " << caller;
}

} // namespace
