//===- FakeHip.cpp - a stand-in libamdhip64.so for HipDriver's tests ------===//
//
// Exports the hip* entry points of HipSymbols.def as stubs that return the
// error a test chose (fakeHipSetError) and count their calls
// (fakeHipCallCount), so the driver's symbol loading, error mapping and the
// host calls' dispatch run on machines without HIP. Managed memory is
// malloc memory; launches run nothing; a memory pool keeps freed buffers
// by size and counts the bytes it took from malloc. Built in variants that
// lack the error-name functions (FAKE_HIP_NO_ERROR_NAMES), a required entry
// point (FAKE_HIP_NO_LAUNCH) or the memory pools (FAKE_HIP_NO_POOLS).
//
//===----------------------------------------------------------------------===//

#include "FakeKernelModule.h"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace {
/// Held by every call that touches the fake's shared state: tests run
/// blocks from several threads.
std::recursive_mutex &fakeMutex() {
  static std::recursive_mutex mutex;
  return mutex;
}
std::map<std::string, int> &errors() {
  static std::map<std::string, int> map;
  return map;
}
std::map<std::string, int> &calls() {
  static std::map<std::string, int> map;
  return map;
}
/// The device hipSetDevice made current (per thread, as HIP's is), and the
/// one current when each call last ran.
thread_local int currentDevice = 0;
std::map<std::string, int> &lastDevices() {
  static std::map<std::string, int> map;
  return map;
}
int result(const char *call) {
  std::lock_guard<std::recursive_mutex> lock(fakeMutex());
  ++calls()[call];
  lastDevices()[call] = currentDevice;
  auto it = errors().find(call);
  return it == errors().end() ? 0 : it->second;
}
} // namespace

#define FAKE_EXPORT extern "C" __attribute__((visibility("default")))

FAKE_EXPORT void fakeHipSetError(const char *call, int error) {
  std::lock_guard<std::recursive_mutex> lock(fakeMutex());
  errors()[call] = error;
}
/// How often `call` ran since the last reset.
FAKE_EXPORT int fakeHipCallCount(const char *call) {
  std::lock_guard<std::recursive_mutex> lock(fakeMutex());
  auto it = calls().find(call);
  return it == calls().end() ? 0 : it->second;
}
/// The device current when `call` last ran (-1: never ran).
FAKE_EXPORT int fakeHipLastDevice(const char *call) {
  auto it = lastDevices().find(call);
  return it == lastDevices().end() ? -1 : it->second;
}
FAKE_EXPORT void fakeHipReset() {
  errors().clear();
  calls().clear();
  lastDevices().clear();
}

FAKE_EXPORT int hipInit(unsigned) { return result("hipInit"); }
FAKE_EXPORT int hipDriverGetVersion(int *version) {
  *version = 60342000;
  return result("hipDriverGetVersion");
}
FAKE_EXPORT int hipGetDeviceCount(int *count) {
  *count = 2;
  return result("hipGetDeviceCount");
}
FAKE_EXPORT int hipDeviceGet(int *device, int ordinal) {
  *device = ordinal;
  return result("hipDeviceGet");
}
FAKE_EXPORT int hipDeviceGetName(char *name, int length, int) {
  std::strncpy(name, "Fake Instinct", length);
  return result("hipDeviceGetName");
}
FAKE_EXPORT int hipDeviceTotalMem(size_t *bytes, int) {
  *bytes = size_t(192) << 30;
  return result("hipDeviceTotalMem");
}
FAKE_EXPORT int hipSetDevice(int ordinal) {
  currentDevice = ordinal;
  return result("hipSetDevice");
}
FAKE_EXPORT int hipGetDevice(int *ordinal) {
  *ordinal = currentDevice;
  return result("hipGetDevice");
}
FAKE_EXPORT int hipDeviceSynchronize() { return result("hipDeviceSynchronize"); }
namespace {
using vmgpu::test::FakeKernel;
using vmgpu::test::FakeKernelModule;

/// Whether `image` starts with the magic (read no further than the first
/// byte that differs: other images are shorter).
bool isKernelModule(const void *image) {
  const auto *bytes = static_cast<const char *>(image);
  for (char expected : vmgpu::test::kFakeKernelModuleMagic)
    if (*bytes++ != expected)
      return false;
  return true;
}
/// The kernels of loaded FakeKernelModules (the function handles).
std::set<const void *> &kernels() {
  static std::set<const void *> set;
  return set;
}

/// One captured launch: the kernel and a copy of its parameters.
struct FakeNode {
  const FakeKernel *kernel;
  std::vector<std::vector<unsigned char>> params;
};
struct FakeGraph {
  std::vector<FakeNode> nodes;
  bool invalidated = false;
};
/// Streams under capture and the graph each is making.
std::map<void *, FakeGraph *> &captures() {
  static std::map<void *, FakeGraph *> map;
  return map;
}
FakeGraph *capturing(void *stream) {
  auto it = captures().find(stream);
  return it == captures().end() ? nullptr : it->second;
}
void invalidateCapture(void *stream) {
  std::lock_guard<std::recursive_mutex> lock(fakeMutex());
  if (FakeGraph *graph = capturing(stream))
    graph->invalidated = true;
}
void runNode(const FakeNode &node) {
  std::vector<void *> params;
  for (const auto &param : node.params)
    params.push_back(const_cast<unsigned char *>(param.data()));
  node.kernel->run(params.data());
}
} // namespace

