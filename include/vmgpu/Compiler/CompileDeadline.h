//===- CompileDeadline.h - stop a compile's passes at a deadline -*- C++ -*-===//
//
// A compile is a pipeline of passes over one module, then LLVM's code
// generation and the link: the deadline is checked before each pass, so a
// compile stops at most one pass after it (issue 13, M4: a block too large
// to compile in time must become an error, not a stalled JIT). Code
// generation, once reached, runs to the end and its result is used.
// docs/security.md lists the bound.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_COMPILER_COMPILEDEADLINE_H
#define VMGPU_COMPILER_COMPILEDEADLINE_H

#include "mlir/IR/MLIRContext.h"

#include <atomic>
#include <chrono>
#include <optional>

namespace vmgpu {

using CompileClock = std::chrono::steady_clock;

/// Default of EngineOptions::compileDeadlineMs and of vm-gpu-compile's
/// --compile-deadline-ms: far above any real block (the op budget's
/// 100,000 ops compile in about 75 s on two cores), low enough that a JIT
/// thread is not held for ever.
inline constexpr uint64_t kDefaultCompileDeadlineMs = 300000;

/// While alive, every pass that `context` would run after `deadline` is
/// skipped (the pass manager then finishes at once), and expired() turns
/// true. Without a deadline it does nothing. One per context at a time: it
/// owns the context's action handler (the engine compiles one block at a
/// time per context, the tools one block per process).
class ScopedCompileDeadline {
public:
  ScopedCompileDeadline(mlir::MLIRContext *context,
                        std::optional<CompileClock::time_point> deadline);
  ~ScopedCompileDeadline();
  ScopedCompileDeadline(const ScopedCompileDeadline &) = delete;
  ScopedCompileDeadline &operator=(const ScopedCompileDeadline &) = delete;

  /// True once a pass was skipped or the deadline has passed.
  bool expired() const;

private:
  mlir::MLIRContext *context;
  std::optional<CompileClock::time_point> deadline;
  std::atomic<bool> skipped{false};
};

} // namespace vmgpu

#endif // VMGPU_COMPILER_COMPILEDEADLINE_H
