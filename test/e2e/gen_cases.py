#!/usr/bin/env python3
# Writes the end-to-end numerical cases of vmgpu: one folder per case with
# prog.mlir, in<i>.npy, expected/out<i>.npy and meta.json (see README.md).
# Expected values come from numpy/Python implementations of the IR contract
# in DESIGN.md, never from vmgpu. Deterministic: every case seeds its own
# generator from its name.
#
#   gen_cases.py OUTDIR [--filter REGEX]        write the cases
#   gen_cases.py OUTDIR --large                 also the cases with inputs of
#                                               gigabytes (GPU machine runs)
#   gen_cases.py OUTDIR --verify-with vm-gpu-opt  also check that every good
#                                                 program verifies and every
#                                                 bad program is rejected
#   gen_cases.py --self-test                    check the references against
#                                               hand-computed values

import sys

sys.dont_write_bytecode = True  # lit runs this from the source tree

import argparse  # noqa: E402
import concurrent.futures  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import vmcase  # noqa: E402
import cases_elementwise  # noqa: E402,F401  (each module registers builders)
import cases_elementwise_v2  # noqa: E402,F401
import cases_creation_v2  # noqa: E402,F401
import cases_reduction_v2  # noqa: E402,F401
import cases_indexing_v2  # noqa: E402,F401
import cases_arg_reduce_v2  # noqa: E402,F401
import cases_scan_v2  # noqa: E402,F401
import cases_conv_transpose_v2  # noqa: E402,F401
import cases_scatter_v2  # noqa: E402,F401
import cases_sort_v2  # noqa: E402,F401
import cases_topk_v2  # noqa: E402,F401
import cases_convert  # noqa: E402,F401
import cases_shape  # noqa: E402,F401
import cases_tensor  # noqa: E402,F401
import cases_bad  # noqa: E402,F401
import cases_reduction_forms  # noqa: E402,F401
import cases_codegen_gpu  # noqa: E402,F401
import cases_cpu_contractions  # noqa: E402,F401
import cases_library_gemm  # noqa: E402,F401
import cases_gpu_contractions  # noqa: E402,F401
import cases_cpu_reductions  # noqa: E402,F401

ALLOWED_DTYPES = {np.dtype(d) for d in ("bool", "int8", "int16", "int32", "int64",
                                         "uint8", "uint16", "uint32", "uint64",
                                         "float16", "float32", "float64")}


def all_cases(large=False):
    cases = []
    for build in vmcase.REGISTRY + (vmcase.LARGE_REGISTRY if large else []):
        cases.extend(build())
    names = [c.name for c in cases]
    duplicates = {n for n in names if names.count(n) > 1}
    assert not duplicates, "duplicate case names: %s" % sorted(duplicates)
    for c in cases:
        assert re.fullmatch(r"[A-Za-z0-9_]+", c.name), c.name
        if c.expect_error:
            continue
        assert c.expected, "%s: no expected outputs" % c.name
        for value in c.inputs + c.expected:
            assert isinstance(value, np.ndarray), c.name
            assert value.dtype in ALLOWED_DTYPES, "%s: dtype %s" % (c.name, value.dtype)
        if c.per_output:
            assert len(c.per_output) == len(c.expected), c.name
    return cases


# --- reference self-test ---------------------------------------------------


