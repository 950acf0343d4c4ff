//===- GpuHostBackend.h - the driver behind the GPU host calls --*- C++ -*-===//
//
// The `mgpu*` and `_mlir_memref_to_llvm_*` host calls (GpuHostCalls.h) are
// the same for every GPU artifact; what they do is a backend's: CUDA for
// "cuda" artifacts, HIP for "rocm" ones. Each thread has a current backend,
// set by a GpuHostBackendScope around whatever runs a block's host code
// (dlopen, the entry point, dlclose); NativeExecutable does that.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_GPUHOSTBACKEND_H
#define VMGPU_RUNTIME_GPUHOSTBACKEND_H

#include "vmgpu/runtime/Status.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace vmgpu::runtime {

class HipDriver;

/// One GPU driver as the host calls use it. Handles (modules, functions,
/// streams) are the driver's own, passed around as `void *`.
///
/// Ownership: the process backends (cudaHostBackend, hipHostBackend) are
/// singletons that are never destroyed; makeHipHostBackend's belongs to
/// its caller. Thread-safety: every member may be called concurrently.
class GpuHostBackend {
public:
  virtual ~GpuHostBackend();

  /// "cuda" or "hip", for messages.
  virtual const char *name() const = 0;
  /// Loads a kernel module from the `size` bytes at `data` (cubin, HSACO);
  /// the bytes stay owned by the caller.
  virtual StatusOr<void *> loadModule(const void *data, size_t size) const = 0;
  virtual Status unloadModule(void *module) const = 0;
  virtual StatusOr<void *> getFunction(void *module,
                                       const char *name) const = 0;
  virtual StatusOr<void *> createStream() const = 0;
  virtual Status synchronizeStream(void *stream) const = 0;
  virtual Status destroyStream(void *stream) const = 0;
  /// Launches `function`; every grid and block size is in 1..INT_MAX (the
  /// caller checked). `params` has one pointer per kernel argument.
  virtual Status launch(void *function, const unsigned grid[3],
                        const unsigned block[3], unsigned sharedBytes,
                        void *stream, void **params, void **extra) const = 0;
  /// Copies `bytes` from `source` to `destination`, any two addresses the
  /// driver reaches (host memory, pinned or not, and device memory), ordered
  /// on `stream` before the work queued after it.
  virtual Status copy(void *destination, const void *source, size_t bytes,
                      void *stream) const = 0;
  /// Memory only the device reaches (what blocks compute in); at least one
  /// byte, so that every buffer has its own address.
  virtual StatusOr<void *> allocateDevice(size_t bytes) const = 0;
  virtual Status free(void *pointer) const = 0;
  /// Waits for all work on the current device. Only the host calls without
  /// a GpuDevice use it; a device waits on its own stream.
  virtual Status synchronizeDevice() const = 0;

  // The device layer (GpuDevice.h) calls the members below.

  /// How many devices the driver reports.
  virtual StatusOr<int> deviceCount() const = 0;
  /// Makes device `ordinal` current on the calling thread (CUDA: its
  /// primary context; HIP: hipSetDevice).
  virtual Status makeCurrent(int ordinal) const = 0;
  /// What the calling thread has current now (CUDA: its context, HIP: its
  /// device), for restoreCurrent; 0 when nothing is.
  virtual uintptr_t currentToken() const = 0;
  /// Makes current again what currentToken() returned (best effort).
  virtual void restoreCurrent(uintptr_t token) const = 0;
  /// What device `ordinal` is, for records kept across processes and
  /// machines: its name, architecture and (CUDA) multiprocessor count,
  /// e.g. "NVIDIA H200 sm_90 132".
  virtual StatusOr<std::string> deviceModel(int ordinal) const = 0;
  /// A stream-ordered memory pool on device `ordinal` (the current one)
  /// that keeps up to `releaseThreshold` bytes reserved across
  /// synchronizations; null when the driver has no pools.
  virtual StatusOr<void *> createPool(int ordinal,
                                      uint64_t releaseThreshold) const = 0;
  virtual Status destroyPool(void *pool) const = 0;
  /// `bytes` (at least one) from `pool`, ordered on `stream`.
  virtual StatusOr<void *> allocateFromPool(void *pool, size_t bytes,
                                            void *stream) const = 0;
  /// Returns an allocateFromPool buffer to its pool, ordered on `stream`.
  virtual Status freeToPool(void *pointer, void *stream) const = 0;
  /// The bytes `pool` holds from the driver now (reserved, in use or not).
  virtual StatusOr<uint64_t> poolReservedBytes(void *pool) const = 0;
  /// Page-locked host memory (full-speed copies); Unimplemented when the
  /// driver has none.
  virtual StatusOr<void *> allocatePinned(size_t bytes) const = 0;
  virtual Status freePinned(void *pointer) const = 0;
  /// Events that only order (no timing), for the staging ring. create
  /// returns null when the driver has no events.
  virtual StatusOr<void *> createEvent() const = 0;
  virtual Status recordEvent(void *event, void *stream) const = 0;
  virtual Status synchronizeEvent(void *event) const = 0;
  virtual Status destroyEvent(void *event) const = 0;

