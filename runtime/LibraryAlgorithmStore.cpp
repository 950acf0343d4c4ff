//===- LibraryAlgorithmStore.cpp - library algorithms kept on disk --------===//

#include "vmgpu/runtime/LibraryAlgorithmStore.h"
#include "vmgpu/runtime/FileRead.h"

#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <thread>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace vmgpu::runtime {
namespace {

constexpr std::string_view kHeader = "vmgpu-library-algorithms 1\n";

bool isSafeNameCharacter(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
         (c >= 'a' && c <= 'z') || c == '.' || c == '_' || c == '-';
}

/// A file this user owns and no one else may write: records steer which
/// library code runs, so another user must not be able to plant them.
Status checkOwnership(const struct stat &info, const std::string &path) {
  if (!S_ISREG(info.st_mode))
    return failedPreconditionError(path + " is not a regular file");
  if (info.st_uid != ::geteuid() || (info.st_mode & (S_IWGRP | S_IWOTH)))
    return permissionDeniedError(
        path + " belongs to another user or is writable by others");
  return okStatus();
}

/// One record line, "key hex x8 workspace\n".
std::string formatRecord(const std::string &key,
                         const StoredAlgorithm &algorithm) {
  std::string line = key;
  char field[24];
  for (uint64_t word : algorithm.data) {
    std::snprintf(field, sizeof(field), " %016" PRIx64, word);
    line += field;
  }
  std::snprintf(field, sizeof(field), " %" PRIu64 "\n",
                algorithm.workspaceBytes);
  return line + field;
}

/// Parses one unsigned field of `line` at `position` in `base`; advances
/// past it and one following space or the end.
std::optional<uint64_t> parseField(std::string_view line, size_t &position,
                                   int base, size_t maxDigits) {
  // Past the end: the line had fewer fields.
  if (position > line.size())
    return std::nullopt;
  size_t end = line.find(' ', position);
  if (end == std::string_view::npos)
    end = line.size();
  std::string_view digits = line.substr(position, end - position);
  if (digits.empty() || digits.size() > maxDigits)
    return std::nullopt;
  uint64_t value = 0;
  for (char c : digits) {
    int digit = c >= '0' && c <= '9'   ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                       : 99;
    if (digit >= base)
      return std::nullopt;
    if (value > (UINT64_MAX - digit) / base)
      return std::nullopt;
    value = value * base + digit;
  }
  position = end + 1;
  return value;
}

/// The most a record() waits for another holder of the file's lock.
constexpr auto kLockWait = std::chrono::seconds(2);

Status lockExclusively(int fd, const std::string &path) {
  auto deadline = std::chrono::steady_clock::now() + kLockWait;
  while (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK && errno != EINTR)
      return errnoError(errno, "locking " + path);
    if (std::chrono::steady_clock::now() >= deadline)
      return deadlineExceededError("another process holds " + path);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return okStatus();
}

} // namespace

LibraryAlgorithmStore::LibraryAlgorithmStore(std::string directory,
                                             std::string_view name)
    : directory_(std::move(directory)) {
  std::string safe(name);
  for (char &c : safe)
    if (!isSafeNameCharacter(c))
      c = '_';
  path_ = directory_ + "/" + safe + ".algorithms";
}

bool LibraryAlgorithmStore::isValidKey(std::string_view key) {
  if (key.empty() || key.size() > 512)
    return false;
  for (char c : key)
    if (!isSafeNameCharacter(c) && c != ':' && c != ',')
      return false;
  return true;
}

bool LibraryAlgorithmStore::parse(std::string_view text) {
  if (text.substr(0, kHeader.size()) != kHeader)
    return false;
  size_t start = kHeader.size();
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    // A line still being written (no newline yet) is not a record.
    if (end == std::string_view::npos)
      break;
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    size_t space = line.find(' ');
    if (space == std::string_view::npos)
      continue;
    std::string_view key = line.substr(0, space);
    if (!isValidKey(key) || records_.count(key))
      continue;
    StoredAlgorithm algorithm;
    size_t position = space + 1;
    bool ok = true;
    for (uint64_t &word : algorithm.data) {
      std::optional<uint64_t> value = parseField(line, position, 16, 16);
      ok = ok && value;
      if (!ok)
        break;
      word = *value;
    }
    std::optional<uint64_t> workspace =
        ok ? parseField(line, position, 10, 20) : std::nullopt;
    if (!workspace || position <= line.size())
      continue;
    algorithm.workspaceBytes = *workspace;
    records_.emplace(std::string(key), algorithm);
  }
  return true;
}

