//===- InputBounds.cpp - nesting pre-scan, compile bounds, compiler stack -===//

#include "vmgpu/Compiler/InputBounds.h"

#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/thread.h"

using namespace llvm;

namespace vmgpu {

namespace {

bool isIdentifierChar(char c) {
  return isAlnum(c) || c == '_' || c == '$' || c == '.';
}

/// A lexer just detailed enough to follow nesting: it knows strings,
/// comments, brackets, `->`, operators, identifiers and alias names, and
/// skips everything else one character at a time. It never fails: text it
/// misreads is text the parser rejects.
class NestingScanner {
public:
  NestingScanner(StringRef text, unsigned maxDepth, StringRef splitMarker)
      : text(text), maxDepth(maxDepth), splitMarker(splitMarker) {
    reset();
  }

  std::optional<NestingViolation> run() {
    while (pos < text.size() && !violation)
      step();
    return violation;
  }

private:
  void reset() {
    runs.assign(1, 0);
    runTotal = 0;
    aliases.clear();
    defining.reset();
  }

  char peek(size_t ahead = 0) const {
    return pos + ahead < text.size() ? text[pos + ahead] : '\0';
  }

  /// Records that the text reaches `depth` at the current position.
  void observe(uint64_t depth) {
    if (defining)
      definingDepth = std::max(definingDepth, depth);
    if (depth > maxDepth && !violation)
      violation = NestingViolation{
          pos, "the input nests deeper than " + std::to_string(maxDepth) +
                   " levels (brackets, operators of one expression and "
                   "alias references count); vmgpu rejects it before "
                   "parsing, which would run out of stack"};
  }

  uint64_t depth() const { return runs.size() - 1 + runTotal; }

  void open() {
    runs.push_back(0);
    observe(depth());
  }

  void close() {
    if (runs.size() == 1)
      return;
    runTotal -= runs.back();
    runs.pop_back();
  }

  void endExpression() {
    runTotal -= runs.back();
    runs.back() = 0;
  }

  void addOperator() {
    ++runs.back();
    ++runTotal;
    observe(depth());
  }

  /// Ends the alias definition being read, if any, fixing its depth.
  void finishDefinition() {
    if (defining)
      aliases[*defining] = definingDepth;
    defining.reset();
  }

  void skipString() {
    for (++pos; pos < text.size(); ++pos) {
      if (text[pos] == '\\')
        ++pos;
      else if (text[pos] == '"')
        break;
    }
    ++pos;
  }

  /// `#name` or `!name`: an alias definition at the top level when `=`
  /// follows, else a use (names with a `.` are dialect attributes and
  /// types, never aliases).
  void aliasName() {
    size_t start = pos++;
    while (pos < text.size() && (isIdentifierChar(text[pos]) || text[pos] == '-'))
      ++pos;
    StringRef name = text.slice(start, pos);
    if (name.size() == 1 || name.contains('.'))
      return;
    size_t next = pos;
    while (next < text.size() && isSpace(text[next]))
      ++next;
    bool definition = runs.size() == 1 && next < text.size() &&
                      text[next] == '=' &&
                      (next + 1 >= text.size() || text[next + 1] != '=');
    if (definition) {
      finishDefinition();
      defining = name.str();
      definingDepth = 0;
      return;
    }
    if (defining && *defining == name)
      finishDefinition();
    auto known = aliases.find(name);
    if (known != aliases.end())
      observe(depth() + known->second);
  }

