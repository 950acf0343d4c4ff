#!/usr/bin/env python3
# Runs the cases written by gen_cases.py through vm-gpu-run and compares the
# results with the expected ones (rules in README.md). Prints one line per
# failing case and a summary "N passed, M failed"; exits 1 on any failure.
#
#   run_cases.py --vm-gpu-run PATH --device cpu|cuda|auto CASESDIR
#                [--filter REGEX] [-j N] [--timeout S] [-v] [--keep-outputs DIR]

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile

import numpy as np


class Stopped(Exception):
    """A SIGTERM ended the run."""


# --- comparison ------------------------------------------------------------


def fmt(value):
    """A value for a message: floats with their bits, so -0.0 and NaN show."""
    if isinstance(value, np.floating):
        bits = value.view("u%d" % value.dtype.itemsize)
        return "%r (0x%0*x)" % (float(value), 2 * value.dtype.itemsize, int(bits))
    if isinstance(value, (np.bool_, bool)):
        return str(bool(value))
    return str(int(value))


def ulp_of(x64, precision, emin):
    """The unit in the last place at each |x| of a binary format with
    `precision` significand bits and minimum exponent `emin` (subnormals
    share the ulp of the smallest normal binade)."""
    with np.errstate(all="ignore"):
        exponent = np.floor(np.log2(np.abs(x64)))
    exponent = np.where(np.isfinite(exponent), np.maximum(exponent, emin), emin)
    return np.exp2(exponent - (precision - 1))


def compare(got, expected, rule):
    """Returns None when `got` matches `expected` under `rule`, else a text.

    exact: integers and booleans equal; floats bit for bit (so -0.0 != +0.0),
    except that any NaN equals any NaN. rtol: NaN where expected NaN, the same
    infinities, and |got - expected| <= atol + rtol * |expected| elsewhere.
    ulp: as rtol, with |got - expected| <= ulps units in the last place of
    `expected` in the format given by `precision` and `emin`."""
    if got.shape != expected.shape:
        return "shape %s, expected %s" % (got.shape, expected.shape)
    if got.dtype != expected.dtype:
        same_int = (got.dtype.kind in "iu" and expected.dtype.kind in "iu"
                    and got.dtype.itemsize == expected.dtype.itemsize)
        if not same_int:
            return "dtype %s, expected %s" % (got.dtype, expected.dtype)
        got = got.view(expected.dtype)  # signless: int and uint of one width agree
    if expected.size == 0:
        return None
    is_float = expected.dtype.kind == "f"
    if is_float:
        g_nan, e_nan = np.isnan(got), np.isnan(expected)
    if rule.get("compare", "exact") == "exact":
        if is_float:
            utype = "u%d" % expected.dtype.itemsize
            ok = (got.view(utype) == expected.view(utype)) | (g_nan & e_nan)
        else:
            ok = got == expected
    elif not is_float:
        ok = got == expected
    else:
        g64, e64 = got.astype(np.float64), expected.astype(np.float64)
        with np.errstate(all="ignore"):
            if rule["compare"] == "ulp":
                close = np.abs(g64 - e64) <= float(rule["ulps"]) * ulp_of(
                    e64, int(rule["precision"]), int(rule["emin"]))
            else:
                rtol, atol = float(rule.get("rtol", 0.0)), float(rule.get("atol", 0.0))
                close = np.abs(g64 - e64) <= atol + rtol * np.abs(e64)
        finite = np.isfinite(e64)
        ok = np.where(e_nan, g_nan,
                      np.where(finite, close & np.isfinite(g64), g64 == e64))
    if ok.all():
        return None
    bad = np.argwhere(~ok)
    first = tuple(int(i) for i in bad[0])
    text = "%d of %d elements differ; first at %s: got %s, expected %s" % (
        len(bad), expected.size, list(first), fmt(got[first]), fmt(expected[first]))
    if expected.dtype.kind != "b":
        with np.errstate(all="ignore"):
            g64, e64 = got.astype(np.float64), expected.astype(np.float64)
            both = np.isfinite(g64) & np.isfinite(e64) & ~ok
            if both.any():
                err = np.abs(g64 - e64)[both]
                rel = err / np.maximum(np.abs(e64[both]), np.finfo(np.float64).tiny)
                text += "; max abs err %.6g, max rel err %.6g" % (err.max(), rel.max())
    return text