def self_test():
    from cases_convert import convert_value
    from cases_elementwise import cmp_ref, float_binary, float_minmax, int_binary
    from cases_tensor import conv_ref, pool_ref, reduce_ref
    from vmcase import bf16_round_bits, fma_exact, round_array, round_float

    MIN32, MAX32 = -(2 ** 31), 2 ** 31 - 1
    checks = [
        (int_binary("div", MIN32, -1, 32, False), MIN32),
        (int_binary("rem", MIN32, -1, 32, False), 0),
        (int_binary("div", 7, 0, 32, False), -1),
        (int_binary("div", 7, 0, 32, True), -1),  # UMAX: all ones
        (int_binary("rem", 7, 0, 32, False), 7),
        (int_binary("rem", -7, 0, 8, True), -7),
        (int_binary("div", -7, 2, 32, False), -3),
        (int_binary("rem", -7, 2, 32, False), -1),
        (int_binary("rem", 7, -2, 32, False), 1),
        (int_binary("div", -2, 2, 8, True), 127),  # 254 / 2
        (int_binary("add", MAX32, 1, 32, False), MIN32),
        (int_binary("mul", 2 ** 16, 2 ** 16, 32, False), 0),
        (int_binary("shl", 1, 33, 32, False), 2),
        (int_binary("shl", 1, -1, 32, False), MIN32),  # -1 mod 32 = 31
        (int_binary("shr", -8, 1, 32, False), -4),
        (int_binary("shr", -8, 1, 32, True), 0x7FFFFFFC),
        (int_binary("shr", -128, 9, 8, True), 64),
        (int_binary("add_sat", MAX32, 1, 32, False), MAX32),
        (int_binary("sub_sat", MIN32, 1, 32, False), MIN32),
        (int_binary("sub_sat", 0, 1, 32, True), 0),
        (int_binary("add_sat", -1, 1, 32, True), -1),  # UMAX
        (int_binary("min", -1, 1, 16, True), 1),
        (int_binary("max", -1, 1, 16, False), 1),
        (convert_value(math.nan, "f32", "i32", False), 0),
        (convert_value(3.9e9, "f32", "i32", False), MAX32),
        (convert_value(-math.inf, "f32", "i64", False), -(2 ** 63)),
        (convert_value(-1.9, "f32", "i32", False), -1),
        (convert_value(-1.0, "f32", "i8", True), 0),
        (convert_value(300.0, "f32", "i8", True), -1),  # 255
        (convert_value(2, "i32", "i1", False), True),
        (convert_value(math.nan, "f32", "i1", False), True),
        (convert_value(-0.0, "f32", "i1", False), False),
        (convert_value(True, "i1", "i32", False), 1),
        (convert_value(True, "i1", "f32", False), 1.0),
        (convert_value(-1, "i8", "i32", True), 255),
        (convert_value(-1, "i8", "i32", False), -1),
        (convert_value(300, "i32", "i8", False), 44),
        (convert_value(2 ** 24 + 1, "i32", "f32", False), 2.0 ** 24),
        (convert_value(2 ** 24 + 3, "i32", "f32", False), 2.0 ** 24 + 4),
        (convert_value(-1, "i32", "f32", True), 2.0 ** 32),
        (convert_value(65520.0, "f32", "f16", False), math.inf),
        (convert_value(65519.0, "f32", "f16", False), 65504.0),
        (convert_value(1 + 2 ** -11 + 2 ** -40, "f64", "f16", False), 1 + 2 ** -10),
        (round_float(round_float(1 + 2 ** -11 + 2 ** -40, "f32"), "f16"), 1.0),
        (convert_value(1 + 2 ** -8 + 2 ** -30, "f64", "bf16", False), 1 + 2 ** -7),
        (round_float(2.0 ** -150, "f32"), 0.0),  # tie below the smallest subnormal
        (round_float(3 * 2.0 ** -151, "f32"), 2.0 ** -149),
    ]
    for i, (got, want) in enumerate(checks):
        assert got == want, "self-test check #%d: got %r, want %r" % (i, got, want)

    with np.errstate(all="ignore"):
        r = float_binary("rem", np.array([-5.5, 5.5, 1.0], np.float32),
                         np.array([2.0, -2.0, 0.0], np.float32), "f32")
    assert r[0] == -1.5 and r[1] == 1.5 and math.isnan(r[2]), r
    mm = float_minmax("min", np.array([math.nan, 1.0, math.nan]), np.array([1.0, math.nan,
                                                                             math.nan]))
    assert mm[0] == 1.0 and mm[1] == 1.0 and math.isnan(mm[2]), mm
    nan = np.array([math.nan], np.float32)
    one = np.array([1.0], np.float32)
    for pred in ("eq", "lt", "le", "gt", "ge"):
        assert not cmp_ref(pred, nan, one)[0], pred
    assert cmp_ref("ne", nan, one)[0]
    # fma: (1 + 2^-13)(1 - 2^-13) - 1 = -2^-26 fused; 0 unfused in f32.
    e = 2.0 ** -13
    fused = fma_exact(np.array([1 + e], np.float32), np.array([1 - e], np.float32),
                      np.array([-1.0], np.float32), "f32")
    assert fused[0] == -(2.0 ** -26), fused
    assert np.float32(1 + e) * np.float32(1 - e) - np.float32(1) == 0
    # Exact rounding agrees with numpy's (correctly rounded) casts, halfway
    # points included; bf16 agrees with the upper-16-bit trick.
    rng = np.random.default_rng(1)
    x64 = np.concatenate([rng.standard_normal(2000) * 10.0 ** rng.integers(-8, 8, 2000),
                          (np.arange(1, 2000) + 0.5) * 2.0 ** -10,
                          (rng.integers(1, 2 ** 24, 500) + 0.5).astype(np.float64)])
    assert np.array_equal(round_array(x64, "f32"), x64.astype(np.float32))
    assert np.array_equal(round_array(x64, "f16"), x64.astype(np.float16))
    bits = rng.integers(0, 2 ** 32, 5000, dtype=np.uint64).astype(np.uint32)
    bits = np.concatenate([bits, (bits & 0xFFFF0000) | 0x8000])
    x32 = bits.view(np.float32)
    assert np.array_equal(round_array(x32.astype(np.float64), "bf16"), bf16_round_bits(x32),
                          equal_nan=True)
    # Reductions: identities and the NaN rule.
    assert reduce_ref(np.zeros((0, 2), np.int32), "and", [0], "i32").tolist() == [-1, -1]
    assert reduce_ref(np.zeros((0, 2), np.int8), "max", [0], "i8").tolist() == [-128, -128]
    assert reduce_ref(np.zeros((0,), np.float32), "min", [0], "f32") == np.inf
    assert reduce_ref(np.array([[math.nan, 2.0]], np.float32), "max", [1], "f32")[0] == 2.0
    assert reduce_ref(np.array([[100, 100]], np.int8), "sum", [1], "i8")[0] == -56
    # conv2d against a direct loop; avg pool divides by the in-input count.
    x = rng.standard_normal((1, 5, 6, 2))
    w = rng.standard_normal((2, 3, 2, 3))
    got, _ = conv_ref(x, w, [2, 1], [1, 2], [1, 0, 2, 1], "f64")
    xp = np.pad(x, ((0, 0), (1, 0), (2, 1), (0, 0)))
    want = np.zeros(got.shape)
    for i in range(got.shape[1]):
        for j in range(got.shape[2]):
            for f in range(3):
                want[0, i, j, f] = sum(xp[0, 2 * i + a, j + 2 * b, c] * w[a, b, c, f]
                                       for a in range(2) for b in range(3) for c in range(2))
    assert got.shape == (1, 3, 5, 3) and np.allclose(got, want)
    p = pool_ref(np.arange(9, dtype=np.float64).reshape(1, 3, 3, 1), "avg", [2, 2], [1, 1],
                 [1, 0, 1, 0])
    assert p[0, 0, 0, 0] == 0.0 and p[0, 0, 1, 0] == 0.5 and p[0, 1, 1, 0] == 2.0, p
    pm = pool_ref(-np.ones((1, 2, 2, 1), np.float32), "max", [2, 2], [1, 1], [1, 1, 1, 1])
    assert (pm == -1).all(), pm
    # max pooling skips NaN unless the window's input elements are all NaN;
    # a window with no input element gives -inf; integer avg truncates.
    xn = np.array([math.nan, 1.0, math.nan, math.nan], np.float32).reshape(1, 2, 2, 1)
    pn = pool_ref(xn, "max", [1, 2], [1, 1], [0, 0, 0, 0])
    assert pn[0, 0, 0, 0] == 1.0 and math.isnan(pn[0, 1, 0, 0]), pn
    pe = pool_ref(np.zeros((1, 0, 2, 1), np.float32), "max", [2, 2], [1, 1], [1, 1, 0, 0])
    assert pe.shape == (1, 1, 1, 1) and pe[0, 0, 0, 0] == -math.inf, pe
    pi = pool_ref(np.array([-7, 0], np.int32).reshape(1, 1, 2, 1), "avg", [1, 2], [1, 1],
                  [0, 0, 0, 0])
    assert pi[0, 0, 0, 0] == -3, pi
    print("self-test: %d scalar checks and the array checks passed" % len(checks))


