"""Runs CPU blocks with 1, 2 and 7 OpenMP threads and checks that every
output has the same bytes (DESIGN.md, "Determinism": a fixed partition of
the work, combined in a fixed order, whatever the thread count).

The blocks: row, column and full reductions, a dot, a softmax, a tiled
f32 matmul (vm-cpu-tile-contractions), an f16 -> f32 matmul and an f32
conv2d (im2col and the same tiles), and large f32/f64 matmuls and
batch_matmuls, on inputs whose magnitudes vary over many orders so that any
change of summation order changes the bits. `--contraction-strategy` is
passed to vm-gpu-run: `library` sends the f32/f64 contractions to the BLAS
(one single-threaded call per tile of a partition fixed by the sizes and
the core count, or one call on as many library threads as that count).
OPENBLAS_NUM_THREADS follows the OpenMP count, so a BLAS call that ran on
the library's default count would show.

usage: cpu_thread_bits.py --vm-gpu-run PATH [--contraction-strategy S] WORKDIR
"""

import argparse
import os
import subprocess
import sys

import numpy as np

PROGRAM = """
func.func @reduce(%x: tensor<?x?xf32>, %v: tensor<?xf32>)
    -> (tensor<?xf32>, tensor<?xf32>, tensor<f32>, tensor<f32>, tensor<?x?xf32>) {
  %rows = vm.reduce %x {kind = "sum", dims = array<i64: 1>} : tensor<?x?xf32> -> tensor<?xf32>
  %cols = vm.reduce %x {kind = "sum", dims = array<i64: 0>} : tensor<?x?xf32> -> tensor<?xf32>
  %all = vm.reduce %x {kind = "sum", dims = array<i64: 0, 1>} : tensor<?x?xf32> -> tensor<f32>
  %dot = vm.dot %v, %v : (tensor<?xf32>, tensor<?xf32>) -> tensor<f32>
  %soft = vm.softmax %x {dim = 1 : i64} : tensor<?x?xf32>
  return %rows, %cols, %all, %dot, %soft
      : tensor<?xf32>, tensor<?xf32>, tensor<f32>, tensor<f32>, tensor<?x?xf32>
}

func.func @segments(%w: tensor<?x?xf32>, %h: tensor<?x?xf16>, %i: tensor<?x?xi32>)
    -> (tensor<?xf32>, tensor<?xf32>, tensor<?xf16>, tensor<?xf16>, tensor<f16>,
        tensor<?xi32>, tensor<?xi32>) {
  %wcols = vm.reduce %w {kind = "sum", dims = array<i64: 0>} : tensor<?x?xf32> -> tensor<?xf32>
  %wmax = vm.reduce %w {kind = "max", dims = array<i64: 0>} : tensor<?x?xf32> -> tensor<?xf32>
  %hrows = vm.reduce %h {kind = "sum", dims = array<i64: 1>} : tensor<?x?xf16> -> tensor<?xf16>
  %hcols = vm.reduce %h {kind = "sum", dims = array<i64: 0>} : tensor<?x?xf16> -> tensor<?xf16>
  %hall = vm.reduce %h {kind = "sum", dims = array<i64: 0, 1>} : tensor<?x?xf16> -> tensor<f16>
  %icols = vm.reduce %i {kind = "prod", dims = array<i64: 0>} : tensor<?x?xi32> -> tensor<?xi32>
  %irows = vm.reduce %i {kind = "sum", dims = array<i64: 1>} : tensor<?x?xi32> -> tensor<?xi32>
  return %wcols, %wmax, %hrows, %hcols, %hall, %icols, %irows
      : tensor<?xf32>, tensor<?xf32>, tensor<?xf16>, tensor<?xf16>, tensor<f16>,
        tensor<?xi32>, tensor<?xi32>
}

func.func @matmul(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %c = vm.matmul %a, %b : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  return %c : tensor<?x?xf32>
}

func.func @library(%a: tensor<517x300xf32>, %b: tensor<300x263xf32>,
                   %x: tensor<3x130x90xf64>, %y: tensor<3x170x90xf64>,
                   %p: tensor<300x1500xf32>, %q: tensor<1500x200xf32>)
    -> (tensor<517x263xf32>, tensor<3x130x170xf64>, tensor<300x200xf32>) {
  %c = vm.matmul %a, %b : (tensor<517x300xf32>, tensor<300x263xf32>) -> tensor<517x263xf32>
  %z = vm.batch_matmul %x, %y {transpose_b}
      : (tensor<3x130x90xf64>, tensor<3x170x90xf64>) -> tensor<3x130x170xf64>
  %d = vm.matmul %p, %q : (tensor<300x1500xf32>, tensor<1500x200xf32>) -> tensor<300x200xf32>
  return %c, %z, %d : tensor<517x263xf32>, tensor<3x130x170xf64>, tensor<300x200xf32>
}

func.func @typed(%a: tensor<?x?xf16>, %b: tensor<?x?xf16>, %x: tensor<2x30x31x67xf32>,
                 %w: tensor<3x3x67x33xf32>) -> (tensor<?x?xf32>, tensor<2x28x29x33xf32>) {
  %c = vm.matmul %a, %b : (tensor<?x?xf16>, tensor<?x?xf16>) -> tensor<?x?xf32>
  %y = vm.conv2d %x, %w : (tensor<2x30x31x67xf32>, tensor<3x3x67x33xf32>)
      -> tensor<2x28x29x33xf32>
  return %c, %y : tensor<?x?xf32>, tensor<2x28x29x33xf32>
}
"""


