# For benchmarks/device/host_mode.sh: relu(a*x+y) on 2^26 f32 with host
# tensors. Writes the inputs vm-gpu-bench reads (under argv[1]) and times
# PyTorch's copies of the same bytes (3 inputs in, 1 result out: 1 GiB) from
# pageable and pinned memory, with and without the kernel. Medians of 15
# runs after 3 warm-ups, synchronized.
import json, os, sys, time
import numpy as np
import torch

n = 1 << 26
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(0)
arrays = [rng.standard_normal(n, dtype=np.float32) for _ in range(3)]
for name, array in zip("axy", arrays):
    np.save(os.path.join(out, name + ".npy"), array)
moved = 4 * n * 4

def timeit(fn, warm=3, runs=15):
    for _ in range(warm):
        fn()
    times = []
    for _ in range(runs):
        torch.cuda.synchronize()
        t = time.perf_counter()
        fn()
        torch.cuda.synchronize()
        times.append((time.perf_counter() - t) * 1e3)
    return float(np.median(times))

pageable = [torch.from_numpy(a) for a in arrays]
pinned = [t.pin_memory() for t in pageable]
pinned_out = torch.empty(n, pin_memory=True)

def pageable_block():
    a, x, y = (t.to("cuda") for t in pageable)
    return torch.relu(a * x + y).cpu()

def pageable_copies():
    a, x, y = (t.to("cuda") for t in pageable)
    return a.cpu()

def pinned_block():
    a, x, y = (t.to("cuda", non_blocking=True) for t in pinned)
    pinned_out.copy_(torch.relu(a * x + y), non_blocking=True)

def pinned_copies():
    a, x, y = (t.to("cuda", non_blocking=True) for t in pinned)
    pinned_out.copy_(a, non_blocking=True)

report = {}
for name, fn in [("pageable_block", pageable_block), ("pageable_copies", pageable_copies),
                 ("pinned_block", pinned_block), ("pinned_copies", pinned_copies)]:
    ms = timeit(fn)
    report[name] = {"ms": round(ms, 3), "GB/s": round(moved / ms / 1e6, 2)}
expected = np.maximum(arrays[0] * arrays[1] + arrays[2], 0)
np.save(os.path.join(out, "expected.npy"), expected)
print(json.dumps({"torch": torch.__version__, "bytes_moved": moved, **report}))
