// vm-gpu-lower-sort-rows: one workgroup per row, the row's packed
// (key << 32) | position values in workgroup memory (padded to a power of
// two), the unrolled steps of a bitonic sort with a barrier after each, then
// the first k positions and the elements there.
// RUN: vm-gpu-opt %s --pass-pipeline="builtin.module(func.func(vm-gpu-lower-sort-rows,canonicalize,cse))" | FileCheck %s

// 37 rows of 100 f32, descending, k = 20: 128 packed values, 64 threads
// (one subgroup on every target), 1 + 7 * 8 / 2 + 1 = 30 barriers (the
// load, the 28 steps, the end of a row).
// CHECK-LABEL: func.func @rows
//  CHECK-SAME:   (%[[X:.+]]: memref<37x100xf32>, %[[V:.+]]: memref<37x20xf32>, %[[I:.+]]: memref<37x20xi64>)
//   CHECK-DAG:   %[[C37:.+]] = arith.constant 37 : index
//   CHECK-DAG:   %[[C64:.+]] = arith.constant 64 : index
//   CHECK-DAG:   %[[C100:.+]] = arith.constant 100 : index
//   CHECK-DAG:   %[[C128:.+]] = arith.constant 128 : index
//       CHECK:   gpu.launch blocks(%[[B:.+]], %{{.+}}, %{{.+}}) in (%[[GRID:.+]] = %[[C37]], %{{.+}} = %{{.+}}, %{{.+}} = %{{.+}}) threads(%[[T:.+]], %{{.+}}, %{{.+}}) in (%{{.+}} = %[[C64]], {{.+}}) workgroup(%[[S:.+]] : memref<128xi64, #gpu.address_space<workgroup>>)
//       CHECK:     scf.for %[[ROW:.+]] = %[[B]] to %[[C37]] step %[[GRID]]
// Load: element e < 100 packs its key (complemented: descending) and e.
//       CHECK:       scf.for %[[E:.+]] = %[[T]] to %[[C128]] step %[[C64]]
//       CHECK:         %[[IN:.+]] = arith.cmpi ult, %[[E]], %[[C100]]
//       CHECK:         memref.load %[[X]][%[[ROW]], %{{.+}}]
//       CHECK:         arith.xori %{{.+}}, %c-1_i32 : i32
//       CHECK:         arith.shli %{{.+}}, %c32_i64 : i64
//       CHECK:         arith.select %[[IN]], %{{.+}}, %c-1_i64 : i64
//       CHECK:         memref.store %{{.+}}, %[[S]][%[[E]]]
//       CHECK:       gpu.barrier
// The first step: pairs (2p, 2p + 1), descending in blocks with bit 2 set.
//       CHECK:       scf.for %[[P:.+]] = %[[T]] to %[[C64]] step %[[C64]]
//       CHECK:         %[[FIRST:.+]] = arith.shli %[[P]], %c1
//       CHECK:         %[[SECOND:.+]] = arith.addi %[[FIRST]], %c1
//       CHECK:         %[[A:.+]] = memref.load %[[S]][%[[FIRST]]]
//       CHECK:         %[[C:.+]] = memref.load %[[S]][%[[SECOND]]]
//       CHECK:         %[[GT:.+]] = arith.cmpi ugt, %[[A]], %[[C]] : i64
//       CHECK:         arith.andi %[[FIRST]], %c2
//       CHECK:         arith.xori %[[GT]]
//       CHECK:       gpu.barrier
// CHECK-COUNT-27:    gpu.barrier
// Results: k = 20 per row, the position in the low word.
//       CHECK:       scf.for %[[R:.+]] = %[[T]] to %c20 step %[[C64]]
//       CHECK:         %[[PACKED:.+]] = memref.load %[[S]][%[[R]]]
//       CHECK:         %[[POS:.+]] = arith.andi %[[PACKED]], %c4294967295_i64
//       CHECK:         %[[SRC:.+]] = arith.index_castui %[[POS]] : i64 to index
//       CHECK:         %[[EL:.+]] = memref.load %[[X]][%[[ROW]], %[[SRC]]]
//       CHECK:         memref.store %[[EL]], %[[V]][%[[ROW]], %[[R]]]
//       CHECK:         memref.store %[[POS]], %[[I]][%[[ROW]], %[[R]]]
//       CHECK:       gpu.barrier
//   CHECK-NOT:       gpu.barrier
//       CHECK:     gpu.terminator
func.func @rows(%x: memref<37x100xf32>, %v: memref<37x20xf32>, %i: memref<37x20xi64>) {
  vmgpu_codegen.sort_rows ins(%x : memref<37x100xf32>) outs(%v, %i : memref<37x20xf32>, memref<37x20xi64>) {descending}
  return
}

// One row of 4096 unsigned i8, ascending: 1024 threads, 4096 packed values
// (32 KiB), 1 + 12 * 13 / 2 + 1 = 80 barriers; no key complement.
// CHECK-LABEL: func.func @one_row
//   CHECK-DAG:   %[[C1024:.+]] = arith.constant 1024 : index
//       CHECK:   gpu.launch {{.+}} threads(%{{.+}}, %{{.+}}, %{{.+}}) in (%{{.+}} = %[[C1024]], {{.+}}) workgroup(%{{.+}} : memref<4096xi64, #gpu.address_space<workgroup>>)
//   CHECK-NOT:     arith.xori %{{.+}}, %c-1_i8
//       CHECK:     arith.extui %{{.+}} : i8 to i64
// CHECK-COUNT-80:  gpu.barrier
//   CHECK-NOT:     gpu.barrier
//       CHECK:     gpu.terminator
func.func @one_row(%x: memref<4096xi8>, %v: memref<4096xi8>, %i: memref<4096xi64>) {
  vmgpu_codegen.sort_rows ins(%x : memref<4096xi8>) outs(%v, %i : memref<4096xi8>, memref<4096xi64>) {unsigned_keys}
  return
}
