# vmgpu's side of a benchmark: artifacts (compiled here, or carried to the
# GPU machine precompiled), their timed runs through vm-gpu-bench, and the
# compile-cold / compile-warm figures through vm-gpu-run in fresh processes.

import hashlib
import json
import os
import shutil
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

from . import procs

MANIFEST = "manifest.json"


def ir_digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


def write_program(workload, directory):
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "prog.mlir")
    with open(path, "w") as f:
        f.write(workload.ir)
    return path


def compile_artifact(compiler, ir_path, target, chip, output, flags=()):
    """vm-gpu-compile; (True, "") or (False, its diagnostics)."""
    cmd = [compiler, ir_path, "--entry", "main", "--target", target, "-o", output]
    if target == "cuda" and chip:
        cmd += ["--chip", chip]
    # A variant's flags hold for every target: the CPU's `_lib` and `_auto`
    # rows were the generated code's until 2026-12-06 (the flags went to
    # cuda only).
    cmd += list(flags)
    code, out, err = procs.run(cmd)
    return code == 0, (out + err).strip()


def compile_artifacts(compiler, workloads, target, chip, directory, commit, jobs, log):
    """Compiles every workload's program into `directory` (for carrying to
    a machine without LLVM) and writes the manifest: the commit, chip and the
    SHA-256 of each program, which the driver checks there. A manifest
    already in `directory` from the same commit, target and chip keeps its
    other workloads (groups compiled one call at a time add up); any other
    is replaced."""
    os.makedirs(directory, exist_ok=True)
    manifest = {"commit": commit, "target": target, "chip": chip,
                "date": time.strftime("%Y-%m-%d"), "workloads": {}, "failed": {}}
    try:
        with open(os.path.join(directory, MANIFEST)) as f:
            previous = json.load(f)
        if all(previous.get(k) == manifest[k] for k in ("commit", "target", "chip")):
            manifest["workloads"].update(previous.get("workloads", {}))
            manifest["failed"].update(previous.get("failed", {}))
    except (OSError, ValueError):
        pass

    def one(w):
        ir_path = os.path.join(directory, w.name + ".mlir")
        with open(ir_path, "w") as f:
            f.write(w.ir)
        artifact = "%s.%s.vmgpu" % (w.name, target)
        start = time.perf_counter()
        ok, text = compile_artifact(compiler, ir_path, target, chip,
                                    os.path.join(directory, artifact), w.compile_flags)
        return w, ok, text, time.perf_counter() - start, artifact

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for w, ok, text, seconds, artifact in pool.map(one, workloads):
            manifest["workloads"].pop(w.name, None)
            manifest["failed"].pop(w.name, None)
            if ok:
                manifest["workloads"][w.name] = {"artifact": artifact,
                                                 "ir_sha256": ir_digest(w.ir)}
                log("compiled %-40s %6.1f s" % (w.name, seconds))
            else:
                manifest["failed"][w.name] = text[-2000:]
                log("FAILED   %-40s %s" % (w.name, text.splitlines()[-1] if text else ""))
    with open(os.path.join(directory, MANIFEST), "w") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
    return manifest


class Artifacts:
    """Where a workload's artifact comes from: a carried directory (checked
    against its manifest) or vm-gpu-compile here (cached by program)."""

    def __init__(self, target, chip=None, directory=None, compiler=None, cache=None):
        self.target = target
        self.chip = chip
        self.directory = directory
        self.compiler = compiler
        self.cache = cache
        self.manifest = None
        if directory:
            with open(os.path.join(directory, MANIFEST)) as f:
                self.manifest = json.load(f)

    def get(self, workload):
        """The artifact's path; raises RuntimeError with the reason when
        there is none."""
        if self.manifest is not None:
            entry = self.manifest["workloads"].get(workload.name)
            if entry is None:
                reason = self.manifest["failed"].get(workload.name, "not in the manifest")
                raise RuntimeError("no artifact: " + reason.splitlines()[-1])
            if entry["ir_sha256"] != ir_digest(workload.ir):
                raise RuntimeError("the carried artifact was compiled from another program "
                                   "(re-run benchmarks/device/prepare.sh)")
            return os.path.join(self.directory, entry["artifact"])
        if not self.compiler:
            raise RuntimeError("no artifacts directory and no vm-gpu-compile")
        os.makedirs(self.cache, exist_ok=True)
        # Which compiler too: a --work directory kept across builds must not
        # hand back an artifact an older vm-gpu-compile wrote.
        tool = os.stat(self.compiler)
        key = ir_digest("\n".join([workload.ir] + list(workload.compile_flags) + [
            os.path.realpath(self.compiler), str(tool.st_size), str(tool.st_mtime_ns)]))
        stem = os.path.join(self.cache, "%s.%s" % (key[:16], self.target))
        artifact = stem + ".vmgpu"
        if not os.path.exists(artifact):
            with open(stem + ".mlir", "w") as f:
                f.write(workload.ir)
            ok, text = compile_artifact(self.compiler, stem + ".mlir", self.target, self.chip,
                                        artifact, workload.compile_flags)
            if not ok:
                raise RuntimeError("vm-gpu-compile failed: " + text[-1500:])
        return artifact


