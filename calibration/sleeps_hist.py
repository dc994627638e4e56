#!/usr/bin/env python3
"""Prints, for each syscall case in sleeps-go-1.19.tsv, the hist() that the mirror scenario in
scenarios/ uses for its nanosleep: the middles of the ten deciles (p5, p15, ..., p95) of how long
nanosleep(D) took on a thread beside that case's real load, each the median over the runs.

Usage: python3 calibration/sleeps_hist.py [sleeps-go-1.19.tsv]
"""
import collections
import csv
import os
import statistics
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "sleeps-go-1.19.tsv")
    with open(path) as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    deciles = [f"p{p}_ns" for p in range(5, 100, 10)]
    groups = collections.defaultdict(list)
    for r in rows:
        if r["phase"] == "load" and r["sleep"] != "nanosleep_20us":
            groups[(r["params"], r["gomaxprocs"])].append(r)
    for (params, procs), runs in groups.items():
        us = [round(statistics.median(int(r[c]) for r in runs) / 1000) for c in deciles]
        hist = ", ".join(f"{u}us: 1" for u in us)
        print(f"{params} GOMAXPROCS={procs} ({len(runs)} runs): hist({hist})")


if __name__ == "__main__":
    main()
