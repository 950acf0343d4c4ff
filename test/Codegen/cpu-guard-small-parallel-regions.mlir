// RUN: vm-gpu-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(vm-cpu-guard-small-parallel-regions{min-parallel-work=1000}))' | FileCheck %s
// RUN: vm-gpu-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(vm-cpu-guard-small-parallel-regions{min-parallel-work=0}))' | FileCheck %s --check-prefix=OFF

// A loop of run-time size over a 4-op body (with the yield): the region
// forks its threads only for more than 1000 / 4 = 250 iterations,
// max(n - 0, 0) / 1 of them.
// CHECK-LABEL: func.func @dynamic
//  CHECK-SAME: (%[[N:.+]]: index,
//       CHECK: %[[EXTENT:.+]] = arith.subi %[[N]], %c0
//       CHECK: %[[POSITIVE:.+]] = arith.maxsi %[[EXTENT]], %{{.+}}
//       CHECK: %[[TRIPS:.+]] = arith.ceildivui %[[POSITIVE]], %c1
//       CHECK: %[[WORTH:.+]] = arith.cmpi ugt, %[[TRIPS]], %c250
//       CHECK: omp.parallel if(%[[WORTH]]) {
//  CHECK-NEXT:   omp.wsloop {
// OFF-LABEL: func.func @dynamic
//       OFF: omp.parallel {
func.func @dynamic(%n: index, %in: memref<?xf32>, %out: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%n) step (%c1) {
        %x = memref.load %in[%i] : memref<?xf32>
        %y = arith.addf %x, %x : f32
        memref.store %y, %out[%i] : memref<?xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  return
}

// -----

// Two collapsed dims, the inner one in chunks of at most 64 (2 ops each
// with the chunk loop): 2 + 64 x 2 + 2 = 132 operations per iteration, so
// more than 1000 / 132 = 7 iterations (rows x chunks) fork the threads.
// CHECK-LABEL: func.func @chunks
//  CHECK-SAME: (%[[M:[^:]+]]: index, %[[N:[^:]+]]: index,
//       CHECK: %[[ROWS:.+]] = arith.ceildivui %{{.+}}, %c1
//       CHECK: %[[CHUNKS:.+]] = arith.ceildivui %{{.+}}, %c64
//       CHECK: %[[TRIPS:.+]] = arith.muli %[[ROWS]], %[[CHUNKS]]
//       CHECK: %[[WORTH:.+]] = arith.cmpi ugt, %[[TRIPS]], %c7
//       CHECK: omp.parallel if(%[[WORTH]])
func.func @chunks(%m: index, %n: index, %out: memref<?x?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i, %j) : index = (%c0, %c0) to (%m, %n) step (%c1, %c64) collapse(2) {
        %end = arith.addi %j, %c64 : index
        %stop = arith.minsi %end, %n : index
        scf.for %k = %j to %stop step %c1 {
          memref.store %zero, %out[%i, %k] : memref<?x?xf32>
        }
        omp.yield
      }
    }
    omp.terminator
  }
  return
}

// -----

// A body of unknown work (a call: the BLAS tiles) still runs one iteration
// on the calling thread.
// CHECK-LABEL: func.func @unknown_body
//       CHECK: %[[WORTH:.+]] = arith.cmpi ugt, %{{.+}}, %c1{{(_[0-9]+)?}} : index
//       CHECK: omp.parallel if(%[[WORTH]])
func.func private @tile(index)
func.func @unknown_body(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%n) step (%c1) {
        func.call @tile(%i) : (index) -> ()
        omp.yield
      }
    }
    omp.terminator
  }
  return
}

// -----

// Left alone: static bounds (vm-cpu-serialize-small-loops decided), a
// region that already has an `if`, a step known only at run time, a region
// with more than its loop.
// CHECK-LABEL: func.func @left_alone
//   CHECK-NOT: arith.cmpi
//       CHECK: omp.parallel {
//       CHECK: omp.parallel if(%{{.+}}) {
//       CHECK: omp.parallel {
//       CHECK: omp.parallel {
func.func @left_alone(%n: index, %step: index, %c: i1, %out: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c100 = arith.constant 100 : index
  %zero = arith.constant 0.0 : f32
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%c100) step (%c1) {
        memref.store %zero, %out[%i] : memref<?xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  omp.parallel if(%c) {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%n) step (%c1) {
        memref.store %zero, %out[%i] : memref<?xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%n) step (%step) {
        memref.store %zero, %out[%i] : memref<?xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  omp.parallel {
    memref.store %zero, %out[%c0] : memref<?xf32>
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%n) step (%c1) {
        memref.store %zero, %out[%i] : memref<?xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  return
}

// -----

// A region left alone (static bounds) may hold one that is guarded; an
// inclusive loop is left alone.
// CHECK-LABEL: func.func @nested
//       CHECK: omp.parallel {
//       CHECK:   omp.loop_nest
//       CHECK:     arith.cmpi ugt
//       CHECK:     omp.parallel if(
//       CHECK: omp.parallel {
//       CHECK:   omp.loop_nest {{.*}} inclusive
func.func @nested(%n: index, %out: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%c4) step (%c1) {
        omp.parallel {
          omp.wsloop {
            omp.loop_nest (%j) : index = (%c0) to (%n) step (%c1) {
              memref.store %zero, %out[%j] : memref<?xf32>
              omp.yield
            }
          }
          omp.terminator
        }
        omp.yield
      }
    }
    omp.terminator
  }
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%n) inclusive step (%c1) {
        memref.store %zero, %out[%i] : memref<?xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  return
}
