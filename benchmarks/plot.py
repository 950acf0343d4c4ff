#!/usr/bin/env python3
# Plots from the benchmark driver's JSON lines (matplotlib: Debian's
# python3-matplotlib):
#
#   <prefix>-times-<group>.png  time per run of every system on each workload
#                               of the group (log scale)
#   <prefix>-ceiling.png        each system's fraction of the ceiling: the
#                               device-to-device copy of the same bytes for
#                               memory-bound workloads, cuBLAS / cuDNN for
#                               contractions (on a CPU run: NumPy/OpenBLAS)
#
#   plot.py RESULTS.jsonl [...] --out-dir DIR [--prefix NAME]

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from vmbench.report import in_workload_order, latest, load  # noqa: E402

# Figures drawn: (system, mode) in this order; a run has some of them.
SERIES = [("vmgpu", "device"), ("vmgpu", "kernel"), ("vmgpu", "host"), ("vmgpu", "cpu"), ("vmgpu", "dispatch"),
          ("cublas", "device"),
          ("cudnn", "device"), ("torch-eager", "device"), ("torch-compile", "device"),
          ("triton", "device"), ("jax", "device"), ("copy", "device"), ("numpy", "cpu"),
          ("torch-cpu", "cpu")]
CEILING_SYSTEMS = ("copy", "cublas", "cudnn")


def label(system, mode):
    return system if mode in ("device", "cpu") and system != "vmgpu" else "%s %s" % (system, mode)


def log_axis(ax):
    """A log x axis whose minor ticks are labelled too when it spans few
    decades (else a narrow range shows a single label)."""
    from matplotlib.ticker import LogFormatterSciNotation
    ax.set_xscale("log")
    ax.xaxis.set_minor_formatter(LogFormatterSciNotation(labelOnlyBase=False,
                                                         minor_thresholds=(2, 0.5)))
    ax.tick_params(axis="x", which="minor", labelsize=7)


def times_plot(plt, table, group, workloads, path):
    series = [s for s in SERIES if any((w, *s) in table for w in workloads)]
    if not series:
        return False
    height = 0.8 / len(series)
    fig, ax = plt.subplots(figsize=(10, 0.9 + 0.32 * len(workloads) * len(series) ** 0.6 + 0.6))
    for i, (system, mode) in enumerate(series):
        ys, xs = [], []
        for j, w in enumerate(workloads):
            record = table.get((w, system, mode))
            if record and record["ms"]:
                ys.append(j + (i - (len(series) - 1) / 2) * height)
                xs.append(record["ms"])
        ax.barh(ys, xs, height=height, label=label(system, mode))
    log_axis(ax)
    ax.set_yticks(range(len(workloads)))
    ax.set_yticklabels(workloads, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("ms per run (median; log scale; shorter is faster)")
    ax.set_title("%s: vmgpu and its peers" % group)
    ax.grid(axis="x", which="both", alpha=0.3)
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def ceiling_plot(plt, table, workloads, cpu_run, path):
    """Fraction of the ceiling per workload and system (1 = at the ceiling)."""
    rows = []
    for w in workloads:
        if cpu_run:
            reference = table.get((w, "numpy", "cpu"))
        else:
            reference = next((table[(w, s, "device")] for s in CEILING_SYSTEMS
                              if (w, s, "device") in table), None)
        if not reference or not reference["ms"]:
            continue
        fractions = {}
        for system, mode in SERIES:
            record = table.get((w, system, mode))
            if record and record["ms"] and (system, mode) != (reference["system"], reference["mode"]):
                fractions[label(system, mode)] = reference["ms"] / record["ms"]
        rows.append(("%s (vs %s)" % (w, reference["system"]), fractions))
    if not rows:
        return False
    names = [n for n in dict.fromkeys(k for _, f in rows for k in f)]
    height = 0.8 / max(len(names), 1)
    fig, ax = plt.subplots(figsize=(10, 1.2 + 0.3 * len(rows) * len(names) ** 0.6))
    for i, name in enumerate(names):
        ys = [j + (i - (len(names) - 1) / 2) * height for j, (_, f) in enumerate(rows) if name in f]
        xs = [f[name] for _, f in rows if name in f]
        ax.barh(ys, xs, height=height, label=name)
    ax.axvline(1.0, color="black", linewidth=0.8)
    log_axis(ax)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([r for r, _ in rows], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("fraction of the ceiling (ceiling ms / system ms; log scale; 1 = ceiling)")
    ax.set_title("Achieved fraction of the ceiling" + (" (NumPy/OpenBLAS)" if cpu_run else
                 " (copy bandwidth, cuBLAS / cuDNN)"))
    ax.grid(axis="x", which="both", alpha=0.3)
    ax.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("results", nargs="+")
    parser.add_argument("--out-dir", required=True)
    parser.add_argument("--prefix", help="file name prefix (default: the first file's stem)")
    args = parser.parse_args(argv)
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("plot.py: matplotlib is missing (apt-get install python3-matplotlib)",
              file=sys.stderr)
        return 1
    records = in_workload_order(latest(load(args.results)))
    if not records:
        print("plot.py: no records", file=sys.stderr)
        return 1
    prefix = args.prefix or os.path.splitext(os.path.basename(args.results[0]))[0]
    os.makedirs(args.out_dir, exist_ok=True)
    table = {(r["workload"], r["system"], r["mode"]): r for r in records}
    groups = {}
    for r in records:
        groups.setdefault(r.get("group") or "all", [])
        if r["workload"] not in groups[r.get("group") or "all"]:
            groups[r.get("group") or "all"].append(r["workload"])
    cpu_run = not any(r["mode"] in ("kernel", "device") for r in records)
    written = []
    for group, workloads in groups.items():
        if group in ("compile", "transfer"):
            continue
        path = os.path.join(args.out_dir, "%s-times-%s.png" % (prefix, group))
        if times_plot(plt, table, group, workloads, path):
            written.append(path)
    every = [w for ws in groups.values() for w in ws]
    path = os.path.join(args.out_dir, "%s-ceiling.png" % prefix)
    if ceiling_plot(plt, table, every, cpu_run, path):
        written.append(path)
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
