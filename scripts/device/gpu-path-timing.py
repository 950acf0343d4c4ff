#!/usr/bin/env python3
# A quick look at the GPU path's time per run for a few memory-bound blocks
# through vm-gpu-run (the engine's own per-run GPU time: process start and
# compilation left out; copies between host and device included), and at
# the result against NumPy. Not the benchmark driver (benchmarks/): no peers.
#
#   gpu-path-timing.py --vm-gpu-run PATH [--repeat N]

import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

BLOCKS = {
    "axpy_relu_2^26": (
        """func.func @main(%a: tensor<?xf32>, %x: tensor<?xf32>, %y: tensor<?xf32>) -> tensor<?xf32> {
  %ax = vm.mul %a, %x : tensor<?xf32>
  %s = vm.add %ax, %y : tensor<?xf32>
  %r = vm.relu %s : tensor<?xf32>
  return %r : tensor<?xf32>
}""",
        lambda rng: [rng.standard_normal(1 << 26, dtype=np.float32) for _ in range(3)],
        lambda a, x, y: np.maximum(a * x + y, 0),
    ),
    "sum_2^26": (
        """func.func @main(%x: tensor<?xf32>) -> tensor<f32> {
  %s = vm.reduce %x {kind = "sum", dims = array<i64: 0>} : tensor<?xf32> -> tensor<f32>
  return %s : tensor<f32>
}""",
        lambda rng: [rng.standard_normal(1 << 26, dtype=np.float32)],
        lambda x: np.float32(np.sum(x, dtype=np.float64)),
    ),
    "row_sums_8192^2": (
        """func.func @main(%x: tensor<?x?xf32>) -> tensor<?xf32> {
  %s = vm.reduce %x {kind = "sum", dims = array<i64: 1>} : tensor<?x?xf32> -> tensor<?xf32>
  return %s : tensor<?xf32>
}""",
        lambda rng: [rng.standard_normal((8192, 8192), dtype=np.float32)],
        lambda x: np.sum(x, axis=1, dtype=np.float64).astype(np.float32),
    ),
    "column_sums_8192^2": (
        """func.func @main(%x: tensor<?x?xf32>) -> tensor<?xf32> {
  %s = vm.reduce %x {kind = "sum", dims = array<i64: 0>} : tensor<?x?xf32> -> tensor<?xf32>
  return %s : tensor<?xf32>
}""",
        lambda rng: [rng.standard_normal((8192, 8192), dtype=np.float32)],
        lambda x: np.sum(x, axis=0, dtype=np.float64).astype(np.float32),
    ),
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--vm-gpu-run", required=True)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as work:
        for name, (program, make, reference) in BLOCKS.items():
            folder = os.path.join(work, name.replace("^", ""))
            os.makedirs(folder)
            with open(os.path.join(folder, "prog.mlir"), "w") as f:
                f.write(program + "\n")
            inputs = make(rng)
            command = [args.vm_gpu_run, os.path.join(folder, "prog.mlir"),
                       "--entry", "main", "--device", "cuda", "--no-fallback",
                       "--repeat", str(args.repeat), "--output-dir",
                       os.path.join(folder, "out"), "--metrics-json",
                       os.path.join(folder, "metrics.json")]
            for i, value in enumerate(inputs):
                path = os.path.join(folder, "in%d.npy" % i)
                np.save(path, value)
                command += ["--input", path]
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode != 0:
                print("%-20s FAILED: %s" % (name, done.stderr.strip()[:300]))
                continue
            with open(os.path.join(folder, "metrics.json")) as f:
                metrics = json.load(f)
            got = np.load(os.path.join(folder, "out", "out0.npy"))
            want = reference(*inputs)
            scale = max(float(np.max(np.abs(want))), 1e-30)
            error = float(np.max(np.abs(got.astype(np.float64) - want))) / scale
            runs = metrics["executions.gpu"]
            print("%-20s %9.2f ms per run (%d runs), max error / max |result| %.2e"
                  % (name, metrics["time.gpu_ms"] / max(runs, 1), runs, error))
            sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
