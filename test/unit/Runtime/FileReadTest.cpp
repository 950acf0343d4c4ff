//===- FileReadTest.cpp - reading files that may be hostile ---------------===//
//
// Every case that used to hang or exhaust memory (a FIFO, /dev/zero, a huge
// sparse file) must come back at once with a clean error; artifact files go
// through the same checks.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/runtime/ArtifactFile.h"
#include "vmgpu/runtime/FileRead.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

using namespace vmgpu::runtime;
namespace fs = std::filesystem;

namespace {

class FileReadTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "vmgpu-fileread-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  std::string path(const std::string &name) const { return dir_ + "/" + name; }
  void write(const std::string &name, const std::string &bytes) const {
    std::ofstream(path(name), std::ios::binary) << bytes;
  }

  std::string dir_;
};

FileReadOptions bound(uint64_t maxBytes, bool followSymlinks = true) {
  FileReadOptions options;
  options.maxBytes = maxBytes;
  options.followSymlinks = followSymlinks;
  return options;
}

void expectError(const StatusOr<std::string> &result, StatusCode code,
                 const std::string &message) {
  ASSERT_FALSE(result.isOk());
  EXPECT_EQ(result.status().code(), code) << result.status().toString();
  EXPECT_EQ(result.status().message(), message);
}

TEST_F(FileReadTest, ReadsARegularFileExactly) {
  write("a", std::string("ab\0cd", 5));
  StatusOr<std::string> bytes = readRegularFile(path("a"), bound(5));
  ASSERT_TRUE(bytes.isOk()) << bytes.status().toString();
  EXPECT_EQ(*bytes, std::string("ab\0cd", 5));
  write("empty", "");
  bytes = readRegularFile(path("empty"), bound(0));
  ASSERT_TRUE(bytes.isOk()) << bytes.status().toString();
  EXPECT_EQ(*bytes, "");
  // Links to regular files are followed when asked to.
  fs::create_symlink(path("a"), path("link"));
  EXPECT_TRUE(readRegularFile(path("link"), bound(5)).isOk());
  expectError(readRegularFile(path("link"), bound(5, false)),
              StatusCode::InvalidArgument,
              path("link") + ": is a symbolic link, not a regular file");
}

TEST_F(FileReadTest, WhatIsNotARegularFileIsRefusedWithoutBlocking) {
  ASSERT_EQ(::mkfifo(path("fifo").c_str(), 0600), 0);
  expectError(readRegularFile(path("fifo"), bound(1 << 20)),
              StatusCode::InvalidArgument,
              path("fifo") + ": is a FIFO, not a regular file");
  expectError(readRegularFile("/dev/zero", bound(1 << 20)),
              StatusCode::InvalidArgument,
              "/dev/zero: is a character device, not a regular file");
  fs::create_symlink("/dev/zero", path("zero"));
  expectError(readRegularFile(path("zero"), bound(1 << 20)),
              StatusCode::InvalidArgument,
              path("zero") + ": is a character device, not a regular file");
  expectError(readRegularFile(dir_, bound(1 << 20)),
              StatusCode::InvalidArgument,
              dir_ + ": is a directory, not a regular file");
  // A listening socket.
  int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::string socketPath = path("socket");
  ASSERT_LT(socketPath.size(), sizeof(address.sun_path));
  std::strcpy(address.sun_path, socketPath.c_str());
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr *>(&address), sizeof(address)),
            0);
  ASSERT_EQ(::listen(fd, 1), 0);
  expectError(readRegularFile(socketPath, bound(1 << 20)),
              StatusCode::InvalidArgument,
              socketPath + ": is a socket, not a regular file");
  ::close(fd);
  StatusOr<std::string> missing = readRegularFile(path("missing"), bound(1));
  ASSERT_FALSE(missing.isOk());
  EXPECT_EQ(missing.status().code(), StatusCode::NotFound);
}

TEST_F(FileReadTest, AFileAboveTheBoundIsNotRead) {
  write("sparse", "");
  fs::resize_file(path("sparse"), uint64_t(1) << 40);
  expectError(readRegularFile(path("sparse"), bound(uint64_t(64) << 20)),
              StatusCode::ResourceExhausted,
              path("sparse") + ": the file has 1099511627776 bytes, more than "
                               "the 67108864 bytes allowed");
  write("five", "12345");
  EXPECT_EQ(readRegularFile(path("five"), bound(4)).status().code(),
            StatusCode::ResourceExhausted);
}

TEST_F(FileReadTest, AFileThatChangesWhileReadIsDataLoss) {
  write("grows", "1234");
  StatusOr<RegularFile> file = RegularFile::open(path("grows"), bound(100));
  ASSERT_TRUE(file.isOk()) << file.status().toString();
  EXPECT_EQ(file->size(), 4u);
  std::ofstream(path("grows"), std::ios::app) << "5";
  expectError(file->readAll(), StatusCode::DataLoss,
              path("grows") + ": the file grew while being read");

  write("shrinks", "1234");
  file = RegularFile::open(path("shrinks"), bound(100));
  ASSERT_TRUE(file.isOk()) << file.status().toString();
  fs::resize_file(path("shrinks"), 2);
  expectError(file->readAll(), StatusCode::DataLoss,
              path("shrinks") +
                  ": the file ended early (it shrank while being read)");
}

