//===- InputBounds.h - bounds on what the compiler takes in -----*- C++ -*-===//
//
// Nesting depth, op count and the compiler's stack (docs/security.md).
//
// MLIR's parser, printer and verifier recurse once per level of nesting
// (modules in modules, `[[[...]]]` attributes, `d0 + d0 + ...` affine
// expressions, aliases defined through aliases). Untrusted text could nest
// deep enough to run them off the end of the stack. Every vmgpu tool and the
// engine therefore (1) reject text nested deeper than kMaxNestingDepth
// before parsing, and (2) parse and compile on a thread with a stack of
// kCompilerStackBytes, so that the bound holds whatever stack the caller's
// thread has. docs/security.md lists both bounds.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_COMPILER_INPUTBOUNDS_H
#define VMGPU_COMPILER_INPUTBOUNDS_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace llvm {
class SourceMgr;
class raw_ostream;
} // namespace llvm

namespace vmgpu {

/// The deepest nesting the tools accept, counted as findExcessiveNesting
/// says.
inline constexpr unsigned kMaxNestingDepth = 1000;

/// The stack of the threads that parse and compile untrusted IR (256 MiB,
/// reserved, touched only as deep as the compiler goes).
inline constexpr unsigned kCompilerStackBytes = 256u << 20;

/// Where MLIR text nests too deeply, and why.
struct NestingViolation {
  /// Byte offset into the text.
  size_t offset;
  std::string message;
};

/// Scans MLIR text without parsing it and finds the first place where the
/// nesting depth exceeds `maxDepth`. The depth at a point is the number of
/// open brackets (`(`, `[`, `{`, `<`), plus the operators (`+`, `-`, `*`,
/// `floordiv`, `ceildiv`, `mod`) of the expression being read at each open
/// level (a `,`, `=` or `:` ends an expression), plus, where an alias
/// (`#name`, `!name`) is used, the depth of its definition. Strings and
/// comments do not count. With a `splitMarker` (vm-gpu-opt's
/// --split-input-file), each line starting with it begins a new file.
/// MLIR bytecode is not text: the caller must reject it (isBytecode).
std::optional<NestingViolation>
findExcessiveNesting(llvm::StringRef text, unsigned maxDepth = kMaxNestingDepth,
                     llvm::StringRef splitMarker = {});

/// Whether `buffer` holds MLIR bytecode rather than text.
bool isBytecode(llvm::StringRef buffer);

/// Checks the main buffer of `sourceMgr` as findExcessiveNesting does and
/// rejects bytecode; reports an error located in the buffer through
/// `sourceMgr` (to its own stream, llvm::errs() by default, or to `os`).
/// Returns false when the text must not be parsed.
bool checkInputNesting(const llvm::SourceMgr &sourceMgr,
                       llvm::raw_ostream &os,
                       llvm::StringRef splitMarker = {});

/// The most ops a module may hold (every op counts: functions, constants,
/// returns). Compile time grows with it (linearly, once fusion is bounded:
/// vm-fuse-elementwise); docs/security.md says how it was chosen.
inline constexpr uint64_t kMaxModuleOps = 100000;
/// The most arguments and results one function may have: LLVM's code
/// generation of the entry point grows faster than linearly with them
/// (1,024 arguments: 10 s, 4,096: 280 s; 500 results: 23 s).
inline constexpr unsigned kMaxFunctionArguments = 256;
inline constexpr unsigned kMaxFunctionResults = 128;

/// Checks that `module` holds at most kMaxModuleOps ops (counting stops at
/// the bound) and that each function has at most kMaxFunctionArguments
/// arguments and kMaxFunctionResults results; reports a located error for
/// each bound exceeded.
mlir::LogicalResult checkCompileBounds(mlir::ModuleOp module);

/// Runs `work` to completion on a new thread whose stack has
/// kCompilerStackBytes, and returns when it is done. Falls back to the
/// calling thread where threads are unavailable.
void runOnCompilerStack(llvm::function_ref<void()> work);

} // namespace vmgpu

#endif // VMGPU_COMPILER_INPUTBOUNDS_H
