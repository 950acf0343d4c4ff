//===- KernelTiming.cpp - opt-in device timing of launches and copies -----===//

#include "vmgpu/runtime/KernelTiming.h"

#include <atomic>
#include <mutex>
#include <utility>
#include <vector>

namespace vmgpu::runtime {
namespace {

struct Recorded {
  TimedWork kind;
  size_t bytes;
  std::unique_ptr<DeviceInterval> interval;
};

std::atomic<bool> enabled{false};
std::mutex recordedMutex;

std::vector<Recorded> &recorded() {
  // Never destroyed: backends may record from other threads during exit.
  static auto *list = new std::vector<Recorded>();
  return *list;
}

} // namespace

DeviceInterval::~DeviceInterval() = default;

void setKernelTimingEnabled(bool on) {
  enabled.store(on, std::memory_order_relaxed);
}

bool kernelTimingEnabled() { return enabled.load(std::memory_order_relaxed); }

void recordTimedWork(TimedWork kind, size_t bytes,
                     std::unique_ptr<DeviceInterval> interval) {
  std::lock_guard<std::mutex> lock(recordedMutex);
  recorded().push_back({kind, bytes, std::move(interval)});
}

StatusOr<KernelTimingSummary> takeKernelTiming() {
  std::vector<Recorded> taken;
  {
    std::lock_guard<std::mutex> lock(recordedMutex);
    taken.swap(recorded());
  }
  KernelTimingSummary summary;
  Status failure = okStatus();
  for (Recorded &work : taken) {
    bool launch = work.kind == TimedWork::Launch;
    (launch ? summary.launches : summary.copies) += 1;
    if (!launch)
      summary.copyBytes += work.bytes;
    if (!work.interval || !failure.isOk())
      continue;
    StatusOr<double> ms = work.interval->elapsedMs();
    if (!ms.isOk()) {
      failure = ms.status();
      continue;
    }
    (launch ? summary.timedLaunches : summary.timedCopies) += 1;
    (launch ? summary.kernelMs : summary.copyMs) += *ms;
  }
  if (!failure.isOk())
    return failure;
  return summary;
}

} // namespace vmgpu::runtime
