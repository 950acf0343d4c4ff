// A host program in C++ that uses vmgpu's C++ API (vmgpu::compiler):
// vmgpu::Engine compiles one block of vm IR and runs it on HostTensors; the
// program checks every element against values it computes itself and
// prints the metrics. Prints PASSED (exit 0) or FAILED (exit 1).

#include "vmgpu/Engine/Engine.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <iostream>
#include <vector>

using vmgpu::runtime::ElementType;
using vmgpu::runtime::HostTensor;

static const char kIR[] = R"(
func.func @sum_rows(%m: tensor<?x?xi64>) -> tensor<?xi64> {
  %s = vm.reduce %m {kind = "sum", dims = array<i64: 1>} : tensor<?x?xi64> -> tensor<?xi64>
  return %s : tensor<?xi64>
}
)";

static int fail(const std::string &what, const vmgpu::runtime::Status &status) {
  std::cerr << what << ": " << status.toString() << "\n";
  std::cout << "FAILED\n";
  return 1;
}

int main() {
  vmgpu::EngineOptions options;
  options.device = vmgpu::DeviceSelection{vmgpu::DeviceSelection::Kind::Cpu, 0};
  vmgpu::Engine engine(std::move(options));

  std::string diagnostics;
  llvm::raw_string_ostream diagnosticStream(diagnostics);
  auto block = engine.compile(llvm::MemoryBuffer::getMemBufferCopy(kIR, "<ir>"),
                              "sum_rows", diagnosticStream);
  if (!block.isOk())
    return fail("compile:\n" + diagnostics, block.status());

  const int64_t rows = 37, cols = 129;
  std::vector<int64_t> values(rows * cols);
  for (int64_t i = 0; i < rows * cols; ++i)
    values[i] = (i * 7919) % 1000003 - 500000;
  auto input = HostTensor::fromVector(ElementType::I64, {rows, cols}, values);
  if (!input.isOk())
    return fail("input", input.status());

  auto results = engine.run(*block.value(), {&input.value()});
  if (!results.isOk())
    return fail("run", results.status());

  const int64_t *sums = results.value().at(0).data<int64_t>();
  int mismatches = 0;
  for (int64_t r = 0; r < rows; ++r) {
    int64_t expected = 0;
    for (int64_t c = 0; c < cols; ++c)
      expected += values[r * cols + c];
    mismatches += sums[r] != expected;
  }
  std::cout << "sum_rows: " << rows << "x" << cols << ", " << mismatches
            << " mismatches\n";
  std::cout << "metrics: " << engine.metrics().toJson() << "\n";
  std::cout << (mismatches ? "FAILED" : "PASSED") << "\n";
  return mismatches ? 1 : 0;
}
