#!/usr/bin/env python3
"""Runs each calibration scenario in GMPsim and compares its thread counts with real Go 1.19.

Real numbers come from real-go-1.19.tsv (written by collect.sh); the model's from
`gmpsim run --json`. Prints one table row per case: real peak/final (median of the runs),
predicted peak/final, and whether the peak is within 20% or 2 threads.
"""
import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# scenario file -> (case, params, GOMAXPROCS) in real-go-1.19.tsv
CASES = [
    ("idle-p1", "idle", "dur=2s", 1), ("idle-p2", "idle", "dur=2s", 2), ("idle-p4", "idle", "dur=2s", 4),
    ("idlecgo-p1", "idle_cgo", "dur=2s", 1), ("idlecgo-p2", "idle_cgo", "dur=2s", 2),
    ("idlecgo-p4", "idle_cgo", "dur=2s", 4),
    ("syscall-n1-1ms-p1", "syscall", "n=1 d=1ms", 1),
] + [
    (f"syscall-n{n}-{d}", "syscall", f"n={n} d={d}", 2) for n in (1, 10, 100) for d in ("100us", "1ms", "10ms")
] + [
    ("cgo-n100", "cgo", "n=100 d=50ms sem=none", 2), ("cgo-n100-sem32", "cgo", "n=100 d=50ms sem=32", 2),
    ("cgo-n500", "cgo", "n=500 d=50ms sem=none", 2), ("cgo-n500-sem32", "cgo", "n=500 d=50ms sem=32", 2),
    ("lock-keep", "lock", "n=100 sleep=1s mode=keep", 2), ("lock-unlock", "lock", "n=100 sleep=1s mode=unlock", 2),
    ("lock-hold", "lock", "n=100 sleep=1s mode=hold", 2),
    ("timers", "timers", "n=1000 d=1ms", 2),
    ("network", "network", "k=1000 rate=5000 work=20us", 2),
    ("fileread-n1", "fileread", "n=1 size=4096", 1 + 1), ("fileread-n10", "fileread", "n=10 size=4096", 2),
    ("fileread-n100", "fileread", "n=100 size=4096", 2),
]


def real_rows():
    rows = {}
    with open(os.path.join(HERE, "real-go-1.19.tsv")) as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            r = dict(zip(header, line.rstrip("\n").split("\t")))
            rows.setdefault((r["case"], r["params"], int(r["gomaxprocs"])), []).append(r)
    return rows


def main():
    only = sys.argv[1] if len(sys.argv) > 1 else ""
    real = real_rows()
    gmpsim = os.path.join(ROOT, "gmpsim")
    print(f"{'case':<22} {'real peak':>9} {'model peak':>10} {'real final':>10} {'model final':>11}  ok")
    good = total = 0
    for name, case, params, procs in CASES:
        if only and only not in name:
            continue
        runs = real.get((case, params, procs))
        if not runs:
            continue
        rp = statistics.median(int(r["peak_threads"]) for r in runs)
        rf = statistics.median(int(r["final_threads"]) for r in runs)
        out = subprocess.run([gmpsim, "run", os.path.join(HERE, "scenarios", name + ".yaml"), "--json"],
                             capture_output=True, text=True, check=True).stdout
        s = json.loads(out)
        mp, mf = s["threads"]["peak"], s["threads"]["final"]
        ok = abs(mp - rp) <= max(2, 0.2 * rp)
        good += ok
        total += 1
        print(f"{name:<22} {rp:>9g} {mp:>10} {rf:>10g} {mf:>11}  {'yes' if ok else 'NO'}")
    print(f"\npeak within 20% or 2 threads: {good}/{total}")


if __name__ == "__main__":
    main()
