# The NumPy peer (and PyTorch on the CPU where it is installed), each run in
# a child process whose environment lacks OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE: OpenBLAS reads them when it loads, so only a fresh
# process picks its own kernel. The child loads the same .npy inputs as
# vm-gpu-bench, times the workload, saves its result for the relative error
# and prints one JSON line.

import io
import json
import os
import sys
import time
from contextlib import redirect_stdout

from . import procs

BACK_TO_BACK = 10000


def _openblas_threads():
    """The BLAS libraries this process mapped and, for OpenBLAS (Debian
    installs it under the name libblas.so.3, which threadpoolctl does not
    recognize), its kernel and thread count from its own functions."""
    import ctypes
    found = []
    try:
        with open("/proc/self/maps") as f:
            paths = sorted({line.split()[-1] for line in f
                            if "blas" in line.lower() and "/" in line})
    except OSError:
        return found
    # Plain OpenBLAS, and the renamed copy NumPy's wheels carry.
    prefixes = [("openblas_", ""), ("scipy_openblas_", "64_"), ("openblas_", "64_")]
    for path in paths:
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix, suffix in prefixes:
            try:
                corename = getattr(library, prefix + "get_corename" + suffix)
                threads = getattr(library, prefix + "get_num_threads" + suffix)
            except AttributeError:
                continue
            corename.restype = ctypes.c_char_p
            found.append("%s: OpenBLAS, kernel %s, %d threads" % (
                os.path.basename(path), corename().decode(), threads()))
            break
        else:
            found.append("%s: not OpenBLAS" % path)
    return found


def _blas_description(np):
    """numpy.show_config's BLAS lines, and threadpoolctl's view when present."""
    lines = []
    try:  # NumPy 2: a dictionary of the build
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        lines.append("BLAS %s %s" % (blas.get("name"), blas.get("version")))
    except Exception:  # NumPy 1: printed text only
        text = io.StringIO()
        with redirect_stdout(text):
            try:
                np.show_config()
            except Exception as error:
                print("show_config failed: %s" % error)
        lines = [l.strip() for l in text.getvalue().splitlines()
                 if any(k in l.lower() for k in ("blas", "lapack", "name", "version"))]
    pools = _openblas_threads()
    if any("OpenBLAS," in line for line in pools):
        return {"numpy": np.__version__, "config": lines[:12], "threads": pools}
    try:
        from threadpoolctl import threadpool_info
        for pool in threadpool_info():
            pools.append("%s %s (%s): %s threads" % (
                pool.get("internal_api"), pool.get("version"), pool.get("architecture"),
                pool.get("num_threads")))
    except ImportError:
        pools.append("threadpoolctl not installed; OpenBLAS uses %d threads unless "
                     "OPENBLAS_NUM_THREADS/OMP_NUM_THREADS say otherwise (here: %s/%s)" % (
                         os.cpu_count(), os.environ.get("OPENBLAS_NUM_THREADS", "unset"),
                         os.environ.get("OMP_NUM_THREADS", "unset")))
    return {"numpy": np.__version__, "config": lines[:12], "threads": pools}


def _load_inputs(np, workload, directory):
    from .workloads import bf16_to_f32
    arrays = []
    for i, dtype in enumerate(workload.arg_types):
        array = np.load(os.path.join(directory, "in%d.npy" % i))
        arrays.append(bf16_to_f32(array) if dtype == "bf16" else array)
    return arrays


def worker(system, workload, input_dir, output, budget_s):
    """Runs in the child: times `workload` with NumPy or torch-cpu."""
    import numpy as np
    from .ops import NumpyOps, TorchOps
    from .stats import time_host, summary
    arrays = _load_inputs(np, workload, input_dir)
    info = {}
    if system == "numpy":
        ops = NumpyOps(np)
        args = arrays
        info = _blas_description(np)
        finish = lambda value: np.asarray(value)
    else:
        import torch
        ops = TorchOps(torch)
        args = [torch.from_numpy(a) for a in arrays]
        info = {"torch": torch.__version__, "threads": ["%d threads" % torch.get_num_threads()]}
        finish = lambda value: value.contiguous().numpy()
    call = lambda: workload.fn(ops, *args)
    if workload.kind == "dispatch":
        samples = []
        call()
        for _ in range(3):
            start = time.perf_counter()
            for _ in range(BACK_TO_BACK):
                value = call()
            samples.append((time.perf_counter() - start) * 1e3 / BACK_TO_BACK)
    else:
        samples = time_host(call, budget_s=budget_s)
    value = finish(call())
    np.save(output, value)
    median, low, high, reps = summary(samples)
    print(json.dumps({"ms": median, "min_ms": low, "max_ms": high, "reps": reps,
                      "info": info}))
    return 0


def run(bench_py, python, system, workload, scale, input_dir, output, budget_s, timeout):
    """Starts the child; its JSON report (a dict) or RuntimeError."""
    cmd = [python, bench_py, "--cpu-peer-worker", system, "--scale", scale,
           "--only", workload.name, "--inputs", input_dir,
           "--peer-output", output, "--budget", str(budget_s)]
    code, out, err = procs.run(cmd, env=procs.clean_blas_env(), timeout=timeout)
    if code != 0:
        raise RuntimeError("%s peer failed (%d): %s" % (system, code, procs.last_line(err)))
    return json.loads(out.strip().splitlines()[-1])


def torch_cpu_available(python):
    code, _, _ = procs.run([python, "-c", "import torch"], env=procs.clean_blas_env())
    return code == 0


if __name__ == "__main__":
    sys.exit("run through benchmarks/bench.py --cpu-peer-worker")
