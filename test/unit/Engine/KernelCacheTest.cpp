//===- KernelCacheTest.cpp - the kernel cache's memory and disk levels ----===//
//
// Processes are real: the tests start copies of this binary that run only
// KernelCacheChild.DISABLED_CompileAndRun, which compiles and runs the
// division program through an engine caching in $VMGPU_TEST_CACHE_DIR, checks
// the results and writes its metrics JSON to $VMGPU_TEST_METRICS_FILE.
//
//===----------------------------------------------------------------------===//

#include "EngineTestUtils.h"

#include "vmgpu/runtime/ArtifactFile.h"
#include "vmgpu/runtime/KernelCache.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

using namespace vmgpu;
using namespace vmgpu::runtime;
using namespace vmgpu::test;
namespace fs = std::filesystem;

namespace {

/// A fresh directory under the test's temporary directory.
std::string freshDirectory(const std::string &name) {
  fs::path path = fs::temp_directory_path() /
                  ("vmgpu-cache-test-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(path);
  fs::create_directories(path);
  return path.string();
}

EngineOptions cpuCachingIn(const std::string &directory) {
  EngineOptions options = optionsFor(DeviceSelection::Kind::Cpu);
  options.cache.directory = directory;
  return options;
}

std::vector<fs::path> entriesIn(const std::string &directory) {
  std::vector<fs::path> entries;
  for (const auto &file : fs::directory_iterator(directory + "/v1"))
    if (file.path().extension() == ".vmgpu")
      entries.push_back(file.path());
  return entries;
}

/// Starts a copy of this binary as a cache child; returns its pid.
pid_t spawnChild(const std::string &directory, const std::string &metricsFile) {
  std::vector<std::string> environment;
  // The child runs one test of its own: GoogleTest's sharding variables
  // (lit shards test binaries) would give it none to run.
  for (char **entry = environ; *entry; ++entry)
    if (std::strncmp(*entry, "GTEST_", 6) != 0)
      environment.emplace_back(*entry);
  environment.push_back("VMGPU_TEST_CACHE_DIR=" + directory);
  environment.push_back("VMGPU_TEST_METRICS_FILE=" + metricsFile);
  std::vector<char *> envp;
  for (std::string &entry : environment)
    envp.push_back(entry.data());
  envp.push_back(nullptr);
  std::string self = fs::read_symlink("/proc/self/exe").string();
  std::string filter =
      "--gtest_filter=KernelCacheChild.DISABLED_CompileAndRun";
  std::string disabled = "--gtest_also_run_disabled_tests";
  char *argv[] = {self.data(), filter.data(), disabled.data(), nullptr};
  // The child's GoogleTest report would interleave with this one's.
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null",
                                   O_WRONLY, 0);
  pid_t pid = -1;
  int error =
      posix_spawn(&pid, self.c_str(), &actions, nullptr, argv, envp.data());
  posix_spawn_file_actions_destroy(&actions);
  return error == 0 ? pid : -1;
}

/// Waits for `pid`; returns its metrics, or a null JSON when it failed.
nlohmann::json waitForChild(pid_t pid, const std::string &metricsFile) {
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0)
    return nullptr;
  std::ifstream in(metricsFile);
  return nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
}

} // namespace

TEST(KernelCacheChild, DISABLED_CompileAndRun) {
  const char *directory = std::getenv("VMGPU_TEST_CACHE_DIR");
  const char *metricsFile = std::getenv("VMGPU_TEST_METRICS_FILE");
  ASSERT_TRUE(directory && metricsFile);
  Engine engine(cpuCachingIn(directory));
  compileAndRun(engine);
  std::ofstream(metricsFile) << engine.metrics().toJson();
}