# --- verification with vm-gpu-opt ------------------------------------------


def verify_one(outdir, case, tool):
    """Runs vm-gpu-opt on one program; returns a problem or None."""
    path = os.path.join(outdir, case.name, "prog.mlir")
    proc = subprocess.run([tool, path, "-o", os.devnull], capture_output=True, text=True)
    if proc.returncode < 0:
        return "%s: vm-gpu-opt crashed (signal %d)" % (case.name, -proc.returncode)
    if case.expect_error == "program":
        if proc.returncode == 0:
            return "%s: bad program verified" % case.name
        if "error:" not in proc.stderr:
            return "%s: rejected without an error: line" % case.name
    elif proc.returncode != 0:
        return "%s: does not verify:\n%s" % (case.name, proc.stderr.strip())
    return None


def verify(outdir, cases, tool, jobs):
    """Checks every program with vm-gpu-opt: good programs (and bad-input or
    no-entry cases) must verify, bad programs must be rejected. All programs
    go through one --split-input-file run (vm-gpu-opt starts slowly); errors
    map back to cases by line number. A crash falls back to one run each."""
    combined = os.path.join(outdir, ".verify.mlir")
    ranges = []
    line = 1
    with open(combined, "w") as out:
        for case in cases:
            text = case.prog if case.prog.endswith("\n") else case.prog + "\n"
            count = text.count("\n")
            ranges.append((line, line + count - 1, case))
            out.write(text + "// -----\n")
            line += count + 1
    proc = subprocess.run([tool, "--split-input-file", combined, "-o", os.devnull],
                          capture_output=True, text=True)
    problems = []
    if proc.returncode < 0:
        print("verify: vm-gpu-opt crashed on the combined file; checking one by one")
        with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
            problems = [p for p in pool.map(lambda c: verify_one(outdir, c, tool), cases) if p]
    else:
        errors = {}
        for m in re.finditer(r"^.*\.verify\.mlir:(\d+):\d+: error: (.*)$", proc.stderr,
                             re.M):
            where = int(m.group(1))
            case = next((c for lo, hi, c in ranges if lo <= where <= hi), None)
            errors.setdefault(case.name if case else None, []).append(m.group(2))
        if None in errors:
            problems.append("errors outside every case: %s" % errors[None])
        for _, _, case in ranges:
            got = errors.get(case.name)
            if case.expect_error == "program" and not got:
                problems.append("%s: bad program verified" % case.name)
            elif case.expect_error != "program" and got:
                problems.append("%s: does not verify: %s" % (case.name, "; ".join(got)))
        if proc.returncode != 0 and not errors:
            problems.append("vm-gpu-opt failed without errors:\n" + proc.stderr)
    os.remove(combined)
    for p in problems:
        print("VERIFY FAIL " + p)
    print("verify: %d programs checked, %d problems" % (len(cases), len(problems)))
    return not problems


