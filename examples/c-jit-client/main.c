//===- main.c - a toy JIT in C that runs its blocks through the C API -----===//
//
// What a VM's JIT does with vmgpu: it writes vm IR for a hot block as text,
// compiles it once, runs it many times on its own data, and reads the
// metrics. This one checks every result against values it computes itself
// and exits non-zero on any mismatch.
//
//   vmgpu-c-jit-client [--device cpu|cuda[:N]|rocm[:N]|auto] [--size N]
//
// Without --device the engine reads $VMGPU_DEVICE (else "auto").
//
//===----------------------------------------------------------------------===//

#include "vmgpu/vmgpu.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;

/// Prints a failed call's error (and diagnostics) and releases it. Returns
/// nonzero when `status` is an error.
static int report(vmgpu_status_t status, vmgpu_error_t *error,
                  const char *what) {
  if (status == VMGPU_STATUS_OK)
    return 0;
  fprintf(stderr, "c-jit-client: %s failed: %s: %s\n", what,
          vmgpu_status_get_name(status), vmgpu_error_get_message(error));
  fputs(vmgpu_error_get_diagnostics(error), stderr);
  vmgpu_error_destroy(error);
  return 1;
}

/// Deterministic values in [-1, 1) (a 32-bit LCG), so runs are repeatable.
static uint32_t seed = 12345u;
static float nextFloat(void) {
  seed = seed * 1664525u + 1013904223u;
  return (float)(seed >> 8) / 8388608.0f - 1.0f;
}

/// Builds `relu(a * x + y)` for f32 vectors of `n` elements: a JIT
/// specializes its IR on the sizes it sees. Returns a malloc'd string.
static char *buildSaxpyReluIR(long n) {
  const char *format =
      "func.func @saxpy_relu(%%a: f32, %%x: tensor<%ldxf32>,\n"
      "                      %%y: tensor<%ldxf32>) -> tensor<%ldxf32> {\n"
      "  %%av = vm.splat %%a : f32 -> tensor<%ldxf32>\n"
      "  %%ax = vm.mul %%av, %%x : tensor<%ldxf32>\n"
      "  %%sum = vm.add %%ax, %%y : tensor<%ldxf32>\n"
      "  %%out = vm.relu %%sum : tensor<%ldxf32>\n"
      "  return %%out : tensor<%ldxf32>\n"
      "}\n";
  int length = snprintf(NULL, 0, format, n, n, n, n, n, n, n, n);
  char *ir = malloc((size_t)length + 1);
  if (ir)
    snprintf(ir, (size_t)length + 1, format, n, n, n, n, n, n, n, n);
  return ir;
}

/// Integer division with the contract's semantics, on any length (dynamic
/// shapes): one compile serves every size.
static const char kDivModIR[] =
    "func.func @divmod(%a: tensor<?xi32>, %b: tensor<?xi32>)\n"
    "    -> (tensor<?xi32>, tensor<?xi32>) {\n"
    "  %q = vm.div %a, %b : tensor<?xi32>\n"
    "  %r = vm.rem %a, %b : tensor<?xi32>\n"
    "  return %q, %r : tensor<?xi32>, tensor<?xi32>\n"
    "}\n";

/// The contract: x / 0 is all ones, x rem 0 is x, MIN / -1 is MIN rem 0.
static int32_t contractDiv(int32_t a, int32_t b) {
  if (b == 0)
    return -1;
  if (a == INT32_MIN && b == -1)
    return INT32_MIN;
  return a / b;
}
static int32_t contractRem(int32_t a, int32_t b) {
  if (b == 0)
    return a;
  if (a == INT32_MIN && b == -1)
    return 0;
  return a % b;
}

