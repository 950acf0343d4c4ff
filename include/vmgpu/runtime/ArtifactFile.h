//===- ArtifactFile.h - artifacts on disk -----------------------*- C++ -*-===//
//
// The interchange between a machine that compiles and one that only runs:
//   "VMGPUART" (8 bytes) | format version (u32 LE, 3) | header length
//   (u64 LE) | header FNV-1a 64 (u64 LE) | JSON header | binary
// The header holds target, entry, signature, shape-check messages, the CPU
// features of the host code (optional: files written before it have none),
// the binary's size and its FNV-1a 64 checksum, and the disk-cache key the
// artifact was stored under ("" outside the cache); a truncated or altered
// file, header or binary, is DataLoss; a file of an older format version is
// FailedPrecondition (compile it again).
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_ARTIFACTFILE_H
#define VMGPU_RUNTIME_ARTIFACTFILE_H

#include "vmgpu/runtime/Artifact.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace vmgpu::runtime {

/// The largest artifact file written or read (256 MiB): a block's shared
/// object or GPU host code with its kernels is a few MiB at most; a larger
/// file is refused (ResourceExhausted) before it is read into memory.
inline constexpr uint64_t kMaxArtifactBytes = uint64_t(256) << 20;

/// The bytes of `artifact` in the format above, recording `cacheKey` (the
/// disk cache binds each entry to its key). Thread-safe.
std::string serializeArtifact(const Artifact &artifact,
                              std::string_view cacheKey = {});
/// Parses serializeArtifact's output; `name` prefixes error messages. The
/// recorded cache key goes to `*cacheKey` when given.
StatusOr<Artifact> parseArtifact(std::string_view bytes, std::string_view name,
                                 std::string *cacheKey = nullptr);

/// Writes `bytes` to `path` so that readers see the old file or the whole new
/// one, never a part: a unique temporary file in the same directory, written,
/// flushed to disk (fsync), then renamed over `path`.
Status writeFileAtomically(const std::string &path, std::string_view bytes);

/// Writes atomically (writeFileAtomically); ResourceExhausted above
/// kMaxArtifactBytes.
Status writeArtifactFile(const std::string &path, const Artifact &artifact);
/// Reads a regular file of at most kMaxArtifactBytes (FileRead.h: a FIFO,
/// device or directory is InvalidArgument, a larger file ResourceExhausted)
/// and parses it.
StatusOr<Artifact> readArtifactFile(const std::string &path);

/// FNV-1a 64 of `bytes` (corruption detection, not security).
uint64_t fnv1a64(std::string_view bytes);

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_ARTIFACTFILE_H
