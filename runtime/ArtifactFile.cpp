//===- ArtifactFile.cpp - artifacts on disk -------------------------------===//

#include "vmgpu/runtime/ArtifactFile.h"

#include "vmgpu/runtime/FileRead.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

namespace vmgpu::runtime {
namespace {

using Json = nlohmann::json;
constexpr char kMagic[8] = {'V', 'M', 'G', 'P', 'U', 'A', 'R', 'T'};
// Version 2 added the header checksum: a damaged header must be caught
// before its signature is trusted. Version 3 added the cache key: an entry
// of another program copied under this key must not pass as this one.
constexpr uint32_t kFormatVersion = 3;
// magic | version u32 | header length u64 | header FNV-1a 64 u64
constexpr size_t kPreambleSize = sizeof(kMagic) + 4 + 8 + 8;

Json toJson(const ValueSignature &value) {
  Json shape = Json::array();
  for (int64_t dim : value.shape)
    shape.push_back(dim == ValueSignature::kDynamic ? Json(nullptr) : Json(dim));
  return Json{{"type", elementTypeName(value.elementType)},
              {"shape", shape},
              {"scalar", value.isScalar}};
}

StatusOr<ValueSignature> valueFromJson(const Json &json) {
  if (!json.is_object() || !json.contains("type") || !json["type"].is_string() ||
      !json.contains("shape") || !json["shape"].is_array())
    return dataLossError("malformed value signature");
  ValueSignature value;
  std::optional<ElementType> type =
      parseElementType(json["type"].get<std::string>());
  if (!type)
    return dataLossError("unknown element type");
  value.elementType = *type;
  for (const Json &dim : json["shape"]) {
    if (dim.is_null())
      value.shape.push_back(ValueSignature::kDynamic);
    else if (dim.is_number_integer())
      value.shape.push_back(dim.get<int64_t>());
    else
      return dataLossError("malformed shape");
  }
  if (json.contains("scalar")) {
    if (!json["scalar"].is_boolean())
      return dataLossError("malformed scalar flag");
    value.isScalar = json["scalar"].get<bool>();
  }
  return value;
}

template <class T> void appendLittleEndian(std::string &out, T value) {
  for (size_t i = 0; i < sizeof(T); ++i)
    out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

template <class T> T readLittleEndian(const char *data) {
  T value = 0;
  for (size_t i = 0; i < sizeof(T); ++i)
    value |= static_cast<T>(static_cast<unsigned char>(data[i])) << (8 * i);
  return value;
}

} // namespace

uint64_t fnv1a64(std::string_view bytes) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (unsigned char byte : bytes) {
    hash ^= byte;
    hash *= 0x100000001b3ull;
  }
  return hash;
}

std::string serializeArtifact(const Artifact &artifact,
                              std::string_view cacheKey) {
  Json arguments = Json::array(), results = Json::array();
  for (const ValueSignature &value : artifact.signature.arguments)
    arguments.push_back(toJson(value));
  for (const ValueSignature &value : artifact.signature.results)
    results.push_back(toJson(value));
  Json header{{"target", artifact.target},
              {"entry", artifact.entry},
              {"arguments", arguments},
              {"results", results},
              {"shape_checks", artifact.shapeChecks},
              {"host_features", artifact.hostFeatures},
              {"binary_size", artifact.binary.size()},
              {"binary_fnv1a64", fnv1a64(artifact.binary)},
              {"cache_key", std::string(cacheKey)}};
  // Messages may quote file names that are not UTF-8: replace, never throw.
  std::string text =
      header.dump(-1, ' ', false, Json::error_handler_t::replace);
  std::string out(kMagic, sizeof(kMagic));
  appendLittleEndian<uint32_t>(out, kFormatVersion);
  appendLittleEndian<uint64_t>(out, text.size());
  appendLittleEndian<uint64_t>(out, fnv1a64(text));
  out += text;
  out += artifact.binary;
  return out;
}

static StatusOr<Artifact> parseArtifactChecked(std::string_view bytes,
                                               std::string_view name,
                                               std::string *cacheKey) {
  auto corrupt = [&](const std::string &what) {
    return dataLossError(std::string(name) + ": not a valid vmgpu artifact (" +
                         what + ")");
  };
  if (bytes.size() < kPreambleSize ||
      std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0)
    return corrupt("bad magic");
  uint32_t version = readLittleEndian<uint32_t>(bytes.data() + 8);
  if (version > 0 && version < kFormatVersion)
    return failedPreconditionError(
        std::string(name) + ": written by an older vmgpu (artifact format " +
        std::to_string(version) + ", this runtime reads " +
        std::to_string(kFormatVersion) + "): compile it again");
  if (version != kFormatVersion)
    return corrupt("unknown format version");
  uint64_t headerSize = readLittleEndian<uint64_t>(bytes.data() + 12);
  if (headerSize > bytes.size() - kPreambleSize)
    return corrupt("truncated header");
  if (readLittleEndian<uint64_t>(bytes.data() + 20) !=
      fnv1a64(bytes.substr(kPreambleSize, headerSize)))
    return corrupt("header checksum mismatch");
  Json header = Json::parse(bytes.substr(kPreambleSize, headerSize), nullptr,
                            /*allow_exceptions=*/false);
  if (header.is_discarded() || !header.is_object())
    return corrupt("header is not JSON");
  std::string_view binary = bytes.substr(kPreambleSize + headerSize);
  if (!header.contains("binary_size") || !header["binary_size"].is_number_unsigned() ||
      header["binary_size"].get<uint64_t>() != binary.size())
    return corrupt("binary size differs");
  if (!header.contains("binary_fnv1a64") ||
      !header["binary_fnv1a64"].is_number_unsigned() ||
      header["binary_fnv1a64"].get<uint64_t>() != fnv1a64(binary))
    return corrupt("checksum mismatch");
  Artifact artifact;
  if (!header.contains("target") || !header["target"].is_string() ||
      !header.contains("entry") || !header["entry"].is_string())
    return corrupt("missing target or entry");
  artifact.target = header["target"].get<std::string>();
  artifact.entry = header["entry"].get<std::string>();
  for (const char *key : {"arguments", "results"}) {
    if (!header.contains(key) || !header[key].is_array())
      return corrupt(std::string("missing ") + key);
    for (const Json &value : header[key]) {
      StatusOr<ValueSignature> parsed = valueFromJson(value);
      if (!parsed.isOk())
        return corrupt(parsed.status().message());
      (std::string(key) == "arguments" ? artifact.signature.arguments
                                       : artifact.signature.results)
          .push_back(*parsed);
    }
  }
  if (!header.contains("cache_key") || !header["cache_key"].is_string())
    return corrupt("missing cache key");
  if (cacheKey)
    *cacheKey = header["cache_key"].get<std::string>();
  if (header.contains("shape_checks") && header["shape_checks"].is_array())
    for (const Json &message : header["shape_checks"])
      if (message.is_string())
        artifact.shapeChecks.push_back(message.get<std::string>());
  // Absent in files written before it was recorded: nothing to check.
  if (header.contains("host_features")) {
    if (!header["host_features"].is_array())
      return corrupt("host features are not a list");
    for (const Json &feature : header["host_features"]) {
      if (!feature.is_string())
        return corrupt("a host feature is not a string");
      artifact.hostFeatures.push_back(feature.get<std::string>());
    }
  }
  artifact.binary = std::string(binary);
  return artifact;
}

StatusOr<Artifact> parseArtifact(std::string_view bytes, std::string_view name,
                                 std::string *cacheKey) {
  // Every field is type-checked before use; this catches whatever a damaged
  // header could still make the JSON library throw (std::bad_alloc too).
  try {
    return parseArtifactChecked(bytes, name, cacheKey);
  } catch (const Json::exception &error) {
    return dataLossError(std::string(name) +
                         ": not a valid vmgpu artifact (" + error.what() + ")");
  } catch (const std::bad_alloc &) {
    return outOfMemoryError(std::string(name) +
                            ": out of memory while reading the artifact");
  }
}

namespace {
Status writeAll(int fd, std::string_view bytes, const std::string &path) {
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return errnoError(errno, "writing " + path);
    written += static_cast<size_t>(n);
  }
  return okStatus();
}

} // namespace

