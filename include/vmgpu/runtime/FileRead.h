//===- FileRead.h - reading files that may be hostile -----------*- C++ -*-===//
//
// Every file the runtime and its tools read (programs, .npy inputs, artifact
// files, disk-cache entries) comes from someone else and goes through here.
// A path may name a FIFO (opening or reading it blocks forever), a device
// (/dev/zero never ends), a directory, a socket, a symbolic link to any of
// these, or a regular file far larger than what it should hold (a sparse
// file costs no disk). So a file is read only when it is a regular file no
// larger than the caller's bound, and exactly its size is read:
//
//   1. stat() the path (lstat() without following links): anything but a
//      regular file is refused before it is opened (opening a device can
//      have effects of its own).
//   2. open() with O_RDONLY | O_NONBLOCK | O_CLOEXEC (| O_NOFOLLOW), so that
//      a FIFO swapped in after the stat cannot block the open; fstat() the
//      descriptor and check again: the checks hold for what was opened.
//   3. A size above the bound is ResourceExhausted, with both sizes.
//   4. readAll() reads st_size bytes and then expects end of file; a file
//      that grows or shrinks meanwhile is DataLoss.
//
// Errors name the path (but readAt's: its caller knows what it reads). All
// functions are thread-safe.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_FILEREAD_H
#define VMGPU_RUNTIME_FILEREAD_H

#include "vmgpu/runtime/Status.h"

#include <cstdint>
#include <string>

#include <sys/stat.h>

namespace vmgpu::runtime {

/// The largest program text (vm IR) the tools and the C API accept: 64 MiB,
/// some hundred thousand ops, far beyond what the compiler handles in
/// reasonable time and far below what reading it costs.
inline constexpr uint64_t kMaxProgramBytes = uint64_t(64) << 20;

struct FileReadOptions {
  /// Files larger than this are ResourceExhausted.
  uint64_t maxBytes = 0;
  /// False: a symbolic link is refused (InvalidArgument) rather than
  /// followed. For files the runtime names itself (cache entries); a user's
  /// path may be a link, to a regular file.
  bool followSymlinks = true;
};

/// A regular file opened for reading after the checks above. Owns its
/// descriptor (closed on destruction); move-only.
class RegularFile {
public:
  /// Opens `path` (see the file comment). InvalidArgument for a directory,
  /// FIFO, device, socket or (without followSymlinks) symbolic link,
  /// ResourceExhausted above options.maxBytes, the errno's code when stat or
  /// open fail (NotFound, PermissionDenied, ...). When `seen` is given it
  /// receives the status of what the path named whenever it could be
  /// stat'ed, also on failure (callers that remove a bad file check it is
  /// still the one they saw).
  static StatusOr<RegularFile> open(const std::string &path,
                                    const FileReadOptions &options,
                                    struct stat *seen = nullptr);

  RegularFile(RegularFile &&other) noexcept;
  RegularFile &operator=(RegularFile &&other) noexcept;
  RegularFile(const RegularFile &) = delete;
  RegularFile &operator=(const RegularFile &) = delete;
  ~RegularFile();

  /// The size the file had when it was opened.
  uint64_t size() const { return static_cast<uint64_t>(info_.st_size); }
  /// fstat() of the open descriptor.
  const struct stat &info() const { return info_; }
  const std::string &path() const { return path_; }

  /// Reads exactly `count` bytes at `offset` into `dst`; DataLoss when the
  /// file ends first (it shrank since it was opened).
  Status readAt(uint64_t offset, void *dst, size_t count) const;
  /// The whole file: size() bytes, then end of file. DataLoss when the file
  /// shrank or grew while being read; OutOfMemory when the buffer cannot be
  /// allocated.
  StatusOr<std::string> readAll() const;

private:
  RegularFile(int fd, std::string path, const struct stat &info)
      : fd_(fd), path_(std::move(path)), info_(info) {}

  int fd_ = -1;
  std::string path_;
  struct stat info_ = {};
};

/// RegularFile::open(path, options) followed by readAll().
StatusOr<std::string> readRegularFile(const std::string &path,
                                      const FileReadOptions &options);

/// Reads descriptor `fd` (a pipe or terminal the caller chose, e.g. standard
/// input given as `-`) to its end, refusing more than `maxBytes` bytes
/// (ResourceExhausted) rather than reading on. `name` prefixes errors.
StatusOr<std::string> readStreamBounded(int fd, uint64_t maxBytes,
                                        const std::string &name);

/// A program for the tools: `-` is standard input (readStreamBounded),
/// anything else a regular file (readRegularFile, links followed); at most
/// kMaxProgramBytes either way.
StatusOr<std::string> readProgramText(const std::string &path);

/// "a directory", "a FIFO", "a character device", ... for messages.
const char *fileTypeName(mode_t mode);

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_FILEREAD_H
