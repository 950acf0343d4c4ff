//===- NpyTest.cpp - .npy reading, writing and malformed input ------------===//

#include "vmgpu/runtime/Npy.h"

#include "NpyTestData.h"
#include "vmgpu/runtime/Float16.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

using namespace vmgpu::runtime;
namespace data = npy_test_data;

namespace {

template <size_t N> std::vector<uint8_t> bytesOf(const uint8_t (&array)[N]) {
  return std::vector<uint8_t>(array, array + N);
}

template <size_t N> StatusOr<HostTensor> parse(const uint8_t (&array)[N]) {
  return parseNpy(array, N, "test.npy");
}

StatusOr<HostTensor> parse(const std::vector<uint8_t> &bytes) {
  return parseNpy(bytes.data(), bytes.size(), "test.npy");
}

StatusOr<HostTensor> parse(const std::string &bytes) {
  return parseNpy(bytes.data(), bytes.size(), "test.npy");
}

/// A .npy file with `dict` as its header (padded like numpy does) and
/// `dataBytes` bytes of data.
std::string makeNpy(const std::string &dict, size_t dataBytes, int major = 1) {
  size_t prefix = major == 1 ? 10 : 12;
  std::string header = dict;
  while ((prefix + header.size() + 1) % 64 != 0)
    header += ' ';
  header += '\n';
  std::string result("\x93NUMPY", 6);
  result += static_cast<char>(major);
  result += '\0';
  for (size_t i = 0; i < prefix - 8; ++i)
    result += static_cast<char>((header.size() >> (8 * i)) & 0xff);
  result += header;
  result.append(dataBytes, '\x01');
  return result;
}

std::string dictFor(const std::string &descr, const std::string &shape,
                    const std::string &fortran = "False") {
  return "{'descr': '" + descr + "', 'fortran_order': " + fortran +
         ", 'shape': " + shape + ", }";
}

void expectError(const StatusOr<HostTensor> &result, StatusCode code,
                 const std::string &needle) {
  ASSERT_FALSE(result.isOk()) << "expected an error containing: " << needle;
  EXPECT_EQ(result.status().code(), code) << result.status().toString();
  EXPECT_EQ(result.status().message().rfind("test.npy: ", 0), 0u)
      << result.status().message();
  EXPECT_NE(result.status().message().find(needle), std::string::npos)
      << result.status().message();
}

//===----------------------------------------------------------------------===//
// Reading what numpy wrote
//===----------------------------------------------------------------------===//

TEST(NpyReadTest, NumpyFloat32Matrix) {
  StatusOr<HostTensor> tensor = parse(data::kF32_2x3);
  ASSERT_TRUE(tensor.isOk()) << tensor.status().toString();
  EXPECT_EQ(tensor->typeString(), "tensor<2x3xf32>");
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(tensor->data<float>()[i], static_cast<float>(i));
  EXPECT_EQ(reinterpret_cast<uintptr_t>(tensor->bytes()) % 64, 0u);
}

TEST(NpyReadTest, NumpyIntegersAndBool) {
  StatusOr<HostTensor> i64 = parse(data::kI64_3);
  ASSERT_TRUE(i64.isOk());
  EXPECT_EQ(i64->typeString(), "tensor<3xi64>");
  EXPECT_EQ(i64->data<int64_t>()[1], -2);

  StatusOr<HostTensor> i8 = parse(data::kI8_2);
  ASSERT_TRUE(i8.isOk());
  EXPECT_EQ(i8->typeString(), "tensor<2xi8>");
  EXPECT_EQ(i8->data<int8_t>()[0], -128);
  EXPECT_EQ(i8->data<int8_t>()[1], 127);

  StatusOr<HostTensor> mask = parse(data::kBool_4);
  ASSERT_TRUE(mask.isOk());
  EXPECT_EQ(mask->typeString(), "tensor<4xi1>");
  const uint8_t expected[] = {1, 0, 1, 1};
  EXPECT_EQ(std::memcmp(mask->bytes(), expected, 4), 0);
}

TEST(NpyReadTest, UnsignedReadsAsSignless) {
  StatusOr<HostTensor> u8 = parse(data::kU8_3);
  ASSERT_TRUE(u8.isOk());
  EXPECT_EQ(u8->typeString(), "tensor<3xi8>");
  EXPECT_EQ(u8->data<uint8_t>()[0], 255);
  EXPECT_EQ(u8->data<uint8_t>()[2], 128);

  StatusOr<HostTensor> u16 = parse(data::kU16_2);
  ASSERT_TRUE(u16.isOk());
  EXPECT_EQ(u16->typeString(), "tensor<2xi16>");
  EXPECT_EQ(u16->data<uint16_t>()[0], 65535);
  EXPECT_EQ(u16->data<int16_t>()[0], -1);

  StatusOr<HostTensor> u32 = parse(data::kU32_1);
  ASSERT_TRUE(u32.isOk());
  EXPECT_EQ(u32->typeString(), "tensor<1xi32>");
  EXPECT_EQ(u32->data<uint32_t>()[0], 4294967295u);

  StatusOr<HostTensor> u64 = parse(data::kU64_1);
  ASSERT_TRUE(u64.isOk());
  EXPECT_EQ(u64->typeString(), "tensor<1xi64>");
  EXPECT_EQ(u64->data<uint64_t>()[0], ~uint64_t(0));
}

TEST(NpyReadTest, NumpyFloatsScalarAndEmpty) {
  StatusOr<HostTensor> f64 = parse(data::kF64_2);
  ASSERT_TRUE(f64.isOk());
  EXPECT_EQ(f64->typeString(), "tensor<2xf64>");
  EXPECT_EQ(f64->data<double>()[0], 0.1);
  EXPECT_EQ(f64->data<double>()[1], -2.5);

  StatusOr<HostTensor> scalar = parse(data::kF16_Scalar);
  ASSERT_TRUE(scalar.isOk());
  EXPECT_EQ(scalar->typeString(), "tensor<f16>");
  EXPECT_EQ(scalar->numElements(), 1);
  EXPECT_EQ(halfToFloat(scalar->data<uint16_t>()[0]), 1.5f);

  StatusOr<HostTensor> empty = parse(data::kI32_0x3);
  ASSERT_TRUE(empty.isOk());
  EXPECT_EQ(empty->typeString(), "tensor<0x3xi32>");
  EXPECT_EQ(empty->sizeInBytes(), 0u);
}

TEST(NpyReadTest, FormatVersions2And3) {
  for (const StatusOr<HostTensor> &tensor :
       {parse(data::kF32_V2_3), parse(data::kF32_V3_3)}) {
    ASSERT_TRUE(tensor.isOk()) << tensor.status().toString();
    EXPECT_EQ(tensor->typeString(), "tensor<3xf32>");
    EXPECT_EQ(tensor->data<float>()[2], 2.0f);
  }
}

TEST(NpyReadTest, FortranOrderIsTransposedToRowMajor) {
  StatusOr<HostTensor> matrix = parse(data::kI16_Fortran_2x3);
  ASSERT_TRUE(matrix.isOk()) << matrix.status().toString();
  EXPECT_EQ(matrix->typeString(), "tensor<2x3xi16>");
  for (int i = 0; i < 6; ++i)
    EXPECT_EQ(matrix->data<int16_t>()[i], i);

  StatusOr<HostTensor> cube = parse(data::kI32_Fortran_2x3x2);
  ASSERT_TRUE(cube.isOk()) << cube.status().toString();
  EXPECT_EQ(cube->typeString(), "tensor<2x3x2xi32>");
  for (int i = 0; i < 12; ++i)
    EXPECT_EQ(cube->data<int32_t>()[i], i);

  // Rank 0 and 1 Fortran arrays are already row-major.
  StatusOr<HostTensor> vector =
      parse(makeNpy(dictFor("<i4", "(2,)", "True"), 8));
  ASSERT_TRUE(vector.isOk());
  EXPECT_EQ(vector->data<int32_t>()[1], 0x01010101);
}

TEST(NpyReadTest, BigEndianAndUnsupportedDtypes) {
  expectError(parse(data::kBigEndianI32_2), StatusCode::InvalidArgument,
              "big-endian");
  expectError(parse(data::kComplex64_1), StatusCode::Unimplemented,
              "dtype '<c8' is not supported");
  // One-byte types have no byte order.
  EXPECT_TRUE(parse(makeNpy(dictFor(">i1", "(2,)"), 2)).isOk());
  EXPECT_TRUE(parse(makeNpy(dictFor("<b1", "(2,)"), 2)).isOk());
  EXPECT_TRUE(parse(makeNpy(dictFor("=f4", "(2,)"), 8)).isOk());
  for (const char *descr : {"<f16", "<f1", "<i3", "<u16", "|b2", "<U10", "|S3",
                            "|O", "<M8[ns]", "|V4", "<c16"})
    expectError(parse(makeNpy(dictFor(descr, "(1,)"), 16)),
                StatusCode::Unimplemented, "is not supported");
  expectError(parse(makeNpy("{'descr': [('a', '<f4')], 'fortran_order': "
                            "False, 'shape': (1,), }",
                            4)),
              StatusCode::Unimplemented, "structured dtypes");
}

TEST(NpyReadTest, PythonLiteralVariants) {
  // Python 2 longs, double quotes, no trailing comma, odd spacing and key
  // order all parse.
  EXPECT_TRUE(parse(makeNpy("{'descr': '<f4', 'fortran_order': False, "
                            "'shape': (2L, 3L), }",
                            24))
                  .isOk());
  EXPECT_TRUE(parse(makeNpy("{\"shape\":(2,),\"descr\":\"<f4\","
                            "\"fortran_order\":False}",
                            8))
                  .isOk());
  EXPECT_TRUE(parse(makeNpy("  {'descr' : u'<f4' ,\n 'fortran_order' : False "
                            ", 'shape' : ( 2 , ) }",
                            8))
                  .isOk());
}

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

template <size_t N>
void expectWriterMatchesNumpy(const uint8_t (&numpyBytes)[N]) {
  StatusOr<HostTensor> tensor = parse(numpyBytes);
  ASSERT_TRUE(tensor.isOk()) << tensor.status().toString();
  StatusOr<std::vector<uint8_t>> written = serializeNpy(*tensor);
  ASSERT_TRUE(written.isOk()) << written.status().toString();
  EXPECT_EQ(*written, bytesOf(numpyBytes)) << tensor->typeString();
}

TEST(NpyWriteTest, ByteIdenticalToNumpy) {
  expectWriterMatchesNumpy(data::kF32_2x3);
  expectWriterMatchesNumpy(data::kI64_3);
  expectWriterMatchesNumpy(data::kBool_4);
  expectWriterMatchesNumpy(data::kF16_Scalar);
  expectWriterMatchesNumpy(data::kI32_0x3);
  expectWriterMatchesNumpy(data::kI8_2);
  expectWriterMatchesNumpy(data::kF64_2);
}

TEST(NpyWriteTest, Bf16IsUnimplemented) {
  StatusOr<HostTensor> tensor = HostTensor::create(ElementType::BF16, {2});
  ASSERT_TRUE(tensor.isOk());
  StatusOr<std::vector<uint8_t>> written = serializeNpy(*tensor);
  ASSERT_FALSE(written.isOk());
  EXPECT_EQ(written.status().code(), StatusCode::Unimplemented);
  EXPECT_NE(written.status().message().find("bf16"), std::string::npos);
  EXPECT_EQ(npyDescrFor(ElementType::BF16), nullptr);
}

TEST(NpyWriteTest, BoolsAreNormalized) {
  uint8_t raw[] = {0, 1, 1};
  StatusOr<HostTensor> mask =
      HostTensor::fromBytes(ElementType::I1, {3}, raw, 3);
  ASSERT_TRUE(mask.isOk());
  mask->data<uint8_t>()[2] = 7; // Written behind the tensor's back.
  StatusOr<std::vector<uint8_t>> written = serializeNpy(*mask);
  ASSERT_TRUE(written.isOk());
  EXPECT_EQ(written->back(), 1);
}

TEST(NpyWriteTest, RankLimit) {
  std::vector<int64_t> shape(64, std::numeric_limits<int64_t>::max());
  shape[0] = 0;
  StatusOr<HostTensor> tensor = HostTensor::create(ElementType::I8, shape);
  ASSERT_TRUE(tensor.isOk());
  StatusOr<std::vector<uint8_t>> written = serializeNpy(*tensor);
  ASSERT_TRUE(written.isOk()) << written.status().toString();
  EXPECT_EQ((*written)[6], 1);
  StatusOr<HostTensor> back = parse(*written);
  ASSERT_TRUE(back.isOk()) << back.status().toString();
  EXPECT_EQ(back->shape(), shape);

  shape.push_back(1);
  StatusOr<HostTensor> rank65 = HostTensor::create(ElementType::I8, shape);
  ASSERT_TRUE(rank65.isOk());
  StatusOr<std::vector<uint8_t>> rejected = serializeNpy(*rank65);
  ASSERT_FALSE(rejected.isOk());
  EXPECT_EQ(rejected.status().code(), StatusCode::InvalidArgument);
  EXPECT_NE(rejected.status().message().find("rank 65"), std::string::npos);
}

//===----------------------------------------------------------------------===//
// Round trips through memory and files
//===----------------------------------------------------------------------===//

class NpyFileTest : public ::testing::Test {
protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "vmgpu-npy-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  std::string path(const std::string &name) const { return dir_ + "/" + name; }
  std::vector<std::string> listDir() const {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto &entry : std::filesystem::directory_iterator(dir_, ec))
      names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }
  void writeRaw(const std::string &name, const std::string &bytes) const {
    std::ofstream out(path(name), std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }

  std::string dir_;
};

HostTensor randomTensor(ElementType type, const std::vector<int64_t> &shape,
                        std::mt19937 &rng) {
  HostTensor tensor = HostTensor::create(type, shape).value();
  auto *bytes = reinterpret_cast<uint8_t *>(tensor.bytes());
  for (size_t i = 0; i < tensor.sizeInBytes(); ++i)
    bytes[i] = static_cast<uint8_t>(rng());
  if (type == ElementType::I1)
    for (size_t i = 0; i < tensor.sizeInBytes(); ++i)
      bytes[i] &= 1;
  return tensor;
}

TEST_F(NpyFileTest, RoundTripEveryDtypeAndShape) {
  std::mt19937 rng(1234);
  const std::vector<std::vector<int64_t>> shapes = {
      {}, {0}, {1}, {7}, {2, 3}, {3, 0, 2}, {2, 3, 4, 5}, {1, 1, 1, 1, 1, 1}};
  int n = 0;
  for (ElementType type : kAllElementTypes) {
    if (type == ElementType::BF16)
      continue;
    for (const std::vector<int64_t> &shape : shapes) {
      HostTensor tensor = randomTensor(type, shape, rng);
      SCOPED_TRACE(tensor.typeString());

      StatusOr<std::vector<uint8_t>> bytes = serializeNpy(tensor);
      ASSERT_TRUE(bytes.isOk()) << bytes.status().toString();
      EXPECT_EQ((bytes->size() - tensor.sizeInBytes()) % 64, 0u);
      StatusOr<HostTensor> fromMemory = parse(*bytes);
      ASSERT_TRUE(fromMemory.isOk()) << fromMemory.status().toString();
      EXPECT_TRUE(fromMemory->bitwiseEqual(tensor));

      std::string file = path("t" + std::to_string(n++) + ".npy");
      Status written = writeNpyFile(file, tensor);
      ASSERT_TRUE(written.isOk()) << written.toString();
      StatusOr<HostTensor> fromFile = readNpyFile(file);
      ASSERT_TRUE(fromFile.isOk()) << fromFile.status().toString();
      EXPECT_TRUE(fromFile->bitwiseEqual(tensor));
    }
  }
  // Only the final files: no temporaries left behind.
  for (const std::string &name : listDir())
    EXPECT_EQ(name.find(".tmp"), std::string::npos) << name;
  EXPECT_EQ(listDir().size(), static_cast<size_t>(n));
}

TEST_F(NpyFileTest, OverwriteReplacesTheFile) {
  HostTensor small = HostTensor::create(ElementType::F32, {1}).value();
  HostTensor big = HostTensor::create(ElementType::F64, {100}).value();
  ASSERT_TRUE(writeNpyFile(path("x.npy"), big).isOk());
  ASSERT_TRUE(writeNpyFile(path("x.npy"), small).isOk());
  StatusOr<HostTensor> back = readNpyFile(path("x.npy"));
  ASSERT_TRUE(back.isOk());
  EXPECT_TRUE(back->bitwiseEqual(small));
}

TEST_F(NpyFileTest, FileErrorsNameThePath) {
  StatusOr<HostTensor> missing = readNpyFile(path("missing.npy"));
  ASSERT_FALSE(missing.isOk());
  EXPECT_EQ(missing.status().code(), StatusCode::NotFound);
  EXPECT_EQ(missing.status().message().rfind(path("missing.npy") + ": ", 0), 0u)
      << missing.status().message();

  StatusOr<HostTensor> directory = readNpyFile(dir_);
  ASSERT_FALSE(directory.isOk());
  EXPECT_EQ(directory.status().code(), StatusCode::InvalidArgument);

  writeRaw("bad.npy", "this is not numpy data");
  StatusOr<HostTensor> bad = readNpyFile(path("bad.npy"));
  ASSERT_FALSE(bad.isOk());
  EXPECT_EQ(bad.status().message(),
            path("bad.npy") + ": not a .npy file: bad magic string");

  writeRaw("short.npy", makeNpy(dictFor("<f8", "(1000000,)"), 16));
  StatusOr<HostTensor> truncated = readNpyFile(path("short.npy"));
  ASSERT_FALSE(truncated.isOk());
  EXPECT_EQ(truncated.status().code(), StatusCode::DataLoss);
  EXPECT_NE(truncated.status().message().find(path("short.npy")),
            std::string::npos);

  HostTensor tensor = HostTensor::create(ElementType::I32, {2}).value();
  Status noDir = writeNpyFile(path("no/such/dir/out.npy"), tensor);
  ASSERT_FALSE(noDir.isOk());
  EXPECT_EQ(noDir.code(), StatusCode::NotFound);
  EXPECT_NE(noDir.message().find("out.npy"), std::string::npos);

  HostTensor bf16 = HostTensor::create(ElementType::BF16, {2}).value();
  Status unimplemented = writeNpyFile(path("bf16.npy"), bf16);
  EXPECT_EQ(unimplemented.code(), StatusCode::Unimplemented);
  EXPECT_NE(unimplemented.message().find("bf16.npy"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(path("bf16.npy")));
}

TEST_F(NpyFileTest, OnlyRegularFilesAreRead) {
  // A FIFO without a writer would block the open forever, /dev/zero would be
  // read until memory runs out: both are refused before reading, also
  // through a link.
  std::string fifo = path("fifo.npy");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::filesystem::create_symlink("/dev/zero", path("zero.npy"));
  std::filesystem::create_symlink(fifo, path("link-to-fifo.npy"));
  const std::pair<std::string, const char *> cases[] = {
      {fifo, "is a FIFO, not a regular file"},
      {path("link-to-fifo.npy"), "is a FIFO, not a regular file"},
      {"/dev/zero", "is a character device, not a regular file"},
      {path("zero.npy"), "is a character device, not a regular file"},
      {dir_, "is a directory, not a regular file"},
  };
  for (const auto &[file, needle] : cases) {
    SCOPED_TRACE(file);
    StatusOr<HostTensor> tensor = readNpyFile(file);
    ASSERT_FALSE(tensor.isOk());
    EXPECT_EQ(tensor.status().code(), StatusCode::InvalidArgument);
    EXPECT_EQ(tensor.status().message(), file + ": " + needle);
  }
}

TEST_F(NpyFileTest, OnlyWhatTheHeaderDeclaresIsRead) {
  // A huge sparse file with a valid header: its size must equal what the
  // header declares, which is checked before anything is allocated.
  writeRaw("sparse.npy", makeNpy(dictFor("<f4", "(2,)"), 8));
  std::filesystem::resize_file(path("sparse.npy"), uint64_t(100) << 30);
  StatusOr<HostTensor> sparse = readNpyFile(path("sparse.npy"));
  ASSERT_FALSE(sparse.isOk());
  EXPECT_EQ(sparse.status().code(), StatusCode::DataLoss);
  EXPECT_NE(sparse.status().message().find("unexpected bytes after the data"),
            std::string::npos)
      << sparse.status().message();
  // Past the largest valid file: refused from its size alone.
  std::filesystem::resize_file(path("sparse.npy"), uint64_t(2) << 40);
  sparse = readNpyFile(path("sparse.npy"));
  ASSERT_FALSE(sparse.isOk());
  EXPECT_EQ(sparse.status().code(), StatusCode::ResourceExhausted);
  EXPECT_NE(sparse.status().message().find("the file has 2199023255552 bytes"),
            std::string::npos)
      << sparse.status().message();
}

//===----------------------------------------------------------------------===//
// Malformed input
//===----------------------------------------------------------------------===//

TEST(NpyMalformedTest, PrefixErrors) {
  expectError(parse(std::string()), StatusCode::InvalidArgument, "too short");
  expectError(parse(std::string("\x93NUMP", 5)), StatusCode::InvalidArgument,
              "too short");
  std::string valid = makeNpy(dictFor("<f4", "(1,)"), 4);
  std::string badMagic = valid;
  badMagic[1] = 'M';
  expectError(parse(badMagic), StatusCode::InvalidArgument, "bad magic");
  for (auto [major, minor] :
       {std::pair{0, 0}, std::pair{1, 1}, std::pair{4, 0}, std::pair{255, 0}}) {
    std::string version = valid;
    version[6] = static_cast<char>(major);
    version[7] = static_cast<char>(minor);
    expectError(parse(version), StatusCode::InvalidArgument,
                "unsupported .npy format version");
  }
  // Version 2 needs a 12-byte prefix.
  expectError(parse(std::string("\x93NUMPY\x02\x00\x10\x00\x00", 11)),
              StatusCode::InvalidArgument, "too short");
}

TEST(NpyMalformedTest, HeaderLengthLies) {
  std::string valid = makeNpy(dictFor("<f4", "(2,)"), 8);
  // Longer than the file.
  std::string tooLong = valid;
  tooLong[8] = '\xff';
  tooLong[9] = '\xff';
  expectError(parse(tooLong), StatusCode::InvalidArgument, "truncated header");
  // Shorter than the dict: the dict is cut off.
  std::string tooShort = valid;
  tooShort[8] = 20;
  tooShort[9] = 0;
  expectError(parse(tooShort), StatusCode::InvalidArgument,
              "malformed header: unterminated string");
  // Longer by the data size: the data lands in the header.
  std::string swallowsData = valid;
  swallowsData[8] = static_cast<char>(valid.size() - 10);
  expectError(parse(swallowsData), StatusCode::InvalidArgument,
              "malformed header");
  // Zero.
  std::string zero = valid;
  zero[8] = zero[9] = 0;
  expectError(parse(zero), StatusCode::InvalidArgument, "end of header");
  // A version 2 length beyond the header limit, in a file that is long
  // enough to hold it.
  std::string huge = makeNpy(dictFor("<f4", "(2,)"), 8, 2);
  huge[10] = 0x20; // 2 MiB + the real length.
  huge.append(size_t(3) << 20, ' ');
  expectError(parse(huge), StatusCode::InvalidArgument, "exceeds the limit");
}

TEST(NpyMalformedTest, DataSizeMismatch) {
  expectError(parse(makeNpy(dictFor("<f4", "(2, 3)"), 23)),
              StatusCode::DataLoss,
              "truncated data: the header declares tensor<2x3xf32> (24 bytes) "
              "but only 23 bytes follow the header");
  expectError(parse(makeNpy(dictFor("<f4", "(2, 3)"), 25)),
              StatusCode::DataLoss, "1 unexpected bytes after the data");
  expectError(parse(makeNpy(dictFor("<f4", "()"), 0)), StatusCode::DataLoss,
              "truncated data");
  // A large shape with no data behind it is rejected before allocating.
  expectError(parse(makeNpy(dictFor("<f8", "(100000000,)"), 8)),
              StatusCode::DataLoss, "truncated data");
}

TEST(NpyMalformedTest, ShapesAboveTheBoundsAreResourceExhausted) {
  // Checked from the header alone, with the size in the message.
  expectError(parse(makeNpy(dictFor("<f8", "(200000000000,)"), 8)),
              StatusCode::ResourceExhausted,
              "the header declares (200000000000,) of f64, 1600000000000 "
              "bytes: more than the 1099511627776 bytes a tensor may hold");
  expectError(parse(makeNpy(dictFor("<f8", "(4611686018427387903,)"), 8)),
              StatusCode::ResourceExhausted,
              "invalid shape (4611686018427387903,): shape byte size "
              "overflows int64");
  expectError(parse(makeNpy(dictFor("|b1", "(4294967296, 4294967296)"), 8)),
              StatusCode::ResourceExhausted,
              "invalid shape (4294967296, 4294967296): shape element count "
              "overflows int64");
  expectError(parse(makeNpy(dictFor("<f4", "(9223372036854775807, 2)"), 8)),
              StatusCode::ResourceExhausted, "overflows int64");
}

TEST(NpyMalformedTest, BadShapes) {
  const std::pair<const char *, const char *> cases[] = {
      {"(-1,)", "negative"},
      {"(2, -3)", "negative"},
      {"(99999999999999999999,)", "does not fit in 64 bits"},
      {"(-9223372036854775809,)", "does not fit in 64 bits"},
      {"(3)", "'shape' is an integer, expected a tuple"},
      {"[2, 3]", "'shape' is a list"},
      {"None", "'shape' is None"},
      {"(2.5,)", "expected ',' or ')'"},
      {"('2',)", "a shape entry is a string"},
      {"((2,),)", "a shape entry is a tuple"},
      {"(2 3)", "expected ',' or ')'"},
      {"(2,,)", "unexpected character ','"},
      {"(,)", "unexpected character ','"},
      {"(-,)", "expected digits"},
  };
  for (const auto &[shape, needle] : cases) {
    SCOPED_TRACE(shape);
    expectError(parse(makeNpy(dictFor("<f4", shape), 0)),
                StatusCode::InvalidArgument, needle);
  }
  std::string rank65 = "(";
  for (int i = 0; i < 65; ++i)
    rank65 += "1, ";
  rank65 += ")";
  expectError(parse(makeNpy(dictFor("<f4", rank65), 4)),
              StatusCode::InvalidArgument, "rank 65");
}

TEST(NpyMalformedTest, GarbageDicts) {
  const std::pair<std::string, const char *> cases[] = {
      {"", "unexpected end of header"},
      {"{", "unexpected end of header"},
      {"}", "unexpected character '}'"},
      {"[1, 2]", "expected a dict, got a list"},
      {"'descr'", "expected a dict, got a string"},
      {"{'descr': '<f4', 'fortran_order': False}", "missing key 'shape'"},
      {"{'fortran_order': False, 'shape': ()}", "missing key 'descr'"},
      {"{'descr': '<f4', 'shape': ()}", "missing key 'fortran_order'"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (), 'x': 1}",
       "unexpected key 'x'"},
      {"{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, "
       "'shape': ()}",
       "duplicate key 'descr'"},
      {"{'descr': 4, 'fortran_order': False, 'shape': ()}",
       "'descr' is an integer"},
      {"{'descr': '<f4', 'fortran_order': 0, 'shape': ()}",
       "'fortran_order' is an integer"},
      {"{'descr': '<f4', 'fortran_order': Falsey, 'shape': ()}",
       "unexpected character 'F'"},
      {"{'descr': '<f4, 'fortran_order': False, 'shape': ()}",
       "expected ',' or '}'"},
      {"{'descr': '<f4", "newline inside a string"},
      {"{'descr': '<f\n4', 'fortran_order': False, 'shape': ()}",
       "newline inside a string"},
      {"{1: '<f4'}", "dict key is an integer"},
      {"{'descr' '<f4'}", "expected ':'"},
      {"{'descr': '<f4' 'fortran_order': False}", "expected ',' or '}'"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': ()} x",
       "unexpected text after the header dict"},
      {"{'descr': '', 'fortran_order': False, 'shape': ()}",
       "dtype '' is malformed"},
      {"{'descr': '<', 'fortran_order': False, 'shape': ()}",
       "dtype '<' is malformed"},
      {std::string("{'descr': ") + '\0' + "'<f4'}",
       "unexpected character '\\x00'"},
      {"{'descr': '<f4', 'fortran_order': False, 'shape': (), }\x80\xff",
       "unexpected text"},
  };
  for (const auto &[dict, needle] : cases) {
    SCOPED_TRACE(dict);
    StatusOr<HostTensor> result = parse(makeNpy(dict, 4));
    ASSERT_FALSE(result.isOk());
    EXPECT_NE(result.status().message().find(needle), std::string::npos)
        << result.status().message();
    EXPECT_EQ(result.status().message().rfind("test.npy: ", 0), 0u);
  }
}

TEST(NpyMalformedTest, DeepNestingDoesNotRecurseForever) {
  for (char open : {'(', '[', '{'}) {
    std::string nested(100000, open);
    expectError(parse(makeNpy(nested, 0)), StatusCode::InvalidArgument,
                "nesting deeper than");
  }
}

template <size_t N> void expectEveryTruncationFails(const uint8_t (&bytes)[N]) {
  for (size_t length = 0; length < N; ++length) {
    StatusOr<HostTensor> result = parseNpy(bytes, length, "test.npy");
    ASSERT_FALSE(result.isOk()) << "length " << length;
    EXPECT_EQ(result.status().message().rfind("test.npy: ", 0), 0u);
  }
  EXPECT_TRUE(parseNpy(bytes, N, "test.npy").isOk());
}

TEST(NpyMalformedTest, EveryTruncationFails) {
  expectEveryTruncationFails(data::kF32_2x3);
  expectEveryTruncationFails(data::kI64_3);
  expectEveryTruncationFails(data::kBool_4);
  expectEveryTruncationFails(data::kF16_Scalar);
  expectEveryTruncationFails(data::kI32_0x3);
  expectEveryTruncationFails(data::kI16_Fortran_2x3);
  expectEveryTruncationFails(data::kF32_V2_3);
  expectEveryTruncationFails(data::kF32_V3_3);
}

// Flips header bytes of real files and feeds random bytes after a valid
// magic: every result must be a value or a Status, never a crash, and a
// value must account for exactly the bytes present.
TEST(NpyMalformedTest, CorruptedInputNeverCrashes) {
  std::mt19937 rng(42);
  const std::vector<std::vector<uint8_t>> sources = {
      bytesOf(data::kF32_2x3),  bytesOf(data::kI64_3),
      bytesOf(data::kBool_4),   bytesOf(data::kF16_Scalar),
      bytesOf(data::kI32_0x3),  bytesOf(data::kI32_Fortran_2x3x2),
      bytesOf(data::kF32_V2_3), bytesOf(data::kF32_V3_3)};
  const uint8_t replacements[] = {0x00, 0x27, 0x28, 0x29, 0x2c, 0x2d,
                                  0x30, 0x39, 0x7b, 0x7d, 0x80, 0xff};
  int parsed = 0;
  for (const std::vector<uint8_t> &source : sources) {
    size_t headerEnd = std::min<size_t>(source.size(), 140);
    for (size_t i = 0; i < headerEnd; ++i) {
      for (uint8_t replacement : replacements) {
        std::vector<uint8_t> corrupt = source;
        corrupt[i] = replacement;
        StatusOr<HostTensor> result = parse(corrupt);
        if (result.isOk()) {
          ++parsed;
          EXPECT_LE(result->sizeInBytes(), corrupt.size());
        }
      }
    }
  }
  EXPECT_GT(parsed, 0); // Some flips (e.g. in padding) are harmless.
  for (int trial = 0; trial < 5000; ++trial) {
    std::vector<uint8_t> random(10 + rng() % 200);
    for (uint8_t &byte : random)
      byte = static_cast<uint8_t>(rng());
    std::memcpy(random.data(), "\x93NUMPY", 6);
    random[6] = static_cast<uint8_t>(1 + rng() % 3);
    random[7] = 0;
    random[8] = static_cast<uint8_t>(rng() % 200);
    random[9] = 0;
    (void)parse(random);
  }
}

} // namespace