  // Graphs (GpuGraphPlans.h): the launches a block's host code queues on a
  // stream, captured once and replayed with one call.

  /// Whether the driver has stream capture and graphs (every entry point
  /// below); the others fail with Unimplemented when it has not.
  virtual bool hasGraphs() const = 0;
  /// Starts capturing `stream` (thread-local mode: a call on this thread
  /// that could wait for the device, such as a plain allocation, fails
  /// and invalidates the capture instead of running).
  virtual Status beginCapture(void *stream) const = 0;
  /// Ends the capture of `stream`: the graph of what was queued, or why
  /// the capture was invalidated.
  virtual StatusOr<void *> endCapture(void *stream) const = 0;
  /// An executable graph of `graph`.
  virtual StatusOr<void *> instantiateGraph(void *graph) const = 0;
  /// Gives `executable` the parameters of `graph`, a graph of the same
  /// shape (kernels, launch sizes, order); false when the shapes differ
  /// and a new executable graph is needed.
  virtual StatusOr<bool> updateGraph(void *executable, void *graph) const = 0;
  /// Queues `executable` on `stream`; ordered after earlier launches of
  /// the same executable graph on any stream.
  virtual Status launchGraph(void *executable, void *stream) const = 0;
  virtual Status destroyGraph(void *graph) const = 0;
  virtual Status destroyGraphExecutable(void *executable) const = 0;
};

/// The backend over the process's CUDA driver (CudaDriver::get()), made on
/// first use; the driver's status (Unavailable) when there is none.
StatusOr<const GpuHostBackend *> cudaHostBackend();
/// The backend over the process's HIP runtime (HipDriver::get()), made on
/// first use; the driver's status (Unavailable) when there is none.
StatusOr<const GpuHostBackend *> hipHostBackend();
/// A backend over `driver`, which must outlive it (tests, and embedders
/// that load their own HIP runtime with HipDriver::load).
std::unique_ptr<GpuHostBackend> makeHipHostBackend(const HipDriver &driver);

/// The backend of an artifact target: cudaHostBackend() for "cuda",
/// hipHostBackend() for "rocm", null for "cpu" (no host calls);
/// InvalidArgument for any other target.
StatusOr<const GpuHostBackend *>
gpuHostBackendForTarget(const std::string &target);

/// Makes `backend` the current backend of this thread for the scope's
/// lifetime, then restores the previous one. Scopes nest. With no current
/// backend (outside every scope, or a null `backend`) the host calls use
/// cudaHostBackend(), as before backends existed.
///
/// Ownership: does not own `backend`, which must outlive the scope.
/// Thread-safety: affects only the constructing thread; not movable.
class GpuHostBackendScope {
public:
  explicit GpuHostBackendScope(const GpuHostBackend *backend);
  ~GpuHostBackendScope();
  GpuHostBackendScope(const GpuHostBackendScope &) = delete;
  GpuHostBackendScope &operator=(const GpuHostBackendScope &) = delete;

private:
  const GpuHostBackend *previous_;
};

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_GPUHOSTBACKEND_H
