//===- ArtifactFile.h - artifacts on disk -----------------------*- C++ -*-===//
//
// The interchange between a machine that compiles and one that only runs:
//   "VMGPUART" (8 bytes) | format version (u32 LE, 2) | header length
//   (u64 LE) | header FNV-1a 64 (u64 LE) | JSON header | binary
// The header holds target, entry, signature, shape-check messages, the
// binary's size and its FNV-1a 64 checksum; a truncated or altered file,
// header or binary, is DataLoss.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_ARTIFACTFILE_H
#define VMGPU_RUNTIME_ARTIFACTFILE_H

#include "vmgpu/runtime/Artifact.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace vmgpu::runtime {

/// The bytes of `artifact` in the format above. Thread-safe.
std::string serializeArtifact(const Artifact &artifact);
/// Parses serializeArtifact's output; `name` prefixes error messages.
StatusOr<Artifact> parseArtifact(std::string_view bytes, std::string_view name);

/// Writes `bytes` to `path` so that readers see the old file or the whole new
/// one, never a part: a unique temporary file in the same directory, written,
/// flushed to disk (fsync), then renamed over `path`.
Status writeFileAtomically(const std::string &path, std::string_view bytes);

/// Writes atomically (writeFileAtomically).
Status writeArtifactFile(const std::string &path, const Artifact &artifact);
StatusOr<Artifact> readArtifactFile(const std::string &path);

/// FNV-1a 64 of `bytes` (corruption detection, not security).
uint64_t fnv1a64(std::string_view bytes);

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_ARTIFACTFILE_H
