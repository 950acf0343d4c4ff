//===- HipHostBackend.cpp - the GPU host calls' backend over HIP ----------===//

#include "vmgpu/runtime/DriverLibrary.h"
#include "vmgpu/runtime/GpuHostBackend.h"
#include "vmgpu/runtime/HipDriver.h"

#include <cstdint>
#include <mutex>

namespace vmgpu::runtime {
namespace {

constexpr int kMemcpyDefault = 4;
constexpr unsigned kHostMallocPortable = 1;
constexpr unsigned kEventDisableTiming = 2;
// hipMemPoolAttr values (CUDA's numbering).
constexpr int kPoolAttrReleaseThreshold = 4;
constexpr int kPoolAttrReservedMemCurrent = 5;
constexpr int kCaptureModeThreadLocal = 1; // hipStreamCaptureModeThreadLocal
constexpr hipError_t kGraphExecUpdateFailure = 910;

/// hipMemPoolProps as hip_runtime_api.h lays it out (88 bytes; `maxSize`
/// and the reserved bytes after the security attributes stay zero for a
/// default pool of device memory).
struct HipMemPoolProperties {
  int allocationType = 1; // hipMemAllocationTypePinned
  int handleTypes = 0;    // hipMemHandleTypeNone
  struct {
    int type = 1; // hipMemLocationTypeDevice
    int id = 0;
  } location;
  void *win32SecurityAttributes = nullptr;
  unsigned char rest[64] = {};
};
static_assert(sizeof(HipMemPoolProperties) == 88,
              "hipMemPoolProps is 88 bytes");

class HipHostBackend final : public GpuHostBackend {
public:
  explicit HipHostBackend(const HipDriver &hip) : hip_(hip) {}

  const char *name() const override { return "hip"; }

  // HSACO is an ELF file that carries its own size.
  StatusOr<void *> loadModule(const void *data, size_t) const override {
    VMGPU_ASSIGN_OR_RETURN(hipModule_t module, hip_.loadModule(data));
    return static_cast<void *>(module);
  }

  Status unloadModule(void *module) const override {
    return hip_.unloadModule(static_cast<hipModule_t>(module));
  }

  StatusOr<void *> getFunction(void *module, const char *name) const override {
    VMGPU_ASSIGN_OR_RETURN(
        hipFunction_t function,
        hip_.getFunction(static_cast<hipModule_t>(module), name));
    return static_cast<void *>(function);
  }

  StatusOr<void *> createStream() const override {
    VMGPU_ASSIGN_OR_RETURN(hipStream_t stream, hip_.createStream());
    return static_cast<void *>(stream);
  }

  Status synchronizeStream(void *stream) const override {
    return hip_.synchronize(static_cast<hipStream_t>(stream));
  }

  Status destroyStream(void *stream) const override {
    return hip_.destroyStream(static_cast<hipStream_t>(stream));
  }

  Status launch(void *function, const unsigned grid[3], const unsigned block[3],
                unsigned sharedBytes, void *stream, void **params,
                void **extra) const override {
    // gpu-to-llvm passes every argument through `params`.
    if (extra)
      return internalError("hipModuleLaunchKernel: launches with `extra` "
                           "arguments are not supported");
    return hip_.launch(static_cast<hipFunction_t>(function), grid, block,
                       sharedBytes, static_cast<hipStream_t>(stream), params);
  }

  // Ordered on `stream`: a device's stream is non-blocking, so a plain
  // hipMemcpy (null stream) would not wait for its kernels. Without
  // hipMemcpyAsync the stream is drained first; hipMemcpy returns once the
  // copy is done, so it precedes whatever is queued afterwards.
  Status copy(void *destination, const void *source, size_t bytes,
              void *stream) const override {
    if (hip_.hipMemcpyAsync)
      return hip_.check(hip_.hipMemcpyAsync(destination, source, bytes,
                                            kMemcpyDefault,
                                            static_cast<hipStream_t>(stream)),
                        "hipMemcpyAsync");
    if (stream)
      VMGPU_RETURN_IF_ERROR(hip_.synchronize(static_cast<hipStream_t>(stream)));
    return hip_.check(
        hip_.hipMemcpy(destination, source, bytes, kMemcpyDefault),
        "hipMemcpy");
  }

