// vm-parallel-loops-to-gpu: every outermost scf.parallel without reductions
// becomes a gpu.launch with a 1-D grid, one thread per iteration.
// RUN: vm-gpu-opt %s --vm-parallel-loops-to-gpu | FileCheck %s
// RUN: vm-gpu-opt %s --vm-parallel-loops-to-gpu="block-size=128" | FileCheck %s --check-prefix=SIZE128

// The trip count is ceildiv(max(ub - lb, 0), step); the grid has
// max(ceildiv(total, 256), 1) blocks of 256 threads: an empty iteration
// space still launches (its threads do nothing), so the host code has no
// branch around the launch.
// CHECK-LABEL: func.func @one_dim(
// CHECK-SAME:      %[[BUF:.+]]: memref<1000xf32>)
// CHECK-DAG:     %[[C0:.+]] = arith.constant 0 : index
// CHECK-DAG:     %[[C1000:.+]] = arith.constant 1000 : index
// CHECK:         %[[SPAN:.+]] = arith.subi %[[C1000]], %[[C0]] : index
// CHECK:         %[[POS:.+]] = arith.maxsi %[[SPAN]], %{{.+}} : index
// CHECK:         %[[COUNT:.+]] = arith.ceildivui %[[POS]], %{{.+}} : index
// CHECK:         %[[TOTAL:.+]] = arith.muli %{{.+}}, %[[COUNT]] : index
// CHECK:         %[[BSIZE:.+]] = arith.constant 256 : index
// CHECK:         %[[BLOCKS:.+]] = arith.ceildivui %[[TOTAL]], %[[BSIZE]] : index
// CHECK:         %[[GRID:.+]] = arith.maxui %[[BLOCKS]], %{{.+}} : index
// CHECK-NOT:     scf.if
// CHECK:           gpu.launch blocks(%[[BX:[^,]+]], %{{.+}}, %{{.+}}) in (%{{.+}} = %[[GRID]], %{{.+}} = %[[ONE:[^,]+]], %{{.+}} = %[[ONE]]) threads(%[[TX:[^,]+]], %{{.+}}, %{{.+}}) in (%{{.+}} = %[[BSIZE]], %{{.+}} = %[[ONE]], %{{.+}} = %[[ONE]]) {
// CHECK:             %[[BASE:.+]] = arith.muli %[[BX]], %[[BSIZE]] : index
// CHECK:             %[[ID:.+]] = arith.addi %[[BASE]], %[[TX]] : index
// CHECK:             %[[IN:.+]] = arith.cmpi ult, %[[ID]], %[[TOTAL]] : index
// CHECK:             scf.if %[[IN]] {
// CHECK:               %[[R:.+]] = arith.remui %[[ID]], %[[COUNT]] : index
// CHECK:               %[[SCALED:.+]] = arith.muli %[[R]], %{{.+}} : index
// CHECK:               %[[I:.+]] = arith.addi %[[C0]], %[[SCALED]] : index
// CHECK:               memref.store %{{.+}}, %[[BUF]][%[[I]]] : memref<1000xf32>
// CHECK:             }
// CHECK:             gpu.terminator
// CHECK-NOT:     scf.parallel
// CHECK:         return

// SIZE128-LABEL: func.func @one_dim(
// SIZE128:         %[[BSIZE:.+]] = arith.constant 128 : index
// SIZE128:         %[[BLOCKS:.+]] = arith.ceildivui %{{.+}}, %[[BSIZE]] : index
// SIZE128:         %[[GRID:.+]] = arith.maxui %[[BLOCKS]], %{{.+}} : index
// SIZE128:         gpu.launch blocks({{.+}}) in (%{{.+}} = %[[GRID]], {{.+}}) threads({{.+}}) in (%{{.+}} = %[[BSIZE]],
func.func @one_dim(%buf: memref<1000xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c1000 = arith.constant 1000 : index
  %cst = arith.constant 1.0 : f32
  scf.parallel (%i) = (%c0) to (%c1000) step (%c1) {
    memref.store %cst, %buf[%i] : memref<1000xf32>
    scf.reduce
  }
  return
}

