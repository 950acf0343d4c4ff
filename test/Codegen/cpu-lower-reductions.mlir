// vm-cpu-lower-reductions: row and full reductions as an scf.forall over
// (row, segment) pairs, each segment reduced with four vector accumulators
// carried across the steps, combined in a fixed tree (accumulators pairwise,
// then lanes by halves), the elements after the last step folded one by one,
// several segments' partials combined in order by a second forall; column
// reductions as an scf.forall over (batch, row segment, column chunk) whose
// rows stream along the chunk, folding each vector of columns into a row of
// accumulators (the output for the first segment, partials for the others),
// the partials combined in order by the task that finishes a chunk last. Ops the strategies cannot
// take are left alone; malformed configurations are errors. A zero fill of
// the output just before a reduction of static, nonempty length folds into
// the strategy, which starts from its value.
// RUN: vm-gpu-opt %s --split-input-file --verify-diagnostics \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-cpu-lower-reductions))" \
// RUN:   | FileCheck %s

// CHECK-LABEL: func.func @row_sum_f32
// CHECK: %[[SEGMENTS:.*]] = arith.ceildivui %{{.*}}, %c32768
// CHECK: %[[PARTIALS:.*]] = memref.alloc(%{{.*}}) {vmgpu.late_allocation} : memref<?xf32>
// CHECK: scf.forall (%[[TASK:.*]]) in (%{{.*}}) {
// CHECK-COUNT-4: vector.load %{{.*}} : memref<?x?xf32>, vector<8xf32>
// CHECK: scf.for {{.*}} step %c32{{.*}} iter_args({{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// CHECK-COUNT-4: arith.addf {{.*}} : vector<8xf32>
// CHECK: scf.yield {{.*}} : vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>
// CHECK-COUNT-3: arith.addf {{.*}} : vector<8xf32>
// CHECK: vector.extract_strided_slice {{.*}} {offsets = [0], sizes = [4], strides = [1]}
// CHECK: vector.extract_strided_slice {{.*}} {offsets = [4], sizes = [4], strides = [1]}
// CHECK: arith.addf {{.*}} : vector<4xf32>
// CHECK: arith.addf {{.*}} : vector<2xf32>
// CHECK: arith.addf {{.*}} : vector<1xf32>
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (f32)
// CHECK: memref.store {{.*}}, %[[PARTIALS]][%[[TASK]]]
// CHECK: scf.forall
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (f32)
// CHECK: memref.dealloc %[[PARTIALS]]
// CHECK-NOT: linalg.reduce
func.func @row_sum_f32(%x: memref<?x?xf32>, %out: memref<?xf32>) {
  linalg.reduce ins(%x : memref<?x?xf32>) outs(%out : memref<?xf32>) dimensions = [1]
    {vmgpu.lowering_config = {class = "row_reduction", strategy = "cpu_vector_reduction",
      cache_tiles = array<i64: 0, 32768>, register_tiles = array<i64: 0, 32>, vector_width = 8}}
    (%in: f32, %acc: f32) {
      %s = arith.addf %acc, %in : f32
      linalg.yield %s : f32
    }
  return
}

// -----

// f16 elements widened lane by lane into f32 accumulators; the full input is
// one row (no row index); the total is added to the output's initial value.
// CHECK-LABEL: func.func @full_sum_f16
// CHECK: scf.forall
// CHECK: %[[V:.*]] = vector.load %{{.*}} : memref<?xf16>, vector<8xf16>
// CHECK: arith.extf %[[V]] : vector<8xf16> to vector<8xf32>
// CHECK: iter_args({{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// CHECK: memref.load %{{.*}}[] : memref<f32>
// CHECK: memref.store %{{.*}}, %{{.*}}[] : memref<f32>
func.func @full_sum_f16(%x: memref<?xf16>, %out: memref<f32>) {
  linalg.reduce ins(%x : memref<?xf16>) outs(%out : memref<f32>) dimensions = [0]
    {vmgpu.lowering_config = {class = "full_reduction", strategy = "cpu_vector_reduction",
      cache_tiles = array<i64: 32768>, register_tiles = array<i64: 32>, vector_width = 8}}
    (%in: f16, %acc: f32) {
      %w = arith.extf %in : f16 to f32
      %s = arith.addf %acc, %w : f32
      linalg.yield %s : f32
    }
  return
}