FAKE_EXPORT int hipModuleLoadData(void **module, const void *image) {
  static int fakeModule;
  *module = &fakeModule;
  if (isKernelModule(image)) {
    const auto *loaded = static_cast<const FakeKernelModule *>(image);
    std::lock_guard<std::recursive_mutex> lock(fakeMutex());
    for (uint32_t i = 0; i < loaded->kernelCount; ++i)
      kernels().insert(&loaded->kernels[i]);
    *module = const_cast<FakeKernelModule *>(loaded);
  }
  return result("hipModuleLoadData");
}
FAKE_EXPORT int hipModuleUnload(void *) { return result("hipModuleUnload"); }
FAKE_EXPORT int hipModuleGetFunction(void **function, void *module,
                                     const char *name) {
  static int fakeFunction;
  *function = &fakeFunction;
  if (module && isKernelModule(module)) {
    auto *loaded = static_cast<FakeKernelModule *>(module);
    for (uint32_t i = 0; i < loaded->kernelCount; ++i)
      if (std::strcmp(loaded->kernels[i].name, name) == 0)
        *function = &loaded->kernels[i];
  }
  return result("hipModuleGetFunction");
}
#ifndef FAKE_HIP_NO_LAUNCH
FAKE_EXPORT int hipModuleLaunchKernel(void *function, unsigned, unsigned,
                                      unsigned, unsigned, unsigned, unsigned,
                                      unsigned, void *stream, void **params,
                                      void **) {
  int status = result("hipModuleLaunchKernel");
  std::lock_guard<std::recursive_mutex> lock(fakeMutex());
  if (status != 0 || !kernels().count(function))
    return status;
  FakeNode node{static_cast<const FakeKernel *>(function), {}};
  for (uint32_t i = 0; i < node.kernel->paramCount; ++i) {
    const auto *bytes = static_cast<const unsigned char *>(params[i]);
    node.params.emplace_back(bytes, bytes + node.kernel->paramBytes[i]);
  }
  if (FakeGraph *graph = capturing(stream))
    graph->nodes.push_back(std::move(node));
  else
    runNode(node);
  return status;
}
#endif

