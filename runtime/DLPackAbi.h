//===- DLPackAbi.h - the DLPack 0.6 structures the runtime exchanges ------===//
//
// DLPack is an ABI: the structures below are its version 0.6 layout (the
// one Debian's libdlpack-dev ships, and the one PyTorch, CuPy and JAX
// accept). The system header is used when it is installed, so that the two
// can never disagree; otherwise this file declares the same layout, so the
// runtime builds without it.
//
//===----------------------------------------------------------------------===//

#ifndef VMGPU_RUNTIME_DLPACKABI_H
#define VMGPU_RUNTIME_DLPACKABI_H

#if __has_include(<dlpack/dlpack.h>)
#include <dlpack/dlpack.h>
#else
#include <cstdint>

extern "C" {
typedef enum {
  kDLCPU = 1,
  kDLCUDA = 2,
  kDLCUDAHost = 3,
  kDLROCM = 10,
  kDLROCMHost = 11,
  kDLCUDAManaged = 13,
} DLDeviceType;

typedef struct {
  DLDeviceType device_type;
  int device_id;
} DLDevice;

typedef enum {
  kDLInt = 0U,
  kDLUInt = 1U,
  kDLFloat = 2U,
  kDLBfloat = 4U,
} DLDataTypeCode;

typedef struct {
  uint8_t code;
  uint8_t bits;
  uint16_t lanes;
} DLDataType;

typedef struct {
  void *data;
  DLDevice device;
  int ndim;
  DLDataType dtype;
  int64_t *shape;
  int64_t *strides;
  uint64_t byte_offset;
} DLTensor;

typedef struct DLManagedTensor {
  DLTensor dl_tensor;
  void *manager_ctx;
  void (*deleter)(struct DLManagedTensor *self);
} DLManagedTensor;
}
#endif

#endif // VMGPU_RUNTIME_DLPACKABI_H