// -----

// A dot: two element inputs, the product is the contribution.
// CHECK-LABEL: func.func @dot_f32
// CHECK: scf.forall
// CHECK: iter_args({{.*}}) -> (vector<4xf32>, vector<4xf32>)
// CHECK: arith.mulf {{.*}} : vector<4xf32>
// CHECK: arith.addf {{.*}} : vector<4xf32>
func.func @dot_f32(%a: memref<?xf32>, %b: memref<?xf32>, %out: memref<f32>) {
  linalg.dot {vmgpu.lowering_config = {class = "full_reduction", strategy = "cpu_vector_reduction",
      cache_tiles = array<i64: 4096>, register_tiles = array<i64: 8>, vector_width = 4}}
    ins(%a, %b : memref<?xf32>, memref<?xf32>) outs(%out : memref<f32>)
  return
}

// -----

// Column max with the contract's NaN rule (a NaN loses), on vectors of 8
// columns, then the columns after the last whole vector; the rows four per
// step (each accumulator loaded and stored once per step, folded row after
// row), then one by one. With several segments the task that finishes a
// chunk's last segment (an atomic count per chunk) combines its partials into
// the output, in segment order, in the same parallel loop.
// CHECK-LABEL: func.func @column_max_f32
// CHECK: %[[SEGMENTS:.*]] = arith.ceildivui %{{.*}}, %c256
// CHECK: %[[CHUNKS:.*]] = arith.ceildivui %{{.*}}, %c1024
// CHECK: %[[PARTIALS:.*]] = memref.alloc
// CHECK: %[[SPLIT:.*]] = arith.cmpi ugt, %[[SEGMENTS]], %c1
// CHECK: %[[COUNTERS:.*]] = memref.alloc(%{{.*}}) {vmgpu.late_allocation} : memref<?xi32>
// CHECK: scf.for
// CHECK: memref.store %c0_i32, %[[COUNTERS]]
// CHECK: scf.forall
// CHECK: scf.if
// The first segment: its first row from the output's initial value, then
// four rows per step folded into the output.
// CHECK: scf.for {{.*}} step %c8
// CHECK: arith.cmpf uno, {{.*}} : vector<8xf32>
// CHECK: vector.store {{.*}} : memref<?xf32>, vector<8xf32>
// CHECK: scf.for {{.*}} step %c4
// CHECK: scf.for {{.*}} step %c8
// CHECK: %[[ACC:.*]] = vector.load %{{.*}} : memref<?xf32>, vector<8xf32>
// CHECK-COUNT-4: vector.load %{{.*}} : memref<?x?xf32>, vector<8xf32>
// CHECK: vector.store {{.*}} : memref<?xf32>, vector<8xf32>
// CHECK: scf.for {{.*}} step %c1
// CHECK: arith.cmpf uno, {{.*}} : f32
// The rows after the last whole step, one by one.
// CHECK: scf.for {{.*}} step %c1
// CHECK: } else {
// Later segments: the first row's contribution, then the rest, in partials.
// CHECK: vector.store {{.*}}, %[[PARTIALS]]
// CHECK: scf.for {{.*}} step %c4
// CHECK: vector.load %[[PARTIALS]]
// CHECK: scf.if %[[SPLIT]] {
// CHECK: %[[DONE:.*]] = memref.atomic_rmw addi %c1_i32, %[[COUNTERS]]
// CHECK: %[[LAST:.*]] = arith.cmpi eq, %[[DONE]]
// CHECK: scf.if %[[LAST]] {
// CHECK: scf.for {{.*}} -> (vector<8xf32>)
// CHECK: vector.load %[[PARTIALS]]
// CHECK: scf.for {{.*}} -> (f32)
// CHECK-NOT: scf.forall
// CHECK: memref.dealloc %[[PARTIALS]]
// CHECK: memref.dealloc %[[COUNTERS]]
// CHECK-NOT: linalg.reduce
func.func @column_max_f32(%x: memref<?x?xf32>, %out: memref<?xf32>) {
  linalg.reduce ins(%x : memref<?x?xf32>) outs(%out : memref<?xf32>) dimensions = [0]
    {vmgpu.lowering_config = {class = "column_reduction", strategy = "cpu_column_reduction",
      cache_tiles = array<i64: 256, 1024>, register_tiles = array<i64: 0, 8>, vector_width = 8}}
    (%in: f32, %acc: f32) {
      %gt = arith.cmpf ogt, %acc, %in : f32
      %m = arith.select %gt, %acc, %in : f32
      %accnan = arith.cmpf uno, %acc, %acc : f32
      %m1 = arith.select %accnan, %in, %m : f32
      %innan = arith.cmpf uno, %in, %in : f32
      %m2 = arith.select %innan, %acc, %m1 : f32
      linalg.yield %m2 : f32
    }
  return
}

