#!/usr/bin/env python3
# Measures where a GPU starts to pay for itself: runs three kinds of block at
# growing sizes through vm-gpu-run on the CPU and on the GPU, and prints the
# time per run on each and the smallest size from which the GPU is faster
# every time. `auto`'s threshold (docs/runtime.md, "Device selection") comes
# from these figures.
#
#   auto_threshold.py --vm-gpu-run PATH [--repeat N] [--json OUT.json]
#
# Per-run times are vm-gpu-run's wall time of each run (`--run-times`: the C
# API's run call, inputs in and results out included; process start and
# compilation left out). A GPU run includes moving its inputs to the device
# and its results back. They are steady-state figures, the median of every
# run but the first: the first run also pays one-time costs (loading the
# module, cuBLASLt's handle and plan, waking threads) that a JIT running the
# block again does not pay again, and that made tiny GPU matmuls look 5 ms
# long per run when the script divided the engine's total by the run count.
# The first run's time is printed beside. Needs NumPy. The kernel cache is
# used so each size compiles once.

import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

# name -> (program, inputs(n), bytes moved(n)). Each program takes its sizes
# from its inputs.
BLOCKS = {
    # Memory-bound: 3 loads and 1 store per element.
    "axpy_relu": (
        """func.func @main(%a: tensor<?xf32>, %x: tensor<?xf32>, %y: tensor<?xf32>) -> tensor<?xf32> {
  %ax = vm.mul %a, %x : tensor<?xf32>
  %s = vm.add %ax, %y : tensor<?xf32>
  %r = vm.relu %s : tensor<?xf32>
  return %r : tensor<?xf32>
}
""",
        lambda n, rng: [rng.standard_normal(n, dtype=np.float32) for _ in range(3)],
        lambda n: 16 * n,
    ),
    # A reduction: many loads, one value out.
    "row_sums": (
        """func.func @main(%m: tensor<?x256xf32>) -> tensor<?xf32> {
  %s = vm.reduce %m {kind = "sum", dims = array<i64: 1>} : tensor<?x256xf32> -> tensor<?xf32>
  return %s : tensor<?xf32>
}
""",
        lambda n, rng: [rng.standard_normal((max(n // 256, 1), 256), dtype=np.float32)],
        lambda n: 4 * n + 4 * max(n // 256, 1),
    ),
    # Compute-bound: n is the number of elements of each square operand.
    "matmul": (
        """func.func @main(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %c = vm.matmul %a, %b : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  return %c : tensor<?x?xf32>
}
""",
        lambda n, rng: [rng.standard_normal((int(round(n ** 0.5)),) * 2, dtype=np.float32)
                        for _ in range(2)],
        lambda n: 12 * n,
    ),
}

SIZES = {
    "axpy_relu": [2 ** k for k in range(10, 25, 2)],
    "row_sums": [2 ** k for k in range(10, 25, 2)],
    "matmul": [s * s for s in (16, 32, 64, 128, 256, 512)],
}


def run_once(args, program, inputs, device, work, elements):
    """(median ms of every run but the first, first run's ms) on `device`."""
    times_path = os.path.join(work, "times.json")
    # Large blocks repeat less: their times are steady and long.
    repeat = args.repeat if elements <= 2 ** 20 else max(5, args.repeat // 2)
    cmd = [args.vm_gpu_run, program, "--device", device, "--no-fallback",
           "--repeat", str(repeat), "--output-dir", os.path.join(work, "out"),
           "--run-times", times_path]
    for path in inputs:
        cmd += ["--input", path]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError("%s failed: %s" % (" ".join(cmd), proc.stderr.strip()))
    with open(times_path) as f:
        times = json.load(f)
    return float(np.median(times[1:])), times[0]


def torch_axpy_relu_ms(n, repeat):
    """PyTorch eager relu(a*x+y) on the GPU: (data already on the device,
    with the copies to and from the host), in ms per run; None without
    PyTorch or CUDA."""
    try:
        import torch
    except ImportError:
        return None
    if not torch.cuda.is_available():
        return None
    host = [torch.randn(n, dtype=torch.float32).pin_memory() for _ in range(3)]
    dev = [t.cuda() for t in host]

    def timed(fn):
        fn()
        torch.cuda.synchronize()
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        for _ in range(repeat):
            fn()
        end.record()
        torch.cuda.synchronize()
        return start.elapsed_time(end) / repeat

    resident = timed(lambda: torch.relu(dev[0] * dev[1] + dev[2]))
    copied = timed(lambda: torch.relu(host[0].cuda() * host[1].cuda()
                                      + host[2].cuda()).cpu())
    return resident, copied


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--vm-gpu-run", required=True)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--json")
    parser.add_argument("--blocks", default=",".join(BLOCKS))
    args = parser.parse_args()
    if args.repeat < 2:
        parser.error("--repeat must be at least 2 (the first run is left out)")
    rng = np.random.default_rng(7)
    report = {}
    with tempfile.TemporaryDirectory() as work:
        os.environ.setdefault("VMGPU_CACHE_DIR", os.path.join(work, "cache"))
        for name in args.blocks.split(","):
            text, make_inputs, bytes_moved = BLOCKS[name]
            program = os.path.join(work, name + ".mlir")
            with open(program, "w") as f:
                f.write(text)
            rows = []
            print("== %s" % name)
            print("%12s %12s %12s %12s %8s %12s %12s" % (
                "elements", "bytes", "cpu ms", "gpu ms", "cpu/gpu", "cpu 1st ms",
                "gpu 1st ms"))
            for n in SIZES[name]:
                paths = []
                for i, array in enumerate(make_inputs(n, rng)):
                    path = os.path.join(work, "in%d.npy" % i)
                    np.save(path, array)
                    paths.append(path)
                cpu_ms, cpu_first = run_once(args, program, paths, "cpu", work, n)
                gpu_ms, gpu_first = run_once(args, program, paths, "cuda", work, n)
                rows.append({"elements": n, "bytes": bytes_moved(n),
                             "cpu_ms": cpu_ms, "gpu_ms": gpu_ms,
                             "cpu_first_ms": cpu_first, "gpu_first_ms": gpu_first})
                print("%12d %12d %12.4f %12.4f %8.2f %12.4f %12.4f"
                      % (n, bytes_moved(n), cpu_ms, gpu_ms, cpu_ms / gpu_ms,
                         cpu_first, gpu_first))
            crossover = None
            for i, row in enumerate(rows):
                if all(r["gpu_ms"] < r["cpu_ms"] for r in rows[i:]):
                    crossover = row["bytes"]
                    break
            print("GPU faster from %s bytes moved on" % crossover)
            report[name] = {"rows": rows, "gpu_faster_from_bytes": crossover}
            if name == "axpy_relu":
                n = SIZES[name][-1]
                peer = torch_axpy_relu_ms(n, args.repeat)
                if peer:
                    ours = rows[-1]["gpu_ms"]
                    print("peer at %d elements: PyTorch eager %.4f ms on device-resident "
                          "data, %.4f ms with host copies; vmgpu %.4f ms (ratios %.2f, %.2f)"
                          % (n, peer[0], peer[1], ours, ours / peer[0], ours / peer[1]))
                    report[name]["peer_torch_eager"] = {
                        "elements": n, "resident_ms": peer[0], "with_copies_ms": peer[1],
                        "vmgpu_ms": ours}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
