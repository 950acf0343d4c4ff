//===- FuzzCApi.cpp - libFuzzer target: the C API entry points ------------===//
//
// The input is a script of C API calls made as a correct caller makes them
// (buffers as large as the sizes it passes, output arrays with room for the
// counts it passes) but with any values: element type names, tensor types,
// shapes and sizes, engine options (struct sizes, device names, levels,
// contraction strategies), runs of a compiled block with any inputs and
// counts, and DLPack imports of any dtype, shape, strides and device. Every call must succeed or fail with
// a status and a message, and leave nothing half done (a DLPack deleter runs
// exactly once).
//
//===----------------------------------------------------------------------===//

#include "FuzzCheck.h"
#include "FuzzInput.h"
#include "vmgpu/vmgpu.h"

#include "DLPackAbi.h"


#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

/// Two dynamic-shape inputs, two results, and a shape check (a == b).
constexpr const char kProgram[] = R"mlir(
func.func @main(%a: tensor<?xi32>, %b: tensor<?xi32>)
    -> (tensor<?xi32>, tensor<?xi32>) {
  %0 = vm.mul %a, %b : tensor<?xi32>
  %1 = vm.sub %a, %b : tensor<?xi32>
  return %0, %1 : tensor<?xi32>, tensor<?xi32>
}
)mlir";

struct Session {
  vmgpu_engine_t *engine = nullptr;
  vmgpu_block_t *block = nullptr;
};

/// One CPU engine and block for the whole run: compiling per input would
/// spend the fuzzer's time in LLVM's code generation.
Session &session() {
  static Session *compiled = [] {
    // Nothing from or into the user's disk cache: each run compiles afresh.
    ::setenv("VMGPU_DISK_CACHE", "0", 1);
    auto *result = new Session();
    vmgpu_engine_options_t options;
    vmgpu_engine_options_init(&options);
    options.device = "cpu";
    options.opt_level = 0;
    options.parallel = 0;
    vmgpu_error_t *error = nullptr;
    VMGPU_FUZZ_CHECK(vmgpu_engine_create(&options, &result->engine, &error) ==
                         VMGPU_STATUS_OK,
                     "the CPU engine starts");
    VMGPU_FUZZ_CHECK(vmgpu_engine_compile(result->engine, kProgram,
                                          sizeof(kProgram) - 1, "main",
                                          &result->block,
                                          &error) == VMGPU_STATUS_OK,
                     "the block compiles");
    return result;
  }();
  return *compiled;
}

/// A failed call returns an error with a code and a message, and sets no
/// output; a successful one returns no error.
void checkOutcome(vmgpu_status_t status, vmgpu_error_t *error) {
  if (status == VMGPU_STATUS_OK) {
    VMGPU_FUZZ_CHECK(error == nullptr, "success leaves no error");
    return;
  }
  VMGPU_FUZZ_CHECK(error != nullptr, "a failure returns an error");
  VMGPU_FUZZ_CHECK(vmgpu_error_get_status(error) == status,
                   "the error has the returned code");
  VMGPU_FUZZ_CHECK(vmgpu_error_get_message(error)[0] != '\0',
                   "the error has a message");
  vmgpu_error_destroy(error);
}

std::vector<int64_t> consumeShape(FuzzInput &input, size_t rank) {
  std::vector<int64_t> shape(rank);
  for (int64_t &dim : shape)
    dim = input.flag() ? input.inRange<int64_t>(0, 8)
                              : input.integral<int64_t>();
  return shape;
}

/// Product of `shape` times `elementSize`, or -1 for a negative dimension or
/// on overflow (a zero dimension makes it 0 whatever the others are).
int64_t byteSize(const std::vector<int64_t> &shape, int64_t elementSize) {
  int64_t total = elementSize;
  bool zero = false, overflow = false;
  for (int64_t dim : shape) {
    if (dim < 0)
      return -1;
    zero |= dim == 0;
    overflow |= __builtin_mul_overflow(total, dim, &total);
  }
  if (zero)
    return 0;
  return overflow ? -1 : total;
}