# --- running ---------------------------------------------------------------


class Result:
    def __init__(self, name, status, detail=""):
        self.name = name
        self.status = status  # PASS FAIL CRASH TIMEOUT
        self.detail = detail


def has_files(path):
    if not os.path.exists(path):
        return False
    if not os.path.isdir(path):
        return True
    return any(files or dirs for _, dirs, files in os.walk(path))


def describe_exit(code):
    if code < 0:
        try:
            return "signal %d (%s)" % (-code, signal.Signals(-code).name)
        except ValueError:
            return "signal %d" % -code
    return "exit status %d" % code


def tail(text, lines=6):
    text = text.strip().splitlines()
    return " | ".join(text[-lines:])


def run_case(case_dir, args, scratch):
    name = os.path.basename(case_dir)
    with open(os.path.join(case_dir, "meta.json")) as f:
        meta = json.load(f)
    out_dir = os.path.join(scratch, name, "out")
    os.makedirs(os.path.dirname(out_dir), exist_ok=True)
    cmd = [args.vm_gpu_run, os.path.join(case_dir, "prog.mlir"), "--entry", "main",
           "--device", args.device]
    for input_name in meta["inputs"]:
        cmd += ["--input", os.path.join(case_dir, input_name)]
    cmd += ["--output-dir", out_dir] + args.extra_arg
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, errors="replace",
                              timeout=args.timeout)
    except subprocess.TimeoutExpired:
        return Result(name, "TIMEOUT", "no exit after %g s" % args.timeout)
    if proc.returncode < 0:
        return Result(name, "CRASH", "%s; stderr: %s" % (describe_exit(proc.returncode),
                                                         tail(proc.stderr)))
    if meta.get("expect_error"):
        problems = []
        if proc.returncode != 1:
            problems.append("%s, expected 1" % describe_exit(proc.returncode))
        if "error:" not in proc.stderr:
            problems.append("no 'error:' on stderr")
        if has_files(out_dir):
            problems.append("wrote %s" % sorted(os.listdir(out_dir))
                            if os.path.isdir(out_dir) else "created the output path")
        if problems:
            return Result(name, "FAIL", "bad %s accepted: %s" % (
                meta.get("error_kind", "case"), "; ".join(problems)))
        return Result(name, "PASS")
    if proc.returncode != 0:
        return Result(name, "FAIL", "%s; stderr: %s" % (describe_exit(proc.returncode),
                                                       tail(proc.stderr)))
    count = meta["num_outputs"]
    problems = []
    present = sorted(os.listdir(out_dir)) if os.path.isdir(out_dir) else []
    extra = [f for f in present if f not in {"out%d.npy" % i for i in range(count)}]
    if extra:
        problems.append("unexpected files %s" % extra)
    for i in range(count):
        file_name = "out%d.npy" % i
        path = os.path.join(out_dir, file_name)
        if not os.path.exists(path):
            problems.append("%s missing" % file_name)
            continue
        try:
            got = np.load(path, allow_pickle=False)
        except Exception as e:  # a malformed result file is a failure, not a crash
            problems.append("%s unreadable: %s" % (file_name, e))
            continue
        expected = np.load(os.path.join(case_dir, "expected", file_name), allow_pickle=False)
        rule = meta["outputs"][i] if "outputs" in meta else meta
        text = compare(got, expected, rule)
        if text:
            problems.append("out%d: %s" % (i, text))
    if problems:
        return Result(name, "FAIL", "; ".join(problems))
    return Result(name, "PASS")


