"""Which tensor-core (`_tc`) variants the driver selects: CPU timing drops
them (on the CPU they would be the generated code again), GPU timing and
artifacts compiled for a GPU keep them, artifacts compiled for the CPU drop
them; a peer's child process (--only, started without --mode) keeps the
name its parent chose. Prints the `_tc` names chosen per command line."""
import os
import sys

sys.path.insert(0, os.path.join(sys.argv[1], "benchmarks"))
import bench  # noqa: E402

PICK = ["--group", "gemm-half", "--workload", "^gemm_f16_[0-9]+_tc$", "--scale", "tiny"]
for case, argv in (("cpu-timing", ["--mode", "cpu"]),
                   ("gpu-timing", ["--mode", "gpu"]),
                   ("cuda-artifacts", ["--compile-artifacts", "/nonexistent", "--target", "cuda"]),
                   ("cpu-artifacts", ["--compile-artifacts", "/nonexistent", "--target", "cpu"]),
                   ("peer-child", ["--only", "gemm_f16_32_tc"])):
    names = [w.name for w in bench.chosen_workloads(bench.parse_args(argv + PICK))]
    print(case, len(names), " ".join(names))
