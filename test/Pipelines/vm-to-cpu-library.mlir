// RUN: vm-gpu-opt %s --vm-to-cpu="contraction-strategy=library" | FileCheck %s
// RUN: vm-gpu-opt %s --vm-to-cpu="contraction-strategy=library parallel=false" | FileCheck %s --check-prefix=SEQ
// RUN: vm-gpu-opt %s --vm-to-cpu | FileCheck %s --check-prefix=GEN

// vm-to-cpu with the BLAS for contractions: an f32 matmul becomes the plan
// call on the calling thread and a work-sharing loop over its tiles (forked
// only for several tiles), both
// through the GEMM hook the runtime fills; the f16 matmul stays generated
// code. Sequential blocks loop over the same tiles on one thread. The default
// strategy (generated) makes no call and no hook.

// CHECK-LABEL: llvm.func @main(
//       CHECK:   llvm.mlir.addressof @__vmgpu_cpu_gemm_hook
//       CHECK:   %[[TILES:.+]] = llvm.call %{{.+}}({{.*}}) : !llvm.ptr, ({{.*}}) -> i64
// Threads only for more than one tile (vm-cpu-guard-small-parallel-regions):
// a plan of one tile, or one the runtime computed itself, stays on this one.
//       CHECK:   %[[SEVERAL:.+]] = llvm.icmp "ugt" %{{.+}}, %{{.+}} : i64
//       CHECK:   omp.parallel if(%[[SEVERAL]])
//       CHECK:     omp.wsloop
//       CHECK:       llvm.mlir.addressof @__vmgpu_cpu_gemm_hook
//       CHECK:       llvm.call %{{.+}}({{.*}}) : !llvm.ptr, ({{.*}}) -> i64
// The f16 matmul: register tiles of FMAs.
//       CHECK:   llvm.intr.fmuladd
//       CHECK: llvm.mlir.global external @__vmgpu_cpu_gemm_hook()
//   CHECK-NOT: llvm.func @vmgpuCpuGemm

// SEQ-LABEL: llvm.func @main(
//   SEQ-NOT:   omp.
//       SEQ:   llvm.mlir.addressof @__vmgpu_cpu_gemm_hook
//       SEQ:   llvm.call %{{.+}}({{.*}}) : !llvm.ptr, ({{.*}}) -> i64
//       SEQ:   llvm.mlir.addressof @__vmgpu_cpu_gemm_hook
//       SEQ:   llvm.call %{{.+}}({{.*}}) : !llvm.ptr, ({{.*}}) -> i64

// GEN-NOT: __vmgpu_cpu_gemm_hook
// GEN-NOT: vmgpuCpuGemm

func.func @main(%a: tensor<96x64xf32>, %b: tensor<64x80xf32>,
                %x: tensor<32x16xf16>, %y: tensor<16x48xf16>)
    -> (tensor<96x80xf32>, tensor<32x48xf16>) {
  %c = vm.matmul %a, %b : (tensor<96x64xf32>, tensor<64x80xf32>) -> tensor<96x80xf32>
  %z = vm.matmul %x, %y : (tensor<32x16xf16>, tensor<16x48xf16>) -> tensor<32x48xf16>
  return %c, %z : tensor<96x80xf32>, tensor<32x48xf16>
}