  void step() {
    char c = peek();
    if (isSpace(c)) {
      ++pos;
      return;
    }
    if (c == '/' && peek(1) == '/') {
      if (!splitMarker.empty() && text.substr(pos).starts_with(splitMarker) &&
          (pos == 0 || text[pos - 1] == '\n')) {
        finishDefinition();
        reset();
      }
      size_t end = text.find('\n', pos);
      pos = end == StringRef::npos ? text.size() : end + 1;
      return;
    }
    if (c == '"')
      return skipString();
    if (c == '{' && peek(1) == '-' && peek(2) == '#') {
      pos += 3;
      return open();
    }
    if (c == '#' && peek(1) == '-' && peek(2) == '}') {
      pos += 3;
      return close();
    }
    if (c == '-' && peek(1) == '>') {
      pos += 2;
      return;
    }
    if (c == '>' && peek(1) == '=') {
      pos += 2;
      return addOperator();
    }
    if (c == '#' || c == '!')
      return aliasName();
    if (isDigit(c)) {
      // Numbers, shapes (4x?xf32) and exponents (1.0e-5) are one token.
      for (++pos; pos < text.size(); ++pos) {
        char d = text[pos];
        bool exponentSign = (d == '-' || d == '+') &&
                            (text[pos - 1] == 'e' || text[pos - 1] == 'E') &&
                            isDigit(peek(1));
        if (!isIdentifierChar(d) && !exponentSign)
          break;
      }
      return;
    }
    if (isAlpha(c) || c == '_') {
      size_t start = pos;
      while (pos < text.size() && isIdentifierChar(text[pos]))
        ++pos;
      if (llvm::is_contained({"floordiv", "ceildiv", "mod"},
                             text.slice(start, pos)))
        addOperator();
      return;
    }
    ++pos;
    switch (c) {
    case '(':
    case '[':
    case '{':
    case '<':
      return open();
    case ')':
    case ']':
    case '}':
    case '>':
      return close();
    case '+':
    case '-':
    case '*':
      return addOperator();
    case ',':
    case '=':
    case ':':
      return endExpression();
    default:
      return;
    }
  }

  StringRef text;
  unsigned maxDepth;
  StringRef splitMarker;
  size_t pos = 0;
  /// Operators read at each open level (runs[0] is the top level).
  SmallVector<uint64_t> runs;
  uint64_t runTotal = 0;
  /// The depth of each alias defined so far.
  StringMap<uint64_t> aliases;
  /// The alias whose definition is being read: until the next definition
  /// or its own first use (an over-estimate, never an under-estimate).
  std::optional<std::string> defining;
  uint64_t definingDepth = 0;
  std::optional<NestingViolation> violation;
};

} // namespace

std::optional<NestingViolation> findExcessiveNesting(StringRef text,
                                                     unsigned maxDepth,
                                                     StringRef splitMarker) {
  return NestingScanner(text, maxDepth, splitMarker).run();
}

bool isBytecode(StringRef buffer) { return buffer.starts_with("ML\xefR"); }

bool checkInputNesting(const SourceMgr &sourceMgr, raw_ostream &os,
                       StringRef splitMarker) {
  const MemoryBuffer *buffer = sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  StringRef text = buffer->getBuffer();
  if (isBytecode(text)) {
    sourceMgr.PrintMessage(os, SMLoc::getFromPointer(text.data()),
                           SourceMgr::DK_Error,
                           "MLIR bytecode is not accepted: vmgpu reads IR "
                           "as text, whose nesting it bounds before parsing");
    return false;
  }
  std::optional<NestingViolation> violation =
      findExcessiveNesting(text, kMaxNestingDepth, splitMarker);
  if (!violation)
    return true;
  sourceMgr.PrintMessage(os,
                         SMLoc::getFromPointer(text.data() + violation->offset),
                         SourceMgr::DK_Error, violation->message);
  return false;
}

mlir::LogicalResult checkCompileBounds(mlir::ModuleOp module) {
  bool ok = true;
  uint64_t count = 0;
  mlir::WalkResult walk = module->walk([&](mlir::Operation *op) {
    if (++count > kMaxModuleOps)
      return mlir::WalkResult::interrupt();
    auto function = llvm::dyn_cast<mlir::FunctionOpInterface>(op);
    if (!function)
      return mlir::WalkResult::advance();
    if (function.getNumArguments() > kMaxFunctionArguments) {
      function.emitError() << "the function takes "
                           << function.getNumArguments()
                           << " arguments, more than the bound of "
                           << kMaxFunctionArguments << " (split the block)";
      ok = false;
    }
    if (function.getNumResults() > kMaxFunctionResults) {
      function.emitError() << "the function returns "
                           << function.getNumResults()
                           << " results, more than the bound of "
                           << kMaxFunctionResults << " (split the block)";
      ok = false;
    }
    return mlir::WalkResult::advance();
  });
  if (walk.wasInterrupted()) {
    module.emitError() << "the module holds more than " << kMaxModuleOps
                       << " ops, the bound on one compile (split the block)";
    return mlir::failure();
  }
  return mlir::success(ok);
}

void runOnCompilerStack(function_ref<void()> work) {
  llvm::thread worker(std::optional<unsigned>(kCompilerStackBytes),
                      [&] { work(); });
  worker.join();
}

} // namespace vmgpu
