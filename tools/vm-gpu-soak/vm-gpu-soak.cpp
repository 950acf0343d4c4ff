//===- vm-gpu-soak.cpp - threads and processes, faults and corruption ----===//
//
// A bounded soak of the engine (docs/reliability.md): several processes,
// each with several threads, share one disk cache and run random valid
// blocks through an engine on the selected device, while
//   - each process but the first (--unfaulted-processes) has one GPU
//     driver call fail every time it is made (VMGPU_FAULT_INJECT,
//     runtime/DriverLibrary.cpp), so GPU loads, allocations, launches and
//     copies fail and runs fall back;
//   - the parent corrupts, truncates, replaces and removes cache entries
//     under the processes' feet.
// Every result is checked against the same block run by a reference engine
// on the CPU with no disk cache, within the contract's tolerances (here
// exact: see `compareResults`). The engines are libvmgpu.so's, through the
// C API a JIT uses (so the soak tests that interface, and a bundle that
// holds the soak carries one copy of LLVM). The parent prints, over all
// processes:
//   checked  results compared
//   wrong    results that differ from the reference (must be 0)
//   lost     runs or compiles of valid blocks that returned no result
//            (must be 0: with fallback on, every valid block runs)
//   crashes  processes that died by a signal, exited abnormally or hung
//            past the deadline (must be 0)
// and exits 1 unless all three are 0.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/vmgpu.h"

#include "CApiClient.h"
#include "OptionParser.h"
#include "vmgpu/runtime/HostTensor.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <iterator>
#include <mutex>
#include <random>
#include <signal.h>
#include <spawn.h>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char **environ;

using namespace vmgpu::runtime;
using namespace vmgpu::tools;
using Clock = std::chrono::steady_clock;

