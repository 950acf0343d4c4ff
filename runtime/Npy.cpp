//===- Npy.cpp - NumPy .npy reader and writer -----------------------------===//
//
// The header is a Python literal dict, parsed here by a small recursive
// descent parser over the subset of Python literals numpy writes (strings,
// ints, True/False/None, tuples, lists, dicts), with a depth limit so hostile
// input cannot exhaust the stack. Sizes are validated against the bytes
// actually present before anything is allocated.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/runtime/Npy.h"

#include "vmgpu/runtime/FileRead.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <unistd.h>

namespace vmgpu::runtime {

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the .npy reader and writer assume a little-endian host");

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr size_t kMagicSize = 6;
// Generous next to the ~128 bytes numpy writes, small enough to read whole.
constexpr uint64_t kMaxHeaderSize = 1 << 20;
constexpr size_t kMaxRank = 64;
constexpr size_t kMaxNesting = 32;
// numpy pads the header so the data starts on this boundary.
constexpr size_t kArrayAlign = 64;
// numpy leaves room for the growth axis to reach this many digits.
constexpr size_t kGrowthAxisMaxDigits = 21;

//===----------------------------------------------------------------------===//
// Python literal parsing
//===----------------------------------------------------------------------===//

struct PyValue {
  enum class Kind { String, Int, Bool, None, Tuple, List, Dict };
  Kind kind = Kind::None;
  std::string string;
  int64_t integer = 0;
  bool boolean = false;
  std::vector<PyValue> items;                        // Tuple, List.
  std::vector<std::pair<std::string, PyValue>> dict; // Dict.
};

const char *kindName(PyValue::Kind kind) {
  switch (kind) {
  case PyValue::Kind::String:
    return "a string";
  case PyValue::Kind::Int:
    return "an integer";
  case PyValue::Kind::Bool:
    return "a boolean";
  case PyValue::Kind::None:
    return "None";
  case PyValue::Kind::Tuple:
    return "a tuple";
  case PyValue::Kind::List:
    return "a list";
  case PyValue::Kind::Dict:
    return "a dict";
  }
  return "a value";
}

class LiteralParser {
public:
  explicit LiteralParser(std::string_view text) : text_(text) {}

  /// Parses the whole text as one value followed only by whitespace.
  StatusOr<PyValue> parseAll() {
    PyValue value;
    VMGPU_RETURN_IF_ERROR(parseValue(value, 0));
    skipSpace();
    if (pos_ != text_.size())
      return error("unexpected text after the header dict");
    return value;
  }

private:
  Status error(const std::string &what) const {
    return invalidArgumentError("malformed header: " + what + " at offset " +
                                std::to_string(pos_));
  }

