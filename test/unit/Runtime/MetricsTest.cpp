//===- MetricsTest.cpp - the metrics registry, its JSON and threads -------===//

#include "vmgpu/runtime/Metrics.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <limits>
#include <set>
#include <thread>
#include <vector>

using namespace vmgpu::runtime;
using Json = nlohmann::json;

namespace {

Json parseJson(const std::string &text) {
  Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(json.is_discarded()) << text;
  return json;
}

TEST(MetricsTest, FreshRegistryIsZero) {
  Metrics metrics;
  MetricsSnapshot snapshot = metrics.snapshot();
  EXPECT_EQ(snapshot, MetricsSnapshot());
  EXPECT_EQ(snapshot.cacheHitRate(), 0.0);
  EXPECT_EQ(snapshot.memoryCacheHitRate(), 0.0);
  EXPECT_EQ(snapshot.diskCacheHitRate(), 0.0);
}

TEST(MetricsTest, JsonKeysAreTheInterface) {
  Metrics metrics;
  Json json = parseJson(metrics.toJson());
  ASSERT_TRUE(json.is_object());
  std::set<std::string> keys;
  for (auto it = json.begin(); it != json.end(); ++it)
    keys.insert(it.key());
  const std::set<std::string> expected = {"cache.disk.corrupt",
                                          "cache.disk.hit_rate",
                                          "cache.disk.hits",
                                          "cache.disk.misses",
                                          "cache.hit_rate",
                                          "cache.memory.hit_rate",
                                          "cache.memory.hits",
                                          "cache.memory.misses",
                                          "compiles",
                                          "device.constant_uploads",
                                          "device.driver_allocations",
                                          "device.pinned_bytes",
                                          "device.pool.bytes_in_use",
                                          "device.pool.peak_bytes",
                                          "executions.cpu",
                                          "executions.gpu",
                                          "fallbacks",
                                          "fallbacks.reasons",
                                          "graph.captures",
                                          "graph.launches",
                                          "graph.replays",
                                          "library.gemm_calls",
                                          "time.compile_ms",
                                          "time.cpu_ms",
                                          "time.gpu_ms",
                                          "transfer.d2h.bytes",
                                          "transfer.d2h_ms",
                                          "transfer.h2d.bytes",
                                          "transfer.h2d_ms",
                                          "transfer.staged_copies"};
  EXPECT_EQ(keys, expected);
  EXPECT_TRUE(json["fallbacks.reasons"].is_object());
  EXPECT_TRUE(json["executions.gpu"].is_number_unsigned());
  EXPECT_TRUE(json["time.gpu_ms"].is_number_float());
}

TEST(MetricsTest, JsonIsPrettyAndSorted) {
  Metrics metrics;
  metrics.recordFallback("zeta");
  metrics.recordFallback("alpha");
  std::string text = metrics.toJson();
  EXPECT_EQ(text.rfind("{\n  \"cache.disk.corrupt\": 0,\n", 0), 0u) << text;
  EXPECT_NE(text.find("\"fallbacks.reasons\": {\n    \"alpha\": 1,\n    "
                      "\"zeta\": 1\n  },"),
            std::string::npos)
      << text;
  // Top-level keys appear in sorted order.
  size_t previous = 0;
  std::string previousKey;
  Json json = parseJson(text);
  for (auto it = json.begin(); it != json.end(); ++it) {
    size_t at = text.find("\n  \"" + it.key() + "\":");
    ASSERT_NE(at, std::string::npos) << it.key();
    EXPECT_GT(at, previous) << it.key() << " after " << previousKey;
    previous = at;
    previousKey = it.key();
  }
}

TEST(MetricsTest, RecordsEveryMetric) {
  Metrics metrics;
  metrics.recordGpuExecution(1.5);
  metrics.recordGpuExecution(2.5);
  metrics.recordCpuExecution(0.25);
  metrics.recordCompile(100.0);
  metrics.recordCacheHit(CacheLevel::Memory);
  metrics.recordCacheHit(CacheLevel::Memory);
  metrics.recordCacheHit(CacheLevel::Memory);
  metrics.recordCacheMiss(CacheLevel::Memory);
  metrics.recordCacheMiss(CacheLevel::Memory);
  metrics.recordCacheHit(CacheLevel::Disk);
  metrics.recordCacheMiss(CacheLevel::Disk);
  metrics.recordCacheCorrupt();
  metrics.recordHostToDevice(4096, 0.5);
  metrics.recordHostToDevice(1024, 0.25);
  metrics.recordDeviceToHost(2048, 0.125);
  metrics.recordFallback("cuda: out of memory");
  metrics.recordFallback("no device");
  metrics.recordFallback("cuda: out of memory");

  MetricsSnapshot s = metrics.snapshot();
  EXPECT_EQ(s.gpuExecutions, 2u);
  EXPECT_EQ(s.cpuExecutions, 1u);
  EXPECT_DOUBLE_EQ(s.gpuTimeMs, 4.0);
  EXPECT_DOUBLE_EQ(s.cpuTimeMs, 0.25);
  EXPECT_EQ(s.compiles, 1u);
  EXPECT_DOUBLE_EQ(s.compileTimeMs, 100.0);
  EXPECT_EQ(s.memoryCacheHits, 3u);
  EXPECT_EQ(s.memoryCacheMisses, 2u);
  EXPECT_EQ(s.diskCacheHits, 1u);
  EXPECT_EQ(s.diskCacheMisses, 1u);
  EXPECT_EQ(s.diskCacheCorrupt, 1u);
  EXPECT_EQ(s.h2dBytes, 5120u);
  EXPECT_EQ(s.d2hBytes, 2048u);
  EXPECT_DOUBLE_EQ(s.h2dTimeMs, 0.75);
  EXPECT_DOUBLE_EQ(s.d2hTimeMs, 0.125);
  EXPECT_EQ(s.fallbacks, 3u);
  EXPECT_EQ(s.fallbackReasons,
            (std::map<std::string, uint64_t>{{"cuda: out of memory", 2},
                                             {"no device", 1}}));
  EXPECT_DOUBLE_EQ(s.memoryCacheHitRate(), 0.6);
  EXPECT_DOUBLE_EQ(s.diskCacheHitRate(), 0.5);
  EXPECT_DOUBLE_EQ(s.cacheHitRate(), 0.8); // (3 + 1) / 5 lookups.

  Json json = parseJson(metrics.toJson());
  EXPECT_EQ(json["executions.gpu"], 2u);
  EXPECT_EQ(json["executions.cpu"], 1u);
  EXPECT_DOUBLE_EQ(json["time.gpu_ms"].get<double>(), 4.0);
  EXPECT_DOUBLE_EQ(json["time.cpu_ms"].get<double>(), 0.25);
  EXPECT_EQ(json["compiles"], 1u);
  EXPECT_DOUBLE_EQ(json["time.compile_ms"].get<double>(), 100.0);
  EXPECT_EQ(json["cache.memory.hits"], 3u);
  EXPECT_EQ(json["cache.memory.misses"], 2u);
  EXPECT_EQ(json["cache.disk.hits"], 1u);
  EXPECT_EQ(json["cache.disk.misses"], 1u);
  EXPECT_EQ(json["cache.disk.corrupt"], 1u);
  EXPECT_DOUBLE_EQ(json["cache.hit_rate"].get<double>(), 0.8);
  EXPECT_DOUBLE_EQ(json["cache.memory.hit_rate"].get<double>(), 0.6);
  EXPECT_DOUBLE_EQ(json["cache.disk.hit_rate"].get<double>(), 0.5);
  EXPECT_EQ(json["transfer.h2d.bytes"], 5120u);
  EXPECT_EQ(json["transfer.d2h.bytes"], 2048u);
  EXPECT_DOUBLE_EQ(json["transfer.h2d_ms"].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(json["transfer.d2h_ms"].get<double>(), 0.125);
  EXPECT_EQ(json["fallbacks"], 3u);
  EXPECT_EQ(json["fallbacks.reasons"]["cuda: out of memory"], 2u);
  EXPECT_EQ(json["fallbacks.reasons"]["no device"], 1u);
}

TEST(MetricsTest, HitRateEdgeCases) {
  MetricsSnapshot s;
  s.diskCacheHits = 3;
  s.diskCacheMisses = 1;
  EXPECT_DOUBLE_EQ(s.cacheHitRate(), 0.75); // Memory level off.
  s.memoryCacheMisses = 1;
  EXPECT_DOUBLE_EQ(s.cacheHitRate(), 1.0); // Clamped.
}

TEST(MetricsTest, BadDurationsCountAsZero) {
  Metrics metrics;
  metrics.recordGpuExecution(-5.0);
  metrics.recordCpuExecution(std::numeric_limits<double>::quiet_NaN());
  metrics.recordCompile(std::numeric_limits<double>::infinity());
  MetricsSnapshot s = metrics.snapshot();
  EXPECT_EQ(s.gpuExecutions, 1u);
  EXPECT_EQ(s.gpuTimeMs, 0.0);
  EXPECT_EQ(s.cpuTimeMs, 0.0);
  EXPECT_TRUE(std::isfinite(s.compileTimeMs));
  EXPECT_TRUE(parseJson(metrics.toJson()).is_object());
}

TEST(MetricsTest, FallbackReasonsAreBounded) {
  Metrics metrics;
  for (size_t i = 0; i < Metrics::kMaxReasons + 10; ++i)
    metrics.recordFallback("reason " + std::to_string(i));
  metrics.recordFallback("reason 0");
  metrics.recordFallback(std::string(1000, 'x'));
  MetricsSnapshot s = metrics.snapshot();
  EXPECT_EQ(s.fallbacks, Metrics::kMaxReasons + 12);
  EXPECT_EQ(s.fallbackReasons.size(), Metrics::kMaxReasons + 1);
  EXPECT_EQ(s.fallbackReasons["reason 0"], 2u);
  EXPECT_EQ(s.fallbackReasons[Metrics::kOtherReason], 11u);
  uint64_t total = 0;
  for (const auto &entry : s.fallbackReasons)
    total += entry.second;
  EXPECT_EQ(total, s.fallbacks);

  Metrics truncating;
  truncating.recordFallback(std::string(1000, 'x'));
  MetricsSnapshot t = truncating.snapshot();
  ASSERT_EQ(t.fallbackReasons.size(), 1u);
  EXPECT_EQ(t.fallbackReasons.begin()->first.size(), Metrics::kMaxReasonLength);
}

TEST(MetricsTest, InvalidUtf8ReasonStillSerializes) {
  Metrics metrics;
  metrics.recordFallback("driver said \xff\xfe");
  Json json = parseJson(metrics.toJson());
  ASSERT_TRUE(json["fallbacks.reasons"].is_object());
  EXPECT_EQ(json["fallbacks.reasons"].size(), 1u);
}

TEST(MetricsTest, ResetClearsEverything) {
  Metrics metrics;
  metrics.recordGpuExecution(1.0);
  metrics.recordCacheHit(CacheLevel::Disk);
  metrics.recordHostToDevice(10, 1.0);
  metrics.recordFallback("x");
  metrics.reset();
  EXPECT_EQ(metrics.snapshot(), MetricsSnapshot());
}

TEST(MetricsTest, JsonRoundTrip) {
  Metrics metrics;
  metrics.recordGpuExecution(1.25);
  metrics.recordCompile(3.5);
  metrics.recordCacheHit(CacheLevel::Memory);
  metrics.recordCacheMiss(CacheLevel::Disk);
  metrics.recordDeviceToHost(12, 0.5);
  metrics.recordFallback("no device");
  MetricsSnapshot original = metrics.snapshot();
  StatusOr<MetricsSnapshot> back = MetricsSnapshot::fromJson(original.toJson());
  ASSERT_TRUE(back.isOk()) << back.status().toString();
  EXPECT_EQ(*back, original);

  StatusOr<MetricsSnapshot> partial =
      MetricsSnapshot::fromJson(R"({"compiles": 4, "future.metric": [1]})");
  ASSERT_TRUE(partial.isOk());
  EXPECT_EQ(partial->compiles, 4u);
  EXPECT_EQ(partial->gpuExecutions, 0u);
}

TEST(MetricsTest, FromJsonRejectsBadInput) {
  const std::pair<const char *, const char *> cases[] = {
      {"", "does not parse"},
      {"{", "does not parse"},
      {"not json", "does not parse"},
      {"[1, 2]", "not an object"},
      {R"({"executions.gpu": -1})", "'executions.gpu' is not an unsigned"},
      {R"({"executions.gpu": 1.5})", "'executions.gpu' is not an unsigned"},
      {R"({"compiles": "3"})", "'compiles' is not an unsigned"},
      {R"({"time.gpu_ms": "fast"})", "'time.gpu_ms' is not a number"},
      {R"({"fallbacks.reasons": 3})", "'fallbacks.reasons' is not an object"},
      {R"({"fallbacks.reasons": {"a": "b"}})", "entry 'a' is not"},
  };
  for (const auto &[text, needle] : cases) {
    SCOPED_TRACE(text);
    StatusOr<MetricsSnapshot> result = MetricsSnapshot::fromJson(text);
    ASSERT_FALSE(result.isOk());
    EXPECT_EQ(result.status().code(), StatusCode::InvalidArgument);
    EXPECT_NE(result.status().message().find(needle), std::string::npos)
        << result.status().message();
  }
}

TEST(MetricsTest, ConcurrentRecordingFromEightThreads) {
  constexpr int kThreads = 8;
  constexpr int kIterations = 20000;
  Metrics metrics;
  std::atomic<bool> done{false};
  // A reader snapshots while the writers run: totals and per-reason counts
  // must always agree.
  std::thread reader([&] {
    while (!done.load()) {
      MetricsSnapshot s = metrics.snapshot();
      uint64_t total = 0;
      for (const auto &entry : s.fallbackReasons)
        total += entry.second;
      ASSERT_EQ(total, s.fallbacks);
      (void)s.toJson();
    }
  });
  std::vector<std::thread> writers;
  for (int t = 0; t < kThreads; ++t) {
    writers.emplace_back([&metrics, t] {
      std::string reason = t % 2 ? "odd" : "even";
      for (int i = 0; i < kIterations; ++i) {
        metrics.recordGpuExecution(0.001);
        metrics.recordCpuExecution(0.002);
        metrics.recordCompile(0.5);
        metrics.recordCacheHit(CacheLevel::Memory);
        metrics.recordCacheMiss(CacheLevel::Memory);
        metrics.recordCacheHit(CacheLevel::Disk);
        metrics.recordCacheMiss(CacheLevel::Disk);
        metrics.recordCacheCorrupt();
        metrics.recordHostToDevice(3, 0.001);
        metrics.recordDeviceToHost(5, 0.001);
        metrics.recordFallback(reason);
      }
    });
  }
  for (std::thread &writer : writers)
    writer.join();
  done = true;
  reader.join();

  constexpr uint64_t n = uint64_t(kThreads) * kIterations;
  MetricsSnapshot s = metrics.snapshot();
  EXPECT_EQ(s.gpuExecutions, n);
  EXPECT_EQ(s.cpuExecutions, n);
  EXPECT_EQ(s.compiles, n);
  EXPECT_EQ(s.memoryCacheHits, n);
  EXPECT_EQ(s.memoryCacheMisses, n);
  EXPECT_EQ(s.diskCacheHits, n);
  EXPECT_EQ(s.diskCacheMisses, n);
  EXPECT_EQ(s.diskCacheCorrupt, n);
  EXPECT_EQ(s.h2dBytes, 3 * n);
  EXPECT_EQ(s.d2hBytes, 5 * n);
  EXPECT_EQ(s.fallbacks, n);
  EXPECT_EQ(s.fallbackReasons["odd"], n / 2);
  EXPECT_EQ(s.fallbackReasons["even"], n / 2);
  // Times are kept in integer nanoseconds, so they add up exactly.
  EXPECT_DOUBLE_EQ(s.gpuTimeMs, 0.001 * n);
  EXPECT_DOUBLE_EQ(s.cpuTimeMs, 0.002 * n);
  EXPECT_DOUBLE_EQ(s.compileTimeMs, 0.5 * n);
  EXPECT_DOUBLE_EQ(s.h2dTimeMs, 0.001 * n);
}

TEST(StopwatchTest, MeasuresElapsedTime) {
  Stopwatch watch;
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  double elapsed = watch.elapsedMs();
  EXPECT_GE(elapsed, 2.0);
  watch.restart();
  EXPECT_LT(watch.elapsedMs(), elapsed + 1000.0);
}

} // namespace

namespace {
TEST(MetricsTest, DeviceMemoryAddsCountsAndKeepsLevels) {
  Metrics metrics;
  metrics.recordDeviceMemory(1, 2, 4096, 8192, 1 << 20);
  metrics.recordDeviceMemory(0, 0, 0, 8192, 1 << 20);
  metrics.recordConstantUploads(3);
  metrics.recordConstantUploads(0);
  MetricsSnapshot s = metrics.snapshot();
  EXPECT_EQ(s.constantUploads, 3u);
  EXPECT_EQ(s.stagedCopies, 1u);
  EXPECT_EQ(s.driverAllocations, 2u);
  EXPECT_EQ(s.poolBytesInUse, 0u);
  EXPECT_EQ(s.poolPeakBytes, 8192u);
  EXPECT_EQ(s.pinnedBytes, uint64_t(1) << 20);
  StatusOr<MetricsSnapshot> parsed = MetricsSnapshot::fromJson(s.toJson());
  ASSERT_TRUE(parsed.isOk());
  EXPECT_EQ(*parsed, s);
  metrics.reset();
  EXPECT_EQ(metrics.snapshot(), MetricsSnapshot());
}
} // namespace
