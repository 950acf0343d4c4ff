// vm-gpu-lower-sort-rows: one workgroup per row; each thread holds four
// packed (key << 32) | position values in registers; the steps of a bitonic
// sort run between a thread's registers (distances 1 and 2), by butterfly
// shuffles (distances up to a subgroup's worth of elements) or in workgroup
// memory (longer distances, a barrier after each); then the first k
// positions and the elements there.
// RUN: vm-gpu-opt %s --pass-pipeline="builtin.module(func.func(vm-gpu-lower-sort-rows{chip=sm_90a},canonicalize,cse))" | FileCheck %s
// RUN: vm-gpu-opt %s --pass-pipeline="builtin.module(func.func(vm-gpu-lower-sort-rows{chip=gfx942},canonicalize,cse))" | FileCheck %s --check-prefix=WAVE64
// RUN: not vm-gpu-opt %s --pass-pipeline="builtin.module(func.func(vm-gpu-lower-sort-rows{chip=tpu}))" 2>&1 | FileCheck %s --check-prefix=BAD

// BAD: error: vm-gpu-lower-sort-rows: unknown chip 'tpu'

// 37 rows of 100 f32, descending, k = 20: padded to 128, one warp of 32
// threads holding 4 each, so no workgroup memory and no barrier: the load
// packs each key (complemented: descending) with its position (100 and up:
// all ones), then 15 shuffle steps of 4 values (two 32-bit shuffles each)
// and 13 register steps.
// CHECK-LABEL: func.func @rows
//  CHECK-SAME:   (%[[X:.+]]: memref<37x100xf32>, %[[V:.+]]: memref<37x20xf32>, %[[I:.+]]: memref<37x20xi64>)
//   CHECK-DAG:   %[[C37:.+]] = arith.constant 37 : index
//   CHECK-DAG:   %[[C32:.+]] = arith.constant 32 : index
//   CHECK-DAG:   %[[C4:.+]] = arith.constant 4 : index
//       CHECK:   gpu.launch blocks(%[[B:.+]], %{{.+}}, %{{.+}}) in (%[[GRID:.+]] = %[[C37]], %{{.+}} = %{{.+}}, %{{.+}} = %{{.+}}) threads(%[[T:.+]], %{{.+}}, %{{.+}}) in (%{{.+}} = %[[C32]], {{.+}}) {
//       CHECK:     %[[FIRST:.+]] = arith.muli %[[T]], %[[C4]]
//       CHECK:     scf.for %[[ROW:.+]] = %[[B]] to %[[C37]] step %[[GRID]]
//       CHECK:       %[[IN:.+]] = arith.cmpi ult, %[[FIRST]], %c100
//       CHECK:       memref.load %[[X]][%[[ROW]], %{{.+}}]
//       CHECK:       arith.xori %{{.+}}, %c-1_i32 : i32
//       CHECK:       arith.shli %{{.+}}, %c32_i64 : i64
//       CHECK:       arith.select %[[IN]], %{{.+}}, %c-1_i64 : i64
// The first step (blocks of 2, distance 1): registers 0 and 1, descending
// where bit 2 of the element's index is set: one 64-bit comparison against
// the direction, two selects.
//       CHECK:       %[[DIR:.+]] = arith.andi %{{.+}}, %c2 : index
//       CHECK:       %[[UP:.+]] = arith.cmpi eq, %[[DIR]], %c0 : index
//       CHECK:       %[[ABOVE:.+]] = arith.cmpi ugt, %{{.+}}, %{{.+}} : i64
//       CHECK:       %[[SWAP:.+]] = arith.cmpi eq, %[[ABOVE]], %[[UP]] : i1
//       CHECK:       arith.select %[[SWAP]]
//       CHECK:       arith.select %[[SWAP]]
//   CHECK-NOT:       arith.minui
//   CHECK-NOT:       arith.maxui
// The first shuffle step (blocks of 8, distance 4: lanes one apart).
//       CHECK:       gpu.shuffle  xor %{{.+}}, %c1_i32, %c32_i32 : i32
//   CHECK-NOT:     gpu.barrier
// CHECK-COUNT-119:   gpu.shuffle  xor
//   CHECK-NOT:       gpu.shuffle
// Results: the thread's elements below k = 20.
//       CHECK:       arith.cmpi ult, %{{.+}}, %c20 : index
//       CHECK:       scf.if
//       CHECK:         %[[POS:.+]] = arith.andi %{{.+}}, %c4294967295_i64
//       CHECK:         %[[SRC:.+]] = arith.index_castui %[[POS]] : i64 to index
//       CHECK:         %[[EL:.+]] = memref.load %[[X]][%[[ROW]], %[[SRC]]]
//       CHECK:         memref.store %[[EL]], %[[V]][%[[ROW]], %{{.+}}]
//       CHECK:         memref.store %[[POS]], %[[I]][%[[ROW]], %{{.+}}]
//   CHECK-NOT:     gpu.barrier
//       CHECK:     gpu.terminator
// On 64-lane wavefronts the row is one wavefront of 2 values each.
// WAVE64-LABEL: func.func @rows
//       WAVE64:   threads(%{{.+}}, %{{.+}}, %{{.+}}) in (%{{.+}} = %c64, {{.+}}) {
//   WAVE64-NOT:   gpu.barrier
//       WAVE64:   gpu.shuffle  xor %{{.+}}, %c1_i32, %c64_i32 : i32
func.func @rows(%x: memref<37x100xf32>, %v: memref<37x20xf32>, %i: memref<37x20xi64>) {
  vmgpu_codegen.sort_rows ins(%x : memref<37x100xf32>) outs(%v, %i : memref<37x20xf32>, memref<37x20xi64>) {descending}
  return
}

// One row of 4096 unsigned i8, ascending: 1024 threads of 4, 32 KiB of
// workgroup memory for the steps at distances of 128 and more (blocks of
// 256 to 4096: 15 steps), 5 stores of the threads' values, so 20 barriers.
// CHECK-LABEL: func.func @one_row
//   CHECK-DAG:   %[[C1024:.+]] = arith.constant 1024 : index
//       CHECK:   gpu.launch {{.+}} threads(%{{.+}}, %{{.+}}, %{{.+}}) in (%{{.+}} = %[[C1024]], {{.+}}) workgroup(%[[S:.+]] : memref<4096xi64, #gpu.address_space<workgroup>>)
//   CHECK-NOT:     arith.xori %{{.+}}, %c-1_i8
//       CHECK:     arith.extui %{{.+}} : i8 to i64
//       CHECK:     memref.store %{{.+}}, %[[S]]
// CHECK-COUNT-20:  gpu.barrier
//   CHECK-NOT:     gpu.barrier
//       CHECK:     gpu.terminator
// gfx942: steps from 256 on in LDS (blocks of 512 to 4096: 10 steps), 4
// stores: 14 barriers.
// WAVE64-LABEL: func.func @one_row
// WAVE64-COUNT-14: gpu.barrier
//   WAVE64-NOT:    gpu.barrier
func.func @one_row(%x: memref<4096xi8>, %v: memref<4096xi8>, %i: memref<4096xi64>) {
  vmgpu_codegen.sort_rows ins(%x : memref<4096xi8>) outs(%v, %i : memref<4096xi8>, memref<4096xi64>) {unsigned_keys}
  return
}
