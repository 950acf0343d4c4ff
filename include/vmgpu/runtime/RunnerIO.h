//===- RunnerIO.h - .npy inputs and outputs of the runner tools -*- C++ -*-===//

#ifndef VMGPU_RUNTIME_RUNNERIO_H
#define VMGPU_RUNTIME_RUNNERIO_H

#include "vmgpu/runtime/HostTensor.h"

#include <string>
#include <vector>

namespace vmgpu::runtime {

/// Reads every input .npy; the error names the input's position and path.
StatusOr<std::vector<HostTensor>>
readNpyInputs(const std::vector<std::string> &paths);

/// Writes `results` as `directory`/out<N>.npy, creating the directory.
/// Everything is serialized before the first file is written, so a failure
/// to serialize leaves nothing behind.
Status writeNpyOutputs(const std::string &directory,
                       const std::vector<HostTensor> &results);

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_RUNNERIO_H