  void skipSpace() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' ||
            text_[pos_] == '\r' || text_[pos_] == '\f' || text_[pos_] == '\v'))
      ++pos_;
  }

  bool consume(char c) {
    skipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  bool consumeWord(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word)
      return false;
    size_t end = pos_ + word.size();
    if (end < text_.size() &&
        (std::isalnum(static_cast<unsigned char>(text_[end])) ||
         text_[end] == '_'))
      return false;
    pos_ = end;
    return true;
  }

  Status parseValue(PyValue &out, size_t depth) {
    if (depth > kMaxNesting)
      return error("nesting deeper than " + std::to_string(kMaxNesting));
    skipSpace();
    if (pos_ >= text_.size())
      return error("unexpected end of header");
    char c = text_[pos_];
    if (c == '\'' || c == '"')
      return parseString(out);
    if ((c == 'u' || c == 'b' || c == 'U' || c == 'B') &&
        pos_ + 1 < text_.size() &&
        (text_[pos_ + 1] == '\'' || text_[pos_ + 1] == '"')) {
      ++pos_;
      return parseString(out);
    }
    if (c == '-' || c == '+' || (c >= '0' && c <= '9'))
      return parseInt(out);
    if (c == '(')
      return parseSequence(out, depth, ')', PyValue::Kind::Tuple);
    if (c == '[')
      return parseSequence(out, depth, ']', PyValue::Kind::List);
    if (c == '{')
      return parseDict(out, depth);
    if (consumeWord("True")) {
      out.kind = PyValue::Kind::Bool;
      out.boolean = true;
      return okStatus();
    }
    if (consumeWord("False")) {
      out.kind = PyValue::Kind::Bool;
      out.boolean = false;
      return okStatus();
    }
    if (consumeWord("None")) {
      out.kind = PyValue::Kind::None;
      return okStatus();
    }
    return error("unexpected character '" + printable(c) + "'");
  }

  static std::string printable(char c) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f)
      return std::string(1, c);
    char buffer[8];
    std::snprintf(buffer, sizeof(buffer), "\\x%02x", u);
    return buffer;
  }

  Status parseString(PyValue &out) {
    char quote = text_[pos_++];
    out.kind = PyValue::Kind::String;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      char c = text_[pos_++];
      if (c == '\n')
        return error("newline inside a string");
      if (c == '\\') {
        if (pos_ >= text_.size())
          break;
        c = text_[pos_++];
      }
      out.string += c;
    }
    if (pos_ >= text_.size())
      return error("unterminated string");
    ++pos_;
    return okStatus();
  }

  Status parseInt(PyValue &out) {
    bool negative = false;
    if (text_[pos_] == '-' || text_[pos_] == '+')
      negative = text_[pos_++] == '-';
    skipSpace();
    size_t start = pos_;
    uint64_t magnitude = 0;
    bool overflow = false;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
      unsigned digit = static_cast<unsigned>(text_[pos_++] - '0');
      if (magnitude > (std::numeric_limits<uint64_t>::max() - digit) / 10)
        overflow = true;
      else
        magnitude = magnitude * 10 + digit;
    }
    if (pos_ == start)
      return error("expected digits");
    // Python 2 numpy wrote longs as `3L`.
    if (pos_ < text_.size() && (text_[pos_] == 'L' || text_[pos_] == 'l'))
      ++pos_;
    uint64_t limit = negative
                         ? uint64_t(std::numeric_limits<int64_t>::max()) + 1
                         : uint64_t(std::numeric_limits<int64_t>::max());
    if (overflow || magnitude > limit)
      return error("integer does not fit in 64 bits");
    out.kind = PyValue::Kind::Int;
    out.integer = negative ? static_cast<int64_t>(0 - magnitude)
                           : static_cast<int64_t>(magnitude);
    return okStatus();
  }

  Status parseSequence(PyValue &out, size_t depth, char close,
                       PyValue::Kind kind) {
    ++pos_; // The opening bracket.
    out.kind = kind;
    bool sawComma = false;
    while (true) {
      if (consume(close))
        break;
      if (!out.items.empty() && !sawComma)
        return error(std::string("expected ',' or '") + close + "'");
      PyValue item;
      VMGPU_RETURN_IF_ERROR(parseValue(item, depth + 1));
      out.items.push_back(std::move(item));
      sawComma = consume(',');
      if (!sawComma && !consume(close))
        return error(std::string("expected ',' or '") + close + "'");
      if (!sawComma)
        break;
    }
    // `(x)` is a parenthesized value, not a tuple: only `(x,)` is.
    if (kind == PyValue::Kind::Tuple && out.items.size() == 1 && !sawComma) {
      PyValue inner = std::move(out.items.front());
      out = std::move(inner);
    }
    return okStatus();
  }

  Status parseDict(PyValue &out, size_t depth) {
    ++pos_; // '{'
    out.kind = PyValue::Kind::Dict;
    bool sawComma = true;
    while (!consume('}')) {
      if (!sawComma)
        return error("expected ',' or '}'");
      PyValue key;
      VMGPU_RETURN_IF_ERROR(parseValue(key, depth + 1));
      if (key.kind != PyValue::Kind::String)
        return error("dict key is " + std::string(kindName(key.kind)) +
                     ", expected a string");
      if (!consume(':'))
        return error("expected ':' after dict key '" + key.string + "'");
      for (const auto &entry : out.dict)
        if (entry.first == key.string)
          return error("duplicate key '" + key.string + "'");
      PyValue value;
      VMGPU_RETURN_IF_ERROR(parseValue(value, depth + 1));
      out.dict.emplace_back(std::move(key.string), std::move(value));
      sawComma = consume(',');
    }
    return okStatus();
  }

  std::string_view text_;
  size_t pos_ = 0;
};