// -----

// Static rows: the fill's value is the initial value the row's partial is
// combined with; the fill (a parallel loop of its own) goes.
// CHECK-LABEL: func.func @row_sum_filled
// CHECK-SAME: (%[[X:.*]]: memref<37x4097xf32>, %[[OUT:.*]]: memref<37xf32>)
// CHECK-NOT: linalg.fill
// CHECK: %[[INIT:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NOT: linalg.fill
// CHECK: scf.forall
// CHECK: } else {
// CHECK-NOT: memref.load %[[OUT]]
// CHECK: %[[TOTAL:.*]] = arith.addf %[[INIT]], %{{.*}} : f32
// CHECK: memref.store %[[TOTAL]], %[[OUT]]
func.func @row_sum_filled(%x: memref<37x4097xf32>, %out: memref<37xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%out : memref<37xf32>)
  linalg.reduce ins(%x : memref<37x4097xf32>) outs(%out : memref<37xf32>) dimensions = [1]
    {vmgpu.lowering_config = {class = "row_reduction", strategy = "cpu_vector_reduction",
      cache_tiles = array<i64: 0, 32768>, register_tiles = array<i64: 0, 32>, vector_width = 8}}
    (%in: f32, %acc: f32) {
      %s = arith.addf %acc, %in : f32
      linalg.yield %s : f32
    }
  return
}

// -----

// A reduced length known only at run time may be 0: the fill stays (it is
// then the result).
// CHECK-LABEL: func.func @row_sum_filled_dynamic
// CHECK: linalg.fill
// CHECK: scf.forall
func.func @row_sum_filled_dynamic(%x: memref<37x?xf32>, %out: memref<37xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%out : memref<37xf32>)
  linalg.reduce ins(%x : memref<37x?xf32>) outs(%out : memref<37xf32>) dimensions = [1]
    {vmgpu.lowering_config = {class = "row_reduction", strategy = "cpu_vector_reduction",
      cache_tiles = array<i64: 0, 32768>, register_tiles = array<i64: 0, 32>, vector_width = 8}}
    (%in: f32, %acc: f32) {
      %s = arith.addf %acc, %in : f32
      linalg.yield %s : f32
    }
  return
}

// -----

