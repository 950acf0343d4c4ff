//===- KernelCache.cpp - compiled blocks cached on disk -------------------===//

#include "vmgpu/runtime/KernelCache.h"
#include "vmgpu/runtime/Environment.h"

#include "vmgpu/runtime/ArtifactFile.h"
#include "vmgpu/runtime/FileRead.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <thread>
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
  if (std::optional<std::string> dir =
          environmentValue(EnvironmentVariable::CacheDir))
    return *dir;
  if (std::optional<std::string> xdg =
          environmentValue(EnvironmentVariable::XdgCacheHome))
    return *xdg + "/vmgpu";
  if (std::optional<std::string> home =
          environmentValue(EnvironmentVariable::Home))
    return *home + "/.cache/vmgpu";
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

uint64_t DiskCache::maxEntryBytes() const {
  return std::min(options_.maxEntryBytes, options_.maxBytes);
}

void DiskCache::dropCorrupt(const std::string &path, const struct stat &seen) {
  if (metrics_)
    metrics_->recordCacheCorrupt();
  // Only the file that was judged: another process may have renamed a good
  // entry in since. (A directory stays: unlink cannot remove it, and
  // publishing over it fails, which only costs compiles.)
  struct stat current;
  if (::lstat(path.c_str(), &current) == 0 && seen.st_dev == current.st_dev &&
      seen.st_ino == current.st_ino)
    ::unlink(path.c_str());
}

std::optional<Artifact> DiskCache::lookup(const std::string &key) {
  if (!isValidKey(key))
    return std::nullopt;
  std::string path = entryPath(key);
  // Entries are regular files this cache wrote: a link, FIFO, device or
  // directory under an entry's name, or a file larger than any entry may
  // be, is corrupt and never opened or read.
  FileReadOptions options;
  options.maxBytes = maxEntryBytes();
  options.followSymlinks = false;
  struct stat seen;
  std::memset(&seen, 0, sizeof(seen));
  StatusOr<RegularFile> file = RegularFile::open(path, options, &seen);
  if (!file.isOk()) {
    StatusCode code = file.status().code();
    // Absent is a plain miss; unreadable (permissions, I/O) too: it is not
    // this process's to judge or remove.
    if (code == StatusCode::InvalidArgument ||
        code == StatusCode::ResourceExhausted)
      dropCorrupt(path, seen);
    return std::nullopt;
  }
  // An entry's binary is code this process will run: one that another user
  // wrote, or could have rewritten, is not used.
  if (file->info().st_uid != ::geteuid() ||
      (file->info().st_mode & (S_IWGRP | S_IWOTH))) {
    dropCorrupt(path, file->info());
    return std::nullopt;
  }
  StatusOr<std::string> bytes = file->readAll();
  std::string storedKey;
  StatusOr<Artifact> artifact =
      bytes.isOk() ? parseArtifact(*bytes, path, &storedKey)
                   : StatusOr<Artifact>(bytes.status());
  if (!artifact.isOk()) {
    // An entry of an older format is a miss, not damage: replaced quietly.
    if (artifact.status().code() == StatusCode::FailedPrecondition) {
      struct stat current;
      if (::lstat(path.c_str(), &current) == 0 &&
          file->info().st_dev == current.st_dev &&
          file->info().st_ino == current.st_ino)
        ::unlink(path.c_str());
    } else if (artifact.status().code() != StatusCode::OutOfMemory) {
      dropCorrupt(path, file->info());
    }
    return std::nullopt;
  }
  // Checksums prove an entry intact, not that it is this key's: a valid
  // entry of another program copied or renamed here would run in place of
  // this one.
  if (storedKey != key) {
    dropCorrupt(path, file->info());
    return std::nullopt;
  }
  // Recently used: eviction goes by modification time.
  ::utimensat(AT_FDCWD, path.c_str(), nullptr, AT_SYMLINK_NOFOLLOW);
  return std::move(artifact).value();
}

void DiskCache::remove(const std::string &key) {
  if (isValidKey(key))
    ::unlink(entryPath(key).c_str());
}

