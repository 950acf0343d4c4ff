// RUN: vm-gpu-opt %s --split-input-file --verify-diagnostics --vm-cpu-allocation-hooks | FileCheck %s

// vm-cpu-allocation-hooks: the generic allocation functions become indirect
// calls through two external globals (null until the runtime stores its
// allocator there), and their declarations go. The allocation's result is
// noalias, as malloc's is.

// CHECK-NOT: llvm.func @_mlir_memref_to_llvm_alloc
// CHECK-NOT: llvm.func @_mlir_memref_to_llvm_free
// CHECK-LABEL: llvm.func @f(
//  CHECK-SAME: %[[N:.+]]: i64)
//       CHECK: %[[AH:.+]] = llvm.mlir.addressof @__vmgpu_cpu_alloc_hook : !llvm.ptr
//       CHECK: %[[ALLOC:.+]] = llvm.load %[[AH]] : !llvm.ptr -> !llvm.ptr
//       CHECK: %[[P:.+]] = llvm.call %[[ALLOC]](%[[N]]) : !llvm.ptr, (i64) -> (!llvm.ptr {llvm.noalias})
//       CHECK: omp.parallel
// A fixed-size stack slot (OpenMP reductions, descriptors) is fine.
//       CHECK: llvm.alloca %{{.+}} x f32
//       CHECK: %[[FH:.+]] = llvm.mlir.addressof @__vmgpu_cpu_free_hook : !llvm.ptr
//       CHECK: %[[FREE:.+]] = llvm.load %[[FH]] : !llvm.ptr -> !llvm.ptr
//       CHECK: llvm.call %[[FREE]](%[[P]]) : !llvm.ptr, (!llvm.ptr) -> ()
// Other calls are left alone.
//       CHECK: llvm.call @other(
//   CHECK-NOT: _mlir_memref_to_llvm
//       CHECK: llvm.mlir.global external @__vmgpu_cpu_alloc_hook() {{.*}}: !llvm.ptr {
//  CHECK-NEXT:   %[[NULL:.+]] = llvm.mlir.zero : !llvm.ptr
//  CHECK-NEXT:   llvm.return %[[NULL]] : !llvm.ptr
//       CHECK: llvm.mlir.global external @__vmgpu_cpu_free_hook() {{.*}}: !llvm.ptr {
//  CHECK-NEXT:   %[[NULL2:.+]] = llvm.mlir.zero : !llvm.ptr
//  CHECK-NEXT:   llvm.return %[[NULL2]] : !llvm.ptr
// A block without library GEMMs has no GEMM hook.
//   CHECK-NOT: __vmgpu_cpu_gemm_hook
module {
  llvm.func @_mlir_memref_to_llvm_alloc(i64) -> !llvm.ptr
  llvm.func @_mlir_memref_to_llvm_free(!llvm.ptr)
  llvm.func @other(%p: !llvm.ptr) {
    llvm.return
  }
  llvm.func @f(%n: i64) {
    %p = llvm.call @_mlir_memref_to_llvm_alloc(%n) : (i64) -> !llvm.ptr
    omp.parallel {
      omp.terminator
    }
    %one = llvm.mlir.constant(1 : i64) : i64
    %slot = llvm.alloca %one x f32 : (i64) -> !llvm.ptr
    llvm.call @_mlir_memref_to_llvm_free(%p) : (!llvm.ptr) -> ()
    llvm.call @other(%slot) : (!llvm.ptr) -> ()
    llvm.return
  }
}

// -----

// Inside an OpenMP region the allocation would run on a worker thread,
// where a failure cannot end the run.
module {
  llvm.func @_mlir_memref_to_llvm_alloc(i64) -> !llvm.ptr
  llvm.func @f(%n: i64) {
    omp.parallel {
      // expected-error @+1 {{'_mlir_memref_to_llvm_alloc' must be called at the top level of a function}}
      %p = llvm.call @_mlir_memref_to_llvm_alloc(%n) : (i64) -> !llvm.ptr
      omp.terminator
    }
    llvm.return
  }
}