vmgpu_tensor_t *createTensor(FuzzInput &input) {
  auto type = input.inRange<vmgpu_element_type_t>(-2, 10);
  size_t rank = input.inRange<size_t>(0, VMGPU_MAX_RANK + 2);
  std::vector<int64_t> shape = consumeShape(input, rank);
  bool nullShape = rank > 0 && input.oneIn(20);
  std::vector<uint8_t> data;
  const void *dataPointer = nullptr;
  int64_t bytes = byteSize(shape, vmgpu_element_type_get_size(type));
  if (input.flag() && bytes >= 0 && bytes <= 4096) {
    // Usually the size the shape needs, sometimes one off.
    size_t size = static_cast<size_t>(bytes);
    switch (input.inRange<int>(0, 3)) {
    case 0:
      size += 1;
      break;
    case 1:
      size = size ? size - 1 : 0;
      break;
    default:
      break;
    }
    data = input.bytes(size);
    data.resize(size);
    dataPointer = data.data();
  }
  // A valid shape of gigabytes would be allocated and zero-filled, as it
  // should: more memory than a fuzzing process is given. Shapes past the
  // 1 TiB bound or overflowing are still tried (they must fail at once).
  if (bytes > (int64_t(64) << 20) && bytes <= (int64_t(1) << 40))
    return nullptr;
  vmgpu_tensor_t *tensor = nullptr;
  vmgpu_error_t *error = nullptr;
  vmgpu_status_t status = vmgpu_tensor_create(
      type, nullShape ? nullptr : shape.data(), rank, dataPointer, data.size(),
      &tensor, &error);
  checkOutcome(status, error);
  if (status != VMGPU_STATUS_OK) {
    VMGPU_FUZZ_CHECK(tensor == nullptr, "a failed create returns no tensor");
    return nullptr;
  }
  VMGPU_FUZZ_CHECK(vmgpu_tensor_get_rank(tensor) == rank, "rank kept");
  VMGPU_FUZZ_CHECK(vmgpu_tensor_get_byte_size(tensor) ==
                       static_cast<size_t>(bytes),
                   "byte size is elements times element size");
  return tensor;
}

void parseElementType(FuzzInput &input) {
  std::string name = input.string(16);
  vmgpu_element_type_t type = VMGPU_ELEMENT_TYPE_INVALID;
  vmgpu_error_t *error = nullptr;
  vmgpu_status_t status =
      vmgpu_element_type_parse(name.c_str(), &type, &error);
  checkOutcome(status, error);
  if (status == VMGPU_STATUS_OK)
    // The C string ends at the first NUL the fuzzed bytes hold.
    VMGPU_FUZZ_CHECK(std::strcmp(name.c_str(),
                                 vmgpu_element_type_get_name(type)) == 0,
                     "a parsed type prints as its name");
}

/// One of `known`, or a fuzzed string of up to 12 bytes.
template <size_t N>
std::string pickName(FuzzInput &input, const char *const (&known)[N]) {
  return input.flag() ? known[input.inRange<size_t>(0, N - 1)]
                      : input.string(12);
}

void createEngine(FuzzInput &input) {
  // A struct as large as any size the call may be given (at most 4096).
  alignas(8) unsigned char storage[4096 + 16] = {};
  auto *options = reinterpret_cast<vmgpu_engine_options_t *>(storage);
  vmgpu_engine_options_init(options);
  static const char *const kDevices[] = {"cpu", "auto", "cuda", "cuda:7",
                                         "rocm:1", "gpu", "cuda:-1", ""};
  std::string device = pickName(input, kDevices);
  options->device = input.oneIn(10)
                        ? nullptr
                        : device.c_str();
  static const char *const kStrategies[] = {"generated", "library", "auto",
                                            "blas", ""};
  std::string strategy = pickName(input, kStrategies);
  options->contraction_strategy = input.oneIn(3) ? nullptr : strategy.c_str();
  options->opt_level = input.inRange<int32_t>(-2, 5);
  options->parallel = input.integral<int32_t>();
  options->allow_fallback = input.integral<int32_t>();
  if (input.flag()) {
    options->struct_size = input.inRange<size_t>(0, 4096);
    // Bytes past the fields this header knows, possibly nonzero.
    size_t known = sizeof(vmgpu_engine_options_t);
    if (options->struct_size > known) {
      std::vector<uint8_t> tail =
          input.bytes(options->struct_size - known);
      if (!tail.empty())
        std::memcpy(storage + known, tail.data(), tail.size());
    }
  }
  vmgpu_engine_t *engine = nullptr;
  vmgpu_error_t *error = nullptr;
  vmgpu_status_t status = vmgpu_engine_create(options, &engine, &error);
  checkOutcome(status, error);
  VMGPU_FUZZ_CHECK((status == VMGPU_STATUS_OK) == (engine != nullptr),
                   "an engine exactly on success");
  vmgpu_engine_destroy(engine);
}

void runBlock(FuzzInput &input) {
  Session &compiled = session();
  size_t numInputs = input.inRange<size_t>(0, 3);
  std::vector<vmgpu_tensor_t *> inputs;
  for (size_t i = 0; i < numInputs; ++i)
    inputs.push_back(createTensor(input));
  size_t numOutputs = input.inRange<size_t>(0, 3);
  vmgpu_tensor_t *outputs[3] = {};
  vmgpu_error_t *error = nullptr;
  // A NULL slot in `inputs` stands for a failed create: passed as is.
  vmgpu_status_t status = vmgpu_engine_run(
      compiled.engine, compiled.block, inputs.data(), inputs.size(), outputs,
      numOutputs, &error);
  checkOutcome(status, error);
  for (size_t i = 0; i < numOutputs; ++i) {
    VMGPU_FUZZ_CHECK((status == VMGPU_STATUS_OK) == (outputs[i] != nullptr),
                     "outputs are set exactly on success");
    vmgpu_tensor_destroy(outputs[i]);
  }
  for (vmgpu_tensor_t *tensor : inputs)
    vmgpu_tensor_destroy(tensor);
}

