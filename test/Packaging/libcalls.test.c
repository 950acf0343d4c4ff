/* libcalls.test: CPU blocks that convert to and from the 16-bit float types
 * run in a host that has no libgcc_s (a C program, linked with -lvmgpu
 * alone): the conversions LLVM emits as calls (__truncdfhf2 for f64 -> f16
 * on x86 before AVX512-FP16, the bf16 ones before AVX512-BF16) come from
 * libvmgpu.so. The expected bits are worked out by hand in the comments. */
#include <vmgpu/vmgpu.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

static int failed(const char *what, vmgpu_error_t *error) {
  printf("FAILED: %s: %s\n%s", what, vmgpu_error_get_message(error),
         vmgpu_error_get_diagnostics(error));
  vmgpu_error_destroy(error);
  return 1;
}

/* Runs `ir` (one f64 argument of shape [n], one 16-bit result) on `values`
 * and compares the result's bits with `expected`. */
static int check(vmgpu_engine_t *engine, const char *name, const char *ir,
                 const double *values, const unsigned short *expected,
                 int64_t n) {
  vmgpu_error_t *error = NULL;
  vmgpu_block_t *block = NULL;
  if (vmgpu_engine_compile(engine, ir, strlen(ir), "main", &block, &error))
    return failed(name, error);
  vmgpu_tensor_t *input = NULL, *output = NULL;
  if (vmgpu_tensor_create(VMGPU_ELEMENT_TYPE_F64, &n, 1, values,
                          (size_t)n * sizeof(double), &input, &error))
    return failed(name, error);
  if (vmgpu_engine_run(engine, block, (const vmgpu_tensor_t *const *)&input,
                       1, &output, 1, &error))
    return failed(name, error);
  const unsigned short *bits = vmgpu_tensor_get_data(output);
  int mismatches = 0;
  for (int64_t i = 0; i < n; ++i)
    if (bits[i] != expected[i]) {
      printf("%s[%lld]: 0x%04x, expected 0x%04x\n", name, (long long)i,
             bits[i], expected[i]);
      ++mismatches;
    }
  printf("%s: %lld values, %d mismatches\n", name, (long long)n, mismatches);
  vmgpu_tensor_destroy(output);
  vmgpu_tensor_destroy(input);
  vmgpu_block_destroy(block);
  return mismatches != 0;
}

int main(void) {
  vmgpu_engine_options_t options;
  vmgpu_engine_options_init(&options);
  options.device = "cpu";
  vmgpu_engine_t *engine = NULL;
  vmgpu_error_t *error = NULL;
  if (vmgpu_engine_create(&options, &engine, &error))
    return failed("engine", error);
  const double values[6] = {
      1.0,
      1.0 + ldexp(1.0, -11) + ldexp(1.0, -40), /* above an f16 tie */
      65519.99,                                /* below 65520: f16 max */
      1e300,                                   /* beyond both: infinity */
      -0.0,
      ldexp(1.0, -24)};                        /* f16's smallest subnormal */
  /* f16: 1 = 0x3c00; 1 + 2^-10 = 0x3c01 (rounded once, not to 1.0 through
   * f32); 65504 = 0x7bff; +inf = 0x7c00; -0 = 0x8000; 2^-24 = 0x0001. */
  const unsigned short half[6] = {0x3c00, 0x3c01, 0x7bff, 0x7c00, 0x8000,
                                  0x0001};
  /* bf16 (8 significand bits): 1 = 0x3f80; 1 + 2^-11 + 2^-40 = 0x3f80;
   * 65519.99 lies above 65408, halfway between 65280 and 2^16: 0x4780;
   * 1e300 overflows to +inf = 0x7f80; -0 = 0x8000; 2^-24 = 0x3380. */
  const unsigned short bfloat[6] = {0x3f80, 0x3f80, 0x4780, 0x7f80, 0x8000,
                                    0x3380};
  int status =
      check(engine, "f64->f16",
            "func.func @main(%a: tensor<6xf64>) -> tensor<6xf16> {\n"
            "  %0 = vm.convert %a : tensor<6xf64> -> tensor<6xf16>\n"
            "  return %0 : tensor<6xf16>\n"
            "}\n",
            values, half, 6) |
      check(engine, "f64->bf16",
            "func.func @main(%a: tensor<6xf64>) -> tensor<6xbf16> {\n"
            "  %0 = vm.convert %a : tensor<6xf64> -> tensor<6xbf16>\n"
            "  return %0 : tensor<6xbf16>\n"
            "}\n",
            values, bfloat, 6);
  vmgpu_engine_destroy(engine);
  puts(status ? "FAILED" : "PASSED");
  return status;
}