def bench(tool, artifact, inputs, runs, max_seconds, kernel_runs, output_dir, warmup=1,
          timeout=None, inputs_on=None, back_to_back=0, sync_each=False, library_tune=0,
          graphs=False):
    """vm-gpu-bench's report (a dict). `inputs_on` (pageable, pinned, device)
    says where a GPU block's inputs live; `back_to_back` (device inputs)
    also times that many runs queued with one wait at the end (after every
    run with `sync_each`); `library_tune` > 1 times that many cuBLASLt
    candidates per GEMM in the warm-up run and keeps the fastest; `graphs`
    replays repeated runs' launches as one graph (vm-gpu-bench --graphs)."""
    cmd = [tool, artifact, "--runs", str(runs), "--max-seconds", str(max_seconds),
           "--warmup", str(warmup), "--kernel-runs", str(kernel_runs)]
    if library_tune:
        cmd += ["--library-tune", str(library_tune)]
    if graphs:
        cmd.append("--graphs")
    if output_dir:
        cmd += ["--output-dir", output_dir]
    if inputs_on:
        cmd += ["--inputs-on", inputs_on]
    if back_to_back:
        cmd += ["--back-to-back", str(back_to_back)]
        if sync_each:
            cmd.append("--sync-each")
    for path in inputs:
        cmd += ["--input", path]
    # The environment the NumPy peer gets: OpenBLAS (which the CPU's library
    # strategy loads) picks its own kernel on both sides.
    code, out, err = procs.run(cmd, env=procs.clean_blas_env(), timeout=timeout)
    if code != 0:
        raise RuntimeError("vm-gpu-bench failed (%d): %s" % (code, procs.last_line(err)))
    return json.loads(out.strip().splitlines()[-1])


def _run_once(runner, ir_path, inputs, device, cache, work):
    """One vm-gpu-run process; (its metrics, wall ms)."""
    metrics = os.path.join(work, "metrics.json")
    cmd = [runner, ir_path, "--entry", "main", "--device", device,
           "--output-dir", os.path.join(work, "out"), "--metrics-json", metrics]
    if device != "cpu":
        cmd.append("--no-fallback")
    for path in inputs:
        cmd += ["--input", path]
    env = dict(os.environ, VMGPU_CACHE_DIR=cache)
    start = time.perf_counter()
    code, out, err = procs.run(cmd, env=env)
    wall = (time.perf_counter() - start) * 1e3
    if code != 0:
        raise RuntimeError("vm-gpu-run failed (%d): %s" % (code, procs.last_line(err)))
    with open(metrics) as f:
        return json.load(f), wall


def compile_times(runner, ir_path, inputs, device, reps=3):
    """Fresh vm-gpu-run processes: `reps` with an empty cache directory
    (cold) each followed by one that finds the entries on disk (warm).
    Returns two lists of dicts: compile_ms (the engine's time.compile_ms),
    process_ms (the whole process), run_ms (the block's own runs), compiles,
    disk_hits."""
    cold, warm = [], []
    for _ in range(reps):
        work = tempfile.mkdtemp(prefix="vmgpu-compile-")
        try:
            cache = os.path.join(work, "cache")
            for bucket in (cold, warm):
                metrics, wall = _run_once(runner, ir_path, inputs, device, cache, work)
                bucket.append({
                    "compile_ms": metrics.get("time.compile_ms", 0.0),
                    "process_ms": wall,
                    "run_ms": metrics.get("time.gpu_ms", 0.0) + metrics.get("time.cpu_ms", 0.0),
                    "compiles": metrics.get("compiles", 0),
                    "disk_hits": metrics.get("cache.disk.hits", 0)})
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return cold, warm
