#!/usr/bin/env python3
"""gen_inputs.py: writes seeded random .npy inputs for one function of an IR file.

The argument types are read from vm-gpu-opt's generic printout of the
program (`function_type = (...) -> ...`), so any example gets inputs without
a hand-written list. Files are named in0.npy, in1.npy, ... in argument
order, as vm-gpu-run expects. A builtin scalar argument (`i32`, `f32`, ...)
becomes a 0-D array; a dynamic dimension (`?`) gets --dynamic-size.

  gen_inputs.py --opt build/bin/vm-gpu-opt --out DIR [--entry main] PROG.mlir
"""

import argparse
import os
import re
import subprocess
import sys

import numpy as np

# vm element type -> NumPy dtype (vm-gpu-run reads unsigned NumPy types as
# the signless type of the same width, so signed ones are enough here).
DTYPES = {
    "i1": np.bool_,
    "i8": np.int8,
    "i16": np.int16,
    "i32": np.int32,
    "i64": np.int64,
    "f16": np.float16,
    "f32": np.float32,
    "f64": np.float64,
}


def split_top_level(text):
    """Splits `a, tensor<1x2xf32>, b` at commas outside <>, () and []."""
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch in "<([":
            depth += 1
        elif ch in ">)]":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    if current.strip():
        parts.append(current.strip())
    return parts


def entry_argument_types(opt, program, entry):
    generic = subprocess.run(
        [opt, "--mlir-print-op-generic", program],
        check=True, capture_output=True, text=True).stdout
    for line in generic.splitlines():
        if '"func.func"' not in line or f'sym_name = "{entry}"' not in line:
            continue
        match = re.search(r"function_type = \((.*?)\) ->", line)
        if not match:
            match = re.search(r"function_type = \((.*)\)", line)
        if match:
            return split_top_level(match.group(1))
    raise SystemExit(f"gen_inputs: no function @{entry} in {program}")


def parse_type(text, dynamic_size):
    """Returns (shape, dtype) for `tensor<4x?xf32>` or a scalar like `i32`."""
    match = re.fullmatch(r"tensor<(.*)>", text)
    if match:
        *dims, element = match.group(1).split("x")
        shape = tuple(dynamic_size if d == "?" else int(d) for d in dims)
    else:
        shape, element = (), text
    if element not in DTYPES:
        raise SystemExit(f"gen_inputs: cannot make a .npy input of type {text} "
                         f"(element types: {', '.join(DTYPES)})")
    return shape, DTYPES[element]


def random_array(rng, shape, dtype):
    if dtype is np.bool_:
        return rng.random(shape) < 0.5
    if np.issubdtype(dtype, np.floating):
        return rng.uniform(-1.0, 1.0, shape).astype(dtype)
    # Small integers keep products readable; negatives and zeros exercise the
    # signed, unsigned and division-by-zero rules.
    info = np.iinfo(dtype)
    low, high = max(info.min, -100), min(info.max, 100)
    return rng.integers(low, high, shape, endpoint=True).astype(dtype)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("program")
    parser.add_argument("--opt", required=True, help="path to vm-gpu-opt")
    parser.add_argument("--out", required=True, help="directory for in*.npy")
    parser.add_argument("--entry", default="main")
    parser.add_argument("--dynamic-size", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    os.makedirs(args.out, exist_ok=True)
    for i, text in enumerate(entry_argument_types(args.opt, args.program, args.entry)):
        shape, dtype = parse_type(text, args.dynamic_size)
        array = random_array(rng, shape, dtype)
        path = os.path.join(args.out, f"in{i}.npy")
        np.save(path, array)
        print(f"  in{i}.npy: {np.dtype(dtype).name}{list(shape)} for {text}")


if __name__ == "__main__":
    sys.exit(main())