Status writeFileAtomically(const std::string &path, std::string_view bytes) {
  std::string pattern = path + ".tmp.XXXXXX";
  int fd = ::mkstemp(pattern.data());
  if (fd < 0)
    return errnoError(errno, "creating a temporary file for " + path);
  // mkstemp makes the file private; entries are readable like any file.
  (void)::fchmod(fd, 0644);
  Status status = writeAll(fd, bytes, pattern);
  if (status.isOk() && ::fsync(fd) != 0)
    status = errnoError(errno, "flushing " + pattern);
  if (::close(fd) != 0 && status.isOk())
    status = errnoError(errno, "closing " + pattern);
  if (status.isOk() && std::rename(pattern.c_str(), path.c_str()) != 0)
    status = errnoError(errno, "renaming " + pattern + " to " + path);
  if (!status.isOk())
    ::unlink(pattern.c_str());
  return status;
}

Status writeArtifactFile(const std::string &path, const Artifact &artifact) {
  std::string bytes = serializeArtifact(artifact);
  // What could not be read back is not written.
  if (bytes.size() > kMaxArtifactBytes)
    return resourceExhaustedError(
        path + ": the artifact has " + std::to_string(bytes.size()) +
        " bytes, more than the " + std::to_string(kMaxArtifactBytes) +
        " bytes an artifact file may hold");
  return writeFileAtomically(path, bytes);
}

StatusOr<Artifact> readArtifactFile(const std::string &path) {
  FileReadOptions options;
  options.maxBytes = kMaxArtifactBytes;
  VMGPU_ASSIGN_OR_RETURN(std::string bytes, readRegularFile(path, options));
  return parseArtifact(bytes, path);
}

} // namespace vmgpu::runtime
