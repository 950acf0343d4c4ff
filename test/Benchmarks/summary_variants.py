"""The summary compares a `_lib` / `_tc` / `_auto` variant with the peers its workload
measured in the same run (a variant measures only PyTorch eager again):
here torch-compile, faster than eager, must be the variant's best peer."""
import os
import sys

sys.path.insert(0, os.path.join(sys.argv[1], "benchmarks"))
from vmbench import report  # noqa: E402


def row(workload, system, mode, ms):
    return {"workload": workload, "system": system, "mode": mode, "ms": ms,
            "kind": "compute"}


records = [row("mlp", "vmgpu", "device", 1.0), row("mlp", "torch-eager", "device", 2.0),
           row("mlp", "torch-compile", "device", 0.8),
           row("mlp_lib", "vmgpu", "device", 0.9), row("mlp_lib", "torch-eager", "device", 2.0),
           row("mlp_auto", "vmgpu", "device", 0.7), row("mlp_auto", "torch-eager", "device", 2.0),
           row("other_lib", "vmgpu", "device", 1.0),
           row("other_lib", "torch-eager", "device", 3.0)]
for line in report.summary_table(records, "gpu"):
    print(line)
