//===- Npy.h - NumPy .npy reader and writer ---------------------*- C++ -*-===//
//
// vm-gpu-run's inputs and outputs are NumPy .npy files. The reader accepts
// format versions 1.0, 2.0 and 3.0 and these little-endian dtypes:
//
//   '<f2' '<f4' '<f8'            -> F16 F32 F64
//   '|i1' '<i2' '<i4' '<i8'      -> I8 I16 I32 I64
//   '|u1' '<u2' '<u4' '<u8'      -> I8 I16 I32 I64 (signless, same bits)
//   '|b1'                        -> I1 (one byte per element; nonzero -> 1)
//
// ('<' and '|' are interchangeable for one-byte types; '=' is read as '<' on
// this little-endian-only runtime.) Fortran-order arrays are accepted and
// transposed into the row-major layout HostTensor uses. Big-endian data,
// structured dtypes and other dtypes are errors. The writer produces format
// 1.0, byte-identical to numpy.save. Both sides allow at most 64 dimensions
// (NumPy 2's limit).
//
// Every malformed input (bad magic, truncated header or data, a header length
// that lies, a garbage dict, negative or overflowing shapes, trailing bytes)
// gives a Status whose message names the file; the reader never allocates
// more than the input holds. BF16 has no NumPy dtype: writing it is
// Unimplemented.
//
// All functions are thread-safe (no shared state).
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_NPY_H
#define VMGPU_RUNTIME_NPY_H

#include "vmgpu/runtime/HostTensor.h"
#include "vmgpu/runtime/Status.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vmgpu::runtime {

/// Reads the .npy file at `path` into a new tensor owned by the caller.
/// Only a regular file is read (FileRead.h): a FIFO, device, socket or
/// directory, or a link to one, is InvalidArgument before anything is read.
/// NotFound/PermissionDenied/... when the file cannot be opened or read,
/// InvalidArgument for a malformed or unsupported header, ResourceExhausted
/// for a declared shape whose size overflows, exceeds
/// HostTensor::kMaxSizeInBytes or this machine's memory and swap (all
/// checked from the header, before allocating), DataLoss when the data is
/// shorter or longer than the header says, Unimplemented for dtypes outside
/// the table above. Messages start with the path.
StatusOr<HostTensor> readNpyFile(const std::string &path);

/// Parses .npy bytes held in memory (`size` bytes at `data`, borrowed for the
/// call). `name` is used in messages in place of a path.
StatusOr<HostTensor> parseNpy(const void *data, size_t size,
                              std::string_view name = "<memory>");

/// Ok when serializeNpy(tensor) would succeed (checked without copying the
/// data).
Status checkNpyWritable(const HostTensor &tensor);

/// Serializes `tensor` as .npy bytes (format 1.0). Unimplemented for BF16,
/// InvalidArgument for a rank above 64.
StatusOr<std::vector<uint8_t>> serializeNpy(const HostTensor &tensor);

/// Writes `tensor` to `path` as .npy. The file appears atomically (written to
/// a temporary file in the same directory, closed, then renamed), so a
/// failure leaves no partial file behind. Errors as serializeNpy, plus the
/// I/O errors of open/write/rename; messages start with the path.
Status writeNpyFile(const std::string &path, const HostTensor &tensor);

/// The .npy dtype string written for `type` ("<f4", "|b1", ...); nullptr for
/// BF16.
const char *npyDescrFor(ElementType type);

} // namespace vmgpu::runtime

#endif // VMGPU_RUNTIME_NPY_H