/// Compiles and runs relu(a * x + y) on `n` elements and checks it.
static int runSaxpyRelu(vmgpu_engine_t *engine, long n) {
  vmgpu_error_t *error = NULL;
  char *ir = buildSaxpyReluIR(n);
  if (!ir)
    return 1;
  vmgpu_block_t *block = NULL;
  vmgpu_status_t status = vmgpu_engine_compile(engine, ir, strlen(ir),
                                               "saxpy_relu", &block, &error);
  free(ir);
  if (report(status, error, "compiling saxpy_relu"))
    return 1;
  printf("saxpy_relu: compiled for %s\n", vmgpu_block_get_device(block));
  // A GPU that was asked for but cannot run the block is not an error (the
  // block runs on the CPU), but a JIT may want to log why.
  if (*vmgpu_block_get_fallback_reason(block))
    fprintf(stderr, "c-jit-client: note: running on the CPU: %s\n",
            vmgpu_block_get_fallback_reason(block));

  float a = 1.5f;
  float *x = malloc((size_t)n * sizeof(float));
  float *y = malloc((size_t)n * sizeof(float));
  if (!x || !y) {
    free(x);
    free(y);
    vmgpu_block_destroy(block);
    return 1;
  }
  for (long i = 0; i < n; ++i) {
    x[i] = nextFloat();
    y[i] = nextFloat();
  }
  int64_t shape[1] = {n};
  vmgpu_tensor_t *inputs[3] = {NULL, NULL, NULL};
  int failed =
      report(vmgpu_tensor_create(VMGPU_ELEMENT_TYPE_F32, NULL, 0, &a, sizeof a,
                                 &inputs[0], &error),
             error, "creating a") ||
      report(vmgpu_tensor_create(VMGPU_ELEMENT_TYPE_F32, shape, 1, x,
                                 (size_t)n * sizeof(float), &inputs[1], &error),
             error, "creating x") ||
      report(vmgpu_tensor_create(VMGPU_ELEMENT_TYPE_F32, shape, 1, y,
                                 (size_t)n * sizeof(float), &inputs[2], &error),
             error, "creating y");

  vmgpu_tensor_t *output = NULL;
  if (!failed)
    failed = report(vmgpu_engine_run(engine, block,
                                     (const vmgpu_tensor_t *const *)inputs, 3,
                                     &output, 1, &error),
                    error, "running saxpy_relu");
  if (!failed) {
    // Rounded as written: the product, then the sum (no FMA; this file is
    // built with -ffp-contract=off), then max(s, 0).
    const float *out = vmgpu_tensor_get_data(output);
    long mismatches = 0;
    for (long i = 0; i < n; ++i) {
      float product = a * x[i];
      float sum = product + y[i];
      float expected = sum > 0.0f ? sum : 0.0f;
      if (out[i] != expected) {
        if (mismatches++ < 5)
          fprintf(stderr, "saxpy_relu: [%ld] expected %.9g, got %.9g\n", i,
                  expected, out[i]);
      }
    }
    if (vmgpu_tensor_get_rank(output) != 1 ||
        vmgpu_tensor_get_dim(output, 0) != n ||
        vmgpu_tensor_get_element_type(output) != VMGPU_ELEMENT_TYPE_F32)
      ++mismatches;
    printf("saxpy_relu: %ld elements, %ld mismatches\n", n, mismatches);
    failed = mismatches != 0;
  }
  vmgpu_tensor_destroy(output);
  for (int i = 0; i < 3; ++i)
    vmgpu_tensor_destroy(inputs[i]);
  free(x);
  free(y);
  vmgpu_block_destroy(block);
  return failed;
}

/// Runs the dynamically shaped divmod block on `n` elements and checks it.
static int runDivModOnce(vmgpu_engine_t *engine, vmgpu_block_t *block, long n) {
  vmgpu_error_t *error = NULL;
  int32_t *a = malloc((size_t)n * sizeof(int32_t));
  int32_t *b = malloc((size_t)n * sizeof(int32_t));
  if (!a || !b) {
    free(a);
    free(b);
    return 1;
  }
  // The edge cases first, then pseudo-random values with zeros among them.
  const int32_t edgeA[] = {7, -7, 7, -7, 5, INT32_MIN, INT32_MIN, INT32_MAX};
  const int32_t edgeB[] = {2, 2, -2, -2, 0, -1, 1, -1};
  for (long i = 0; i < n; ++i) {
    if (i < 8) {
      a[i] = edgeA[i];
      b[i] = edgeB[i];
    } else {
      a[i] = (int32_t)(nextFloat() * 1000.0f);
      b[i] = (int32_t)(nextFloat() * 10.0f);
    }
  }
  int64_t shape[1] = {n};
  vmgpu_tensor_t *inputs[2] = {NULL, NULL};
  vmgpu_tensor_t *outputs[2] = {NULL, NULL};
  int failed = report(vmgpu_tensor_create(VMGPU_ELEMENT_TYPE_I32, shape, 1, a,
                                          (size_t)n * sizeof(int32_t),
                                          &inputs[0], &error),
                      error, "creating a") ||
               report(vmgpu_tensor_create(VMGPU_ELEMENT_TYPE_I32, shape, 1, b,
                                          (size_t)n * sizeof(int32_t),
                                          &inputs[1], &error),
                      error, "creating b") ||
               report(vmgpu_engine_run(engine, block,
                                       (const vmgpu_tensor_t *const *)inputs, 2,
                                       outputs, 2, &error),
                      error, "running divmod");
  if (!failed) {
    const int32_t *q = vmgpu_tensor_get_data(outputs[0]);
    const int32_t *r = vmgpu_tensor_get_data(outputs[1]);
    long mismatches = 0;
    for (long i = 0; i < n; ++i) {
      if (q[i] != contractDiv(a[i], b[i]) || r[i] != contractRem(a[i], b[i])) {
        if (mismatches++ < 5)
          fprintf(stderr,
                  "divmod: [%ld] %d divmod %d: expected %d, %d; got %d, %d\n",
                  i, a[i], b[i], contractDiv(a[i], b[i]),
                  contractRem(a[i], b[i]), q[i], r[i]);
      }
    }
    printf("divmod: %ld elements, %ld mismatches\n", n, mismatches);
    failed = mismatches != 0;
  }
  for (int i = 0; i < 2; ++i) {
    vmgpu_tensor_destroy(inputs[i]);
    vmgpu_tensor_destroy(outputs[i]);
  }
  free(a);
  free(b);
  return failed;
}

