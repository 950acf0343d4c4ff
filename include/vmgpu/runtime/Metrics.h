//===- Metrics.h - executions, cache and transfer counters ------*- C++ -*-===//
//
// The engine, the kernel cache and the drivers record what they do in a
// Metrics registry: GPU and CPU executions and their times, compiles, cache
// hits and misses per level, corrupt cache entries, bytes and time moved
// between host and device, and fallbacks to the CPU with their reasons.
// Callers read it as a MetricsSnapshot struct or as JSON whose dotted key
// names (see `metric_names`) are an interface.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_METRICS_H
#define VMGPU_RUNTIME_METRICS_H

#include "vmgpu/runtime/Status.h"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace vmgpu::runtime {

/// The JSON keys of a metrics snapshot. Stable: tools and tests outside the
/// project read them.
namespace metric_names {
inline constexpr const char kGpuExecutions[] = "executions.gpu";
inline constexpr const char kCpuExecutions[] = "executions.cpu";
inline constexpr const char kGpuTimeMs[] = "time.gpu_ms";
inline constexpr const char kCpuTimeMs[] = "time.cpu_ms";
inline constexpr const char kCompiles[] = "compiles";
inline constexpr const char kCompileTimeMs[] = "time.compile_ms";
inline constexpr const char kMemoryCacheHits[] = "cache.memory.hits";
inline constexpr const char kMemoryCacheMisses[] = "cache.memory.misses";
inline constexpr const char kMemoryCacheHitRate[] = "cache.memory.hit_rate";
inline constexpr const char kDiskCacheHits[] = "cache.disk.hits";
inline constexpr const char kDiskCacheMisses[] = "cache.disk.misses";
inline constexpr const char kDiskCacheHitRate[] = "cache.disk.hit_rate";
inline constexpr const char kDiskCacheCorrupt[] = "cache.disk.corrupt";
inline constexpr const char kCacheHitRate[] = "cache.hit_rate";
inline constexpr const char kH2DBytes[] = "transfer.h2d.bytes";
inline constexpr const char kD2HBytes[] = "transfer.d2h.bytes";
inline constexpr const char kH2DTimeMs[] = "transfer.h2d_ms";
inline constexpr const char kD2HTimeMs[] = "transfer.d2h_ms";
inline constexpr const char kStagedCopies[] = "transfer.staged_copies";
inline constexpr const char kDriverAllocations[] = "device.driver_allocations";
inline constexpr const char kPoolBytesInUse[] = "device.pool.bytes_in_use";
inline constexpr const char kPoolPeakBytes[] = "device.pool.peak_bytes";
inline constexpr const char kPinnedBytes[] = "device.pinned_bytes";
inline constexpr const char kConstantUploads[] = "device.constant_uploads";
inline constexpr const char kLibraryCalls[] = "library.gemm_calls";
inline constexpr const char kGraphLaunches[] = "graph.launches";
inline constexpr const char kGraphReplays[] = "graph.replays";
inline constexpr const char kGraphCaptures[] = "graph.captures";
inline constexpr const char kFallbacks[] = "fallbacks";
inline constexpr const char kFallbackReasons[] = "fallbacks.reasons";
} // namespace metric_names

/// The kernel cache levels.
enum class CacheLevel { Memory, Disk };

/// A plain copy of every metric at one moment. A value type owned by whoever
/// holds it; no synchronization of its own.
struct MetricsSnapshot {
  uint64_t gpuExecutions = 0;
  uint64_t cpuExecutions = 0;
  double gpuTimeMs = 0.0;
  double cpuTimeMs = 0.0;
  uint64_t compiles = 0;
  double compileTimeMs = 0.0;
  uint64_t memoryCacheHits = 0;
  uint64_t memoryCacheMisses = 0;
  uint64_t diskCacheHits = 0;
  uint64_t diskCacheMisses = 0;
  uint64_t diskCacheCorrupt = 0;
  uint64_t h2dBytes = 0;
  uint64_t d2hBytes = 0;
  double h2dTimeMs = 0.0;
  double d2hTimeMs = 0.0;
  /// Copies of pageable host memory through a device's staging ring.
  uint64_t stagedCopies = 0;
  /// Device buffers GPU runs took from the driver (0 per run in a steady
  /// state: the pool or cache reuses what earlier runs returned).
  uint64_t driverAllocations = 0;
  /// After the last GPU run, on its device: pool bytes handed out, the
  /// most there ever were, and page-locked host bytes held.
  uint64_t poolBytesInUse = 0;
  uint64_t poolPeakBytes = 0;
  uint64_t pinnedBytes = 0;
  /// Constant globals GPU runs uploaded (once per loaded executable and
  /// global: 0 per run in a steady state).
  uint64_t constantUploads = 0;
  /// GEMMs run through cuBLASLt or, on the CPU, the BLAS (the `library`
  /// contraction strategy).
  uint64_t libraryCalls = 0;
  /// GPU runs launched as one graph (RunOptions::graphs), those of them
  /// that did not run the block's host code, and the host code's runs
  /// under stream capture (GpuGraphPlans.h).
  uint64_t graphLaunches = 0;
  uint64_t graphReplays = 0;
  uint64_t graphCaptures = 0;
  uint64_t fallbacks = 0;
  /// Fallback count per reason; the counts add up to `fallbacks`.
  std::map<std::string, uint64_t> fallbackReasons;

  /// memory hits / memory lookups; 0 when there were none.
  double memoryCacheHitRate() const;
  /// disk hits / disk lookups; 0 when there were none.
  double diskCacheHitRate() const;
  /// The fraction of lookups answered by either level: (memory hits + disk
  /// hits) / memory lookups, since every lookup starts in memory and only
  /// memory misses reach the disk. When no memory lookups were recorded (the
  /// memory level is off) it is the disk hit rate. 0 when nothing was looked
  /// up.
  double cacheHitRate() const;

