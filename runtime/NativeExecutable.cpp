//===- NativeExecutable.cpp - runs an artifact's native code -------------===//
//
// The packed entry point takes one pointer per parameter of the C interface
// (see vmgpu/Target/CpuTarget.h). A memref descriptor is
//   { allocated, aligned, offset, sizes[rank], strides[rank] }
// with every field 8 bytes, so a struct of several descriptors is their
// concatenation.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/runtime/NativeExecutable.h"
#include "vmgpu/runtime/BlockMemory.h"
#include "vmgpu/runtime/CpuBlas.h"
#include "vmgpu/runtime/CpuLibraryGemm.h"
#include "vmgpu/runtime/DeviceTensors.h"
#include "vmgpu/runtime/Environment.h"
#include "vmgpu/runtime/GpuDevice.h"
#include "vmgpu/runtime/GpuGraphPlans.h"
#include "vmgpu/runtime/GpuHostCalls.h"
#include "vmgpu/runtime/HostCpu.h"
#include "vmgpu/runtime/KernelTiming.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

namespace vmgpu::runtime {
namespace {

constexpr const char *kPackedEntryPrefix = "__vmgpu_packed_";
constexpr const char *kShapeCheckPrefix = "__vmgpu_check_";
constexpr const char *kMemoryBoundPrefix = "__vmgpu_memory_";
constexpr const char *kCpuAllocHook = "__vmgpu_cpu_alloc_hook";
constexpr const char *kCpuFreeHook = "__vmgpu_cpu_free_hook";

/// A descriptor as an array of 8-byte words.
using Descriptor = std::vector<int64_t>;

Descriptor makeDescriptor(const HostTensor &tensor, void *data) {
  int64_t rank = tensor.rank();
  Descriptor words(3 + 2 * rank);
  std::memcpy(&words[0], &data, sizeof(void *));
  std::memcpy(&words[1], &data, sizeof(void *));
  words[2] = 0;
  int64_t stride = 1;
  for (int64_t d = rank - 1; d >= 0; --d) {
    words[3 + d] = tensor.dim(d);
    words[3 + rank + d] = stride;
    stride *= tensor.dim(d);
  }
  return words;
}

/// Copies the result described at `words` (rank `rank`) into a HostTensor.
StatusOr<HostTensor> readResult(const int64_t *words, int64_t rank,
                                ElementType type) {
  std::byte *aligned;
  std::memcpy(&aligned, &words[1], sizeof(void *));
  std::vector<int64_t> shape(words + 3, words + 3 + rank);
  VMGPU_ASSIGN_OR_RETURN(HostTensor tensor,
                         HostTensor::createUninitialized(type, shape));
  size_t elementSize = elementByteSize(type);
  const std::byte *base = aligned + words[2] * elementSize;
  // Results have the identity layout; copy by row-major index through the
  // strides anyway, so that a strided result would still be read right.
  bool contiguous = true;
  int64_t expected = 1;
  for (int64_t d = rank - 1; d >= 0; --d) {
    if (shape[d] != 1 && words[3 + rank + d] != expected)
      contiguous = false;
    expected *= shape[d];
  }
  if (contiguous || tensor.numElements() == 0) {
    if (tensor.sizeInBytes())
      std::memcpy(tensor.bytes(), base, tensor.sizeInBytes());
    return tensor;
  }
  std::vector<int64_t> index(rank, 0);
  for (int64_t i = 0; i < tensor.numElements(); ++i) {
    int64_t offset = 0;
    for (int64_t d = 0; d < rank; ++d)
      offset += index[d] * words[3 + rank + d];
    std::memcpy(tensor.bytes() + i * elementSize, base + offset * elementSize,
                elementSize);
    for (int64_t d = rank - 1; d >= 0 && ++index[d] == shape[d]; --d)
      index[d] = 0;
  }
  return tensor;
}

/// Where a GPU block's results copied to the host land.
enum class HostResultMemory {
  /// The runtime's cache of host buffers (BlockMemory.h): pages faulted in
  /// once, reused by later runs; copied through the staging ring.
  Cached,
  /// The device's pinned memory (its cache of freed pinned buffers): the
  /// driver copies at link speed, no staging. For callers whose inputs
  /// are pinned.
  Pinned,
};

/// readResult for a result in device memory. A contiguous result is copied
/// straight into the new tensor (no second buffer); any other layout copies
/// the span its descriptor covers to the host first.
StatusOr<HostTensor> readDeviceResult(GpuDevice &device, const int64_t *words,
                                      int64_t rank, ElementType type,
                                      HostResultMemory memory =
                                          HostResultMemory::Cached) {
  std::byte *aligned;
  std::memcpy(&aligned, &words[1], sizeof(void *));
  size_t elementSize = elementByteSize(type);
  std::vector<int64_t> shape(words + 3, words + 3 + rank);
  bool contiguous = true;
  int64_t expected = 1, span = words[2] + 1;
  for (int64_t d = rank - 1; d >= 0; --d) {
    if (shape[d] != 1 && words[3 + rank + d] != expected)
      contiguous = false;
    expected *= shape[d];
    span = shape[d] == 0 || span == 0
               ? 0
               : span + (shape[d] - 1) * words[3 + rank + d];
  }
  if (contiguous) {
    StatusOr<HostTensor> made = memory == HostResultMemory::Pinned
                                    ? allocatePinnedTensor(device, type, shape,
                                                           /*zeroed=*/false)
                                    : createCachedHostTensor(type, shape);
    // A driver that cannot pin (any more) still gets the result.
    if (!made.isOk() && memory == HostResultMemory::Pinned)
      made = createCachedHostTensor(type, shape);
    VMGPU_ASSIGN_OR_RETURN(HostTensor tensor, std::move(made));
    VMGPU_RETURN_IF_ERROR(device.copyToHost(tensor.bytes(),
                                            aligned + words[2] * elementSize,
                                            tensor.sizeInBytes()));
    return tensor;
  }
  std::vector<std::byte> host(static_cast<size_t>(span) * elementSize);
  VMGPU_RETURN_IF_ERROR(device.copyToHost(host.data(), aligned, host.size()));
  std::vector<int64_t> local(words, words + 3 + 2 * rank);
  std::byte *hostAligned = host.data();
  std::memcpy(&local[1], &hostAligned, sizeof(void *));
  return readResult(local.data(), rank, type);
}

} // namespace

StatusOr<std::unique_ptr<NativeExecutable>>
NativeExecutable::load(const Artifact &artifact) {
  if (artifact.target == "cpu")
    return loadWith(artifact, nullptr, nullptr);
  // A missing driver is reported as the driver says it, which is also what
  // the fallback reason shows.
  VMGPU_RETURN_IF_ERROR(gpuHostBackendForTarget(artifact.target).status());
  VMGPU_ASSIGN_OR_RETURN(GpuDevice * device,
                         GpuDevice::get(artifact.target, 0));
  return loadWith(artifact, device, nullptr);
}

StatusOr<std::unique_ptr<NativeExecutable>>
NativeExecutable::load(const Artifact &artifact, GpuDevice &device) {
  if (artifact.target != device.kind())
    return invalidArgumentError("NativeExecutable: a '" + artifact.target +
                                "' artifact cannot run on device " +
                                device.name());
  return loadWith(artifact, &device, nullptr);
}

StatusOr<std::unique_ptr<NativeExecutable>>
NativeExecutable::load(const Artifact &artifact,
                       const GpuHostBackend &backend) {
  if (artifact.target != "cuda" && artifact.target != "rocm")
    return invalidArgumentError("NativeExecutable: a host-call backend was "
                                "given for a '" +
                                artifact.target + "' artifact");
  VMGPU_ASSIGN_OR_RETURN(std::unique_ptr<GpuDevice> device,
                         GpuDevice::create(backend, artifact.target, 0));
  GpuDevice *raw = device.get();
  return loadWith(artifact, raw, std::move(device));
}

StatusOr<std::unique_ptr<NativeExecutable>>
NativeExecutable::loadWith(const Artifact &artifact, GpuDevice *device,
                           std::unique_ptr<GpuDevice> ownedDevice) {
  // Host code compiled for a CPU with more features than this one would die
  // of SIGILL at the first instruction this CPU lacks.
  std::vector<std::string> missing =
      missingHostCpuFeatures(artifact.hostFeatures);
  if (!missing.empty()) {
    std::string names;
    for (const std::string &feature : missing)
      names += (names.empty() ? "" : ", ") + feature;
    return failedPreconditionError(
        "the block's host code was compiled for a CPU with " + names +
        ", which this CPU lacks: compile it on this machine");
  }
  // dlopen needs a path: an anonymous memory file holds the shared object.
  int fd = memfd_create("vmgpu-block", MFD_CLOEXEC);
  if (fd < 0)
    return internalError(std::string("memfd_create failed: ") +
                         std::strerror(errno));
  size_t written = 0;
  while (written < artifact.binary.size()) {
    ssize_t n = ::write(fd, artifact.binary.data() + written,
                        artifact.binary.size() - written);
    if (n <= 0) {
      ::close(fd);
      return internalError("writing the block's shared object failed");
    }
    written += static_cast<size_t>(n);
  }
  std::string path = "/proc/self/fd/" + std::to_string(fd);
  // A GPU block loads its kernels in its constructors, on this thread,
  // through the device's backend.
  std::optional<GpuCurrentScope> current;
  if (device) {
    current.emplace(*device);
    if (!current->status().isOk()) {
      ::close(fd);
      return current->status();
    }
  }
  GpuDeviceScope scope(device);
  (void)takeGpuHostCallError();
  void *library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    ::close(fd);
    return internalError(std::string("dlopen of the block failed: ") +
                         dlerror());
  }
  // From here on `fd` stays open until the library is unloaded (see
  // memoryFile_); every early return unloads and closes.
  auto unload = [&](Status status) {
    dlclose(library);
    ::close(fd);
    return status;
  };
  if (Status loadStatus = takeGpuHostCallError(); !loadStatus.isOk())
    return unload(loadStatus);
  std::string symbol = kPackedEntryPrefix + artifact.entry;
  auto entry = reinterpret_cast<PackedEntry>(dlsym(library, symbol.c_str()));
  if (!entry)
    return unload(notFoundError("the block has no entry point '" +
                                artifact.entry + "' (symbol " + symbol + ")"));
  PackedEntry check = nullptr;
  if (!artifact.shapeChecks.empty()) {
    std::string checkSymbol =
        kPackedEntryPrefix + (kShapeCheckPrefix + artifact.entry);
    check = reinterpret_cast<PackedEntry>(dlsym(library, checkSymbol.c_str()));
    if (!check)
      return unload(notFoundError(
          "the block has no shape-check entry point '" + checkSymbol + "'"));
  }
  std::string memorySymbol =
      kPackedEntryPrefix + (kMemoryBoundPrefix + artifact.entry);
  auto memory =
      reinterpret_cast<PackedEntry>(dlsym(library, memorySymbol.c_str()));
  if (!memory)
    return unload(notFoundError("the block has no memory-bound entry point '" +
                                memorySymbol +
                                "' (compiled by an older vmgpu?)"));
  if (!device) {
    // CPU blocks allocate through the runtime (BlockMemory.h): the block's
    // hook variables get the allocator before anything can run.
    auto *allocHook = static_cast<CpuAllocateFunction *>(
        dlsym(library, kCpuAllocHook));
    auto *freeHook =
        static_cast<CpuFreeFunction *>(dlsym(library, kCpuFreeHook));
    if (!allocHook || !freeHook)
      return unload(notFoundError(
          "the block has no allocation hooks (compiled by an older vmgpu?)"));
    *allocHook = cpuBlockAllocateFunction();
    *freeHook = cpuBlockFreeFunction();
  }
  // A CPU block of the `library` contraction strategy calls the BLAS: it
  // loads only where one does.
  const CpuBlas *blas = nullptr;
  if (auto *gemmHook =
          static_cast<CpuGemmFunction *>(dlsym(library, kCpuGemmHookSymbol));
      gemmHook && !device) {
    StatusOr<CpuBlas *> loaded = CpuBlas::get();
    if (!loaded.isOk())
      return unload(unavailableError(
          "the block calls a BLAS library (contraction strategy `library`) "
          "and none loads here: " +
          loaded.status().message()));
    blas = *loaded;
    *gemmHook = cpuLibraryGemmFunction();
  }
  std::unique_ptr<NativeExecutable> executable(new NativeExecutable(
      library, fd, entry, check, memory, device, artifact));
  executable->blas_ = blas;
  // libomp, when the block links it (dlsym searches the block's
  // dependencies), for its threads' waiting (runOnCpu).
  if (!device && !environmentValue(EnvironmentVariable::OmpWaitPolicy) &&
      !environmentValue(EnvironmentVariable::KmpBlocktime)) {
    executable->getBlocktime_ =
        reinterpret_cast<int (*)()>(dlsym(library, "kmp_get_blocktime"));
    executable->setBlocktime_ =
        reinterpret_cast<void (*)(int)>(dlsym(library, "kmp_set_blocktime"));
    if (!executable->getBlocktime_ || !executable->setBlocktime_) {
      executable->getBlocktime_ = nullptr;
      executable->setBlocktime_ = nullptr;
    }
  }
  executable->ownedDevice_ = std::move(ownedDevice);
  if (device) {
    executable->constants_ = std::make_unique<DeviceConstants>(*device);
    executable->graphPlans_ = std::make_unique<GpuGraphPlans>(*device);
  }
  return executable;
}

