//===- Artifact.cpp - entry point signatures ------------------------------===//

#include "vmgpu/runtime/Artifact.h"

namespace vmgpu::runtime {

std::string ValueSignature::toString() const {
  if (isScalar)
    return elementTypeName(elementType);
  std::string text = "tensor<";
  for (int64_t dim : shape)
    text += (dim == kDynamic ? std::string("?") : std::to_string(dim)) + "x";
  return text + elementTypeName(elementType) + ">";
}

Status ValueSignature::accepts(const HostTensor &tensor,
                               const std::string &what) const {
  auto mismatch = [&](const std::string &detail) {
    return invalidArgumentError(what + " has type " + tensor.typeString() +
                                " but the function expects " + toString() +
                                " (" + detail + ")");
  };
  if (tensor.elementType() != elementType)
    return mismatch("element type differs");
  if (tensor.rank() != static_cast<int64_t>(shape.size()))
    return mismatch("rank differs");
  for (size_t d = 0; d < shape.size(); ++d)
    if (shape[d] != kDynamic && shape[d] != tensor.dim(d))
      return mismatch("dimension " + std::to_string(d) + " differs");
  return okStatus();
}

} // namespace vmgpu::runtime
