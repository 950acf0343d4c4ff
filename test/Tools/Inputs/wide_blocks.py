"""Writes blocks with many arguments or results into a directory: at and
one over vmgpu's bounds (256 arguments, 128 results per function). Used by
compile-bounds.test (issue 13, M4: code generation of the entry point grows
faster than linearly with them)."""

import os
import sys

T = "tensor<4xf32>"


def chain_of_arguments(n):
    """@main adds n arguments together."""
    args = ", ".join("%%a%d: %s" % (i, T) for i in range(n))
    lines = ["func.func @main(%s) -> %s {" % (args, T)]
    prev = "%a0"
    for i in range(1, n):
        lines.append("  %%v%d = vm.add %s, %%a%d : %s" % (i, prev, i, T))
        prev = "%%v%d" % i
    lines += ["  return %s : %s" % (prev, T), "}"]
    return "\n".join(lines) + "\n"


def chain_of_results(n):
    """@main returns each of n successive negations."""
    lines = ["func.func @main(%%a: %s) -> (%s) {" % (T, ", ".join([T] * n))]
    prev, results = "%a", []
    for i in range(n):
        lines.append("  %%v%d = vm.neg %s : %s" % (i, prev, T))
        prev = "%%v%d" % i
        results.append(prev)
    lines += ["  return %s : %s" % (", ".join(results), ", ".join([T] * n)), "}"]
    return "\n".join(lines) + "\n"


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, text in [("args-256", chain_of_arguments(256)),
                       ("args-257", chain_of_arguments(257)),
                       ("results-128", chain_of_results(128)),
                       ("results-129", chain_of_results(129))]:
        with open(os.path.join(out, name + ".mlir"), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
