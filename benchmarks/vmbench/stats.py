# Repetition counts and summaries of per-run times.

import statistics
import time


def summary(samples_ms):
    """(median, min, max, count) of per-run milliseconds."""
    return (statistics.median(samples_ms), min(samples_ms), max(samples_ms), len(samples_ms))


def repetitions(estimate_ms, budget_s, low=5, high=200):
    """How many runs fit `budget_s` at `estimate_ms` each, within [low, high]."""
    if estimate_ms <= 0:
        return high
    return int(max(low, min(high, budget_s * 1e3 / estimate_ms)))


# The most timed runs of one figure on the host clock (peers, and vmgpu's
# CPU mode).
HOST_MAX_RUNS = 100


def time_host(fn, budget_s=1.0, warmup=1, low=3, high=HOST_MAX_RUNS):
    """Per-run wall times (ms) of fn() on the host clock: `warmup` untimed
    runs, then runs until `budget_s` is spent (at least `low`, at most
    `high`)."""
    for _ in range(warmup):
        fn()
    samples = []
    start = time.perf_counter()
    while len(samples) < high:
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1e3)
        if len(samples) >= low and time.perf_counter() - start > budget_s:
            break
    return samples


def relative_error(result, reference):
    """||result - reference|| / ||reference|| in float64 (NumPy arrays); 0
    for two zero arrays, inf when only the reference is zero; NaN anywhere
    gives NaN."""
    import numpy as np
    got = np.asarray(result, dtype=np.float64).reshape(-1)
    want = np.asarray(reference, dtype=np.float64).reshape(-1)
    if got.shape != want.shape:
        return float("nan")
    diff = float(np.linalg.norm(got - want))
    norm = float(np.linalg.norm(want))
    if norm == 0.0:
        return 0.0 if diff == 0.0 else float("inf")
    return diff / norm
