# Results: one JSON object per measured figure (appended to a .jsonl file),
# the raw log beside it, and the tables printed from the same records.

import json
import math
import os
import sys

# Every record has these keys (issue 14, item 6), null where they mean
# nothing, plus the extras below.
FIELDS = ["workload", "system", "mode", "ms", "min_ms", "max_ms", "reps", "rel_err",
          "launches", "gbps", "tflops", "device", "commit"]
EXTRAS = ["group", "kind", "shape", "dtype", "tolerance", "note", "machine", "date",
          "transfer_share", "transfer_floor_share", "compile_ms", "process_ms", "command"]

# Peers' rows are compared with the first of these vmgpu modes a workload
# has (the dispatch workload: vmgpu's per-block time back to back, mode
# "dispatch"). On the GPU, "device" (device-resident inputs and results,
# what the peers' figures mean); "kernel" for results sets made before the
# runtime kept tensors on the device.
REFERENCE_MODES = {"gpu": ("device", "kernel"), "cpu": ("cpu",)}


def reference_modes(kind, run_mode):
    return ("dispatch",) if kind == "dispatch" else REFERENCE_MODES[run_mode]


class Log:
    """Prints and keeps everything in the raw log file."""

    def __init__(self, path):
        self.path = path
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        self.file = open(path, "a")

    def __call__(self, text=""):
        print(text)
        sys.stdout.flush()
        self.file.write(text + "\n")
        self.file.flush()

    def close(self):
        self.file.close()


class Results:
    """The records of one driver run; each is appended to `path` as it is
    made, so an interrupted run keeps what it measured."""

    def __init__(self, path, context):
        self.path = path
        self.context = context  # device, commit, machine, date, command
        self.records = []

    def add(self, workload, system, mode, ms, min_ms=None, max_ms=None, reps=None,
            rel_err=None, launches=None, **extra):
        record = dict.fromkeys(FIELDS + EXTRAS)
        record.update(self.context)
        record.update(workload=workload.name, group=workload.group, kind=workload.kind,
                      shape=workload.shape,
                      dtype=workload.dtype, tolerance=workload.tolerance, system=system,
                      mode=mode, ms=ms, min_ms=min_ms, max_ms=max_ms, reps=reps,
                      rel_err=_finite_or_none(rel_err), launches=launches)
        if ms and ms > 0 and mode not in ("compile-cold", "compile-warm"):
            if workload.kind == "compute":
                record["tflops"] = workload.flops / (ms * 1e-3) / 1e12
            else:
                record["gbps"] = workload.bytes / (ms * 1e-3) / 1e9
        note = extra.pop("note", None)
        record["note"] = "; ".join(n for n in (workload.note, note) if n) or None
        record.update(extra)
        self.records.append(record)
        with open(self.path, "a") as f:
            f.write(json.dumps(record, sort_keys=True) + "\n")
        return record


def _finite_or_none(value):
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def load(paths):
    """Every record of the .jsonl files at `paths`."""
    records = []
    for path in paths:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if line:
                    records.append(json.loads(line))
    return records


def latest(records):
    """The last figure of each (workload, system, mode), in first-seen
    order: a rerun replaces an earlier figure."""
    table = {}
    for r in records:
        table[(r["workload"], r["system"], r["mode"])] = r
    return list(table.values())


def in_workload_order(records):
    """`records` sorted as the driver lists the workloads (groups in order,
    sizes rising), whatever order the runs were merged in; unknown
    workloads last."""
    from .workloads import GROUPS, SCALES, workloads
    # Names repeat across scales at other positions (gemm_f32_1024 is the
    # smallest GEMM at h200 and the largest at cpu): the scale that names
    # most of the records decides.
    names = {r["workload"] for r in records}
    lists = {scale: [w.name for w in workloads(scale)] for scale in SCALES}
    best = max(SCALES, key=lambda scale: len(names & set(lists[scale])))
    position = {}
    for scale in [best] + [s for s in SCALES if s != best]:
        for name in lists[scale]:
            position.setdefault(name, len(position))

    def key(r):
        group = r.get("group")
        return (GROUPS.index(group) if group in GROUPS else len(GROUPS),
                position.get(r["workload"], len(position)))
    return sorted(records, key=key)


def fmt(value, digits=3):
    """A number for the tables: 3 significant digits, '-' for None."""
    if value is None:
        return "-"
    if isinstance(value, float):
        if value == 0:
            return "0"
        if abs(value) >= 1000 or abs(value) < 1e-3:
            return "%.*g" % (digits, value)
        return "%.*f" % (max(0, digits - 1 - int(math.floor(math.log10(abs(value))))), value)
    return str(value)


def vmgpu_reference(rows, run_mode):
    """vmgpu's figure the peers of `rows` (one workload) are compared with."""
    if not rows:
        return None
    for mode in reference_modes(rows[0].get("kind"), run_mode):
        for row in rows:
            if row["system"] == "vmgpu" and row["mode"] == mode:
                return row["ms"]
    return None


