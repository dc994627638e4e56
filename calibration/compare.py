#!/usr/bin/env python3
"""Runs each calibration scenario in GMPsim and compares its thread counts with real Go 1.19.

Real numbers come from real-go-1.19.tsv (written by collect.sh, or by run.sh into its output
folder); the model's from `gmpsim run FILE --json`. Prints one row per case: real peak and final
threads (median of the runs), the model's peak and final, the model's error (model - real, in
threads and in % of real), and whether the peak is within 20% or 2 threads; then the count.

Usage: compare.py [--real TSV] [--go VERSION] [--only REGEX] [--jobs N] [--gmpsim CMD]
  --go     run the mirrors under another Go version's rules (their go-version "1.19" replaced),
           to compare with measurements of programs built by that Go (e.g. real-go-1.22.tsv)
  --only   a regex on "case params" as collect.sh's ONLY (e.g. '^syscall n=100 '), or on the
           scenario name (e.g. network)
  --gmpsim the gmpsim command (default: ../gmpsim, which builds the jar when it is stale)
Exit status: 0 when every model run worked (whatever the errors), 1 if a model run failed.
"""
import argparse
import concurrent.futures
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
GMPSIM = os.path.join(ROOT, "gmpsim")

# scenario file -> (case, params, GOMAXPROCS) in real-go-1.19.tsv
CASES = [
    ("idle-p1", "idle", "dur=2s", 1), ("idle-p2", "idle", "dur=2s", 2), ("idle-p4", "idle", "dur=2s", 4),
    ("idlecgo-p1", "idle_cgo", "dur=2s", 1), ("idlecgo-p2", "idle_cgo", "dur=2s", 2),
    ("idlecgo-p4", "idle_cgo", "dur=2s", 4),
    ("syscall-n1-1ms-p1", "syscall", "n=1 d=1ms", 1),
] + [
    (f"syscall-n{n}-{d}", "syscall", f"n={n} d={d}", 2) for n in (1, 10, 100) for d in ("100us", "1ms", "10ms")
] + [
    ("syscall-select-n10-1ms", "syscall_select", "n=10 d=1ms", 2),
    ("cgo-n100", "cgo", "n=100 d=50ms sem=none", 2), ("cgo-n100-sem32", "cgo", "n=100 d=50ms sem=32", 2),
    ("cgo-n500", "cgo", "n=500 d=50ms sem=none", 2), ("cgo-n500-sem32", "cgo", "n=500 d=50ms sem=32", 2),
    ("lock-keep", "lock", "n=100 sleep=1s mode=keep", 2), ("lock-unlock", "lock", "n=100 sleep=1s mode=unlock", 2),
    ("lock-hold", "lock", "n=100 sleep=1s mode=hold", 2),
    ("timers", "timers", "n=1000 d=1ms", 2),
    ("network", "network", "k=1000 rate=5000 work=20us", 2),
    ("fileread-n1", "fileread", "n=1 size=4096", 2), ("fileread-n10", "fileread", "n=10 size=4096", 2),
    ("fileread-n100", "fileread", "n=100 size=4096", 2),
] + [
    # Held out: added after the model was built (collect.sh section i), nothing fitted to them.
    (f"syscall-n100-{d}-p{g}", "syscall", f"n=100 d={d}", g) for g in (1, 4, 8) for d in ("100us", "1ms")
] + [
    ("syscall-n100-20us", "syscall", "n=100 d=20us", 2),
    ("cgo-n100-1ms", "cgo", "n=100 d=1ms sem=none", 2), ("cgo-n100-100us", "cgo", "n=100 d=100us sem=none", 2),
    ("cgo-n20-10ms-p4", "cgo", "n=20 d=10ms sem=none", 4), ("cgo-n100-sem32-p4", "cgo", "n=100 d=50ms sem=32", 4),
    ("lock-keep-p4", "lock", "n=100 sleep=1s mode=keep", 4), ("fileread-n100-p4", "fileread", "n=100 size=4096", 4),
    ("paced-p2", "paced", "n=1000 gap=200us d=2ms", 2), ("paced-p4", "paced", "n=1000 gap=200us d=2ms", 4),
    ("mix-cpu4-sys20", "mix", "cpu=4 sys=20 d=1ms", 2), ("mix-cpu4-sys20-p4", "mix", "cpu=4 sys=20 d=1ms", 4),
    ("mix-cpu0-sys20", "mix", "cpu=0 sys=20 d=1ms", 2),
    ("mix-cpu4-sys20-sleep", "mix", "cpu=4 sys=20 d=1ms sleep=5ms", 2),
    ("mix-cpu2-sys100-10ms", "mix", "cpu=2 sys=100 d=10ms", 2),
    ("network-sys1ms", "network", "k=1000 rate=5000 work=20us sys=1ms", 2),
    ("network-sys2ms", "network", "k=1000 rate=5000 work=20us sys=2ms", 2),
    ("network-k100-sys1ms", "network", "k=100 rate=5000 work=20us sys=1ms", 2),
    ("locksys-n20", "locksys", "n=20 m=0 d=1ms", 2), ("locksys-n20-m50", "locksys", "n=20 m=50 d=1ms", 2),
    ("locksys-n50-m50-100us", "locksys", "n=50 m=50 d=100us", 2),
] + [
    # The machine beneath the runtime (collect.sh sections o-q): m0, the server beside its load
    # generator on the same 2 cores, allocating handlers and the GC.
    ("lockm0-p1", "lockm0", "n=10 d=300ms", 1), ("lockm0-p2", "lockm0", "n=10 d=300ms", 2),
] + [
    (f"network-k100-r{r}", "network", f"k=100 rate={r} work=20us", 2) for r in (2000, 20000, 50000)
] + [
    ("network-k100-r20000-p4", "network", "k=100 rate=20000 work=20us", 4),
    ("network-k100-r2000-sys50us", "network", "k=100 rate=2000 work=20us sys=50us", 2),
    ("network-k100-r20000-sys50us", "network", "k=100 rate=20000 work=20us sys=50us", 2),
] + [
    (f"network-k100-r10000-readfile-gogc{g}", "network", f"k=100 rate=10000 work=20us readfile=4KB gogc={g}", 2)
    for g in ("100", "off")
] + [
    (f"network-k100-r10000-alloc16k-gogc{g}", "network",
     f"k=100 rate=10000 work=20us readfile=4KB alloc=16KB gogc={g}", 2) for g in ("50", "100", "400", "off")
] + [
    # The scenario language's pipes and unbuffered channels (collect.sh sections r and s).
    ("pipewake-n100-1ms", "pipewake", "n=100 every=1ms sys=0", 2),
    ("pipewake-n100-1ms-sys100us", "pipewake", "n=100 every=1ms sys=100us", 2),
    ("handoff-n10-1ms", "handoff", "n=10 d=1ms", 2), ("handoff-n100-100us", "handoff", "n=100 d=100us", 2),
]

