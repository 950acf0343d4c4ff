# Wall and CPU time of whole vm-gpu-run processes, two builds back to back
# (interleaved):
# examples/mlp.mlir on the CPU with the kernel cache warm (no compile:
# process start, loading the compiler, parse for the cache key, run, write).
import os, subprocess, sys, time, statistics
import numpy as np
tools = dict(arg.split("=", 1) for arg in sys.argv[1:])
work = "/tmp/old-run/startup"
os.makedirs(work, exist_ok=True)
r = np.random.default_rng(0)
inputs = []
for i, s in enumerate([(4, 16), (16, 32), (32,), (32, 8), (8,)]):
    path = f"{work}/in{i}.npy"
    np.save(path, r.standard_normal(s).astype(np.float32))
    inputs += ["--input", path]
mlp = "/work/wt-integrate/examples/mlp.mlir"
def run(name, tool):
    cmd = [tool, mlp, "--device", "cpu", "--output-dir", f"{work}/out-{name}"] + inputs
    env = dict(os.environ, VMGPU_CACHE_DIR=f"{work}/cache-{name}")
    env.pop("LD_LIBRARY_PATH", None)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    assert proc.returncode == 0, cmd
    wall = (time.perf_counter() - start) * 1e3
    cpu[name].append((usage.ru_utime + usage.ru_stime) * 1e3)
    return wall
cpu = {name: [] for name in tools}
for name, tool in tools.items():
    run(name, tool)  # warm the cache
    cpu[name].clear()
times = {name: [] for name in tools}
for _ in range(int(os.environ.get("REPEATS", "15"))):
    for name, tool in tools.items():
        times[name].append(run(name, tool))
print("load average:", open("/proc/loadavg").read().split()[:3])
for name, values in times.items():
    print(f"{name}: median {statistics.median(values):.1f} ms, min {min(values):.1f} ms over {len(values)} runs: "
          + " ".join(f"{v:.0f}" for v in values))
for name, values in cpu.items():
    print(f"{name}: CPU (user+sys) median {statistics.median(values):.1f} ms, min {min(values):.1f} ms")
names = list(times)
if len(names) == 2:
    print(f"ratio {names[1]}/{names[0]} of medians: "
          f"{statistics.median(times[names[1]]) / statistics.median(times[names[0]]):.3f} (wall), "
          f"{statistics.median(cpu[names[1]]) / statistics.median(cpu[names[0]]):.3f} (CPU)")
