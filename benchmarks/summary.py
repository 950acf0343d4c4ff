#!/usr/bin/env python3
# Prints the tables of one or more results files (.jsonl from bench.py), for
# example after appending the GPU groups of one commit, or as Markdown for
# docs/benchmarks.md:
#
#   summary.py RESULTS.jsonl [...] [--markdown] [--details]
#
# The last figure of each (workload, system, mode) wins, so a rerun
# replaces an earlier one.

import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from vmbench.report import (fmt, latest, load, summary_table, vmgpu_reference,  # noqa: E402
                             workload_table)


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


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("results", nargs="+")
    parser.add_argument("--markdown", action="store_true", help="the detail table as Markdown")
    parser.add_argument("--details", action="store_true", help="also every workload's table")
    args = parser.parse_args(argv)
    records = latest(load(args.results))
    run_mode = "gpu" if any(r["mode"] in ("kernel", "host") for r in records) else "cpu"
    if args.markdown:
        print("\n".join(markdown(records, run_mode)))
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
