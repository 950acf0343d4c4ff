//===- KernelTimingTest.cpp - the launch and copy timing registry --------===//

#include "vmgpu/runtime/KernelTiming.h"

#include <gtest/gtest.h>

#include <memory>
#include <thread>
#include <vector>

using namespace vmgpu::runtime;

namespace {

/// An interval whose length is known ahead; counts its destruction.
class FixedInterval final : public DeviceInterval {
public:
  FixedInterval(StatusOr<double> ms, int *destroyed)
      : ms_(std::move(ms)), destroyed_(destroyed) {}
  ~FixedInterval() override { ++*destroyed_; }
  StatusOr<double> elapsedMs() override { return ms_; }

private:
  StatusOr<double> ms_;
  int *destroyed_;
};

class KernelTimingTest : public ::testing::Test {
protected:
  void SetUp() override { (void)takeKernelTiming(); }
  void TearDown() override {
    setKernelTimingEnabled(false);
    (void)takeKernelTiming();
  }
  std::unique_ptr<DeviceInterval> interval(StatusOr<double> ms) {
    return std::make_unique<FixedInterval>(std::move(ms), &destroyed);
  }
  int destroyed = 0;
};

TEST_F(KernelTimingTest, OffAtStartAndSwitchable) {
  EXPECT_FALSE(kernelTimingEnabled());
  setKernelTimingEnabled(true);
  EXPECT_TRUE(kernelTimingEnabled());
  setKernelTimingEnabled(false);
  EXPECT_FALSE(kernelTimingEnabled());
}

TEST_F(KernelTimingTest, SumsLaunchesAndCopiesSeparately) {
  recordTimedWork(TimedWork::Launch, 0, interval(1.5));
  recordTimedWork(TimedWork::Launch, 0, interval(2.0));
  recordTimedWork(TimedWork::Copy, 4096, interval(0.25));
  StatusOr<KernelTimingSummary> summary = takeKernelTiming();
  ASSERT_TRUE(summary.isOk()) << summary.status().toString();
  EXPECT_EQ(summary->launches, 2u);
  EXPECT_EQ(summary->timedLaunches, 2u);
  EXPECT_DOUBLE_EQ(summary->kernelMs, 3.5);
  EXPECT_EQ(summary->copies, 1u);
  EXPECT_EQ(summary->copyBytes, 4096u);
  EXPECT_DOUBLE_EQ(summary->copyMs, 0.25);
  EXPECT_TRUE(summary->complete());
  EXPECT_EQ(destroyed, 3) << "taken intervals release their events";
}

TEST_F(KernelTimingTest, TakingForgets) {
  recordTimedWork(TimedWork::Launch, 0, interval(1.0));
  ASSERT_TRUE(takeKernelTiming().isOk());
  StatusOr<KernelTimingSummary> again = takeKernelTiming();
  ASSERT_TRUE(again.isOk());
  EXPECT_EQ(again->launches, 0u);
  EXPECT_EQ(again->kernelMs, 0.0);
}

TEST_F(KernelTimingTest, UntimedWorkIsCountedButNotComplete) {
  recordTimedWork(TimedWork::Launch, 0, nullptr);
  recordTimedWork(TimedWork::Launch, 0, interval(2.0));
  recordTimedWork(TimedWork::Copy, 8, nullptr);
  StatusOr<KernelTimingSummary> summary = takeKernelTiming();
  ASSERT_TRUE(summary.isOk());
  EXPECT_EQ(summary->launches, 2u);
  EXPECT_EQ(summary->timedLaunches, 1u);
  EXPECT_EQ(summary->copies, 1u);
  EXPECT_EQ(summary->timedCopies, 0u);
  EXPECT_EQ(summary->copyBytes, 8u);
  EXPECT_FALSE(summary->complete());
}

TEST_F(KernelTimingTest, AFailedIntervalIsTheResultAndTheRecordIsCleared) {
  recordTimedWork(TimedWork::Launch, 0, interval(1.0));
  recordTimedWork(TimedWork::Launch, 0,
                  interval(internalError("cuEventElapsedTime failed")));
  recordTimedWork(TimedWork::Launch, 0, interval(1.0));
  StatusOr<KernelTimingSummary> summary = takeKernelTiming();
  ASSERT_FALSE(summary.isOk());
  EXPECT_NE(summary.status().message().find("cuEventElapsedTime"),
            std::string::npos);
  EXPECT_EQ(destroyed, 3);
  StatusOr<KernelTimingSummary> after = takeKernelTiming();
  ASSERT_TRUE(after.isOk());
  EXPECT_EQ(after->launches, 0u);
}

TEST_F(KernelTimingTest, RecordsFromManyThreads) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 100; ++i)
        recordTimedWork(TimedWork::Copy, 2, nullptr);
    });
  for (std::thread &thread : threads)
    thread.join();
  StatusOr<KernelTimingSummary> summary = takeKernelTiming();
  ASSERT_TRUE(summary.isOk());
  EXPECT_EQ(summary->copies, 800u);
  EXPECT_EQ(summary->copyBytes, 1600u);
}

} // namespace
