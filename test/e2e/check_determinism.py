#!/usr/bin/env python3
# Runs reductions twice through vm-gpu-run on one device and checks that
# the two results have the same bits (shared DESIGN.md, "Determinism": the
# same block, inputs and chip give the same bits on every run). The cases
# are float sums whose order matters: a full reduction of 2^24 + 3 elements
# (two stages, many segments), a dot product, row and column sums, and
# running sums along long rows.
#
#   check_determinism.py --vm-gpu-run PATH --device cuda [--runs N] [--no-fallback]

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

PROGRAMS = {
    "full_sum": ("""module {
  func.func @main(%x: tensor<?xf32>) -> tensor<f32> {
    %r = "vm.reduce"(%x) {kind = "sum", dims = array<i64: 0>} : (tensor<?xf32>) -> tensor<f32>
    return %r : tensor<f32>
  }
}
""", lambda rng: [rng.standard_normal(2 ** 24 + 3).astype(np.float32)]),
    "dot": ("""module {
  func.func @main(%a: tensor<?xf32>, %b: tensor<?xf32>) -> tensor<f32> {
    %r = "vm.dot"(%a, %b) : (tensor<?xf32>, tensor<?xf32>) -> tensor<f32>
    return %r : tensor<f32>
  }
}
""", lambda rng: [rng.standard_normal(3 * 2 ** 20 + 1).astype(np.float32),
                  rng.standard_normal(3 * 2 ** 20 + 1).astype(np.float32)]),
    "row_sums": ("""module {
  func.func @main(%x: tensor<?x?xf32>) -> tensor<?xf32> {
    %r = "vm.reduce"(%x) {kind = "sum", dims = array<i64: 1>} : (tensor<?x?xf32>) -> tensor<?xf32>
    return %r : tensor<?xf32>
  }
}
""", lambda rng: [rng.standard_normal((64, 100003)).astype(np.float32)]),
    # Column sums: rows cut into segments (stage 1), then the partials folded
    # in segment order (stage 2); the tail chunk is read element by element.
    "column_sums": ("""module {
  func.func @main(%x: tensor<?x?xf32>) -> tensor<?xf32> {
    %r = "vm.reduce"(%x) {kind = "sum", dims = array<i64: 0>} : (tensor<?x?xf32>) -> tensor<?xf32>
    return %r : tensor<?xf32>
  }
}
""", lambda rng: [rng.standard_normal((100003, 67)).astype(np.float32)]),
    # Running sums along rows (warp_scan): chunk totals in order, a shuffle
    # scan inside each chunk; rows of a length that is not a multiple of the
    # vector width take the element path.
    "row_cumsum": ("""module {
  func.func @main(%x: tensor<?x?xf32>) -> tensor<?x?xf32> {
    %r = "vm.scan"(%x) {kind = "sum", dim = 1 : i64} : (tensor<?x?xf32>) -> tensor<?x?xf32>
    return %r : tensor<?x?xf32>
  }
}
""", lambda rng: [rng.standard_normal((37, 100003)).astype(np.float32)]),
}


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--vm-gpu-run", required=True)
    p.add_argument("--device", default="cuda")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--no-fallback", action="store_true",
                   help="pass --no-fallback (a GPU failure is an error)")
    args = p.parse_args()
    failures = 0
    with tempfile.TemporaryDirectory() as work:
        env = dict(os.environ, VMGPU_CACHE_DIR=os.path.join(work, "cache"))
        for name, (prog, make_inputs) in PROGRAMS.items():
            folder = os.path.join(work, name)
            os.makedirs(folder)
            with open(os.path.join(folder, "prog.mlir"), "w") as f:
                f.write(prog)
            command = [args.vm_gpu_run, os.path.join(folder, "prog.mlir"),
                       "--entry", "main", "--device", args.device]
            if args.no_fallback:
                command.append("--no-fallback")
            for i, value in enumerate(make_inputs(np.random.default_rng(16))):
                np.save(os.path.join(folder, "in%d.npy" % i), value)
                command += ["--input", os.path.join(folder, "in%d.npy" % i)]
            results = []
            for run in range(args.runs):
                out = os.path.join(folder, "out%d" % run)
                done = subprocess.run(command + ["--output-dir", out], env=env,
                                      capture_output=True, text=True)
                if done.returncode != 0:
                    print("FAIL %s: run %d exited %d: %s" % (
                        name, run, done.returncode, done.stderr.strip()[-400:]))
                    failures += 1
                    break
                results.append(np.load(os.path.join(out, "out0.npy")))
            else:
                bits = [r.view(np.uint32) for r in results]
                if all(np.array_equal(bits[0], b) for b in bits[1:]):
                    print("ok %s: %d runs, identical bits" % (name, args.runs))
                else:
                    print("FAIL %s: results differ between runs" % name)
                    failures += 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
