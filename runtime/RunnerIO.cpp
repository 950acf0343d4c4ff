//===- RunnerIO.cpp - .npy inputs and outputs of the runner tools ---------===//

#include "vmgpu/runtime/RunnerIO.h"
#include "vmgpu/runtime/Npy.h"

#include <cerrno>
#include <filesystem>
#include <fstream>

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
  std::vector<std::vector<uint8_t>> files;
  for (const HostTensor &result : results) {
    VMGPU_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, serializeNpy(result));
    files.push_back(std::move(bytes));
  }
  std::error_code ec;
  std::filesystem::create_directories(directory, ec);
  if (ec)
    return internalError("cannot create " + directory + ": " + ec.message());
  for (size_t i = 0; i < files.size(); ++i) {
    std::string path = directory + "/out" + std::to_string(i) + ".npy";
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char *>(files[i].data()),
              static_cast<std::streamsize>(files[i].size()));
    if (!out)
      return errnoError(errno, "writing " + path);
  }
  return okStatus();
}

} // namespace vmgpu::runtime
