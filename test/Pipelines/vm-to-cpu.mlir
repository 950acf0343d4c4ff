// RUN: vm-gpu-opt %s --vm-to-cpu="min-parallel-work=0" | FileCheck %s
// RUN: vm-gpu-opt %s --vm-to-cpu | FileCheck %s --check-prefix=ONLY
// RUN: vm-gpu-opt %s --vm-to-cpu="parallel=false" | FileCheck %s --check-prefix=SEQ
// RUN: vm-gpu-opt %s --vm-to-cpu="parallel=false" | FileCheck %s --check-prefix=ONLY

// The vm-to-cpu pipeline: vm in, only the llvm dialect out (plus omp with
// parallel=true, the default), with a C interface per entry point and an
// outlined shape check for entry points with dynamic shapes. The CHECK
// run keeps every parallel loop parallel (`min-parallel-work=0`): the
// static blocks below are small enough to run on one thread by default
// (vm-cpu-serialize-small-loops, test/Codegen/cpu-serialize-small-loops.mlir).

// Nothing but llvm/omp ops is left, in particular no vm, linalg, memref or
// cf.assert, and no call into the runner library.
//  ONLY-NOT: {{^ *(%[^ ]+ = )?"?(vm|linalg|memref|tensor|bufferization|scf|cf|arith|math|func|affine|index|builtin)\.}}
//  ONLY-NOT: memrefCopy
// Buffers come from the runtime's allocator (through the hooks), never from
// malloc or the generic allocation functions directly.
//  ONLY-NOT: {{llvm.call @(malloc|free|_mlir_memref_to_llvm_)}}
//  ONLY-NOT: llvm.intr.fmuladd
//  ONLY-NOT: {{fastmath<[^>]*contract}}

// The module keeps the check messages of @main only.
//       CHECK: module attributes {vmgpu.shape_checks.main = ["'vm.mul' at {{.+}}: operand #1 must have the shape of operand #0 (dimension 0)", "'vm.mul' at {{.+}}: operand #1 must have the shape of operand #0 (dimension 1)",
//  CHECK-NOT: vmgpu.shape_checks.fma
//  CHECK-SAME: ]} {

// The check entry point: dims in, i32 out, no loops and no memory.
// CHECK-LABEL: llvm.func @__vmgpu_check_main(
//  CHECK-SAME: -> i32 attributes {llvm.emit_c_interface} {
//   CHECK-NOT: omp.
//   CHECK-NOT: llvm.call
//   CHECK-NOT: llvm.load
//       CHECK: llvm.icmp "eq"
//       CHECK: llvm.select
//       CHECK: llvm.return %{{.+}} : i32
// CHECK-LABEL: llvm.func @_mlir_ciface___vmgpu_check_main(
//  CHECK-SAME: %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr) -> i32
//       CHECK: llvm.call @__vmgpu_check_main(

// The memory-bound entry point: dims in, bytes out as i64 (saturating
// arithmetic), no loops and no memory.
// CHECK-LABEL: llvm.func @__vmgpu_memory_main(
//  CHECK-SAME: -> i64 attributes {llvm.emit_c_interface} {
//   CHECK-NOT: omp.
//   CHECK-NOT: llvm.call
//   CHECK-NOT: llvm.load
//       CHECK: llvm.icmp "ult"
//       CHECK: llvm.select
//       CHECK: llvm.return %{{.+}} : i64
// CHECK-LABEL: llvm.func @_mlir_ciface___vmgpu_memory_main(
//  CHECK-SAME: %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr) -> i64
//       CHECK: llvm.call @__vmgpu_memory_main(

// The mul + add + max chain is fused into one 2-D work-sharing loop; the mul
// and add stay separately rounded (no fma, no fmuladd, no contract flag).
// CHECK-LABEL: llvm.func @main(
//  CHECK-SAME: attributes {llvm.emit_c_interface} {
//       CHECK: %[[HOOK:.+]] = llvm.mlir.addressof @__vmgpu_cpu_alloc_hook : !llvm.ptr
//       CHECK: %[[ALLOC:.+]] = llvm.load %[[HOOK]] : !llvm.ptr -> !llvm.ptr
//       CHECK: llvm.call %[[ALLOC]](%{{.+}}) : !llvm.ptr, (i64) -> (!llvm.ptr {llvm.noalias})
//       CHECK: omp.parallel {
//  CHECK-NEXT:   omp.wsloop {
//  CHECK-NEXT:     omp.loop_nest (%{{.+}}, %{{.+}}) : i64 = {{.+}} collapse(2) {
//       CHECK:       %[[P:.+]] = llvm.fmul %{{.+}}, %{{.+}} : f32
//  CHECK-NEXT:       %[[S:.+]] = llvm.fadd %[[P]], %{{.+}} : f32
// vm.max is spelled out in compares, selects and an `and` of the bits for
// the signed-zero tie (no llvm.intr.maximum, whose expansions differ).
//   CHECK-NOT:       llvm.intr.maximum
//       CHECK:       llvm.and %{{.+}}, %{{.+}} : i32
//       CHECK:       llvm.fcmp "ogt" %[[S]], %{{.+}} : f32
//       CHECK:       llvm.fcmp "uno" %[[S]], %[[S]] : f32
//       CHECK:       llvm.store
//       CHECK:       omp.yield
//   CHECK-NOT: omp.wsloop
//       CHECK: llvm.return
// CHECK-LABEL: llvm.func @_mlir_ciface_main(
//  CHECK-SAME: %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr, %{{.+}}: !llvm.ptr) attributes {llvm.emit_c_interface}
//       CHECK: llvm.call @main(