namespace {

/// The command line (`vm-gpu-soak --help`).
unsigned soakSeconds = 60;
unsigned processCount = 4;
unsigned threadsPerProcess = 4;
std::string device = "auto";
std::string cacheDir;
std::string faultCalls =
    "cuLaunchKernel,cuModuleLoadDataEx,cuMemAllocFromPoolAsync,"
    "cuMemcpyAsync,cuStreamSynchronize,cuMemAlloc,hipModuleLaunchKernel,"
    "hipModuleLoadData,hipMemcpyAsync";
unsigned unfaultedProcesses = 1;
unsigned corruptEveryMs = 200;
unsigned soakSeed = 1;
unsigned graceSeconds = 300;
/// -1 in the parent; N in worker process N (--child N, given by the parent).
int childIndex = -1;
bool help = false;

const char kUsage[] = R"(USAGE: vm-gpu-soak [options]

Threads and processes sharing a disk cache, with GPU faults and cache
corruption, every result checked against the CPU (docs/reliability.md).

OPTIONS:
  --seconds N               how long the processes run blocks (default: 60)
  --processes N             processes sharing the cache (default: 4)
  --threads-per-process N   threads per process (default: 4)
  --device D                device of the engines under test: cpu, cuda,
                            rocm, auto (default); the reference is the CPU
  --cache-dir DIR           the shared disk cache (default: a new directory
                            under $TMPDIR, removed at the end)
  --fault-calls A,B,...     driver calls made to fail, one per process after
                            the unfaulted ones (empty: no faults)
  --unfaulted-processes N   how many processes, the first ones, run without
                            a fault (default: 1; 0 with a stand-in driver
                            whose launches compute nothing, such as the
                            tests' fake HIP library)
  --corrupt-every-ms N      interval between corruptions of cache entries
                            (0: none; default: 200)
  --seed N                  random seed (default: 1)
  --grace-seconds N         how long past --seconds a process may take to
                            finish its last block before it counts as hung
                            (default: 300)
  --help                    print this text
)";

/// An option that parses an unsigned count into `field`.
CommandLineOption countOption(std::string_view name, unsigned &field) {
  return {name, true, false, [name, &field](const std::string &value) {
            std::optional<unsigned> count = parseUnsigned(value);
            if (!count)
              return invalidArgumentError("--" + std::string(name) +
                                          " takes a whole number, got '" +
                                          value + "'");
            field = *count;
            return okStatus();
          }};
}

/// An option that stores its value in `field`.
CommandLineOption textOption(std::string_view name, std::string &field) {
  return {name, true, false, [&field](const std::string &value) {
            field = value;
            return okStatus();
          }};
}

Status parseSoakCommandLine(int argc, char **argv) {
  std::vector<CommandLineOption> options = {
      countOption("seconds", soakSeconds),
      countOption("processes", processCount),
      countOption("threads-per-process", threadsPerProcess),
      textOption("device", device),
      textOption("cache-dir", cacheDir),
      textOption("fault-calls", faultCalls),
      countOption("unfaulted-processes", unfaultedProcesses),
      countOption("corrupt-every-ms", corruptEveryMs),
      countOption("seed", soakSeed),
      countOption("grace-seconds", graceSeconds),
      {"child", true, false,
       [](const std::string &value) {
         std::optional<unsigned> index = parseUnsigned(value);
         if (!index || *index > 1000000)
           return invalidArgumentError("--child takes a worker index, got '" +
                                       value + "'");
         childIndex = static_cast<int>(*index);
         return okStatus();
       }},
      {"help", false, false,
       [](const std::string &value) {
         help = value == "true";
         return okStatus();
       }},
  };
  return parseCommandLine(argc, argv, "vm-gpu-soak", options,
                          [](const std::string &argument) {
                            return invalidArgumentError(
                                "unexpected argument '" + argument + "'");
                          });
}

//===----------------------------------------------------------------------===//
// Random valid blocks
//===----------------------------------------------------------------------===//

/// A block and inputs for it. Float inputs of the sums (reductions,
/// matmuls) hold small integers, so that every summation order gives the
/// exact result and the contract's tolerance for them is exact; elementwise
/// float ops are correctly rounded by the contract (add, sub, mul, div,
/// min, max), so any values are compared bit for bit.
struct Case {
  std::string program;
  std::vector<HostTensor> inputs;
  std::string name;
};

/// Sizes of dynamic inputs (tails, odd sizes, one, empty-adjacent), and the
/// fewer sizes static programs are written with: the processes then compile
/// the same blocks, which is what makes them share cache entries.
const int64_t kDynamicSizes[] = {1, 3, 7, 16, 33, 64, 129};
const int64_t kStaticSizes[] = {3, 16, 33};

int64_t pickSize(std::mt19937_64 &rng, bool dynamic) {
  if (dynamic)
    return kDynamicSizes[rng() % std::size(kDynamicSizes)];
  return kStaticSizes[rng() % std::size(kStaticSizes)];
}

std::string tensorType(const std::vector<int64_t> &shape, bool dynamic,
                       const char *element) {
  std::string type = "tensor<";
  for (int64_t dim : shape)
    type += (dynamic ? std::string("?") : std::to_string(dim)) + "x";
  return type + element + ">";
}

HostTensor randomTensor(std::mt19937_64 &rng, ElementType type,
                        std::vector<int64_t> shape, bool smallIntegers) {
  HostTensor tensor = std::move(HostTensor::create(type, std::move(shape)).value());
  if (type == ElementType::I32) {
    auto *data = tensor.data<int32_t>();
    for (int64_t i = 0; i < tensor.numElements(); ++i)
      data[i] = static_cast<int32_t>(rng());
    return tensor;
  }
  auto *data = tensor.data<float>();
  std::normal_distribution<float> normal(0.0f, 100.0f);
  static const float kSpecial[] = {0.0f, -0.0f, INFINITY, -INFINITY, NAN,
                                   1e-45f, -3.4e38f, 1.0f};
  for (int64_t i = 0; i < tensor.numElements(); ++i) {
    if (smallIntegers)
      data[i] = static_cast<float>(static_cast<int>(rng() % 17) - 8);
    else if (rng() % 16 == 0)
      data[i] = kSpecial[rng() % 8];
    else
      data[i] = normal(rng);
  }
  return tensor;
}

Case randomCase(std::mt19937_64 &rng) {
  bool isFloat = rng() % 2;
  const char *element = isFloat ? "f32" : "i32";
  ElementType type = isFloat ? ElementType::F32 : ElementType::I32;
  bool dynamic = rng() % 2 == 0;
  int64_t m = pickSize(rng, dynamic), n = pickSize(rng, dynamic),
          k = pickSize(rng, dynamic);
  Case result;
  std::string body;
  switch (rng() % 4) {
  case 0: { // An elementwise chain.
    std::string t = tensorType({m, n}, dynamic, element);
    const char *last = isFloat ? "vm.div" : "vm.sub";
    body = "func.func @main(%a: " + t + ", %b: " + t + ") -> " + t + " {\n" +
           "  %0 = vm.add %a, %b : " + t + "\n" +
           "  %1 = vm.mul %0, %a : " + t + "\n" +
           "  %2 = vm.max %1, %b : " + t + "\n" +
           "  %3 = vm.min %2, %0 : " + t + "\n" +
           "  %4 = " + last + " %3, %b : " + t + "\n" +
           "  return %4 : " + t + "\n}\n";
    result.inputs.push_back(randomTensor(rng, type, {m, n}, false));
    result.inputs.push_back(randomTensor(rng, type, {m, n}, false));
    result.name = "elementwise";
    break;
  }
  case 1: { // A sum over one dimension.
    int64_t dim = rng() % 2;
    std::string in = tensorType({m, n}, dynamic, element);
    std::string out = tensorType({dim == 0 ? n : m}, dynamic, element);
    body = "func.func @main(%a: " + in + ") -> " + out + " {\n" +
           "  %0 = vm.reduce %a {kind = \"sum\", dims = array<i64: " +
           std::to_string(dim) + ">} : " + in + " -> " + out + "\n" +
           "  return %0 : " + out + "\n}\n";
    result.inputs.push_back(randomTensor(rng, type, {m, n}, true));
    result.name = "reduce_sum";
    break;
  }
  case 2: { // A max over one dimension (exact for any values).
    int64_t dim = rng() % 2;
    std::string in = tensorType({m, n}, dynamic, element);
    std::string out = tensorType({dim == 0 ? n : m}, dynamic, element);
    body = "func.func @main(%a: " + in + ") -> " + out + " {\n" +
           "  %0 = vm.reduce %a {kind = \"max\", dims = array<i64: " +
           std::to_string(dim) + ">} : " + in + " -> " + out + "\n" +
           "  return %0 : " + out + "\n}\n";
    result.inputs.push_back(randomTensor(rng, type, {m, n}, false));
    result.name = "reduce_max";
    break;
  }
  default: { // A matmul.
    std::string a = tensorType({m, k}, dynamic, element);
    std::string b = tensorType({k, n}, dynamic, element);
    std::string c = tensorType({m, n}, dynamic, element);
    body = "func.func @main(%a: " + a + ", %b: " + b + ") -> " + c + " {\n" +
           "  %0 = vm.matmul %a, %b : (" + a + ", " + b + ") -> " + c + "\n" +
           "  return %0 : " + c + "\n}\n";
    result.inputs.push_back(randomTensor(rng, type, {m, k}, true));
    result.inputs.push_back(randomTensor(rng, type, {k, n}, true));
    result.name = "matmul";
    break;
  }
  }
  result.program = body;
  result.name += std::string("_") + element + (dynamic ? "_dynamic" : "");
  return result;
}

/// Bit for bit, except that any NaN matches any NaN and (for the sums of
/// integers in floats) +0 matches -0. Returns a description of the first
/// difference, empty when the results agree.
std::string compareResults(const std::vector<HostTensor> &got,
                           const std::vector<HostTensor> &expected) {
  if (got.size() != expected.size())
    return "result count " + std::to_string(got.size()) + " vs " +
           std::to_string(expected.size());
  for (size_t r = 0; r < got.size(); ++r) {
    const HostTensor &a = got[r], &b = expected[r];
    if (a.elementType() != b.elementType() || a.shape() != b.shape())
      return "result " + std::to_string(r) + " has type " + a.typeString() +
             ", expected " + b.typeString();
    for (int64_t i = 0; i < a.numElements(); ++i) {
      if (a.elementType() == ElementType::F32) {
        float x = a.data<float>()[i], y = b.data<float>()[i];
        if ((std::isnan(x) && std::isnan(y)) || x == y)
          continue;
      } else if (a.data<int32_t>()[i] == b.data<int32_t>()[i]) {
        continue;
      }
      return "result " + std::to_string(r) + " element " + std::to_string(i) +
             ": " + std::to_string(a.elementAsDouble(i)) + " vs " +
             std::to_string(b.elementAsDouble(i));
    }
  }
  return "";
}

//===----------------------------------------------------------------------===//
// A worker process
//===----------------------------------------------------------------------===//

struct Counts {
  std::atomic<uint64_t> checked{0}, wrong{0}, lost{0};
};

void reportProblem(const char *what, const Case &block,
                   const std::string &detail) {
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  std::fprintf(stderr, "vm-gpu-soak[%d]: %s: %s: %s\n%s", childIndex, what,
               block.name.c_str(), detail.c_str(), block.program.c_str());
}

/// An engine on `deviceName` whose disk cache is `cacheDirectory` ("":
/// none), keeping compiled blocks in memory or not.
StatusOr<EngineHandle> createEngine(const std::string &deviceName,
                                    const std::string &cacheDirectory,
                                    bool memoryCache) {
  vmgpu_engine_options_t options;
  vmgpu_engine_options_init(&options);
  options.device = deviceName.c_str();
  options.cache_directory = cacheDirectory.c_str();
  options.memory_cache = memoryCache;
  vmgpu_engine_t *engine = nullptr;
  vmgpu_error_t *error = nullptr;
  vmgpu_status_t status = vmgpu_engine_create(&options, &engine, &error);
  ErrorHandle owned(error);
  if (status != VMGPU_STATUS_OK)
    return statusOf(status, owned, "vmgpu_engine_create");
  return EngineHandle(engine);
}

StatusOr<std::vector<HostTensor>> compileAndRun(vmgpu_engine_t *engine,
                                                const Case &block,
                                                std::string &diagnostics) {
  vmgpu_compile_options_t options;
  vmgpu_compile_options_init(&options);
  options.source_name = "soak.mlir";
  vmgpu_block_t *compiled = nullptr;
  vmgpu_error_t *error = nullptr;
  vmgpu_status_t status = vmgpu_engine_compile_with_options(
      engine, block.program.data(), block.program.size(), &options, &compiled,
      &error);
  BlockHandle ownedBlock(compiled);
  ErrorHandle ownedError(error);
  if (status != VMGPU_STATUS_OK) {
    diagnostics = vmgpu_error_get_diagnostics(error);
    return statusOf(status, ownedError, "vmgpu_engine_compile_with_options");
  }
  StatusOr<std::vector<TensorHandle>> inputs =
      toCTensors(block.inputs);
  if (!inputs.isOk())
    return inputs.status();
  StatusOr<std::vector<TensorHandle>> results =
      runBlock(engine, compiled, *inputs);
  if (!results.isOk())
    return results.status();
  return toHostTensors(std::move(results).value());
}

/// The counters of the engine's metrics the parent sums, in the order of
/// the `soak-counts` line after checked, wrong and lost.
const char *const kReportedMetrics[] = {
    "executions.gpu",  "executions.cpu",    "fallbacks",         "compiles",
    "cache.disk.hits", "cache.disk.misses", "cache.disk.corrupt"};

int runWorker() {
  // Odd workers keep no blocks in memory: each compile goes to the disk
  // cache, where the corruption is.
  StatusOr<EngineHandle> subject =
      createEngine(device, cacheDir, childIndex % 2 == 0);
  if (!subject.isOk()) {
    std::fprintf(stderr, "vm-gpu-soak: %s\n",
                 subject.status().message().c_str());
    return 2;
  }
  StatusOr<EngineHandle> reference = createEngine("cpu", "", true);
  if (!reference.isOk()) {
    std::fprintf(stderr, "vm-gpu-soak: %s\n",
                 reference.status().message().c_str());
    return 2;
  }

  Counts counts;
  Clock::time_point end = Clock::now() + std::chrono::seconds(soakSeconds);
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threadsPerProcess; ++t)
    workers.emplace_back([&, t] {
      std::mt19937_64 rng(soakSeed * 1000003u + childIndex * 1009u + t);
      while (Clock::now() < end) {
        Case block = randomCase(rng);
        std::string diagnostics;
        auto expected = compileAndRun(reference->get(), block, diagnostics);
        if (!expected.isOk()) {
          ++counts.lost;
          reportProblem("reference lost", block,
                        expected.status().message() + "\n" + diagnostics);
          continue;
        }
        diagnostics.clear();
        auto got = compileAndRun(subject->get(), block, diagnostics);
        if (!got.isOk()) {
          ++counts.lost;
          reportProblem("lost", block,
                        got.status().message() + "\n" + diagnostics);
          continue;
        }
        ++counts.checked;
        std::string difference = compareResults(*got, *expected);
        if (!difference.empty()) {
          ++counts.wrong;
          reportProblem("wrong", block, difference);
        }
      }
    });
  for (std::thread &thread : workers)
    thread.join();