TEST_F(FileReadTest, StreamsAreReadUpToTheBound) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ASSERT_EQ(::write(fds[1], "0123456789", 10), 10);
  ::close(fds[1]);
  expectError(readStreamBounded(fds[0], 9, "<pipe>"),
              StatusCode::ResourceExhausted,
              "<pipe>: more than the 9 bytes allowed");
  ::close(fds[0]);
  ASSERT_EQ(::pipe(fds), 0);
  ASSERT_EQ(::write(fds[1], "0123456789", 10), 10);
  ::close(fds[1]);
  StatusOr<std::string> all = readStreamBounded(fds[0], 10, "<pipe>");
  ASSERT_TRUE(all.isOk()) << all.status().toString();
  EXPECT_EQ(*all, "0123456789");
  ::close(fds[0]);
}

//===----------------------------------------------------------------------===//
// Artifact files
//===----------------------------------------------------------------------===//

Artifact smallArtifact() {
  Artifact artifact;
  artifact.target = "cpu";
  artifact.entry = "main";
  artifact.binary = "binary";
  return artifact;
}

TEST_F(FileReadTest, ArtifactFilesAreReadOnlyFromBoundedRegularFiles) {
  ASSERT_EQ(::mkfifo(path("fifo.vmgpu").c_str(), 0600), 0);
  StatusOr<Artifact> fifo = readArtifactFile(path("fifo.vmgpu"));
  EXPECT_EQ(fifo.status().code(), StatusCode::InvalidArgument);
  EXPECT_EQ(readArtifactFile("/dev/zero").status().code(),
            StatusCode::InvalidArgument);
  EXPECT_EQ(readArtifactFile(dir_).status().code(),
            StatusCode::InvalidArgument);
  write("sparse.vmgpu", "");
  fs::resize_file(path("sparse.vmgpu"), kMaxArtifactBytes + 1);
  StatusOr<Artifact> sparse = readArtifactFile(path("sparse.vmgpu"));
  EXPECT_EQ(sparse.status().code(), StatusCode::ResourceExhausted);
  ASSERT_TRUE(writeArtifactFile(path("good.vmgpu"), smallArtifact()).isOk());
  StatusOr<Artifact> good = readArtifactFile(path("good.vmgpu"));
  ASSERT_TRUE(good.isOk()) << good.status().toString();
  EXPECT_EQ(good->binary, "binary");
}

TEST(ArtifactFormatTest, TheCacheKeyIsRecorded) {
  std::string key;
  StatusOr<Artifact> parsed =
      parseArtifact(serializeArtifact(smallArtifact(), "k3y"), "mem", &key);
  ASSERT_TRUE(parsed.isOk()) << parsed.status().toString();
  EXPECT_EQ(key, "k3y");
  parsed = parseArtifact(serializeArtifact(smallArtifact()), "mem", &key);
  ASSERT_TRUE(parsed.isOk()) << parsed.status().toString();
  EXPECT_EQ(key, "");
}

/// `bytes` (a serialized artifact) with its JSON header replaced by
/// `header`, the preamble's length and checksum made to match.
std::string withHeader(std::string bytes, const std::string &header) {
  uint64_t oldSize;
  std::memcpy(&oldSize, bytes.data() + 12, sizeof(oldSize));
  std::string binary = bytes.substr(28 + oldSize);
  uint64_t size = header.size(), checksum = fnv1a64(header);
  std::memcpy(bytes.data() + 12, &size, sizeof(size));
  std::memcpy(bytes.data() + 20, &checksum, sizeof(checksum));
  return bytes.substr(0, 28) + header + binary;
}

TEST(ArtifactFormatTest, HostFeaturesAreRecordedAndOptional) {
  Artifact artifact = smallArtifact();
  artifact.hostFeatures = {"avx2", "fma"};
  std::string bytes = serializeArtifact(artifact);
  StatusOr<Artifact> parsed = parseArtifact(bytes, "mem");
  ASSERT_TRUE(parsed.isOk()) << parsed.status().toString();
  EXPECT_EQ(parsed->hostFeatures, artifact.hostFeatures);
  // Files written before the field existed have none: nothing to check.
  std::string header =
      R"({"target":"cpu","entry":"main","arguments":[],"results":[],)"
      R"("shape_checks":[],"binary_size":6,"binary_fnv1a64":)" +
      std::to_string(fnv1a64("binary")) + R"(,"cache_key":"")";
  parsed = parseArtifact(withHeader(bytes, header + "}"), "mem");
  ASSERT_TRUE(parsed.isOk()) << parsed.status().toString();
  EXPECT_TRUE(parsed->hostFeatures.empty());
  for (const char *bad :
       {R"(,"host_features":"avx2"})", R"(,"host_features":["avx2",3]})"}) {
    StatusOr<Artifact> refused =
        parseArtifact(withHeader(bytes, header + bad), "mem");
    EXPECT_EQ(refused.status().code(), StatusCode::DataLoss) << bad;
  }
}

TEST(ArtifactFormatTest, OlderFormatsAreFailedPrecondition) {
  std::string bytes = serializeArtifact(smallArtifact());
  // The version (u32 LE) follows the 8-byte magic.
  bytes[8] = 2;
  StatusOr<Artifact> old = parseArtifact(bytes, "mem");
  EXPECT_EQ(old.status().code(), StatusCode::FailedPrecondition);
  EXPECT_EQ(old.status().message(),
            "mem: written by an older vmgpu (artifact format 2, this runtime "
            "reads 3): compile it again");
  bytes[8] = 4;
  EXPECT_EQ(parseArtifact(bytes, "mem").status().code(), StatusCode::DataLoss);
  bytes[8] = 0;
  EXPECT_EQ(parseArtifact(bytes, "mem").status().code(), StatusCode::DataLoss);
}

} // namespace