# Cases whose outcome varies from run to run: compared as distributions, real runs against model
# seeds. A run "stalls" when its global run queue reaches STALL_RUNQ (schedtrace's runqueue=).
SPREAD = [
    ("cgoserver-k5000", "cgoserver", "k=5000 think=500ms d=50ms", 4),
]
SPREAD_SEEDS = 20
STALL_RUNQ = 1000


def within(model, real):
    return abs(model - real) <= max(2, 0.2 * real)


def real_rows(path):
    rows = {}
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            r = dict(zip(header, line.rstrip("\n").split("\t")))
            rows.setdefault((r["case"], r["params"], int(r["gomaxprocs"])), []).append(r)
    return rows


def run_model(name, env, go=None):
    """The model's summary for scenario NAME; one retry (a JVM that starts slowly on a busy
    machine can fail before it runs anything)."""
    path = os.path.join(HERE, "scenarios", name + ".yaml")
    if not go:
        return run_file(path, env)
    with open(path) as f:
        text = f.read().replace('go-version: "1.19"', f'go-version: "{go}"')
    with tempfile.NamedTemporaryFile("w", suffix=f"-{name}.yaml") as tmp:
        tmp.write(text)
        tmp.flush()
        return run_file(tmp.name, env)


def run_file(path, env):
    err = ""
    for _ in range(2):
        p = subprocess.run([env["GMPSIM_CMD"], "run", path, "--json"], capture_output=True, text=True, env=env)
        if p.returncode == 0:
            try:
                return json.loads(p.stdout), None
            except ValueError as e:
                err = f"bad JSON from gmpsim: {e}"
        else:
            err = (p.stderr.strip().splitlines() or [f"exit {p.returncode}"])[-1]
    return None, err


