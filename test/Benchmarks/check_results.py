#!/usr/bin/env python3
# Checks the benchmark driver's results directory: one .jsonl whose lines
# parse and carry issue 14's fields with the right types, the raw log
# beside it, the expected workloads, vmgpu within each tolerance. Times are
# only checked to be positive numbers.
#
#   check_results.py RESULTS_DIR EXPECTED_WORKLOADS

import glob
import json
import os
import sys

FIELDS = {"workload": str, "system": str, "mode": str, "ms": float, "min_ms": float,
          "max_ms": float, "reps": int, "rel_err": (float, type(None)),
          "launches": (int, type(None)), "gbps": (float, type(None)),
          "tflops": (float, type(None)), "device": str, "commit": str}
MODES = {"device", "kernel", "host", "cpu", "compile-cold", "compile-warm", "dispatch",
         "transfer"}


def fail(message):
    print("check_results: " + message)
    sys.exit(1)


def main():
    directory, expected = sys.argv[1], int(sys.argv[2])
    lines = glob.glob(os.path.join(directory, "*.jsonl"))
    if len(lines) != 1:
        fail("expected one .jsonl in %s, found %s" % (directory, lines))
    if not os.path.exists(lines[0][:-len(".jsonl")] + ".log"):
        fail("no raw log beside " + lines[0])
    records = []
    with open(lines[0]) as f:
        for number, line in enumerate(f, 1):
            try:
                records.append(json.loads(line))
            except ValueError as error:
                fail("line %d does not parse: %s" % (number, error))
    for r in records:
        for field, kind in FIELDS.items():
            if field not in r:
                fail("%s/%s lacks %s" % (r.get("workload"), r.get("system"), field))
            value = r[field]
            if kind is float and isinstance(value, int):
                value = float(value)
            if not isinstance(value, kind):
                fail("%s/%s: %s is %r" % (r["workload"], r["system"], field, value))
        if r["mode"] not in MODES:
            fail("unknown mode " + r["mode"])
        if not r["ms"] > 0 or not r["min_ms"] <= r["ms"] <= r["max_ms"]:
            fail("%s/%s: ms %r outside [min_ms, max_ms]" % (r["workload"], r["system"], r["ms"]))
        # A result without an error figure was not compared (a NaN, or a
        # shape unlike the reference's): a broken workload, not a pass.
        if r["system"] == "vmgpu" and r["mode"] == "cpu" and r["rel_err"] is None:
            fail("%s: vmgpu's result was not compared with the reference" % r["workload"])
        if r["rel_err"] is not None and r["rel_err"] > r["tolerance"]:
            fail("%s/%s: relative error %g over %g" % (r["workload"], r["system"],
                                                       r["rel_err"], r["tolerance"]))
        if (r["gbps"] is None) == (r["tflops"] is None) and not r["mode"].startswith("compile"):
            fail("%s/%s: exactly one of gbps and tflops" % (r["workload"], r["system"]))
    workloads = {r["workload"] for r in records}
    if len(workloads) != expected:
        fail("expected %d workloads, got %s" % (expected, sorted(workloads)))
    measured = {(r["workload"], r["system"]) for r in records}
    for w in workloads:
        if (w, "vmgpu") not in measured:
            fail("no vmgpu figure for " + w)
        if not w.startswith("compile_") and (w, "numpy") not in measured:
            fail("no numpy figure for " + w)
    print("check_results: %d records of %d workloads are well formed" % (
        len(records), len(workloads)))


if __name__ == "__main__":
    main()
