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
#include <chrono>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
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

Artifact artifactOfSize(size_t bytes) {
  Artifact artifact;
  artifact.target = "cpu";
  artifact.entry = "main";
  artifact.binary.assign(bytes, 'x');
  return artifact;
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
  // Still bound to its key: it passes every check but loading.
  ASSERT_TRUE(writeFileAtomically(entries[0].string(),
                                  serializeArtifact(*artifact,
                                                    entries[0].stem().string()))
                  .isOk());

  Engine engine(cpuCachingIn(directory));
  compileAndRun(engine);
  MetricsSnapshot metrics = engine.metrics().snapshot();
  EXPECT_EQ(metrics.diskCacheHits, 1u);
  EXPECT_EQ(metrics.compiles, 1u);
  Engine again(cpuCachingIn(directory));
  compileAndRun(again);
  EXPECT_EQ(again.metrics().snapshot().compiles, 0u);
}

/// a - b, elementwise: another program with the division program's
/// signature, so that one's entry would run in place of the other's.
constexpr const char *kSubtraction = R"mlir(
func.func @main(%a: tensor<?xi32>, %b: tensor<?xi32>) -> tensor<?xi32> {
  %0 = vm.sub %a, %b : tensor<?xi32>
  return %0 : tensor<?xi32>
}
)mlir";

/// Compiles and runs kSubtraction through `engine`; checks 7-2, -7-2, 5-0,
/// INT32_MIN-(-1) (worked out by hand).
void compileAndRunSubtraction(Engine &engine) {
  std::string diagnostics;
  llvm::raw_string_ostream os(diagnostics);
  StatusOr<std::shared_ptr<const CompiledBlock>> block = engine.compile(
      llvm::MemoryBuffer::getMemBufferCopy(kSubtraction), "main", os);
  ASSERT_TRUE(block.isOk()) << block.status().toString() << diagnostics;
  std::vector<HostTensor> inputs = divisionInputs();
  StatusOr<std::vector<HostTensor>> results =
      engine.run(**block, {&inputs[0], &inputs[1]});
  ASSERT_TRUE(results.isOk()) << results.status().toString();
  ASSERT_EQ(results->size(), 1u);
  const int32_t *out = (*results)[0].data<int32_t>();
  EXPECT_EQ(out[0], 5);
  EXPECT_EQ(out[1], -9);
  EXPECT_EQ(out[2], 5);
  EXPECT_EQ(out[3], INT32_MIN + 1);
}

TEST(KernelCacheTest, AnEntryOfAnotherProgramUnderThisKeyIsNotUsed) {
  // Every check but the key passes for a valid entry copied under another
  // name: it must be a miss, counted as corrupt and recompiled, never run.
  std::string directory = freshDirectory("foreign-entry");
  {
    Engine engine(cpuCachingIn(directory));
    compileAndRun(engine);
  }
  std::vector<fs::path> division = entriesIn(directory);
  ASSERT_EQ(division.size(), 1u);
  {
    Engine engine(cpuCachingIn(directory));
    compileAndRunSubtraction(engine);
  }
  std::vector<fs::path> both = entriesIn(directory);
  ASSERT_EQ(both.size(), 2u);
  fs::path subtraction = both[0] == division[0] ? both[1] : both[0];
  fs::copy_file(division[0], subtraction,
                fs::copy_options::overwrite_existing);

  Engine engine(cpuCachingIn(directory));
  compileAndRunSubtraction(engine);
  MetricsSnapshot metrics = engine.metrics().snapshot();
  EXPECT_EQ(metrics.diskCacheCorrupt, 1u);
  EXPECT_EQ(metrics.diskCacheHits, 0u);
  EXPECT_EQ(metrics.compiles, 1u);
  // Republished under its own key: the next engine hits it.
  Engine again(cpuCachingIn(directory));
  compileAndRunSubtraction(again);
  EXPECT_EQ(again.metrics().snapshot().compiles, 0u);
  EXPECT_EQ(again.metrics().snapshot().diskCacheHits, 1u);
}

TEST(KernelCacheTest, LookupChecksTheStoredKey) {
  std::string directory = freshDirectory("stored-key");
  Metrics metrics;
  DiskCache cache({directory, uint64_t(1) << 20}, &metrics);
  ASSERT_TRUE(cache.publish("first", artifactOfSize(10)).isOk());
  fs::copy_file(directory + "/v1/first.vmgpu", directory + "/v1/second.vmgpu");
  EXPECT_FALSE(cache.lookup("second").has_value());
  EXPECT_EQ(metrics.snapshot().diskCacheCorrupt, 1u);
  EXPECT_FALSE(fs::exists(directory + "/v1/second.vmgpu"));
  EXPECT_TRUE(cache.lookup("first").has_value());
  // An artifact file written outside the cache records no key.
  ASSERT_TRUE(writeArtifactFile(directory + "/v1/third.vmgpu",
                                artifactOfSize(10))
                  .isOk());
  EXPECT_FALSE(cache.lookup("third").has_value());
  EXPECT_EQ(metrics.snapshot().diskCacheCorrupt, 2u);
}

