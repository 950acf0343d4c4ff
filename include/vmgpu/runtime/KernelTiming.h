//===- KernelTiming.h - opt-in device timing of launches and copies -*- C++ -*-===//
//
// A benchmark wants the time a block's kernels take on the device, apart
// from staging, allocation and launch overhead. When timing is turned on
// (off by default: it costs two driver events per launch or copy), the GPU
// host backends record a device-side interval around every kernel launch
// and every copy they make; takeKernelTiming() waits for those intervals
// and sums them. Only the CUDA backend records intervals today.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_KERNELTIMING_H
#define VMGPU_RUNTIME_KERNELTIMING_H

#include "vmgpu/runtime/Status.h"

#include <cstddef>
#include <cstdint>
#include <memory>

namespace vmgpu::runtime {

/// An interval a backend marked on a device stream (two events).
///
/// Ownership: owned by the timing registry once recorded; it releases its
/// driver resources when destroyed. Thread-safety: none of its own; the
/// registry uses each interval from one thread at a time.
class DeviceInterval {
public:
  virtual ~DeviceInterval();
  /// Waits until the interval's end has passed on the device and returns
  /// its length in milliseconds.
  virtual StatusOr<double> elapsedMs() = 0;
};

/// What was timed.
enum class TimedWork { Launch, Copy };

/// Turns the recording on or off for the whole process. Off at start.
void setKernelTimingEnabled(bool enabled);
/// True while recording is on: backends check it before each launch or
/// copy, so the cost when off is one relaxed atomic load.
bool kernelTimingEnabled();

/// Backends: records one launch (bytes 0) or one copy of `bytes`.
/// `interval` is null when the driver could not time it (no event support,
/// or an event call failed): the work is then counted but not timed.
/// Thread-safe.
void recordTimedWork(TimedWork kind, size_t bytes,
                     std::unique_ptr<DeviceInterval> interval);

/// The sums over everything recorded since the last takeKernelTiming().
struct KernelTimingSummary {
  uint64_t launches = 0;
  /// Launches with an interval; kernelMs covers these alone.
  uint64_t timedLaunches = 0;
  double kernelMs = 0.0;
  uint64_t copies = 0;
  uint64_t timedCopies = 0;
  uint64_t copyBytes = 0;
  double copyMs = 0.0;

  /// True when every launch and copy was timed.
  bool complete() const {
    return timedLaunches == launches && timedCopies == copies;
  }
};

/// Waits for every recorded interval, sums them and forgets them (from all
/// threads). Call it after the work has been queued (a block's run
/// synchronizes before it returns, so its intervals are complete). The
/// first failing interval's error is returned instead of the sums; the
/// record is cleared either way. Thread-safe.
StatusOr<KernelTimingSummary> takeKernelTiming();

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_KERNELTIMING_H
