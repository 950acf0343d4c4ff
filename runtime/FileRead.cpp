//===- FileRead.cpp - reading files that may be hostile -------------------===//

#include "vmgpu/runtime/FileRead.h"

#include <cerrno>
#include <new>
#include <utility>

#include <fcntl.h>
#include <unistd.h>

namespace vmgpu::runtime {

const char *fileTypeName(mode_t mode) {
  if (S_ISREG(mode))
    return "a regular file";
  if (S_ISDIR(mode))
    return "a directory";
  if (S_ISFIFO(mode))
    return "a FIFO";
  if (S_ISCHR(mode))
    return "a character device";
  if (S_ISBLK(mode))
    return "a block device";
  if (S_ISSOCK(mode))
    return "a socket";
  if (S_ISLNK(mode))
    return "a symbolic link";
  return "not a regular file";
}

static Status checkRegular(const std::string &path, const struct stat &info,
                           const FileReadOptions &options) {
  if (!S_ISREG(info.st_mode))
    return invalidArgumentError(path + ": is " + fileTypeName(info.st_mode) +
                                ", not a regular file");
  if (info.st_size < 0 ||
      static_cast<uint64_t>(info.st_size) > options.maxBytes)
    return resourceExhaustedError(
        path + ": the file has " + std::to_string(info.st_size) +
        " bytes, more than the " + std::to_string(options.maxBytes) +
        " bytes allowed");
  return okStatus();
}

StatusOr<RegularFile> RegularFile::open(const std::string &path,
                                        const FileReadOptions &options,
                                        struct stat *seen) {
  // Refused before opening: opening a device can act (a tape rewinds, a
  // terminal becomes the controlling one) and opening a FIFO blocks.
  struct stat before;
  int rc = options.followSymlinks ? ::stat(path.c_str(), &before)
                                  : ::lstat(path.c_str(), &before);
  if (rc != 0)
    return errnoError(errno, path + ": cannot open");
  if (seen)
    *seen = before;
  VMGPU_RETURN_IF_ERROR(checkRegular(path, before, options));

  int flags = O_RDONLY | O_NONBLOCK | O_CLOEXEC;
  if (!options.followSymlinks)
    flags |= O_NOFOLLOW;
  int fd;
  do
    fd = ::open(path.c_str(), flags);
  while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    if (errno == ELOOP && !options.followSymlinks)
      return invalidArgumentError(path + ": is a symbolic link, not a "
                                         "regular file");
    return errnoError(errno, path + ": cannot open");
  }
  struct stat info;
  if (::fstat(fd, &info) != 0) {
    Status status = errnoError(errno, path + ": cannot stat");
    ::close(fd);
    return status;
  }
  // What was opened may not be what was checked (replaced in between).
  if (seen)
    *seen = info;
  if (Status status = checkRegular(path, info, options); !status.isOk()) {
    ::close(fd);
    return status;
  }
  return RegularFile(fd, path, info);
}

RegularFile::RegularFile(RegularFile &&other) noexcept
    : fd_(std::exchange(other.fd_, -1)), path_(std::move(other.path_)),
      info_(other.info_) {}

RegularFile &RegularFile::operator=(RegularFile &&other) noexcept {
  if (this != &other) {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    path_ = std::move(other.path_);
    info_ = other.info_;
  }
  return *this;
}

RegularFile::~RegularFile() {
  if (fd_ >= 0)
    ::close(fd_);
}

Status RegularFile::readAt(uint64_t offset, void *dst, size_t count) const {
  auto *out = static_cast<char *>(dst);
  while (count > 0) {
    ssize_t n = ::pread(fd_, out, count, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return errnoError(errno, "read failed");
    }
    if (n == 0)
      return dataLossError("the file ended early (it shrank while being "
                           "read)");
    out += n;
    count -= static_cast<size_t>(n);
    offset += static_cast<uint64_t>(n);
  }
  return okStatus();
}

StatusOr<std::string> RegularFile::readAll() const {
  std::string bytes;
  try {
    bytes.resize(static_cast<size_t>(size()));
  } catch (const std::bad_alloc &) {
    return outOfMemoryError(path_ + ": cannot allocate " +
                            std::to_string(size()) + " bytes to read it");
  }
  if (Status status = readAt(0, bytes.data(), bytes.size()); !status.isOk())
    return status.withContext(path_);
  // Exactly st_size bytes: one more means the file grew meanwhile.
  char extra;
  ssize_t n;
  do
    n = ::pread(fd_, &extra, 1, static_cast<off_t>(size()));
  while (n < 0 && errno == EINTR);
  if (n < 0)
    return errnoError(errno, path_ + ": read failed");
  if (n > 0)
    return dataLossError(path_ + ": the file grew while being read");
  return bytes;
}

StatusOr<std::string> readRegularFile(const std::string &path,
                                      const FileReadOptions &options) {
  VMGPU_ASSIGN_OR_RETURN(RegularFile file, RegularFile::open(path, options));
  return file.readAll();
}

StatusOr<std::string> readStreamBounded(int fd, uint64_t maxBytes,
                                        const std::string &name) {
  std::string bytes;
  char chunk[1 << 16];
  while (true) {
    ssize_t n = ::read(fd, chunk, sizeof(chunk));
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return errnoError(errno, name + ": read failed");
    }
    if (n == 0)
      return bytes;
    if (static_cast<uint64_t>(n) > maxBytes - bytes.size())
      return resourceExhaustedError(name + ": more than the " +
                                    std::to_string(maxBytes) +
                                    " bytes allowed");
    try {
      bytes.append(chunk, static_cast<size_t>(n));
    } catch (const std::bad_alloc &) {
      return outOfMemoryError(name + ": cannot allocate " +
                              std::to_string(bytes.size() + static_cast<size_t>(n)) + " bytes");
    }
  }
}

StatusOr<std::string> readProgramText(const std::string &path) {
  if (path == "-")
    return readStreamBounded(STDIN_FILENO, kMaxProgramBytes, "<stdin>");
  return readRegularFile(path, {kMaxProgramBytes, true});
}

} // namespace vmgpu::runtime