  StatusOr<void *> allocateDevice(size_t bytes) const override {
    return hip_.allocateDevice(bytes);
  }

  Status free(void *pointer) const override { return hip_.free(pointer); }

  Status synchronizeDevice() const override {
    return hip_.check(hip_.hipDeviceSynchronize(), "hipDeviceSynchronize");
  }

  StatusOr<int> deviceCount() const override { return hip_.deviceCount(); }

  Status makeCurrent(int ordinal) const override {
    return hip_.makeCurrent(ordinal);
  }

  uintptr_t currentToken() const override {
    int ordinal = 0;
    if (hip_.hipGetDevice(&ordinal) != 0 || ordinal < 0)
      return 0;
    return static_cast<uintptr_t>(ordinal) + 1;
  }

  void restoreCurrent(uintptr_t token) const override {
    if (token > 0)
      (void)hip_.hipSetDevice(static_cast<int>(token - 1));
  }

  StatusOr<std::string> deviceModel(int ordinal) const override {
    VMGPU_ASSIGN_OR_RETURN(HipDeviceInfo info, hip_.deviceInfo(ordinal));
    return info.name + " " + info.architecture;
  }

  StatusOr<void *> createPool(int ordinal,
                              uint64_t releaseThreshold) const override {
    if (!hip_.hipMemPoolCreate || !hip_.hipMemPoolDestroy ||
        !hip_.hipMemPoolSetAttribute || !hip_.hipMemPoolGetAttribute ||
        !hip_.hipMallocFromPoolAsync || !hip_.hipFreeAsync ||
        !hip_.hipMemcpyAsync)
      return static_cast<void *>(nullptr);
    HipMemPoolProperties properties;
    properties.location.id = ordinal;
    void *pool = nullptr;
    VMGPU_RETURN_IF_ERROR(hip_.check(hip_.hipMemPoolCreate(&pool, &properties),
                                     "hipMemPoolCreate"));
    uint64_t threshold = releaseThreshold;
    Status set = hip_.check(hip_.hipMemPoolSetAttribute(
                                pool, kPoolAttrReleaseThreshold, &threshold),
                            "hipMemPoolSetAttribute");
    if (!set.isOk()) {
      (void)hip_.hipMemPoolDestroy(pool);
      return set;
    }
    return pool;
  }

  Status destroyPool(void *pool) const override {
    return hip_.check(hip_.hipMemPoolDestroy(pool), "hipMemPoolDestroy");
  }

  StatusOr<void *> allocateFromPool(void *pool, size_t bytes,
                                    void *stream) const override {
    void *pointer = nullptr;
    VMGPU_RETURN_IF_ERROR(hip_.check(
        hip_.hipMallocFromPoolAsync(&pointer, bytes ? bytes : 1, pool,
                                    static_cast<hipStream_t>(stream)),
        "hipMallocFromPoolAsync"));
    return pointer;
  }

  Status freeToPool(void *pointer, void *stream) const override {
    return hip_.check(
        hip_.hipFreeAsync(pointer, static_cast<hipStream_t>(stream)),
        "hipFreeAsync");
  }

  StatusOr<uint64_t> poolReservedBytes(void *pool) const override {
    uint64_t bytes = 0;
    VMGPU_RETURN_IF_ERROR(hip_.check(
        hip_.hipMemPoolGetAttribute(pool, kPoolAttrReservedMemCurrent, &bytes),
        "hipMemPoolGetAttribute"));
    return bytes;
  }

  StatusOr<void *> allocatePinned(size_t bytes) const override {
    if (!hip_.hipHostMalloc || !hip_.hipHostFree)
      return unimplementedError("the HIP runtime has no hipHostMalloc");
    void *pointer = nullptr;
    VMGPU_RETURN_IF_ERROR(hip_.check(
        hip_.hipHostMalloc(&pointer, bytes ? bytes : 1, kHostMallocPortable),
        "hipHostMalloc"));
    return pointer;
  }

  Status freePinned(void *pointer) const override {
    return hip_.check(hip_.hipHostFree(pointer), "hipHostFree");
  }

  StatusOr<void *> createEvent() const override {
    if (!hip_.hipEventCreateWithFlags || !hip_.hipEventRecord ||
        !hip_.hipEventSynchronize || !hip_.hipEventDestroy)
      return static_cast<void *>(nullptr);
    void *event = nullptr;
    VMGPU_RETURN_IF_ERROR(
        hip_.check(hip_.hipEventCreateWithFlags(&event, kEventDisableTiming),
                   "hipEventCreateWithFlags"));
    return event;
  }