struct ManagedTensor {
  DLManagedTensor managed{};
  std::vector<int64_t> shape;
  std::vector<int64_t> strides;
  std::vector<unsigned char> storage;
  int deleted = 0;
};

void deleteManaged(DLManagedTensor *managed) {
  ++static_cast<ManagedTensor *>(managed->manager_ctx)->deleted;
}

void importDLPack(FuzzInput &input) {
  static const uint8_t kBits[] = {1, 8, 16, 32, 64};
  ManagedTensor owner;
  DLTensor &tensor = owner.managed.dl_tensor;
  owner.managed.manager_ctx = &owner;
  owner.managed.deleter =
      input.oneIn(20) ? nullptr : deleteManaged;
  int ndim = input.inRange<int>(-1, VMGPU_MAX_RANK + 2);
  owner.shape = consumeShape(input, ndim > 0 ? ndim : 0);
  tensor.ndim = ndim;
  tensor.shape = owner.shape.data();
  if (input.flag()) {
    // Row-major strides, sometimes changed.
    owner.strides.resize(owner.shape.size());
    int64_t stride = 1;
    for (size_t i = owner.shape.size(); i-- > 0;) {
      owner.strides[i] = stride;
      if (owner.shape[i] > 0 && owner.shape[i] < (int64_t(1) << 20) &&
          __builtin_mul_overflow(stride, owner.shape[i], &stride))
        stride = 1;
    }
    if (!owner.strides.empty() && input.flag())
      owner.strides[input.inRange<size_t>(
          0, owner.strides.size() - 1)] = input.integral<int64_t>();
    tensor.strides = owner.strides.data();
  }
  tensor.dtype.code = input.inRange<uint8_t>(0, 5);
  tensor.dtype.bits = input.flag()
                          ? kBits[input.inRange<size_t>(0, 4)]
                          : input.integral<uint8_t>();
  tensor.dtype.lanes = input.flag() ? 1 : input.integral<uint16_t>();
  // Any 32-bit device type, as a producer on a newer DLPack may send (the
  // enum of the 0.6 header does not list them all: stored as the integer).
  int32_t deviceType = input.flag() ? int32_t(kDLCPU)
                                    : input.inRange<int32_t>(0, 20);
  std::memcpy(&tensor.device.device_type, &deviceType, sizeof(deviceType));
  tensor.device.device_id = input.inRange<int>(-1, 2);
  tensor.byte_offset = input.flag() ? 0 : input.integral<uint8_t>();
  // Host data as large as the tensor claims (the caller's side of the
  // contract), offset to be aligned or not; a claim above 64 KiB gets no
  // buffer and is imported only when it cannot be read (not a host device).
  int64_t bytes = byteSize(owner.shape, std::max<int64_t>(
                                            1, (tensor.dtype.bits + 7) / 8));
  if (bytes > 0 && __builtin_mul_overflow(
                       bytes, std::max<int64_t>(1, tensor.dtype.lanes), &bytes))
    bytes = -1;
  bool hostDevice = deviceType == kDLCPU || deviceType == kDLCUDAHost ||
                    deviceType == kDLROCMHost || deviceType == kDLCUDAManaged;
  if (bytes >= 0 && bytes <= 65536) {
    size_t misalign = input.inRange<size_t>(0, 2);
    owner.storage.resize(static_cast<size_t>(bytes) + tensor.byte_offset +
                         64 + misalign);
    auto address = reinterpret_cast<uintptr_t>(owner.storage.data());
    tensor.data = owner.storage.data() + ((64 - address % 64) % 64) + misalign;
  } else if (hostDevice) {
    return;
  } else {
    tensor.data = reinterpret_cast<void *>(uintptr_t(1) << 40);
  }
  if (input.oneIn(50))
    tensor.data = nullptr;
  auto type = input.inRange<vmgpu_element_type_t>(-2, 9);
  vmgpu_tensor_t *imported = nullptr;
  vmgpu_error_t *error = nullptr;
  bool passed = !input.oneIn(50);
  vmgpu_status_t status = vmgpu_tensor_import_dlpack(
      passed ? &owner.managed : nullptr, type, &imported, &error);
  checkOutcome(status, error);
  if (status == VMGPU_STATUS_OK) {
    VMGPU_FUZZ_CHECK(imported != nullptr, "an import returns a tensor");
    vmgpu_tensor_destroy(imported);
  } else {
    VMGPU_FUZZ_CHECK(imported == nullptr, "a failed import returns none");
  }
  VMGPU_FUZZ_CHECK(owner.deleted == (passed && owner.managed.deleter ? 1 : 0),
                   "the deleter runs exactly once");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FuzzInput input(data, size);
  // Up to eight calls per input.
  for (int call = 0; call < 8 && input.remaining() > 0; ++call) {
    switch (input.inRange<int>(0, 4)) {
    case 0:
      parseElementType(input);
      break;
    case 1:
      vmgpu_tensor_destroy(createTensor(input));
      break;
    case 2:
      createEngine(input);
      break;
    case 3:
      runBlock(input);
      break;
    case 4:
      importDLPack(input);
      break;
    }
  }
  return 0;
}
