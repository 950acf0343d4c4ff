//===- SelectLoweringConfig.cpp - attach a lowering config to each op -----===//

#include "vmgpu/Codegen/Passes.h"

#include "vmgpu/Codegen/KernelConfig.h"
#include "vmgpu/Codegen/LibraryGemm.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"

namespace vmgpu {
#define GEN_PASS_DEF_GPUSELECTLOWERINGCONFIG
#include "vmgpu/Codegen/Passes.h.inc"
} // namespace vmgpu

using namespace mlir;
using namespace vmgpu;

namespace {

struct GpuSelectLoweringConfigPass
    : vmgpu::impl::GpuSelectLoweringConfigBase<GpuSelectLoweringConfigPass> {
  using Base::Base;

  void runOnOperation() override {
    std::optional<GpuTargetDescription> target = lookupGpuTarget(chip);
    if (!target) {
      getOperation().emitError()
          << "vm-gpu-select-lowering-config: unknown chip '" << chip << "'";
      return signalPassFailure();
    }
    // tensor-cores=false keeps f16/bf16/i8 contractions on tiled_simt
    // (docs/gpu-path.md, "Tensor cores").
    if (!tensorCores)
      target->hasMmaSync = false;
    std::optional<ContractionStrategy> contractions =
        symbolizeContractionStrategy(contractionStrategy);
    if (!contractions) {
      getOperation().emitError()
          << "vm-gpu-select-lowering-config: unknown contraction strategy '"
          << contractionStrategy << "' (expected generated, library or auto)";
      return signalPassFailure();
    }
    WalkResult walk = getOperation().walk([&](linalg::LinalgOp op) {
      if (op->getParentOfType<gpu::LaunchOp>())
        return WalkResult::advance();
      FailureOr<std::optional<LoweringConfig>> existing =
          getLoweringConfig(op);
      if (failed(existing))
        return WalkResult::interrupt();
      if (*existing)
        return WalkResult::advance();
      OpClass opClass = classifyOp(op);
      LoweringConfig config = chooseLoweringConfig(op, opClass, *target);
      if (opClass == OpClass::Contraction &&
          prefersLibraryGemm(op, *contractions, *target))
        config.strategy = Strategy::Library;
      setLoweringConfig(op, config);
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();
    // linalg.softmax is no LinalgOp: it has a class of its own.
    walk = getOperation().walk([&](linalg::SoftmaxOp op) {
      FailureOr<std::optional<LoweringConfig>> existing =
          getLoweringConfig(op);
      if (failed(existing))
        return WalkResult::interrupt();
      if (!*existing)
        setLoweringConfig(
            op, chooseSoftmaxConfig(*target,
                                    getElementTypeOrSelf(op.getInput())));
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace
