//===- RunnerIO.cpp - .npy inputs and outputs of the runner tools ---------===//

#include "vmgpu/runtime/RunnerIO.h"

#include "vmgpu/runtime/Npy.h"

#include <filesystem>

namespace vmgpu::runtime {

StatusOr<std::vector<HostTensor>>
readNpyInputs(const std::vector<std::string> &paths) {
  std::vector<HostTensor> tensors;
  for (size_t i = 0; i < paths.size(); ++i) {
    StatusOr<HostTensor> tensor = readNpyFile(paths[i]);
    if (!tensor.isOk())
      return tensor.status().withContext("input #" + std::to_string(i) + " (" +
                                         paths[i] + ")");
    tensors.push_back(std::move(tensor).value());
  }
  return tensors;
}

Status writeNpyOutputs(const std::string &directory,
                       const std::vector<HostTensor> &results) {
  for (const HostTensor &result : results)
    VMGPU_RETURN_IF_ERROR(checkNpyWritable(result));
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec)
    return internalError("cannot create " + directory + ": " + ec.message());
  // writeNpyFile writes beside the name and renames over it: whatever was
  // there (a FIFO, a link to elsewhere) is replaced, never written through.
  for (size_t i = 0; i < results.size(); ++i)
    VMGPU_RETURN_IF_ERROR(writeNpyFile(
        directory + "/out" + std::to_string(i) + ".npy", results[i]));
  return okStatus();
}

} // namespace vmgpu::runtime
