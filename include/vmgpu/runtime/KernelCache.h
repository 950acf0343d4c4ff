//===- KernelCache.h - compiled blocks cached on disk -----------*- C++ -*-===//
//
// The disk level of the kernel cache: one artifact file per key under a
// versioned directory, published by an atomic rename, checked on every read
// (a regular file of this user, no larger than the entry bound, intact, and
// recording the key it is read under), bounded in bytes with
// least-recently-used eviction, and a lock file per key so that processes
// compiling the same block do it once (waiting at most DiskCacheOptions::
// lockWait for one another).
//
// Layout of a cache directory:
//   <dir>/v1/<key>.vmgpu   an artifact file (ArtifactFile.h format)
//   <dir>/v1/<key>.lock    taken with flock() while <key> is being compiled
//   <dir>/v1/*.tmp.*       an entry being written (never read)
//
// Keys are computed by the compiler (they cover the canonical IR, entry,
// target, options and compiler version); this level only requires them to be
// file-name safe: [0-9A-Za-z_-], 1 to 128 characters.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_KERNELCACHE_H
#define VMGPU_RUNTIME_KERNELCACHE_H

#include "vmgpu/runtime/Artifact.h"
#include "vmgpu/runtime/Metrics.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <sys/stat.h>

namespace vmgpu::runtime {

/// The disk cache directory from the environment: $VMGPU_CACHE_DIR, else
/// $XDG_CACHE_HOME/vmgpu, else $HOME/.cache/vmgpu. Empty when none of these
/// variables is set.
std::string defaultDiskCacheDirectory();

struct DiskCacheOptions {
  /// The cache directory (created when missing).
  std::string directory;
  /// Entries are evicted, least recently used first, to keep the total size
  /// of the entries at or below this many bytes.
  uint64_t maxBytes = uint64_t(1) << 30;
  /// No entry larger than this (nor than maxBytes) is written, or read: a
  /// larger file under an entry's name is corrupt and never read into
  /// memory.
  uint64_t maxEntryBytes = uint64_t(256) << 20;
  /// How long lock() waits for a key that another thread or process holds
  /// before giving up (DeadlineExceeded); the engine then compiles without
  /// the lock. A holder that is stopped or slow delays others this long at
  /// most.
  std::chrono::milliseconds lockWait = std::chrono::seconds(30);
};

/// Ownership: owns nothing but its options; `metrics` (may be null) must
/// outlive it. Thread-safety: every method may be called from several threads
/// and several processes sharing one directory at once.
class DiskCache {
public:
  DiskCache(DiskCacheOptions options, Metrics *metrics);

  /// True when `key` can name an entry (see the file comment).
  static bool isValidKey(std::string_view key);

  /// The artifact stored under `key`, or nullopt when there is none. An
  /// entry that fails its checks (not a regular file, larger than the entry
  /// bound, truncated, altered, half written, owned or writable by another
  /// user, or stored under another key) is counted in cache.disk.corrupt,
  /// removed, and reported as absent; one of an older format is removed
  /// without being counted. Hits and misses are not counted here: a caller that looks
  /// twice (before and after taking the key's lock) counts one of them.
  /// A hit marks the entry as recently used.
  std::optional<Artifact> lookup(const std::string &key);

  /// Stores `artifact` under `key` (atomically, replacing any entry), then
  /// evicts old entries to honour maxBytes.
  Status publish(const std::string &key, const Artifact &artifact);

  /// Removes the entry under `key`, if any (e.g. one that verifies but does
  /// not load here).
  void remove(const std::string &key);

  /// An exclusive lock on one key across threads and processes. The kernel
  /// drops an flock() when its holder dies, so a crashed compiler never
  /// leaves a key locked. Releases on destruction.
  class KeyLock {
  public:
    KeyLock() = default;
    KeyLock(KeyLock &&other) noexcept;
    KeyLock &operator=(KeyLock &&other) noexcept;
    KeyLock(const KeyLock &) = delete;
    KeyLock &operator=(const KeyLock &) = delete;
    ~KeyLock();

  private:
    friend class DiskCache;
    explicit KeyLock(int fd) : fd_(fd) {}
    int fd_ = -1;
  };
  /// Waits until this process holds `key`'s lock, at most
  /// DiskCacheOptions::lockWait (then DeadlineExceeded). A lock file that is
  /// not a regular file (a link, a FIFO) is FailedPrecondition.
  StatusOr<KeyLock> lock(const std::string &key);

  /// Removes entries, least recently used first, until their total size is
  /// at most maxBytes; also removes temporary files left by writers that
  /// died. Returns the total size left.
  StatusOr<uint64_t> evict();

  /// The directory holding the entries (<directory>/v1).
  const std::string &entryDirectory() const { return entryDirectory_; }

  /// The largest entry written or read: min(maxEntryBytes, maxBytes).
  uint64_t maxEntryBytes() const;

private:
  std::string entryPath(const std::string &key) const;
  Status ensureDirectory() const;
  /// Counts a corrupt entry and removes `path` if it is still `seen`.
  void dropCorrupt(const std::string &path, const struct stat &seen);

  DiskCacheOptions options_;
  std::string entryDirectory_;
  Metrics *metrics_;
};

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_KERNELCACHE_H
