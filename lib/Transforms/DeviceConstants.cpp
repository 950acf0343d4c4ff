//===- DeviceConstants.cpp - constants read through a cached device copy --===//
//
// Each host-side `memref.get_global` becomes
//   %host  = memref.get_global @g                  (the host binary's data)
//   %bytes = llvm.mlir.constant(<size of @g>)
//   %ptr   = call @vmgpuDeviceConstant(%host's address, %bytes)
//   %dev   = <a descriptor of @g's type over %ptr>  (unrealized cast)
// and every use of the global reads %dev. The runtime keeps one device copy
// per (loaded executable, global), uploaded on first use: a block run
// copies no constant. The descriptor is built from LLVM dialect values
// because memref has no op that makes a buffer from a pointer; the host
// pipeline's conversion to LLVM folds the cast away.
//
//===----------------------------------------------------------------------===//

#include "vmgpu/Transforms/Passes.h"

#include "mlir/Conversion/LLVMCommon/MemRefBuilder.h"
#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Interfaces/DataLayoutInterfaces.h"

namespace vmgpu {
#define GEN_PASS_DEF_DEVICECONSTANTS
#include "vmgpu/Transforms/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;

namespace {

struct DeviceConstantsPass
    : vmgpu::impl::DeviceConstantsBase<DeviceConstantsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<memref::GetGlobalOp> globals;
    for (auto function : module.getOps<func::FuncOp>()) {
      // The memory bound only computes sizes; it runs outside block runs.
      if (function.getName().starts_with(vmgpu::kMemoryBoundPrefix))
        continue;
      function.walk([&](memref::GetGlobalOp op) { globals.push_back(op); });
    }
    if (globals.empty())
      return;
    FailureOr<func::FuncOp> callee = declareRuntimeFunction(module);
    if (failed(callee))
      return signalPassFailure();
    LLVMTypeConverter converter(&getContext());
    DataLayout layout = DataLayout::closest(module);
    for (memref::GetGlobalOp global : globals)
      if (failed(useDeviceCopy(global, *callee, converter, layout)))
        return signalPassFailure();
  }

  /// `void *vmgpuDeviceConstant(const void *host, int64_t bytes)`.
  FailureOr<func::FuncOp> declareRuntimeFunction(ModuleOp module) {
    MLIRContext *context = &getContext();
    auto pointer = LLVM::LLVMPointerType::get(context);
    auto type = FunctionType::get(
        context, {pointer, IntegerType::get(context, 64)}, {pointer});
    if (Operation *existing =
            module.lookupSymbol(vmgpu::kDeviceConstantFunction)) {
      auto function = dyn_cast<func::FuncOp>(existing);
      if (!function || function.getFunctionType() != type ||
          !function.isExternal())
        return existing->emitError()
               << "the symbol '" << vmgpu::kDeviceConstantFunction
               << "' is reserved for the runtime's device constants";
      return function;
    }
    OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
    auto function = func::FuncOp::create(
        builder, module.getLoc(), vmgpu::kDeviceConstantFunction, type);
    function.setPrivate();
    return function;
  }

  LogicalResult useDeviceCopy(memref::GetGlobalOp global, func::FuncOp callee,
                              const LLVMTypeConverter &converter,
                              const DataLayout &layout) {
    MemRefType type = global.getType();
    if (!type.hasStaticShape() || !type.getLayout().isIdentity())
      return global.emitError("a device constant needs a static shape and "
                              "the identity layout");
    uint64_t elementBytes =
        layout.getTypeSize(type.getElementType()).getFixedValue();
    uint64_t bytes = elementBytes * static_cast<uint64_t>(type.getNumElements());
    Location loc = global.getLoc();
    OpBuilder b(global->getContext());
    b.setInsertionPointAfter(global);
    auto pointerType = LLVM::LLVMPointerType::get(b.getContext());
    Value address =
        memref::ExtractAlignedPointerAsIndexOp::create(b, loc, global);
    Value address64 =
        arith::IndexCastUIOp::create(b, loc, b.getI64Type(), address);
    Value host = LLVM::IntToPtrOp::create(b, loc, pointerType, address64);
    Value size = LLVM::ConstantOp::create(b, loc, b.getI64Type(),
                                          static_cast<int64_t>(bytes));
    Value device =
        func::CallOp::create(b, loc, callee, ValueRange{host, size})
            .getResult(0);
    Value descriptor =
        MemRefDescriptor::fromStaticShape(b, loc, converter, type, device);
    Value copy =
        UnrealizedConversionCastOp::create(b, loc, type, descriptor)
            .getResult(0);
    // Every use but the address read above.
    global.getResult().replaceAllUsesExcept(copy,
                                            address.getDefiningOp());
    return success();
  }
};

} // namespace
