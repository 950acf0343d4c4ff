"""Writes programs nested far deeper than vmgpu's bound (1,000 levels) into
a directory, one file per way MLIR text can nest, plus a valid .npy input.
Used by deep-nesting.test (issue 13, M1: each of them overflowed the parser's
stack in every tool)."""

import os
import sys

DEPTH = 100000
MAIN = ("func.func @main(%a: tensor<4xf32>) -> tensor<4xf32> {\n"
        "  return %a : tensor<4xf32>\n}\n")


def programs():
    n = DEPTH
    yield "modules", "module {\n" * n + MAIN + "}\n" * n
    yield "array", ("module attributes {x.y = " + "[" * n + "]" * n + "} {\n"
                    + MAIN + "}\n")
    yield "dense", ("func.func @main(%a: tensor<4xf32>) -> tensor<4xf32> {\n"
                    "  %0 = vm.constant dense<" + "[" * n + "1.0" + "]" * n
                    + "> : tensor<" + "1x" * n + "f32>\n"
                    "  return %a : tensor<4xf32>\n}\n")
    aliases = ["#a0 = [1]"] + ["#a%d = [#a%d]" % (i, i - 1) for i in range(1, n)]
    yield "alias", ("\n".join(aliases) + "\nmodule attributes {x.y = #a%d} {\n"
                    % (n - 1) + MAIN + "}\n")
    yield "affine", ("module attributes {x.y = affine_map<(d0) -> ("
                     + " + ".join(["d0"] * n) + ")>} {\n" + MAIN + "}\n")
    yield "parens", ("module attributes {x.y = affine_map<(d0) -> ("
                     + "(" * n + "d0" + ")" * n + ")>} {\n" + MAIN + "}\n")
    yield "regions", ("func.func @main(%a: tensor<4xf32>) -> tensor<4xf32> {\n"
                      + "scf.execute_region {\n" * n + "scf.yield\n}\n" * n
                      + "  return %a : tensor<4xf32>\n}\n")


def write_npy(path):
    """A float32 [4] of ones, written without numpy."""
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }"
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little"))
        f.write(header.encode() + b"\x00\x00\x80\x3f" * 4)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, text in programs():
        with open(os.path.join(out, name + ".mlir"), "w") as f:
            f.write(text)
    write_npy(os.path.join(out, "in.npy"))


if __name__ == "__main__":
    main()
