/*===- DLPackContract.c - the DLPack contract of vmgpu.h, from C ----------===//
//
// Written in C and compiled as C against the DLPack header a consumer uses,
// so that the C API's declarations and the DLManagedTensor layout are
// checked as a C caller sees them: export (fields, ownership, i1 as uint8),
// import (zero copy, deleter called exactly once, copies for unaligned data,
// refusals), a round trip through a run, and NULL handling.
// DLPackContractTest.cpp runs each check.
//
//===----------------------------------------------------------------------===*/

#include "vmgpu/vmgpu.h"

#if __has_include(<dlpack/dlpack.h>)
#include <dlpack/dlpack.h>
#define VMGPU_TEST_HAS_DLPACK 1
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(condition)                                                       \
  do {                                                                         \
    if (!(condition)) {                                                        \
      snprintf(message, size, "%s:%d: %s", __FILE__, __LINE__, #condition);    \
      return 0;                                                                \
    }                                                                          \
  } while (0)

int vmgpuDLPackHeaderPresent(void) {
#ifdef VMGPU_TEST_HAS_DLPACK
  return 1;
#else
  return 0;
#endif
}

#ifdef VMGPU_TEST_HAS_DLPACK

/* A producer's tensor: the test's own buffer and a deleter that counts. */
struct Producer {
  DLManagedTensor managed;
  int64_t shape[2];
  void *allocation;
  int deleted;
};

static void producerDeleter(DLManagedTensor *self) {
  struct Producer *producer = (struct Producer *)self->manager_ctx;
  producer->deleted += 1;
}

/* Four f32 values 1..4 as [2, 2] in 64-byte aligned memory (plus `shift`
 * bytes, to make it unaligned). */
static void makeProducer(struct Producer *producer, size_t shift) {
  memset(producer, 0, sizeof(*producer));
  producer->allocation = aligned_alloc(64, 128);
  float *values = (float *)((char *)producer->allocation + shift);
  for (int i = 0; i < 4; ++i)
    values[i] = (float)(i + 1);
  producer->shape[0] = 2;
  producer->shape[1] = 2;
  DLTensor *tensor = &producer->managed.dl_tensor;
  tensor->data = producer->allocation;
  tensor->byte_offset = shift;
  tensor->device.device_type = kDLCPU;
  tensor->device.device_id = 0;
  tensor->ndim = 2;
  tensor->dtype.code = kDLFloat;
  tensor->dtype.bits = 32;
  tensor->dtype.lanes = 1;
  tensor->shape = producer->shape;
  tensor->strides = NULL;
  producer->managed.manager_ctx = producer;
  producer->managed.deleter = producerDeleter;
}

int vmgpuDLPackExportIsCompactAndOwned(char *message, size_t size) {
  int32_t values[6] = {1, -2, 3, -4, 5, -6};
  int64_t shape[2] = {2, 3};
  vmgpu_tensor_t *tensor = NULL;
  CHECK(vmgpu_tensor_create(VMGPU_ELEMENT_TYPE_I32, shape, 2, values,
                            sizeof(values), &tensor, NULL) == VMGPU_STATUS_OK);
  CHECK(strcmp(vmgpu_tensor_get_device(tensor), "cpu") == 0);
  DLManagedTensor *managed = NULL;
  CHECK(vmgpu_tensor_export_dlpack(tensor, &managed, NULL) == VMGPU_STATUS_OK);
  CHECK(managed != NULL);
  CHECK(managed->deleter != NULL);
  DLTensor *out = &managed->dl_tensor;
  CHECK(out->device.device_type == kDLCPU);
  CHECK(out->ndim == 2);
  CHECK(out->shape[0] == 2 && out->shape[1] == 3);
  CHECK(out->strides == NULL);
  CHECK(out->byte_offset == 0);
  CHECK(out->dtype.code == kDLInt && out->dtype.bits == 32 &&
        out->dtype.lanes == 1);
  CHECK(memcmp(out->data, values, sizeof(values)) == 0);
  /* The consumer's deleter frees everything (the tensor was consumed). */
  managed->deleter(managed);
  return 1;
}

int vmgpuDLPackBooleansTravelAsUint8(char *message, size_t size) {
  uint8_t mask[4] = {1, 0, 0, 1};
  int64_t shape[1] = {4};
  vmgpu_tensor_t *tensor = NULL;
  CHECK(vmgpu_tensor_create(VMGPU_ELEMENT_TYPE_I1, shape, 1, mask, sizeof(mask),
                            &tensor, NULL) == VMGPU_STATUS_OK);
  DLManagedTensor *managed = NULL;
  CHECK(vmgpu_tensor_export_dlpack(tensor, &managed, NULL) == VMGPU_STATUS_OK);
  CHECK(managed->dl_tensor.dtype.code == kDLUInt);
  CHECK(managed->dl_tensor.dtype.bits == 8);
  /* Back as i1 when asked; as i8 (signless) by default. */
  vmgpu_tensor_t *back = NULL;
  CHECK(vmgpu_tensor_import_dlpack(managed, VMGPU_ELEMENT_TYPE_I1, &back,
                                   NULL) == VMGPU_STATUS_OK);
  CHECK(vmgpu_tensor_get_element_type(back) == VMGPU_ELEMENT_TYPE_I1);
  CHECK(memcmp(vmgpu_tensor_get_data(back), mask, sizeof(mask)) == 0);
  managed = NULL;
  CHECK(vmgpu_tensor_export_dlpack(back, &managed, NULL) == VMGPU_STATUS_OK);
  CHECK(vmgpu_tensor_import_dlpack(managed, VMGPU_ELEMENT_TYPE_INVALID, &back,
                                   NULL) == VMGPU_STATUS_OK);
  CHECK(vmgpu_tensor_get_element_type(back) == VMGPU_ELEMENT_TYPE_I8);
  vmgpu_tensor_destroy(back);
  return 1;
}

int vmgpuDLPackImportIsZeroCopyAndDeletesOnce(char *message, size_t size) {
  struct Producer producer;
  makeProducer(&producer, 0);
  vmgpu_tensor_t *tensor = NULL;
  CHECK(vmgpu_tensor_import_dlpack(&producer.managed,
                                   VMGPU_ELEMENT_TYPE_INVALID, &tensor,
                                   NULL) == VMGPU_STATUS_OK);
  CHECK(vmgpu_tensor_get_data(tensor) == producer.allocation);
  CHECK(vmgpu_tensor_get_element_type(tensor) == VMGPU_ELEMENT_TYPE_F32);
  CHECK(vmgpu_tensor_get_rank(tensor) == 2);
  CHECK(vmgpu_tensor_get_dim(tensor, 1) == 2);
  CHECK(producer.deleted == 0);
  vmgpu_tensor_destroy(tensor);
  CHECK(producer.deleted == 1);
  free(producer.allocation);

  /* Unaligned data is copied, and the producer released at once. */
  makeProducer(&producer, 4);
  CHECK(vmgpu_tensor_import_dlpack(&producer.managed,
                                   VMGPU_ELEMENT_TYPE_INVALID, &tensor,
                                   NULL) == VMGPU_STATUS_OK);
  CHECK(producer.deleted == 1);
  CHECK(vmgpu_tensor_get_data(tensor) != (char *)producer.allocation + 4);
  CHECK(((const float *)vmgpu_tensor_get_data(tensor))[3] == 4.0f);
  vmgpu_tensor_destroy(tensor);
  CHECK(producer.deleted == 1);
  free(producer.allocation);
  return 1;
}

int vmgpuDLPackRefusalsStillRelease(char *message, size_t size) {
  struct Producer producer;
  vmgpu_tensor_t *tensor = NULL;
  vmgpu_error_t *error = NULL;
  /* Strided (column major). */
  makeProducer(&producer, 0);
  int64_t strides[2] = {1, 2};
  producer.managed.dl_tensor.strides = strides;
  CHECK(vmgpu_tensor_import_dlpack(&producer.managed,
                                   VMGPU_ELEMENT_TYPE_INVALID, &tensor,
                                   &error) == VMGPU_STATUS_INVALID_ARGUMENT);
  CHECK(tensor == NULL);
  CHECK(strstr(vmgpu_error_get_message(error), "strided") != NULL);
  vmgpu_error_destroy(error);
  CHECK(producer.deleted == 1);
  free(producer.allocation);
  /* Vector lanes. */
  makeProducer(&producer, 0);
  producer.managed.dl_tensor.dtype.lanes = 4;
  CHECK(vmgpu_tensor_import_dlpack(&producer.managed,
                                   VMGPU_ELEMENT_TYPE_INVALID, &tensor,
                                   NULL) == VMGPU_STATUS_INVALID_ARGUMENT);
  CHECK(producer.deleted == 1);
  free(producer.allocation);
  /* f32 read as i1. */
  makeProducer(&producer, 0);
  CHECK(vmgpu_tensor_import_dlpack(&producer.managed, VMGPU_ELEMENT_TYPE_I1,
                                   &tensor,
                                   NULL) == VMGPU_STATUS_INVALID_ARGUMENT);
  CHECK(producer.deleted == 1);
  free(producer.allocation);
  /* An unknown device type. */
  makeProducer(&producer, 0);
  producer.managed.dl_tensor.device.device_type = kDLVulkan;
  CHECK(vmgpu_tensor_import_dlpack(&producer.managed,
                                   VMGPU_ELEMENT_TYPE_INVALID, &tensor,
                                   NULL) == VMGPU_STATUS_UNIMPLEMENTED);
  CHECK(producer.deleted == 1);
  free(producer.allocation);
  /* A device type of a newer DLPack than the header's (kDLHexagon = 16 in
     1.0), which the runtime must read as the integer it is. */
  makeProducer(&producer, 0);
  producer.managed.dl_tensor.device.device_type = (DLDeviceType)16;
  CHECK(vmgpu_tensor_import_dlpack(&producer.managed,
                                   VMGPU_ELEMENT_TYPE_INVALID, &tensor,
                                   NULL) == VMGPU_STATUS_UNIMPLEMENTED);
  CHECK(producer.deleted == 1);
  free(producer.allocation);
  /* NULLs. */
  CHECK(vmgpu_tensor_import_dlpack(NULL, VMGPU_ELEMENT_TYPE_INVALID, &tensor,
                                   NULL) == VMGPU_STATUS_INVALID_ARGUMENT);
  DLManagedTensor *managed = (DLManagedTensor *)&producer;
  CHECK(vmgpu_tensor_export_dlpack(NULL, &managed, NULL) ==
        VMGPU_STATUS_INVALID_ARGUMENT);
  CHECK(managed == NULL);
  return 1;
}

/* An empty tensor with strides and other dimensions as large as int64
 * allows: nothing to lay out, so it is compact, and imported (copied, as
 * every empty import is, so the deleter has run). The C API fuzz target
 * found the stride check multiplying those dimensions (signed overflow)
 * and, without data, an offset added to NULL. */
int vmgpuDLPackEmptyTensorsAreCompact(char *message, size_t size) {
  struct Producer producer;
  vmgpu_tensor_t *tensor = NULL;
  makeProducer(&producer, 0);
  int64_t shape[3] = {0, 940422212383605249LL, 65536};
  int64_t strides[3] = {7, 65536, 1};
  producer.managed.dl_tensor.ndim = 3;
  producer.managed.dl_tensor.shape = shape;
  producer.managed.dl_tensor.strides = strides;
  producer.managed.dl_tensor.dtype.code = kDLInt;
  producer.managed.dl_tensor.dtype.bits = 8;
  CHECK(vmgpu_tensor_import_dlpack(&producer.managed,
                                   VMGPU_ELEMENT_TYPE_INVALID, &tensor,
                                   NULL) == VMGPU_STATUS_OK);
  CHECK(vmgpu_tensor_get_num_elements(tensor) == 0);
  CHECK(vmgpu_tensor_get_dim(tensor, 1) == 940422212383605249LL);
  vmgpu_tensor_destroy(tensor);
  CHECK(producer.deleted == 1);
  /* The same without data but with an offset (no pointer arithmetic on
   * NULL: the fuzz target's next finding). */
  producer.deleted = 0;
  producer.managed.dl_tensor.data = NULL;
  producer.managed.dl_tensor.byte_offset = 16;
  CHECK(vmgpu_tensor_import_dlpack(&producer.managed,
                                   VMGPU_ELEMENT_TYPE_INVALID, &tensor,
                                   NULL) == VMGPU_STATUS_OK);
  CHECK(vmgpu_tensor_get_num_elements(tensor) == 0);
  vmgpu_tensor_destroy(tensor);
  CHECK(producer.deleted == 1);
  free(producer.allocation);
  return 1;
}

int vmgpuDLPackRunsOnImportedTensors(char *message, size_t size) {
  vmgpu_engine_options_t options;
  vmgpu_engine_options_init(&options);
  options.device = "cpu";
  vmgpu_engine_t *engine = NULL;
  CHECK(vmgpu_engine_create(&options, &engine, NULL) == VMGPU_STATUS_OK);
  const char *ir = "func.func @main(%a: tensor<2x2xf32>) -> tensor<2x2xf32> {\n"
                   "  %0 = vm.mul %a, %a : tensor<2x2xf32>\n"
                   "  return %0 : tensor<2x2xf32>\n}\n";
  vmgpu_block_t *block = NULL;
  CHECK(vmgpu_engine_compile(engine, ir, strlen(ir), "main", &block, NULL) ==
        VMGPU_STATUS_OK);
  struct Producer producer;
  makeProducer(&producer, 0);
  vmgpu_tensor_t *input = NULL;
  CHECK(vmgpu_tensor_import_dlpack(&producer.managed,
                                   VMGPU_ELEMENT_TYPE_INVALID, &input,
                                   NULL) == VMGPU_STATUS_OK);
  vmgpu_tensor_t *output = NULL;
  const vmgpu_tensor_t *inputs[1] = {input};
  /* On a CPU engine results are host tensors either way. */
  CHECK(vmgpu_engine_run_device_resident(engine, block, inputs, 1, &output, 1,
                                         NULL) == VMGPU_STATUS_OK);
  CHECK(strcmp(vmgpu_tensor_get_device(output), "cpu") == 0);
  DLManagedTensor *managed = NULL;
  CHECK(vmgpu_tensor_export_dlpack(output, &managed, NULL) == VMGPU_STATUS_OK);
  const float *squares = (const float *)managed->dl_tensor.data;
  CHECK(squares[0] == 1.0f && squares[3] == 16.0f);
  managed->deleter(managed);
  /* Without a GPU there is no device to copy to. */
  vmgpu_tensor_t *onDevice = NULL;
  CHECK(vmgpu_engine_copy_to_device(engine, input, &onDevice, NULL) ==
        VMGPU_STATUS_UNAVAILABLE);
  CHECK(onDevice == NULL);
  vmgpu_tensor_t *pinned = NULL;
  int64_t shape[1] = {8};
  CHECK(vmgpu_engine_create_pinned_tensor(engine, VMGPU_ELEMENT_TYPE_F64, shape,
                                          1, &pinned, NULL) == VMGPU_STATUS_OK);
  CHECK(vmgpu_tensor_get_byte_size(pinned) == 64);
  CHECK(((const double *)vmgpu_tensor_get_data(pinned))[7] == 0.0);
  vmgpu_tensor_t *copy = NULL;
  CHECK(vmgpu_engine_copy_to_host(engine, pinned, &copy, NULL) ==
        VMGPU_STATUS_OK);
  vmgpu_tensor_destroy(copy);
  vmgpu_tensor_destroy(pinned);
  vmgpu_tensor_destroy(input);
  CHECK(producer.deleted == 1);
  free(producer.allocation);
  vmgpu_block_destroy(block);
  vmgpu_engine_destroy(engine);
  return 1;
}

#endif /* VMGPU_TEST_HAS_DLPACK */
