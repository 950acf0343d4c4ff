// Where a BLAS loads: --contraction-strategy=library runs the f32 matmul
// through it (one library call per run), `auto` only from 2^28
// multiply-adds on (the 64 x 32 x 48 one stays generated), `generated` never.
// The f16 matmul is generated code with every strategy.
// REQUIRES: cpu-blas
// RUN: rm -rf %t && mkdir -p %t
// RUN: env VMGPU_CACHE_DIR=%t/cache vm-gpu-run %s --device cpu --contraction-strategy=library --repeat 3 --output-dir %t/library --metrics-json %t/library.json
// RUN: FileCheck %s --check-prefix=LIBRARY < %t/library.json
// RUN: env VMGPU_CACHE_DIR=%t/cache vm-gpu-run %s --device cpu --contraction-strategy=auto --output-dir %t/auto --metrics-json %t/auto.json
// RUN: FileCheck %s --check-prefix=NONE < %t/auto.json
// RUN: env VMGPU_CACHE_DIR=%t/cache vm-gpu-run %s --device cpu --contraction-strategy=generated --output-dir %t/generated --metrics-json %t/generated.json
// RUN: FileCheck %s --check-prefix=NONE < %t/generated.json
// RUN: env VMGPU_CACHE_DIR=%t/cache vm-gpu-run %s --entry large --device cpu --output-dir %t/large --metrics-json %t/large.json
// RUN: FileCheck %s --check-prefix=ONE < %t/large.json

// LIBRARY: "library.gemm_calls": 3,
// NONE: "library.gemm_calls": 0,
// ONE: "library.gemm_calls": 1,

func.func @main() -> (tensor<64x48xf32>, tensor<16x16xf16>) {
  %a = vm.constant dense<0.5> : tensor<64x32xf32>
  %b = vm.constant dense<2.0> : tensor<32x48xf32>
  %c = vm.matmul %a, %b : (tensor<64x32xf32>, tensor<32x48xf32>) -> tensor<64x48xf32>
  %x = vm.constant dense<1.0> : tensor<16x8xf16>
  %y = vm.constant dense<1.0> : tensor<8x16xf16>
  %z = vm.matmul %x, %y : (tensor<16x8xf16>, tensor<8x16xf16>) -> tensor<16x16xf16>
  return %c, %z : tensor<64x48xf32>, tensor<16x16xf16>
}

// 512 x 512 x 1024 = 2^28 multiply-adds: the default strategy (auto) takes
// the BLAS.
func.func @large() -> tensor<512x512xf32> {
  %a = vm.constant dense<0.5> : tensor<512x1024xf32>
  %b = vm.constant dense<2.0> : tensor<1024x512xf32>
  %c = vm.matmul %a, %b : (tensor<512x1024xf32>, tensor<1024x512xf32>) -> tensor<512x512xf32>
  return %c : tensor<512x512xf32>
}