/// Stream capture and graphs over the fake kernels: a capture keeps each
/// launch (with copies of its parameters) instead of running it; a launched
/// graph runs them in order. Anything else on a capturing stream (a pool
/// allocation or free, a copy, a wait: what vmgpu's captures must never
/// do) invalidates the capture.
FAKE_EXPORT int hipStreamBeginCapture(void *stream, int) {
  std::lock_guard<std::recursive_mutex> lock(fakeMutex());
  int status = result("hipStreamBeginCapture");
  if (status == 0)
    captures()[stream] = new FakeGraph();
  return status;
}
FAKE_EXPORT int hipStreamEndCapture(void *stream, void **graph) {
  std::lock_guard<std::recursive_mutex> lock(fakeMutex());
  FakeGraph *captured = capturing(stream);
  captures().erase(stream);
  int status = result("hipStreamEndCapture");
  if (!captured)
    return 1;
  if (captured->invalidated || status != 0) {
    delete captured;
    *graph = nullptr;
    return status != 0 ? status : 901; // hipErrorStreamCaptureInvalidated
  }
  *graph = captured;
  return 0;
}
FAKE_EXPORT int hipGraphInstantiate(void **exec, void *graph, void **, char *,
                                    size_t) {
  int status = result("hipGraphInstantiate");
  *exec =
      status == 0 ? new FakeGraph(*static_cast<FakeGraph *>(graph)) : nullptr;
  return status;
}
FAKE_EXPORT int hipGraphExecUpdate(void *exec, void *graph, void **,
                                   int *updateResult) {
  int status = result("hipGraphExecUpdate");
  if (status != 0)
    return status;
  auto *target = static_cast<FakeGraph *>(exec);
  auto *source = static_cast<FakeGraph *>(graph);
  bool same = target->nodes.size() == source->nodes.size();
  for (size_t i = 0; same && i < source->nodes.size(); ++i)
    same = target->nodes[i].kernel == source->nodes[i].kernel;
  *updateResult = same ? 0 : 3; // hipGraphExecUpdateErrorTopologyChanged
  if (!same)
    return 910; // hipErrorGraphExecUpdateFailure
  target->nodes = source->nodes;
  return 0;
}
FAKE_EXPORT int hipGraphLaunch(void *exec, void *) {
  int status = result("hipGraphLaunch");
  if (status != 0)
    return status;
  std::lock_guard<std::recursive_mutex> lock(fakeMutex());
  for (const FakeNode &node : static_cast<FakeGraph *>(exec)->nodes)
    runNode(node);
  return 0;
}
FAKE_EXPORT int hipGraphDestroy(void *graph) {
  delete static_cast<FakeGraph *>(graph);
  return result("hipGraphDestroy");
}
FAKE_EXPORT int hipGraphExecDestroy(void *exec) {
  delete static_cast<FakeGraph *>(exec);
  return result("hipGraphExecDestroy");
}
FAKE_EXPORT int hipStreamCreateWithFlags(void **stream, unsigned) {
  // A distinct handle per stream, never reused and never dereferenced: a
  // count, not an allocation (LeakSanitizer would report one never freed).
  static std::atomic<uintptr_t> streams{0};
  *stream = reinterpret_cast<void *>(++streams * 16);
  return result("hipStreamCreateWithFlags");
}
FAKE_EXPORT int hipStreamSynchronize(void *stream) {
  invalidateCapture(stream);
  return result("hipStreamSynchronize");
}
FAKE_EXPORT int hipStreamDestroy(void *) { return result("hipStreamDestroy"); }
/// An allocation that a failing call (an injected error) does not keep: the
/// caller gets an error and no memory to free, as from the real runtime.
static int allocate(void **pointer, size_t bytes, const char *call) {
  int status = result(call);
  *pointer = status == 0 ? std::malloc(bytes) : nullptr;
  return status;
}
FAKE_EXPORT int hipMalloc(void **pointer, size_t bytes) {
  return allocate(pointer, bytes, "hipMalloc");
}
FAKE_EXPORT int hipMallocManaged(void **pointer, size_t bytes, unsigned) {
  return allocate(pointer, bytes, "hipMallocManaged");
}
FAKE_EXPORT int hipFree(void *pointer) {
  std::free(pointer);
  return result("hipFree");
}
FAKE_EXPORT int hipMemcpy(void *destination, const void *source, size_t bytes,
                          int) {
  std::memcpy(destination, source, bytes);
  return result("hipMemcpy");
}
// The properties as a ROCm 6 runtime fills them: the marketing name first,
// gcnArchName further in.
FAKE_EXPORT int hipGetDevicePropertiesR0600(void *properties, int) {
  char *bytes = static_cast<char *>(properties);
  std::strcpy(bytes, "Fake Instinct");
  std::strcpy(bytes + 1160, "gfx942:sramecc+:xnack-");
  return result("hipGetDevicePropertiesR0600");
}
#ifndef FAKE_HIP_NO_ERROR_NAMES
FAKE_EXPORT const char *hipGetErrorName(int error) {
  if (error == 100)
    return "hipErrorNoDevice";
  return error == 999 ? "hipErrorUnknown" : "hipErrorFake";
}
FAKE_EXPORT const char *hipGetErrorString(int) { return "fake error text"; }
#endif

