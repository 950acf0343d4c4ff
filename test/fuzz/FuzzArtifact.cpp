//===- FuzzArtifact.cpp - libFuzzer target: the artifact file reader ------===//
//
// The first byte picks the form of the rest: even, the bytes of a file;
// odd, "<header>\0<binary>" written out with valid checksums
// (ArtifactBytes.h). parseArtifact either fails with a status or returns an
// artifact that serializes back to bytes which parse to the same artifact
// and key.
//
//===----------------------------------------------------------------------===//

#include "ArtifactBytes.h"
#include "FuzzCheck.h"
#include "vmgpu/runtime/ArtifactFile.h"

using namespace vmgpu::runtime;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  std::string_view rest(reinterpret_cast<const char *>(data + 1), size - 1);
  std::string file =
      data[0] & 1 ? artifactBytesWithChecksums(rest) : std::string(rest);
  std::string_view bytes = file;
  std::string key;
  StatusOr<Artifact> parsed = parseArtifact(bytes, "fuzz.vmgpu", &key);
  if (!parsed.isOk()) {
    VMGPU_FUZZ_CHECK(!parsed.status().message().empty(),
                     "a rejected artifact has a message");
    return 0;
  }
  std::string written = serializeArtifact(*parsed, key);
  std::string rereadKey;
  StatusOr<Artifact> reread = parseArtifact(written, "reread", &rereadKey);
  VMGPU_FUZZ_CHECK(reread.isOk(), "a serialized artifact parses");
  VMGPU_FUZZ_CHECK(rereadKey == key, "round trip keeps the cache key");
  VMGPU_FUZZ_CHECK(serializeArtifact(*reread, rereadKey) == written,
                   "round trip is stable");
  return 0;
}