def fmt_err(model, real):
    d = model - real
    pct = 100.0 * d / real if real else 0.0
    return f"{d:+g}", f"{pct:+.0f}%"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--real", default=os.path.join(HERE, "real-go-1.19.tsv"))
    ap.add_argument("--go", default=None)
    ap.add_argument("--only", default="")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--gmpsim", default=GMPSIM)
    a = ap.parse_args()

    real = real_rows(a.real)
    only = re.compile(a.only) if a.only else None
    todo = []
    for name, case, params, procs in CASES:
        if only and not (only.search(f"{case} {params}") or only.search(name)):
            continue
        runs = real.get((case, params, procs))
        if runs:
            todo.append((name, runs))
    spread_only = only and any(only.search(f"{c} {p}") or only.search(n) for n, c, p, g in SPREAD)
    if not todo and not spread_only:
        print(f"compare: no case with real measurements in {a.real}" + (f" matching {a.only!r}" if only else ""),
              file=sys.stderr)
        return 1

    env = dict(os.environ)
    env["GMPSIM_CMD"] = a.gmpsim
    # Akka gives its logger 5s to start; a JVM on a busy 2-core machine can need longer.
    env.setdefault("GMPSIM_JAVA_OPTS", "-Xss4m -Dakka.logger-startup-timeout=30s")
    # Build the jar once, before the parallel runs (./gmpsim builds when sources are newer).
    b = subprocess.run([a.gmpsim, "--version"], capture_output=True, text=True, env=env)
    if b.returncode != 0:
        print("compare: building gmpsim failed:\n" + b.stderr, file=sys.stderr)
        return 1
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as ex:
        results = list(ex.map(lambda t: run_model(t[0], env, a.go), todo))

    cols = f"{'case':<20} {'real peak':>9} {'real final':>10} {'model peak':>10} {'model final':>11}" \
           f" {'peak err':>8} {'peak err%':>9} {'final err':>9} {'final err%':>10}  within"
    good = failed = 0
    if todo:
        print(cols)
    for (name, runs), (s, err) in zip(todo, results):
        rp = statistics.median(int(r["peak_threads"]) for r in runs)
        rf = statistics.median(int(r["final_threads"]) for r in runs)
        if s is None:
            failed += 1
            print(f"{name:<20} {rp:>9g} {rf:>10g}  model run failed: {err}")
            continue
        if s.get("outcome") != "ok":
            print(f"# {name}: model outcome {s.get('outcome')}", file=sys.stderr)
        mp, mf = s["threads"]["peak"], s["threads"]["final"]
        pe, pp = fmt_err(mp, rp)
        fe, fp = fmt_err(mf, rf)
        ok = within(mp, rp)
        good += ok
        print(f"{name:<20} {rp:>9g} {rf:>10g} {mp:>10} {mf:>11} {pe:>8} {pp:>9} {fe:>9} {fp:>10}  {'yes' if ok else 'NO'}")
    if todo:
        print(f"\npeak within 20% or 2 threads: {good}/{len(todo)}"
              + (f" ({failed} model runs failed)" if failed else ""))
    failed += spread_table(real, only, env, a.go)
    return 1 if failed else 0


def schedtrace_peaks(text):
    """(peak threads=, peak runqueue=) of schedtrace lines, as collect.sh reads the real ones."""
    peak = rq = 0
    for line in text.splitlines():
        if line.startswith("SCHED"):
            f = dict(x.split("=", 1) for x in line.split() if "=" in x)
            peak = max(peak, int(f["threads"]))
            rq = max(rq, int(f["runqueue"]))
    return peak, rq


def spread_table(real, only, env, go):
    todo = [(n, real[(c, p, g)]) for n, c, p, g in SPREAD
            if (c, p, g) in real and not (only and not (only.search(f"{c} {p}") or only.search(n)))]
    if not todo:
        return 0
    print(f"\n{'spread case':<20} {'real peak: median [min-max]':>28} {'stalled':>8}"
          f" {'model peak: median [min-max]':>29} {'stalled':>8}  within")
    failed = 0
    for name, runs in todo:
        path = os.path.join(HERE, "scenarios", name + ".yaml")
        with tempfile.TemporaryDirectory() as out:
            scen = path
            if go:
                with open(path) as f:
                    scen = os.path.join(out, name + ".yaml")
                    with open(scen, "w") as g:
                        g.write(f.read().replace('go-version: "1.19"', f'go-version: "{go}"'))
            p = subprocess.run([env["GMPSIM_CMD"], "run", scen, "--seeds", str(SPREAD_SEEDS), "--json",
                                "--out", os.path.join(out, "s")], capture_output=True, text=True, env=env)
            if p.returncode != 0:
                failed += 1
                print(f"{name:<20} model run failed: {(p.stderr.strip().splitlines() or ['?'])[-1]}")
                continue
            model = []
            for seed in json.loads(p.stdout)["seeds"]:
                with open(os.path.join(out, "s", f"seed-{seed}", "schedtrace.txt")) as f:
                    model.append(schedtrace_peaks(f.read()))
        rp = [int(r["peak_threads"]) for r in runs]
        rs = sum(1 for r in runs if int(r.get("peak_runqueue") or 0) >= STALL_RUNQ)
        mp = [m[0] for m in model]
        ms = sum(1 for m in model if m[1] >= STALL_RUNQ)
        rmed, mmed = statistics.median(rp), statistics.median(mp)
        ok = within(mmed, rmed)
        print(f"{name:<20} {f'{rmed:g} [{min(rp)}-{max(rp)}]':>28} {f'{rs}/{len(rp)}':>8}"
              f" {f'{mmed:g} [{min(mp)}-{max(mp)}]':>29} {f'{ms}/{len(mp)}':>8}  {'yes' if ok else 'NO'}")
    print(f"(stalled: the global run queue reached {STALL_RUNQ}; model over seeds 1-{SPREAD_SEEDS})")
    return failed


if __name__ == "__main__":
    sys.exit(main())
