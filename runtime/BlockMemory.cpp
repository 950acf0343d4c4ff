//===- BlockMemory.cpp - memory headroom and the CPU blocks' allocator ----===//

#include "vmgpu/runtime/BlockMemory.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <optional>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace vmgpu::runtime {
namespace {

/// Up to `limit` bytes of a small file (procfs and sysfs files report a
/// size of 0, so read until the end); empty when it cannot be read.
std::string readSmallFile(const std::string &path, size_t limit = 1 << 16) {
  std::string text;
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    return text;
  char buffer[4096];
  while (text.size() < limit) {
    ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n <= 0)
      break;
    text.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return text;
}

/// The decimal number at the start of `text` (after blanks); nullopt when
/// there is none or it does not fit.
std::optional<uint64_t> parseNumber(const std::string &text, size_t at = 0) {
  while (at < text.size() && (text[at] == ' ' || text[at] == '\t'))
    ++at;
  if (at >= text.size() || text[at] < '0' || text[at] > '9')
    return std::nullopt;
  uint64_t value = 0;
  for (; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at) {
    uint64_t digit = static_cast<uint64_t>(text[at] - '0');
    if (value > (UINT64_MAX - digit) / 10)
      return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

void lowerTo(MemoryBound &bound, uint64_t bytes, const std::string &source) {
  if (bytes < bound.bytes) {
    bound.bytes = bytes;
    bound.source = source;
  }
}

uint64_t headroom(uint64_t limit, uint64_t used) {
  return limit > used ? limit - used : 0;
}

/// RLIMIT_AS against the address space in use and RLIMIT_DATA against the
/// data in use (/proc/self/statm counts pages: size ... data).
void applyResourceLimits(MemoryBound &bound) {
  std::string statm = readSmallFile("/proc/self/statm");
  uint64_t page = static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
  std::optional<uint64_t> fields[7];
  size_t at = 0;
  for (auto &field : fields) {
    field = parseNumber(statm, at);
    at = statm.find(' ', at + 1);
    if (at == std::string::npos)
      break;
  }
  struct Limit {
    int resource;
    std::optional<uint64_t> usedPages;
    const char *source;
  } limits[] = {{RLIMIT_AS, fields[0], "RLIMIT_AS headroom"},
                {RLIMIT_DATA, fields[5], "RLIMIT_DATA headroom"}};
  for (const Limit &limit : limits) {
    struct rlimit value;
    if (::getrlimit(limit.resource, &value) != 0 ||
        value.rlim_cur == RLIM_INFINITY)
      continue;
    uint64_t used = limit.usedPages ? *limit.usedPages * page : 0;
    lowerTo(bound, headroom(value.rlim_cur, used), limit.source);
  }
}

void applyMemAvailable(MemoryBound &bound) {
  std::string meminfo = readSmallFile("/proc/meminfo");
  size_t at = meminfo.find("MemAvailable:");
  if (at == std::string::npos)
    return;
  std::optional<uint64_t> kib =
      parseNumber(meminfo, at + std::strlen("MemAvailable:"));
  if (kib && *kib <= UINT64_MAX / 1024)
    lowerTo(bound, *kib * 1024, "MemAvailable");
}

/// Limit minus usage of the cgroup at `path` under `mount` and of each of
/// its ancestors (a limit anywhere above applies too).
void applyCgroup(MemoryBound &bound, const std::string &mount,
                 std::string path, const char *limitFile,
                 const char *usageFile, const char *source) {
  for (int depth = 0; depth < 64; ++depth) {
    std::string directory = mount + (path == "/" ? "" : path) + "/";
    std::optional<uint64_t> limit =
        parseNumber(readSmallFile(directory + limitFile));
    std::optional<uint64_t> usage =
        parseNumber(readSmallFile(directory + usageFile));
    // cgroup v2 spells "no limit" `max`, which parses as no number.
    if (limit && usage)
      lowerTo(bound, headroom(*limit, *usage), source);
    if (path.empty() || path == "/")
      return;
    size_t slash = path.rfind('/');
    path = slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
  }
}

/// /proc/self/cgroup: `0::PATH` for cgroup v2, `N:CONTROLLERS:PATH` for v1.
void applyCgroups(MemoryBound &bound) {
  std::string lines = readSmallFile("/proc/self/cgroup");
  size_t start = 0;
  while (start < lines.size()) {
    size_t end = lines.find('\n', start);
    if (end == std::string::npos)
      end = lines.size();
    std::string line = lines.substr(start, end - start);
    start = end + 1;
    size_t first = line.find(':');
    size_t second =
        first == std::string::npos ? first : line.find(':', first + 1);
    if (second == std::string::npos)
      continue;
    std::string controllers = line.substr(first + 1, second - first - 1);
    std::string path = line.substr(second + 1);
    if (controllers.empty()) {
      applyCgroup(bound, "/sys/fs/cgroup", path, "memory.max",
                  "memory.current", "cgroup memory.max headroom");
      continue;
    }
    std::string list = "," + controllers + ",";
    if (list.find(",memory,") != std::string::npos)
      applyCgroup(bound, "/sys/fs/cgroup/memory", path,
                  "memory.limit_in_bytes", "memory.usage_in_bytes",
                  "cgroup memory.limit_in_bytes headroom");
  }
}

/// The run whose allocator is current on this thread (CpuBlockRun::call).
thread_local CpuBlockRun *currentRun = nullptr;

/// Freed buffers kept for the next run that asks for the same size:
/// repeated runs of one block ask for the same sizes, and fresh large
/// buffers cost a page fault per page on first touch. Only buffers of at
/// least kCachedMinBytes (smaller ones malloc recycles well), at most
/// kCacheMaxBytes in all; emptied when an allocation fails.
constexpr uint64_t kCachedMinBytes = uint64_t(64) << 10;
constexpr uint64_t kCacheMaxBytes = uint64_t(1) << 30;
std::mutex cacheMutex;
uint64_t cachedBytes = 0;
std::map<uint64_t, std::vector<void *>> &cachedBuffers() {
  static auto *map = new std::map<uint64_t, std::vector<void *>>();
  return *map;
}
thread_local uint64_t lastPeakBytes = 0;
std::atomic<uint64_t> processLiveBytes{0};

void *allocateHook(uint64_t bytes) {
  return currentRun ? currentRun->allocate(bytes)
                    : CpuBlockRun::allocateOutsideRuns(bytes);
}

void freeHook(void *pointer) { CpuBlockRun::release(pointer); }

/// Kept out of CpuBlockRun::call so that the frame sigsetjmp returns to
/// twice holds nothing with a destructor.
[[gnu::noinline]] bool callUntilAllocationFails(sigjmp_buf &failure,
                                                void (*entry)(void **),
                                                void **arguments) {
  if (sigsetjmp(failure, /*savemask=*/0) != 0)
    return false;
  entry(arguments);
  return true;
}

} // namespace

/// In front of every buffer: the run's list and the buffer's size. The
/// buffer starts 64 bytes into its allocation (the 64 bytes per allocation
/// that vm-outline-memory-bound counts), so it is 64-byte aligned: the
/// lowering's own alignment then keeps it where it is, and a result can be
/// handed to a HostTensor as it is.
struct alignas(16) CpuBlockRun::Header {
  Header *previous;
  Header *next;
  CpuBlockRun *run;
  uint64_t bytes;
};
static_assert(sizeof(CpuBlockRun::Header) <= 64,
              "vm-outline-memory-bound counts 64 bytes per allocation");

MemoryBound processMemoryHeadroom() {
  MemoryBound bound;
  applyResourceLimits(bound);
  applyMemAvailable(bound);
  applyCgroups(bound);
  return bound;
}

uint64_t cpuBlockLiveBytes() { return processLiveBytes.load(); }
uint64_t lastCpuBlockRunPeakBytes() { return lastPeakBytes; }

CpuAllocateFunction cpuBlockAllocateFunction() { return allocateHook; }
CpuFreeFunction cpuBlockFreeFunction() { return freeHook; }

CpuBlockRun::CpuBlockRun() = default;

CpuBlockRun::~CpuBlockRun() { freeAll(); }

Status CpuBlockRun::call(void (*entry)(void **), void **arguments) {
  CpuBlockRun *previous = currentRun;
  currentRun = this;
  bool completed = callUntilAllocationFails(failure_, entry, arguments);
  currentRun = previous;
  lastPeakBytes = peakBytes_;
  if (completed)
    return okStatus();
  freeAll();
  if (!failedStatus_.isOk())
    return std::exchange(failedStatus_, okStatus());
  return outOfMemoryError("the block's allocation of " +
                          std::to_string(failedBytes_) +
                          " bytes failed; the run was stopped there and its "
                          "buffers freed");
}

static constexpr size_t kBufferOffset = 64;

/// The allocation a buffer starts kBufferOffset bytes into.
static void *allocationOf(CpuBlockRun::Header *header) {
  return reinterpret_cast<std::byte *>(header + 1) - kBufferOffset;
}

/// Empties the cache of freed buffers.
static void dropCachedBuffers() {
  std::lock_guard<std::mutex> lock(cacheMutex);
  for (auto &[bytes, buffers] : cachedBuffers())
    for (void *allocation : buffers)
      std::free(allocation);
  cachedBuffers().clear();
  cachedBytes = 0;
}

/// Asks for transparent huge pages over the whole 2 MiB pages of a large
/// fresh allocation: first touch then faults once per 2 MiB, not per 4 KiB
/// (a hint; nothing changes where THP is off).
static void adviseHugePages(void *allocation, size_t bytes) {
  constexpr uintptr_t kHugePage = uintptr_t(2) << 20;
  auto start = reinterpret_cast<uintptr_t>(allocation);
  uintptr_t first = (start + kHugePage - 1) & ~(kHugePage - 1);
  uintptr_t last = (start + bytes) & ~(kHugePage - 1);
  if (last > first)
    (void)::madvise(reinterpret_cast<void *>(first), last - first,
                    MADV_HUGEPAGE);
}

/// A 64-byte aligned buffer of `bytes` with its header in front (from the
/// cache when one of that size is there); null when it fails even after
/// emptying the cache.
static CpuBlockRun::Header *allocateWithHeader(uint64_t bytes) {
  if (bytes > SIZE_MAX - kBufferOffset)
    return nullptr;
  void *allocation = nullptr;
  if (bytes >= kCachedMinBytes) {
    std::lock_guard<std::mutex> lock(cacheMutex);
    auto found = cachedBuffers().find(bytes);
    if (found != cachedBuffers().end() && !found->second.empty()) {
      allocation = found->second.back();
      found->second.pop_back();
      cachedBytes -= bytes;
    }
  }
  bool fresh = !allocation;
  for (int attempt = 0; !allocation && attempt < 2; ++attempt) {
    if (attempt == 1)
      dropCachedBuffers();
    if (::posix_memalign(&allocation, kBufferOffset,
                         kBufferOffset + static_cast<size_t>(bytes)) != 0)
      allocation = nullptr;
  }
  if (!allocation)
    return nullptr;
  if (fresh)
    adviseHugePages(allocation, kBufferOffset + static_cast<size_t>(bytes));
  return reinterpret_cast<CpuBlockRun::Header *>(
             static_cast<std::byte *>(allocation) + kBufferOffset) -
         1;
}

/// Frees `header`'s allocation, or keeps it for a later one of its size.
static void freeWithHeader(CpuBlockRun::Header *header) {
  uint64_t bytes = header->bytes;
  if (bytes >= kCachedMinBytes) {
    std::lock_guard<std::mutex> lock(cacheMutex);
    if (cachedBytes + bytes <= kCacheMaxBytes) {
      cachedBuffers()[bytes].push_back(allocationOf(header));
      cachedBytes += bytes;
      return;
    }
  }
  std::free(allocationOf(header));
}

/// HostTensor::adopt's release for createCachedHostTensor's buffers.
static void releaseCachedBuffer(std::byte *buffer, const void *) {
  CpuBlockRun::release(buffer);
}

StatusOr<HostTensor> createCachedHostTensor(ElementType type,
                                            std::vector<int64_t> shape) {
  VMGPU_ASSIGN_OR_RETURN(uint64_t bytes, checkedTensorBytes(type, shape));
  if (bytes == 0)
    return HostTensor::createUninitialized(type, std::move(shape));
  void *buffer = CpuBlockRun::allocateOutsideRuns(bytes);
  if (!buffer)
    return outOfMemoryError("cannot allocate " + std::to_string(bytes) +
                            " bytes for a host tensor");
  return HostTensor::adopt(type, std::move(shape),
                           static_cast<std::byte *>(buffer),
                           releaseCachedBuffer, nullptr);
}

void *CpuBlockRun::allocateOutsideRuns(uint64_t bytes) {
  Header *header = allocateWithHeader(bytes);
  if (!header)
    return nullptr;
  *header = {nullptr, nullptr, nullptr, bytes};
  return header + 1;
}

void *CpuBlockRun::allocate(uint64_t bytes) {
  Header *header = allocateWithHeader(bytes);
  if (!header) {
    failedBytes_ = bytes;
    siglongjmp(failure_, 1);
  }
  *header = {nullptr, first_, this, bytes};
  if (first_)
    first_->previous = header;
  first_ = header;
  liveBytes_ += bytes;
  processLiveBytes += bytes;
  if (liveBytes_ > peakBytes_)
    peakBytes_ = liveBytes_;
  return header + 1;
}

void CpuBlockRun::failCurrentRun(Status status) {
  CpuBlockRun *run = currentRun;
  if (!run)
    return;
  run->failedStatus_ = std::move(status);
  siglongjmp(run->failure_, 1);
}

void CpuBlockRun::release(void *pointer) {
  if (!pointer)
    return;
  Header *header = static_cast<Header *>(pointer) - 1;
  if (CpuBlockRun *run = header->run) {
    (header->previous ? header->previous->next : run->first_) = header->next;
    if (header->next)
      header->next->previous = header->previous;
    run->liveBytes_ -= header->bytes;
    processLiveBytes -= header->bytes;
  }
  freeWithHeader(header);
}

bool CpuBlockRun::detach(void *pointer) {
  for (Header *header = first_; header; header = header->next) {
    if (header + 1 != pointer)
      continue;
    (header->previous ? header->previous->next : first_) = header->next;
    if (header->next)
      header->next->previous = header->previous;
    liveBytes_ -= header->bytes;
    processLiveBytes -= header->bytes;
    header->previous = header->next = nullptr;
    header->run = nullptr;
    return true;
  }
  return false;
}

void CpuBlockRun::freeAll() {
  while (first_)
    release(first_ + 1);
}

} // namespace vmgpu::runtime