  char *json = nullptr;
  vmgpu_engine_get_metrics_json(subject->get(), &json, nullptr);
  StringHandle ownedJson(json);
  nlohmann::json metrics =
      nlohmann::json::parse(json ? json : "", nullptr, /*allow_exceptions=*/false);
  // One line the parent parses.
  std::string line = "soak-counts " + std::to_string(counts.checked) + " " +
                     std::to_string(counts.wrong) + " " +
                     std::to_string(counts.lost);
  for (const char *key : kReportedMetrics) {
    uint64_t value = 0;
    if (metrics.is_object() && metrics.contains(key) &&
        metrics[key].is_number_unsigned())
      value = metrics[key].get<uint64_t>();
    line += " " + std::to_string(value);
  }
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
  return 0;
}

//===----------------------------------------------------------------------===//
// The parent
//===----------------------------------------------------------------------===//

unsigned long long ull(uint64_t value) { return value; }

std::vector<std::string> splitCalls(const std::string &list) {
  std::vector<std::string> calls;
  std::stringstream stream(list);
  std::string call;
  while (std::getline(stream, call, ','))
    if (!call.empty())
      calls.push_back(call);
  return calls;
}

std::vector<std::string> listEntries(const std::string &directory) {
  std::vector<std::string> entries;
  if (DIR *dir = opendir(directory.c_str())) {
    while (dirent *entry = readdir(dir)) {
      std::string name = entry->d_name;
      if (name.size() > 6 && name.compare(name.size() - 6, 6, ".vmgpu") == 0)
        entries.push_back(directory + "/" + name);
    }
    closedir(dir);
  }
  return entries;
}

