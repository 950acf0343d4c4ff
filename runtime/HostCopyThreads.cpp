//===- HostCopyThreads.cpp - large host memcpys on a few threads ----------===//

#include "vmgpu/runtime/HostCopyThreads.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <list>
#include <mutex>
#include <thread>

namespace vmgpu::runtime {
namespace {

/// One copy in progress: its pieces go to whichever thread asks next.
struct CopyJob {
  std::byte *destination;
  const std::byte *source;
  size_t bytes;
  size_t pieceBytes;
  size_t pieces;
  std::atomic<size_t> nextPiece{0};
  /// Guarded by the pool's mutex: pieces copied, and workers holding the
  /// job (the caller returns only when both say it is safe).
  size_t piecesDone = 0;
  unsigned workers = 0;
  std::condition_variable finished;

  /// Copies pieces until none is left; returns how many this thread did.
  size_t copyPieces() {
    size_t done = 0;
    for (size_t piece = nextPiece++; piece < pieces; piece = nextPiece++) {
      size_t offset = piece * pieceBytes;
      std::memcpy(destination + offset, source + offset,
                  std::min(pieceBytes, bytes - offset));
      ++done;
    }
    return done;
  }
};

/// The workers, and the jobs that still have pieces to hand out. Never
/// destroyed: workers sleep on the condition variable until the process
/// exits.
class CopyPool {
public:
  static CopyPool &get() {
    static CopyPool *pool = new CopyPool(hostCopyThreadCount() - 1);
    return *pool;
  }

  void copy(CopyJob &job) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      jobs_.push_back(&job);
    }
    wake_.notify_all();
    size_t done = job.copyPieces();
    std::unique_lock<std::mutex> lock(mutex_);
    // No worker takes the job after this; the ones holding it finish.
    jobs_.remove(&job);
    job.piecesDone += done;
    job.finished.wait(lock, [&] {
      return job.piecesDone == job.pieces && job.workers == 0;
    });
  }

private:
  explicit CopyPool(unsigned workers) {
    for (unsigned i = 0; i < workers; ++i)
      std::thread([this] { work(); }).detach();
  }

  void work() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
      wake_.wait(lock, [&] { return !jobs_.empty(); });
      CopyJob *job = jobs_.front();
      // Every piece is taken: the job leaves the queue (its caller removes
      // it too; removing twice is harmless).
      if (job->nextPiece.load() >= job->pieces) {
        jobs_.pop_front();
        continue;
      }
      ++job->workers;
      lock.unlock();
      size_t done = job->copyPieces();
      lock.lock();
      job->piecesDone += done;
      --job->workers;
      job->finished.notify_all();
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::list<CopyJob *> jobs_;
};

} // namespace

unsigned hostCopyThreadCount() {
  static const unsigned count = [] {
    unsigned hardware = std::thread::hardware_concurrency();
    return std::clamp(hardware / 2, 1u, 8u);
  }();
  return count;
}

void copyOnHost(void *destination, const void *source, size_t bytes) {
  unsigned threads = hostCopyThreadCount();
  if (bytes < 2 * kParallelCopyMinBytes || threads == 1) {
    if (bytes)
      std::memcpy(destination, source, bytes);
    return;
  }
  // One piece per thread (pages kept whole), none under the minimum.
  constexpr size_t kPage = 4096;
  size_t piece = (bytes + threads - 1) / threads;
  piece = std::max(kParallelCopyMinBytes, (piece + kPage - 1) / kPage * kPage);
  CopyJob job;
  job.destination = static_cast<std::byte *>(destination);
  job.source = static_cast<const std::byte *>(source);
  job.bytes = bytes;
  job.pieceBytes = piece;
  job.pieces = (bytes + piece - 1) / piece;
  CopyPool::get().copy(job);
}

} // namespace vmgpu::runtime
