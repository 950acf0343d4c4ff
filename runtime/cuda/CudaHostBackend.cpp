//===- CudaHostBackend.cpp - the GPU host calls' backend over CUDA --------===//

#include "vmgpu/runtime/CudaDriver.h"
#include "vmgpu/runtime/GpuHostBackend.h"
#include "vmgpu/runtime/KernelTiming.h"

#include <cstdint>
#include <memory>
#include <mutex>

namespace vmgpu::runtime {
namespace {

constexpr unsigned kStreamNonBlocking = 1;
constexpr int kJitErrorLogBuffer = 5;
constexpr int kJitErrorLogBufferSize = 6;
constexpr unsigned kEventDefault = 0; // timing enabled
constexpr unsigned kEventDisableTiming = 2;
constexpr unsigned kHostAllocPortable = 1;
// CUmemPool_attribute values (cuda.h).
constexpr int kPoolAttrReleaseThreshold = 4;
constexpr int kPoolAttrReservedMemCurrent = 5;
constexpr int kCaptureModeThreadLocal =
    1; // CU_STREAM_CAPTURE_MODE_THREAD_LOCAL
constexpr CUresult kGraphExecUpdateFailure = 910;

/// CUmemPoolProps as cuda.h lays it out (88 bytes since CUDA 11.2; the
/// bytes after the security attributes are `maxSize`, `usage` and reserved
/// in CUDA 12, all zero for a default pool of pinned device memory).
struct CudaMemPoolProperties {
  int allocationType = 1; // CU_MEM_ALLOCATION_TYPE_PINNED
  int handleTypes = 0;    // CU_MEM_HANDLE_TYPE_NONE
  struct {
    int type = 1; // CU_MEM_LOCATION_TYPE_DEVICE
    int id = 0;
  } location;
  void *win32SecurityAttributes = nullptr;
  unsigned char rest[64] = {};
};
static_assert(sizeof(CudaMemPoolProperties) == 88,
              "CUmemPoolProps is 88 bytes");

/// Two events on one stream around a launch or a copy (KernelTiming.h).
class CudaEventInterval final : public DeviceInterval {
public:
  /// Records the start event on `stream`; null when the driver has no event
  /// calls or one fails (the work is then counted untimed: timing never
  /// fails a block).
  static std::unique_ptr<CudaEventInterval> start(const CudaDriver &cuda,
                                                  CUstream stream) {
    if (!cuda.cuEventCreate || !cuda.cuEventRecord ||
        !cuda.cuEventSynchronize || !cuda.cuEventElapsedTime ||
        !cuda.cuEventDestroy_v2)
      return nullptr;
    std::unique_ptr<CudaEventInterval> interval(new CudaEventInterval(cuda));
    if (!cuda.check(cuda.cuEventCreate(&interval->start_, kEventDefault),
                    "cuEventCreate")
             .isOk() ||
        !cuda.check(cuda.cuEventCreate(&interval->end_, kEventDefault),
                    "cuEventCreate")
             .isOk() ||
        !cuda.check(cuda.cuEventRecord(interval->start_, stream),
                    "cuEventRecord")
             .isOk())
      return nullptr;
    return interval;
  }

  /// Records the end event on `stream`; false when that fails.
  bool finish(CUstream stream) {
    return cuda_.check(cuda_.cuEventRecord(end_, stream), "cuEventRecord")
        .isOk();
  }

  ~CudaEventInterval() override {
    // Best effort: a failed destroy only leaks an event.
    if (start_)
      (void)cuda_.cuEventDestroy_v2(start_);
    if (end_)
      (void)cuda_.cuEventDestroy_v2(end_);
  }

  StatusOr<double> elapsedMs() override {
    VMGPU_RETURN_IF_ERROR(
        cuda_.check(cuda_.cuEventSynchronize(end_), "cuEventSynchronize"));
    float ms = 0.0f;
    VMGPU_RETURN_IF_ERROR(cuda_.check(
        cuda_.cuEventElapsedTime(&ms, start_, end_), "cuEventElapsedTime"));
    return static_cast<double>(ms);
  }

private:
  explicit CudaEventInterval(const CudaDriver &cuda) : cuda_(cuda) {}
  const CudaDriver &cuda_;
  void *start_ = nullptr;
  void *end_ = nullptr;
};

/// Runs `work` (which queues one launch or copy on `stream`) and, while
/// KernelTiming is on, records it with events around it.
template <typename Work>
Status timed(const CudaDriver &cuda, TimedWork kind, size_t bytes,
             CUstream stream, Work work) {
  if (!kernelTimingEnabled())
    return work();
  std::unique_ptr<CudaEventInterval> interval =
      CudaEventInterval::start(cuda, stream);
  Status status = work();
  if (!status.isOk())
    return status;
  if (interval && !interval->finish(stream))
    interval.reset();
  recordTimedWork(kind, bytes, std::move(interval));
  return status;
}

class CudaHostBackend final : public GpuHostBackend {
public:
  explicit CudaHostBackend(const CudaDriver &cuda) : cuda_(cuda) {}