NativeExecutable::~NativeExecutable() {
  // The block's destructors unload its kernel modules, on its device.
  std::optional<GpuCurrentScope> current;
  if (device_)
    current.emplace(*device_);
  // Graphs launch the block's kernels: they go before its modules.
  graphPlans_.reset();
  {
    GpuDeviceScope scope(device_);
    dlclose(library_);
  }
  ::close(memoryFile_);
}

/// True when the result described at `words` is a whole allocation in the
/// identity layout: a tensor can then own it.
static bool isWholeContiguousAllocation(const int64_t *words, int64_t rank) {
  if (words[0] != words[1] || words[2] != 0)
    return false;
  int64_t expected = 1;
  for (int64_t d = rank - 1; d >= 0; --d) {
    if (words[3 + d] != 1 && words[3 + rank + d] != expected)
      return false;
    expected *= words[3 + d];
  }
  return true;
}

/// A copy on `device` of the result described at `words` (a view of an
/// input, or one of several results in one buffer) as a device-resident
/// tensor. Results have the identity layout but may start at an offset;
/// any other layout goes through the host.
static StatusOr<HostTensor> keepOnDevice(GpuDevice &device,
                                         const int64_t *words, int64_t rank,
                                         ElementType type) {
  std::vector<int64_t> shape(words + 3, words + 3 + rank);
  bool contiguous = true;
  int64_t expected = 1;
  for (int64_t d = rank - 1; d >= 0; --d) {
    if (shape[d] != 1 && words[3 + rank + d] != expected)
      contiguous = false;
    expected *= shape[d];
  }
  if (!contiguous) {
    VMGPU_ASSIGN_OR_RETURN(HostTensor host,
                           readDeviceResult(device, words, rank, type));
    return copyTensorToDevice(device, host);
  }
  VMGPU_ASSIGN_OR_RETURN(HostTensor tensor,
                         allocateDeviceTensor(device, type, std::move(shape)));
  std::byte *aligned;
  std::memcpy(&aligned, &words[1], sizeof(void *));
  VMGPU_RETURN_IF_ERROR(device.copyOnDevice(
      tensor.bytes(), aligned + words[2] * elementByteSize(type),
      tensor.sizeInBytes()));
  return tensor;
}

