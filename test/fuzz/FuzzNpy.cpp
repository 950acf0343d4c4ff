//===- FuzzNpy.cpp - libFuzzer target: the .npy reader --------------------===//
//
// Any bytes: parseNpy either fails with a status or returns a tensor whose
// size matches its shape; a tensor it returns and can write must read back
// to the same bytes (serialize, parse again, serialize again).
//
//===----------------------------------------------------------------------===//

#include "FuzzCheck.h"
#include "vmgpu/runtime/Npy.h"

#include <cstring>

using namespace vmgpu::runtime;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  StatusOr<HostTensor> parsed = parseNpy(data, size, "fuzz.npy");
  if (!parsed.isOk()) {
    VMGPU_FUZZ_CHECK(!parsed.status().message().empty(),
                     "a rejected .npy has a message");
    return 0;
  }
  const HostTensor &tensor = *parsed;
  // The product of the dimensions; a zero anywhere makes it 0 even where
  // the others alone would overflow.
  int64_t elements = 1;
  bool overflow = false;
  for (int64_t dim : tensor.shape()) {
    VMGPU_FUZZ_CHECK(dim >= 0, "dimensions are not negative");
    overflow |= __builtin_mul_overflow(elements, dim, &elements);
  }
  for (int64_t dim : tensor.shape())
    if (dim == 0)
      elements = 0, overflow = false;
  VMGPU_FUZZ_CHECK(!overflow && elements == tensor.numElements(),
                   "element count");
  VMGPU_FUZZ_CHECK(tensor.sizeInBytes() <= size, "data fits in the file");
  if (!checkNpyWritable(tensor).isOk())
    return 0;
  StatusOr<std::vector<uint8_t>> written = serializeNpy(tensor);
  VMGPU_FUZZ_CHECK(written.isOk(), "a writable tensor serializes");
  StatusOr<HostTensor> reread =
      parseNpy(written->data(), written->size(), "reread.npy");
  VMGPU_FUZZ_CHECK(reread.isOk(), "serialized .npy parses");
  VMGPU_FUZZ_CHECK(reread->shape() == tensor.shape() &&
                       reread->elementType() == tensor.elementType() &&
                       reread->sizeInBytes() == tensor.sizeInBytes(),
                   "round trip keeps type and shape");
  VMGPU_FUZZ_CHECK(std::memcmp(reread->bytes(), tensor.bytes(),
                               tensor.sizeInBytes()) == 0,
                   "round trip keeps the data");
  return 0;
}
