#!/usr/bin/env python3
"""Runs each calibration scenario in GMPsim and compares its thread counts with real Go 1.19.

Real numbers come from real-go-1.19.tsv (written by collect.sh, or by run.sh into its output
folder); the model's from `gmpsim run FILE --json`. Prints one row per case: real peak and final
threads (median of the runs), the model's peak and final, the model's error (model - real, in
threads and in % of real), and whether the peak is within 20% or 2 threads; then the count.

Usage: compare.py [--real TSV]... [--go VERSION] [--only REGEX] [--seeds N] [--jobs N] [--gmpsim CMD]
  --real   a table of real runs; given more than once, the runs of every table are pooled (the
           same programs measured at other hours: this shared VM's speed moves thread counts by
           more than the tolerance between hours, so one evening's runs are one sample of it)
  --seeds  run the model over seeds 1..N and compare its median (default 1: the scenario's seed);
           the table then shows the real runs' and the seeds' ranges too
  --go     run the mirrors under another Go version's rules (their go-version "1.19" replaced),
           to compare with measurements of programs built by that Go (e.g. real-go-1.22.tsv)
  --only   a regex on "case params" as collect.sh's ONLY (e.g. '^syscall n=100 '), or on the
           scenario name (e.g. network)
  --costs  a micro-cost table measured by collect.sh (costs-go-*.tsv): every mirror runs with the
           cost-table keys it measures overridden (costs_override below), to ask how much of a
           difference between two machines their costs explain
  --gmpsim the gmpsim command (default: ../gmpsim, which builds the jar when it is stale)
Exit status: 0 when every model run worked (whatever the errors), 1 if a model run failed.
"""
import argparse
import concurrent.futures
import json
import math
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


def lognormal(median_ns, p90_ns):
    """runtime.costs' lognormal(median, p99) from a measured median and p90."""
    median_ns, p90_ns = max(median_ns, 1.0), max(p90_ns, median_ns)
    p99 = median_ns * math.exp(2.3263 * math.log(p90_ns / median_ns) / 1.2816)
    return f"lognormal({median_ns:.0f}ns, {max(p99, median_ns + 1):.0f}ns)"


def costs_override(path):
    """The runtime.costs mapping (flow YAML) that a costs-go-*.tsv gives, read as docs/costs.md
    reads calibration/costs-go-1.19.tsv for the defaults."""
    c = {}
    with open(path) as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            r = dict(zip(header, line.rstrip("\n").split("\t")))
            c[r["name"]] = (float(r["median_ns"]), float(r["p90_ns"]))
    out = {}
    if "syscall_getpid" in c:
        out["syscall"] = f"{c['syscall_getpid'][0]:.0f}ns"
    if "time_now" in c:
        out["vdso"] = f"{c['time_now'][0]:.0f}ns"
    if "cgo_call_empty" in c:
        out["cgo-call"] = f"{c['cgo_call_empty'][0]:.0f}ns"
    if "chan_pingpong_oneway" in c:
        out["schedule"] = f"{c['chan_pingpong_oneway'][0]:.0f}ns"
    if "go_new_m_locked" in c:
        out["clone"] = lognormal(*c["go_new_m_locked"])
    if "futex_wake_to_run_locked" in c:
        out["lockedm-wake"] = lognormal(*c["futex_wake_to_run_locked"])
        out["syscall-wakeup"] = out["lockedm-wake"]
    if "nanosleep_20us_actual" in c:
        med, p90 = (v - 20_000 for v in c["nanosleep_20us_actual"])
        out["timer-slack"] = lognormal(med, p90)
        # Linux's 50us slack is the kernel's rule (HrTimers); the rest is the wake-up.
        out["timer-wakeup"] = lognormal(max(med - 50_000, 1000), max(p90 - 50_000, 2000))
    return "{" + ", ".join(f"{k}: \"{v}\"" for k, v in out.items()) + "}"


def mirror_text(path, go=None, costs=None):
    """The mirror at PATH as run: under Go version GO's rules and with COSTS (costs_override) as
    its runtime.costs, each when given. Every mirror's runtime line names go-version "1.19"."""
    with open(path) as f:
        text = f.read()
    if costs:
        text = text.replace('go-version: "1.19"', f'go-version: "1.19", costs: {costs}', 1)
    if go:
        text = text.replace('go-version: "1.19"', f'go-version: "{go}"')
    return text