//===----------------------------------------------------------------------===//
// Header interpretation
//===----------------------------------------------------------------------===//

/// What the header says about the data that follows it.
struct NpyLayout {
  ElementType type = ElementType::F32;
  bool fortranOrder = false;
  std::vector<int64_t> shape;
  uint64_t dataOffset = 0;
  uint64_t dataBytes = 0;
};

StatusOr<ElementType> parseDescr(const std::string &descr) {
  auto unsupported = [&](const std::string &why) {
    return unimplementedError(
        "dtype '" + descr + "' is not supported (" + why +
        "; supported: float16/32/64, int8/16/32/64, uint8/16/32/64, bool)");
  };
  size_t pos = 0;
  char order = '=';
  if (!descr.empty() && descr[0] != '\0' && std::strchr("<>|=", descr[0]))
    order = descr[pos++];
  if (pos >= descr.size())
    return invalidArgumentError("dtype '" + descr + "' is malformed");
  char kind = descr[pos++];
  std::string digits = descr.substr(pos);
  if (digits.empty() || digits.size() > 3 ||
      digits.find_first_not_of("0123456789") != std::string::npos)
    return unsupported("not a simple numeric type");
  int size = std::atoi(digits.c_str());
  if (order == '>' && size > 1)
    return invalidArgumentError(
        "dtype '" + descr +
        "' is big-endian; only little-endian data is "
        "supported (use arr.astype(arr.dtype.newbyteorder('<')))");
  switch (kind) {
  case 'f':
    if (size == 2)
      return ElementType::F16;
    if (size == 4)
      return ElementType::F32;
    if (size == 8)
      return ElementType::F64;
    return unsupported("float of " + digits + " bytes");
  case 'i':
  case 'u':
    if (size == 1)
      return ElementType::I8;
    if (size == 2)
      return ElementType::I16;
    if (size == 4)
      return ElementType::I32;
    if (size == 8)
      return ElementType::I64;
    return unsupported("integer of " + digits + " bytes");
  case 'b':
    if (size == 1)
      return ElementType::I1;
    return unsupported("bool of " + digits + " bytes");
  default:
    return unsupported("kind '" + std::string(1, kind) + "'");
  }
}

/// "(2, 3)" as the header spells a shape, for messages.
std::string shapeText(const std::vector<int64_t> &shape) {
  std::string text = "(";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + (shape.size() == 1 ? ",)" : ")");
}

/// Physical memory plus swap, in bytes; 0 when unknown. With overcommit an
/// allocation larger than this may succeed, and filling it from the file
/// then gets the process killed: such inputs are refused up front.
uint64_t hostMemoryBytes() {
  struct sysinfo info;
  if (::sysinfo(&info) != 0 || info.mem_unit == 0)
    return 0;
  uint64_t pages = uint64_t(info.totalram) + uint64_t(info.totalswap);
  if (pages > UINT64_MAX / info.mem_unit)
    return UINT64_MAX;
  return pages * info.mem_unit;
}