/// One corruption of a random entry: a byte flipped in place, a
/// truncation, garbage appended, the whole file replaced by another entry
/// (a valid artifact under the wrong key), or the entry removed.
/// Returns false when there was no entry to corrupt.
bool corruptOneEntry(const std::string &entryDir, std::mt19937_64 &rng) {
  std::vector<std::string> entries = listEntries(entryDir);
  if (entries.empty())
    return false;
  const std::string &path = entries[rng() % entries.size()];
  struct stat info;
  if (::stat(path.c_str(), &info) != 0)
    return false;
  off_t size = info.st_size;
  switch (rng() % 5) {
  case 0: {
    int fd = ::open(path.c_str(), O_WRONLY);
    if (fd < 0 || size == 0) {
      if (fd >= 0)
        ::close(fd);
      return false;
    }
    unsigned char byte = static_cast<unsigned char>(rng());
    ssize_t written = ::pwrite(fd, &byte, 1, static_cast<off_t>(rng() % size));
    ::close(fd);
    return written == 1;
  }
  case 1:
    return ::truncate(path.c_str(), size ? static_cast<off_t>(rng() % size)
                                         : 0) == 0;
  case 2: {
    int fd = ::open(path.c_str(), O_WRONLY | O_APPEND);
    if (fd < 0)
      return false;
    char garbage[64];
    for (char &c : garbage)
      c = static_cast<char>(rng());
    ssize_t written = ::write(fd, garbage, sizeof(garbage));
    ::close(fd);
    return written > 0;
  }
  case 3: {
    const std::string &other = entries[rng() % entries.size()];
    if (other == path)
      return false;
    std::string temporary = path + ".soak-tmp";
    int in = ::open(other.c_str(), O_RDONLY);
    int out = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    bool ok = in >= 0 && out >= 0;
    char buffer[65536];
    ssize_t n;
    while (ok && (n = ::read(in, buffer, sizeof(buffer))) > 0)
      ok = ::write(out, buffer, n) == n;
    if (in >= 0)
      ::close(in);
    if (out >= 0)
      ::close(out);
    return ok && ::rename(temporary.c_str(), path.c_str()) == 0;
  }
  default:
    return ::unlink(path.c_str()) == 0;
  }
}