TEST(KernelCacheTest, WhatIsNotARegularFileIsNeverOpened) {
  // A FIFO would block the open or the read, /dev/zero never ends, a link
  // may lead anywhere: each is corrupt, and the name is freed for the
  // recompiled entry.
  std::string directory = freshDirectory("not-regular");
  Metrics metrics;
  DiskCache cache({directory, uint64_t(1) << 20}, &metrics);
  ASSERT_TRUE(cache.publish("real", artifactOfSize(10)).isOk());
  std::string v1 = directory + "/v1/";
  ASSERT_EQ(::mkfifo((v1 + "fifo.vmgpu").c_str(), 0644), 0);
  fs::create_symlink("/dev/zero", v1 + "zero.vmgpu");
  fs::create_symlink(v1 + "real.vmgpu", v1 + "link.vmgpu");
  fs::create_directory(v1 + "dir.vmgpu");
  uint64_t corrupt = 0;
  for (const char *key : {"fifo", "zero", "link", "dir"}) {
    SCOPED_TRACE(key);
    EXPECT_FALSE(cache.lookup(key).has_value());
    EXPECT_EQ(metrics.snapshot().diskCacheCorrupt, ++corrupt);
  }
  EXPECT_FALSE(fs::exists(fs::symlink_status(v1 + "fifo.vmgpu")));
  EXPECT_FALSE(fs::exists(fs::symlink_status(v1 + "zero.vmgpu")));
  EXPECT_FALSE(fs::exists(fs::symlink_status(v1 + "link.vmgpu")));
  // The link's target is untouched; publishing replaces the freed names.
  EXPECT_TRUE(cache.lookup("real").has_value());
  ASSERT_TRUE(cache.publish("fifo", artifactOfSize(10)).isOk());
  EXPECT_TRUE(cache.lookup("fifo").has_value());
  // Eviction does not count what a link points to.
  fs::create_symlink(v1 + "real.vmgpu", v1 + "link2.vmgpu");
  StatusOr<uint64_t> total = cache.evict();
  ASSERT_TRUE(total.isOk());
  EXPECT_EQ(*total, fs::file_size(v1 + "real.vmgpu") +
                        fs::file_size(v1 + "fifo.vmgpu"));
}

TEST(KernelCacheTest, AnEntryAboveTheEntryBoundIsNeverRead) {
  // A sparse file costs no disk: a huge one under an entry's name must not
  // be read into memory.
  std::string directory = freshDirectory("huge-entry");
  Metrics metrics;
  DiskCacheOptions options{directory, uint64_t(1) << 30};
  options.maxEntryBytes = 1 << 20;
  DiskCache cache(options, &metrics);
  EXPECT_EQ(cache.maxEntryBytes(), uint64_t(1) << 20);
  ASSERT_TRUE(cache.publish("small", artifactOfSize(10)).isOk());
  std::string huge = directory + "/v1/huge.vmgpu";
  fs::copy_file(directory + "/v1/small.vmgpu", huge);
  fs::resize_file(huge, uint64_t(64) << 30);
  EXPECT_FALSE(cache.lookup("huge").has_value());
  EXPECT_EQ(metrics.snapshot().diskCacheCorrupt, 1u);
  EXPECT_FALSE(fs::exists(huge));
  // Nor is one that large written.
  EXPECT_EQ(cache.publish("big", artifactOfSize(2 << 20)).code(),
            StatusCode::ResourceExhausted);
}

TEST(KernelCacheTest, AnEntryOthersCouldHaveWrittenIsNotUsed) {
  std::string directory = freshDirectory("foreign-writer");
  Metrics metrics;
  DiskCache cache({directory, uint64_t(1) << 20}, &metrics);
  ASSERT_TRUE(cache.publish("shared", artifactOfSize(10)).isOk());
  std::string entry = directory + "/v1/shared.vmgpu";
  fs::permissions(entry, fs::perms::group_write, fs::perm_options::add);
  EXPECT_FALSE(cache.lookup("shared").has_value());
  EXPECT_EQ(metrics.snapshot().diskCacheCorrupt, 1u);
  ASSERT_TRUE(cache.publish("owned", artifactOfSize(10)).isOk());
  // Another user's entry (only root can make one here).
  if (::geteuid() != 0)
    GTEST_SKIP() << "changing a file's owner needs root";
  ASSERT_EQ(::chown((directory + "/v1/owned.vmgpu").c_str(), 12345, 12345), 0);
  EXPECT_FALSE(cache.lookup("owned").has_value());
  EXPECT_EQ(metrics.snapshot().diskCacheCorrupt, 2u);
}