  /// The snapshot as a JSON object with the `metric_names` keys (flat, dotted
  /// names), pretty-printed with a 2-space indent and sorted keys. Times are
  /// milliseconds (double), counts and bytes unsigned integers, rates in
  /// [0, 1], `fallbacks.reasons` an object reason -> count. Invalid UTF-8 in
  /// reasons is replaced by U+FFFD.
  std::string toJson() const;

  /// Parses what toJson() writes. Missing keys read as 0, unknown keys are
  /// ignored (the rates are derived, not read); InvalidArgument for text that
  /// is not a JSON object or for a key of the wrong type.
  static StatusOr<MetricsSnapshot> fromJson(std::string_view text);

  friend bool operator==(const MetricsSnapshot &a, const MetricsSnapshot &b);
  friend bool operator!=(const MetricsSnapshot &a, const MetricsSnapshot &b) {
    return !(a == b);
  }
};

/// The registry. One per engine (not a global), shared by the engine, cache
/// and drivers through a reference; it must outlive them.
///
/// Thread-safety: every method may be called from any number of threads at
/// once. Counters are relaxed atomics (times kept as integer nanoseconds);
/// fallback reasons sit behind a mutex. Every recorded event is counted
/// exactly once, but a snapshot taken while other threads record is not a
/// single atomic cut: each counter is read separately.
class Metrics {
public:
  /// At most this many distinct fallback reasons are kept; later new reasons
  /// are counted under kOtherReason. Reasons are cut to kMaxReasonLength
  /// bytes.
  static constexpr size_t kMaxReasons = 256;
  static constexpr size_t kMaxReasonLength = 256;
  static constexpr const char kOtherReason[] = "(other)";

  Metrics() = default;
  Metrics(const Metrics &) = delete;
  Metrics &operator=(const Metrics &) = delete;

  /// One block ran on the GPU (or the CPU) and took `ms` milliseconds.
  /// Negative or NaN durations count as 0.
  void recordGpuExecution(double ms);
  void recordCpuExecution(double ms);
  /// One compile (a cache miss at every level) that took `ms` milliseconds.
  void recordCompile(double ms);
  /// One lookup at `level` that found (or did not find) its entry.
  void recordCacheHit(CacheLevel level);
  void recordCacheMiss(CacheLevel level);
  /// A disk entry failed its checksum or could not be decoded and was
  /// dropped. The caller records the resulting miss separately.
  void recordCacheCorrupt();
  /// `bytes` copied host -> device (device -> host) in `ms` milliseconds.
  void recordHostToDevice(uint64_t bytes, double ms);
  void recordDeviceToHost(uint64_t bytes, double ms);
  /// What a GPU run did to its device's memory: `stagedCopies` and
  /// `driverAllocations` are added; the rest are the device's levels now.
  void recordDeviceMemory(uint64_t stagedCopies, uint64_t driverAllocations,
                          uint64_t poolBytesInUse, uint64_t poolPeakBytes,
                          uint64_t pinnedBytes);
  /// `uploads` constant globals went to a device (DeviceConstants.h).
  void recordConstantUploads(uint64_t uploads);
  /// `calls` GEMMs ran through the GEMM library.
  void recordLibraryCalls(uint64_t calls);
  /// What GPU runs did with graphs (GpuGraphCounters' differences).
  void recordGraphs(uint64_t launches, uint64_t replays, uint64_t captures);
  /// A block meant for the GPU ran on the CPU because of `reason` (a short
  /// stable phrase such as "cuda: out of memory" or "no device").
  void recordFallback(std::string_view reason);

  /// A copy of every metric now.
  MetricsSnapshot snapshot() const;
  /// snapshot().toJson().
  std::string toJson() const;
  /// Sets every metric back to zero. Events recorded by other threads during
  /// the reset may or may not survive it.
  void reset();

private:
  using Counter = std::atomic<uint64_t>;
  static void add(Counter &counter, uint64_t amount) {
    counter.fetch_add(amount, std::memory_order_relaxed);
  }
  static uint64_t toNanoseconds(double ms);

  Counter gpuExecutions_{0}, cpuExecutions_{0};
  Counter gpuTimeNs_{0}, cpuTimeNs_{0};
  Counter compiles_{0}, compileTimeNs_{0};
  Counter memoryHits_{0}, memoryMisses_{0};
  Counter diskHits_{0}, diskMisses_{0}, diskCorrupt_{0};
  Counter h2dBytes_{0}, d2hBytes_{0}, h2dTimeNs_{0}, d2hTimeNs_{0};
  Counter stagedCopies_{0}, driverAllocations_{0};
  Counter poolBytesInUse_{0}, poolPeakBytes_{0}, pinnedBytes_{0};
  Counter constantUploads_{0};
  Counter libraryCalls_{0};
  Counter graphLaunches_{0}, graphReplays_{0}, graphCaptures_{0};
  Counter fallbacks_{0};
  mutable std::mutex reasonsMutex_;
  std::map<std::string, uint64_t, std::less<>> reasons_;
};

/// Measures elapsed wall time (steady clock) from construction or the last
/// restart(). Not synchronized; use one per thread.
class Stopwatch {
public:
  Stopwatch() : start_(std::chrono::steady_clock::now()) {}
  void restart() { start_ = std::chrono::steady_clock::now(); }
  /// Milliseconds since the start.
  double elapsedMs() const {
    return std::chrono::duration<double, std::milli>(
               std::chrono::steady_clock::now() - start_)
        .count();
  }

private:
  std::chrono::steady_clock::time_point start_;
};

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_METRICS_H
