#!/usr/bin/env python3
"""Line coverage per directory from `llvm-cov export -summary-only`.

    coverage_report.py SUMMARY.json REPO_ROOT

Prints the covered and total lines of dialects/, lib/ and runtime/ (the
directories issue 20 measures), of each of their subdirectories, their
total, and the 25 files with the most uncovered lines (scripts/coverage.sh).
"""

import collections
import json
import os
import sys

TOP = ("dialects", "lib", "runtime")


def main():
    summary_path, root = sys.argv[1], os.path.realpath(sys.argv[2])
    with open(summary_path) as f:
        data = json.load(f)["data"][0]

    per_file = {}
    for entry in data["files"]:
        path = os.path.relpath(os.path.realpath(entry["filename"]), root)
        if path.split(os.sep)[0] not in TOP:
            continue
        lines = entry["summary"]["lines"]
        per_file[path] = (lines["covered"], lines["count"])

    groups = collections.OrderedDict()
    for path in sorted(per_file):
        parts = path.split(os.sep)
        keys = [parts[0] + "/"]
        if len(parts) > 2:
            keys.append(os.path.join(*parts[:2]) + "/")
        for key in keys:
            covered, count = groups.get(key, (0, 0))
            groups[key] = (covered + per_file[path][0], count + per_file[path][1])

    def line(name, covered, count):
        percent = 100.0 * covered / count if count else 100.0
        return "%-40s %7d / %7d  %6.2f%%" % (name, covered, count, percent)

    print("%-40s %17s  %7s" % ("directory", "lines covered", ""))
    for top in TOP:
        key = top + "/"
        if key in groups:
            print(line(key, *groups[key]))
        for name, value in groups.items():
            if name.startswith(key) and name != key:
                print(line("  " + name, *value))
    covered = sum(c for c, _ in per_file.values())
    count = sum(n for _, n in per_file.values())
    print(line("total (dialects/ lib/ runtime/)", covered, count))

    print("\nfiles with the most uncovered lines:")
    worst = sorted(per_file.items(), key=lambda item: item[1][0] - item[1][1])
    for path, (covered, count) in worst[:25]:
        print(line("  " + path, covered, count) + "  (%d uncovered)" % (count - covered))


if __name__ == "__main__":
    main()