  Status recordEvent(void *event, void *stream) const override {
    return hip_.check(
        hip_.hipEventRecord(event, static_cast<hipStream_t>(stream)),
        "hipEventRecord");
  }

  Status synchronizeEvent(void *event) const override {
    return hip_.check(hip_.hipEventSynchronize(event), "hipEventSynchronize");
  }

  Status destroyEvent(void *event) const override {
    return hip_.check(hip_.hipEventDestroy(event), "hipEventDestroy");
  }

  bool hasGraphs() const override {
    return hip_.hipStreamBeginCapture && hip_.hipStreamEndCapture &&
           hip_.hipGraphInstantiate && hip_.hipGraphExecUpdate &&
           hip_.hipGraphLaunch && hip_.hipGraphDestroy &&
           hip_.hipGraphExecDestroy;
  }

  Status beginCapture(void *stream) const override {
    if (!hasGraphs())
      return unimplementedError("the HIP runtime has no graphs");
    return hip_.check(
        hip_.hipStreamBeginCapture(static_cast<hipStream_t>(stream),
                                   kCaptureModeThreadLocal),
        "hipStreamBeginCapture");
  }

  StatusOr<void *> endCapture(void *stream) const override {
    if (!hasGraphs())
      return unimplementedError("the HIP runtime has no graphs");
    void *graph = nullptr;
    Status ended = hip_.check(
        hip_.hipStreamEndCapture(static_cast<hipStream_t>(stream), &graph),
        "hipStreamEndCapture");
    if (!ended.isOk()) {
      // An injected failure may have a graph.
      if (graph)
        (void)hip_.hipGraphDestroy(graph);
      return ended;
    }
    return graph;
  }

  StatusOr<void *> instantiateGraph(void *graph) const override {
    if (!hasGraphs())
      return unimplementedError("the HIP runtime has no graphs");
    void *executable = nullptr;
    VMGPU_RETURN_IF_ERROR(hip_.check(
        hip_.hipGraphInstantiate(&executable, graph, nullptr, nullptr, 0),
        "hipGraphInstantiate"));
    return executable;
  }

  StatusOr<bool> updateGraph(void *executable, void *graph) const override {
    if (!hasGraphs())
      return unimplementedError("the HIP runtime has no graphs");
    void *errorNode = nullptr;
    int result = 0;
    hipError_t status =
        hip_.hipGraphExecUpdate(executable, graph, &errorNode, &result);
    if (status == kGraphExecUpdateFailure &&
        !driverFaultInjected("hipGraphExecUpdate"))
      return false;
    VMGPU_RETURN_IF_ERROR(hip_.check(status, "hipGraphExecUpdate"));
    return true;
  }

  Status launchGraph(void *executable, void *stream) const override {
    if (!hasGraphs())
      return unimplementedError("the HIP runtime has no graphs");
    return hip_.check(
        hip_.hipGraphLaunch(executable, static_cast<hipStream_t>(stream)),
        "hipGraphLaunch");
  }

  Status destroyGraph(void *graph) const override {
    if (!hasGraphs())
      return unimplementedError("the HIP runtime has no graphs");
    return hip_.check(hip_.hipGraphDestroy(graph), "hipGraphDestroy");
  }

  Status destroyGraphExecutable(void *executable) const override {
    if (!hasGraphs())
      return unimplementedError("the HIP runtime has no graphs");
    return hip_.check(hip_.hipGraphExecDestroy(executable),
                      "hipGraphExecDestroy");
  }

private:
  const HipDriver &hip_;
};

} // namespace

std::unique_ptr<GpuHostBackend> makeHipHostBackend(const HipDriver &driver) {
  return std::make_unique<HipHostBackend>(driver);
}

StatusOr<const GpuHostBackend *> hipHostBackend() {
  static const GpuHostBackend *backend = nullptr;
  static std::once_flag once;
  StatusOr<HipDriver *> hip = HipDriver::get();
  if (!hip.isOk())
    return hip.status();
  std::call_once(once, [&] { backend = makeHipHostBackend(**hip).release(); });
  return backend;
}

} // namespace vmgpu::runtime
