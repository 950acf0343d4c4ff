// An unknown contraction strategy is an error of the pass, not a crash.
// RUN: not vm-gpu-opt %s \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-gpu-select-lowering-config{contraction-strategy=cublas}))" \
// RUN:   2>&1 | FileCheck %s
// CHECK: error: vm-gpu-select-lowering-config: unknown contraction strategy 'cublas' (expected generated, library or auto)
func.func @f() {
  return
}