// Static columns: the first row of the first segment folds into the fill's
// value (broadcast for whole vectors), the later rows into the output.
// CHECK-LABEL: func.func @column_sum_filled
// CHECK-SAME: (%[[X:.*]]: memref<300x40xf32>, %[[OUT:.*]]: memref<40xf32>)
// CHECK-NOT: linalg.fill
// CHECK: %[[INIT:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: scf.forall
// CHECK: scf.if
// CHECK-DAG: %[[SPLAT:.*]] = vector.broadcast %[[INIT]] : f32 to vector<8xf32>
// CHECK-DAG: %[[ROW0:.*]] = vector.load %[[X]]
// CHECK: %[[FIRST:.*]] = arith.addf %[[SPLAT]], %[[ROW0]] : vector<8xf32>
// CHECK: vector.store %[[FIRST]], %[[OUT]]
// CHECK: arith.addf %[[INIT]], %{{.*}} : f32
// CHECK: scf.for
// CHECK: vector.load %[[OUT]]
// CHECK-NOT: linalg.fill
func.func @column_sum_filled(%x: memref<300x40xf32>, %out: memref<40xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%out : memref<40xf32>)
  linalg.reduce ins(%x : memref<300x40xf32>) outs(%out : memref<40xf32>) dimensions = [0]
    {vmgpu.lowering_config = {class = "column_reduction", strategy = "cpu_column_reduction",
      cache_tiles = array<i64: 256, 1024>, register_tiles = array<i64: 0, 8>, vector_width = 8}}
    (%in: f32, %acc: f32) {
      %s = arith.addf %acc, %in : f32
      linalg.yield %s : f32
    }
  return
}

// -----

// The contract's float max (the body buildFloatMax makes) folds ordered
// integer keys: negative floats get their magnitude bits flipped, NaN gets
// the losing key, one arith.maxsi per vector and step; once per segment the
// key becomes a float again (the losing key: every element was NaN, so NaN).
// The elements after the last step keep the float form.
// CHECK-LABEL: func.func @row_max_ordered_f32
// CHECK: scf.forall
// CHECK: arith.shrsi {{.*}} : vector<8xi32>
// CHECK: arith.cmpf uno, {{.*}} : vector<8xf32>
// CHECK: scf.for {{.*}} step %c32{{.*}} iter_args({{.*}}) -> (vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>)
// CHECK-COUNT-4: arith.maxsi {{.*}} : vector<8xi32>
// CHECK: scf.yield {{.*}} : vector<8xi32>, vector<8xi32>, vector<8xi32>, vector<8xi32>
// CHECK-COUNT-3: arith.maxsi {{.*}} : vector<8xi32>
// CHECK: arith.shrsi {{.*}} : i32
// CHECK: arith.cmpi eq, {{.*}}, %c-2147483648_i32 : i32
// CHECK: arith.select {{.*}}, %cst{{.*}} : f32
// CHECK: scf.for {{.*}} step %c1
// CHECK: arith.cmpf uno, {{.*}} : f32
func.func @row_max_ordered_f32(%x: memref<?x?xf32>, %out: memref<?xf32>) {
  linalg.reduce ins(%x : memref<?x?xf32>) outs(%out : memref<?xf32>) dimensions = [1]
    {vmgpu.lowering_config = {class = "row_reduction", strategy = "cpu_vector_reduction",
      cache_tiles = array<i64: 0, 32768>, register_tiles = array<i64: 0, 32>, vector_width = 8}}
    (%in: f32, %init: f32) {
      %0 = arith.bitcast %init : f32 to i32
      %1 = arith.bitcast %in : f32 to i32
      %2 = arith.andi %0, %1 : i32
      %3 = arith.bitcast %2 : i32 to f32
      %4 = arith.cmpf olt, %init, %in : f32
      %5 = arith.select %4, %in, %3 : f32
      %6 = arith.cmpf ogt, %init, %in : f32
      %7 = arith.select %6, %init, %5 : f32
      %8 = arith.cmpf uno, %init, %init : f32
      %9 = arith.select %8, %in, %7 : f32
      %10 = arith.cmpf uno, %in, %in : f32
      %11 = arith.select %10, %init, %9 : f32
      linalg.yield %11 : f32
    }
  return
}

// -----

