#!/usr/bin/env python3
"""Writes the fuzz targets' seed corpora from what the tests use.

    make_seeds.py compile OUT              test/ and examples/ .mlir files, each split
                                           at `// -----`, behind a stage byte (FuzzCompile.cpp)
    make_seeds.py npy OUT CASES            a sample of the e2e generator's small .npy files
    make_seeds.py artifact OUT FILES...    artifact files in the forms FuzzArtifact.cpp reads
    make_seeds.py disk-cache OUT FILES...  artifact files (cache entries) in the forms
                                           FuzzDiskCache.cpp reads

Run from the repository root (scripts/fuzz.sh does). Each seed is named by its SHA-1.
"""
import hashlib
import os
import struct
import sys

PREAMBLE = 28  # magic (8), format version (4), header length (8), header FNV-1a (8)


def put(out, data):
    with open(os.path.join(out, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def compile_seeds(out):
    paths = []
    for top in ("test", "examples"):
        for folder, _, names in os.walk(top):
            paths += [os.path.join(folder, n) for n in names if n.endswith(".mlir")]
    stage = 0
    for path in sorted(paths):
        with open(path, encoding="utf-8", errors="replace") as f:
            chunks = f.read().split("// -----")
        for chunk in chunks:
            # Five stages (FuzzCompile.cpp), taken in turn.
            data = bytes([stage % 5]) + chunk.encode()
            stage += 1
            if len(data) <= 16384:
                put(out, data)


def npy_seeds(out, cases):
    found = []
    for folder, _, names in os.walk(cases):
        found += [os.path.join(folder, n) for n in names
                  if n.endswith(".npy") and os.path.getsize(os.path.join(folder, n)) < 16384]
    for path in sorted(found)[::7]:
        with open(path, "rb") as f:
            put(out, f.read())


def artifact_seeds(out, files, cache_forms):
    for path in files:
        with open(path, "rb") as f:
            raw = f.read()
        if len(raw) < PREAMBLE or raw[:8] != b"VMGPUART":
            continue
        size = struct.unpack_from("<Q", raw, 12)[0]
        split = raw[PREAMBLE:PREAMBLE + size] + b"\0" + raw[PREAMBLE + size:]
        if cache_forms:
            # Bit 0: look up under the recorded key; bit 1: rebuild the checksums.
            for form in (b"\x00" + raw, b"\x01" + raw, b"\x03" + split):
                put(out, form)
        else:
            # Bit 0: rebuild the checksums.
            for form in (b"\x00" + raw, b"\x01" + split):
                put(out, form)


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    kind, out, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(out, exist_ok=True)
    if kind == "compile":
        compile_seeds(out)
    elif kind == "npy":
        npy_seeds(out, rest[0])
    elif kind in ("artifact", "disk-cache"):
        artifact_seeds(out, rest, kind == "disk-cache")
    else:
        print("make_seeds.py: unknown kind " + kind, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