/// Interprets the header dict; `dataOffset` is where the data starts.
StatusOr<NpyLayout> interpretHeader(std::string_view text,
                                    uint64_t dataOffset) {
  StatusOr<PyValue> parsed = LiteralParser(text).parseAll();
  if (!parsed.isOk())
    return parsed.status();
  const PyValue &dict = *parsed;
  if (dict.kind != PyValue::Kind::Dict)
    return invalidArgumentError("malformed header: expected a dict, got " +
                                std::string(kindName(dict.kind)));
  const PyValue *descr = nullptr, *fortran = nullptr, *shape = nullptr;
  for (const auto &[key, value] : dict.dict) {
    if (key == "descr")
      descr = &value;
    else if (key == "fortran_order")
      fortran = &value;
    else if (key == "shape")
      shape = &value;
    else
      return invalidArgumentError("malformed header: unexpected key '" + key +
                                  "'");
  }
  if (!descr || !fortran || !shape)
    return invalidArgumentError(std::string("malformed header: missing key '") +
                                (!descr     ? "descr"
                                 : !fortran ? "fortran_order"
                                            : "shape") +
                                "'");

  NpyLayout layout;
  if (descr->kind == PyValue::Kind::List)
    return unimplementedError("structured dtypes are not supported");
  if (descr->kind != PyValue::Kind::String)
    return invalidArgumentError("malformed header: 'descr' is " +
                                std::string(kindName(descr->kind)) +
                                ", expected a string");
  StatusOr<ElementType> type = parseDescr(descr->string);
  if (!type.isOk())
    return type.status();
  layout.type = *type;

  if (fortran->kind != PyValue::Kind::Bool)
    return invalidArgumentError("malformed header: 'fortran_order' is " +
                                std::string(kindName(fortran->kind)) +
                                ", expected True or False");
  layout.fortranOrder = fortran->boolean;

  if (shape->kind != PyValue::Kind::Tuple)
    return invalidArgumentError("malformed header: 'shape' is " +
                                std::string(kindName(shape->kind)) +
                                ", expected a tuple");
  if (shape->items.size() > kMaxRank)
    return invalidArgumentError(
        "shape has rank " + std::to_string(shape->items.size()) + "; at most " +
        std::to_string(kMaxRank) + " is supported");
  for (const PyValue &dim : shape->items) {
    if (dim.kind != PyValue::Kind::Int)
      return invalidArgumentError("malformed header: a shape entry is " +
                                  std::string(kindName(dim.kind)) +
                                  ", expected an integer");
    layout.shape.push_back(dim.integer);
  }
  StatusOr<int64_t> count =
      checkedNumElements(layout.shape, elementByteSize(layout.type));
  // ResourceExhausted for a product that overflows, InvalidArgument for a
  // negative dimension.
  if (!count.isOk())
    return Status(count.status().code(),
                  "invalid shape " + shapeText(layout.shape) + ": " +
                      count.status().message());
  layout.dataOffset = dataOffset;
  layout.dataBytes =
      static_cast<uint64_t>(*count) * elementByteSize(layout.type);
  // Refused from the header alone, before the file size is even compared:
  // no tensor this large is ever allocated.
  if (layout.dataBytes > HostTensor::kMaxSizeInBytes)
    return resourceExhaustedError(
        "the header declares " + shapeText(layout.shape) + " of " +
        elementTypeName(layout.type) + ", " +
        std::to_string(layout.dataBytes) + " bytes: more than the " +
        std::to_string(HostTensor::kMaxSizeInBytes) +
        " bytes a tensor may hold");
  if (uint64_t memory = hostMemoryBytes();
      memory != 0 && layout.dataBytes > memory)
    return resourceExhaustedError(
        "the header declares " + shapeText(layout.shape) + " of " +
        elementTypeName(layout.type) + ", " +
        std::to_string(layout.dataBytes) + " bytes: more than the " +
        std::to_string(memory) + " bytes of memory and swap of this machine");
  return layout;
}

/// Reads `size` bytes at `offset` of the input into `dst`.
using ReadFn = Status (*)(void *context, uint64_t offset, void *dst,
                          size_t size);

