#!/usr/bin/env python3
"""coverage.py - summarise a generated corpus's stats-*.txt files as the
Markdown coverage table of docs/conformance.md.

Usage: coverage.py tests/conformance/data
"""
import glob
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from opcodes import SPECS   # noqa: E402

ENVS = ["real", "pm16", "pm32", "pm32pg"]


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "tests/conformance/data"
    counts, dropped = {}, {}
    for path in sorted(glob.glob(os.path.join(d, "stats-*.txt"))):
        for line in open(path):
            f = line.split()
            if f[0] == "dropped":
                dropped[f[1]] = dropped.get(f[1], 0) + int(f[2])
            else:
                counts[(f[0], f[1])] = counts.get((f[0], f[1]), 0) + int(f[2])
    group = {s.key: s.group for s in SPECS}
    keys = sorted({k for k, _ in counts} | set(group), key=lambda k: (len(k.split("/")[0]), k))
    print("| opcode | group | " + " | ".join(ENVS) + " | total |")
    print("| --- | --- | " + " | ".join("---:" for _ in ENVS) + " | ---: |")
    total = 0
    for k in keys:
        row = [counts.get((k, e), 0) for e in ENVS]
        total += sum(row)
        print("| %s | %s | %s | %d |" % (k, group.get(k, "?"), " | ".join(map(str, row)), sum(row)))
    print()
    print("%d cases, %d opcode keys." % (total, len(keys)))
    print()
    print("Dropped while generating: " + ", ".join("%s %d" % kv for kv in sorted(dropped.items())) + ".")


if __name__ == "__main__":
    main()
