//===- LibraryGemmAlgorithmTest.cpp - library algorithms kept and tuned ---===//
//
// The algorithm store on its own (records, first record wins, hostile
// files), and the library strategy over the fakes with an algorithm
// directory: a later "process" (a new device over the same directory) runs
// the recorded algorithm without a search, an invalid record is searched
// again, and tuning times the candidates, keeps the fastest, leaves C as the
// call alone would and records the choice apart from untimed ones.
//
//===----------------------------------------------------------------------===//

#include "LibraryGemmFixture.h"
#include "vmgpu/runtime/LibraryAlgorithmStore.h"

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include <sys/stat.h>
#include <unistd.h>

using namespace vmgpu;
using namespace vmgpu::runtime;
using namespace vmgpu::test;

namespace {

/// A fresh directory under the test's temporary directory.
std::string makeDirectory(const char *name) {
  std::string pattern = ::testing::TempDir() + name + "-XXXXXX";
  if (!::mkdtemp(pattern.data()))
    return std::string();
  return pattern;
}

std::string readText(const std::string &path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

StoredAlgorithm algorithmNumbered(uint64_t number, uint64_t workspace = 0) {
  StoredAlgorithm algorithm;
  algorithm.data[0] = number;
  algorithm.data[7] = ~number;
  algorithm.workspaceBytes = workspace;
  return algorithm;
}

TEST(LibraryAlgorithmStoreTest, RecordsAreReadBackAndTheFirstOneWins) {
  std::string directory = makeDirectory("vmgpu-store");
  ASSERT_FALSE(directory.empty());
  LibraryAlgorithmStore first(directory + "/library", "cublaslt-1 H200/x");
  EXPECT_EQ(first.path(), directory + "/library/cublaslt-1_H200_x.algorithms");
  EXPECT_FALSE(first.find("h:1,2").has_value());
  StatusOr<StoredAlgorithm> kept =
      first.record("h:1,2", algorithmNumbered(5, 4096));
  ASSERT_TRUE(kept.isOk()) << kept.status().toString();
  EXPECT_EQ(*kept, algorithmNumbered(5, 4096));

  // Another process, another choice for the same key: the first holds.
  LibraryAlgorithmStore second(directory + "/library", "cublaslt-1 H200/x");
  StatusOr<StoredAlgorithm> again =
      second.record("h:1,2", algorithmNumbered(9));
  ASSERT_TRUE(again.isOk());
  EXPECT_EQ(*again, algorithmNumbered(5, 4096));
  ASSERT_TRUE(second.record("t4:1,2", algorithmNumbered(9)).isOk());
  // The first store sees the other's record once the file grew.
  std::optional<StoredAlgorithm> seen = first.find("t4:1,2");
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(*seen, algorithmNumbered(9));
  EXPECT_EQ(readText(first.path()).substr(0, 27),
            "vmgpu-library-algorithms 1\n");
  EXPECT_FALSE(first.record("h:1 2", algorithmNumbered(1)).isOk());
  EXPECT_FALSE(first.record("", algorithmNumbered(1)).isOk());
}

TEST(LibraryAlgorithmStoreTest, MalformedLinesAreSkipped) {
  std::string directory = makeDirectory("vmgpu-store");
  ASSERT_FALSE(directory.empty());
  std::string words = " 0000000000000001 0000000000000000 0000000000000000 "
                      "0000000000000000 0000000000000000 0000000000000000 "
                      "0000000000000000 0000000000000000";
  {
    std::ofstream out(directory + "/m.algorithms");
    out << "vmgpu-library-algorithms 1\n"
        << "good" << words << " 16\n"
        << "short 0000000000000001 16\n"
        << "uppercase" << words << " 1X\n"
        << "trailing" << words << " 16 extra\n"
        << "bad/key" << words << " 16\n"
        << "good" << words << " 99\n"
        << "unfinished" << words << " 16";
  }
  ::chmod((directory + "/m.algorithms").c_str(), 0600);
  LibraryAlgorithmStore store(directory, "m");
  std::optional<StoredAlgorithm> good = store.find("good");
  ASSERT_TRUE(good.has_value());
  EXPECT_EQ(good->data[0], 1u);
  EXPECT_EQ(good->workspaceBytes, 16u);
  for (const char *key :
       {"short", "uppercase", "trailing", "bad/key", "unfinished"})
    EXPECT_FALSE(store.find(key).has_value()) << key;
}

TEST(LibraryAlgorithmStoreTest, HostileFilesAreNeitherReadNorWritten) {
  std::string directory = makeDirectory("vmgpu-store");
  ASSERT_FALSE(directory.empty());
  {
    LibraryAlgorithmStore store(directory, "open");
    ASSERT_TRUE(store.record("h:1", algorithmNumbered(3)).isOk());
  }
  // Writable by others: someone else could have planted its records.
  ::chmod((directory + "/open.algorithms").c_str(), 0666);
  LibraryAlgorithmStore open(directory, "open");
  EXPECT_FALSE(open.find("h:1").has_value());
  EXPECT_FALSE(open.record("h:2", algorithmNumbered(3)).isOk());
  // Not a store: a file without the header is left alone.
  {
    std::ofstream out(directory + "/other.algorithms");
    out << "something else\n";
  }
  ::chmod((directory + "/other.algorithms").c_str(), 0600);
  LibraryAlgorithmStore other(directory, "other");
  EXPECT_FALSE(other.record("h:1", algorithmNumbered(3)).isOk());
  EXPECT_EQ(readText(directory + "/other.algorithms"), "something else\n");
  // A symbolic link is not followed.
  ASSERT_EQ(::symlink((directory + "/open.algorithms").c_str(),
                      (directory + "/link.algorithms").c_str()),
            0);
  LibraryAlgorithmStore link(directory, "link");
  EXPECT_FALSE(link.find("h:1").has_value());
  EXPECT_FALSE(link.record("h:1", algorithmNumbered(3)).isOk());
  // A full store takes no more records.
  {
    std::ofstream out(directory + "/full.algorithms");
    out << "vmgpu-library-algorithms 1\n"
        << std::string(kMaxAlgorithmStoreBytes, '#') << "\n";
  }
  ::chmod((directory + "/full.algorithms").c_str(), 0600);
  LibraryAlgorithmStore full(directory, "full");
  EXPECT_FALSE(full.record("h:1", algorithmNumbered(3)).isOk());
}

TEST(LibraryAlgorithmStoreTest, ALineCutShortDoesNotSwallowTheNextRecord) {
  std::string directory = makeDirectory("vmgpu-store");
  ASSERT_FALSE(directory.empty());
  {
    std::ofstream out(directory + "/cut.algorithms");
    out << "vmgpu-library-algorithms 1\nh:1 00000000";
  }
  ::chmod((directory + "/cut.algorithms").c_str(), 0600);
  LibraryAlgorithmStore store(directory, "cut");
  ASSERT_TRUE(store.record("h:2", algorithmNumbered(4)).isOk());
  LibraryAlgorithmStore reader(directory, "cut");
  std::optional<StoredAlgorithm> found = reader.find("h:2");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(*found, algorithmNumbered(4));
  EXPECT_FALSE(reader.find("h:1").has_value());
  // A header cut short: the file starts over.
  {
    std::ofstream out(directory + "/header.algorithms");
    out << "vmgpu-library-alg";
  }
  ::chmod((directory + "/header.algorithms").c_str(), 0600);
  LibraryAlgorithmStore header(directory, "header");
  ASSERT_TRUE(header.record("h:3", algorithmNumbered(5)).isOk());
  std::optional<StoredAlgorithm> again =
      LibraryAlgorithmStore(directory, "header").find("h:3");
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, algorithmNumbered(5));
}

/// A 7 x 5 x 3 f32 problem over the fixture's device; C starts at 1.
class LibraryGemmAlgorithmTest : public LibraryGemmTest {
protected:
  void SetUp() override {
    LibraryGemmTest::SetUp();
    directory = makeDirectory("vmgpu-algorithms");
    ASSERT_FALSE(directory.empty());
    ASSERT_FALSE(device->model().empty());
    a = matrix(m, k, 1);
    b = matrix(k, n, 2);
  }

