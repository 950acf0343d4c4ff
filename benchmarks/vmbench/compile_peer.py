# Cold and warm compile times of the GPU peers, each in a fresh process:
# torch.compile (Inductor), Triton and JAX jit. Cold: empty cache
# directories; warm: a second process over the same directories (their disk
# caches hit). The child puts the inputs on the device, then times the first
# call (compile + run) and the median of a few more; the compile time is the
# difference, so neither interpreter start nor imports count.

import json
import os
import shutil
import statistics
import sys
import tempfile
import time

from . import procs


def worker(system, workload):
    """Runs in the child; prints {"first_ms", "warm_ms"}."""
    os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
    import torch
    from .ops import JaxOps, TorchOps
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    arrays = workload.inputs()
    tensors = [torch.from_numpy(a).cuda() for a in arrays]
    torch.cuda.synchronize()
    if system == "torch-compile":
        fn = torch.compile(lambda *a: workload.fn(TorchOps(torch), *a), dynamic=False)
        call = lambda: fn(*tensors)
        sync = torch.cuda.synchronize
    elif system == "triton":
        from . import triton_kernels
        call = triton_kernels.KERNELS[workload.triton](*tensors)
        sync = torch.cuda.synchronize
    elif system == "jax":
        import jax
        import jax.numpy as jnp
        cache = os.environ.get("VMGPU_BENCH_JAX_CACHE")
        if cache:
            jax.config.update("jax_compilation_cache_dir", cache)
            jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
            jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)
        jax.config.update("jax_default_matmul_precision", "highest")
        args = [jax.device_put(a) for a in arrays]
        for a in args:
            a.block_until_ready()
        fn = jax.jit(lambda *a: workload.fn(JaxOps(jax, jnp), *a))
        last = []
        call = lambda: last.append(fn(*args))
        sync = lambda: last[-1].block_until_ready()
    else:
        raise SystemExit("unknown system " + system)

    def timed():
        start = time.perf_counter()
        call()
        sync()
        return (time.perf_counter() - start) * 1e3

    first = timed()
    warm = statistics.median(timed() for _ in range(5))
    print(json.dumps({"first_ms": first, "warm_ms": warm}))
    return 0


def measure(bench_py, python, system, workload, scale, reps=1, timeout=300):
    """[(mode, compile ms)] for cold and warm processes, `reps` of each."""
    figures = []
    for _ in range(reps):
        cache = tempfile.mkdtemp(prefix="bench-peer-cache-")
        env = dict(os.environ, TORCHINDUCTOR_CACHE_DIR=os.path.join(cache, "inductor"),
                   TRITON_CACHE_DIR=os.path.join(cache, "triton"),
                   VMGPU_BENCH_JAX_CACHE=os.path.join(cache, "jax"))
        try:
            for mode in ("compile-cold", "compile-warm"):
                cmd = [python, bench_py, "--compile-peer-worker", system, "--scale", scale,
                       "--only", workload.name]
                code, out, err = procs.run(cmd, env=env, timeout=timeout)
                if code != 0:
                    raise RuntimeError("%s compile worker failed (%d): %s" % (
                        system, code, procs.last_line(err)))
                times = json.loads(out.strip().splitlines()[-1])
                figures.append((mode, max(times["first_ms"] - times["warm_ms"], 0.0)))
        finally:
            shutil.rmtree(cache, ignore_errors=True)
    return figures


if __name__ == "__main__":
    sys.exit("run through benchmarks/bench.py --compile-peer-worker")