/// Parses the magic, version and header of an input of `totalSize` bytes and
/// checks that the data it declares is exactly what follows.
StatusOr<NpyLayout> readLayout(ReadFn read, void *context, uint64_t totalSize) {
  uint8_t prefix[12];
  if (totalSize < 10)
    return invalidArgumentError(
        "not a .npy file: " + std::to_string(totalSize) +
        " bytes is too short for the magic and "
        "header length");
  VMGPU_RETURN_IF_ERROR(read(context, 0, prefix, 10));
  if (std::memcmp(prefix, kMagic, kMagicSize) != 0)
    return invalidArgumentError("not a .npy file: bad magic string");
  uint8_t major = prefix[6], minor = prefix[7];
  uint64_t headerSize;
  uint64_t prefixSize;
  if (major == 1 && minor == 0) {
    headerSize = prefix[8] | (uint64_t(prefix[9]) << 8);
    prefixSize = 10;
  } else if ((major == 2 || major == 3) && minor == 0) {
    if (totalSize < 12)
      return invalidArgumentError(
          "truncated header: " + std::to_string(totalSize) +
          " bytes is too short for a version " + std::to_string(major) +
          ".0 prefix");
    VMGPU_RETURN_IF_ERROR(read(context, 10, prefix + 10, 2));
    headerSize = prefix[8] | (uint64_t(prefix[9]) << 8) |
                 (uint64_t(prefix[10]) << 16) | (uint64_t(prefix[11]) << 24);
    prefixSize = 12;
  } else {
    return invalidArgumentError(
        "unsupported .npy format version " + std::to_string(major) + "." +
        std::to_string(minor) + " (1.0, 2.0 and 3.0 are supported)");
  }
  if (headerSize > totalSize - prefixSize)
    return invalidArgumentError(
        "truncated header: the header length says " +
        std::to_string(headerSize) + " bytes but only " +
        std::to_string(totalSize - prefixSize) + " follow the prefix");
  if (headerSize > kMaxHeaderSize)
    return invalidArgumentError("header length " + std::to_string(headerSize) +
                                " exceeds the limit of " +
                                std::to_string(kMaxHeaderSize) + " bytes");
  std::string header(static_cast<size_t>(headerSize), '\0');
  VMGPU_RETURN_IF_ERROR(
      read(context, prefixSize, header.data(), header.size()));
  StatusOr<NpyLayout> layout = interpretHeader(header, prefixSize + headerSize);
  if (!layout.isOk())
    return layout;
  uint64_t available = totalSize - layout->dataOffset;
  std::string typeText;
  if (available != layout->dataBytes) {
    typeText = "tensor<";
    for (int64_t dim : layout->shape)
      typeText += std::to_string(dim) + "x";
    typeText += elementTypeName(layout->type);
    typeText += ">";
  }
  if (available < layout->dataBytes)
    return dataLossError("truncated data: the header declares " + typeText +
                         " (" + std::to_string(layout->dataBytes) +
                         " bytes) but only " + std::to_string(available) +
                         " bytes follow the header");
  if (available > layout->dataBytes)
    return dataLossError(std::to_string(available - layout->dataBytes) +
                         " unexpected bytes after the data of " + typeText +
                         " (" + std::to_string(layout->dataBytes) + " bytes)");
  return layout;
}

/// Makes row-major `tensor` from Fortran-order `source` bytes.
void fortranToRowMajor(const std::byte *source, HostTensor &tensor) {
  const std::vector<int64_t> &shape = tensor.shape();
  size_t rank = shape.size();
  size_t elementSize = elementByteSize(tensor.elementType());
  std::vector<int64_t> fortranStride(rank);
  int64_t stride = 1;
  for (size_t i = 0; i < rank; ++i) {
    fortranStride[i] = stride;
    stride *= shape[i];
  }
  std::vector<int64_t> index(rank, 0);
  int64_t sourceOffset = 0;
  std::byte *dst = tensor.bytes();
  for (int64_t n = 0, e = tensor.numElements(); n < e; ++n) {
    std::memcpy(dst + n * static_cast<int64_t>(elementSize),
                source + sourceOffset * static_cast<int64_t>(elementSize),
                elementSize);
    // Advance the row-major index, last dimension fastest.
    for (size_t d = rank; d-- > 0;) {
      ++index[d];
      sourceOffset += fortranStride[d];
      if (index[d] < shape[d])
        break;
      sourceOffset -= index[d] * fortranStride[d];
      index[d] = 0;
    }
  }
}

