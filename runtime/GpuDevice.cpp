//===- GpuDevice.cpp - one GPU: stream, memory pool, staging, kernels -----===//

#include "vmgpu/runtime/GpuDevice.h"
#include "vmgpu/runtime/HostCopyThreads.h"
#include "vmgpu/runtime/Metrics.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <set>

namespace vmgpu::runtime {
namespace {

thread_local GpuDevice *currentDevice = nullptr;

/// Every live device, for GpuDevice::fromOwner.
std::mutex registryMutex;
std::set<const void *> &registry() {
  static auto *devices = new std::set<const void *>();
  return *devices;
}

/// A thread's stream on one device (GpuDevice::stream()).
struct ThreadStream {
  uint64_t device;
  void *stream;
};
thread_local std::vector<ThreadStream> threadStreams;
std::atomic<uint64_t> nextDeviceId{1};

/// Keep everything the pool ever reserved: a steady state then never goes
/// back to the driver (freeing at each synchronize and reallocating costs
/// tens of microseconds per buffer).
constexpr uint64_t kPoolReleaseThreshold = UINT64_MAX;

} // namespace

size_t deviceSizeClass(size_t bytes) {
  if (bytes <= 256)
    return 256;
  size_t top = size_t(1) << (63 - __builtin_clzll(bytes));
  size_t step = top / 4;
  return (bytes + step - 1) / step * step;
}

GpuDevice *currentGpuDevice() { return currentDevice; }

GpuDevice *GpuDevice::fromOwner(const void *owner) {
  if (!owner)
    return nullptr;
  std::lock_guard<std::mutex> lock(registryMutex);
  return registry().count(owner)
             ? const_cast<GpuDevice *>(static_cast<const GpuDevice *>(owner))
             : nullptr;
}

GpuDevice *GpuDevice::fromPinnedOwner(const void *owner) {
  if (!owner)
    return nullptr;
  std::lock_guard<std::mutex> lock(registryMutex);
  for (const void *device : registry())
    if (static_cast<const GpuDevice *>(device)->pinnedOwner() == owner)
      return const_cast<GpuDevice *>(static_cast<const GpuDevice *>(device));
  return nullptr;
}

GpuDeviceScope::GpuDeviceScope(GpuDevice *device)
    : previous_(currentDevice),
      backend_(device ? &device->backend() : nullptr) {
  currentDevice = device;
}

GpuDeviceScope::~GpuDeviceScope() { currentDevice = previous_; }

GpuCurrentScope::GpuCurrentScope(const GpuDevice &device)
    : backend_(device.backend()), previous_(backend_.currentToken()) {
  // Already current (one device, or runs chained on this one): nothing to
  // set, nothing to give back; one driver query per scope.
  if (previous_ != 0 && previous_ == device.currentToken())
    return;
  status_ = device.makeCurrent();
  restore_ = status_.isOk() && previous_ != 0;
}

GpuCurrentScope::~GpuCurrentScope() {
  if (restore_)
    backend_.restoreCurrent(previous_);
}

StatusOr<GpuDevice *> GpuDevice::get(const std::string &target, int ordinal) {
  if (target != "cuda" && target != "rocm")
    return invalidArgumentError("no GPU device for target '" + target + "'");
  VMGPU_ASSIGN_OR_RETURN(const GpuHostBackend *backend,
                         gpuHostBackendForTarget(target));
  static std::mutex mutex;
  // Never destroyed: devices outlive every executable, even at exit.
  static auto *devices =
      new std::map<std::pair<std::string, int>, GpuDevice *>();
  std::lock_guard<std::mutex> lock(mutex);
  auto found = devices->find({target, ordinal});
  if (found != devices->end())
    return found->second;
  VMGPU_ASSIGN_OR_RETURN(std::unique_ptr<GpuDevice> device,
                         create(*backend, target, ordinal));
  GpuDevice *made = device.release();
  devices->emplace(std::make_pair(target, ordinal), made);
  return made;
}

StatusOr<std::unique_ptr<GpuDevice>>
GpuDevice::create(const GpuHostBackend &backend, std::string kind,
                  int ordinal) {
  VMGPU_ASSIGN_OR_RETURN(int count, backend.deviceCount());
  if (ordinal < 0 || ordinal >= count)
    return unavailableError("no device " + kind + ":" +
                            std::to_string(ordinal) + " (found " +
                            std::to_string(count) + ")");
  std::unique_ptr<GpuDevice> device(
      new GpuDevice(backend, std::move(kind), ordinal));
  VMGPU_RETURN_IF_ERROR(device->initialize());
  std::lock_guard<std::mutex> lock(registryMutex);
  registry().insert(device.get());
  return device;
}

GpuDevice::GpuDevice(const GpuHostBackend &backend, std::string kind,
                     int ordinal)
    : backend_(backend), kind_(std::move(kind)), ordinal_(ordinal),
      name_(kind_ + ":" + std::to_string(ordinal)), id_(nextDeviceId++) {}

Status GpuDevice::initialize() {
  GpuCurrentScope current(*this);
  VMGPU_RETURN_IF_ERROR(current.status());
  currentToken_ = backend_.currentToken();
  // The first thread's stream; a device without one is no device.
  VMGPU_ASSIGN_OR_RETURN(void *first, backend_.createStream());
  streams_.push_back(first);
  // A driver without pools (or one that refuses to make one) still works:
  // the size-class cache then keeps buffers for reuse.
  StatusOr<void *> pool = backend_.createPool(ordinal_, kPoolReleaseThreshold);
  if (pool.isOk())
    pool_ = *pool;
  if (StatusOr<std::string> model = backend_.deviceModel(ordinal_);
      model.isOk())
    model_ = *model;
  return okStatus();
}

GpuDevice::Extension::~Extension() = default;

StatusOr<GpuDevice::Extension *> GpuDevice::extension(
    const void *key,
    const std::function<StatusOr<std::unique_ptr<Extension>>()> &make) {
  std::lock_guard<std::mutex> lock(extensionsMutex_);
  auto found = extensions_.find(key);
  if (found != extensions_.end())
    return found->second.get();
  if (!make)
    return static_cast<Extension *>(nullptr);
  VMGPU_ASSIGN_OR_RETURN(std::unique_ptr<Extension> made, make());
  Extension *result = made.get();
  extensions_.emplace(key, std::move(made));
  return result;
}

GpuDevice::~GpuDevice() {
  {
    std::lock_guard<std::mutex> lock(registryMutex);
    registry().erase(this);
  }
  // Best effort: a device is destroyed after its work (the owner's
  // contract); failures here only leak.
  GpuCurrentScope current(*this);
  (void)synchronizeAllStreams();
  // Extensions may give buffers back to the pool: they go before it.
  extensions_.clear();
  for (auto &[key, buffers] : cache_)
    for (void *buffer : buffers)
      (void)backend_.free(buffer);
  dropPinnedCache();
  for (size_t slot = 0; slot < staging_.size(); ++slot) {
    if (staging_[slot])
      (void)backend_.freePinned(staging_[slot]);
    if (stagingEvents_[slot])
      (void)backend_.destroyEvent(stagingEvents_[slot]);
  }
  if (pool_)
    (void)backend_.destroyPool(pool_);
  for (void *stream : streams_)
    (void)backend_.destroyStream(stream);
}

void *GpuDevice::stream() const {
  for (const ThreadStream &entry : threadStreams)
    if (entry.device == id_)
      return entry.stream;
  void *stream = claimStream();
  threadStreams.push_back({id_, stream});
  return stream;
}

void *GpuDevice::claimStream() const {
  std::lock_guard<std::mutex> lock(streamsMutex_);
  size_t index = 0;
  if (claimedStreams_ < streams_.size()) {
    index = claimedStreams_++;
  } else if (streams_.size() < kMaxStreamsPerDevice) {
    // Streams belong to the device's context: it must be current here.
    GpuCurrentScope current(*this);
    StatusOr<void *> made = current.status().isOk()
                                ? backend_.createStream()
                                : StatusOr<void *>(internalError("no context"));
    if (made.isOk()) {
      streams_.push_back(*made);
      index = claimedStreams_++;
    }
    // Otherwise sharing the first stream is slower, never wrong.
  } else {
    index = claimedStreams_++ % streams_.size();
  }
  streamThreads_.resize(streams_.size(), 0);
  ++streamThreads_[index];
  return streams_[index];
}

bool GpuDevice::streamShared() const {
  void *mine = stream();
  std::lock_guard<std::mutex> lock(streamsMutex_);
  for (size_t i = 0; i < streams_.size(); ++i)
    if (streams_[i] == mine)
      return i >= streamThreads_.size() || streamThreads_[i] != 1;
  return true;
}

size_t GpuDevice::streamCount() const {
  std::lock_guard<std::mutex> lock(streamsMutex_);
  return streams_.size();
}

StatusOr<void *> GpuDevice::allocate(size_t bytes) {
  bytes = std::max<size_t>(bytes, 1);
  void *pointer = nullptr;
  std::lock_guard<std::mutex> lock(memoryMutex_);
  if (pool_) {
    VMGPU_ASSIGN_OR_RETURN(pointer,
                           backend_.allocateFromPool(pool_, bytes, stream()));
    // The pool grew: the driver allocated. Counting costs one attribute
    // query, no synchronization.
    StatusOr<uint64_t> reserved = backend_.poolReservedBytes(pool_);
    if (reserved.isOk() && *reserved > poolReserved_) {
      ++stats_.driverAllocations;
      poolReserved_ = *reserved;
    }
  } else {
    size_t sizeClass = deviceSizeClass(bytes);
    std::vector<void *> &cached = cache_[{stream(), sizeClass}];
    if (!cached.empty()) {
      pointer = cached.back();
      cached.pop_back();
    } else {
      StatusOr<void *> fresh = backend_.allocateDevice(sizeClass);
      if (!fresh.isOk()) {
        // Cached buffers of other sizes may be what the driver misses:
        // wait for the stream (they may still be in use), give them back
        // and try once more.
        (void)synchronizeAllStreams();
        for (auto &[key, buffers] : cache_) {
          for (void *buffer : buffers)
            (void)backend_.free(buffer);
          buffers.clear();
        }
        fresh = backend_.allocateDevice(sizeClass);
        if (!fresh.isOk())
          return fresh.status();
      }
      pointer = *fresh;
      ++stats_.driverAllocations;
    }
  }
  live_[pointer] = bytes;
  ++stats_.allocations;
  stats_.bytesInUse += bytes;
  stats_.peakBytesInUse = std::max(stats_.peakBytesInUse, stats_.bytesInUse);
  return pointer;
}

bool GpuDevice::free(void *pointer) {
  std::lock_guard<std::mutex> lock(memoryMutex_);
  auto found = live_.find(pointer);
  if (found == live_.end())
    return false;
  size_t bytes = found->second;
  live_.erase(found);
  ++stats_.frees;
  stats_.bytesInUse -= bytes;
  if (pool_) {
    // A failed free only leaks the buffer; the block's result is unharmed.
    (void)backend_.freeToPool(pointer, stream());
    return true;
  }
  cache_[{stream(), deviceSizeClass(bytes)}].push_back(pointer);
  return true;
}

bool GpuDevice::owns(const void *pointer) const {
  std::lock_guard<std::mutex> lock(memoryMutex_);
  return live_.count(pointer) != 0;
}

StatusOr<void *> GpuDevice::function(void *module, const char *name) {
  std::lock_guard<std::mutex> lock(functionsMutex_);
  auto key = std::make_pair(module, std::string(name));
  auto found = functions_.find(key);
  if (found != functions_.end())
    return found->second;
  VMGPU_ASSIGN_OR_RETURN(void *function, backend_.getFunction(module, name));
  functions_.emplace(std::move(key), function);
  return function;
}

void GpuDevice::forgetModule(void *module) {
  std::lock_guard<std::mutex> lock(functionsMutex_);
  auto first = functions_.lower_bound({module, std::string()});
  auto last = first;
  while (last != functions_.end() && last->first.first == module)
    ++last;
  functions_.erase(first, last);
}

bool GpuDevice::stagingReady() {
  if (stagingTried_)
    return staging_[0] != nullptr;
  stagingTried_ = true;
  for (size_t slot = 0; slot < staging_.size(); ++slot) {
    StatusOr<void *> event = backend_.createEvent();
    StatusOr<void *> buffer = backend_.allocatePinned(kStagingChunkBytes);
    if (event.isOk())
      stagingEvents_[slot] = *event;
    if (buffer.isOk())
      staging_[slot] = *buffer;
  }
  bool ready =
      staging_[0] && staging_[1] && stagingEvents_[0] && stagingEvents_[1];
  if (!ready) {
    for (size_t slot = 0; slot < staging_.size(); ++slot) {
      if (staging_[slot])
        (void)backend_.freePinned(staging_[slot]);
      if (stagingEvents_[slot])
        (void)backend_.destroyEvent(stagingEvents_[slot]);
      staging_[slot] = stagingEvents_[slot] = nullptr;
    }
    return false;
  }
  std::lock_guard<std::mutex> lock(memoryMutex_);
  stats_.pinnedBytes += 2 * kStagingChunkBytes;
  return true;
}

Status GpuDevice::copyToDevice(void *device, const void *host, size_t bytes) {
  if (bytes == 0)
    return okStatus();
  Stopwatch watch;
  auto account = [&](bool staged) {
    std::lock_guard<std::mutex> lock(memoryMutex_);
    stats_.hostToDeviceBytes += bytes;
    stats_.hostToDeviceMs += watch.elapsedMs();
    stats_.stagedCopies += staged;
  };
  if (bytes < kStagingMinBytes || isPinned(host, bytes)) {
    VMGPU_RETURN_IF_ERROR(backend_.copy(device, host, bytes, stream()));
    account(false);
    return okStatus();
  }
  std::lock_guard<std::mutex> lock(stagingMutex_);
  if (!stagingReady()) {
    VMGPU_RETURN_IF_ERROR(backend_.copy(device, host, bytes, stream()));
    account(false);
    return okStatus();
  }
  auto *to = static_cast<std::byte *>(device);
  const auto *from = static_cast<const std::byte *>(host);
  // Chunk k is written on the host (by several threads: one memcpy is
  // slower than the link) into slot k % 2 while chunk k - 1 crosses the
  // link from the other slot.
  for (size_t offset = 0, chunk = 0; offset < bytes;
       offset += kStagingChunkBytes, ++chunk) {
    size_t slot = chunk % 2;
    size_t size = std::min(kStagingChunkBytes, bytes - offset);
    if (stagingBusy_[slot])
      VMGPU_RETURN_IF_ERROR(backend_.synchronizeEvent(stagingEvents_[slot]));
    copyOnHost(staging_[slot], from + offset, size);
    VMGPU_RETURN_IF_ERROR(
        backend_.copy(to + offset, staging_[slot], size, stream()));
    VMGPU_RETURN_IF_ERROR(backend_.recordEvent(stagingEvents_[slot], stream()));
    stagingBusy_[slot] = true;
  }
  account(true);
  return okStatus();
}

Status GpuDevice::copyToHost(void *host, const void *device, size_t bytes) {
  if (bytes == 0)
    return okStatus();
  Stopwatch watch;
  auto account = [&](bool staged) {
    std::lock_guard<std::mutex> lock(memoryMutex_);
    stats_.deviceToHostBytes += bytes;
    stats_.deviceToHostMs += watch.elapsedMs();
    stats_.stagedCopies += staged;
  };
  if (bytes < kStagingMinBytes || isPinned(host, bytes)) {
    VMGPU_RETURN_IF_ERROR(backend_.copy(host, device, bytes, stream()));
    account(false);
    return okStatus();
  }
  std::lock_guard<std::mutex> lock(stagingMutex_);
  if (!stagingReady()) {
    VMGPU_RETURN_IF_ERROR(backend_.copy(host, device, bytes, stream()));
    account(false);
    return okStatus();
  }
  auto *to = static_cast<std::byte *>(host);
  const auto *from = static_cast<const std::byte *>(device);
  size_t chunks = (bytes + kStagingChunkBytes - 1) / kStagingChunkBytes;
  auto issue = [&](size_t chunk) -> Status {
    size_t slot = chunk % 2, offset = chunk * kStagingChunkBytes;
    size_t size = std::min(kStagingChunkBytes, bytes - offset);
    VMGPU_RETURN_IF_ERROR(
        backend_.copy(staging_[slot], from + offset, size, stream()));
    stagingBusy_[slot] = true;
    return backend_.recordEvent(stagingEvents_[slot], stream());
  };
  // Chunk k + 1 crosses the link while chunk k is copied out on the host
  // (by several threads, which also take the page faults of fresh
  // destination pages in parallel).
  VMGPU_RETURN_IF_ERROR(issue(0));
  if (chunks > 1)
    VMGPU_RETURN_IF_ERROR(issue(1));
  for (size_t chunk = 0; chunk < chunks; ++chunk) {
    size_t slot = chunk % 2, offset = chunk * kStagingChunkBytes;
    size_t size = std::min(kStagingChunkBytes, bytes - offset);
    VMGPU_RETURN_IF_ERROR(backend_.synchronizeEvent(stagingEvents_[slot]));
    copyOnHost(to + offset, staging_[slot], size);
    if (chunk + 2 < chunks)
      VMGPU_RETURN_IF_ERROR(issue(chunk + 2));
  }
  account(true);
  return okStatus();
}

StatusOr<void *> GpuDevice::mark() {
  VMGPU_ASSIGN_OR_RETURN(void *event, backend_.createEvent());
  if (!event)
    return event;
  Status recorded = backend_.recordEvent(event, stream());
  if (!recorded.isOk()) {
    (void)backend_.destroyEvent(event);
    return recorded;
  }
  return event;
}

Status GpuDevice::waitForMark(void *mark) {
  if (!mark)
    return synchronize();
  Status waited = backend_.synchronizeEvent(mark);
  (void)backend_.destroyEvent(mark);
  return waited;
}

StatusOr<void *> GpuDevice::uploadConstant(const void *host, size_t bytes) {
  VMGPU_ASSIGN_OR_RETURN(void *copy, allocate(bytes));
  Status copied = copyToDevice(copy, host, bytes);
  StatusOr<void *> marked = copied.isOk() ? mark() : StatusOr<void *>(copied);
  if (marked.isOk())
    copied = waitForMark(*marked);
  else
    copied = marked.status();
  if (!copied.isOk()) {
    free(copy);
    return copied;
  }
  std::lock_guard<std::mutex> lock(memoryMutex_);
  ++stats_.constantUploads;
  stats_.constantBytes += bytes;
  return copy;
}

Status GpuDevice::copyOnDevice(void *destination, const void *source,
                               size_t bytes) {
  if (bytes == 0)
    return okStatus();
  return backend_.copy(destination, source, bytes, stream());
}

StatusOr<void *> GpuDevice::allocatePinned(size_t bytes) {
  bytes = std::max<size_t>(bytes, 1);
  {
    std::lock_guard<std::mutex> lock(memoryMutex_);
    auto cached = pinnedCache_.find(bytes);
    if (cached != pinnedCache_.end() && !cached->second.empty()) {
      void *pointer = cached->second.back();
      cached->second.pop_back();
      pinnedCachedBytes_ -= bytes;
      pinned_[static_cast<const std::byte *>(pointer)] = bytes;
      return pointer;
    }
  }
  GpuCurrentScope current(*this);
  VMGPU_RETURN_IF_ERROR(current.status());
  StatusOr<void *> pointer = backend_.allocatePinned(bytes);
  if (!pointer.isOk() && pointer.status().code() != StatusCode::Unimplemented) {
    // The kept buffers may be what the driver misses.
    dropPinnedCache();
    pointer = backend_.allocatePinned(bytes);
  }
  if (!pointer.isOk())
    return pointer;
  std::lock_guard<std::mutex> lock(memoryMutex_);
  pinned_[static_cast<const std::byte *>(*pointer)] = bytes;
  stats_.pinnedBytes += bytes;
  return pointer;
}

bool GpuDevice::freePinned(void *pointer) {
  size_t bytes = 0;
  {
    std::lock_guard<std::mutex> lock(memoryMutex_);
    auto found = pinned_.find(static_cast<const std::byte *>(pointer));
    if (found == pinned_.end())
      return false;
    bytes = found->second;
    pinned_.erase(found);
  }
  // Copies from or into it may be queued: they end before it goes (or is
  // handed out again).
  (void)synchronizeAllStreams();
  std::lock_guard<std::mutex> lock(memoryMutex_);
  if (bytes >= kStagingMinBytes &&
      pinnedCachedBytes_ + bytes <= kPinnedCacheMaxBytes) {
    pinnedCache_[bytes].push_back(pointer);
    pinnedCachedBytes_ += bytes;
    return true;
  }
  stats_.pinnedBytes -= bytes;
  (void)backend_.freePinned(pointer);
  return true;
}

Status GpuDevice::synchronizeAllStreams() const {
  // Waiting for a stream under capture would invalidate the capture.
  std::unique_lock<std::shared_mutex> noCapture(captureLock_);
  std::vector<void *> streams;
  {
    std::lock_guard<std::mutex> lock(streamsMutex_);
    streams = streams_;
  }
  Status first = okStatus();
  for (void *stream : streams) {
    Status synced = backend_.synchronizeStream(stream);
    if (first.isOk())
      first = synced;
  }
  return first;
}

void GpuDevice::dropPinnedCache() {
  std::lock_guard<std::mutex> lock(memoryMutex_);
  for (auto &[bytes, buffers] : pinnedCache_)
    for (void *buffer : buffers) {
      (void)backend_.freePinned(buffer);
      stats_.pinnedBytes -= bytes;
    }
  pinnedCache_.clear();
  pinnedCachedBytes_ = 0;
}

bool GpuDevice::isPinned(const void *pointer, size_t bytes) const {
  const auto *start = static_cast<const std::byte *>(pointer);
  std::lock_guard<std::mutex> lock(memoryMutex_);
  auto after = pinned_.upper_bound(start);
  if (after == pinned_.begin())
    return false;
  --after;
  return start >= after->first && bytes <= after->second &&
         static_cast<size_t>(start - after->first) <= after->second - bytes;
}

DeviceMemoryStats GpuDevice::memoryStats() const {
  std::lock_guard<std::mutex> lock(memoryMutex_);
  return stats_;
}

} // namespace vmgpu::runtime
