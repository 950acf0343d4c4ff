# For benchmarks/device/host_mode.sh: summarizes a vm-gpu-bench report
# (argv[1]) against the bytes moved and checks its written result
# (argv[2]/out0.npy) against NumPy's (argv[3]).
import json, sys
import numpy as np
r = json.load(open(sys.argv[1]))
ms = r["wall_ms"]["median"] if isinstance(r["wall_ms"], dict) else r["wall_ms"]
moved = 4 * (1 << 26) * 4
got = np.load(sys.argv[2] + "/out0.npy")
exp = np.load(sys.argv[3])
print(json.dumps({"inputs_on": r["inputs_on"], "wall_ms": r["wall_ms"],
                  "GB/s(median)": round(moved / ms / 1e6, 2),
                  "kernel_ms": r.get("kernel_ms"), "copy_ms": r.get("copy_ms"),
                  "device_memory": r["device_memory"],
                  "result_max_abs_error": float(np.max(np.abs(got - exp))),
                  "result_exact": bool(np.array_equal(got, exp))}))
