#!/usr/bin/env python3
# Compiles every end-to-end program written by test/e2e/gen_cases.py for an
# AMD GPU (vm-gpu-compile --target rocm --dump-kernels) and inspects each
# kernel object: llvm-readelf must see an AMDGPU code object for the chip
# whose every kernel function has its descriptor (<name>.kd), and
# llvm-objdump must disassemble it to code ending in s_endpgm. Programs the
# suite expects to be rejected must be rejected. Prints one line per problem
# and a summary; exits 1 on any problem.
#
#   check_hsaco.py --vm-gpu-compile PATH [--llvm-bin DIR] --chip gfx942 CASESDIR [-j N]
#
# llvm-readelf and llvm-objdump come from --llvm-bin, else from PATH.

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile


def check_object(path, chip, llvm_bin):
    """Problems with one kernel object, as a list of strings."""
    elf = subprocess.run([os.path.join(llvm_bin, "llvm-readelf"), "-h", "-s", path],
                         capture_output=True, text=True)
    if elf.returncode != 0:
        return ["llvm-readelf failed: " + elf.stderr.strip()]
    problems = []
    if "Machine:                           EM_AMDGPU" not in elf.stdout and \
            not re.search(r"Machine:\s+EM_AMDGPU", elf.stdout):
        problems.append("not an AMDGPU object")
    if not re.search(r"Flags:\s+0x[0-9a-f]+, %s(,|$)" % re.escape(chip), elf.stdout, re.M):
        problems.append("not built for " + chip)
    functions = set(re.findall(r"\bFUNC\s+\w+\s+\w+\s+\d+\s+(\S+)$", elf.stdout, re.M))
    descriptors = set(re.findall(r"\bOBJECT\s+\w+\s+\w+\s+\d+\s+(\S+)\.kd$", elf.stdout, re.M))
    kernels = functions & descriptors
    if not kernels:
        problems.append("no kernel with a descriptor (functions %s)" % sorted(functions))
    isa = subprocess.run([os.path.join(llvm_bin, "llvm-objdump"), "-d", path],
                         capture_output=True, text=True)
    if isa.returncode != 0 or "s_endpgm" not in isa.stdout:
        problems.append("llvm-objdump did not disassemble a kernel")
    for kernel in kernels:
        if "<%s>:" % kernel not in isa.stdout:
            problems.append("kernel %s missing from the disassembly" % kernel)
    return problems


def check_case(case_dir, args, scratch):
    name = os.path.basename(case_dir)
    with open(os.path.join(case_dir, "meta.json")) as f:
        meta = json.load(f)
    kernels_dir = os.path.join(scratch, name)
    proc = subprocess.run(
        [args.vm_gpu_compile, os.path.join(case_dir, "prog.mlir"), "--entry", "main",
         "--target", "rocm", "--chip", args.chip, "--dump-kernels", kernels_dir,
         "-o", os.path.join(scratch, name + ".vmgpu")],
        capture_output=True, text=True)
    if meta.get("expect_error"):
        # Rejected inputs are a run-time matter; rejected programs must fail.
        if meta.get("error_kind") == "program" and proc.returncode == 0:
            return name, 0, ["compiled, but the suite expects it rejected"]
        return name, 0, []
    if proc.returncode != 0:
        return name, 0, ["vm-gpu-compile failed: " + proc.stderr.strip()[-300:]]
    objects = sorted(os.listdir(kernels_dir)) if os.path.isdir(kernels_dir) else []
    problems = []
    for obj in objects:
        problems += ["%s: %s" % (obj, p)
                     for p in check_object(os.path.join(kernels_dir, obj), args.chip,
                                           args.llvm_bin)]
    return name, len(objects), problems


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--vm-gpu-compile", required=True)
    parser.add_argument("--llvm-bin", default="")
    parser.add_argument("--chip", default="gfx942")
    parser.add_argument("-j", type=int, default=os.cpu_count() or 1)
    parser.add_argument("cases")
    args = parser.parse_args()
    if not args.llvm_bin:
        readelf = shutil.which("llvm-readelf")
        if not readelf:
            print("check_hsaco: llvm-readelf is not on PATH (use --llvm-bin)")
            return 1
        args.llvm_bin = os.path.dirname(readelf)
    cases = sorted(os.path.join(args.cases, d) for d in os.listdir(args.cases)
                   if os.path.isfile(os.path.join(args.cases, d, "meta.json")))
    failed = objects = with_kernels = 0
    with tempfile.TemporaryDirectory() as scratch:
        with concurrent.futures.ThreadPoolExecutor(args.j) as pool:
            for name, count, problems in pool.map(
                    lambda c: check_case(c, args, scratch), cases):
                objects += count
                with_kernels += count > 0
                for problem in problems:
                    print("%s: %s" % (name, problem))
                failed += bool(problems)
    print("%d programs, %d with kernels, %d kernel objects for %s; %d with problems"
          % (len(cases), with_kernels, objects, args.chip, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
