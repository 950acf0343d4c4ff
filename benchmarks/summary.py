#!/usr/bin/env python3
# Prints the tables of one or more results files (.jsonl from bench.py), for
# example after appending the GPU groups of one commit, or as Markdown for
# docs/benchmarks.md:
#
#   summary.py RESULTS.jsonl [...] [--details] [--markdown]
#
# The last figure of each (workload, system, mode) wins, so a rerun
# replaces an earlier one.

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from vmbench.report import (fmt, in_workload_order, latest, load, summary_table,  # noqa: E402
                             vmgpu_reference, workload_table)


def markdown(records, run_mode):
    """Markdown: per workload one row per (system, mode)."""
    lines = ["| workload | system | mode | ms (median) | min | max | reps | GB/s or TFLOP/s | "
             "vmgpu / peer | rel. error (tol) | launches |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    by_workload = {}
    for r in records:
        by_workload.setdefault(r["workload"], []).append(r)
    for name, rows in by_workload.items():
        reference = vmgpu_reference(rows, run_mode)
        for i, r in enumerate(rows):
            rate = r.get("tflops")
            unit = " TF/s"
            if rate is None:
                rate, unit = r.get("gbps"), " GB/s"
            ratio = "-"
            if r["system"] != "vmgpu" and reference and r["ms"] and \
                    not r["mode"].startswith("compile") and r["mode"] != "transfer":
                ratio = fmt(reference / r["ms"]) + "x"
            error = "-" if r["rel_err"] is None else "%s (%s)" % (fmt(r["rel_err"], 2),
                                                                 fmt(r["tolerance"], 2))
            lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                "`%s`" % name if i == 0 else "", r["system"], r["mode"], fmt(r["ms"]),
                fmt(r["min_ms"]), fmt(r["max_ms"]), fmt(r["reps"]),
                (fmt(rate) + unit) if rate is not None else "-", ratio, error,
                fmt(r["launches"])))
    return lines


def markdown_summary(records, run_mode):
    """Markdown: one row per workload, as the text summary (report.py)."""
    gpu = run_mode == "gpu"
    head = ["workload", "vmgpu ms", "best peer", "peer ms", "vmgpu / best", "NumPy ms"]
    if gpu:
        head += ["NumPy / vmgpu (promise)", "host ms", "transfer share (floor)"]
    head += ["vmgpu rel. error"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    by_workload = {}
    for r in records:
        by_workload.setdefault(r["workload"], []).append(r)
    for name, rows in by_workload.items():
        kind = rows[0].get("kind")
        if kind == "transfer" or any(r["mode"].startswith("compile") for r in rows):
            continue
        reference = vmgpu_reference(rows, run_mode)
        mine = next((r for r in rows if r["system"] == "vmgpu" and r["ms"] == reference), None)
        peers = [r for r in rows if r["ms"] and r["system"] not in ("vmgpu", "copy")
                 and r["mode"] == ("device" if gpu else "cpu")]
        best = min(peers, key=lambda r: r["ms"]) if peers else None
        numpy_row = next((r for r in rows if r["system"] == "numpy"), None)
        cells = ["`%s`" % name, fmt(reference), best["system"] if best else "-",
                 fmt(best["ms"]) if best else "-",
                 (fmt(reference / best["ms"]) + "x") if best and reference else "-",
                 fmt(numpy_row["ms"]) if numpy_row else "-"]
        if gpu:
            host = next((r for r in rows if r["system"] == "vmgpu" and r["mode"] == "host"), None)
            promise = {"memory": ">10x", "compute": ">20x"}.get(kind, "")
            cells.append("%sx (%s)" % (fmt(numpy_row["ms"] / reference), promise)
                         if numpy_row and reference and promise else "-")
            cells.append(fmt(host["ms"]) if host else "-")
            share = "-"
            if host and host.get("transfer_share") is not None:
                share = "%.0f%% (%.0f%%)" % (100 * host["transfer_share"],
                                             100 * (host.get("transfer_floor_share") or 0))
            cells.append(share)
        cells.append(fmt(mine["rel_err"], 2) if mine and mine["rel_err"] is not None else "-")
        lines.append("| " + " | ".join(cells) + " |")
    compiles = [r for r in records if r["mode"].startswith("compile")]
    if compiles:
        lines += ["", "| compile workload | system | mode | ms (median) | min | max | "
                      "engine compile ms | process ms |", "|" + " --- |" * 8]
        for r in compiles:
            lines.append("| `%s` | %s | %s | %s | %s | %s | %s | %s |" % (
                r["workload"], r["system"], r["mode"], fmt(r["ms"]), fmt(r["min_ms"]),
                fmt(r["max_ms"]), fmt(r.get("compile_ms")), fmt(r.get("process_ms"))))
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("results", nargs="+")
    parser.add_argument("--markdown", action="store_true", help="Markdown tables")
    parser.add_argument("--details", action="store_true",
                        help="every workload's rows instead of the summary")
    args = parser.parse_args(argv)
    records = in_workload_order(latest(load(args.results)))
    run_mode = "gpu" if any(r["mode"] in ("kernel", "host") for r in records) else "cpu"
    if args.markdown:
        table = markdown if args.details else markdown_summary
        print("\n".join(table(records, run_mode)))
        return 0
    if args.details:
        seen = []
        for r in records:
            if r["workload"] not in seen:
                seen.append(r["workload"])
        for name in seen:
            print("\n".join(workload_table([r for r in records if r["workload"] == name],
                                           run_mode)))
            print()
    print("\n".join(summary_table(records, run_mode)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
