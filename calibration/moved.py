#!/usr/bin/env python3
"""Which configurations moved between measurements of the same programs.

Usage: moved.py TABLE.tsv TABLE.tsv [...]   (real-go-*.tsv tables written by collect.sh)

Prints, for every (case, params, GOMAXPROCS) present in all tables, the peak threads of each run
per table, and MOVED where the medians of two tables differ by more than compare.py's tolerance
(20% or 2 threads of the smaller); then how many moved.
"""
import statistics
import sys

from compare import real_rows, within


def load(path):
    """(case, params, GOMAXPROCS) -> the peak threads of each run, from compare.py's reader."""
    return {k: [int(r["peak_threads"]) for r in runs] for k, runs in real_rows(path).items()}


def main(paths):
    if len(paths) < 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    tables = [load(p) for p in paths]
    keys = [k for k in tables[0] if all(k in t for t in tables)]
    moved = 0
    for k in keys:
        meds = [statistics.median(t[k]) for t in tables]
        lo, hi = min(meds), max(meds)
        flag = not within(hi, lo)
        moved += flag
        runs = "  ".join(f"{'/'.join(map(str, t[k])):<14}" for t in tables)
        print(f"{k[0]:<10} {k[1]:<48} p{k[2]:<2} {runs}{'  MOVED' if flag else ''}")
    print(f"{moved}/{len(keys)} configurations moved by more than the tolerance between tables")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
