//===- LibraryAlgorithmStore.h - GEMM algorithms on disk --------*- C++ -*-===//
//
// Which algorithm a GEMM library (cuBLASLt) runs for a problem decides the
// bits of its result. The library strategy chooses one per problem (the
// library's heuristic, or the fastest of its candidates when tuning) and
// keeps the choice here, in the disk cache directory, so that later
// processes on the same device model and library version run the problem
// with the same algorithm (DESIGN.md, "Determinism": a cold and a warm cache
// give the same result) and tune it only once.
//
// One file per library version and device model:
//   <directory>/<name>.algorithms
// text: a first line "vmgpu-library-algorithms 1", then one record per line,
//   <key> <8 x 16 hex digits: the algorithm> <workspace bytes, decimal>
// Records are only appended, each with one write() under an exclusive
// flock(); the first record of a key wins, so two processes that chose at
// once both end up with the one written first. The file is read only when
// it is a regular file of this user that no one else may write, no larger
// than kMaxAlgorithmStoreBytes; otherwise the store keeps nothing (choices
// stay per process). Malformed lines are skipped. A record is written by
// vmgpu under a key that fixes what its algorithm was searched for (the
// descriptors, the operands' alignments, the split-K reduction scheme), in
// the user's own directory; before use the library checks it against the
// plan's descriptors (cublasLtMatmulAlgoCheck), so a record an older or
// newer library cannot run is searched again.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_LIBRARYALGORITHMSTORE_H
#define VMGPU_RUNTIME_LIBRARYALGORITHMSTORE_H

#include "vmgpu/runtime/Status.h"

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace vmgpu::runtime {

/// The largest store file read or appended to: thousands of records.
inline constexpr uint64_t kMaxAlgorithmStoreBytes = uint64_t(1) << 20;

/// An algorithm as the library lays it out (cublasLtMatmulAlgo_t), and the
/// workspace it asked for.
struct StoredAlgorithm {
  std::array<uint64_t, 8> data{};
  uint64_t workspaceBytes = 0;
  bool operator==(const StoredAlgorithm &other) const {
    return data == other.data && workspaceBytes == other.workspaceBytes;
  }
};

/// The records of one library version on one device model. See the file
/// comment.
///
/// Ownership: owns nothing but its path and a copy of the records read.
/// Thread-safety: every member may be called from several threads, and
/// several processes may share the file.
class LibraryAlgorithmStore {
public:
  /// The store `<directory>/<name>.algorithms`; `name` is made file-name
  /// safe (every character outside [0-9A-Za-z._-] becomes '_'). Nothing is
  /// read or created until the first find() or record().
  LibraryAlgorithmStore(std::string directory, std::string_view name);

  const std::string &directory() const { return directory_; }
  const std::string &path() const { return path_; }

  /// True when `key` can name a record: 1 to 512 characters of
  /// [0-9A-Za-z:,._-].
  static bool isValidKey(std::string_view key);

  /// The record of `key`, if the file has one (read on the first call, and
  /// again on a miss when the file's size changed since).
  std::optional<StoredAlgorithm> find(const std::string &key);

  /// Keeps `chosen` under `key` unless the file already has a record of
  /// it, and returns the record that holds (the earlier one, if any).
  /// An error (the directory or file cannot be made, the file fails its
  /// checks or is full, `key` is invalid) leaves the file alone; callers
  /// then use their own choice for this process.
  StatusOr<StoredAlgorithm> record(const std::string &key,
                                   const StoredAlgorithm &chosen);

private:
  /// Parses `text` (the whole file) into records_; false when its first
  /// line is not the header.
  bool parse(std::string_view text);

  std::string directory_;
  std::string path_;
  std::mutex mutex_;
  std::map<std::string, StoredAlgorithm, std::less<>> records_;
  /// The file size records_ reflects (0: not read yet).
  uint64_t readBytes_ = 0;
};

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_LIBRARYALGORITHMSTORE_H
