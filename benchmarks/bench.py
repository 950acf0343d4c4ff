#!/usr/bin/env python3
# The benchmark driver (issue 14): runs each workload through vmgpu and its
# peers on one machine, prints a table per workload and a summary, appends
# one JSON object per figure to benchmarks/results/<date>-<machine>-<commit>.jsonl
# and keeps the raw log beside it. docs/benchmarks.md says how to run it and
# what every figure means.
#
#   bench.py --mode cpu [--quick] [--group G ...]           CPU-only machine
#   bench.py --mode gpu --artifacts DIR [--quick] [--group G ...]
#   bench.py --compile-artifacts DIR --scale h200           compile for the GPU machine
#   bench.py --prepare --work DIR [--group G ...]           only write programs and inputs

import argparse
import datetime
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402

from vmbench import compile_peer, numpy_peer, procs, report, vmgpu  # noqa: E402
from vmbench.ops import NumpyOps  # noqa: E402
from vmbench.stats import HOST_MAX_RUNS, relative_error, summary  # noqa: E402
from vmbench.workloads import GROUPS, bf16_to_f32, select  # noqa: E402


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--mode", choices=["cpu", "gpu"], default="cpu",
                   help="gpu: vmgpu's kernel and host modes and the GPU peers; cpu: vmgpu's "
                        "CPU path and the CPU peers")
    p.add_argument("--group", action="append", choices=GROUPS,
                   help="workload group (repeat for several; default: all)")
    p.add_argument("--quick", action="store_true", help="only the quick subset")
    p.add_argument("--workload", help="only workloads whose name matches this regex")
    p.add_argument("--only", help=argparse.SUPPRESS)  # one exact name (child processes)
    p.add_argument("--scale", choices=["h200", "cpu", "tiny"],
                   help="sizes (default: h200 with --mode gpu, cpu with --mode cpu)")
    p.add_argument("--peers", help="comma-separated peers to run (default: all available; "
                                   "'none' for vmgpu alone)")
    p.add_argument("--runs", type=int,
                   help="at most this many timed vmgpu runs (default: the workload's; "
                        "in CPU mode up to 100 within --budget, as the peers)")
    p.add_argument("--budget", type=float, help="seconds of timed runs per peer figure "
                                                "(default 1 on the GPU, 2 on the CPU)")
    p.add_argument("--graphs", action="store_true",
                   help="GPU: vmgpu's repeated runs replay their launches as one graph "
                        "(vm-gpu-bench --graphs; docs/runtime.md, \"Graphs\")")
    p.add_argument("--library-tune", type=int, default=0, metavar="N",
                   help="vmgpu's cuBLASLt GEMMs: the fastest of N candidates, timed in the "
                        "warm-up run (vm-gpu-bench --library-tune; default: the heuristic's)")
    p.add_argument("--vm-gpu-bench", default=os.path.join(ROOT, "build", "bin", "vm-gpu-bench"))
    p.add_argument("--vm-gpu-compile",
                   default=os.path.join(ROOT, "build", "bin", "vm-gpu-compile"))
    p.add_argument("--vm-gpu-run", default=os.path.join(ROOT, "build", "bin", "vm-gpu-run"))
    p.add_argument("--artifacts", help="precompiled artifacts (--compile-artifacts); "
                                       "default: compile here with vm-gpu-compile")
    p.add_argument("--chip", default="sm_90a", help="CUDA chip for compiled artifacts")
    p.add_argument("--work", help="scratch directory (default: a new temporary one)")
    p.add_argument("--deadline", type=float,
                   help="start no workload after this many seconds (a command limit)")
    p.add_argument("--results-dir", default=os.path.join(HERE, "results"))
    p.add_argument("--machine", help="machine name in the results file name")
    p.add_argument("--commit", help="vmgpu commit (default: the artifacts', else git's)")
    p.add_argument("--python", default=sys.executable, help="python for child processes")
    p.add_argument("--prepare", action="store_true",
                   help="write each workload's program and inputs under --work, then stop")
    p.add_argument("--compile-artifacts", metavar="DIR",
                   help="compile the selected workloads for --target into DIR, then stop")
    p.add_argument("--target", default="cuda", choices=["cuda", "cpu"])
    p.add_argument("--jobs", type=int, default=2)
    # Child processes.
    p.add_argument("--cpu-peer-worker", help=argparse.SUPPRESS)
    p.add_argument("--compile-peer-worker", help=argparse.SUPPRESS)
    p.add_argument("--blas-info", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--inputs", help=argparse.SUPPRESS)
    p.add_argument("--peer-output", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.scale is None:
        args.scale = "h200" if args.mode == "gpu" or args.compile_artifacts else "cpu"
    if args.budget is None:
        args.budget = 1.0 if args.mode == "gpu" else 2.0
    return args


def chosen_workloads(args):
    if args.only:
        # A peer's child process runs the one name its parent chose.
        return [w for w in select(args.scale) if w.name == args.only]
    workloads = select(args.scale, args.group, args.quick, args.workload)
    # Tensor cores are a GPU's: on the CPU a `_tc` variant would be the
    # generated code again under another name. Artifacts compiled for a GPU
    # keep them (--mode is the timing side's, and stays at its default there).
    on_cpu = args.target == "cpu" if args.compile_artifacts else args.mode == "cpu"
    if on_cpu:
        workloads = [w for w in workloads if "--tensor-cores" not in w.compile_flags]
    return workloads


def git_commit():
    """HEAD's short hash, with `-dirty` when tracked files differ from it
    (the figures are then of a tree no commit holds)."""
    try:
        head = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        changed = subprocess.run(["git", "-C", ROOT, "status", "--porcelain",
                                  "--untracked-files=no"],
                                 capture_output=True, text=True, check=True).stdout.strip()
        return head + ("-dirty" if changed else "")
    except (OSError, subprocess.CalledProcessError):
        return None


def nvidia_smi_name():
    """The first GPU's name from nvidia-smi, else "cuda"."""
    try:
        code, out, _ = procs.run(["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"])
    except OSError:
        return "cuda"
    names = out.strip().splitlines()
    return names[0].strip() if code == 0 and names else "cuda"


def cpu_description():
    model = platform.processor() or "cpu"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return "%s, %d cores" % (model, os.cpu_count())


class Driver:
    def __init__(self, args):
        self.args = args
        self.started = time.monotonic()
        self.gpu = args.mode == "gpu"
        self.peers = None
        self.pinned_gbps = None
        self.torch_cpu = False
        self.own_work = not args.work
        self.work = args.work or tempfile.mkdtemp(prefix="vmgpu-bench-")
        artifacts = vmgpu.Artifacts(
            "cuda" if self.gpu else "cpu", args.chip, args.artifacts,
            args.vm_gpu_compile if os.path.exists(args.vm_gpu_compile) else None,
            os.path.join(self.work, "artifacts"))
        self.artifacts = artifacts
        manifest_commit = artifacts.manifest["commit"] if artifacts.manifest else None
        self.commit = args.commit or manifest_commit or git_commit() or "unknown"

    def allowed(self, system):
        if not self.args.peers:
            return True
        return system in self.args.peers.split(",")

    def start(self):
        args = self.args
        if self.gpu:
            if self.args.peers != "none":
                from vmbench.gpu_peers import GpuPeers
                self.peers = GpuPeers(print, args.budget)
                device = self.peers.device_name()
            else:
                device = nvidia_smi_name()
            machine = args.machine or device.replace("NVIDIA", "").split()[0].lower()
        else:
            device = cpu_description()
            machine = args.machine or "cpu-%dc" % os.cpu_count()
        date = datetime.date.today().isoformat()
        stem = os.path.join(args.results_dir, "%s-%s-%s" % (date, machine, self.commit))
        self.log = report.Log(stem + ".log")
        if self.peers:
            self.peers.log = self.log
        command = "benchmarks/bench.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
        self.results = report.Results(stem + ".jsonl", dict(
            device=device, commit=self.commit, machine=machine, date=date, command=command))
        log = self.log
        log("# %s" % command)
        log("# %s, commit %s, device %s, mode %s, scale %s" % (
            datetime.datetime.now().isoformat(timespec="seconds"), self.commit, device,
            args.mode, args.scale))
        if args.scale == "cpu":
            log("# scale cpu: the issue's H200 sizes made smaller for this machine "
                "(vectors 2^22/2^24, full reductions 2^24, matrices 2048^2, GEMM "
                "256/512/1024, batch 8x256^3, conv batch 4, MLP 256 rows); names carry sizes")
        log("# results: %s.jsonl, log: %s.log" % (stem, stem))
        if self.peers:
            for line in self.peers.describe():
                log("# " + line)
            self.pinned_gbps = self.peers.pinned_bandwidth()
            log("# pinned host-to-device copy: %.1f GB/s (the host-mode floor)" % self.pinned_gbps)
        if self.allowed("numpy"):
            code, out, err = procs.run([args.python, os.path.abspath(__file__), "--blas-info"],
                                       env=procs.clean_blas_env())
            for line in (out + err).strip().splitlines():
                log("# numpy peer (OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE unset): " + line)
        if not self.gpu and self.allowed("torch-cpu"):
            self.torch_cpu = numpy_peer.torch_cpu_available(args.python)
            log("# torch-cpu peer: %s" % ("yes" if self.torch_cpu else "PyTorch not installed"))

    # --- one workload ------------------------------------------------------

    def error(self, value, reference):
        if self.gpu and self.peers:
            return self.peers.error(value, reference)
        return relative_error(value, reference)

    def measure(self, w):
        log = self.log
        folder = os.path.join(self.work, w.name.replace("^", "p"))
        os.makedirs(folder, exist_ok=True)
        arrays = w.inputs()
        paths = []
        for i, array in enumerate(arrays):
            paths.append(os.path.join(folder, "in%d.npy" % i))
            np.save(paths[-1], array)
        ir_path = vmgpu.write_program(w, folder)
        if w.group == "compile":
            self.measure_compile(w, ir_path, paths)
            return
        tensors = None
        if self.peers:
            tensors = self.peers.to_torch(arrays, w.arg_types)
            reference = self.peers.reference(w, tensors)
        else:
            wide = [bf16_to_f32(a) if t == "bf16" else a for a, t in zip(arrays, w.arg_types)]
            reference = w.fn(NumpyOps(np, reference=True), *[a.astype(np.float64) for a in wide])
        del arrays
        try:
            self.measure_vmgpu(w, paths, folder, reference)
        except RuntimeError as failure:
            log("  vmgpu: FAILED: %s" % str(failure).strip())
        if self.peers and w.kind == "transfer" and self.allowed("copy"):
            self.peers.transfers(w, self.results)
        elif self.peers:
            self.peers.measure(w, tensors, reference, self.results, self.allowed)
        cpu_peers = ["numpy"] if "numpy" in w.peers else []
        # PyTorch's CPU kernels lack half precision (1.13: no f16 matmul).
        if cpu_peers and self.torch_cpu and w.dtype == "f32":
            cpu_peers.append("torch-cpu")
        for system in cpu_peers:
            if self.allowed(system):
                self.measure_cpu_peer(system, w, folder, reference)
        del tensors, reference
        shutil.rmtree(folder, ignore_errors=True)

    def measure_vmgpu(self, w, paths, folder, reference):
        out_dir = os.path.join(folder, "out")
        artifact = self.artifacts.get(w)
        runs, max_seconds = w.runs, w.max_seconds
        if not self.gpu and w.kind != "dispatch":
            # The CPU peers' protocol (stats.time_host): runs until the
            # budget is spent, at most 100. Ten runs of a millisecond GEMM
            # on a shared machine gave medians 2.8x apart between calls.
            runs, max_seconds = HOST_MAX_RUNS, self.args.budget
        if self.args.runs:
            runs = min(runs, self.args.runs)
        timeout = 4 * (max_seconds + 10) + 300
        rep = vmgpu.bench(self.args.vm_gpu_bench, artifact, paths, runs, max_seconds,
                          3 if self.gpu else 0, out_dir,
                          warmup=100 if w.kind == "dispatch" else 1, timeout=timeout,
                          library_tune=self.args.library_tune, graphs=self.args.graphs)
        result = np.load(os.path.join(out_dir, "out0.npy"))
        error = self.error(result, reference)
        wall = rep["wall_ms"]
        launches = rep.get("launches_per_run")
        per_block = rep["total_ms"] / rep["runs"]
        if w.kind == "dispatch" and not self.gpu:
            self.results.add(w, "vmgpu", "dispatch", per_block, wall["min"], wall["max"],
                             rep["runs"], error, launches,
                             note="total / %d runs back to back (vm-gpu-bench); the CPU "
                                  "path" % rep["runs"])
        if self.gpu:
            self.measure_vmgpu_device(w, artifact, paths, runs, error, launches, timeout)
        if not self.gpu:
            if w.kind != "dispatch":
                # None: a vm-gpu-bench older than the count.
                blas = rep.get("blas_calls_per_run")
                self.results.add(w, "vmgpu", "cpu", wall["median"], wall["min"], wall["max"],
                                 rep["runs"], error,
                                 note="vm-gpu-bench wall time per run, all cores; BLAS "
                                      "calls per run: %s" % (
                                          "not reported" if blas is None else "%g" % blas))
                if "--contraction-strategy=library" in w.compile_flags and blas == 0:
                    self.log("  vmgpu: %s made no BLAS call: the row is the generated "
                             "code's" % w.name)
            return
        kernel = rep.get("kernel_ms")
        # Only a variant's flags can choose the library; an unknown count (an
        # older vm-gpu-bench) counts as a call.
        if kernel and w.compile_flags and rep.get("library_calls_per_run", 1) != 0:
            # Kernel time sums CUDA events around launches; a cuBLASLt call is
            # no launch, so the figure would leave the GEMM out.
            self.log("  vmgpu: no kernel figure for %s (%s cuBLASLt calls per run are not "
                     "launches; the device mode times them)" % (
                         w.name, rep.get("library_calls_per_run", "?")))
        elif kernel:
            self.results.add(w, "vmgpu", "kernel", kernel["median"], kernel["min"],
                             kernel["max"], rep["kernel_runs"], error, launches,
                             note="summed kernel time of one run (CUDA events); no device mode "
                                  "until the runtime keeps tensors on the device")
        elif rep.get("kernel_runs"):
            self.log("  vmgpu: launches counted but not timed (the driver lacks events)")
        copy = rep.get("copy_ms")
        share = floor = None
        if copy and wall["median"] > 0:
            share = copy["median"] / wall["median"]
        moved = rep["input_bytes"] + result.nbytes
        if self.pinned_gbps and wall["median"] > 0:
            floor = moved / (self.pinned_gbps * 1e9) / (wall["median"] * 1e-3)
        self.results.add(w, "vmgpu", "host", wall["median"], wall["min"], wall["max"],
                         rep["runs"], error, launches, transfer_share=share,
                         transfer_floor_share=floor,
                         note="vm-gpu-bench wall time per run: .npy data in host memory, "
                              "staging and copies included")
        if w.kind == "transfer" and copy:
            self.results.add(w, "vmgpu", "transfer", copy["median"], copy["min"], copy["max"],
                             rep["kernel_runs"], error,
                             gbps=rep["copy_bytes_per_run"] / (copy["median"] * 1e-3) / 1e9,
                             note="its %d staging copies per run (pageable), both ways" %
                                  rep["copies_per_run"])

    def measure_vmgpu_device(self, w, artifact, paths, runs, error, launches, timeout):
        """vmgpu's `device` mode, timed as the peers are (their CUDA events
        see back-to-back calls): inputs copied to the device once, results
        kept there, runs queued back to back with one wait at the end, time
        per run. The dispatch workload is the same figure (`dispatch`), and
        `dispatch-sync` adds a wait after every block."""
        blocks = w.runs if w.kind == "dispatch" else max(10, runs)
        try:
            rep = vmgpu.bench(self.args.vm_gpu_bench, artifact, paths, runs, w.max_seconds,
                              0, None, warmup=100 if w.kind == "dispatch" else 1,
                              timeout=timeout, inputs_on="device", back_to_back=blocks,
                              library_tune=self.args.library_tune, graphs=self.args.graphs)
            synced = None
            if w.kind == "dispatch":
                synced = vmgpu.bench(self.args.vm_gpu_bench, artifact, paths, runs,
                                     w.max_seconds, 0, None, warmup=100, timeout=timeout,
                                     inputs_on="device", back_to_back=blocks, sync_each=True,
                                     graphs=self.args.graphs)
        except RuntimeError as failure:
            self.log("  vmgpu device mode: FAILED: %s" % str(failure).strip())
            return
        b2b = rep.get("back_to_back") or {}
        if b2b.get("us_per_block") is None:
            self.log("  vmgpu device mode: vm-gpu-bench reported no back-to-back figure")
            return
        memory = rep.get("device_memory") or {}
        self.results.add(
            w, "vmgpu", "device", b2b["us_per_block"] * 1e-3, reps=b2b["blocks"],
            rel_err=error, launches=launches,
            note="vm-gpu-bench --inputs-on device --back-to-back %d: inputs and results on "
                 "the device, runs queued with one wait at the end; one run with a wait "
                 "after it: %s ms (median); driver allocations per run: %s" % (
                     b2b["blocks"], report.fmt(rep["wall_ms"]["median"]),
                     memory.get("driver_allocations_per_run")))
        if w.kind != "dispatch":
            return
        for report_, mode, how in ((rep, "dispatch", "one wait at the end"),
                                   (synced, "dispatch-sync", "a wait after every block")):
            figure = (report_ or {}).get("back_to_back") or {}
            if figure.get("us_per_block") is None:
                continue
            self.results.add(w, "vmgpu", mode, figure["us_per_block"] * 1e-3,
                             reps=figure["blocks"], rel_err=error, launches=launches,
                             note="%d blocks back to back on device-resident tensors, %s "
                                  "(vm-gpu-bench --back-to-back)" % (figure["blocks"], how))

    def measure_cpu_peer(self, system, w, folder, reference):
        output = os.path.join(folder, "%s-out.npy" % system)
        try:
            rep = numpy_peer.run(os.path.abspath(__file__), self.args.python, system, w,
                                 self.args.scale, folder, output, self.args.budget,
                                 timeout=900)
        except RuntimeError as failure:
            self.log("  %s: FAILED: %s" % (system, failure))
            return
        error = self.error(np.load(output), reference)
        threads = "; ".join(rep["info"].get("threads", []))
        self.results.add(w, system, "cpu", rep["ms"], rep["min_ms"], rep["max_ms"], rep["reps"],
                         error, note=threads or None)

    def measure_compile(self, w, ir_path, paths):
        device = "cuda" if self.gpu else "cpu"
        try:
            cold, warm = vmgpu.compile_times(self.args.vm_gpu_run, ir_path, paths, device)
        except RuntimeError as failure:
            self.log("  vmgpu: FAILED: %s" % failure)
            cold = warm = []
        med = lambda rows, key: summary([r[key] for r in rows])[0]
        if cold:
            ms = [r["compile_ms"] for r in cold]
            self.results.add(w, "vmgpu", "compile-cold", *summary(ms),
                             compile_ms=med(cold, "compile_ms"),
                             process_ms=med(cold, "process_ms"),
                             note="vm-gpu-run, empty VMGPU_CACHE_DIR: time.compile_ms "
                                  "(%s build%s)" % ("CPU + CUDA" if self.gpu else "CPU",
                                                    "s" if self.gpu else ""))
        if warm:
            ms = [max(r["process_ms"] - r["run_ms"], 0.0) for r in warm]
            self.results.add(w, "vmgpu", "compile-warm", *summary(ms),
                             compile_ms=med(warm, "compile_ms"),
                             process_ms=med(warm, "process_ms"),
                             note="vm-gpu-run with the entries on disk: process time minus the "
                                  "run (process start, driver init, .npy I/O included); "
                                  "compiles %d, disk hits %d" % (warm[-1]["compiles"],
                                                                  warm[-1]["disk_hits"]))
        if not self.peers:
            return
        for system in w.peers:
            if not self.allowed(system) or (system == "triton" and (
                    not w.triton or not self.peers.triton)) or (
                    system == "jax" and not self.peers.jax):
                continue
            try:
                figures = compile_peer.measure(os.path.abspath(__file__), self.args.python,
                                               system, w, self.args.scale)
            except RuntimeError as failure:
                self.log("  %s: FAILED: %s" % (system, failure))
                continue
            for mode in ("compile-cold", "compile-warm"):
                ms = [value for m, value in figures if m == mode]
                self.results.add(w, system, mode, *summary(ms),
                                 note="first call minus a warm call, fresh process")

    # --- the run -------------------------------------------------------------

    def run(self, workloads):
        log = self.log
        for w in workloads:
            if self.args.deadline and time.monotonic() - self.started > self.args.deadline:
                log("")
                log("-- %s: skipped, past the deadline of %d s" % (w.name, self.args.deadline))
                continue
            log("")
            log("-- %s [%s] %s" % (w.name, w.group, w.note))
            first = len(self.results.records)
            try:
                self.measure(w)
            except KeyboardInterrupt:
                raise
            except Exception as failure:  # one workload's failure is reported, not fatal
                log("  FAILED: %s: %s" % (type(failure).__name__, failure))
            for line in report.workload_table(self.results.records[first:], self.args.mode):
                log(line)
        log("")
        log("== summary (vmgpu: its %s figure, dispatch per block; ratios > 1 mean vmgpu "
            "is slower)" % " or ".join(report.REFERENCE_MODES[self.args.mode]))
        for line in report.summary_table(self.results.records, self.args.mode):
            log(line)

    def close(self):
        if self.own_work:
            shutil.rmtree(self.work, ignore_errors=True)


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    procs.raise_on_sigterm()
    if args.blas_info:
        info = numpy_peer._blas_description(np)
        print("numpy %s; %s" % (info["numpy"], "; ".join(info["config"])))
        for line in info["threads"]:
            print(line)
        return 0
    workloads = chosen_workloads(args)
    if args.cpu_peer_worker:
        return numpy_peer.worker(args.cpu_peer_worker, workloads[0], args.inputs,
                                 args.peer_output, args.budget)
    if args.compile_peer_worker:
        return compile_peer.worker(args.compile_peer_worker, workloads[0])
    if not workloads:
        print("bench.py: no workload matches", file=sys.stderr)
        return 1
    if args.compile_artifacts:
        manifest = vmgpu.compile_artifacts(
            args.vm_gpu_compile, workloads, args.target, args.chip, args.compile_artifacts,
            args.commit or git_commit() or "unknown", args.jobs, print)
        return 0 if not manifest["failed"] else 2
    if args.prepare:
        if not args.work:
            print("bench.py: --prepare needs --work DIR", file=sys.stderr)
            return 1
        for w in workloads:
            folder = os.path.join(args.work, w.name.replace("^", "p"))
            vmgpu.write_program(w, folder)
            for i, array in enumerate(w.inputs()):
                np.save(os.path.join(folder, "in%d.npy" % i), array)
        return 0
    driver = Driver(args)
    try:
        driver.start()
        driver.run(workloads)
    except KeyboardInterrupt:
        print("bench.py: interrupted; what was measured is in the results file",
              file=sys.stderr)
        return 130
    finally:
        driver.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