TEST(KernelCacheTest, ASecondProcessCompilesNothing) {
  std::string directory = freshDirectory("second-process");
  std::string metrics = directory + "/metrics.json";
  nlohmann::json first = waitForChild(spawnChild(directory, metrics), metrics);
  ASSERT_TRUE(first.is_object());
  EXPECT_EQ(first["compiles"], 1);
  EXPECT_EQ(first["cache.disk.misses"], 1);
  nlohmann::json second = waitForChild(spawnChild(directory, metrics), metrics);
  ASSERT_TRUE(second.is_object());
  EXPECT_EQ(second["compiles"], 0);
  EXPECT_EQ(second["cache.disk.hits"], 1);
  EXPECT_EQ(second["cache.disk.misses"], 0);
}

TEST(KernelCacheTest, TheMemoryLevelAnswersRepeatedCompiles) {
  std::string directory = freshDirectory("memory");
  Engine engine(cpuCachingIn(directory));
  compileAndRun(engine);
  compileAndRun(engine);
  MetricsSnapshot metrics = engine.metrics().snapshot();
  EXPECT_EQ(metrics.compiles, 1u);
  EXPECT_EQ(metrics.memoryCacheHits, 1u);
  EXPECT_EQ(metrics.memoryCacheMisses, 1u);
}

/// Damages the only entry with `damage`, then checks that a new engine gets
/// correct results, counts the entry as corrupt and compiles again.
void expectRecoveryFrom(const std::string &name,
                        void (*damage)(const fs::path &entry)) {
  SCOPED_TRACE(name);
  std::string directory = freshDirectory(name);
  {
    Engine engine(cpuCachingIn(directory));
    compileAndRun(engine);
  }
  std::vector<fs::path> entries = entriesIn(directory);
  ASSERT_EQ(entries.size(), 1u);
  damage(entries[0]);
  Engine engine(cpuCachingIn(directory));
  compileAndRun(engine);
  MetricsSnapshot metrics = engine.metrics().snapshot();
  EXPECT_EQ(metrics.diskCacheCorrupt, 1u);
  EXPECT_EQ(metrics.diskCacheMisses, 1u);
  EXPECT_EQ(metrics.compiles, 1u);
  // The recompiled entry replaced the damaged one.
  Engine again(cpuCachingIn(directory));
  compileAndRun(again);
  EXPECT_EQ(again.metrics().snapshot().compiles, 0u);
}

TEST(KernelCacheTest, DamagedEntriesAreCountedAndRecompiled) {
  expectRecoveryFrom("truncated", [](const fs::path &entry) {
    fs::resize_file(entry, fs::file_size(entry) / 2);
  });
  expectRecoveryFrom("bit-flipped", [](const fs::path &entry) {
    std::fstream file(entry, std::ios::in | std::ios::out | std::ios::binary);
    file.seekg(-100, std::ios::end);
    char byte = 0;
    file.get(byte);
    file.seekp(-100, std::ios::end);
    file.put(static_cast<char>(byte ^ 0x10));
  });
  // A writer that died after writing half: its temporary file is never read;
  // an entry it truncated in place (not how vmgpu writes) is corrupt.
  expectRecoveryFrom("half-written", [](const fs::path &entry) {
    std::ifstream in(entry, std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    std::string half = bytes.str().substr(0, bytes.str().size() / 2);
    std::ofstream(entry.string() + ".tmp.dead01", std::ios::binary) << half;
    std::ofstream(entry, std::ios::binary | std::ios::trunc) << half;
  });
  expectRecoveryFrom("empty", [](const fs::path &entry) {
    fs::resize_file(entry, 0);
  });
}

TEST(KernelCacheTest, AnEntryThatDoesNotLoadIsRebuilt) {
  // A well-formed entry whose binary is not a shared object (as one linked
  // against a library since removed would fail): dropped and rebuilt.
  std::string directory = freshDirectory("unloadable");
  {
    Engine engine(cpuCachingIn(directory));
    compileAndRun(engine);
  }
  std::vector<fs::path> entries = entriesIn(directory);
  ASSERT_EQ(entries.size(), 1u);
  StatusOr<Artifact> artifact = readArtifactFile(entries[0].string());
  ASSERT_TRUE(artifact.isOk()) << artifact.status().toString();
  artifact->binary = "not a shared object";
  ASSERT_TRUE(writeArtifactFile(entries[0].string(), *artifact).isOk());

  Engine engine(cpuCachingIn(directory));
  compileAndRun(engine);
  MetricsSnapshot metrics = engine.metrics().snapshot();
  EXPECT_EQ(metrics.diskCacheHits, 1u);
  EXPECT_EQ(metrics.compiles, 1u);
  Engine again(cpuCachingIn(directory));
  compileAndRun(again);
  EXPECT_EQ(again.metrics().snapshot().compiles, 0u);
}

TEST(KernelCacheTest, EightThreadsCompileOnce) {
  std::string directory = freshDirectory("threads");
  Engine engine(cpuCachingIn(directory));
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] { compileAndRun(engine); });
  for (std::thread &thread : threads)
    thread.join();
  MetricsSnapshot metrics = engine.metrics().snapshot();
  EXPECT_EQ(metrics.compiles, 1u);
  EXPECT_EQ(metrics.memoryCacheHits + metrics.memoryCacheMisses, 8u);
  EXPECT_EQ(metrics.cpuExecutions, 8u);
}