TEST(KernelCacheTest, AnEntryOfAnOlderFormatIsAQuietMiss) {
  std::string directory = freshDirectory("old-format");
  Metrics metrics;
  DiskCache cache({directory, uint64_t(1) << 20}, &metrics);
  ASSERT_TRUE(cache.publish("old", artifactOfSize(10)).isOk());
  std::string entry = directory + "/v1/old.vmgpu";
  {
    // The version field follows the 8-byte magic.
    std::fstream file(entry, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(8);
    file.put('\x02');
  }
  EXPECT_FALSE(cache.lookup("old").has_value());
  EXPECT_EQ(metrics.snapshot().diskCacheCorrupt, 0u);
  EXPECT_FALSE(fs::exists(entry));
}

TEST(KernelCacheTest, LockFilesThatAreNotRegularFilesAreRefused) {
  std::string directory = freshDirectory("lock-files");
  DiskCache cache({directory, uint64_t(1) << 20}, nullptr);
  ASSERT_TRUE(cache.publish("x", artifactOfSize(10)).isOk());
  std::string v1 = directory + "/v1/";
  std::ofstream(directory + "/target") << "keep";
  fs::create_symlink(directory + "/target", v1 + "linked.lock");
  ASSERT_EQ(::mkfifo((v1 + "fifo.lock").c_str(), 0644), 0);
  EXPECT_FALSE(cache.lock("linked").isOk());
  EXPECT_FALSE(cache.lock("fifo").isOk());
  // Eviction removes them; the link's target stays.
  ASSERT_TRUE(cache.evict().isOk());
  EXPECT_FALSE(fs::exists(fs::symlink_status(v1 + "linked.lock")));
  EXPECT_FALSE(fs::exists(fs::symlink_status(v1 + "fifo.lock")));
  EXPECT_TRUE(fs::exists(directory + "/target"));
  EXPECT_TRUE(cache.lock("linked").isOk());
}

/// A child process that takes `key`'s lock in `directory` and stops itself
/// (SIGSTOP) while holding it. Kill it with SIGKILL.
pid_t stoppedLockHolder(const std::string &directory, const std::string &key) {
  int ready[2];
  if (::pipe(ready) != 0)
    return -1;
  pid_t child = ::fork();
  if (child == 0) {
    DiskCache cache({directory, uint64_t(1) << 30}, nullptr);
    StatusOr<DiskCache::KeyLock> held = cache.lock(key);
    char byte = held.isOk() ? 'y' : 'n';
    (void)!::write(ready[1], &byte, 1);
    ::raise(SIGSTOP);
    ::_exit(0);
  }
  ::close(ready[1]);
  char byte = 0;
  bool locked = child > 0 && ::read(ready[0], &byte, 1) == 1 && byte == 'y';
  ::close(ready[0]);
  if (child > 0 && !locked) {
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    return -1;
  }
  // Stopped for sure before the caller starts waiting on the lock.
  int status = 0;
  if (::waitpid(child, &status, WUNTRACED) != child || !WIFSTOPPED(status)) {
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    return -1;
  }
  return child;
}

TEST(KernelCacheTest, ALockHeldByAStoppedProcessIsWaitedForBoundedly) {
  std::string directory = freshDirectory("stopped-holder");
  pid_t child = stoppedLockHolder(directory, "key");
  ASSERT_GT(child, 0);
  DiskCacheOptions options{directory, uint64_t(1) << 20};
  options.lockWait = std::chrono::milliseconds(200);
  DiskCache cache(options, nullptr);
  auto start = std::chrono::steady_clock::now();
  StatusOr<DiskCache::KeyLock> held = cache.lock("key");
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(held.status().code(), StatusCode::DeadlineExceeded);
  EXPECT_GE(waited, std::chrono::milliseconds(200));
  EXPECT_LT(waited, std::chrono::seconds(20));
  // Other keys are not held up.
  EXPECT_TRUE(cache.lock("other").isOk());
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  EXPECT_TRUE(cache.lock("key").isOk());
}

TEST(KernelCacheTest, TheEngineCompilesWhenTheHolderOfTheKeyIsStopped) {
  // The key of the division program's CPU entry, learnt from a first
  // compile; the entry is then removed so that the next compile needs it.
  std::string directory = freshDirectory("stopped-compiler");
  {
    Engine engine(cpuCachingIn(directory));
    compileAndRun(engine);
  }
  std::vector<fs::path> entries = entriesIn(directory);
  ASSERT_EQ(entries.size(), 1u);
  std::string key = entries[0].stem().string();
  fs::remove(entries[0]);
  pid_t child = stoppedLockHolder(directory, key);
  ASSERT_GT(child, 0);

  EngineOptions options = cpuCachingIn(directory);
  options.cache.diskLockWaitMs = 300;
  Engine engine(options);
  auto start = std::chrono::steady_clock::now();
  compileAndRun(engine);
  auto took = std::chrono::steady_clock::now() - start;
  MetricsSnapshot metrics = engine.metrics().snapshot();
  EXPECT_EQ(metrics.compiles, 1u);
  EXPECT_EQ(metrics.diskCacheMisses, 1u);
  EXPECT_GE(took, std::chrono::milliseconds(300));
  // Published all the same (atomically): the next engine compiles nothing.
  Engine again(options);
  compileAndRun(again);
  EXPECT_EQ(again.metrics().snapshot().compiles, 0u);
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
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