def main():
    parser = argparse.ArgumentParser(description="Run the vmgpu e2e cases.")
    parser.add_argument("cases", metavar="CASESDIR")
    parser.add_argument("--vm-gpu-run", required=True, help="path of vm-gpu-run")
    parser.add_argument("--device", default="cpu", help="cpu, cuda[:N], rocm[:N] or auto")
    parser.add_argument("--filter", help="only cases whose name matches this regex")
    parser.add_argument("-j", type=int, default=os.cpu_count() or 1, help="parallel runs")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per case")
    parser.add_argument("--keep-outputs", metavar="DIR",
                        help="write outputs under DIR and keep them")
    parser.add_argument("-v", "--verbose", action="store_true", help="also list passes")
    parser.add_argument("--extra-arg", action="append", default=[], metavar="ARG",
                        help="pass ARG to every vm-gpu-run (repeatable), e.g. "
                             "--extra-arg=--contraction-strategy=library")
    parser.add_argument("--shard", metavar="K/N",
                        help="run only the K-th of N interleaved parts of the matching "
                             "cases (0 <= K < N), so a long run can be split over calls")
    parser.add_argument("--sample", type=int, metavar="N",
                        help="run at most N of the matching cases, spread evenly over "
                             "their sorted names (for slow runners such as "
                             "compute-sanitizer)")
    args = parser.parse_args()

    if not os.access(args.vm_gpu_run, os.X_OK):
        print("error: %s is not an executable" % args.vm_gpu_run, file=sys.stderr)
        return 2
    names = sorted(n for n in os.listdir(args.cases)
                   if os.path.exists(os.path.join(args.cases, n, "meta.json")))
    if args.filter:
        names = [n for n in names if re.search(args.filter, n)]
    if not names:
        print("error: no cases in %s" % args.cases, file=sys.stderr)
        return 2
    if args.shard:
        try:
            part, parts = (int(v) for v in args.shard.split("/"))
            if not 0 <= part < parts:
                raise ValueError
        except ValueError:
            print("error: --shard takes K/N with 0 <= K < N", file=sys.stderr)
            return 2
        names = names[part::parts]
    if args.sample and args.sample < len(names):
        # Evenly spaced, so every family of a filter is represented, and the
        # same N picks the same cases on every run.
        step = len(names) / args.sample
        names = [names[int(i * step)] for i in range(args.sample)]

    scratch = args.keep_outputs or tempfile.mkdtemp(prefix="vmgpu-e2e-")
    os.makedirs(scratch, exist_ok=True)
    # A private kernel cache, unless the caller chose one.
    os.environ.setdefault("VMGPU_CACHE_DIR", os.path.join(scratch, "cache"))
    # Failures are printed as they come and a SIGTERM (the device scripts'
    # `timeout`) ends the run with the count of cases finished so far, so
    # that a run cut short still says what it proved.
    def stop(signum, frame):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # one summary only
        raise Stopped()
    signal.signal(signal.SIGTERM, stop)
    pool = concurrent.futures.ThreadPoolExecutor(max(1, args.j))
    results = []
    interrupted = False
    try:
        futures = [pool.submit(run_case, os.path.join(args.cases, n), args, scratch)
                   for n in names]
        for future in concurrent.futures.as_completed(futures):
            r = future.result()
            results.append(r)
            if r.status != "PASS":
                print("%s %s: %s" % (r.status, r.name, r.detail), flush=True)
            elif args.verbose:
                print("PASS %s" % r.name, flush=True)
    except (Stopped, KeyboardInterrupt):
        interrupted = True
    finally:
        pool.shutdown(wait=not interrupted, cancel_futures=interrupted)
        if not args.keep_outputs and not interrupted:
            shutil.rmtree(scratch, ignore_errors=True)

    failed = [r for r in results if r.status != "PASS"]
    crashes = sum(r.status == "CRASH" for r in failed)
    timeouts = sum(r.status == "TIMEOUT" for r in failed)
    extra = ""
    if crashes or timeouts:
        extra = " (%d crashed, %d timed out)" % (crashes, timeouts)
    if interrupted:
        extra += " (interrupted: %d of %d cases finished)" % (len(results), len(names))
    print("%d passed, %d failed%s [device %s]" % (len(results) - len(failed), len(failed),
                                                 extra, args.device), flush=True)
    if interrupted:
        # Cases still running are abandoned, not waited for.
        os._exit(1)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
