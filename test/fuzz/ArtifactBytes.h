//===- ArtifactBytes.h - artifact files whose checksums hold ------*- C++ -*-===//
//
// Artifact files carry two checksums (the header's and the binary's), so
// nearly every mutation of a file stops at the first check and the header's
// fields are never read. Fuzz targets therefore also take an input as
// "<JSON header>\0<binary>" and write the file around it with the binary's
// size and checksum set in the header and the header's checksum in the
// preamble (ArtifactFile.h): what remains to be checked is the header's
// content, which is what a corrupted or hostile file may get wrong.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_TEST_FUZZ_ARTIFACTBYTES_H
#define VMGPU_TEST_FUZZ_ARTIFACTBYTES_H

#include "vmgpu/runtime/ArtifactFile.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

/// The artifact file holding `input` ("<header>\0<binary>"); the header is
/// used as it is when it is not a JSON object.
inline std::string artifactBytesWithChecksums(std::string_view input) {
  size_t split = input.find('\0');
  std::string_view headerText = input.substr(0, split);
  std::string_view binary =
      split == std::string_view::npos ? std::string_view() : input.substr(split + 1);
  std::string header(headerText);
  nlohmann::json json = nlohmann::json::parse(headerText, nullptr,
                                              /*allow_exceptions=*/false);
  if (!json.is_discarded() && json.is_object()) {
    json["binary_size"] = binary.size();
    json["binary_fnv1a64"] = vmgpu::runtime::fnv1a64(binary);
    header = json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  std::string out = "VMGPUART";
  auto append = [&](uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i)
      out.push_back(static_cast<char>(value >> (8 * i)));
  };
  append(3, 4); // the format version ArtifactFile.h describes
  append(header.size(), 8);
  append(vmgpu::runtime::fnv1a64(header), 8);
  out += header;
  out += binary;
  return out;
}

#endif // VMGPU_TEST_FUZZ_ARTIFACTBYTES_H