struct Child {
  pid_t pid = -1;
  int output = -1;
  std::string text;
  std::string fault;
};

/// Starts worker `index` with `fault` injected; its stdout goes to a pipe.
Child startChild(unsigned index, const std::string &fault) {
  Child child;
  child.fault = fault;
  int fds[2];
  if (::pipe(fds) != 0)
    return child;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  std::vector<std::string> args = {
      "vm-gpu-soak",
      "--child=" + std::to_string(index),
      "--seconds=" + std::to_string(soakSeconds),
      "--threads-per-process=" + std::to_string(threadsPerProcess),
      "--device=" + device,
      "--cache-dir=" + cacheDir,
      "--seed=" + std::to_string(soakSeed)};
  std::vector<char *> argv;
  for (std::string &arg : args)
    argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> environment;
  for (char **variable = environ; *variable; ++variable)
    if (std::strncmp(*variable, "VMGPU_FAULT_INJECT=", 19) != 0)
      environment.push_back(*variable);
  if (!fault.empty())
    environment.push_back("VMGPU_FAULT_INJECT=" + fault);
  std::vector<char *> envp;
  for (std::string &variable : environment)
    envp.push_back(variable.data());
  envp.push_back(nullptr);
  pid_t pid;
  if (posix_spawn(&pid, "/proc/self/exe", &actions, nullptr, argv.data(),
                  envp.data()) == 0)
    child.pid = pid;
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  child.output = fds[0];
  ::fcntl(child.output, F_SETFL, O_NONBLOCK);
  return child;
}