std::optional<StoredAlgorithm>
LibraryAlgorithmStore::find(const std::string &key) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = records_.find(key);
  if (found != records_.end())
    return found->second;
  // Read the file when it is new to us or grew (another process recorded).
  FileReadOptions options;
  options.maxBytes = kMaxAlgorithmStoreBytes;
  options.followSymlinks = false;
  StatusOr<RegularFile> file = RegularFile::open(path_, options);
  if (!file.isOk() || file->size() == readBytes_ ||
      !checkOwnership(file->info(), path_).isOk())
    return std::nullopt;
  StatusOr<std::string> text = file->readAll();
  if (!text.isOk() || !parse(*text))
    return std::nullopt;
  readBytes_ = text->size();
  found = records_.find(key);
  if (found == records_.end())
    return std::nullopt;
  return found->second;
}

StatusOr<StoredAlgorithm>
LibraryAlgorithmStore::record(const std::string &key,
                              const StoredAlgorithm &chosen) {
  if (!isValidKey(key))
    return invalidArgumentError("not a valid algorithm record key: " + key);
  std::lock_guard<std::mutex> lock(mutex_);
  std::error_code ec;
  std::filesystem::create_directories(directory_, ec);
  if (ec)
    return unavailableError("cannot create " + directory_ + ": " +
                            ec.message());
  int fd = ::open(
      path_.c_str(),
      O_RDWR | O_CREAT | O_APPEND | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
  if (fd < 0)
    return errnoError(errno, "opening " + path_);
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  // Appends of several processes must not interleave with each other's
  // reads of the whole file: one writer at a time, held for microseconds.
  // A holder that stops (or a hostile one) costs at most kLockWait: the
  // choice then stays this process's.
  VMGPU_RETURN_IF_ERROR(lockExclusively(fd, path_));
  struct stat info;
  if (::fstat(fd, &info) != 0)
    return errnoError(errno, "fstat of " + path_);
  VMGPU_RETURN_IF_ERROR(checkOwnership(info, path_));
  uint64_t size = static_cast<uint64_t>(info.st_size);
  if (size > kMaxAlgorithmStoreBytes)
    return resourceExhaustedError(path_ + " is full");
  std::string text(size, '\0');
  for (size_t read = 0; read < size;) {
    ssize_t n =
        ::pread(fd, text.data() + read, size - read, static_cast<off_t>(read));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return dataLossError(path_ + " shrank while it was read");
    read += static_cast<size_t>(n);
  }
  // What a writer that died left (a header or a last line without its
  // newline) is cut off: completed, it could read as a record it never
  // was, or swallow this one.
  size_t complete =
      text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
  if (complete < kHeader.size() && kHeader.substr(0, size) == text)
    complete = 0;
  else if (!parse(text))
    return failedPreconditionError(path_ + " is not an algorithm store");
  if (complete != size) {
    if (::ftruncate(fd, static_cast<off_t>(complete)) != 0)
      return errnoError(errno, "truncating " + path_);
    size = complete;
  }
  readBytes_ = size;
  if (auto found = records_.find(key); found != records_.end())
    return found->second;
  std::string line = (size == 0 ? std::string(kHeader) : std::string()) +
                     formatRecord(key, chosen);
  if (size + line.size() > kMaxAlgorithmStoreBytes)
    return resourceExhaustedError(path_ + " is full");
  ssize_t written;
  do
    written = ::write(fd, line.data(), line.size());
  while (written < 0 && errno == EINTR);
  if (written != static_cast<ssize_t>(line.size())) {
    // A short write leaves a line without its newline, which readers skip;
    // the next append would glue onto it, so cut it off again.
    if (written > 0)
      (void)::ftruncate(fd, static_cast<off_t>(size));
    return errnoError(written < 0 ? errno : EIO, "writing " + path_);
  }
  readBytes_ = size + line.size();
  records_.emplace(key, chosen);
  return chosen;
}

} // namespace vmgpu::runtime
