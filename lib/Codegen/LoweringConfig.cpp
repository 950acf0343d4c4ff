//===- LoweringConfig.cpp - the vmgpu.lowering_config attribute -----------===//

#include "vmgpu/Codegen/LoweringConfig.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace vmgpu;

llvm::StringRef vmgpu::stringifyOpClass(OpClass opClass) {
  switch (opClass) {
  case OpClass::Elementwise:
    return "elementwise";
  case OpClass::RowReduction:
    return "row_reduction";
  case OpClass::ColumnReduction:
    return "column_reduction";
  case OpClass::FullReduction:
    return "full_reduction";
  case OpClass::Softmax:
    return "softmax";
  case OpClass::Contraction:
    return "contraction";
  case OpClass::Convolution:
    return "convolution";
  case OpClass::Scan:
    return "scan";
  case OpClass::Other:
    return "other";
  }
  llvm_unreachable("every class is named above");
}

std::optional<OpClass> vmgpu::symbolizeOpClass(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<OpClass>>(name)
      .Case("elementwise", OpClass::Elementwise)
      .Case("row_reduction", OpClass::RowReduction)
      .Case("column_reduction", OpClass::ColumnReduction)
      .Case("full_reduction", OpClass::FullReduction)
      .Case("softmax", OpClass::Softmax)
      .Case("contraction", OpClass::Contraction)
      .Case("convolution", OpClass::Convolution)
      .Case("scan", OpClass::Scan)
      .Case("other", OpClass::Other)
      .Default(std::nullopt);
}

llvm::StringRef vmgpu::stringifyStrategy(Strategy strategy) {
  switch (strategy) {
  case Strategy::Fallback:
    return "fallback";
  case Strategy::VectorizedElementwise:
    return "vectorized_elementwise";
  case Strategy::WarpPerRow:
    return "warp_per_row";
  case Strategy::TwoStage:
    return "two_stage";
  case Strategy::SubgroupSoftmax:
    return "subgroup_softmax";
  case Strategy::BlockSoftmax:
    return "block_softmax";
  case Strategy::CoalescedColumns:
    return "coalesced_columns";
  case Strategy::CpuTiledContraction:
    return "cpu_tiled_contraction";
  case Strategy::Library:
    return "library";
  case Strategy::TiledSimt:
    return "tiled_simt";
  case Strategy::MmaSync:
    return "mma_sync";
  case Strategy::CpuVectorReduction:
    return "cpu_vector_reduction";
  case Strategy::CpuColumnReduction:
    return "cpu_column_reduction";
  case Strategy::CpuRowSoftmax:
    return "cpu_row_softmax";
  case Strategy::WarpScan:
    return "warp_scan";
  }
  llvm_unreachable("every strategy is named above");
}

std::optional<Strategy> vmgpu::symbolizeStrategy(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<Strategy>>(name)
      .Case("fallback", Strategy::Fallback)
      .Case("vectorized_elementwise", Strategy::VectorizedElementwise)
      .Case("warp_per_row", Strategy::WarpPerRow)
      .Case("two_stage", Strategy::TwoStage)
      .Case("subgroup_softmax", Strategy::SubgroupSoftmax)
      .Case("block_softmax", Strategy::BlockSoftmax)
      .Case("coalesced_columns", Strategy::CoalescedColumns)
      .Case("cpu_tiled_contraction", Strategy::CpuTiledContraction)
      .Case("library", Strategy::Library)
      .Case("tiled_simt", Strategy::TiledSimt)
      .Case("mma_sync", Strategy::MmaSync)
      .Case("cpu_vector_reduction", Strategy::CpuVectorReduction)
      .Case("cpu_column_reduction", Strategy::CpuColumnReduction)
      .Case("cpu_row_softmax", Strategy::CpuRowSoftmax)
      .Case("warp_scan", Strategy::WarpScan)
      .Default(std::nullopt);
}

DictionaryAttr LoweringConfig::toAttr(MLIRContext *context) const {
  Builder b(context);
  SmallVector<NamedAttribute> entries = {
      b.getNamedAttr("class", b.getStringAttr(stringifyOpClass(opClass))),
      b.getNamedAttr("strategy", b.getStringAttr(stringifyStrategy(strategy))),
      b.getNamedAttr("workgroup", b.getDenseI64ArrayAttr(workgroup)),
      b.getNamedAttr("vector_width", b.getI64IntegerAttr(vectorWidth)),
      b.getNamedAttr("max_blocks", b.getI64IntegerAttr(maxBlocks)),
  };
  // Tile sizes only where a strategy set them, so that other
  // configurations print as before.
  if (!cacheTiles.empty())
    entries.push_back(
        b.getNamedAttr("cache_tiles", b.getDenseI64ArrayAttr(cacheTiles)));
  if (!registerTiles.empty())
    entries.push_back(b.getNamedAttr("register_tiles",
                                     b.getDenseI64ArrayAttr(registerTiles)));
  if (pipelineDepth != 0)
    entries.push_back(b.getNamedAttr("pipeline_depth",
                                     b.getI64IntegerAttr(pipelineDepth)));
  return b.getDictionaryAttr(entries);
}