void drain(Child &child) {
  char buffer[4096];
  ssize_t n;
  while (child.output >= 0 && (n = ::read(child.output, buffer, sizeof(buffer))) > 0)
    child.text.append(buffer, n);
}

/// A new directory under the system's temporary directory
/// (std::filesystem reads TMPDIR), or "" when none could be made.
std::string createCacheDirectory() {
  std::error_code error;
  std::filesystem::path base = std::filesystem::temp_directory_path(error);
  if (error)
    base = "/tmp";
  std::string pattern = (base / "vm-gpu-soak-XXXXXX").string();
  return ::mkdtemp(pattern.data()) ? pattern : std::string();
}

int runParent() {
  bool ownCache = cacheDir.empty();
  if (ownCache) {
    cacheDir = createCacheDirectory();
    if (cacheDir.empty()) {
      std::fprintf(stderr, "vm-gpu-soak: cannot create a cache directory\n");
      return 2;
    }
  }
  std::vector<std::string> faults = splitCalls(faultCalls);
  std::printf("vm-gpu-soak: %u processes x %u threads, %u s, device %s, "
              "cache %s, corruption every %u ms\n",
              processCount, threadsPerProcess, soakSeconds, device.c_str(),
              cacheDir.c_str(), corruptEveryMs);
  std::vector<Child> children;
  for (unsigned i = 0; i < processCount; ++i) {
    std::string fault =
        i < unfaultedProcesses || faults.empty()
            ? ""
            : faults[(i - unfaultedProcesses) % faults.size()];
    children.push_back(startChild(i, fault));
    std::printf("  process %u: fault %s\n", i,
                fault.empty() ? "none" : fault.c_str());
  }
  std::fflush(stdout);

  std::mt19937_64 rng(soakSeed);
  uint64_t corruptions = 0;
  Clock::time_point start = Clock::now();
  Clock::time_point stopCorrupting = start + std::chrono::seconds(soakSeconds);
  Clock::time_point hung =
      stopCorrupting + std::chrono::seconds(graceSeconds);
  Clock::time_point nextCorruption = start;
  std::string entryDir = cacheDir + "/v1";
  uint64_t crashes = 0;
  size_t running = children.size();
  std::vector<bool> done(children.size(), false);
  while (running > 0) {
    Clock::time_point now = Clock::now();
    if (corruptEveryMs && now < stopCorrupting && now >= nextCorruption) {
      corruptions += corruptOneEntry(entryDir, rng);
      nextCorruption = now + std::chrono::milliseconds(corruptEveryMs);
    }
    for (size_t i = 0; i < children.size(); ++i) {
      if (done[i])
        continue;
      Child &child = children[i];
      drain(child);
      int status = 0;
      pid_t waited = child.pid > 0 ? ::waitpid(child.pid, &status, WNOHANG) : -1;
      bool timedOut = now > hung;
      if (waited == 0 && !timedOut)
        continue;
      if (waited == 0) {
        ::kill(child.pid, SIGKILL);
        ::waitpid(child.pid, &status, 0);
        std::fprintf(stderr, "vm-gpu-soak: process %zu hung; killed\n", i);
        ++crashes;
      } else if (waited < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "vm-gpu-soak: process %zu (fault %s) ", i,
                     child.fault.empty() ? "none" : child.fault.c_str());
        if (waited > 0 && WIFSIGNALED(status))
          std::fprintf(stderr, "died of signal %d\n", WTERMSIG(status));
        else
          std::fprintf(stderr, "exited with %d\n", WEXITSTATUS(status));
        ++crashes;
      }
      drain(child);
      ::close(child.output);
      child.output = -1;
      done[i] = true;
      --running;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  uint64_t totals[10] = {};
  for (size_t i = 0; i < children.size(); ++i) {
    size_t at = children[i].text.find("soak-counts ");
    if (at == std::string::npos) {
      std::fprintf(stderr, "vm-gpu-soak: process %zu reported no counts\n", i);
      continue;
    }
    std::istringstream line(children[i].text.substr(at + 12));
    uint64_t values[10] = {};
    for (uint64_t &value : values)
      line >> value;
    std::printf("  process %zu: checked %llu, wrong %llu, lost %llu, gpu runs "
                "%llu, cpu runs %llu, fallbacks %llu, compiles %llu, disk "
                "hits %llu, misses %llu, corrupt %llu\n",
                i, ull(values[0]), ull(values[1]), ull(values[2]),
                ull(values[3]), ull(values[4]), ull(values[5]), ull(values[6]),
                ull(values[7]), ull(values[8]), ull(values[9]));
    for (int v = 0; v < 10; ++v)
      totals[v] += values[v];
  }
  std::printf("corruptions %llu\n"
              "gpu runs %llu, cpu runs %llu, fallbacks %llu, compiles %llu, "
              "disk hits %llu, disk misses %llu, corrupt entries found %llu\n"
              "checked %llu\nwrong %llu\nlost %llu\ncrashes %llu\n",
              ull(corruptions), ull(totals[3]), ull(totals[4]), ull(totals[5]),
              ull(totals[6]), ull(totals[7]), ull(totals[8]), ull(totals[9]),
              ull(totals[0]), ull(totals[1]), ull(totals[2]), ull(crashes));
  std::fflush(stdout);
  if (ownCache) {
    std::error_code ignored;
    std::filesystem::remove_all(cacheDir, ignored);
  }
  return totals[1] == 0 && totals[2] == 0 && crashes == 0 && totals[0] > 0
             ? 0
             : 1;
}

} // namespace

int main(int argc, char **argv) {
  if (Status status = parseSoakCommandLine(argc, argv); !status.isOk()) {
    std::fprintf(stderr, "vm-gpu-soak: error: %s\n", status.message().c_str());
    return 2;
  }
  if (help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (childIndex >= 0)
    return runWorker();
  return runParent();
}
