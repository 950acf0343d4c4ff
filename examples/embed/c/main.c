/* A host program in C that embeds vmgpu through libvmgpu.so alone: it checks
 * that the library it loaded matches the header it was compiled with,
 * compiles one block, runs it on an odd-sized input and checks every
 * element against values it computes itself. Prints PASSED (exit 0) or
 * FAILED (exit 1). Built three ways in test/Packaging: CMake, pkg-config,
 * and a plain compiler command. */

#include <vmgpu/vmgpu.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char kIR[] =
    "func.func @scale_add(%x: tensor<?xf32>, %y: tensor<?xf32>)\n"
    "    -> tensor<?xf32> {\n"
    "  %s = vm.add %x, %x : tensor<?xf32>\n"
    "  %r = vm.add %s, %y : tensor<?xf32>\n"
    "  return %r : tensor<?xf32>\n"
    "}\n";

enum { kSize = 1001 };

static int failed(const char *what, vmgpu_status_t status,
                  vmgpu_error_t *error) {
  fprintf(stderr, "%s: %s: %s\n%s", what, vmgpu_status_get_name(status),
          vmgpu_error_get_message(error), vmgpu_error_get_diagnostics(error));
  vmgpu_error_destroy(error);
  puts("FAILED");
  return 1;
}

int main(void) {
  /* The library must be the header's major release, at least its minor. */
  int major = -1, minor = -1, patch = -1;
  if (sscanf(vmgpu_get_version(), "%d.%d.%d", &major, &minor, &patch) != 3 ||
      major != VMGPU_VERSION_MAJOR || minor < VMGPU_VERSION_MINOR ||
      vmgpu_get_api_version() < VMGPU_API_VERSION) {
    fprintf(stderr,
            "library %s (API %d) does not match header %d.%d (API %d)\n",
            vmgpu_get_version(), (int)vmgpu_get_api_version(),
            VMGPU_VERSION_MAJOR, VMGPU_VERSION_MINOR, VMGPU_API_VERSION);
    puts("FAILED");
    return 1;
  }
  printf("vmgpu %s (C API %d)\n", vmgpu_get_version(),
         (int)vmgpu_get_api_version());

  vmgpu_error_t *error = NULL;
  vmgpu_engine_options_t options;
  vmgpu_engine_options_init(&options);
  options.device = "cpu";
  vmgpu_engine_t *engine = NULL;
  vmgpu_status_t status = vmgpu_engine_create(&options, &engine, &error);
  if (status != VMGPU_STATUS_OK)
    return failed("engine", status, error);

  vmgpu_block_t *block = NULL;
  status = vmgpu_engine_compile(engine, kIR, sizeof kIR - 1, "scale_add",
                                &block, &error);
  if (status != VMGPU_STATUS_OK)
    return failed("compile", status, error);

  static float x[kSize], y[kSize];
  for (int i = 0; i < kSize; ++i) {
    x[i] = (float)i * 0.25f - 100.0f;
    y[i] = (float)(kSize - i);
  }
  int64_t shape[1] = {kSize};
  vmgpu_tensor_t *inputs[2] = {NULL, NULL}, *result = NULL;
  if ((status = vmgpu_tensor_create(VMGPU_ELEMENT_TYPE_F32, shape, 1, x,
                                    sizeof x, &inputs[0], &error)) ||
      (status = vmgpu_tensor_create(VMGPU_ELEMENT_TYPE_F32, shape, 1, y,
                                    sizeof y, &inputs[1], &error)) ||
      (status = vmgpu_engine_run(engine, block,
                                 (const vmgpu_tensor_t *const *)inputs, 2,
                                 &result, 1, &error)))
    return failed("run", status, error);

  const float *r = (const float *)vmgpu_tensor_get_data(result);
  int mismatches = 0;
  for (int i = 0; i < kSize; ++i) {
    /* x + x is exact; one rounding, the sum's, on both sides. */
    volatile float twice = x[i] + x[i];
    volatile float expected = twice + y[i];
    if (r[i] != expected)
      ++mismatches;
  }
  printf("scale_add on %s: %d elements, %d mismatches\n",
         vmgpu_block_get_device(block), kSize, mismatches);

  vmgpu_tensor_destroy(result);
  vmgpu_tensor_destroy(inputs[0]);
  vmgpu_tensor_destroy(inputs[1]);
  vmgpu_block_destroy(block);
  vmgpu_engine_destroy(engine);
  puts(mismatches ? "FAILED" : "PASSED");
  return mismatches ? 1 : 0;
}
