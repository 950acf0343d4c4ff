// A CPU block compiled for the BLAS (--contraction-strategy=library) does not
// load where no BLAS does: vm-gpu-exec, which runs the artifact as it is,
// fails cleanly naming the library it looked for. Through the engine
// (vm-gpu-run) the same program compiles with the generated strategy there
// and runs, making no library call.
// RUN: rm -rf %t && mkdir -p %t
// RUN: vm-gpu-compile %s --target cpu --contraction-strategy=library -o %t/library.vmgpu
// RUN: env VMGPU_BLAS_LIBRARY=%t/no-such-blas.so.0 not vm-gpu-exec %t/library.vmgpu --device cpu --output-dir %t/x 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not ls %t/x
// RUN: env VMGPU_BLAS_LIBRARY=%t/no-such-blas.so.0 VMGPU_CACHE_DIR=%t/cache vm-gpu-run %s --device cpu --contraction-strategy=library --output-dir %t/generated --metrics-json %t/generated.json
// RUN: FileCheck %s --check-prefix=GENERATED < %t/generated.json
// RUN: ls %t/generated | FileCheck %s --check-prefix=OUT

// MISSING: vm-gpu-exec: error: the block calls a BLAS library (contraction strategy `library`) and none loads here: no BLAS library ({{.*}}no-such-blas.so.0 not found)
// GENERATED: "executions.cpu": 1,
// GENERATED: "library.gemm_calls": 0,
// OUT: out0.npy

func.func @main() -> tensor<64x48xf32> {
  %a = vm.constant dense<0.5> : tensor<64x32xf32>
  %b = vm.constant dense<2.0> : tensor<32x48xf32>
  %c = vm.matmul %a, %b : (tensor<64x32xf32>, tensor<32x48xf32>) -> tensor<64x48xf32>
  return %c : tensor<64x48xf32>
}
