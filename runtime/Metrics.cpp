//===- Metrics.cpp - executions, cache and transfer counters --------------===//

#include "vmgpu/runtime/Metrics.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>

namespace vmgpu::runtime {

using Json = nlohmann::json;
namespace names = metric_names;

//===----------------------------------------------------------------------===//
// MetricsSnapshot
//===----------------------------------------------------------------------===//

static double ratio(uint64_t part, uint64_t whole) {
  return whole == 0 ? 0.0
                    : static_cast<double>(part) / static_cast<double>(whole);
}

double MetricsSnapshot::memoryCacheHitRate() const {
  return ratio(memoryCacheHits, memoryCacheHits + memoryCacheMisses);
}

double MetricsSnapshot::diskCacheHitRate() const {
  return ratio(diskCacheHits, diskCacheHits + diskCacheMisses);
}

double MetricsSnapshot::cacheHitRate() const {
  uint64_t memoryLookups = memoryCacheHits + memoryCacheMisses;
  if (memoryLookups == 0)
    return diskCacheHitRate();
  // Clamp: a disk hit recorded without its memory miss must not push the
  // rate past 1.
  return std::min(1.0, ratio(memoryCacheHits + diskCacheHits, memoryLookups));
}

std::string MetricsSnapshot::toJson() const {
  // nlohmann's default object is a std::map: keys come out sorted.
  Json json = Json::object();
  json[names::kGpuExecutions] = gpuExecutions;
  json[names::kCpuExecutions] = cpuExecutions;
  json[names::kGpuTimeMs] = gpuTimeMs;
  json[names::kCpuTimeMs] = cpuTimeMs;
  json[names::kCompiles] = compiles;
  json[names::kCompileTimeMs] = compileTimeMs;
  json[names::kMemoryCacheHits] = memoryCacheHits;
  json[names::kMemoryCacheMisses] = memoryCacheMisses;
  json[names::kMemoryCacheHitRate] = memoryCacheHitRate();
  json[names::kDiskCacheHits] = diskCacheHits;
  json[names::kDiskCacheMisses] = diskCacheMisses;
  json[names::kDiskCacheHitRate] = diskCacheHitRate();
  json[names::kDiskCacheCorrupt] = diskCacheCorrupt;
  json[names::kCacheHitRate] = cacheHitRate();
  json[names::kH2DBytes] = h2dBytes;
  json[names::kD2HBytes] = d2hBytes;
  json[names::kH2DTimeMs] = h2dTimeMs;
  json[names::kD2HTimeMs] = d2hTimeMs;
  json[names::kStagedCopies] = stagedCopies;
  json[names::kDriverAllocations] = driverAllocations;
  json[names::kPoolBytesInUse] = poolBytesInUse;
  json[names::kPoolPeakBytes] = poolPeakBytes;
  json[names::kPinnedBytes] = pinnedBytes;
  json[names::kConstantUploads] = constantUploads;
  json[names::kLibraryCalls] = libraryCalls;
  json[names::kGraphLaunches] = graphLaunches;
  json[names::kGraphReplays] = graphReplays;
  json[names::kGraphCaptures] = graphCaptures;
  json[names::kFallbacks] = fallbacks;
  Json reasons = Json::object();
  for (const auto &[reason, count] : fallbackReasons)
    reasons[reason] = count;
  json[names::kFallbackReasons] = std::move(reasons);
  // `replace`: the default handler throws (aborts without exceptions) on
  // invalid UTF-8, and reasons may carry driver text.
  return json.dump(2, ' ', /*ensure_ascii=*/false,
                   Json::error_handler_t::replace);
}

StatusOr<MetricsSnapshot> MetricsSnapshot::fromJson(std::string_view text) {
  // No exceptions: parse errors give a discarded value, and every access
  // below checks the type first.
  Json json = Json::parse(text.begin(), text.end(), /*cb=*/nullptr,
                          /*allow_exceptions=*/false);
  if (json.is_discarded())
    return invalidArgumentError("metrics JSON does not parse");
  if (!json.is_object())
    return invalidArgumentError("metrics JSON is not an object");

  MetricsSnapshot snapshot;
  std::string error;
  auto readCount = [&](const char *key, uint64_t &out) {
    auto it = json.find(key);
    if (it == json.end())
      return;
    if (!it->is_number_unsigned()) {
      if (error.empty())
        error = std::string("'") + key + "' is not an unsigned integer";
      return;
    }
    out = it->get<uint64_t>();
  };
  auto readMs = [&](const char *key, double &out) {
    auto it = json.find(key);
    if (it == json.end())
      return;
    if (!it->is_number()) {
      if (error.empty())
        error = std::string("'") + key + "' is not a number";
      return;
    }
    out = it->get<double>();
  };
  readCount(names::kGpuExecutions, snapshot.gpuExecutions);
  readCount(names::kCpuExecutions, snapshot.cpuExecutions);
  readMs(names::kGpuTimeMs, snapshot.gpuTimeMs);
  readMs(names::kCpuTimeMs, snapshot.cpuTimeMs);
  readCount(names::kCompiles, snapshot.compiles);
  readMs(names::kCompileTimeMs, snapshot.compileTimeMs);
  readCount(names::kMemoryCacheHits, snapshot.memoryCacheHits);
  readCount(names::kMemoryCacheMisses, snapshot.memoryCacheMisses);
  readCount(names::kDiskCacheHits, snapshot.diskCacheHits);
  readCount(names::kDiskCacheMisses, snapshot.diskCacheMisses);
  readCount(names::kDiskCacheCorrupt, snapshot.diskCacheCorrupt);
  readCount(names::kH2DBytes, snapshot.h2dBytes);
  readCount(names::kD2HBytes, snapshot.d2hBytes);
  readMs(names::kH2DTimeMs, snapshot.h2dTimeMs);
  readMs(names::kD2HTimeMs, snapshot.d2hTimeMs);
  readCount(names::kStagedCopies, snapshot.stagedCopies);
  readCount(names::kDriverAllocations, snapshot.driverAllocations);
  readCount(names::kPoolBytesInUse, snapshot.poolBytesInUse);
  readCount(names::kPoolPeakBytes, snapshot.poolPeakBytes);
  readCount(names::kPinnedBytes, snapshot.pinnedBytes);
  readCount(names::kConstantUploads, snapshot.constantUploads);
  readCount(names::kLibraryCalls, snapshot.libraryCalls);
  readCount(names::kGraphLaunches, snapshot.graphLaunches);
  readCount(names::kGraphReplays, snapshot.graphReplays);
  readCount(names::kGraphCaptures, snapshot.graphCaptures);
  readCount(names::kFallbacks, snapshot.fallbacks);
  auto reasons = json.find(names::kFallbackReasons);
  if (reasons != json.end()) {
    if (!reasons->is_object()) {
      if (error.empty())
        error =
            std::string("'") + names::kFallbackReasons + "' is not an object";
    } else {
      for (auto it = reasons->begin(); it != reasons->end(); ++it) {
        if (!it->is_number_unsigned()) {
          if (error.empty())
            error = std::string("'") + names::kFallbackReasons + "' entry '" +
                    it.key() + "' is not an unsigned integer";
          continue;
        }
        snapshot.fallbackReasons[it.key()] = it->get<uint64_t>();
      }
    }
  }
  if (!error.empty())
    return invalidArgumentError("metrics JSON: " + error);
  return snapshot;
}

bool operator==(const MetricsSnapshot &a, const MetricsSnapshot &b) {
  return a.gpuExecutions == b.gpuExecutions &&
         a.cpuExecutions == b.cpuExecutions && a.gpuTimeMs == b.gpuTimeMs &&
         a.cpuTimeMs == b.cpuTimeMs && a.compiles == b.compiles &&
         a.compileTimeMs == b.compileTimeMs &&
         a.memoryCacheHits == b.memoryCacheHits &&
         a.memoryCacheMisses == b.memoryCacheMisses &&
         a.diskCacheHits == b.diskCacheHits &&
         a.diskCacheMisses == b.diskCacheMisses &&
         a.diskCacheCorrupt == b.diskCacheCorrupt && a.h2dBytes == b.h2dBytes &&
         a.d2hBytes == b.d2hBytes && a.h2dTimeMs == b.h2dTimeMs &&
         a.d2hTimeMs == b.d2hTimeMs && a.stagedCopies == b.stagedCopies &&
         a.driverAllocations == b.driverAllocations &&
         a.poolBytesInUse == b.poolBytesInUse &&
         a.poolPeakBytes == b.poolPeakBytes && a.pinnedBytes == b.pinnedBytes &&
         a.constantUploads == b.constantUploads &&
         a.libraryCalls == b.libraryCalls &&
         a.graphLaunches == b.graphLaunches &&
         a.graphReplays == b.graphReplays &&
         a.graphCaptures == b.graphCaptures && a.fallbacks == b.fallbacks &&
         a.fallbackReasons == b.fallbackReasons;
}

//===----------------------------------------------------------------------===//
// Metrics
//===----------------------------------------------------------------------===//

uint64_t Metrics::toNanoseconds(double ms) {
  if (!(ms > 0.0)) // Also catches NaN.
    return 0;
  double ns = ms * 1e6;
  if (ns >= 1.8e19) // Near 2^64: saturate rather than overflow.
    return UINT64_MAX;
  return static_cast<uint64_t>(ns + 0.5);
}

static double toMilliseconds(uint64_t ns) {
  return static_cast<double>(ns) / 1e6;
}

void Metrics::recordGpuExecution(double ms) {
  add(gpuExecutions_, 1);
  add(gpuTimeNs_, toNanoseconds(ms));
}

void Metrics::recordCpuExecution(double ms) {
  add(cpuExecutions_, 1);
  add(cpuTimeNs_, toNanoseconds(ms));
}

void Metrics::recordCompile(double ms) {
  add(compiles_, 1);
  add(compileTimeNs_, toNanoseconds(ms));
}

void Metrics::recordCacheHit(CacheLevel level) {
  add(level == CacheLevel::Memory ? memoryHits_ : diskHits_, 1);
}

void Metrics::recordCacheMiss(CacheLevel level) {
  add(level == CacheLevel::Memory ? memoryMisses_ : diskMisses_, 1);
}

void Metrics::recordCacheCorrupt() { add(diskCorrupt_, 1); }

void Metrics::recordHostToDevice(uint64_t bytes, double ms) {
  add(h2dBytes_, bytes);
  add(h2dTimeNs_, toNanoseconds(ms));
}

void Metrics::recordDeviceToHost(uint64_t bytes, double ms) {
  add(d2hBytes_, bytes);
  add(d2hTimeNs_, toNanoseconds(ms));
}

void Metrics::recordDeviceMemory(uint64_t stagedCopies,
                                 uint64_t driverAllocations,
                                 uint64_t poolBytesInUse,
                                 uint64_t poolPeakBytes, uint64_t pinnedBytes) {
  add(stagedCopies_, stagedCopies);
  add(driverAllocations_, driverAllocations);
  poolBytesInUse_.store(poolBytesInUse, std::memory_order_relaxed);
  poolPeakBytes_.store(poolPeakBytes, std::memory_order_relaxed);
  pinnedBytes_.store(pinnedBytes, std::memory_order_relaxed);
}

void Metrics::recordConstantUploads(uint64_t uploads) {
  add(constantUploads_, uploads);
}

void Metrics::recordLibraryCalls(uint64_t calls) {
  add(libraryCalls_, calls);
}

void Metrics::recordGraphs(uint64_t launches, uint64_t replays,
                           uint64_t captures) {
  add(graphLaunches_, launches);
  add(graphReplays_, replays);
  add(graphCaptures_, captures);
}

void Metrics::recordFallback(std::string_view reason) {
  reason = reason.substr(0, kMaxReasonLength);
  // The total moves under the same lock as the per-reason counts, so a
  // snapshot always sees them agree.
  std::lock_guard<std::mutex> lock(reasonsMutex_);
  add(fallbacks_, 1);
  auto it = reasons_.find(reason);
  if (it != reasons_.end()) {
    ++it->second;
    return;
  }
  if (reasons_.size() < kMaxReasons)
    reasons_.emplace(std::string(reason), 1);
  else
    ++reasons_[kOtherReason];
}

MetricsSnapshot Metrics::snapshot() const {
  auto load = [](const Counter &counter) {
    return counter.load(std::memory_order_relaxed);
  };
  MetricsSnapshot snapshot;
  snapshot.gpuExecutions = load(gpuExecutions_);
  snapshot.cpuExecutions = load(cpuExecutions_);
  snapshot.gpuTimeMs = toMilliseconds(load(gpuTimeNs_));
  snapshot.cpuTimeMs = toMilliseconds(load(cpuTimeNs_));
  snapshot.compiles = load(compiles_);
  snapshot.compileTimeMs = toMilliseconds(load(compileTimeNs_));
  snapshot.memoryCacheHits = load(memoryHits_);
  snapshot.memoryCacheMisses = load(memoryMisses_);
  snapshot.diskCacheHits = load(diskHits_);
  snapshot.diskCacheMisses = load(diskMisses_);
  snapshot.diskCacheCorrupt = load(diskCorrupt_);
  snapshot.h2dBytes = load(h2dBytes_);
  snapshot.d2hBytes = load(d2hBytes_);
  snapshot.h2dTimeMs = toMilliseconds(load(h2dTimeNs_));
  snapshot.d2hTimeMs = toMilliseconds(load(d2hTimeNs_));
  snapshot.stagedCopies = load(stagedCopies_);
  snapshot.driverAllocations = load(driverAllocations_);
  snapshot.poolBytesInUse = load(poolBytesInUse_);
  snapshot.poolPeakBytes = load(poolPeakBytes_);
  snapshot.pinnedBytes = load(pinnedBytes_);
  snapshot.constantUploads = load(constantUploads_);
  snapshot.libraryCalls = load(libraryCalls_);
  snapshot.graphLaunches = load(graphLaunches_);
  snapshot.graphReplays = load(graphReplays_);
  snapshot.graphCaptures = load(graphCaptures_);
  std::lock_guard<std::mutex> lock(reasonsMutex_);
  snapshot.fallbacks = load(fallbacks_);
  snapshot.fallbackReasons.insert(reasons_.begin(), reasons_.end());
  return snapshot;
}

std::string Metrics::toJson() const { return snapshot().toJson(); }

void Metrics::reset() {
  for (Counter *counter :
       {&gpuExecutions_,     &cpuExecutions_,  &gpuTimeNs_,     &cpuTimeNs_,
        &compiles_,          &compileTimeNs_,  &memoryHits_,    &memoryMisses_,
        &diskHits_,          &diskMisses_,     &diskCorrupt_,   &h2dBytes_,
        &d2hBytes_,          &h2dTimeNs_,      &d2hTimeNs_,     &stagedCopies_,
        &driverAllocations_, &poolBytesInUse_, &poolPeakBytes_, &pinnedBytes_,
        &constantUploads_,   &libraryCalls_,   &graphLaunches_, &graphReplays_,
        &graphCaptures_})
    counter->store(0, std::memory_order_relaxed);
  std::lock_guard<std::mutex> lock(reasonsMutex_);
  fallbacks_.store(0, std::memory_order_relaxed);
  reasons_.clear();
}

} // namespace vmgpu::runtime
