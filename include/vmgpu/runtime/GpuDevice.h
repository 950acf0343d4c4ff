//===- GpuDevice.h - one GPU: stream, memory pool, staging, kernels -*- C++
//-*-===//
//
// The device layer. A GpuDevice is one GPU of one backend (CUDA or HIP) and
// ordinal, and owns what runs there: persistent non-blocking streams, one
// per host thread that uses the device (every copy, launch and
// stream-ordered allocation a thread makes goes to its stream, so blocks
// run concurrently from several threads), a memory pool (the driver's stream-ordered pool, or a size-class
// cache of device buffers where the driver has none), a pinned staging
// ring for copies from and to pageable host memory, and the function
// handles of the modules loaded on it. The GPU host calls (GpuHostCalls.h)
// act on the calling thread's current device (GpuDeviceScope); see
// docs/runtime.md, "The device layer".
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_GPUDEVICE_H
#define VMGPU_RUNTIME_GPUDEVICE_H

#include "vmgpu/runtime/GpuHostBackend.h"
#include "vmgpu/runtime/Status.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace vmgpu::runtime {

/// What a device's memory did since it was made (counters) and holds now.
struct DeviceMemoryStats {
  /// Device buffers taken from the driver: pool growths (the pool's
  /// reserved bytes went up) or, without a pool, size-class cache misses.
  /// 0 per run in a steady state.
  uint64_t driverAllocations = 0;
  /// Buffers handed out and returned by allocate()/free().
  uint64_t allocations = 0;
  uint64_t frees = 0;
  /// Bytes of the buffers handed out and not yet returned, and the most
  /// there ever were at once.
  uint64_t bytesInUse = 0;
  uint64_t peakBytesInUse = 0;
  /// Page-locked host bytes held: the staging ring, pinned tensors and
  /// the freed pinned buffers kept for reuse.
  uint64_t pinnedBytes = 0;
  /// Bytes copied between host and device and the host time the copy
  /// calls took (a copy to the device may still run after its call).
  uint64_t hostToDeviceBytes = 0;
  uint64_t deviceToHostBytes = 0;
  double hostToDeviceMs = 0.0;
  double deviceToHostMs = 0.0;
  /// Copies that went through the staging ring (pageable host memory).
  uint64_t stagedCopies = 0;
  /// Constant globals uploaded (uploadConstant: once per loaded executable
  /// and global) and their bytes; also counted in hostToDevice*.
  uint64_t constantUploads = 0;
  uint64_t constantBytes = 0;
};

/// One GPU. See the file comment.
///
/// Ownership: get()'s devices live as long as the process (never
/// destroyed: the driver may be gone at exit); create()'s belong to the
/// caller and must outlive every executable loaded on them and every
/// buffer they handed out. The device owns its stream, pool, staging ring
/// and the buffers in its cache; buffers it hands out are the caller's
/// until given back with free().
/// Thread-safety: every member may be called concurrently. Each host
/// thread queues its work on its own stream (stream()): one thread's work
/// runs in order, different threads' work runs concurrently. A device
/// buffer or device-resident tensor handed from one thread to another must
/// be finished first: the producing thread calls synchronize() (or
/// copyTensorToHost) before the other thread uses or drops it.
class GpuDevice {
public:
  /// The process's device `ordinal` of artifact target `target` ("cuda"
  /// or "rocm"), made on first use over the process driver. Unavailable
  /// when the driver is missing or has no such device; InvalidArgument
  /// for another target.
  static StatusOr<GpuDevice *> get(const std::string &target, int ordinal);
  /// A device over `backend` (which must outlive it): tests, and embedders
  /// that load their own driver. `kind` is "cuda" or "rocm", for names.
  static StatusOr<std::unique_ptr<GpuDevice>>
  create(const GpuHostBackend &backend, std::string kind, int ordinal);
  ~GpuDevice();
  GpuDevice(const GpuDevice &) = delete;
  GpuDevice &operator=(const GpuDevice &) = delete;

  const GpuHostBackend &backend() const { return backend_; }
  /// "cuda" or "rocm".
  const std::string &kind() const { return kind_; }
  int ordinal() const { return ordinal_; }
  /// "cuda:1" style, as `--device` spells it.
  const std::string &name() const { return name_; }
  /// What the device is (GpuHostBackend::deviceModel), read once when it
  /// is made; empty when the driver could not say.
  const std::string &model() const { return model_; }

