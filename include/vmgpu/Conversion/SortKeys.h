//===- SortKeys.h - the order of vm.sort and vm.topk ------------*- C++ -*-===//
//
// Every sort of the contract (vm-to-linalg's merge sorts, the GPU's sort in
// workgroups) compares elements through these keys, so all of them order
// NaNs, signed zeros and unsigned integers the same way.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_CONVERSION_SORTKEYS_H
#define VMGPU_CONVERSION_SORTKEYS_H

#include "mlir/IR/Builders.h"

namespace vmgpu {

/// How the elements of one op compare: by an unsigned integer key of the
/// element's width. A float with the sign bit set flips every bit, any other
/// only the sign bit (so -0 < +0, IEEE's order elsewhere), and every NaN
/// becomes all ones (above +inf, all NaNs equal: NumPy's order); a signed
/// integer flips its sign bit, an unsigned one is its own key.
struct KeyOrder {
  bool descending;
  bool isUnsigned;

  /// `value`'s key (ascending order: `descending` is not applied here).
  mlir::Value key(mlir::OpBuilder &b, mlir::Location loc,
                  mlir::Value value) const;
  /// `value`'s key in this order read ascending: the key, complemented
  /// within its width when `descending` (for sorts that only sort upwards).
  mlir::Value ascendingKey(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value value) const;
  /// Whether key `lhs` goes strictly before key `rhs` (`descending`
  /// reverses the keys; ties are the caller's: the earlier index first).
  mlir::Value before(mlir::OpBuilder &b, mlir::Location loc, mlir::Value lhs,
                     mlir::Value rhs) const;
};

} // namespace vmgpu

#endif // VMGPU_CONVERSION_SORTKEYS_H