// -----

// The CPU library GEMM (vm-cpu-lower-contractions-to-library): the plan call
// at the top level and the tile calls in OpenMP regions all go through the
// GEMM hook, a third global made for blocks that call it.
// CHECK-LABEL: llvm.func @gemm(
//  CHECK-SAME: %[[T:[^:]+]]: i32, %[[S:[^:]+]]: i64)
//       CHECK: %[[GH:.+]] = llvm.mlir.addressof @__vmgpu_cpu_gemm_hook : !llvm.ptr
//       CHECK: %[[GEMM:.+]] = llvm.load %[[GH]] : !llvm.ptr -> !llvm.ptr
//       CHECK: %[[TILES:.+]] = llvm.call %[[GEMM]](%[[T]], {{.*}}, %[[PLAN:.+]]) : !llvm.ptr, (i32, i32, i32, i32, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> i64
//       CHECK: omp.parallel
//       CHECK:   %[[GH2:.+]] = llvm.mlir.addressof @__vmgpu_cpu_gemm_hook : !llvm.ptr
//       CHECK:   %[[GEMM2:.+]] = llvm.load %[[GH2]] : !llvm.ptr -> !llvm.ptr
//       CHECK:   llvm.call %[[GEMM2]](%[[T]], {{.*}}, %[[TILES]]) : !llvm.ptr
//   CHECK-NOT: llvm.func @vmgpuCpuGemm
//       CHECK: llvm.mlir.global external @__vmgpu_cpu_gemm_hook() {{.*}}: !llvm.ptr {
module {
  llvm.func @vmgpuCpuGemm(i32, i32, i32, i32, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> i64
  llvm.func @gemm(%t: i32, %s: i64) {
    %plan = llvm.mlir.constant(-1 : i64) : i64
    %tiles = llvm.call @vmgpuCpuGemm(%t, %t, %t, %t, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %plan) : (i32, i32, i32, i32, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> i64
    omp.parallel {
      %unused = llvm.call @vmgpuCpuGemm(%t, %t, %t, %t, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %tiles) : (i32, i32, i32, i32, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> i64
      omp.terminator
    }
    llvm.return
  }
}

// -----

// The plan call may end the run: not from a worker thread.
module {
  llvm.func @vmgpuCpuGemm(i32, i32, i32, i32, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> i64
  llvm.func @gemm(%t: i32, %s: i64) {
    omp.parallel {
      %plan = llvm.mlir.constant(-1 : i64) : i64
      // expected-error @+1 {{the plan call of 'vmgpuCpuGemm' must be made at the top level of a function}}
      %tiles = llvm.call @vmgpuCpuGemm(%t, %t, %t, %t, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %plan) : (i32, i32, i32, i32, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> i64
      omp.terminator
    }
    llvm.return
  }
}

// -----

module {
  llvm.func @f(%n: i64) {
    // expected-error @+1 {{a stack allocation with a run-time size (the input could overflow the stack)}}
    %slot = llvm.alloca %n x f32 : (i64) -> !llvm.ptr
    llvm.return
  }
}

// -----

// expected-error @+1 {{the symbol '__vmgpu_cpu_alloc_hook' is reserved for the runtime's hooks}}
module {
  llvm.mlir.global external @__vmgpu_cpu_alloc_hook() : i64
}

// -----

// expected-error @+1 {{the symbol '__vmgpu_cpu_gemm_hook' is reserved for the runtime's hooks}}
module {
  llvm.func @vmgpuCpuGemm(i32, i32, i32, i32, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> i64
  llvm.mlir.global external @__vmgpu_cpu_gemm_hook() : i64
  llvm.func @gemm(%t: i32, %s: i64) {
    %tiles = llvm.call @vmgpuCpuGemm(%t, %t, %t, %t, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) : (i32, i32, i32, i32, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> i64
    llvm.return
  }
}