StatusOr<HostTensor> readTensor(ReadFn read, void *context,
                                uint64_t totalSize) {
  StatusOr<NpyLayout> layout = readLayout(read, context, totalSize);
  if (!layout.isOk())
    return layout.status();
  StatusOr<HostTensor> tensor =
      HostTensor::createUninitialized(layout->type, layout->shape);
  if (!tensor.isOk())
    return tensor;
  size_t bytes = static_cast<size_t>(layout->dataBytes);
  bool transpose = layout->fortranOrder && layout->shape.size() > 1;
  if (!transpose) {
    VMGPU_RETURN_IF_ERROR(
        read(context, layout->dataOffset, tensor->bytes(), bytes));
  } else {
    StatusOr<HostTensor> staging =
        HostTensor::createUninitialized(layout->type, layout->shape);
    if (!staging.isOk())
      return staging;
    VMGPU_RETURN_IF_ERROR(
        read(context, layout->dataOffset, staging->bytes(), bytes));
    fortranToRowMajor(staging->bytes(), *tensor);
  }
  if (layout->type == ElementType::I1) {
    auto *values = tensor->data<uint8_t>();
    for (size_t i = 0; i < bytes; ++i)
      values[i] = values[i] != 0;
  }
  return tensor;
}

struct MemoryInput {
  const uint8_t *data;
  size_t size;
};

Status readMemory(void *context, uint64_t offset, void *dst, size_t size) {
  auto *input = static_cast<MemoryInput *>(context);
  // readLayout bounds every read by the total size; this guards misuse.
  if (offset > input->size || size > input->size - offset)
    return internalError("read past the end of the input");
  if (size)
    std::memcpy(dst, input->data + offset, size);
  return okStatus();
}

Status readFile(void *context, uint64_t offset, void *dst, size_t size) {
  return static_cast<const RegularFile *>(context)->readAt(offset, dst, size);
}

} // namespace

//===----------------------------------------------------------------------===//
// Reading
//===----------------------------------------------------------------------===//

StatusOr<HostTensor> parseNpy(const void *data, size_t size,
                              std::string_view name) {
  MemoryInput input{static_cast<const uint8_t *>(data), size};
  StatusOr<HostTensor> tensor = readTensor(readMemory, &input, size);
  if (!tensor.isOk())
    return tensor.status().withContext(name);
  return tensor;
}

StatusOr<HostTensor> readNpyFile(const std::string &path) {
  // Only regular files: a FIFO or device has no size to check the header
  // against (and /dev/zero never ends). The bound is the largest valid
  // file; the header then fixes exactly how much of it is read.
  FileReadOptions options;
  options.maxBytes = 12 + kMaxHeaderSize + HostTensor::kMaxSizeInBytes;
  StatusOr<RegularFile> file = RegularFile::open(path, options);
  if (!file.isOk())
    return file.status();
  StatusOr<HostTensor> tensor =
      readTensor(readFile, &*file, file->size());
  if (!tensor.isOk())
    return tensor.status().withContext(path);
  return tensor;
}

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

const char *npyDescrFor(ElementType type) {
  switch (type) {
  case ElementType::I1:
    return "|b1";
  case ElementType::I8:
    return "|i1";
  case ElementType::I16:
    return "<i2";
  case ElementType::I32:
    return "<i4";
  case ElementType::I64:
    return "<i8";
  case ElementType::F16:
    return "<f2";
  case ElementType::BF16:
    return nullptr;
  case ElementType::F32:
    return "<f4";
  case ElementType::F64:
    return "<f8";
  }
  return nullptr;
}