FAKE_EXPORT int hipMemcpyAsync(void *destination, const void *source,
                               size_t bytes, int, void *stream) {
  invalidateCapture(stream);
  std::memcpy(destination, source, bytes);
  return result("hipMemcpyAsync");
}
FAKE_EXPORT int hipHostMalloc(void **pointer, size_t bytes, unsigned) {
  *pointer = std::malloc(bytes);
  return result("hipHostMalloc");
}
FAKE_EXPORT int hipHostFree(void *pointer) {
  std::free(pointer);
  return result("hipHostFree");
}
FAKE_EXPORT int hipEventCreateWithFlags(void **event, unsigned) {
  *event = std::malloc(1);
  return result("hipEventCreateWithFlags");
}
FAKE_EXPORT int hipEventRecord(void *, void *) {
  return result("hipEventRecord");
}
FAKE_EXPORT int hipEventSynchronize(void *) {
  return result("hipEventSynchronize");
}
FAKE_EXPORT int hipEventDestroy(void *event) {
  std::free(event);
  return result("hipEventDestroy");
}

#ifndef FAKE_HIP_NO_POOLS
namespace {
/// A stream-ordered pool as the tests see one: freed buffers are kept by
/// size and handed out again; `reserved` counts what came from malloc.
struct FakePool {
  std::map<size_t, std::vector<void *>> free;
  std::map<void *, size_t> sizes;
  uint64_t reserved = 0;
};
std::map<void *, FakePool *> &poolOf() {
  static std::map<void *, FakePool *> map;
  return map;
}
} // namespace

FAKE_EXPORT int hipMemPoolCreate(void **pool, const void *) {
  *pool = new FakePool();
  return result("hipMemPoolCreate");
}
FAKE_EXPORT int hipMemPoolDestroy(void *pool) {
  auto *fake = static_cast<FakePool *>(pool);
  for (auto &[size, buffers] : fake->free)
    for (void *buffer : buffers)
      std::free(buffer);
  delete fake;
  return result("hipMemPoolDestroy");
}
FAKE_EXPORT int hipMemPoolSetAttribute(void *, int, void *) {
  return result("hipMemPoolSetAttribute");
}
FAKE_EXPORT int hipMemPoolGetAttribute(void *pool, int attribute, void *value) {
  constexpr int kReservedMemCurrent = 5;
  if (attribute == kReservedMemCurrent)
    *static_cast<uint64_t *>(value) = static_cast<FakePool *>(pool)->reserved;
  return result("hipMemPoolGetAttribute");
}
FAKE_EXPORT int hipMallocFromPoolAsync(void **pointer, size_t bytes, void *pool,
                                       void *stream) {
  std::lock_guard<std::recursive_mutex> lock(fakeMutex());
  invalidateCapture(stream);
  auto *fake = static_cast<FakePool *>(pool);
  std::vector<void *> &cached = fake->free[bytes];
  if (!cached.empty()) {
    *pointer = cached.back();
    cached.pop_back();
  } else {
    // Aligned as a driver's device memory is (256 bytes).
    *pointer = std::aligned_alloc(256, (bytes + 255) / 256 * 256);
    fake->reserved += bytes;
  }
  fake->sizes[*pointer] = bytes;
  poolOf()[*pointer] = fake;
  return result("hipMallocFromPoolAsync");
}
FAKE_EXPORT int hipFreeAsync(void *pointer, void *stream) {
  std::lock_guard<std::recursive_mutex> lock(fakeMutex());
  invalidateCapture(stream);
  FakePool *fake = poolOf()[pointer];
  fake->free[fake->sizes[pointer]].push_back(pointer);
  return result("hipFreeAsync");
}
#endif