/// One compile of the integer block, runs on several sizes.
static int runDivMod(vmgpu_engine_t *engine, long n) {
  vmgpu_error_t *error = NULL;
  vmgpu_block_t *block = NULL;
  if (report(vmgpu_engine_compile(engine, kDivModIR, strlen(kDivModIR),
                                  "divmod", &block, &error),
             error, "compiling divmod"))
    return 1;
  printf("divmod: compiled for %s, %zu inputs, %zu results\n",
         vmgpu_block_get_device(block), vmgpu_block_get_num_inputs(block),
         vmgpu_block_get_num_results(block));
  int failed = runDivModOnce(engine, block, 8) ||
               runDivModOnce(engine, block, n) ||
               runDivModOnce(engine, block, n + 3);
  vmgpu_block_destroy(block);
  return failed;
}

/// A JIT must survive its own mistakes: bad IR and bad inputs come back as
/// errors with messages, never as crashes.
static int showErrors(vmgpu_engine_t *engine) {
  static const char kBadIR[] = "func.func @bad(%a: tensor<4xf32>, %b: "
                               "tensor<8xf32>) -> tensor<4xf32> {\n"
                               "  %0 = \"vm.add\"(%a, %b) : (tensor<4xf32>, "
                               "tensor<8xf32>) -> tensor<4xf32>\n"
                               "  return %0 : tensor<4xf32>\n"
                               "}\n";
  vmgpu_error_t *error = NULL;
  vmgpu_block_t *block = NULL;
  vmgpu_status_t status = vmgpu_engine_compile(engine, kBadIR, strlen(kBadIR),
                                               "bad", &block, &error);
  printf("bad IR: %s: %s\n", vmgpu_status_get_name(status),
         vmgpu_error_get_message(error));
  printf("bad IR diagnostics:\n%s", vmgpu_error_get_diagnostics(error));
  int failed = status != VMGPU_STATUS_INVALID_ARGUMENT || block != NULL ||
               strlen(vmgpu_error_get_diagnostics(error)) == 0;
  vmgpu_error_destroy(error);

  // A tensor whose data does not match its shape.
  vmgpu_tensor_t *tensor = NULL;
  float values[3] = {1, 2, 3};
  int64_t shape[1] = {4};
  status = vmgpu_tensor_create(VMGPU_ELEMENT_TYPE_F32, shape, 1, values,
                               sizeof values, &tensor, &error);
  printf("bad tensor: %s: %s\n", vmgpu_status_get_name(status),
         vmgpu_error_get_message(error));
  failed |= status != VMGPU_STATUS_INVALID_ARGUMENT || tensor != NULL;
  vmgpu_error_destroy(error);
  return failed;
}

int main(int argc, char **argv) {
  const char *device = NULL;
  long size = 1000;
  for (int i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "--device") == 0 && i + 1 < argc) {
      device = argv[++i];
    } else if (strcmp(argv[i], "--size") == 0 && i + 1 < argc) {
      size = strtol(argv[++i], NULL, 10);
    } else {
      fprintf(stderr, "usage: %s [--device D] [--size N]\n", argv[0]);
      return 2;
    }
  }
  if (size < 8) {
    fprintf(stderr, "c-jit-client: --size must be at least 8\n");
    return 2;
  }
  printf("vmgpu %s (C API %d)\n", vmgpu_get_version(), vmgpu_get_api_version());

  vmgpu_engine_options_t options;
  vmgpu_engine_options_init(&options);
  options.device = device;
  vmgpu_engine_t *engine = NULL;
  vmgpu_error_t *error = NULL;
  if (report(vmgpu_engine_create(&options, &engine, &error), error,
             "creating the engine"))
    return 1;
  printf("engine device: %s\n", vmgpu_engine_get_device(engine));

  failures += runSaxpyRelu(engine, size);
  failures += runDivMod(engine, size);
  failures += showErrors(engine);

  char *json = NULL;
  if (report(vmgpu_engine_get_metrics_json(engine, &json, &error), error,
             "reading the metrics"))
    ++failures;
  else
    printf("metrics: %s\n", json);
  vmgpu_string_destroy(json);
  vmgpu_engine_destroy(engine);

  printf("%s\n", failures ? "FAILED" : "PASSED");
  return failures ? 1 : 0;
}