/// The magic, version, length and padded header dict, exactly as numpy's
/// `_write_array_header` produces them for a C-order array.
static StatusOr<std::string> buildHeader(const HostTensor &tensor) {
  const char *descr = npyDescrFor(tensor.elementType());
  if (!descr)
    return unimplementedError(
        std::string("cannot write ") + elementTypeName(tensor.elementType()) +
        " as .npy: NumPy has no " + elementTypeName(tensor.elementType()) +
        " dtype (convert to f32 first)");
  const std::vector<int64_t> &shape = tensor.shape();
  if (shape.size() > kMaxRank)
    return invalidArgumentError(
        "cannot write " + tensor.typeString() + " as .npy: rank " +
        std::to_string(shape.size()) + " exceeds NumPy's limit of " +
        std::to_string(kMaxRank));
  std::string dict = "{'descr': '";
  dict += descr;
  dict += "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i)
      dict += ", ";
    dict += std::to_string(shape[i]);
  }
  if (shape.size() == 1)
    dict += ',';
  dict += "), }";
  if (!shape.empty()) {
    size_t digits = std::to_string(shape[0]).size();
    if (digits < kGrowthAxisMaxDigits)
      dict.append(kGrowthAxisMaxDigits - digits, ' ');
  }
  // With at most 64 dims of at most 20 characters the header stays far
  // below version 1.0's 64 KiB limit.
  constexpr size_t prefixSize = 10;
  size_t withNewline = dict.size() + 1;
  size_t padding = kArrayAlign - (prefixSize + withNewline) % kArrayAlign;
  size_t headerSize = withNewline + padding;
  std::string result(kMagic, kMagicSize);
  result += '\x01';
  result += '\0';
  result += static_cast<char>(headerSize & 0xff);
  result += static_cast<char>((headerSize >> 8) & 0xff);
  result += dict;
  result.append(padding, ' ');
  result += '\n';
  return result;
}

Status checkNpyWritable(const HostTensor &tensor) {
  return buildHeader(tensor).status();
}

StatusOr<std::vector<uint8_t>> serializeNpy(const HostTensor &tensor) {
  StatusOr<std::string> header = buildHeader(tensor);
  if (!header.isOk())
    return header.status();
  std::vector<uint8_t> result;
  result.reserve(header->size() + tensor.sizeInBytes());
  result.insert(result.end(), header->begin(), header->end());
  const auto *data = reinterpret_cast<const uint8_t *>(tensor.bytes());
  result.insert(result.end(), data, data + tensor.sizeInBytes());
  if (tensor.elementType() == ElementType::I1)
    for (size_t i = header->size(); i < result.size(); ++i)
      result[i] = result[i] != 0;
  return result;
}

static Status writeAll(int fd, const void *data, size_t size,
                       const std::string &path) {
  const auto *in = static_cast<const uint8_t *>(data);
  while (size > 0) {
    ssize_t n = ::write(fd, in, size);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return errnoError(errno, path + ": write failed");
    }
    in += n;
    size -= static_cast<size_t>(n);
  }
  return okStatus();
}

static Status writeTensorData(int fd, const HostTensor &tensor,
                              const std::string &path) {
  if (tensor.elementType() != ElementType::I1)
    return writeAll(fd, tensor.bytes(), tensor.sizeInBytes(), path);
  // Booleans are normalized to 0/1 in bounded chunks.
  const auto *values = tensor.data<uint8_t>();
  uint8_t chunk[1 << 14];
  for (size_t done = 0; done < tensor.sizeInBytes();) {
    size_t n = std::min(sizeof(chunk), tensor.sizeInBytes() - done);
    for (size_t i = 0; i < n; ++i)
      chunk[i] = values[done + i] != 0;
    VMGPU_RETURN_IF_ERROR(writeAll(fd, chunk, n, path));
    done += n;
  }
  return okStatus();
}

Status writeNpyFile(const std::string &path, const HostTensor &tensor) {
  StatusOr<std::string> header = buildHeader(tensor);
  if (!header.isOk())
    return header.status().withContext(path);
  static std::atomic<uint64_t> counter{0};
  std::string temp = path + ".tmp." + std::to_string(::getpid()) + "." +
                     std::to_string(counter.fetch_add(1));
  int fd;
  do
    fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  while (fd < 0 && errno == EINTR);
  if (fd < 0)
    return errnoError(errno, path + ": cannot create");
  Status status = writeAll(fd, header->data(), header->size(), path);
  if (status.isOk())
    status = writeTensorData(fd, tensor, path);
  if (::close(fd) != 0 && status.isOk())
    status = errnoError(errno, path + ": close failed");
  if (status.isOk() && ::rename(temp.c_str(), path.c_str()) != 0)
    status = errnoError(errno, path + ": cannot rename the temporary file");
  if (!status.isOk())
    ::unlink(temp.c_str());
  return status;
}

} // namespace vmgpu::runtime