//       SEQ: module attributes {vmgpu.shape_checks.main =
//   SEQ-NOT: omp.
//       SEQ: llvm.func @__vmgpu_check_main(
//       SEQ: llvm.func @main(
//       SEQ:   llvm.cond_br
//       SEQ:   llvm.cond_br
//       SEQ:   llvm.fmul
//  SEQ-NEXT:   llvm.fadd
//       SEQ:   llvm.br
//       SEQ: llvm.func @_mlir_ciface_main(
//   SEQ-NOT: omp.
func.func @main(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %0 = vm.mul %a, %b : tensor<?x?xf32>
  %1 = vm.add %0, %b : tensor<?x?xf32>
  %2 = vm.max %1, %a : tensor<?x?xf32>
  return %2 : tensor<?x?xf32>
}

// vm.fma is the one fused op. Fully static: no check entry point.
//   CHECK-NOT: __vmgpu_check_fma
// CHECK-LABEL: llvm.func @fma(
//       CHECK: omp.wsloop
//   CHECK-NOT: llvm.fmul
//       CHECK: llvm.intr.fma(%{{.+}}, %{{.+}}, %{{.+}}) : (f64, f64, f64) -> f64
//   CHECK-NOT: llvm.fadd
//       CHECK: llvm.return
// CHECK-LABEL: llvm.func @_mlir_ciface_fma(
//
//       SEQ: llvm.func @fma(
//       SEQ:   llvm.intr.fma
func.func @fma(%a: tensor<8xf64>, %b: tensor<8xf64>, %c: tensor<8xf64>) -> tensor<8xf64> {
  %0 = vm.fma %a, %b, %c : tensor<8xf64>
  return %0 : tensor<8xf64>
}

// f32 fma: a single fused operation too (fmaf from libm or the intrinsic),
// never a separate multiply and add.
// CHECK-LABEL: llvm.func @fma_f32(
//   CHECK-NOT: llvm.fmul
//       CHECK: {{llvm.call @fmaf|llvm.intr.fma}}(%{{.+}}, %{{.+}}, %{{.+}}) : (f32, f32, f32) -> f32
//   CHECK-NOT: llvm.fadd
//       CHECK: llvm.return
func.func @fma_f32(%a: tensor<8xf32>, %b: tensor<8xf32>, %c: tensor<8xf32>) -> tensor<8xf32> {
  %0 = vm.fma %a, %b, %c : tensor<8xf32>
  return %0 : tensor<8xf32>
}

// A reduction: the parallel dim is work-shared, the reduced dim is a
// sequential loop inside it (no OpenMP reduction, so float results do not
// depend on the thread count). The zero fill of the output is no loop of its
// own: the strategy starts from its value; and the step that would combine
// several segments per row is gone (one segment: no iteration).
// CHECK-LABEL: llvm.func @rowsum(
//       CHECK: omp.wsloop {
//  CHECK-NEXT:   omp.loop_nest (%{{[^)]+}}) : i64
//       CHECK:     llvm.cond_br
//       CHECK:     llvm.fadd
//       CHECK:     llvm.br
//   CHECK-NOT: omp.wsloop
//       CHECK: llvm.return
//   CHECK-NOT: omp.declare_reduction
func.func @rowsum(%a: tensor<4x16xf32>) -> tensor<4xf32> {
  %0 = vm.reduce %a {kind = "sum", dims = array<i64: 1>} : tensor<4x16xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// A strided slice that is returned is copied with loops (ONLY-NOT memrefCopy).
// CHECK-LABEL: llvm.func @strided(
//       CHECK: llvm.mlir.addressof @__vmgpu_cpu_alloc_hook
//       CHECK: omp.wsloop
//       CHECK: llvm.load
//       CHECK: llvm.store
// CHECK-LABEL: llvm.func @_mlir_ciface_strided(
// The hooks: external, null until the runtime sets them.
//       CHECK: llvm.mlir.global external @__vmgpu_cpu_alloc_hook()
//       CHECK: llvm.mlir.zero : !llvm.ptr
//       CHECK: llvm.mlir.global external @__vmgpu_cpu_free_hook()
//       CHECK: llvm.mlir.zero : !llvm.ptr
func.func @strided(%a: tensor<8x6xf64>) -> tensor<4x2xf64> {
  %0 = vm.slice %a {offsets = array<i64: 1, 0>, sizes = array<i64: 4, 2>, strides = array<i64: 2, 3>} : tensor<8x6xf64> -> tensor<4x2xf64>
  return %0 : tensor<4x2xf64>
}