  const char *name() const override { return "cuda"; }

  StatusOr<void *> loadModule(const void *data, size_t) const override {
    char log[4096] = {};
    int options[] = {kJitErrorLogBuffer, kJitErrorLogBufferSize};
    void *values[] = {log, reinterpret_cast<void *>(sizeof(log) - 1)};
    CUmodule module = nullptr;
    Status status =
        cuda_.check(cuda_.cuModuleLoadDataEx(&module, data, 2, options, values),
                    "cuModuleLoadDataEx");
    if (!status.isOk())
      return log[0]
                 ? Status(status.code(), status.message() + "; JIT log: " + log)
                 : status;
    return static_cast<void *>(module);
  }

  Status unloadModule(void *module) const override {
    return cuda_.check(cuda_.cuModuleUnload(static_cast<CUmodule>(module)),
                       "cuModuleUnload");
  }

  StatusOr<void *> getFunction(void *module, const char *name) const override {
    CUfunction function = nullptr;
    VMGPU_RETURN_IF_ERROR(
        cuda_.check(cuda_.cuModuleGetFunction(
                        &function, static_cast<CUmodule>(module), name),
                    "cuModuleGetFunction"));
    return static_cast<void *>(function);
  }

  StatusOr<void *> createStream() const override {
    CUstream stream = nullptr;
    VMGPU_RETURN_IF_ERROR(cuda_.check(
        cuda_.cuStreamCreate(&stream, kStreamNonBlocking), "cuStreamCreate"));
    return static_cast<void *>(stream);
  }

  Status synchronizeStream(void *stream) const override {
    return cuda_.check(cuda_.cuStreamSynchronize(static_cast<CUstream>(stream)),
                       "cuStreamSynchronize");
  }

  Status destroyStream(void *stream) const override {
    return cuda_.check(cuda_.cuStreamDestroy_v2(static_cast<CUstream>(stream)),
                       "cuStreamDestroy");
  }

  Status launch(void *function, const unsigned grid[3], const unsigned block[3],
                unsigned sharedBytes, void *stream, void **params,
                void **extra) const override {
    CUstream cuStream = static_cast<CUstream>(stream);
    return timed(cuda_, TimedWork::Launch, 0, cuStream, [&] {
      return cuda_.check(
          cuda_.cuLaunchKernel(static_cast<CUfunction>(function), grid[0],
                               grid[1], grid[2], block[0], block[1], block[2],
                               sharedBytes, cuStream, params, extra),
          "cuLaunchKernel");
    });
  }

  // Unified addressing: host and device pointers are both CUdeviceptrs.
  Status copy(void *destination, const void *source, size_t bytes,
              void *stream) const override {
    CUstream cuStream = static_cast<CUstream>(stream);
    return timed(cuda_, TimedWork::Copy, bytes, cuStream, [&] {
      return cuda_.check(
          cuda_.cuMemcpyAsync(reinterpret_cast<uintptr_t>(destination),
                              reinterpret_cast<uintptr_t>(source), bytes,
                              cuStream),
          "cuMemcpyAsync");
    });
  }

  StatusOr<void *> allocateDevice(size_t bytes) const override {
    CUdeviceptr pointer = 0;
    VMGPU_RETURN_IF_ERROR(cuda_.check(
        cuda_.cuMemAlloc_v2(&pointer, bytes ? bytes : 1), "cuMemAlloc"));
    return reinterpret_cast<void *>(static_cast<uintptr_t>(pointer));
  }

  Status free(void *pointer) const override {
    return cuda_.check(cuda_.cuMemFree_v2(reinterpret_cast<uintptr_t>(pointer)),
                       "cuMemFree");
  }

