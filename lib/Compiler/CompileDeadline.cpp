//===- CompileDeadline.cpp - stop a compile's passes at a deadline --------===//

#include "vmgpu/Compiler/CompileDeadline.h"

#include "mlir/Pass/Pass.h"

namespace vmgpu {

ScopedCompileDeadline::ScopedCompileDeadline(
    mlir::MLIRContext *context,
    std::optional<CompileClock::time_point> deadline)
    : context(context), deadline(deadline) {
  if (!deadline)
    return;
  // Skipping a pass leaves the IR as the previous pass left it; the caller
  // discards that IR (expired() is true), so no later step sees it.
  context->registerActionHandler(
      [this](llvm::function_ref<void()> transform,
             const mlir::tracing::Action &action) {
        if (llvm::isa<mlir::PassExecutionAction>(action) &&
            (skipped.load(std::memory_order_relaxed) ||
             CompileClock::now() >= *this->deadline)) {
          skipped.store(true, std::memory_order_relaxed);
          return;
        }
        transform();
      });
}

ScopedCompileDeadline::~ScopedCompileDeadline() {
  if (deadline)
    context->registerActionHandler(nullptr);
}

bool ScopedCompileDeadline::expired() const {
  return skipped.load(std::memory_order_relaxed) ||
         (deadline && CompileClock::now() >= *deadline);
}

} // namespace vmgpu