  /// Runs C (+)= A B on `on` (operands in the fixture device's memory,
  /// which is host memory under the fake); true when the result is right.
  bool runProblem(GpuDevice &on, bool accumulate) {
    std::vector<float> initial(m * n, 1.0f);
    float *c = upload(initial);
    GemmProblem problem;
    problem.flags = accumulate ? 0 : kGemmOutputZero;
    problem.m = m, problem.n = n, problem.k = k;
    problem.a = rowMajor(upload(a), k);
    problem.b = rowMajor(upload(b), n);
    problem.c = rowMajor(c, n);
    Status status = runLibraryGemm(on, *library, problem);
    EXPECT_TRUE(status.isOk()) << status.toString();
    std::vector<float> expected = reference(a, b, m, n, k);
    if (accumulate)
      for (float &value : expected)
        value += 1.0f;
    return status.isOk() && std::vector<float>(c, c + m * n) == expected;
  }

  /// A second device over the same driver: the state a new process has.
  std::unique_ptr<GpuDevice> freshDevice() {
    StatusOr<std::unique_ptr<GpuDevice>> made =
        GpuDevice::create(*backend, "rocm", 0);
    EXPECT_TRUE(made.isOk());
    return made.isOk() ? std::move(made).value() : nullptr;
  }

  const int64_t m = 7, n = 5, k = 3;
  std::vector<float> a, b;
  std::string directory;
};

TEST_F(LibraryGemmAlgorithmTest, ALaterProcessRunsTheRecordedAlgorithm) {
  setLibraryGemmOptions({directory, 0});
  control->setCandidates(3);
  ASSERT_TRUE(runProblem(*device, false));
  EXPECT_EQ(libraryGemmCounters(*device, *library).plansSearched, 1u);
  EXPECT_EQ(libraryGemmCounters(*device, *library).plansStored, 0u);
  EXPECT_EQ(control->lastAlgorithm(), 1u);

  std::unique_ptr<GpuDevice> later = freshDevice();
  ASSERT_TRUE(later);
  int searches = control->callCount("cublasLtMatmulAlgoGetHeuristic");
  ASSERT_TRUE(runProblem(*later, false));
  EXPECT_EQ(control->callCount("cublasLtMatmulAlgoGetHeuristic"), searches);
  EXPECT_EQ(libraryGemmCounters(*later, *library).plansSearched, 0u);
  EXPECT_EQ(libraryGemmCounters(*later, *library).plansStored, 1u);
  EXPECT_EQ(control->lastAlgorithm(), 1u);
}

TEST_F(LibraryGemmAlgorithmTest, ARecordTheLibraryRefusesIsSearchedAgain) {
  setLibraryGemmOptions({directory, 0});
  ASSERT_TRUE(runProblem(*device, false));
  // The next library version no longer has algorithm 1.
  control->setValidAlgorithms(0);
  std::unique_ptr<GpuDevice> later = freshDevice();
  ASSERT_TRUE(later);
  ASSERT_TRUE(runProblem(*later, false));
  EXPECT_EQ(libraryGemmCounters(*later, *library).plansSearched, 1u);
  EXPECT_EQ(libraryGemmCounters(*later, *library).plansStored, 0u);
}

TEST_F(LibraryGemmAlgorithmTest, TuningKeepsTheFastestAndLeavesCAlone) {
  setLibraryGemmOptions({directory, 3});
  control->setCandidates(4);
  control->setDelayUs(1, 20000);
  control->setDelayUs(3, 10000);
  // C is read (accumulate): the timed candidates must not add into it.
  ASSERT_TRUE(runProblem(*device, true));
  EXPECT_EQ(libraryGemmCounters(*device, *library).plansTuned, 1u);
  EXPECT_EQ(control->lastAlgorithm(), 2u);
  // 3 candidates asked for, each once untimed and at least 3 times timed
  // (the slow ones exactly 3: past 2 ms), then the call itself.
  EXPECT_GE(control->callCount("cublasLtMatmul"), 3 * 4 + 1);

  // A later process with tuning on takes the tuned record: no timing.
  std::unique_ptr<GpuDevice> later = freshDevice();
  ASSERT_TRUE(later);
  int matmuls = control->callCount("cublasLtMatmul");
  ASSERT_TRUE(runProblem(*later, true));
  EXPECT_EQ(control->callCount("cublasLtMatmul"), matmuls + 1);
  EXPECT_EQ(libraryGemmCounters(*later, *library).plansStored, 1u);
  EXPECT_EQ(control->lastAlgorithm(), 2u);

  // Without tuning the same problem is another record: the heuristic's.
  setLibraryGemmOptions({directory, 0});
  std::unique_ptr<GpuDevice> untuned = freshDevice();
  ASSERT_TRUE(untuned);
  ASSERT_TRUE(runProblem(*untuned, true));
  EXPECT_EQ(libraryGemmCounters(*untuned, *library).plansSearched, 1u);
  EXPECT_EQ(control->lastAlgorithm(), 1u);
}

TEST_F(LibraryGemmAlgorithmTest, TheRecordedAlgorithmIsTheOneThatRuns) {
  // A record of another process (algorithm 2, not the heuristic's first)
  // under the key this problem makes: it is the one that runs.
  setLibraryGemmOptions({directory, 0});
  ASSERT_TRUE(runProblem(*device, false));
  std::string name = "cublaslt-130000-" + device->model();
  std::string text = readText(LibraryAlgorithmStore(directory, name).path());
  size_t start = text.find('\n') + 1;
  std::string key = text.substr(start, text.find(' ', start) - start);
  ASSERT_EQ(key.substr(0, 2), "h:");
  std::string other = makeDirectory("vmgpu-algorithms");
  LibraryAlgorithmStore planted(other, name);
  ASSERT_TRUE(planted.record(key, algorithmNumbered(2)).isOk());
  setLibraryGemmOptions({other, 0});
  std::unique_ptr<GpuDevice> later = freshDevice();
  ASSERT_TRUE(later);
  ASSERT_TRUE(runProblem(*later, false));
  EXPECT_EQ(control->lastAlgorithm(), 2u);
  EXPECT_EQ(libraryGemmCounters(*later, *library).plansStored, 1u);
  EXPECT_EQ(libraryGemmCounters(*later, *library).plansSearched, 0u);
}

TEST_F(LibraryGemmAlgorithmTest, CandidatesThatFailAreSkipped) {
  setLibraryGemmOptions({directory, 4});
  control->setCandidates(4);
  // Only algorithm 3 runs here; the others fail (as an algorithm the
  // device cannot run would).
  control->setRunnableAlgorithm(3);
  ASSERT_TRUE(runProblem(*device, true));
  EXPECT_EQ(libraryGemmCounters(*device, *library).plansTuned, 1u);
  EXPECT_EQ(control->lastAlgorithm(), 3u);
}

TEST_F(LibraryGemmAlgorithmTest, AnUnalignedBiasIsTunedFromAnAlignedCopy) {
  setLibraryGemmOptions({directory, 2});
  control->setCandidates(2);
  control->setDelayUs(1, 20000);
  std::vector<float> padded = {0.0f, 1.0f, 2.0f, 3.0f, 4.0f, 5.0f};
  float *bias = upload(padded) + 1;
  float *c = nullptr;
  GemmProblem problem = biasProblem(a, b, bias, m, n, k, c);
  Status status = runLibraryGemm(*device, *library, problem);
  ASSERT_TRUE(status.isOk()) << status.toString();
  EXPECT_EQ(libraryGemmCounters(*device, *library).plansTuned, 1u);
  EXPECT_EQ(control->lastAlgorithm(), 2u);
  std::vector<float> product = reference(a, b, m, n, k);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j)
      EXPECT_EQ(c[i * n + j], product[i * n + j] + bias[j]) << i << "," << j;
}

TEST_F(LibraryGemmAlgorithmTest, ATuningHoldsUpOnlyItsOwnProblem) {
  // Another problem's plan (one row fewer), made before any tuning.
  std::vector<float> small = matrix(m - 1, k, 5);
  float *other = upload(std::vector<float>((m - 1) * n, 0.0f));
  GemmProblem known;
  known.flags = kGemmOutputZero;
  known.m = m - 1, known.n = n, known.k = k;
  known.a = rowMajor(upload(small), k);
  known.b = rowMajor(upload(b), n);
  known.c = rowMajor(other, n);
  ASSERT_TRUE(runLibraryGemm(*device, *library, known).isOk());
  // Tuning a new problem takes 4 calls of 30 ms for candidate 1.
  setLibraryGemmOptions({directory, 2});
  control->setCandidates(2);
  control->setDelayUs(1, 30000);
  int before = control->callCount("cublasLtMatmul");
  std::atomic<bool> tuned{false};
  std::thread tuning([&] {
    (void)device->makeCurrent();
    EXPECT_TRUE(runProblem(*device, false));
    tuned = true;
  });
  while (control->callCount("cublasLtMatmul") == before)
    std::this_thread::yield();
  // The known problem's GEMM does not wait for that tuning...
  ASSERT_TRUE(runLibraryGemm(*device, *library, known).isOk());
  EXPECT_FALSE(tuned.load());
  // ... and two more asking for the tuned problem wait for its one plan.
  std::vector<std::thread> waiting;
  for (int t = 0; t < 2; ++t)
    waiting.emplace_back([&] {
      (void)device->makeCurrent();
      EXPECT_TRUE(runProblem(*device, false));
    });
  tuning.join();
  for (std::thread &thread : waiting)
    thread.join();
  EXPECT_EQ(libraryGemmCounters(*device, *library).plansSearched, 2u);
  EXPECT_EQ(libraryGemmCounters(*device, *library).plansTuned, 1u);
  EXPECT_EQ(control->lastAlgorithm(), 2u);
}

} // namespace