  /// Makes this device current on the calling thread (before any other
  /// driver call on a thread that may have used another device).
  Status makeCurrent() const { return backend_.makeCurrent(ordinal_); }
  /// What GpuHostBackend::currentToken() says while this device is current
  /// (read when it is made; 0 if the driver could not say).
  uintptr_t currentToken() const { return currentToken_; }
  /// The calling thread's persistent non-blocking stream: the first
  /// thread gets the one made with the device, each further thread a new
  /// one on first use (up to kMaxStreamsPerDevice; later threads share
  /// them round robin, and a thread whose stream cannot be made shares the
  /// first). A stream lives as long as the device.
  void *stream() const;
  /// Waits for everything the calling thread queued on its stream; the only
  /// wait a block run makes, and only when its results go to the host.
  Status synchronize() const { return backend_.synchronizeStream(stream()); }
  /// How many streams the device has made (one per thread that used it).
  size_t streamCount() const;
  /// Whether the calling thread's stream is used by other threads too
  /// (past kMaxStreamsPerDevice threads, or when a stream could not be
  /// made): work of theirs would land in a capture of it.
  bool streamShared() const;
  /// Held shared by a thread while it captures its stream into a graph
  /// (GpuGraphPlans.h); the device's waits for all streams take it
  /// exclusively, since waiting for a stream under capture invalidates the
  /// capture. Never wait for all streams while holding it.
  std::shared_mutex &captureLock() const { return captureLock_; }

  /// A device buffer of `bytes` (at least one), ordered on the stream: it
  /// may be used by work queued after this call on the stream.
  StatusOr<void *> allocate(size_t bytes);
  /// Returns a buffer allocate() gave, ordered on the stream (work queued
  /// before may still use it). False when `pointer` is not this device's.
  bool free(void *pointer);
  /// True when `pointer` is a live buffer of allocate().
  bool owns(const void *pointer) const;

  /// `name` in `module`, looked up once per module (the host code asks
  /// before every launch).
  StatusOr<void *> function(void *module, const char *name);
  /// Forgets the functions of `module` (before it is unloaded: a later
  /// module may get the same handle).
  void forgetModule(void *module);

  /// Queues a copy of `bytes` from host memory to the device on the stream.
  /// Pageable memory of kStagingMinBytes or more goes through the staging
  /// ring (chunks copied on the host while the previous chunk crosses the
  /// link) and `host` may be reused once this returns; pinned memory
  /// (allocatePinned) and small copies go to the driver directly, and
  /// `host` must stay as it is until the stream passes the copy (a
  /// synchronize(), or waitForMark of a later mark()).
  Status copyToDevice(void *device, const void *host, size_t bytes);
  /// Marks the work queued on the stream so far; waitForMark waits for that
  /// work alone (not for what is queued later) and releases the mark. A
  /// null mark (a driver without events) waits for the whole stream.
  StatusOr<void *> mark();
  Status waitForMark(void *mark);
  /// Copies `bytes` from the device to host memory after the work queued
  /// on the stream. Into pageable memory the copy is complete when this
  /// returns; into pinned memory it is queued (synchronize() waits).
  Status copyToHost(void *host, const void *device, size_t bytes);
  /// A new buffer holding a copy of the `bytes` at `host`, complete when
  /// this returns (every stream may read it): a loaded block's constant
  /// (DeviceConstants.h). Counted in constantUploads. The caller frees it.
  StatusOr<void *> uploadConstant(const void *host, size_t bytes);
  /// Queues a device-to-device copy on the stream.
  Status copyOnDevice(void *destination, const void *source, size_t bytes);

  /// Page-locked host memory of `bytes` (at least one) that copies to and
  /// from this device at link speed; the caller frees it with freePinned.
  /// Buffers of kStagingMinBytes or more that were freed are kept (up to
  /// kPinnedCacheMaxBytes) and handed out again for the same size: page
  /// locking costs ~15 ms per 256 MiB, so repeated runs must not pay it.
  StatusOr<void *> allocatePinned(size_t bytes);
  /// False when `pointer` is not from allocatePinned. Waits for every
  /// stream of the device first (a copy from or into it may be queued).
  bool freePinned(void *pointer);
  /// True when [pointer, pointer + bytes) lies in one allocatePinned buffer.
  bool isPinned(const void *pointer, size_t bytes) const;

  DeviceMemoryStats memoryStats() const;

  /// What a runtime library keeps per device (LibraryGemm.h: cuBLASLt's
  /// handle, workspace and chosen algorithms).
  class Extension {
  public:
    virtual ~Extension();
  };
  /// The extension under `key`, made by `make` on first use (a failure is
  /// returned and not kept: the next call tries again). With no `make`,
  /// null when there is none yet. Extensions are destroyed with the device,
  /// before its stream, pool and staging ring.
  StatusOr<Extension *>
  extension(const void *key,
            const std::function<StatusOr<std::unique_ptr<Extension>>()> &make =
                nullptr);

  /// The device `owner` is, when it is a live GpuDevice (the owner() of a
  /// device-resident HostTensor); null otherwise. Thread-safe.
  static GpuDevice *fromOwner(const void *owner);
  /// The owner() of pinned host tensors of this device: not the device
  /// itself, since they are host memory (readable, never used in place).
  const void *pinnedOwner() const { return &pinnedOwner_; }
  /// The device of a pinnedOwner() value; null for anything else.
  static GpuDevice *fromPinnedOwner(const void *owner);

private:
  GpuDevice(const GpuHostBackend &backend, std::string kind, int ordinal);
  /// Makes the stream, the pool (if the driver has pools) and the events.
  Status initialize();
  /// The staging ring, allocated on first use; false when the driver has
  /// no pinned memory or events (copies then go directly).
  bool stagingReady();
  /// Waits for every stream of the device.
  Status synchronizeAllStreams() const;
  /// A stream for a thread that has none yet (see stream()).
  void *claimStream() const;
  /// Gives the kept pinned buffers back to the driver.
  void dropPinnedCache();

