//===- FakeGpuBlockArtifact.h - the fake block as an artifact ---*- C++ -*-===//

#ifndef VMGPU_TEST_UNIT_RUNTIME_FAKEGPUBLOCKARTIFACT_H
#define VMGPU_TEST_UNIT_RUNTIME_FAKEGPUBLOCKARTIFACT_H

#include "vmgpu/runtime/Artifact.h"

#include <fstream>
#include <iterator>

namespace vmgpu::test {

/// A "rocm" artifact whose binary is FakeGpuBlock.cpp's shared object
/// (the path is VMGPU_FAKE_GPU_BLOCK, set by the test target, unless `path`
/// names a variant):
/// tensor<4xf32> -> 2 * input, one launch, one result buffer.
inline runtime::Artifact
fakeRocmBlock(const char *path = VMGPU_FAKE_GPU_BLOCK) {
  runtime::Artifact artifact;
  artifact.target = "rocm";
  artifact.entry = "main";
  runtime::ValueSignature vector;
  vector.elementType = runtime::ElementType::F32;
  vector.shape = {4};
  artifact.signature.arguments = {vector};
  artifact.signature.results = {vector};
  std::ifstream file(path, std::ios::binary);
  artifact.binary.assign(std::istreambuf_iterator<char>(file), {});
  return artifact;
}

} // namespace vmgpu::test

#endif // VMGPU_TEST_UNIT_RUNTIME_FAKEGPUBLOCKARTIFACT_H
