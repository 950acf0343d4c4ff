//===- FuzzDiskCache.cpp - libFuzzer target: the disk-cache entry reader --===//
//
// The input is stored as the file of a cache entry, then looked up, as a
// process sharing the cache would find a file another one wrote (or a
// corrupted one). The first byte's low bit picks the key: set, the key the
// file records, so that intact entries are reached; clear, a fixed key, so
// that entries recording another key are. Its second bit picks the form of
// the rest: clear, the bytes of the file; set, "<header>\0<binary>" written
// out with valid checksums (ArtifactBytes.h). A lookup either finds nothing
// (and the file is gone when it was corrupt) or an artifact that parses as
// the file does.
//
//===----------------------------------------------------------------------===//

#include "ArtifactBytes.h"
#include "FuzzCheck.h"
#include "vmgpu/runtime/ArtifactFile.h"
#include "vmgpu/runtime/KernelCache.h"

#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <sys/stat.h>
#include <unistd.h>

using namespace vmgpu::runtime;

namespace {

std::string &cacheDirectory() {
  static std::string directory = [] {
    std::string pattern = "/tmp/vmgpu-fuzz-cache.XXXXXX";
    VMGPU_FUZZ_CHECK(mkdtemp(pattern.data()) != nullptr, "temporary dir");
    return pattern;
  }();
  return directory;
}

void writeEntry(const std::string &path, const uint8_t *data, size_t size) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  VMGPU_FUZZ_CHECK(fd >= 0, "entry file opens");
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::write(fd, data + done, size - done);
    VMGPU_FUZZ_CHECK(n > 0, "entry file writes");
    done += static_cast<size_t>(n);
  }
  ::close(fd);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  DiskCacheOptions options;
  options.directory = cacheDirectory();
  options.maxBytes = 1 << 20;
  options.maxEntryBytes = 1 << 20;
  DiskCache cache(options, /*metrics=*/nullptr);
  // The versioned directory, as the first publish would create it.
  ::mkdir(cache.entryDirectory().c_str(), 0700);

  if (size == 0)
    return 0;
  std::string_view rest(reinterpret_cast<const char *>(data + 1), size - 1);
  std::string file =
      data[0] & 2 ? artifactBytesWithChecksums(rest) : std::string(rest);
  std::string key = "fuzzkey";
  std::string recorded;
  StatusOr<Artifact> direct = parseArtifact(file, "direct", &recorded);
  if ((data[0] & 1) && direct.isOk() && DiskCache::isValidKey(recorded))
    key = recorded;

  std::string path = cache.entryDirectory() + "/" + key + ".vmgpu";
  writeEntry(path, reinterpret_cast<const uint8_t *>(file.data()), file.size());
  std::optional<Artifact> found = cache.lookup(key);
  if (found) {
    VMGPU_FUZZ_CHECK(direct.isOk() && recorded == key,
                     "a hit is an intact entry recorded under its key");
    VMGPU_FUZZ_CHECK(serializeArtifact(*found, key) ==
                         serializeArtifact(*direct, recorded),
                     "a hit is the artifact the file holds");
  } else {
    VMGPU_FUZZ_CHECK(::access(path.c_str(), F_OK) != 0,
                     "a corrupt entry is removed");
  }
  cache.remove(key);
  return 0;
}