  const GpuHostBackend &backend_;
  std::string kind_;
  int ordinal_;
  std::string name_;
  std::string model_;
  uintptr_t currentToken_ = 0;
  /// Unique over the process's devices (an address may be reused): the
  /// key of the threads' stream caches.
  uint64_t id_;
  /// Every stream made; [0, claimedStreams_) belong to threads.
  mutable std::mutex streamsMutex_;
  mutable std::vector<void *> streams_;
  mutable size_t claimedStreams_ = 0;
  /// How many threads use each of streams_.
  mutable std::vector<int> streamThreads_;
  mutable std::shared_mutex captureLock_;
  /// The driver's stream-ordered pool; null without one (then cache_).
  void *pool_ = nullptr;

  mutable std::mutex memoryMutex_;
  /// Live buffers and their sizes (as asked; the cache rounds up).
  std::unordered_map<const void *, size_t> live_;
  /// Without a pool: freed buffers by (stream, size class). A buffer freed
  /// on a stream is reusable at once by work on that stream, which runs
  /// after every earlier use; other streams do not take it.
  std::map<std::pair<void *, size_t>, std::vector<void *>> cache_;
  uint64_t poolReserved_ = 0;
  DeviceMemoryStats stats_;
  /// Pinned buffers: start -> size.
  std::map<const std::byte *, size_t> pinned_;
  /// Freed pinned buffers kept for reuse, by size, and their bytes.
  std::map<size_t, std::vector<void *>> pinnedCache_;
  uint64_t pinnedCachedBytes_ = 0;

  std::mutex functionsMutex_;
  std::map<std::pair<void *, std::string>, void *> functions_;

  /// The staging ring: two pinned chunks and an event per chunk marking
  /// the last copy that used it. Held for a whole copy.
  std::mutex stagingMutex_;
  bool stagingTried_ = false;
  std::array<void *, 2> staging_ = {nullptr, nullptr};
  std::array<void *, 2> stagingEvents_ = {nullptr, nullptr};
  std::array<bool, 2> stagingBusy_ = {false, false};

  struct PinnedOwner {
    GpuDevice *device;
  } pinnedOwner_{this};

  std::mutex extensionsMutex_;
  std::map<const void *, std::unique_ptr<Extension>> extensions_;
};

/// The bytes of one staging chunk, and the smallest pageable copy that goes
/// through the ring (smaller ones the driver stages itself for less).
inline constexpr size_t kStagingChunkBytes = size_t(32) << 20;
inline constexpr size_t kStagingMinBytes = size_t(1) << 20;
/// The most streams a device makes (threads beyond share them).
inline constexpr size_t kMaxStreamsPerDevice = 32;
/// The most freed pinned bytes a device keeps for reuse.
inline constexpr uint64_t kPinnedCacheMaxBytes = uint64_t(1) << 30;

/// The size class of a `bytes` buffer in a device's cache: `bytes` rounded
/// up to a quarter of its highest power of two (at most 25% more), 256
/// bytes at least.
size_t deviceSizeClass(size_t bytes);

/// Makes `device` the current device of this thread for the scope's
/// lifetime (the host calls then use its stream, pool and function cache,
/// and its backend), then restores the previous one. Does not make the
/// device current in the driver (GpuDevice::makeCurrent does).
///
/// Ownership: does not own `device`. Thread-safety: this thread only.
class GpuDeviceScope {
public:
  explicit GpuDeviceScope(GpuDevice *device);
  ~GpuDeviceScope();
  GpuDeviceScope(const GpuDeviceScope &) = delete;
  GpuDeviceScope &operator=(const GpuDeviceScope &) = delete;

private:
  GpuDevice *previous_;
  GpuHostBackendScope backend_;
};

/// The calling thread's current device (null outside every scope).
GpuDevice *currentGpuDevice();

/// Makes `device` current in the driver on the calling thread for the
/// scope's lifetime (GpuDevice::makeCurrent), then gives the thread back
/// what it had current before when that was something else: a JIT's own
/// context or device (CUDA's runtime reads its current device from it) is
/// as it found it after a vmgpu call. A thread that had nothing current
/// keeps this device current; one that has it current already costs one
/// driver query (nothing set, nothing restored). Every entry point of the
/// runtime that uses a device makes one.
///
/// Ownership: does not own `device`. Thread-safety: this thread only.
class GpuCurrentScope {
public:
  explicit GpuCurrentScope(const GpuDevice &device);
  ~GpuCurrentScope();
  GpuCurrentScope(const GpuCurrentScope &) = delete;
  GpuCurrentScope &operator=(const GpuCurrentScope &) = delete;
  /// Whether the device could be made current.
  const Status &status() const { return status_; }

private:
  const GpuHostBackend &backend_;
  uintptr_t previous_ = 0;
  bool restore_ = false;
  Status status_;
};

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_GPUDEVICE_H