Status DiskCache::publish(const std::string &key, const Artifact &artifact) {
  if (!isValidKey(key))
    return invalidArgumentError("bad kernel cache key '" + key + "'");
  std::string bytes = serializeArtifact(artifact, key);
  // An entry larger than the whole cache would only evict everything else,
  // then itself; one larger than lookup() reads would never be used.
  if (bytes.size() > maxEntryBytes())
    return resourceExhaustedError(
        "a " + std::to_string(bytes.size()) +
        "-byte entry exceeds the disk cache's entry bound (" +
        std::to_string(maxEntryBytes()) + " bytes)");
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

/// Opens (creating it) the lock file at `path`: a regular file, never
/// through a link (which could point anywhere, e.g. at a device).
static StatusOr<int> openLockFile(const std::string &path, bool create) {
  int flags = O_RDWR | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK;
  if (create)
    flags |= O_CREAT;
  int fd;
  do
    fd = ::open(path.c_str(), flags, 0644);
  while (fd < 0 && errno == EINTR);
  if (fd < 0)
    return errnoError(errno, "opening " + path);
  struct stat info;
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    return failedPreconditionError(path + ": the lock file is not a regular "
                                          "file");
  }
  return fd;
}

StatusOr<DiskCache::KeyLock> DiskCache::lock(const std::string &key) {
  if (!isValidKey(key))
    return invalidArgumentError("bad kernel cache key '" + key + "'");
  VMGPU_RETURN_IF_ERROR(ensureDirectory());
  std::string path = entryDirectory_ + "/" + key + kLockSuffix;
  using Clock = std::chrono::steady_clock;
  const Clock::time_point deadline = Clock::now() + options_.lockWait;
  // Polled rather than blocking in flock(): a holder that is stopped
  // (SIGSTOP, a debugger) or slow keeps its lock, and a caller must not
  // wait for it forever. Short sleeps first, for the common quick compile.
  auto pause = std::chrono::milliseconds(1);
  constexpr auto kLongestPause = std::chrono::milliseconds(100);
  while (true) {
    VMGPU_ASSIGN_OR_RETURN(int fd, openLockFile(path, /*create=*/true));
    int result;
    do
      result = ::flock(fd, LOCK_EX | LOCK_NB);
    while (result != 0 && errno == EINTR);
    if (result != 0) {
      int error = errno;
      ::close(fd);
      if (error != EWOULDBLOCK)
        return errnoError(error, "locking " + path);
      Clock::time_point now = Clock::now();
      if (now >= deadline)
        return deadlineExceededError(
            "the lock on cache key " + key + " is still held after " +
            std::to_string(options_.lockWait.count()) + " ms");
      std::this_thread::sleep_for(
          std::min<Clock::duration>(pause, deadline - now));
      pause = std::min(pause * 2, kLongestPause);
      continue;
    }
    // evict() may have unlinked the file between open and flock; a lock on
    // an unlinked file excludes no one, so take the one now at `path`.
    struct stat held, current;
    if (::fstat(fd, &held) == 0 && ::lstat(path.c_str(), &current) == 0 &&
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
      // Sizes of what the names hold, links not followed: a link to a huge
      // file must not make the cache evict everything else.
      fs::file_status status = fs::symlink_status(it->path(), statError);
      if (statError || !fs::is_regular_file(status))
        continue; // lookup() drops it; or removed meanwhile
      uint64_t size = fs::file_size(it->path(), statError);
      auto used = fs::last_write_time(it->path(), timeError);
      if (statError || timeError)
        continue; // removed meanwhile
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
    StatusOr<int> fd = openLockFile(lockPath.string(), /*create=*/false);
    if (!fd.isOk()) {
      // Not a regular file (a link, a FIFO): nothing this cache made.
      struct stat info;
      if (::lstat(lockPath.c_str(), &info) == 0 && !S_ISREG(info.st_mode) &&
          !S_ISDIR(info.st_mode))
        ::unlink(lockPath.c_str());
      continue;
    }
    if (::flock(*fd, LOCK_EX | LOCK_NB) == 0)
      ::unlink(lockPath.c_str());
    ::close(*fd);
  }
  return total;
}

} // namespace vmgpu::runtime
