//===- AlignWorkgroupMemory.cpp - 16-byte aligned shared-memory buffers ---===//
//
// The strategies read and write shared memory with 16-byte vector accesses
// (ld.shared.v4 / ds_read_b128) at offsets that are multiples of 16 from a
// workgroup buffer's start. Without an alignment the buffer becomes a
// global aligned to its element type only (`.shared .align 4`), so each
// kernel's workgroup attributions get `llvm.align = 16`, which the GPU to
// LLVM lowering puts on the global.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Codegen/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace vmgpu {
#define GEN_PASS_DEF_GPUALIGNWORKGROUPMEMORY
#include "vmgpu/Codegen/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;

namespace {

/// The widest vector access of the strategies, in bytes.
constexpr int64_t kWorkgroupAlignment = 16;

struct GpuAlignWorkgroupMemoryPass
    : vmgpu::impl::GpuAlignWorkgroupMemoryBase<GpuAlignWorkgroupMemoryPass> {
  void runOnOperation() override {
    Builder b(&getContext());
    StringAttr name = b.getStringAttr(LLVM::LLVMDialect::getAlignAttrName());
    getOperation()->walk([&](gpu::GPUFuncOp func) {
      for (unsigned i = 0, e = func.getNumWorkgroupAttributions(); i < e; ++i)
        if (!func.getWorkgroupAttributionAttr(i, name))
          func.setWorkgroupAttributionAttr(
              i, name, b.getI64IntegerAttr(kWorkgroupAlignment));
    });
  }
};

} // namespace