TEST(KernelCacheTest, EightEnginesSharingADirectoryCompileOnce) {
  // Separate engines share only the disk level: the key's lock file is what
  // keeps them from compiling twice.
  std::string directory = freshDirectory("engines");
  std::vector<std::unique_ptr<Engine>> engines;
  for (int i = 0; i < 8; ++i)
    engines.push_back(std::make_unique<Engine>(cpuCachingIn(directory)));
  std::vector<std::thread> threads;
  for (auto &engine : engines)
    threads.emplace_back([&engine] { compileAndRun(*engine); });
  for (std::thread &thread : threads)
    thread.join();
  uint64_t compiles = 0, hits = 0;
  for (auto &engine : engines) {
    compiles += engine->metrics().snapshot().compiles;
    hits += engine->metrics().snapshot().diskCacheHits;
  }
  EXPECT_EQ(compiles, 1u);
  EXPECT_EQ(hits, 7u);
}

TEST(KernelCacheTest, FourProcessesCompileOnce) {
  std::string directory = freshDirectory("processes");
  std::vector<pid_t> children;
  for (int i = 0; i < 4; ++i)
    children.push_back(
        spawnChild(directory, directory + "/metrics" + std::to_string(i)));
  uint64_t compiles = 0, hits = 0;
  for (int i = 0; i < 4; ++i) {
    std::string file = directory + "/metrics" + std::to_string(i);
    nlohmann::json metrics = waitForChild(children[i], file);
    ASSERT_TRUE(metrics.is_object()) << "child " << i << " failed";
    compiles += metrics["compiles"].get<uint64_t>();
    hits += metrics["cache.disk.hits"].get<uint64_t>();
  }
  EXPECT_EQ(compiles, 1u);
  EXPECT_EQ(hits, 3u);
}

TEST(KernelCacheTest, ALockHeldByADeadProcessIsReleased) {
  std::string directory = freshDirectory("dead-holder");
  DiskCache cache({directory, uint64_t(1) << 20}, nullptr);
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // Take the lock, say so, and wait to be killed while holding it.
    StatusOr<DiskCache::KeyLock> held = cache.lock("key");
    char byte = held.isOk() ? 'y' : 'n';
    (void)!::write(ready[1], &byte, 1);
    ::pause();
    ::_exit(0);
  }
  char byte = 0;
  ASSERT_EQ(::read(ready[0], &byte, 1), 1);
  ASSERT_EQ(byte, 'y');
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  StatusOr<DiskCache::KeyLock> held = cache.lock("key");
  EXPECT_TRUE(held.isOk()) << held.status().toString();
  ::close(ready[0]);
  ::close(ready[1]);
}

Artifact artifactOfSize(size_t bytes) {
  Artifact artifact;
  artifact.target = "cpu";
  artifact.entry = "main";
  artifact.binary.assign(bytes, 'x');
  return artifact;
}

