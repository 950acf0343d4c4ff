//===- BlockMemory.h - how much memory a block run may take -----*- C++ -*-===//
//
// Two lines of defence against a block that does not fit in memory (see
// docs/cpu-path.md, "Memory per block"):
// - before a run, the block's memory-bound entry point says how many bytes
//   the run needs at most, and the runtime compares that with what the
//   process can still get (processMemoryHeadroom) or a configured bound;
// - during a CPU run, the block allocates through the runtime's allocator
//   (CpuBlockRun), which ends the run at the first allocation that fails
//   and frees every buffer the run had allocated.
// Buffers are 64-byte aligned, and freed buffers of 64 KiB or more are kept
// (1 GiB at most) for the next allocation of the same size: repeated runs
// of a block reuse their memory instead of faulting in fresh pages. GPU
// blocks' host results come from the same cache (createCachedHostTensor).
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_BLOCKMEMORY_H
#define VMGPU_RUNTIME_BLOCKMEMORY_H

#include "vmgpu/runtime/HostTensor.h"
#include "vmgpu/runtime/Status.h"

#include <csetjmp>
#include <cstdint>
#include <string>

namespace vmgpu::runtime {

/// How many bytes a run may use, and where that number comes from.
struct MemoryBound {
  /// UINT64_MAX: nothing is known to bound it.
  uint64_t bytes = UINT64_MAX;
  /// For messages: "RLIMIT_AS headroom", "MemAvailable", ...
  std::string source = "unbounded";
};

/// What this process can still allocate: the least of the headroom under
/// RLIMIT_AS (its soft limit minus the address space in use), under
/// RLIMIT_DATA (minus the data in use), MemAvailable of /proc/meminfo, and
/// the memory limit minus the usage of the process's cgroup and each of its
/// ancestors (cgroup v2 `memory.max`, v1 `memory.limit_in_bytes`).
/// Whatever cannot be read is left out. Reads /proc and /sys (tens of
/// microseconds). Thread-safe.
MemoryBound processMemoryHeadroom();

/// The bytes of the largest allocation a block run may make before
/// RLIMIT_AS etc. are looked at: runs that need less skip that cost and rely
/// on the allocator alone.
inline constexpr uint64_t kSmallRunBytes = uint64_t(16) << 20;

/// The functions CPU blocks allocate and free their buffers with (stored in
/// the block's `__vmgpu_cpu_alloc_hook` / `__vmgpu_cpu_free_hook`).
using CpuAllocateFunction = void *(*)(uint64_t bytes);
using CpuFreeFunction = void (*)(void *pointer);
CpuAllocateFunction cpuBlockAllocateFunction();
CpuFreeFunction cpuBlockFreeFunction();

/// Bytes held right now by CPU block runs of this process (buffers as the
/// blocks asked for them). Thread-safe.
uint64_t cpuBlockLiveBytes();
/// The peakBytes() of the last CpuBlockRun::call on this thread, whether it
/// completed or not (0 before the first).
uint64_t lastCpuBlockRunPeakBytes();

/// A host tensor of `type` and `shape`, uninitialized, whose buffer comes
/// from the cache of freed buffers (a fresh one when none has its size) and
/// goes back there when the tensor is destroyed: a GPU block's results
/// copied to the host every run land in pages faulted in once, not in a
/// fresh mapping per run (a 256 MiB result costs ~65,000 page faults).
/// Thread-safe.
StatusOr<HostTensor> createCachedHostTensor(ElementType type,
                                            std::vector<int64_t> shape);

/// One run of a CPU block's entry point with the runtime's allocator. Every
/// buffer the block allocates is recorded in a list (a header in front of
/// the buffer, so recording never allocates) and stays valid until the
/// CpuBlockRun is destroyed, which frees every buffer the block did not
/// free itself: its results and anything it leaked.
///
/// When an allocation fails, the allocator jumps back (siglongjmp) to
/// call(), which returns OutOfMemory. That is safe because only the block's
/// compiled code (no destructors, no locks) lies between the two, and the
/// block allocates only on the calling thread, outside OpenMP regions
/// (vm-cpu-allocation-hooks checks both at compile time).
///
/// Ownership: owns the buffers the block allocated during call().
/// Thread-safety: one thread; one call() at a time per thread.
class CpuBlockRun {
public:
  CpuBlockRun();
  ~CpuBlockRun();
  CpuBlockRun(const CpuBlockRun &) = delete;
  CpuBlockRun &operator=(const CpuBlockRun &) = delete;

  /// Calls `entry(arguments)` with this run's allocator current on this
  /// thread. OutOfMemory ("allocating N bytes failed") when an allocation
  /// failed: the block was stopped there and its buffers are freed.
  Status call(void (*entry)(void **), void **arguments);

  /// The most bytes the block had allocated at once (buffer sizes as the
  /// block asked for them).
  uint64_t peakBytes() const { return peakBytes_; }

  /// Takes `pointer`, a buffer this run allocated and still holds, out of
  /// the run: the caller owns it from now on and frees it with release().
  /// False (and nothing changes) for any other pointer.
  bool detach(void *pointer);

  /// Ends the run that is current on this thread (call()'s) with `status`,
  /// which call() then returns after freeing the run's buffers; the jump is
  /// safe for the same reasons as an allocation failure's, so it may only be
  /// made on the calling thread, from a function the block calls at its top
  /// level, with no object that needs destruction live in between (pass the
  /// Status by value and keep nothing else). Returns (doing nothing) when no
  /// run is current on this thread.
  static void failCurrentRun(Status status);

  /// The allocator behind the hooks (BlockMemory.cpp). allocate() never
  /// returns null: a failure jumps back to call(). A block run outside
  /// call() gets untracked buffers, and null when malloc fails.
  struct Header;
  void *allocate(uint64_t bytes);
  static void *allocateOutsideRuns(uint64_t bytes);
  static void release(void *pointer);

private:
  void freeAll();

  Header *first_ = nullptr;
  uint64_t liveBytes_ = 0;
  uint64_t peakBytes_ = 0;
  uint64_t failedBytes_ = 0;
  /// Why failCurrentRun() ended the run (ok after an allocation failure).
  Status failedStatus_;
  sigjmp_buf failure_;
};

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_BLOCKMEMORY_H