FailureOr<LoweringConfig> LoweringConfig::fromAttr(Attribute attr,
                                                   Operation *op) {
  auto dict = dyn_cast<DictionaryAttr>(attr);
  if (!dict)
    return op->emitOpError() << "'" << kLoweringConfigAttrName
                             << "' must be a dictionary, got " << attr;
  LoweringConfig config;
  bool hasClass = false, hasStrategy = false;
  for (NamedAttribute entry : dict) {
    StringRef key = entry.getName().getValue();
    Attribute value = entry.getValue();
    auto integer = dyn_cast<IntegerAttr>(value);
    auto string = dyn_cast<StringAttr>(value);
    if (key == "class") {
      std::optional<OpClass> opClass =
          string ? symbolizeOpClass(string.getValue()) : std::nullopt;
      if (!opClass)
        return op->emitOpError() << "lowering config: unknown class " << value;
      config.opClass = *opClass;
      hasClass = true;
    } else if (key == "strategy") {
      std::optional<Strategy> strategy =
          string ? symbolizeStrategy(string.getValue()) : std::nullopt;
      if (!strategy)
        return op->emitOpError()
               << "lowering config: unknown strategy " << value;
      config.strategy = *strategy;
      hasStrategy = true;
    } else if (key == "workgroup") {
      auto dims = dyn_cast<DenseI64ArrayAttr>(value);
      if (!dims || dims.size() != 3 ||
          llvm::any_of(dims.asArrayRef(), [](int64_t d) { return d < 1; }) ||
          dims[0] * dims[1] * dims[2] > 1024)
        return op->emitOpError()
               << "lowering config: 'workgroup' must be array<i64: x, y, z> "
                  "of positive sizes with at most 1024 threads, got "
               << value;
      llvm::copy(dims.asArrayRef(), config.workgroup.begin());
    } else if (key == "vector_width") {
      if (!integer || integer.getInt() < 1 || integer.getInt() > 16 ||
          !llvm::isPowerOf2_64(integer.getInt()))
        return op->emitOpError() << "lowering config: 'vector_width' must be "
                                    "a power of two in [1, 16], got "
                                 << value;
      config.vectorWidth = integer.getInt();
    } else if (key == "max_blocks") {
      if (!integer || integer.getInt() < 0 ||
          integer.getInt() > std::numeric_limits<int32_t>::max())
        return op->emitOpError() << "lowering config: 'max_blocks' must be "
                                    "an integer in [0, 2^31), got "
                                 << value;
      config.maxBlocks = integer.getInt();
    } else if (key == "cache_tiles" || key == "register_tiles") {
      auto sizes = dyn_cast<DenseI64ArrayAttr>(value);
      if (!sizes ||
          llvm::any_of(sizes.asArrayRef(), [](int64_t s) { return s < 0; }))
        return op->emitOpError() << "lowering config: '" << key
                                 << "' must be array<i64> of sizes >= 0, got "
                                 << value;
      (key == "cache_tiles" ? config.cacheTiles : config.registerTiles)
          .assign(sizes.asArrayRef().begin(), sizes.asArrayRef().end());
    } else if (key == "pipeline_depth") {
      if (!integer || integer.getInt() < 0 || integer.getInt() > 16)
        return op->emitOpError() << "lowering config: 'pipeline_depth' must "
                                    "be an integer in [0, 16], got "
                                 << value;
      config.pipelineDepth = integer.getInt();
    } else {
      return op->emitOpError() << "lowering config: unknown key '" << key
                               << "'";
    }
  }
  if (!hasClass || !hasStrategy)
    return op->emitOpError()
           << "lowering config: 'class' and 'strategy' are required";
  return config;
}

FailureOr<std::optional<LoweringConfig>>
vmgpu::getLoweringConfig(Operation *op) {
  Attribute attr = op->getAttr(kLoweringConfigAttrName);
  if (!attr)
    return std::optional<LoweringConfig>();
  FailureOr<LoweringConfig> config = LoweringConfig::fromAttr(attr, op);
  if (failed(config))
    return failure();
  return std::optional<LoweringConfig>(*config);
}

void vmgpu::setLoweringConfig(Operation *op, const LoweringConfig &config) {
  op->setAttr(kLoweringConfigAttrName, config.toAttr(op->getContext()));
}
