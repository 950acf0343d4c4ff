// vm-copy-globals-to-buffers: each memref.get_global is copied into a
// memref.alloc by a gpu.memcpy (the driver copies; host code never touches
// the buffer), and every other use reads the copy (kernels cannot read the
// host binary's globals).
// RUN: vm-gpu-opt %s --pass-pipeline='builtin.module(func.func(vm-copy-globals-to-buffers))' | FileCheck %s

// CHECK: memref.global "private" constant @table : memref<2x3xf32>
memref.global "private" constant @table : memref<2x3xf32> = dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]>
memref.global "private" constant @scalar : memref<i32> = dense<7>

// CHECK-LABEL: func.func @two_dims(
// CHECK-SAME:      %[[OUT:.+]]: memref<2x3xf32>)
// CHECK:         %[[GLOBAL:.+]] = memref.get_global @table : memref<2x3xf32>
// CHECK:         %[[COPY:.+]] = memref.alloc() : memref<2x3xf32>
// CHECK-NEXT:    gpu.memcpy %[[COPY]], %[[GLOBAL]] : memref<2x3xf32>, memref<2x3xf32>
// CHECK-NOT:     scf.for
// CHECK:         memref.copy %[[COPY]], %[[OUT]]
// CHECK:         memref.load %[[COPY]]
// CHECK-NOT:     %[[GLOBAL]]
// CHECK:         return
func.func @two_dims(%out: memref<2x3xf32>) {
  %g = memref.get_global @table : memref<2x3xf32>
  memref.copy %g, %out : memref<2x3xf32> to memref<2x3xf32>
  %c0 = arith.constant 0 : index
  %v = memref.load %g[%c0, %c0] : memref<2x3xf32>
  memref.store %v, %out[%c0, %c0] : memref<2x3xf32>
  return
}

// A 0-D global is copied the same way.
// CHECK-LABEL: func.func @zero_dims(
// CHECK:         %[[GLOBAL:.+]] = memref.get_global @scalar : memref<i32>
// CHECK:         %[[COPY:.+]] = memref.alloc() : memref<i32>
// CHECK-NEXT:    gpu.memcpy %[[COPY]], %[[GLOBAL]] : memref<i32>, memref<i32>
// CHECK:         %[[R:.+]] = memref.load %[[COPY]][] : memref<i32>
// CHECK:         return %[[R]] : i32
func.func @zero_dims() -> i32 {
  %g = memref.get_global @scalar : memref<i32>
  %v = memref.load %g[] : memref<i32>
  return %v : i32
}

// Each get_global gets its own copy.
// CHECK-LABEL: func.func @twice(
// CHECK:         %[[G0:.+]] = memref.get_global @scalar : memref<i32>
// CHECK:         %[[COPY0:.+]] = memref.alloc() : memref<i32>
// CHECK:         gpu.memcpy %[[COPY0]], %[[G0]]
// CHECK:         %[[G1:.+]] = memref.get_global @scalar : memref<i32>
// CHECK:         %[[COPY1:.+]] = memref.alloc() : memref<i32>
// CHECK:         gpu.memcpy %[[COPY1]], %[[G1]]
// CHECK:         memref.load %[[COPY0]][]
// CHECK:         memref.load %[[COPY1]][]
func.func @twice() -> (i32, i32) {
  %g0 = memref.get_global @scalar : memref<i32>
  %g1 = memref.get_global @scalar : memref<i32>
  %a = memref.load %g0[] : memref<i32>
  %b = memref.load %g1[] : memref<i32>
  return %a, %b : i32, i32
}

// Functions without globals are left alone.
// CHECK-LABEL: func.func @no_globals(
// CHECK-NEXT:    return
func.func @no_globals(%a: memref<4xf32>) {
  return
}
