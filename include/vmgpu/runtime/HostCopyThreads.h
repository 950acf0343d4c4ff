//===- HostCopyThreads.h - large host memcpys on a few threads --*- C++ -*-===//
//
// One host thread copies about 5-10 GB/s, a PCIe 5 link moves 55 GB/s: a
// copy between pageable memory and the device's pinned staging ring is
// bound by the host-side memcpy (and by first-touch page faults of fresh
// destination pages, which several threads take in parallel). copyOnHost
// splits a large copy over the calling thread and a small fixed pool of
// worker threads, started on first use and kept for the process.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_HOSTCOPYTHREADS_H
#define VMGPU_RUNTIME_HOSTCOPYTHREADS_H

#include <cstddef>

namespace vmgpu::runtime {

/// Copies `bytes` from `source` to `destination` (which must not overlap)
/// and returns when the copy is complete. Copies of at least
/// kParallelCopyMinBytes are split into pieces that the calling thread and
/// up to hostCopyThreadCount() - 1 workers copy concurrently; smaller ones
/// are one memcpy on the calling thread. Thread-safe: concurrent callers
/// share the workers (each caller always copies too, so none waits idle).
void copyOnHost(void *destination, const void *source, size_t bytes);

/// The threads a large copy uses, the caller's included: half the hardware
/// threads, at least 1 and at most 8 (memory bandwidth, not cores, bounds
/// a copy beyond that; the rest of the machine keeps running).
unsigned hostCopyThreadCount();

/// The smallest copy that is split, and the smallest piece.
inline constexpr size_t kParallelCopyMinBytes = size_t(1) << 20;

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_HOSTCOPYTHREADS_H
