// --device rocm on a machine without a usable AMD GPU (every machine here):
// the block runs on the CPU, a note says why, and the metrics count the
// fallback under its reason; --no-fallback turns the reason into an error.
// RUN: rm -rf %t && mkdir -p %t
// RUN: env VMGPU_CACHE_DIR=%t/cache vm-gpu-run %s --device rocm --output-dir %t/out --metrics-json %t/m.json 2>&1 | FileCheck %s --check-prefix=NOTE
// RUN: FileCheck %s --check-prefix=METRICS < %t/m.json
// RUN: ls %t/out | FileCheck %s --check-prefix=OUT
// RUN: env VMGPU_CACHE_DIR=%t/cache not vm-gpu-run %s --device rocm:1 --no-fallback --output-dir %t/none 2>&1 | FileCheck %s --check-prefix=ERROR
// RUN: not ls %t/none

// NOTE: vm-gpu-run: note: running on the CPU: rocm: {{.+}}
// METRICS: "executions.cpu": 1,
// METRICS: "executions.gpu": 0,
// METRICS: "fallbacks": 1,
// METRICS-NEXT: "fallbacks.reasons": {
// METRICS-NEXT: "rocm: {{.+}}": 1
// OUT: out0.npy
// ERROR: vm-gpu-run: error: rocm: {{.+}}

func.func @main() -> tensor<2xf32> {
  %a = vm.constant dense<[1.5, -2.0]> : tensor<2xf32>
  %b = vm.add %a, %a : tensor<2xf32>
  return %b : tensor<2xf32>
}