def spread(rng, shape):
    """Normal values scaled by 10^[-6, 6]: sums depend on their order."""
    return (rng.standard_normal(shape) *
            10.0 ** rng.uniform(-6, 6, size=shape)).astype(np.float32)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--vm-gpu-run", required=True)
    parser.add_argument("--contraction-strategy", default="generated")
    parser.add_argument("workdir")
    args = parser.parse_args()
    os.makedirs(args.workdir, exist_ok=True)
    program = os.path.join(args.workdir, "blocks.mlir")
    with open(program, "w") as f:
        f.write(PROGRAM)
    rng = np.random.default_rng(18)
    # Several segments per row (3 x 100003), per column (5003 rows) and of
    # the whole input (vm-cpu-lower-reductions), with partial vector steps
    # and column blocks (37 and 33 columns).
    w = spread(rng, (5003, 37))
    w[2500, 3] = np.nan
    inputs = {"x": spread(rng, (301, 1031)), "v": spread(rng, (100003,)),
              "w": w, "h": rng.standard_normal((3, 100003)).astype(np.float16),
              "i": rng.integers(-2 ** 31, 2 ** 31, size=(2049, 33)).astype(np.int32),
              "a": spread(rng, (131, 1025)), "b": spread(rng, (1025, 67)),
              "ha": (rng.standard_normal((257, 300)) *
                     10.0 ** rng.uniform(-2, 2, size=(257, 300))).astype(np.float16),
              "hb": rng.standard_normal((300, 133)).astype(np.float16),
              "cx": spread(rng, (2, 30, 31, 67)), "cw": spread(rng, (3, 3, 67, 33)),
              "la": spread(rng, (517, 300)), "lb": spread(rng, (300, 263)),
              "lx": spread(rng, (3, 130, 90)).astype(np.float64),
              "ly": spread(rng, (3, 170, 90)).astype(np.float64),
              # A long K: OpenBLAS's Cooperlake kernel keeps its bits over
              # thread counts for K = 300, not for K = 1500.
              "lp": spread(rng, (300, 1500)), "lq": spread(rng, (1500, 200))}
    for name, value in inputs.items():
        np.save(os.path.join(args.workdir, name + ".npy"), value)
    entries = {"reduce": ["x", "v"], "segments": ["w", "h", "i"],
               "matmul": ["a", "b"], "library": ["la", "lb", "lx", "ly", "lp", "lq"],
               "typed": ["ha", "hb", "cx", "cw"]}
    failures = 0
    for entry, names in entries.items():
        outputs = {}
        for threads in (1, 2, 7):
            out = os.path.join(args.workdir, "%s-%d" % (entry, threads))
            cmd = [args.vm_gpu_run, program, "--entry", entry, "--device", "cpu",
                   "--contraction-strategy=" + args.contraction_strategy,
                   "--output-dir", out]
            for name in names:
                cmd += ["--input", os.path.join(args.workdir, name + ".npy")]
            # The BLAS's own default count moves too: a call that ran on it
            # instead of the count vmgpu sets would change its bits.
            env = dict(os.environ, OMP_NUM_THREADS=str(threads),
                       OPENBLAS_NUM_THREADS=str(threads), VMGPU_DISK_CACHE="0")
            subprocess.run(cmd, check=True, env=env)
            outputs[threads] = sorted(
                (f, open(os.path.join(out, f), "rb").read()) for f in os.listdir(out))
        differ = [t for t in (2, 7) if outputs[t] != outputs[1]]
        for threads in differ:
            print("FAIL %s: %d threads give other bits than 1 thread" % (entry, threads))
        if not differ:
            print("%s: %d outputs, same bytes with 1, 2 and 7 threads" %
                  (entry, len(outputs[1])))
        failures += len(differ)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