// Dynamic bounds, lower bounds and steps: the product of both trip counts
// is the total; the thread id is delinearized innermost dim first, and each
// position is scaled by its step and offset by its lower bound.
// CHECK-LABEL: func.func @two_dims(
// CHECK-SAME:      %[[BUF:[^:]+]]: memref<?x?xf32>, %[[M:[^:]+]]: index, %[[N:[^:]+]]: index)
// CHECK-DAG:     %[[C1:.+]] = arith.constant 1 : index
// CHECK-DAG:     %[[C2:.+]] = arith.constant 2 : index
// CHECK-DAG:     %[[C3:.+]] = arith.constant 3 : index
// CHECK:         %[[SPAN0:.+]] = arith.subi %[[M]], %[[C1]] : index
// CHECK:         %[[POS0:.+]] = arith.maxsi %[[SPAN0]], %{{.+}} : index
// CHECK:         %[[COUNT0:.+]] = arith.ceildivui %[[POS0]], %[[C1]] : index
// CHECK:         %[[PARTIAL:.+]] = arith.muli %{{.+}}, %[[COUNT0]] : index
// CHECK:         %[[SPAN1:.+]] = arith.subi %[[N]], %[[C2]] : index
// CHECK:         %[[POS1:.+]] = arith.maxsi %[[SPAN1]], %{{.+}} : index
// CHECK:         %[[COUNT1:.+]] = arith.ceildivui %[[POS1]], %[[C3]] : index
// CHECK:         %[[TOTAL:.+]] = arith.muli %[[PARTIAL]], %[[COUNT1]] : index
// CHECK:         gpu.launch
// CHECK:           %[[ID:.+]] = arith.addi
// CHECK:           arith.cmpi ult, %[[ID]], %[[TOTAL]] : index
// CHECK:             %[[R1:.+]] = arith.remui %[[ID]], %[[COUNT1]] : index
// CHECK:             %[[Q1:.+]] = arith.divui %[[ID]], %[[COUNT1]] : index
// CHECK:             %[[S1:.+]] = arith.muli %[[R1]], %[[C3]] : index
// CHECK:             %[[J:.+]] = arith.addi %[[C2]], %[[S1]] : index
// CHECK:             %[[R0:.+]] = arith.remui %[[Q1]], %[[COUNT0]] : index
// CHECK:             %[[S0:.+]] = arith.muli %[[R0]], %[[C1]] : index
// CHECK:             %[[I:.+]] = arith.addi %[[C1]], %[[S0]] : index
// CHECK:             memref.store %{{.+}}, %[[BUF]][%[[I]], %[[J]]] : memref<?x?xf32>
func.func @two_dims(%buf: memref<?x?xf32>, %m: index, %n: index) {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %cst = arith.constant 1.0 : f32
  scf.parallel (%i, %j) = (%c1, %c2) to (%m, %n) step (%c1, %c3) {
    memref.store %cst, %buf[%i, %j] : memref<?x?xf32>
    scf.reduce
  }
  return
}

// Only the outermost loop is mapped; an inner scf.parallel runs inside
// each thread as it is.
// CHECK-LABEL: func.func @nested(
// CHECK:         gpu.launch
// CHECK:           scf.if
// CHECK:             scf.parallel
// CHECK:               memref.store
// CHECK-NOT:     gpu.launch
// CHECK:         return
func.func @nested(%buf: memref<4x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %cst = arith.constant 1.0 : f32
  scf.parallel (%i) = (%c0) to (%c4) step (%c1) {
    scf.parallel (%j) = (%c0) to (%c8) step (%c1) {
      memref.store %cst, %buf[%i, %j] : memref<4x8xf32>
      scf.reduce
    }
    scf.reduce
  }
  return
}

// A loop with a reduction is not mapped (vm-sequential-work-to-gpu puts it
// in a one-thread kernel).
// CHECK-LABEL: func.func @reduction(
// CHECK-NOT:     gpu.launch
// CHECK:         scf.parallel {{.+}} init
// CHECK:           scf.reduce(
// CHECK-NOT:     gpu.launch
// CHECK:         return
func.func @reduction(%buf: memref<8xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %zero = arith.constant 0.0 : f32
  %sum = scf.parallel (%i) = (%c0) to (%c8) step (%c1) init (%zero) -> f32 {
    %v = memref.load %buf[%i] : memref<8xf32>
    scf.reduce(%v : f32) {
    ^bb0(%a: f32, %b: f32):
      %s = arith.addf %a, %b : f32
      scf.reduce.return %s : f32
    }
  }
  return %sum : f32
}

// A parallel loop inside a host loop is not mapped: it would launch once per
// iteration (vm-sequential-work-to-gpu moves the whole nest to the device).
// CHECK-LABEL: func.func @inside_for(
// CHECK-NOT:     gpu.launch
// CHECK:         scf.for
// CHECK:           scf.parallel
// CHECK:         return
func.func @inside_for(%buf: memref<4x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %cst = arith.constant 1.0 : f32
  scf.for %i = %c0 to %c4 step %c1 {
    scf.parallel (%j) = (%c0) to (%c8) step (%c1) {
      memref.store %cst, %buf[%i, %j] : memref<4x8xf32>
      scf.reduce
    }
  }
  return
}

// A loop already inside a gpu.launch is left alone.
// CHECK-LABEL: func.func @inside_launch(
// CHECK:         gpu.launch
// CHECK-NOT:     gpu.launch
// CHECK:           scf.parallel
// CHECK:         return
func.func @inside_launch(%buf: memref<8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %cst = arith.constant 1.0 : f32
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    scf.parallel (%i) = (%c0) to (%c8) step (%c1) {
      memref.store %cst, %buf[%i] : memref<8xf32>
      scf.reduce
    }
    gpu.terminator
  }
  return
}
