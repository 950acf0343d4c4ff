// RUN: vm-gpu-opt %s --split-input-file --pass-pipeline='builtin.module(func.func(vm-cpu-sequential-inner-dims{chunk=64}))' | FileCheck %s

// A row gather (vm.take along dim 0): the innermost dim becomes chunks of
// 64 columns, each a sequential loop; the row index (a load of the indices,
// which nothing in the loop writes, and its clamp) moves out of the chunk's
// loop, which is left with a plain copy.
// CHECK-LABEL: func.func @gather_rows
//  CHECK-SAME: (%[[TABLE:.+]]: memref<100x300xf32>, %[[IDX:.+]]: memref<50xi64>)
//       CHECK: %[[OUT:.+]] = memref.alloc()
//       CHECK: %[[STEP:.+]] = arith.muli %{{.+}}, %c64 : index
//       CHECK: scf.parallel (%[[I:.+]], %[[J0:.+]]) = (%c0, %c0) to (%c50, %c300) step (%c1, %[[STEP]]) {
//       CHECK:   %[[END:.+]] = arith.minsi %{{.+}}, %c300 : index
//       CHECK:   %[[K:.+]] = memref.load %[[IDX]][%[[I]]]
//       CHECK:   arith.maxsi %[[K]]
//       CHECK:   %[[ROW:.+]] = arith.index_cast
//       CHECK:   scf.for %[[J:.+]] = %[[J0]] to %[[END]] step %c1 {
//  CHECK-NEXT:     %[[X:.+]] = memref.load %[[TABLE]][%[[ROW]], %[[J]]]
//  CHECK-NEXT:     memref.store %[[X]], %[[OUT]][%[[I]], %[[J]]]
//  CHECK-NEXT:   }
func.func @gather_rows(%table: memref<100x300xf32>, %idx: memref<50xi64>) -> memref<50x300xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c50 = arith.constant 50 : index
  %c300 = arith.constant 300 : index
  %c0_i64 = arith.constant 0 : i64
  %c99_i64 = arith.constant 99 : i64
  %out = memref.alloc() : memref<50x300xf32>
  scf.parallel (%i, %j) = (%c0, %c0) to (%c50, %c300) step (%c1, %c1) {
    %k = memref.load %idx[%i] : memref<50xi64>
    %lo = arith.maxsi %k, %c0_i64 : i64
    %hi = arith.minsi %lo, %c99_i64 : i64
    %row = arith.index_cast %hi : i64 to index
    %x = memref.load %table[%row, %j] : memref<100x300xf32>
    memref.store %x, %out[%i, %j] : memref<50x300xf32>
  }
  return %out : memref<50x300xf32>
}

// -----

// A load from the buffer the loop writes stays in the loop, and so does a
// division (not speculatable: the chunk's loop runs at least once, but a
// hoisted op must not trap where the original would not have run).
// CHECK-LABEL: func.func @written
//       CHECK: scf.for
//       CHECK:   memref.load %{{.+}}[%{{.+}}, %c0]
//       CHECK:   arith.divsi
//       CHECK:   memref.store
func.func @written(%buf: memref<8x128xi32>, %d: i32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %c128 = arith.constant 128 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c8, %c128) step (%c1, %c1) {
    %first = memref.load %buf[%i, %c0] : memref<8x128xi32>
    %q = arith.divsi %first, %d : i32
    memref.store %q, %buf[%i, %j] : memref<8x128xi32>
  }
  return
}

// -----

// One dim: OpenMP runs it as a plain loop already; untouched.
// CHECK-LABEL: func.func @one_dim
//       CHECK: scf.parallel (%{{.+}}) = (%c0) to (%c1000) step (%c1) {
//   CHECK-NOT: scf.for
func.func @one_dim(%out: memref<1000xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c1000 = arith.constant 1000 : index
  %zero = arith.constant 0.0 : f32
  scf.parallel (%i) = (%c0) to (%c1000) step (%c1) {
    memref.store %zero, %out[%i] : memref<1000xf32>
  }
  return
}

// -----

// A loop over tiles whose body is vectorized (a GEMM's cache tiles: 8 x 4
// of them at 1024^2) stays a parallel loop of two dims: chunking its inner
// dim would leave 8 iterations for the threads and vectorize nothing.
// CHECK-LABEL: func.func @tiles
//       CHECK: scf.parallel (%{{.+}}, %{{.+}}) = (%c0, %c0) to (%c1024, %c1024) step (%c128, %c256) {
//  CHECK-NEXT:   scf.for
//   CHECK-NOT: scf.for
//       CHECK:   scf.reduce
func.func @tiles(%buf: memref<1024x1024xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c128 = arith.constant 128 : index
  %c256 = arith.constant 256 : index
  %c1024 = arith.constant 1024 : index
  %zero = arith.constant dense<0.0> : vector<32xf32>
  scf.parallel (%i, %j) = (%c0, %c0) to (%c1024, %c1024) step (%c128, %c256) {
    scf.for %k = %c0 to %c128 step %c1 {
      %r = arith.addi %i, %k : index
      %v = arith.addf %zero, %zero : vector<32xf32>
      vector.store %v, %buf[%r, %j] : memref<1024x1024xf32>, vector<32xf32>
    }
  }
  return
}

// -----

// A scalar body with small loops of its own (a 2 x 2 pooling window) is
// still chunked: the window's loops unroll and leave the chunk's loop
// innermost, for LLVM to vectorize.
// CHECK-LABEL: func.func @pool_window
//       CHECK: scf.parallel (%{{.+}}, %[[C0:.+]]) = (%c0, %c0) to (%c8, %c64) step (%c1, %{{.+}}) {
//       CHECK:   scf.for %{{.+}} = %[[C0]] to %{{.+}} step %c1 {
//       CHECK:     scf.for
func.func @pool_window(%in: memref<16x64xf32>, %out: memref<8x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c8 = arith.constant 8 : index
  %c64 = arith.constant 64 : index
  scf.parallel (%i, %c) = (%c0, %c0) to (%c8, %c64) step (%c1, %c1) {
    scf.for %k = %c0 to %c2 step %c1 {
      %row = affine.apply affine_map<(d0, d1) -> (d0 * 2 + d1)>(%i, %k)
      %x = memref.load %in[%row, %c] : memref<16x64xf32>
      %acc = memref.load %out[%i, %c] : memref<8x64xf32>
      %m = arith.maximumf %x, %acc : f32
      memref.store %m, %out[%i, %c] : memref<8x64xf32>
    }
  }
  return
}
