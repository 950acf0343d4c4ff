// vm-sequential-work-to-gpu: the block work vm-parallel-loops-to-gpu left on
// the host (loops without a parallel dim, 0-d loads and stores) runs in
// one-thread kernels; buffer management stays on the host.
// RUN: vm-gpu-opt %s --split-input-file --verify-diagnostics --pass-pipeline='builtin.module(func.func(vm-sequential-work-to-gpu))' | FileCheck %s

// A full reduction: the initial store and the loop form one run (the index
// arithmetic between them stays on the host), so one kernel of one thread;
// the allocation and the return stay on the host.
// CHECK-LABEL: func.func @full_sum(
// CHECK-SAME:      %[[X:.+]]: memref<?xf32>)
// CHECK:         %[[ACC:.+]] = memref.alloc() : memref<f32>
// CHECK:         %[[N:.+]] = memref.dim %[[X]]
// CHECK:         %[[ONE:.+]] = arith.constant 1 : index
// CHECK:         gpu.launch blocks({{.+}}) in ({{.+}} = %[[ONE]], {{.+}} = %[[ONE]], {{.+}} = %[[ONE]]) threads({{.+}}) in ({{.+}} = %[[ONE]], {{.+}} = %[[ONE]], {{.+}} = %[[ONE]]) {
// CHECK:           memref.store {{.+}}, %[[ACC]][]
// CHECK:           scf.for {{.+}} to %[[N]]
// CHECK:             memref.load %[[X]]
// CHECK:             memref.store {{.+}}, %[[ACC]][]
// CHECK:           gpu.terminator
// CHECK:         }
// CHECK-NOT:     memref.load
// CHECK:         return %[[ACC]]
func.func @full_sum(%x: memref<?xf32>) -> memref<f32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %acc = memref.alloc() : memref<f32>
  memref.store %zero, %acc[] : memref<f32>
  %n = memref.dim %x, %c0 : memref<?xf32>
  scf.for %i = %c0 to %n step %c1 {
    %v = memref.load %x[%i] : memref<?xf32>
    %a = memref.load %acc[] : memref<f32>
    %s = arith.addf %a, %v : f32
    memref.store %s, %acc[] : memref<f32>
  }
  return %acc : memref<f32>
}

// -----

// A 0-d op: the pure op that computes on a load joins the run, so the value
// never reaches the host. Host ops (an allocation) split runs: two kernels.
// Existing launches are host ops too and are left as they are.
// CHECK-LABEL: func.func @zero_dims(
// CHECK:         gpu.launch
// CHECK-NEXT:      memref.load
// CHECK-NEXT:      arith.negf
// CHECK-NEXT:      memref.store
// CHECK-NEXT:      gpu.terminator
// CHECK:         memref.alloc
// CHECK:         gpu.launch
// CHECK-NEXT:      memref.store
// CHECK-NEXT:      gpu.terminator
// CHECK:         gpu.launch
// CHECK-NEXT:      gpu.terminator
// CHECK-NOT:     gpu.launch
// CHECK:         return
func.func @zero_dims(%a: memref<f32>, %b: memref<f32>) -> memref<f32> {
  %c1 = arith.constant 1 : index
  %v = memref.load %a[] : memref<f32>
  %n = arith.negf %v : f32
  memref.store %n, %b[] : memref<f32>
  %c = memref.alloc() : memref<f32>
  %two = arith.constant 2.0 : f32
  memref.store %two, %c[] : memref<f32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    gpu.terminator
  }
  return %c : memref<f32>
}

// -----

// Work whose result the host needs cannot move into a kernel.
func.func @escaping(%a: memref<f32>) -> f32 {
  // expected-error @+1 {{its result is used by host code, so it cannot run in a GPU kernel}}
  %v = memref.load %a[] : memref<f32>
  return %v : f32
}

// -----

// A conditional inside a loop (a scatter over its updates): the loop moves
// into one kernel as a whole and the store under the conditional stays in
// it; it must not become a kernel of its own inside that kernel.
// CHECK-LABEL: func.func @conditional_in_loop(
// CHECK:         gpu.launch
// CHECK:           scf.for
// CHECK:             scf.if
// CHECK-NEXT:          memref.store
// CHECK-NEXT:        }
// CHECK:           gpu.terminator
// CHECK-NOT:     gpu.launch
// CHECK:         return
func.func @conditional_in_loop(%idx: memref<61xi64>, %upd: memref<61xf32>,
                               %out: memref<7xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c61 = arith.constant 61 : index
  %c7 = arith.constant 7 : i64
  scf.for %i = %c0 to %c61 step %c1 {
    %k = memref.load %idx[%i] : memref<61xi64>
    %u = memref.load %upd[%i] : memref<61xf32>
    %inside = arith.cmpi ult, %k, %c7 : i64
    %j = arith.index_cast %k : i64 to index
    scf.if %inside {
      memref.store %u, %out[%j] : memref<7xf32>
    }
  }
  return
}

// -----

// A conditional on the host path keeps its blocks as host code: the work
// in each branch becomes a kernel of its own.
// CHECK-LABEL: func.func @host_conditional(
// CHECK:         scf.if
// CHECK-NEXT:      arith.constant 1 : index
// CHECK-NEXT:      gpu.launch
// CHECK-NEXT:        memref.store
// CHECK-NEXT:        gpu.terminator
func.func @host_conditional(%p: i1, %out: memref<f32>) {
  %one = arith.constant 1.0 : f32
  scf.if %p {
    memref.store %one, %out[] : memref<f32>
  }
  return
}