def main():
    parser = argparse.ArgumentParser(
        description="Write the vmgpu e2e cases (see README.md).")
    parser.add_argument("outdir", nargs="?")
    parser.add_argument("--filter", help="only cases whose name matches this regex")
    parser.add_argument("--verify-with", metavar="VM_GPU_OPT",
                        help="check every program with vm-gpu-opt")
    parser.add_argument("--self-test", action="store_true",
                        help="check the references against hand-computed values")
    parser.add_argument("--list", action="store_true", help="print the case names")
    parser.add_argument("-j", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--large", action="store_true",
                        help="also the cases with inputs of gigabytes")
    args = parser.parse_args()
    np.seterr(all="ignore")
    ok = True
    if args.self_test:
        self_test()
    if not (args.outdir or args.list):
        if not args.self_test:
            parser.error("OUTDIR is required")
        return 0
    cases = all_cases(args.large)
    if args.filter:
        cases = [c for c in cases if re.search(args.filter, c.name)]
    if args.list:
        for c in cases:
            print(c.name)
        return 0
    os.makedirs(args.outdir, exist_ok=True)
    for c in cases:
        c.write(args.outdir)
    bad = sum(1 for c in cases if c.expect_error)
    print("wrote %d cases (%d good, %d bad) to %s" % (len(cases), len(cases) - bad, bad,
                                                     args.outdir))
    if args.verify_with:
        ok = verify(args.outdir, cases, args.verify_with, args.j)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
