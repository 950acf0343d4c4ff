//===- MemoryCache.h - the in-memory level of the kernel cache --*- C++ -*-===//
//
// A least-recently-used map from key to a shared value, bounded by the sum of
// the sizes its users give for the values. The engine keeps its loaded
// blocks here; a block evicted while a caller still holds it stays alive
// through the caller's shared pointer.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_ENGINE_MEMORYCACHE_H
#define VMGPU_ENGINE_MEMORYCACHE_H

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <unordered_map>

namespace vmgpu {

/// Thread-safety: every method may be called from several threads at once.
template <typename Value>
class MemoryCache {
public:
  explicit MemoryCache(uint64_t maxBytes) : maxBytes_(maxBytes) {}

  /// The value under `key` (now the most recently used), or null.
  std::shared_ptr<const Value> get(const std::string &key) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = index_.find(key);
    if (found == index_.end())
      return nullptr;
    entries_.splice(entries_.begin(), entries_, found->second);
    return std::get<1>(*found->second);
  }

  /// Stores `value` under `key`, replacing any value there, then drops the
  /// least recently used values until the total size is at most the bound.
  /// A value larger than the bound is not kept.
  void put(const std::string &key, std::shared_ptr<const Value> value,
           uint64_t bytes) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto found = index_.find(key); found != index_.end()) {
      totalBytes_ -= std::get<2>(*found->second);
      entries_.erase(found->second);
      index_.erase(found);
    }
    if (bytes > maxBytes_)
      return;
    entries_.emplace_front(key, std::move(value), bytes);
    index_[key] = entries_.begin();
    totalBytes_ += bytes;
    while (totalBytes_ > maxBytes_) {
      auto &[oldKey, oldValue, oldBytes] = entries_.back();
      totalBytes_ -= oldBytes;
      index_.erase(oldKey);
      entries_.pop_back();
    }
  }

  uint64_t totalBytes() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return totalBytes_;
  }
  size_t size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return entries_.size();
  }

private:
  using Entry = std::tuple<std::string, std::shared_ptr<const Value>, uint64_t>;
  const uint64_t maxBytes_;
  mutable std::mutex mutex_;
  std::list<Entry> entries_;
  std::unordered_map<std::string, typename std::list<Entry>::iterator> index_;
  uint64_t totalBytes_ = 0;
};

} // namespace vmgpu

#endif // VMGPU_ENGINE_MEMORYCACHE_H
