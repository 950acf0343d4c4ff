//===- KernelCache.cpp - compiled blocks cached on disk -------------------===//

#include "vmgpu/runtime/KernelCache.h"

#include "vmgpu/runtime/ArtifactFile.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;

namespace vmgpu::runtime {
namespace {

constexpr const char kEntrySuffix[] = ".vmgpu";
constexpr const char kLockSuffix[] = ".lock";
/// Written by writeFileAtomically.
constexpr const char kTemporaryMarker[] = ".tmp.";
/// A temporary file this old belongs to a writer that died.
constexpr auto kStaleTemporaryAge = std::chrono::hours(1);

bool endsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         text.substr(text.size() - suffix.size()) == suffix;
}

} // namespace

std::string defaultDiskCacheDirectory() {
  if (const char *dir = std::getenv("VMGPU_CACHE_DIR"); dir && *dir)
    return dir;
  if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    return std::string(xdg) + "/vmgpu";
  if (const char *home = std::getenv("HOME"); home && *home)
    return std::string(home) + "/.cache/vmgpu";
  return "";
}

DiskCache::DiskCache(DiskCacheOptions options, Metrics *metrics)
    : options_(std::move(options)), metrics_(metrics) {
  entryDirectory_ = options_.directory + "/v1";
}

bool DiskCache::isValidKey(std::string_view key) {
  if (key.empty() || key.size() > 128)
    return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
  });
}

std::string DiskCache::entryPath(const std::string &key) const {
  return entryDirectory_ + "/" + key + kEntrySuffix;
}

Status DiskCache::ensureDirectory() const {
  std::error_code ec;
  fs::create_directories(entryDirectory_, ec);
  if (ec)
    return unavailableError("cannot create the cache directory " +
                            entryDirectory_ + ": " + ec.message());
  return okStatus();
}

std::optional<Artifact> DiskCache::lookup(const std::string &key) {
  if (!isValidKey(key))
    return std::nullopt;
  std::string path = entryPath(key);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return std::nullopt;
  std::string bytes;
  char buffer[1 << 16];
  ssize_t n;
  while ((n = ::read(fd, buffer, sizeof(buffer))) > 0 ||
         (n < 0 && errno == EINTR))
    if (n > 0)
      bytes.append(buffer, static_cast<size_t>(n));
  StatusOr<Artifact> artifact =
      n < 0 ? StatusOr<Artifact>(errnoError(errno, "reading " + path))
            : parseArtifact(bytes, path);
  if (!artifact.isOk()) {
    // Dropped so that the recompiled entry replaces it; but only the file
    // that was read: another process may have renamed a good one in since.
    if (metrics_)
      metrics_->recordCacheCorrupt();
    struct stat read, current;
    if (::fstat(fd, &read) == 0 && ::stat(path.c_str(), &current) == 0 &&
        read.st_dev == current.st_dev && read.st_ino == current.st_ino)
      ::unlink(path.c_str());
    ::close(fd);
    return std::nullopt;
  }
  ::close(fd);
  // Recently used: eviction goes by modification time.
  ::utimensat(AT_FDCWD, path.c_str(), nullptr, 0);
  return std::move(artifact).value();
}

void DiskCache::remove(const std::string &key) {
  if (isValidKey(key))
    ::unlink(entryPath(key).c_str());
}

Status DiskCache::publish(const std::string &key, const Artifact &artifact) {
  if (!isValidKey(key))
    return invalidArgumentError("bad kernel cache key '" + key + "'");
  std::string bytes = serializeArtifact(artifact);
  // An entry larger than the whole cache would only evict everything else,
  // then itself.
  if (bytes.size() > options_.maxBytes)
    return resourceExhaustedError("a " + std::to_string(bytes.size()) +
                                  "-byte entry exceeds the disk cache bound");
  VMGPU_RETURN_IF_ERROR(ensureDirectory());
  VMGPU_RETURN_IF_ERROR(writeFileAtomically(entryPath(key), bytes));
  StatusOr<uint64_t> left = evict();
  return left.isOk() ? okStatus() : left.status();
}

DiskCache::KeyLock::KeyLock(KeyLock &&other) noexcept : fd_(other.fd_) {
  other.fd_ = -1;
}

DiskCache::KeyLock &DiskCache::KeyLock::operator=(KeyLock &&other) noexcept {
  if (this != &other) {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

DiskCache::KeyLock::~KeyLock() {
  // Closing the descriptor releases the flock.
  if (fd_ >= 0)
    ::close(fd_);
}

StatusOr<DiskCache::KeyLock> DiskCache::lock(const std::string &key) {
  if (!isValidKey(key))
    return invalidArgumentError("bad kernel cache key '" + key + "'");
  VMGPU_RETURN_IF_ERROR(ensureDirectory());
  std::string path = entryDirectory_ + "/" + key + kLockSuffix;
  while (true) {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
      return errnoError(errno, "opening " + path);
    int result;
    do
      result = ::flock(fd, LOCK_EX);
    while (result != 0 && errno == EINTR);
    if (result != 0) {
      Status status = errnoError(errno, "locking " + path);
      ::close(fd);
      return status;
    }
    // evict() may have unlinked the file between open and flock; a lock on
    // an unlinked file excludes no one, so take the one now at `path`.
    struct stat held, current;
    if (::fstat(fd, &held) == 0 && ::stat(path.c_str(), &current) == 0 &&
        held.st_dev == current.st_dev && held.st_ino == current.st_ino)
      return KeyLock(fd);
    ::close(fd);
  }
}

StatusOr<uint64_t> DiskCache::evict() {
  struct Entry {
    fs::path path;
    uint64_t size;
    fs::file_time_type used;
  };
  std::vector<Entry> entries;
  std::vector<fs::path> locks;
  uint64_t total = 0;
  std::error_code ec;
  fs::directory_iterator it(entryDirectory_, ec), end;
  if (ec)
    return uint64_t(0);
  auto now = fs::file_time_type::clock::now();
  for (; it != end; it.increment(ec)) {
    if (ec)
      break;
    std::string name = it->path().filename().string();
    std::error_code statError, timeError;
    if (name.find(kTemporaryMarker) != std::string::npos) {
      auto written = fs::last_write_time(it->path(), statError);
      if (!statError && now - written > kStaleTemporaryAge)
        fs::remove(it->path(), statError);
    } else if (endsWith(name, kEntrySuffix)) {
      uint64_t size = fs::file_size(it->path(), statError);
      auto used = fs::last_write_time(it->path(), timeError);
      if (statError || timeError)
        continue; // not a regular file, or removed meanwhile
      entries.push_back({it->path(), size, used});
      total += size;
    } else if (endsWith(name, kLockSuffix)) {
      locks.push_back(it->path());
    }
  }
  std::sort(entries.begin(), entries.end(),
            [](const Entry &a, const Entry &b) { return a.used < b.used; });
  for (const Entry &entry : entries) {
    if (total <= options_.maxBytes)
      break;
    std::error_code removeError;
    fs::remove(entry.path, removeError);
    total -= entry.size;
  }
  // Lock files of keys nobody is compiling are removed while holding them
  // (see lock() for how a waiter notices).
  for (const fs::path &lockPath : locks) {
    int fd = ::open(lockPath.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0)
      continue;
    if (::flock(fd, LOCK_EX | LOCK_NB) == 0)
      ::unlink(lockPath.c_str());
    ::close(fd);
  }
  return total;
}

} // namespace vmgpu::runtime
