//===- FakeGpuBlock.cpp - a GPU block's host code, written by hand --------===//
//
// Stands in for the host shared object of a GPU artifact (what gpu-to-llvm
// makes): a constructor loads the kernel module, a destructor unloads it,
// and `__vmgpu_packed_main` (tensor<4xf32> -> tensor<4xf32>) allocates its
// result, launches `main_kernel` on a stream and, since a fake runtime runs
// no kernel, computes the result (2 * input) on the host. Its mgpu* and
// _mlir_memref_to_llvm_* calls bind to the loading process.
// Built with VMGPU_FAKE_BLOCK_CONSTANT, it multiplies by a constant global
// read through vmgpuDeviceConstant (what vm-device-constants emits) instead.
// Built with FAKE_GPU_BLOCK_LIBRARY_GEMM, it first calls the library GEMM
// (vmgpuGemm: a 2 x 2 x 1 product of the input), as a block compiled with
// the `library` contraction strategy does.
// Built with FAKE_GPU_BLOCK_KERNELS, its module is a FakeKernelModule whose
// kernels the fake HIP runs on the host: `twice` doubles the input into a
// temporary buffer, `copy` copies that into the result, and the host code
// computes nothing itself, as real host code does (graph replays are then
// checked by their results).
// `__vmgpu_packed___vmgpu_memory_main` is its memory bound (what
// vm-outline-memory-bound would compute): the result buffer with its
// alignment and bookkeeping, and the runtime's copy of the result.
//
//===----------------------------------------------------------------------===//

#include "FakeKernelModule.h"
#include "vmgpu/runtime/GpuHostCalls.h"
#include "vmgpu/runtime/LibraryGemmAbi.h"

#include <cstring>

namespace {
#ifdef FAKE_GPU_BLOCK_KERNELS
template <typename T> T &param(void **params, int index) {
  return *static_cast<T *>(params[index]);
}
/// twice(temporary, input, offset, size, stride)
void runTwice(void **params) {
  auto *temporary = param<float *>(params, 0);
  const auto *input = param<const float *>(params, 1);
  int64_t offset = param<int64_t>(params, 2);
  int64_t size = param<int64_t>(params, 3);
  int64_t stride = param<int64_t>(params, 4);
  for (int64_t i = 0; i < size; ++i)
    temporary[i] = 2.0f * input[offset + i * stride];
}
/// copy(output, temporary, size)
void runCopy(void **params) {
  auto *output = param<float *>(params, 0);
  const auto *temporary = param<const float *>(params, 1);
  int64_t size = param<int64_t>(params, 2);
  std::memcpy(output, temporary, sizeof(float) * static_cast<size_t>(size));
}
vmgpu::test::FakeKernelModule kernelImage = {
    "vmgpu fake code",
    2,
    {{"twice", runTwice, 5, {8, 8, 8, 8, 8}}, {"copy", runCopy, 3, {8, 8, 8}}}};
#else
char kernelImage[] = "fake HSACO";
#endif
void *kernelModule = nullptr;

__attribute__((constructor)) void loadKernels() {
  kernelModule = mgpuModuleLoad(&kernelImage, sizeof(kernelImage));
}
__attribute__((destructor)) void unloadKernels() {
  mgpuModuleUnload(kernelModule);
}

/// A rank-1 memref descriptor.
struct Descriptor1D {
  float *allocated;
  float *aligned;
  int64_t offset;
  int64_t size;
  int64_t stride;
};
} // namespace

extern "C" __attribute__((visibility("default"))) void
__vmgpu_packed_main(void **arguments) {
  auto *result = static_cast<Descriptor1D *>(arguments[0]);
  const auto *input = static_cast<const Descriptor1D *>(arguments[1]);
  auto *output = static_cast<float *>(_mlir_memref_to_llvm_alloc(
      sizeof(float) * static_cast<size_t>(input->size)));
#ifdef FAKE_GPU_BLOCK_KERNELS
  auto *temporary = static_cast<float *>(_mlir_memref_to_llvm_alloc(
      sizeof(float) * static_cast<size_t>(input->size)));
  void *queue = mgpuStreamCreate();
  const float *inputData = input->aligned;
  int64_t offset = input->offset, size = input->size, stride = input->stride;
  void *twiceParams[] = {&temporary, &inputData, &offset, &size, &stride};
  mgpuLaunchKernel(mgpuModuleGetFunction(kernelModule, "twice"), 1, 1, 1, 64, 1,
                   1, 0, queue, twiceParams, nullptr, 5);
  void *copyParams[] = {&output, &temporary, &size};
  mgpuLaunchKernel(mgpuModuleGetFunction(kernelModule, "copy"), 1, 1, 1, 64, 1,
                   1, 0, queue, copyParams, nullptr, 3);
  _mlir_memref_to_llvm_free(temporary);
  *result = {output, output, 0, input->size, 1};
  return;
#endif
#ifdef FAKE_GPU_BLOCK_LIBRARY_GEMM
  auto address = [](const void *pointer) {
    return reinterpret_cast<intptr_t>(pointer);
  };
  // C (2 x 2) = A (2 x 1) * B (1 x 2), all read from the input.
  vmgpuGemm(0, 0, 0, vmgpu::kGemmOutputZero, 1, 2, 2, 1,
            address(input->aligned), 0, 1, 1, address(input->aligned + 2), 0, 2,
            1, address(output), 0, 2, 1);
#endif
  void *function = mgpuModuleGetFunction(kernelModule, "main_kernel");
  void *stream = mgpuStreamCreate();
  void *params[] = {&output};
  mgpuLaunchKernel(function, 1, 1, 1, 64, 1, 1, 0, stream, params, nullptr, 1);
  mgpuStreamSynchronize(stream);
  mgpuStreamDestroy(stream);
#ifdef VMGPU_FAKE_BLOCK_CONSTANT
  static const float twos[4] = {2.0f, 2.0f, 2.0f, 2.0f};
  // The fake driver's device memory is host memory: the copy is readable.
  const auto *factor =
      static_cast<const float *>(vmgpuDeviceConstant(twos, sizeof(twos)));
  if (!factor)
    return;
#else
  static const float factor[4] = {2.0f, 2.0f, 2.0f, 2.0f};
#endif
  for (int64_t i = 0; i < input->size; ++i)
    output[i] =
        factor[i % 4] * input->aligned[input->offset + i * input->stride];
  *result = {output, output, 0, input->size, 1};
}

extern "C" __attribute__((visibility("default"))) void
__vmgpu_packed___vmgpu_memory_main(void **arguments) {
  const auto *input = static_cast<const Descriptor1D *>(arguments[1]);
  uint64_t bytes = sizeof(float) * static_cast<uint64_t>(input->size);
  *static_cast<uint64_t *>(arguments[0]) = bytes + 4 + 64 + bytes;
#ifdef FAKE_GPU_BLOCK_KERNELS
  // The temporary.
  *static_cast<uint64_t *>(arguments[0]) += bytes + 64;
#endif
}
