// RUN: vm-gpu-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(vm-cpu-serialize-small-loops{min-parallel-work=1000}))' | FileCheck %s
// RUN: vm-gpu-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(vm-cpu-serialize-small-loops{min-parallel-work=0}))' | FileCheck %s --check-prefix=OFF

// 4 x 8 iterations of a 4-op body: 129 operations with the loop itself,
// below the threshold: nested scf.for loops over the same body.
// CHECK-LABEL: func.func @small
//   CHECK-NOT: scf.parallel
//       CHECK: scf.for %[[I:.+]] = %c0 to %c4 step %c1 {
//       CHECK:   scf.for %[[J:.+]] = %c0 to %c8 step %c1 {
//       CHECK:     memref.load %{{.+}}[%[[I]], %[[J]]]
//       CHECK:     arith.addf
//       CHECK:     arith.mulf
//       CHECK:     memref.store %{{.+}}, %{{.+}}[%[[I]], %[[J]]]
// OFF-LABEL: func.func @small
//       OFF: scf.parallel
func.func @small(%in: memref<4x8xf32>, %out: memref<4x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c8) step (%c1, %c1) {
    %x = memref.load %in[%i, %j] : memref<4x8xf32>
    %y = arith.addf %x, %x : f32
    %z = arith.mulf %y, %x : f32
    memref.store %z, %out[%i, %j] : memref<4x8xf32>
  }
  return
}

// -----

// 64 x 64 iterations: above the threshold, parallel.
// CHECK-LABEL: func.func @large
//       CHECK: scf.parallel
func.func @large(%out: memref<64x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%c64, %c64) step (%c1, %c1) {
    memref.store %zero, %out[%i, %j] : memref<64x64xf32>
  }
  return
}

// -----

// A sequential loop inside counts its trip count: 4 x (1 + 200 x 2) ops is
// above 1000; 4 x (1 + 10 x 2) is below, and the inner parallel loop of the
// small nest is serialized with it (it would otherwise be a region of its
// own inside the sequential loop).
// CHECK-LABEL: func.func @nested
//       CHECK: scf.parallel (%{{.+}}) = (%c0) to (%c4)
//       CHECK:   scf.for %{{.+}} = %c0 to %c200
//       CHECK: scf.for %{{.+}} = %c0 to %c4
//   CHECK-NOT: scf.parallel
//       CHECK: return
func.func @nested(%out: memref<4x200xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c10 = arith.constant 10 : index
  %c200 = arith.constant 200 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    scf.for %j = %c0 to %c200 step %c1 {
      memref.store %zero, %out[%i, %j] : memref<4x200xf32>
    }
  }
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    scf.parallel (%j) = (%c0) to (%c10) step (%c1) {
      memref.store %zero, %out[%i, %j] : memref<4x200xf32>
    }
  }
  return
}

// -----

// Work not known at compile time: a run-time trip count, a call (the BLAS
// tiles), a reduction loop inside. All stay parallel.
// CHECK-LABEL: func.func @unknown
// CHECK-COUNT-3: scf.parallel
func.func private @tile(index)
func.func @unknown(%n: index, %out: memref<?xf32>, %acc: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    memref.store %zero, %out[%i] : memref<?xf32>
  }
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    func.call @tile(%i) : (index) -> ()
  }
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    %s = scf.parallel (%j) = (%c0) to (%c4) step (%c1) init (%zero) -> f32 {
      %x = memref.load %acc[%j] : memref<4xf32>
      scf.reduce(%x : f32) {
      ^bb0(%a: f32, %b: f32):
        %sum = arith.addf %a, %b : f32
        scf.reduce.return %sum : f32
      }
    }
    memref.store %s, %acc[%i] : memref<4xf32>
  }
  return
}

// -----

// An innermost dim in chunks (iv to min(iv + 16, n)): at most 16 iterations
// of the chunk loop however large n is, so 4 rows x at most 2 + 16 x 2
// operations are below the threshold. Without a bound on the chunk (an
// upper bound not of that form) the work is unknown and the loop stays.
// CHECK-LABEL: func.func @chunks
//   CHECK-NOT: scf.parallel
//       CHECK: scf.for
//       CHECK:   scf.for
//       CHECK:     arith.minsi
//       CHECK:     scf.for
// CHECK-LABEL: func.func @unbounded_chunks
//       CHECK: scf.parallel
func.func @chunks(%n: index, %out: memref<4x?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %c32 = arith.constant 32 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%c4, %c32) step (%c1, %c16) {
    %end = arith.addi %j, %c16 : index
    %stop = arith.minsi %end, %n : index
    scf.for %k = %j to %stop step %c1 {
      memref.store %zero, %out[%i, %k] : memref<4x?xf32>
    }
  }
  return
}
func.func @unbounded_chunks(%n: index, %out: memref<4x?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    scf.for %k = %c0 to %n step %c1 {
      memref.store %zero, %out[%i, %k] : memref<4x?xf32>
    }
  }
  return
}