  Status synchronizeDevice() const override {
    return cuda_.check(cuda_.cuCtxSynchronize(), "cuCtxSynchronize");
  }

  StatusOr<int> deviceCount() const override { return cuda_.deviceCount(); }

  Status makeCurrent(int ordinal) const override {
    return cuda_.makeCurrent(ordinal);
  }

  uintptr_t currentToken() const override {
    CUcontext context = nullptr;
    if (cuda_.cuCtxGetCurrent(&context) != 0)
      return 0;
    return reinterpret_cast<uintptr_t>(context);
  }

  void restoreCurrent(uintptr_t token) const override {
    (void)cuda_.cuCtxSetCurrent(reinterpret_cast<CUcontext>(token));
  }

  StatusOr<std::string> deviceModel(int ordinal) const override {
    VMGPU_ASSIGN_OR_RETURN(CudaDeviceInfo info, cuda_.deviceInfo(ordinal));
    return info.name + " " + info.architecture + " " +
           std::to_string(info.multiprocessors);
  }

  StatusOr<void *> createPool(int ordinal,
                              uint64_t releaseThreshold) const override {
    if (!cuda_.cuMemPoolCreate || !cuda_.cuMemPoolDestroy ||
        !cuda_.cuMemPoolSetAttribute || !cuda_.cuMemPoolGetAttribute ||
        !cuda_.cuMemAllocFromPoolAsync || !cuda_.cuMemFreeAsync)
      return static_cast<void *>(nullptr);
    CudaMemPoolProperties properties;
    properties.location.id = ordinal;
    void *pool = nullptr;
    VMGPU_RETURN_IF_ERROR(cuda_.check(cuda_.cuMemPoolCreate(&pool, &properties),
                                      "cuMemPoolCreate"));
    uint64_t threshold = releaseThreshold;
    Status set = cuda_.check(cuda_.cuMemPoolSetAttribute(
                                 pool, kPoolAttrReleaseThreshold, &threshold),
                             "cuMemPoolSetAttribute");
    if (!set.isOk()) {
      (void)cuda_.cuMemPoolDestroy(pool);
      return set;
    }
    return pool;
  }

  Status destroyPool(void *pool) const override {
    return cuda_.check(cuda_.cuMemPoolDestroy(pool), "cuMemPoolDestroy");
  }

  StatusOr<void *> allocateFromPool(void *pool, size_t bytes,
                                    void *stream) const override {
    CUdeviceptr pointer = 0;
    VMGPU_RETURN_IF_ERROR(cuda_.check(
        cuda_.cuMemAllocFromPoolAsync(&pointer, bytes ? bytes : 1, pool,
                                      static_cast<CUstream>(stream)),
        "cuMemAllocFromPoolAsync"));
    return reinterpret_cast<void *>(static_cast<uintptr_t>(pointer));
  }

  Status freeToPool(void *pointer, void *stream) const override {
    return cuda_.check(
        cuda_.cuMemFreeAsync(reinterpret_cast<uintptr_t>(pointer),
                             static_cast<CUstream>(stream)),
        "cuMemFreeAsync");
  }

  StatusOr<uint64_t> poolReservedBytes(void *pool) const override {
    uint64_t bytes = 0;
    VMGPU_RETURN_IF_ERROR(cuda_.check(
        cuda_.cuMemPoolGetAttribute(pool, kPoolAttrReservedMemCurrent, &bytes),
        "cuMemPoolGetAttribute"));
    return bytes;
  }

  StatusOr<void *> allocatePinned(size_t bytes) const override {
    if (!cuda_.cuMemHostAlloc || !cuda_.cuMemFreeHost)
      return unimplementedError("the CUDA driver has no cuMemHostAlloc");
    void *pointer = nullptr;
    VMGPU_RETURN_IF_ERROR(cuda_.check(
        cuda_.cuMemHostAlloc(&pointer, bytes ? bytes : 1, kHostAllocPortable),
        "cuMemHostAlloc"));
    return pointer;
  }

  Status freePinned(void *pointer) const override {
    return cuda_.check(cuda_.cuMemFreeHost(pointer), "cuMemFreeHost");
  }

  StatusOr<void *> createEvent() const override {
    if (!cuda_.cuEventCreate || !cuda_.cuEventRecord ||
        !cuda_.cuEventSynchronize || !cuda_.cuEventDestroy_v2)
      return static_cast<void *>(nullptr);
    void *event = nullptr;
    VMGPU_RETURN_IF_ERROR(cuda_.check(
        cuda_.cuEventCreate(&event, kEventDisableTiming), "cuEventCreate"));
    return event;
  }

