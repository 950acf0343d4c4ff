// vm-cpu-tile-contractions refuses a contraction strategy it does not know.
// RUN: vm-gpu-opt %s --verify-diagnostics \
// RUN:   --pass-pipeline="builtin.module(func.func(vm-cpu-tile-contractions{contraction-strategy=blas}))"

// expected-error @+1 {{vm-cpu-tile-contractions: unknown contraction strategy 'blas' (expected generated, library or auto)}}
func.func @unknown_strategy() {
  return
}
