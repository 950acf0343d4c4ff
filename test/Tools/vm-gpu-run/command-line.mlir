// vm-gpu-run's command line (tools/vm-gpu-run/CommandLine.cpp): the
// spellings LLVM's option parser accepted, the errors for bad ones, and the
// messages that come through the C API unchanged.
// RUN: rm -rf %t && mkdir -p %t

// --help and --version, with one dash or two:
// RUN: vm-gpu-run --help | FileCheck %s --check-prefix=HELP
// RUN: vm-gpu-run -help | FileCheck %s --check-prefix=HELP
// HELP: USAGE: vm-gpu-run PROG.mlir --output-dir OUT [options]
// HELP: --run-times FILE
// HELP: --contraction-strategy S
// HELP: --list-devices
// RUN: vm-gpu-run --version | FileCheck %s --check-prefix=VERSION
// VERSION: vm-gpu-run: vmgpu {{[0-9]+\.[0-9]+\.[0-9]+}} (C API {{[0-9]+}}), built with LLVM {{[0-9]+}}
// VERSION-NEXT: libvmgpu: {{[0-9]+\.[0-9]+\.[0-9]+}} (C API {{[0-9]+}})

// Values after `=` or as the next argument, one dash or two, options on
// either side of the program, `--` before it:
// RUN: vm-gpu-run --device=cpu -entry=two %s --output-dir=%t/two
// RUN: vm-gpu-run -device cpu --entry three --output-dir %t/three -- %s
// RUN: vm-gpu-run %s --device cpu --entry add --input %t/two/out0.npy --input=%t/two/out0.npy --output-dir %t/add
// RUN: %python -c "import numpy as np; print(np.load('%t/add/out0.npy').tolist())" | FileCheck %s --check-prefix=ADD
// ADD: [2, 4]

// --run-times writes one wall time per run, in ms:
// RUN: vm-gpu-run %s --device cpu --entry two --repeat 3 --output-dir %t/times --run-times %t/times.json
// RUN: %python -c "import json; t = json.load(open('%t/times.json')); print(len(t), all(x > 0 for x in t))" | FileCheck %s --check-prefix=TIMES
// TIMES: 3 True

// Flags take =true or =false; --no-fallback=false keeps the fallback:
// RUN: vm-gpu-run %s --entry two --device rocm --no-fallback=false --output-dir %t/fallback 2>&1 | FileCheck %s --check-prefix=NOTE
// NOTE: vm-gpu-run: note: running on the CPU: rocm: {{.+}}
// RUN: not vm-gpu-run %s --entry two --device rocm --no-fallback=1 --output-dir %t/none 2>&1 | FileCheck %s --check-prefix=NOFALLBACK
// NOFALLBACK: vm-gpu-run: error: rocm: {{.+}}
// RUN: not vm-gpu-run %s --no-fallback=maybe --output-dir %t/none 2>&1 | FileCheck %s --check-prefix=FLAG
// FLAG: vm-gpu-run: error: --no-fallback takes no value but true or false, got 'maybe'

// Command-line errors exit 1 and write nothing:
// RUN: not vm-gpu-run %s --ouput-dir %t/none 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: vm-gpu-run: error: unknown option '--ouput-dir' (see vm-gpu-run --help)
// RUN: not vm-gpu-run %s --output-dir %t/none --entry 2>&1 | FileCheck %s --check-prefix=NOVALUE
// NOVALUE: vm-gpu-run: error: --entry needs a value
// RUN: not vm-gpu-run %s --output-dir %t/none --entry two -entry=three 2>&1 | FileCheck %s --check-prefix=TWICE
// TWICE: vm-gpu-run: error: -entry is given twice
// RUN: not vm-gpu-run %s --output-dir %t/none --repeat ten 2>&1 | FileCheck %s --check-prefix=REPEAT
// REPEAT: vm-gpu-run: error: --repeat takes a number of runs, got 'ten'
// RUN: not vm-gpu-run %s --output-dir %t/none --repeat=4294967296 2>&1 | FileCheck %s --check-prefix=REPEAT-BIG
// REPEAT-BIG: vm-gpu-run: error: --repeat takes a number of runs, got '4294967296'
// RUN: not vm-gpu-run %s --output-dir %t/none --repeat 0 2>&1 | FileCheck %s --check-prefix=REPEAT-ZERO
// REPEAT-ZERO: vm-gpu-run: error: --repeat must be at least 1
// RUN: not vm-gpu-run %s %s --output-dir %t/none 2>&1 | FileCheck %s --check-prefix=SECOND
// SECOND: vm-gpu-run: error: unexpected argument '{{.+}}command-line.mlir' (one program only, and it is '{{.+}}command-line.mlir')
// RUN: not vm-gpu-run %s --output-dir %t/none --device tpu 2>&1 | FileCheck %s --check-prefix=DEVICE
// DEVICE: vm-gpu-run: error: unknown device 'tpu' (expected cpu, cuda[:N], rocm[:N] or auto)
// RUN: not vm-gpu-run %s --output-dir %t/none --contraction-strategy blas 2>&1 | FileCheck %s --check-prefix=STRATEGY
// STRATEGY: vm-gpu-run: error: unknown contraction strategy 'blas' (expected generated, library or auto)
// RUN: vm-gpu-run %s --entry two --device cpu --contraction-strategy=library --output-dir %t/library
// RUN: not ls %t/none

// A compile error: the diagnostics name the file, and the error line says
// what failed without repeating them:
// RUN: echo 'func.func @main(%%a: tensor<4xf32>) -> {' > %t/bad.mlir
// RUN: not vm-gpu-run %t/bad.mlir --device cpu --output-dir %t/none 2>&1 | FileCheck %s --check-prefix=PARSE
// PARSE: bad.mlir:1:{{[0-9]+}}: error:
// PARSE: vm-gpu-run: error: the program does not parse{{$}}

// Inputs reach the block through the C API; the engine's messages come
// back unchanged, the shape check naming this file:
// RUN: not vm-gpu-run %s --device cpu --entry add --input %t/two/out0.npy --output-dir %t/none 2>&1 | FileCheck %s --check-prefix=COUNT
// COUNT: vm-gpu-run: error: expected 2 inputs, got 1
// RUN: not vm-gpu-run %s --device cpu --entry add --input %t/two/out0.npy --input %t/three/out0.npy --output-dir %t/none 2>&1 | FileCheck %s --check-prefix=SHAPES
// SHAPES: vm-gpu-run: error: the input shapes break the program: 'vm.add' at {{.+}}command-line.mlir:[[@LINE+13]]:8:

func.func @two() -> tensor<2xi32> {
  %0 = vm.constant dense<[1, 2]> : tensor<2xi32>
  return %0 : tensor<2xi32>
}

func.func @three() -> tensor<3xi32> {
  %0 = vm.constant dense<[1, 2, 3]> : tensor<3xi32>
  return %0 : tensor<3xi32>
}

func.func @add(%a: tensor<?xi32>, %b: tensor<?xi32>) -> tensor<?xi32> {
  %0 = vm.add %a, %b : tensor<?xi32>
  return %0 : tensor<?xi32>
}