TEST(KernelCacheTest, EvictionKeepsTheDiskUnderItsBound) {
  std::string directory = freshDirectory("eviction");
  constexpr uint64_t kBound = 64 * 1024;
  DiskCache cache({directory, kBound}, nullptr);
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(
        cache.publish("entry" + std::to_string(i), artifactOfSize(10000)).isOk());
    // Distinct modification times order the entries.
    fs::last_write_time(directory + "/v1/entry" + std::to_string(i) + ".vmgpu",
                        fs::file_time_type::clock::now() -
                            std::chrono::seconds(100 - i));
  }
  uint64_t total = 0;
  for (const fs::path &entry : entriesIn(directory))
    total += fs::file_size(entry);
  EXPECT_LE(total, kBound);
  EXPECT_GE(entriesIn(directory).size(), 5u);
  // The newest entries stay, the oldest went first.
  EXPECT_TRUE(cache.lookup("entry9").has_value());
  EXPECT_FALSE(cache.lookup("entry0").has_value());
  // A hit makes an entry recent: entry5 outlives newer ones.
  fs::path entry5 = directory + "/v1/entry5.vmgpu";
  ASSERT_TRUE(cache.lookup("entry5").has_value());
  for (int i = 10; i < 14; ++i)
    ASSERT_TRUE(
        cache.publish("entry" + std::to_string(i), artifactOfSize(10000)).isOk());
  EXPECT_TRUE(fs::exists(entry5));
}

TEST(KernelCacheTest, AnEntryLargerThanTheBoundIsNotKept) {
  std::string directory = freshDirectory("oversized");
  DiskCache cache({directory, 4096}, nullptr);
  ASSERT_TRUE(cache.publish("small", artifactOfSize(100)).isOk());
  EXPECT_EQ(cache.publish("huge", artifactOfSize(10000)).code(),
            StatusCode::ResourceExhausted);
  EXPECT_FALSE(cache.lookup("huge").has_value());
  // Nothing else was evicted to make room for it.
  EXPECT_TRUE(cache.lookup("small").has_value());
}

TEST(KernelCacheTest, StaleTemporaryFilesAreRemoved) {
  std::string directory = freshDirectory("stale");
  DiskCache cache({directory, uint64_t(1) << 20}, nullptr);
  ASSERT_TRUE(cache.publish("live", artifactOfSize(10)).isOk());
  fs::path stale = directory + "/v1/dead.vmgpu.tmp.abcdef";
  std::ofstream(stale) << "half";
  fs::last_write_time(stale, fs::file_time_type::clock::now() -
                                 std::chrono::hours(2));
  ASSERT_TRUE(cache.evict().isOk());
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(cache.lookup("live").has_value());
}

TEST(KernelCacheTest, BadKeysAreRefused) {
  DiskCache cache({freshDirectory("keys"), uint64_t(1) << 20}, nullptr);
  for (const char *key : {"", "../escape", "a/b", "with space"}) {
    EXPECT_FALSE(DiskCache::isValidKey(key)) << key;
    EXPECT_EQ(cache.publish(key, artifactOfSize(1)).code(),
              StatusCode::InvalidArgument);
    EXPECT_FALSE(cache.lookup(key).has_value());
  }
  EXPECT_FALSE(DiskCache::isValidKey(std::string(129, 'a')));
}

TEST(KernelCacheTest, AnUnwritableDirectoryOnlyCostsCompiles) {
  // A path below a regular file can never be created.
  std::string directory = freshDirectory("unwritable");
  std::ofstream(directory + "/file") << "x";
  Engine engine(cpuCachingIn(directory + "/file/cache"));
  compileAndRun(engine);
  EXPECT_EQ(engine.metrics().snapshot().compiles, 1u);
}

TEST(KernelCacheTest, DiskCacheCanBeTurnedOff) {
  std::string directory = freshDirectory("off");
  EngineOptions options = cpuCachingIn(directory);
  options.cache.disk = false;
  Engine engine(options);
  EXPECT_EQ(engine.diskCache(), nullptr);
  compileAndRun(engine);
  EXPECT_FALSE(fs::exists(directory + "/v1"));
}
