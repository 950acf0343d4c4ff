#!/usr/bin/env python3
"""Checks libvmgpu.so's ABI against the lists committed beside this file.

  abi_check.py symbols LIBRARY EXPECTED [--nm NM] [--update]
      The dynamic symbols LIBRARY defines ("T name@@VERSION" lines).
  abi_check.py header HEADER EXPECTED [--update]
      The C API's surface in vmgpu.h: every VMGPU_EXPORT declaration, the
      fields of the public structs and the values of the enum constants,
      whitespace-normalized, one per line.

A line of EXPECTED that is missing or different is an ABI break (exit 1,
naming it): removing or changing an exported function, field or number
needs a new major release (the SONAME). A new line fails too, so that an
addition is deliberate: record it with --update (and raise
VMGPU_API_VERSION in vmgpu.h for a new function or field).
"""

import argparse
import re
import subprocess
import sys


def library_symbols(library, nm):
    out = subprocess.run([nm, "-D", "--defined-only", library], check=True,
                         capture_output=True, text=True).stdout
    lines = set()
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            lines.add("%s %s" % (parts[1], parts[2]))
    return lines


def header_surface(header):
    text = open(header).read()
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    lines = set()
    for declaration in re.findall(r"VMGPU_EXPORT\s+([^;{]*);", text):
        declaration = " ".join(declaration.split())
        lines.add("function " + declaration.replace("( ", "(").replace(" )", ")"))
    for name, body in re.findall(r"typedef\s+struct\s+(\w+)\s*\{(.*?)\}", text,
                                 flags=re.S):
        fields = [f for f in body.split(";") if f.strip()]
        for index, field in enumerate(fields):
            lines.add("field %s #%d: %s" % (name, index, " ".join(field.split())))
    for name, value in re.findall(r"\b(VMGPU_[A-Z0-9_]+)\s*=\s*(-?\d+)", text):
        lines.add("constant %s = %s" % (name, value))
    for name in ("VMGPU_MAX_RANK",):
        match = re.search(r"#define\s+%s\s+(\d+)" % name, text)
        if match:
            lines.add("constant %s = %s" % (name, match.group(1)))
    return lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["symbols", "header"])
    parser.add_argument("input")
    parser.add_argument("expected")
    parser.add_argument("--nm", default="nm")
    parser.add_argument("--update", action="store_true")
    args = parser.parse_args()
    actual = (library_symbols(args.input, args.nm) if args.kind == "symbols"
              else header_surface(args.input))
    if args.update:
        with open(args.expected, "w") as out:
            out.write("".join(line + "\n" for line in sorted(actual)))
        return 0
    expected = {line.rstrip("\n") for line in open(args.expected)
                if line.strip() and not line.startswith("#")}
    problems = []
    for line in sorted(expected - actual):
        problems.append("abi: gone or changed (an ABI break): %s" % line)
    for line in sorted(actual - expected):
        problems.append("abi: new, not recorded in %s: %s" % (args.expected, line))
    for problem in problems:
        print(problem)
    if not problems:
        print("abi: %d %s match" % (len(actual), args.kind))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
