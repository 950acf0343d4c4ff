#!/usr/bin/env python3
# The disk cache across processes on a GPU machine: runs each program of
# examples/ (with random inputs) through vm-gpu-run --device cuda
# --no-fallback twice, each time in a new process, with one new cache
# directory, and prints the metrics that show where the kernels came from.
# The second run of each program must compile nothing. Exits 1 otherwise.
#
#   cache-check.py --vm-gpu-run PATH [--device cuda]

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

DTYPES = {"f32": np.float32, "f64": np.float64, "f16": np.float16, "i32": np.int32,
          "i64": np.int64, "i16": np.int16, "i8": np.int8, "i1": np.bool_}


def argument_types(program):
    """@main's argument types ("256xf32", or "i32" for a scalar), from the
    source text."""
    header = re.search(r"func\.func @main\((.*?)\)\s*->", program, re.S).group(1)
    return [t or s for t, s in
            re.findall(r"%\w+:\s*(?:tensor<([^>]*)>|(\w+))", header)]


def make_input(spec, rng):
    *dims, element = spec.split("x")
    shape = [8 if d == "?" else int(d) for d in dims]
    dtype = DTYPES[element]
    if dtype == np.bool_:
        return rng.integers(0, 2, shape).astype(np.bool_)
    if np.issubdtype(dtype, np.integer):
        return rng.integers(-100, 100, shape).astype(dtype)
    return rng.uniform(-1, 1, shape).astype(dtype)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--vm-gpu-run", required=True)
    parser.add_argument("--device", default="cuda")
    args = parser.parse_args()
    root = os.path.join(os.path.dirname(__file__), "..", "..")
    rng = np.random.default_rng(1)
    failures = 0
    with tempfile.TemporaryDirectory() as work:
        env = dict(os.environ, VMGPU_CACHE_DIR=os.path.join(work, "cache"))
        for name in sorted(os.listdir(os.path.join(root, "examples"))):
            if not name.endswith(".mlir"):
                continue
            path = os.path.join(root, "examples", name)
            with open(path) as f:
                types = argument_types(f.read())
            inputs = []
            for i, spec in enumerate(types):
                input_path = os.path.join(work, "%s.in%d.npy" % (name, i))
                np.save(input_path, make_input(spec, rng))
                inputs += ["--input", input_path]
            for attempt in (1, 2):
                metrics = os.path.join(work, "metrics.json")
                cmd = [args.vm_gpu_run, path, "--device", args.device, "--no-fallback",
                       "--output-dir", os.path.join(work, "out"),
                       "--metrics-json", metrics] + inputs
                proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
                if proc.returncode != 0:
                    print("%s run %d: FAILED: %s" % (name, attempt, proc.stderr.strip()))
                    failures += 1
                    break
                with open(metrics) as f:
                    m = json.load(f)
                print("%-16s run %d: compiles %d, disk hits %d, disk misses %d, "
                      "gpu executions %d, compile ms %.1f" % (
                          name, attempt, m["compiles"], m["cache.disk.hits"],
                          m["cache.disk.misses"], m["executions.gpu"],
                          m["time.compile_ms"]))
                if attempt == 2 and m["compiles"] != 0:
                    failures += 1
    print("cache check: %s" % ("FAILED" if failures else "every second run compiled nothing"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
