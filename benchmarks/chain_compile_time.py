#!/usr/bin/env python3
# Times the compile of elementwise chains of n ops (vm.neg, then alternating
# vm.add / vm.mul with the argument, on tensor<64xf32>) in fresh
# vm-gpu-compile processes: the compile-time bound of docs/security.md
# (issue 13, M4: near-linear in the block's size).
#
#   benchmarks/chain_compile_time.py --vm-gpu-compile build/bin/vm-gpu-compile \
#       [--target cpu] [--ops 1000 4000 10000]

import argparse
import os
import subprocess
import sys
import tempfile
import time


def chain(n):
    lines = ["func.func @main(%a: tensor<64xf32>) -> tensor<64xf32> {",
             "  %v0 = vm.neg %a : tensor<64xf32>"]
    for i in range(1, n):
        op = "vm.add" if i % 2 else "vm.mul"
        lines.append("  %%v%d = %s %%v%d, %%a : tensor<64xf32>" % (i, op, i - 1))
    lines.append("  return %%v%d : tensor<64xf32>" % (n - 1))
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--vm-gpu-compile", required=True)
    p.add_argument("--target", default="cpu")
    p.add_argument("--ops", type=int, nargs="+", default=[1000, 4000, 10000])
    args = p.parse_args()
    print("# load average %.1f %.1f %.1f, %d cores" % (os.getloadavg() + (os.cpu_count(),)))
    with tempfile.TemporaryDirectory() as work:
        for n in args.ops:
            source = os.path.join(work, "chain%d.mlir" % n)
            with open(source, "w") as f:
                f.write(chain(n))
            start = time.perf_counter()
            done = subprocess.run([args.vm_gpu_compile, source, "--target", args.target,
                                   "-o", os.path.join(work, "out.vmgpu")],
                                  capture_output=True, text=True)
            seconds = time.perf_counter() - start
            status = "ok" if done.returncode == 0 else "FAILED: " + done.stderr.strip()[-300:]
            print("chain of %6d ops, target %s: %.2f s %s" % (n, args.target, seconds, status))
    return 0


if __name__ == "__main__":
    sys.exit(main())