std::vector<void *> NativeExecutable::packArguments(
    const std::vector<const HostTensor *> &inputs,
    const std::vector<void *> &data, void *resultSlot,
    std::vector<Descriptor> &descriptors) const {
  descriptors.clear();
  descriptors.reserve(inputs.size());
  std::vector<void *> packed;
  if (!signature_.results.empty())
    packed.push_back(resultSlot);
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (signature_.arguments[i].isScalar) {
      packed.push_back(data[i]);
      continue;
    }
    descriptors.push_back(makeDescriptor(*inputs[i], data[i]));
    packed.push_back(descriptors.back().data());
  }
  return packed;
}

/// Appends the bytes of `scalar` to `words`, their count first.
static void appendScalarWords(const HostTensor &scalar,
                              std::vector<int64_t> &words) {
  size_t bytes = scalar.sizeInBytes();
  words.push_back(static_cast<int64_t>(bytes));
  size_t first = words.size();
  words.resize(first + (bytes + sizeof(int64_t) - 1) / sizeof(int64_t), 0);
  std::memcpy(words.data() + first, scalar.bytes(), bytes);
}

std::vector<int64_t>
NativeExecutable::graphWords(const std::vector<const HostTensor *> &inputs,
                             const std::vector<Descriptor> *descriptors) const {
  std::vector<int64_t> words;
  size_t tensor = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (signature_.arguments[i].isScalar) {
      appendScalarWords(*inputs[i], words);
    } else if (descriptors) {
      const Descriptor &descriptor = (*descriptors)[tensor++];
      words.push_back(static_cast<int64_t>(descriptor.size()));
      words.insert(words.end(), descriptor.begin(), descriptor.end());
    } else {
      const std::vector<int64_t> &shape = inputs[i]->shape();
      words.push_back(inputs[i]->owner() == device_ ? 1 : 0);
      words.push_back(static_cast<int64_t>(shape.size()));
      words.insert(words.end(), shape.begin(), shape.end());
    }
  }
  return words;
}