// A max without the contract's signed-zero step is not the contract's:
// it keeps the float accumulators.
// CHECK-LABEL: func.func @row_max_other_f32
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// CHECK-NOT: arith.maxsi
func.func @row_max_other_f32(%x: memref<?x?xf32>, %out: memref<?xf32>) {
  linalg.reduce ins(%x : memref<?x?xf32>) outs(%out : memref<?xf32>) dimensions = [1]
    {vmgpu.lowering_config = {class = "row_reduction", strategy = "cpu_vector_reduction",
      cache_tiles = array<i64: 0, 32768>, register_tiles = array<i64: 0, 32>, vector_width = 8}}
    (%in: f32, %acc: f32) {
      %gt = arith.cmpf ogt, %acc, %in : f32
      %m = arith.select %gt, %acc, %in : f32
      %accnan = arith.cmpf uno, %acc, %acc : f32
      %m1 = arith.select %accnan, %in, %m : f32
      %innan = arith.cmpf uno, %in, %in : f32
      %m2 = arith.select %innan, %acc, %m1 : f32
      linalg.yield %m2 : f32
    }
  return
}

// -----

// A strided (non-contiguous) input: left to the loop lowering.
// CHECK-LABEL: func.func @strided_input
// CHECK: linalg.reduce
// CHECK-NOT: scf.forall
func.func @strided_input(%x: memref<?x?xf32, strided<[?, 2]>>, %out: memref<?xf32>) {
  linalg.reduce ins(%x : memref<?x?xf32, strided<[?, 2]>>) outs(%out : memref<?xf32>) dimensions = [1]
    {vmgpu.lowering_config = {class = "row_reduction", strategy = "cpu_vector_reduction",
      cache_tiles = array<i64: 0, 32768>, register_tiles = array<i64: 0, 32>, vector_width = 8}}
    (%in: f32, %acc: f32) {
      %s = arith.addf %acc, %in : f32
      linalg.yield %s : f32
    }
  return
}

// -----

func.func @step_not_whole_vectors(%x: memref<?x?xf32>, %out: memref<?xf32>) {
  // expected-error @+1 {{strategy 'cpu_vector_reduction' needs positive cache tiles on the innermost reduced loop, a power-of-two 'vector_width' and a register tile that is a multiple of it}}
  linalg.reduce ins(%x : memref<?x?xf32>) outs(%out : memref<?xf32>) dimensions = [1]
    {vmgpu.lowering_config = {class = "row_reduction", strategy = "cpu_vector_reduction",
      cache_tiles = array<i64: 0, 32768>, register_tiles = array<i64: 0, 12>, vector_width = 8}}
    (%in: f32, %acc: f32) {
      %s = arith.addf %acc, %in : f32
      linalg.yield %s : f32
    }
  return
}

// -----

func.func @sizes_per_loop(%x: memref<?x?xf32>, %out: memref<?xf32>) {
  // expected-error @+1 {{'cache_tiles' and 'register_tiles' need one size per loop (2)}}
  linalg.reduce ins(%x : memref<?x?xf32>) outs(%out : memref<?xf32>) dimensions = [0]
    {vmgpu.lowering_config = {class = "column_reduction", strategy = "cpu_column_reduction",
      cache_tiles = array<i64: 256>, register_tiles = array<i64: 0, 8>, vector_width = 8}}
    (%in: f32, %acc: f32) {
      %s = arith.addf %acc, %in : f32
      linalg.yield %s : f32
    }
  return
}

// -----

func.func @column_without_chunk(%x: memref<?x?xf32>, %out: memref<?xf32>) {
  // expected-error @+1 {{strategy 'cpu_column_reduction' needs positive cache tiles on the innermost reduced loop and the innermost loop}}
  linalg.reduce ins(%x : memref<?x?xf32>) outs(%out : memref<?xf32>) dimensions = [0]
    {vmgpu.lowering_config = {class = "column_reduction", strategy = "cpu_column_reduction",
      cache_tiles = array<i64: 256, 0>, register_tiles = array<i64: 0, 8>, vector_width = 8}}
    (%in: f32, %acc: f32) {
      %s = arith.addf %acc, %in : f32
      linalg.yield %s : f32
    }
  return
}
