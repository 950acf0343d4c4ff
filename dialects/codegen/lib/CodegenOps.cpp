//===- CodegenOps.cpp - ops of vmgpu's code generation
//---------------------===//

#include "codegen/CodegenOps.h"

#include "mlir/IR/Builders.h"

using namespace mlir;
using namespace vmgpu::codegen;

#include "codegen/CodegenOpsDialect.cpp.inc"

void CodegenDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "codegen/CodegenOps.cpp.inc"
      >();
}

#define GET_OP_CLASSES
#include "codegen/CodegenOps.cpp.inc"

int64_t SortRowsOp::getRows() {
  MemRefType type = getInput().getType();
  return type.getRank() == 2 ? type.getDimSize(0) : 1;
}

int64_t SortRowsOp::getLength() {
  MemRefType type = getInput().getType();
  return type.getDimSize(type.getRank() - 1);
}

int64_t SortRowsOp::getKept() {
  MemRefType type = getValues().getType();
  return type.getDimSize(type.getRank() - 1);
}

LogicalResult SortRowsOp::verify() {
  MemRefType input = getInput().getType();
  MemRefType values = getValues().getType();
  MemRefType indices = getIndices().getType();
  int64_t rank = input.getRank();
  if (rank != 1 && rank != 2)
    return emitOpError("expects rows of rank 1 or 2, got rank ") << rank;
  if (values.getRank() != rank || indices.getRank() != rank)
    return emitOpError("expects values and indices of the input's rank ")
           << rank;
  Type element = input.getElementType();
  if (!element.isIntOrFloat() || element.getIntOrFloatBitWidth() > 32)
    return emitOpError("expects integer or float elements of at most 32 "
                       "bits, got ")
           << element;
  if (values.getElementType() != element)
    return emitOpError("expects values of the input's element type ")
           << element;
  if (!indices.getElementType().isInteger(64))
    return emitOpError("expects i64 indices, got ") << indices.getElementType();
  if (values.getShape() != indices.getShape())
    return emitOpError("expects values and indices of one shape");
  if (rank == 2 && values.getDimSize(0) != input.getDimSize(0))
    return emitOpError("expects ")
           << input.getDimSize(0) << " rows of results, got "
           << values.getDimSize(0);
  int64_t length = getLength();
  if (length < 2 || length > kMaxLength)
    return emitOpError("expects rows of 2 to ")
           << kMaxLength << " elements, got " << length;
  int64_t kept = getKept();
  if (kept < 1 || kept > length)
    return emitOpError("expects 1 to ")
           << length << " results per row, got " << kept;
  return success();
}

LogicalResult PairMultiplyAddOp::verify() {
  int64_t pairs = getLhs().getType().getNumElements();
  int64_t sums = getResult().getType().getNumElements();
  if (getLhs().getType().isScalable() || getResult().getType().isScalable())
    return emitOpError("expects fixed-length vectors");
  if (pairs != 2 * sums)
    return emitOpError("expects twice as many i16 operands as i32 results, "
                       "got ")
           << pairs << " and " << sums;
  return success();
}