/// a + b, or UINT64_MAX when that overflows.
static uint64_t saturatingAdd(uint64_t a, uint64_t b) {
  return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

StatusOr<uint64_t> NativeExecutable::checkInputs(
    const std::vector<const HostTensor *> &inputs) const {
  const auto &arguments = signature_.arguments;
  if (inputs.size() != arguments.size())
    return invalidArgumentError(
        "expected " + std::to_string(arguments.size()) + " inputs, got " +
        std::to_string(inputs.size()));
  for (size_t i = 0; i < inputs.size(); ++i) {
    VMGPU_RETURN_IF_ERROR(
        arguments[i].accepts(*inputs[i], "input #" + std::to_string(i)));
    // The host code reads scalars, and CPU blocks read everything, on the
    // host: device memory there would be a wild read.
    if (GpuDevice *device = tensorDevice(*inputs[i]))
      if (arguments[i].isScalar || !device_)
        return invalidArgumentError(
            "input #" + std::to_string(i) + " is in the memory of " +
            device->name() + "; " +
            (arguments[i].isScalar ? "scalar arguments" : "CPU blocks") +
            " read host memory (copy it to the host first)");
  }

  // The checks read only dims and scalars, so they run on the caller's
  // buffers, before anything is copied or allocated. The return value goes
  // where the results' descriptors would.
  std::vector<void *> data;
  for (const HostTensor *input : inputs)
    data.push_back(const_cast<std::byte *>(input->bytes()));
  std::vector<Descriptor> descriptors;
  int32_t failed = 0;
  std::vector<void *> packed = packArguments(inputs, data, &failed, descriptors);
  if (signature_.results.empty())
    packed.insert(packed.begin(), &failed);
  // Shapes the verifier could not check statically are checked before the
  // block runs: the kernels assume them.
  if (check_) {
    check_(packed.data());
    if (failed > 0 && static_cast<size_t>(failed) <= shapeChecks_.size())
      return invalidArgumentError("the input shapes break the program: " +
                                  shapeChecks_[failed - 1]);
    if (failed != 0)
      return internalError("shape check returned " + std::to_string(failed));
  }
  uint64_t need = 0;
  packed[0] = &need;
  memory_(packed.data());
  // A GPU block also holds device copies of the inputs not already there.
  if (device_)
    for (size_t i = 0; i < inputs.size(); ++i)
      if (inputs[i]->owner() != device_ && !arguments[i].isScalar)
        need = saturatingAdd(need, inputs[i]->sizeInBytes());
  return need;
}

StatusOr<uint64_t> NativeExecutable::memoryNeeded(
    const std::vector<const HostTensor *> &inputs) const {
  return checkInputs(inputs);
}

StatusOr<std::vector<HostTensor>>
NativeExecutable::run(const std::vector<const HostTensor *> &inputs,
                      const RunOptions &options) const {
  VMGPU_ASSIGN_OR_RETURN(uint64_t need, checkInputs(inputs));
  // Refused before anything is allocated: a buffer that does not fit would
  // otherwise fail to allocate halfway (or, with overcommit, get the
  // process killed when touched).
  if (need == UINT64_MAX)
    return resourceExhaustedError(
        "block needs more than 18446744073709551614 bytes (its buffer sizes "
        "overflow 64 bits)");
  MemoryBound bound;
  if (options.memoryMaxBytes)
    bound = {*options.memoryMaxBytes, "configured"};
  else if (need >= kSmallRunBytes)
    bound = processMemoryHeadroom();
  if (need > bound.bytes)
    return resourceExhaustedError("block needs " + std::to_string(need) +
                                  " bytes, bound is " +
                                  std::to_string(bound.bytes) + " (" +
                                  bound.source + ")");

  if (!device_)
    return runOnCpu(inputs);
  return runOnDevice(inputs, options);
}

/// HostTensor::adopt's release for CPU results handed over as they are.
static void releaseCpuResult(std::byte *buffer, const void *) {
  CpuBlockRun::release(buffer);
}

/// The first word of a descriptor: the allocated pointer.
static void *allocatedPointer(const int64_t *words) {
  void *allocated;
  std::memcpy(&allocated, &words[0], sizeof(void *));
  return allocated;
}

StatusOr<std::vector<HostTensor>> NativeExecutable::runOnCpu(
    const std::vector<const HostTensor *> &inputs) const {
  // Inputs are read in place: the block never writes them.
  std::vector<void *> data;
  for (const HostTensor *input : inputs)
    data.push_back(const_cast<std::byte *>(input->bytes()));
  std::vector<int64_t> resultWords;
  for (const ValueSignature &result : signature_.results)
    resultWords.resize(resultWords.size() + 3 + 2 * result.shape.size());
  std::vector<Descriptor> descriptors;
  std::vector<void *> packed =
      packArguments(inputs, data, resultWords.data(), descriptors);
  // The block's buffers belong to `cpuRun` until it is destroyed, after the
  // results are read.
  CpuBlockRun cpuRun;
  {
    // The block's own threads call the BLAS, one tile each: the library's
    // threads stay out (CpuLibraryGemm.h).
    std::optional<CpuBlasSerialSection> serial;
    if (blas_)
      serial.emplace(*blas_);
    // The block's OpenMP threads sleep as soon as a parallel region ends
    // (blocktime 0) instead of spinning for libomp's 200 ms: spinning
    // threads take the cores from the caller's own threads after the run,
    // and on a machine with more runnable threads than cores they lose
    // their scheduling credit, so that the next region waits for them for
    // a scheduler period (a 2048^2 row sum took 12-36 ms with 2 threads
    // instead of 0.3 ms, docs/cpu-path.md section 5). The calling thread's
    // own setting is given back afterwards.
    int blocktime = getBlocktime_ ? getBlocktime_() : 0;
    if (setBlocktime_)
      setBlocktime_(0);
    Status ran = cpuRun.call(entry_, packed.data());
    if (setBlocktime_)
      setBlocktime_(blocktime);
    VMGPU_RETURN_IF_ERROR(ran);
  }
  std::map<void *, int> resultsPerAllocation;
  const int64_t *words = resultWords.data();
  for (const ValueSignature &result : signature_.results) {
    ++resultsPerAllocation[allocatedPointer(words)];
    words += 3 + 2 * result.shape.size();
  }
  std::vector<HostTensor> results;
  words = resultWords.data();
  for (const ValueSignature &result : signature_.results) {
    int64_t rank = static_cast<int64_t>(result.shape.size());
    void *allocated = allocatedPointer(words);
    // A result that is a whole buffer of the run's own goes to the caller
    // as it is; views of inputs, constants and shared buffers are copied.
    bool handOver =
        resultsPerAllocation[allocated] == 1 &&
        isWholeContiguousAllocation(words, rank) &&
        reinterpret_cast<uintptr_t>(allocated) % HostTensor::kAlignment == 0 &&
        cpuRun.detach(allocated);
    StatusOr<HostTensor> tensor =
        handOver ? HostTensor::adopt(
                       result.elementType,
                       std::vector<int64_t>(words + 3, words + 3 + rank),
                       static_cast<std::byte *>(allocated), releaseCpuResult,
                       nullptr)
                 : readResult(words, rank, result.elementType);
    if (!tensor.isOk())
      return tensor.status();
    results.push_back(std::move(tensor).value());
    words += 3 + 2 * rank;
  }
  return results;
}

StatusOr<std::vector<HostTensor>>
NativeExecutable::runOnDevice(const std::vector<const HostTensor *> &inputs,
                              const RunOptions &options) const {
  GpuDevice &device = *device_;
  GpuCurrentScope current(device);
  VMGPU_RETURN_IF_ERROR(current.status());
  GpuDeviceScope scope(device_);
  // The host code asks for its constants' device copies every run.
  DeviceConstantsScope constantsScope(constants_.get());
  (void)takeGpuHostCallError();
  const auto &arguments = signature_.arguments;

  // Graph replay (GpuGraphPlans.h), not while kernels are timed one by one.
  std::unique_ptr<GpuGraphRun> graph;
  if (options.graphs && graphPlans_ && device.backend().hasGraphs() &&
      !kernelTimingEnabled())
    graph = graphPlans_->begin(graphWords(inputs, nullptr));
  GpuGraphRun::Mode graphMode = graph ? graph->mode() : GpuGraphRun::Mode::None;

  // Inputs go to device buffers from the device's pool (or the graph
  // plan's), copied on its stream (and never written). Tensors already on
  // this device are used where they are; scalars stay on the host (the
  // host code passes them to kernels by value).
  std::vector<void *> staged;
  std::vector<void *> copies;
  bool inputsCopiedHere = false;
  auto releaseCopies = [&] {
    for (void *pointer : copies)
      device.free(pointer);
  };
  for (size_t index = 0; index < inputs.size(); ++index) {
    const HostTensor *input = inputs[index];
    if (input->owner() == device_ || arguments[index].isScalar) {
      staged.push_back(const_cast<std::byte *>(input->bytes()));
      continue;
    }
    void *buffer =
        graph ? graph->inputBuffer(index, input->sizeInBytes()) : nullptr;
    if (!buffer) {
      StatusOr<void *> made = device.allocate(input->sizeInBytes());
      if (!made.isOk()) {
        releaseCopies();
        return made.status();
      }
      buffer = *made;
      copies.push_back(buffer);
    }
    staged.push_back(buffer);
    inputsCopiedHere = true;
    // Another device's tensor crosses between the devices, never through
    // the host.
    GpuDevice *source = tensorDevice(*input);
    Status copied =
        !source
            ? device.copyToDevice(buffer, input->bytes(), input->sizeInBytes())
        : source->synchronize().isOk()
            ? device.copyOnDevice(buffer, input->bytes(), input->sizeInBytes())
            : source->synchronize();
    if (!copied.isOk()) {
      releaseCopies();
      (void)device.synchronize();
      return copied;
    }
  }

  // Results copied to the host go where the inputs came from: a caller
  // whose host inputs are all pinned gets pinned results (link-speed
  // copies, no staging), any other caller results from the host cache.
  HostResultMemory resultMemory = HostResultMemory::Cached;
  {
    bool anyHostInput = false, allPinned = true;
    for (size_t index = 0; index < inputs.size(); ++index) {
      const HostTensor *input = inputs[index];
      if (arguments[index].isScalar || tensorDevice(*input) ||
          input->sizeInBytes() == 0)
        continue;
      anyHostInput = true;
      allPinned = allPinned &&
                  device.isPinned(input->bytes(), input->sizeInBytes());
    }
    if (anyHostInput && allPinned)
      resultMemory = HostResultMemory::Pinned;
  }

  // The caller may reuse its host inputs once the run returns: a run that
  // does not wait for its results waits for its input copies instead.
  void *inputsCopied = nullptr;
  bool inputsMarked = false;
  if (inputsCopiedHere && options.keepResultsOnDevice) {
    StatusOr<void *> marked = device.mark();
    inputsMarked = true;
    if (marked.isOk())
      inputsCopied = *marked;
  }

  std::vector<int64_t> resultWords;
  for (const ValueSignature &result : signature_.results)
    resultWords.resize(resultWords.size() + 3 + 2 * result.shape.size());
  std::vector<Descriptor> descriptors;
  std::vector<void *> packed =
      packArguments(inputs, staged, resultWords.data(), descriptors);
  Status failure;
  if (graphMode == GpuGraphRun::Mode::Graph) {
    Status launched = graph->execute(
        graphWords(inputs, &descriptors), [&] { entry_(packed.data()); },
        resultWords);
    failure = takeGpuHostCallError();
    if (failure.isOk())
      failure = launched;
  } else {
    {
      GpuHostCallHookScope hook(graphMode == GpuGraphRun::Mode::Record
                                    ? graph->recordingHook()
                                    : nullptr);
      entry_(packed.data());
    }
    failure = takeGpuHostCallError();
    if (graphMode == GpuGraphRun::Mode::Record)
      graph->finishRecording(failure);
  }

  // Copy every result out (or, when asked, keep it in its pool buffer), then give
  // each buffer the block allocated back to the pool once (two results may
  // share one). The frees are ordered on the stream after the copies.
  std::set<void *> inputBuffers(staged.begin(), staged.end());
  std::map<void *, int> resultsPerAllocation;
  const int64_t *words = resultWords.data();
  for (const ValueSignature &result : signature_.results) {
    ++resultsPerAllocation[allocatedPointer(words)];
    words += 3 + 2 * result.shape.size();
  }
  std::set<void *> allocations;
  std::vector<HostTensor> results;
  bool resultsOnHost = false;
  words = resultWords.data();
  for (const ValueSignature &result : signature_.results) {
    int64_t rank = static_cast<int64_t>(result.shape.size());
    void *allocated = allocatedPointer(words);
    bool ours = !inputBuffers.count(allocated) && device.owns(allocated);
    // A graph plan's buffer stays the plan's unless a result takes it.
    bool planned = graph && graph->owns(allocated);
    // A whole buffer of the block's own becomes the result as it is; any
    // other kept result (a view of an input, two results in one buffer) is
    // copied on the device.
    bool adopt = options.keepResultsOnDevice && ours &&
                 resultsPerAllocation[allocated] == 1 &&
                 isWholeContiguousAllocation(words, rank);
    if (ours && !adopt && !planned)
      allocations.insert(allocated);
    if (failure.isOk()) {
      StatusOr<HostTensor> tensor =
          adopt ? adoptDeviceBuffer(
                      device, result.elementType,
                      std::vector<int64_t>(words + 3, words + 3 + rank),
                      allocated)
          : options.keepResultsOnDevice
              ? keepOnDevice(device, words, rank, result.elementType)
              : readDeviceResult(device, words, rank, result.elementType,
                                 resultMemory);
      resultsOnHost |= !options.keepResultsOnDevice;
      if (tensor.isOk() && adopt && planned)
        graph->disown(allocated);
      if (tensor.isOk())
        results.push_back(std::move(tensor).value());
      else
        failure = tensor.status();
    } else if (adopt && !planned) {
      allocations.insert(allocated);
    }
    words += 3 + 2 * rank;
  }
  for (void *allocation : allocations)
    if (!device.free(allocation))
      freeGpuHostCallMemory(allocation);
  releaseCopies();
  // The one wait of the run, when results went to the host or something
  // failed: a kernel's failure shows here. Results kept on the device are
  // not waited for; a failure of their kernels shows at the next wait
  // (copyTensorToHost), as the driver reports it.
  if (resultsOnHost || !failure.isOk() || results.empty()) {
    Status synced = device.synchronize();
    if (failure.isOk())
      failure = synced;
    if (inputsCopied)
      (void)device.waitForMark(inputsCopied);
  } else if (inputsMarked) {
    Status copied = device.waitForMark(inputsCopied);
    if (failure.isOk())
      failure = copied;
  }
  if (failure.isOk())
    failure = takeGpuHostCallError();
  if (!failure.isOk())
    return failure;
  return results;
}

} // namespace vmgpu::runtime