  Status recordEvent(void *event, void *stream) const override {
    return cuda_.check(
        cuda_.cuEventRecord(event, static_cast<CUstream>(stream)),
        "cuEventRecord");
  }

  Status synchronizeEvent(void *event) const override {
    return cuda_.check(cuda_.cuEventSynchronize(event), "cuEventSynchronize");
  }

  Status destroyEvent(void *event) const override {
    return cuda_.check(cuda_.cuEventDestroy_v2(event), "cuEventDestroy");
  }

  bool hasGraphs() const override {
    return cuda_.cuStreamBeginCapture_v2 && cuda_.cuStreamEndCapture &&
           cuda_.cuGraphInstantiateWithFlags && cuda_.cuGraphExecUpdate_v2 &&
           cuda_.cuGraphLaunch && cuda_.cuGraphDestroy &&
           cuda_.cuGraphExecDestroy;
  }

  Status beginCapture(void *stream) const override {
    if (!hasGraphs())
      return unimplementedError("the CUDA driver has no graphs");
    return cuda_.check(
        cuda_.cuStreamBeginCapture_v2(static_cast<CUstream>(stream),
                                      kCaptureModeThreadLocal),
        "cuStreamBeginCapture");
  }

  StatusOr<void *> endCapture(void *stream) const override {
    if (!hasGraphs())
      return unimplementedError("the CUDA driver has no graphs");
    void *graph = nullptr;
    Status ended = cuda_.check(
        cuda_.cuStreamEndCapture(static_cast<CUstream>(stream), &graph),
        "cuStreamEndCapture");
    if (!ended.isOk()) {
      // An injected failure may have a graph.
      if (graph)
        (void)cuda_.cuGraphDestroy(graph);
      return ended;
    }
    return graph;
  }

  StatusOr<void *> instantiateGraph(void *graph) const override {
    if (!hasGraphs())
      return unimplementedError("the CUDA driver has no graphs");
    void *executable = nullptr;
    VMGPU_RETURN_IF_ERROR(
        cuda_.check(cuda_.cuGraphInstantiateWithFlags(&executable, graph, 0),
                    "cuGraphInstantiate"));
    return executable;
  }

  StatusOr<bool> updateGraph(void *executable, void *graph) const override {
    if (!hasGraphs())
      return unimplementedError("the CUDA driver has no graphs");
    // CUgraphExecUpdateResultInfo: the result and two nodes.
    struct {
      int result;
      void *errorNode;
      void *errorFromNode;
    } info = {};
    CUresult result = cuda_.cuGraphExecUpdate_v2(executable, graph, &info);
    if (result == kGraphExecUpdateFailure &&
        !CudaDriver::faultInjected("cuGraphExecUpdate"))
      return false;
    VMGPU_RETURN_IF_ERROR(cuda_.check(result, "cuGraphExecUpdate"));
    return true;
  }

  Status launchGraph(void *executable, void *stream) const override {
    if (!hasGraphs())
      return unimplementedError("the CUDA driver has no graphs");
    return cuda_.check(
        cuda_.cuGraphLaunch(executable, static_cast<CUstream>(stream)),
        "cuGraphLaunch");
  }

  Status destroyGraph(void *graph) const override {
    if (!hasGraphs())
      return unimplementedError("the CUDA driver has no graphs");
    return cuda_.check(cuda_.cuGraphDestroy(graph), "cuGraphDestroy");
  }

  Status destroyGraphExecutable(void *executable) const override {
    if (!hasGraphs())
      return unimplementedError("the CUDA driver has no graphs");
    return cuda_.check(cuda_.cuGraphExecDestroy(executable),
                       "cuGraphExecDestroy");
  }

private:
  const CudaDriver &cuda_;
};

} // namespace

StatusOr<const GpuHostBackend *> cudaHostBackend() {
  static const GpuHostBackend *backend = nullptr;
  static std::once_flag once;
  StatusOr<CudaDriver *> cuda = CudaDriver::get();
  if (!cuda.isOk())
    return cuda.status();
  std::call_once(once, [&] { backend = new CudaHostBackend(**cuda); });
  return backend;
}

} // namespace vmgpu::runtime