def workload_table(rows, run_mode):
    """The lines of one workload's table: each system and mode, with the
    ratio vmgpu / peer against vmgpu's kernel (GPU) or cpu figure."""
    if not rows:
        return []
    first = rows[0]
    rate = "TFLOP/s" if first.get("tflops") is not None or any(
        r.get("tflops") is not None for r in rows) else "GB/s"
    reference = vmgpu_reference(rows, run_mode)
    lines = ["== %s  (%s, %s)" % (first["workload"], first["shape"], first["dtype"]),
             "%-14s %-12s %10s %10s %10s %6s %9s %11s %10s %9s %8s" % (
                 "system", "mode", "ms", "min", "max", "reps", rate, "vmgpu/peer",
                 "rel_err", "tol", "launches")]
    for r in rows:
        value = r.get("tflops") if rate == "TFLOP/s" else r.get("gbps")
        ratio = None
        comparable = r["mode"] not in ("compile-cold", "compile-warm", "transfer")
        if r["system"] != "vmgpu" and reference and r["ms"] and comparable:
            ratio = reference / r["ms"]
        lines.append("%-14s %-12s %10s %10s %10s %6s %9s %11s %10s %9s %8s" % (
            r["system"], r["mode"], fmt(r["ms"]), fmt(r["min_ms"]), fmt(r["max_ms"]),
            fmt(r["reps"]), fmt(value), fmt(ratio) + ("x" if ratio else ""),
            fmt(r["rel_err"], 2), fmt(r["tolerance"], 2), fmt(r["launches"])))
        extra = []
        if r.get("transfer_share") is not None:
            extra.append("transfer share %.0f%%" % (100 * r["transfer_share"]))
        if r.get("transfer_floor_share") is not None:
            extra.append("floor %.0f%% (bytes / pinned bandwidth)"
                         % (100 * r["transfer_floor_share"]))
        if r.get("compile_ms") is not None:
            extra.append("engine compile_ms %s; the whole process %s ms" % (
                fmt(r["compile_ms"]), fmt(r.get("process_ms"))))
        if extra:
            lines.append("%-14s   %s" % ("", "; ".join(extra)))
    return lines


PROMISE = {"memory": 10.0, "compute": 20.0}
CEILINGS = ("copy", "cublas", "cudnn")


def _by_workload(records):
    table = {}
    for r in records:
        table.setdefault(r["workload"], []).append(r)
    return table


def _find(rows, system, mode):
    for r in rows:
        if r["system"] == system and r["mode"] == mode and r["ms"]:
            return r
    return None


# Workloads compiled another way (workloads._library_variants) compute the
# same result from the same inputs as the workload without the suffix; they
# measure only some peers again, so the summary also takes the peers of
# that workload from the same run.
VARIANT_SUFFIXES = ("_lib", "_tc", "_auto")


def _same_computation(name, table):
    """The rows of the workload `name` is a variant of, if the run has it."""
    for suffix in VARIANT_SUFFIXES:
        if name.endswith(suffix) and name[:-len(suffix)] in table:
            return table[name[:-len(suffix)]]
    return []


def summary_table(records, run_mode):
    """One line per workload: vmgpu's figure (kernel on the GPU, cpu on the
    CPU), the fastest peer that computes the workload and the ratio, the
    fraction of the ceiling (copy / cuBLAS / cuDNN), NumPy and, on the GPU,
    the speed-up over it beside the promise (>10x vector, >20x matrix) and
    host mode with its transfer share. A `_lib`, `_tc` or `_auto` variant is also
    compared with the peers of its workload. Then compile and transfer
    lines."""
    gpu = run_mode == "gpu"
    lines = ["%-36s %10s %-13s %10s %9s %8s %10s %14s %10s %s" % (
        "workload", "vmgpu ms", "best peer", "peer ms", "vmgpu/it", "ceiling", "numpy ms",
        "x numpy" if gpu else "", "host ms" if gpu else "", "transfer share (floor)" if gpu else "")]
    compile_lines, transfer_lines = [], []
    table = _by_workload(records)
    for name, rows in table.items():
        kind = rows[0].get("kind")
        if any(r["mode"].startswith("compile") for r in rows):
            compile_lines.append("%-36s %s" % (name, "  ".join(
                "%s %s %s" % (r["system"], r["mode"][len("compile-"):], fmt(r["ms"]))
                for r in rows if r["ms"])))
            continue
        if kind == "transfer":
            transfer_lines.append("%-36s %s" % (name, "  ".join(
                "%s %s GB/s" % (r["system"], fmt(r["gbps"]))
                for r in rows if r["mode"] == "transfer" and r.get("gbps"))))
            continue
        reference = vmgpu_reference(rows, run_mode)
        peer_mode = "device" if gpu else "cpu"
        peers = [r for r in rows + _same_computation(name, table)
                 if r["ms"] and r["mode"] == peer_mode
                 and r["system"] not in ("vmgpu", "copy")]
        best = min(peers, key=lambda r: r["ms"]) if peers else None
        numpy_row = _find(rows, "numpy", "cpu")
        ceiling = next((r for s in CEILINGS for r in [_find(rows, s, "device")] if r), None)
        host = _find(rows, "vmgpu", "host")
        speedup = share = ""
        if gpu and reference and numpy_row and kind in PROMISE:
            speedup = "%sx (>%dx)" % (fmt(numpy_row["ms"] / reference), PROMISE[kind])
        if host and host.get("transfer_share") is not None:
            share = "%.0f%%" % (100 * host["transfer_share"])
            if host.get("transfer_floor_share") is not None:
                share += " (%.0f%%)" % (100 * host["transfer_floor_share"])
        lines.append("%-36s %10s %-13s %10s %9s %8s %10s %14s %10s %s" % (
            name, fmt(reference), best["system"] if best else "-",
            fmt(best["ms"]) if best else "-",
            (fmt(reference / best["ms"]) + "x") if best and reference else "-",
            ("%.2g%%" % (100 * ceiling["ms"] / reference)) if ceiling and reference else "-",
            fmt(numpy_row["ms"]) if numpy_row else "-", speedup,
            fmt(host["ms"]) if host else "", share))
    if len(lines) == 1:
        lines = []
    if compile_lines:
        lines += ["", "compile (ms; vmgpu: cold = engine compile time, warm = a fresh process's "
                      "time before its first run; peers: first call minus a warm call)"]
        lines += compile_lines
    if transfer_lines:
        lines += ["", "transfers (GB/s)"] + transfer_lines
    return lines