def run_model(name, env, go=None, seeds=1, costs=None):
    """The model's summary for scenario NAME (with seeds > 1, its peak and final threads are the
    medians over seeds 1..N, and peakRange their range); one retry (a JVM that starts slowly on a
    busy machine can fail before it runs anything)."""
    path = os.path.join(HERE, "scenarios", name + ".yaml")
    if not go and not costs:
        return run_file(path, env, seeds)
    text = mirror_text(path, go, costs)
    with tempfile.NamedTemporaryFile("w", suffix=f"-{name}.yaml") as tmp:
        tmp.write(text)
        tmp.flush()
        return run_file(tmp.name, env, seeds)


def run_file(path, env, seeds=1):
    err = ""
    extra = [] if seeds == 1 else ["--seeds", str(seeds), "--seed", "1", "--parallelism", "1"]
    for _ in range(2):
        p = subprocess.run([env["GMPSIM_CMD"], "run", path, "--json"] + extra, capture_output=True, text=True, env=env)
        if p.returncode == 0:
            try:
                out = json.loads(p.stdout)
            except ValueError as e:
                err = f"bad JSON from gmpsim: {e}"
                continue
            if seeds == 1:
                return out, None
            f = out["figures"]
            bad = [o for o in out["outcomes"] if o != "ok"]
            return {"outcome": bad[0] if bad else "ok",
                    "threads": {"peak": f["threads.peak"]["median"], "final": f["threads.final"]["median"],
                                "peakRange": (f["threads.peak"]["min"], f["threads.peak"]["max"])}}, None
        else:
            err = (p.stderr.strip().splitlines() or [f"exit {p.returncode}"])[-1]
    return None, err


def fmt_err(model, real):
    d = model - real
    pct = 100.0 * d / real if real else 0.0
    return f"{d:+g}", f"{pct:+.0f}%"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--real", action="append", default=None)
    ap.add_argument("--go", default=None)
    ap.add_argument("--only", default="")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--gmpsim", default=GMPSIM)
    ap.add_argument("--seeds", type=int, default=1)
    ap.add_argument("--costs", default=None)
    a = ap.parse_args()
    a.real = a.real or [os.path.join(HERE, "real-go-1.19.tsv")]
    if a.seeds < 1:
        print("compare: --seeds must be at least 1", file=sys.stderr)
        return 2

    real = {}
    for path in a.real:
        for key, runs in real_rows(path).items():
            real.setdefault(key, []).extend(runs)
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
        print(f"compare: no case with real measurements in {', '.join(a.real)}" + (f" matching {a.only!r}" if only else ""),
              file=sys.stderr)
        return 1

    costs = costs_override(a.costs) if a.costs else None
    if costs:
        print(f"# runtime.costs from {a.costs}: {costs}", file=sys.stderr)
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
        results = list(ex.map(lambda t: run_model(t[0], env, a.go, a.seeds, costs), todo))

    ranges = a.seeds > 1 or len(a.real) > 1
    cols = f"{'case':<20} {'real peak':>9} {'real final':>10} {'model peak':>10} {'model final':>11}" \
           f" {'peak err':>8} {'peak err%':>9} {'final err':>9} {'final err%':>10}  within"
    if ranges:
        cols += f"  {'real peak range':>15} {'model peak range':>16}"
    good = failed = 0
    if todo:
        print(cols)
    for (name, runs), (s, err) in zip(todo, results):
        peaks = [int(r["peak_threads"]) for r in runs]
        rp = statistics.median(peaks)
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
        row = f"{name:<20} {rp:>9g} {rf:>10g} {mp:>10g} {mf:>11g} {pe:>8} {pp:>9} {fe:>9} {fp:>10}  {'yes' if ok else 'NO ':<3}"
        if ranges:
            lo, hi = s["threads"].get("peakRange", (mp, mp))
            row += f"  {f'{min(peaks)}-{max(peaks)} ({len(peaks)})':>15} {f'{lo:g}-{hi:g}':>16}"
        print(row.rstrip())
    if todo:
        print(f"\npeak within 20% or 2 threads: {good}/{len(todo)}"
              + (f" ({failed} model runs failed)" if failed else ""))
    failed += spread_table(real, only, env, a.go, costs)
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


def spread_table(real, only, env, go, costs=None):
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
            if go or costs:
                scen = os.path.join(out, name + ".yaml")
                with open(scen, "w") as g:
                    g.write(mirror_text(path, go, costs))
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
