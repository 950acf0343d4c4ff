//===- ContractionStrategy.h - kernels or the GEMM library -----*- C++ -*-===//

#ifndef VMGPU_CODEGEN_CONTRACTIONSTRATEGY_H
#define VMGPU_CODEGEN_CONTRACTIONSTRATEGY_H

#include "llvm/ADT/StringRef.h"

#include <optional>

namespace vmgpu {

/// How contractions are lowered on a GPU (the `contraction-strategy`
/// pipeline option, CompileOptions::contractionStrategy): always by the
/// code generator, by the GEMM library wherever it takes the op, or by the
/// library above a size (kAutoLibraryMinMacs, LibraryGemm.h).
enum class ContractionStrategy { Generated, Library, Auto };

llvm::StringRef stringifyContractionStrategy(ContractionStrategy strategy);
std::optional<ContractionStrategy>
symbolizeContractionStrategy(llvm::StringRef name);

} // namespace vmgpu

#endif // VMGPU_CODEGEN_CONTRACTIONSTRATEGY_H
