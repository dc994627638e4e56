#!/usr/bin/env bash
# Builds the calibration programs with a real Go toolchain (Go 1.19 unless GO names another;
# the files below are named after its version, e.g. real-go-1.22.tsv) and runs each
# case RUNS times under GODEBUG=schedtrace=100, extracting thread counts.
# Outputs (in $OUT, default this directory):
#   real-go-1.19.tsv         case params gomaxprocs run first/peak/final threads, final idlethreads,
#                            peak run queue, and peak/final OS threads (/proc/PID/status every 20ms)
#   real-go-1.19-ops.tsv     program summary line per run (throughput, latencies)
#   real-go-1.19-series.tsv  threads= time series (every 100ms) of run 1 of each config
#   machine-go-1.19.txt      the machine the runs were on (CPU model, clocksource, kernel, date): a
#                            VM can move to other hardware between two measurements
#   costs-go-1.19.tsv        micro-costs (programs/costs; COSTS=0 skips them)
#   sleeps-go-1.19.tsv       how long nanosleep(20us) and the syscall cases' nanosleep(D) take
#                            under each case's load (programs/sleeplat; SLEEPS=0 skips them)
# Raw logs go to $LOGDIR (default $OUT/logs, git-ignored); binaries to ./bin (git-ignored).
# Usage: calibration/collect.sh            (RUNS=3 by default; ONLY=regex on "case params"
#        to run some cases only; the TSVs in $OUT are rewritten with what was run)
set -euo pipefail
cd "$(dirname "$0")"
GO=${GO:-/usr/lib/go-1.19/bin/go}
GOVER=$("$GO" env GOVERSION | sed -E 's/^go([0-9]+\.[0-9]+).*/\1/')
RUNS=${RUNS:-3}
OUT=${OUT:-.}
LOGDIR=${LOGDIR:-$OUT/logs}
ONLY=${ONLY:-.}
COSTS=${COSTS:-1}
SLEEPS=${SLEEPS:-1}
export GO111MODULE=off GOFLAGS= CGO_ENABLED=1
mkdir -p bin "$OUT" "$LOGDIR"
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true

echo "building with $($GO version)" >&2
for p in idle idlecgo syscall cgo lock timers network dialtime fileread costs sleeplat paced mix locksys cgoserver lockm0 pipewake handoff; do
  "$GO" build -o "bin/$p" "./programs/$p"
done

TSV=$OUT/real-go-$GOVER.tsv OPS=$OUT/real-go-$GOVER-ops.tsv SER=$OUT/real-go-$GOVER-series.tsv
SLP=$OUT/sleeps-go-$GOVER.tsv NET=$OUT/network-setup-go-$GOVER.tsv
printf 'case\tparams\tgomaxprocs\trun\tfirst_threads\tpeak_threads\tfinal_threads\tfinal_idlethreads\tpeak_runqueue\tpeak_os_threads\tfinal_os_threads\n' > "$TSV"
printf 'case\tparams\tgomaxprocs\trun\tsummary\n' > "$OPS"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "go: $("$GO" version)"
  echo "cpus: $(nproc)"
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "clocksource: $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource 2>/dev/null || echo unknown)"
  echo "kernel: $(uname -r)"
} > "$OUT/machine-go-$GOVER.txt"
printf 'case\tparams\tgomaxprocs\tthreads_every_100ms\n' > "$SER"

# run_case CASE PARAMS GOMAXPROCS(default|N) BIN ARGS...
run_case() {
  local cs=$1 params=$2 gmp=$3 bin=$4; shift 4
  [[ "$cs $params" =~ $ONLY ]] || return 0
  for run in $(seq 1 "$RUNS"); do
    local log="$LOGDIR/${cs}_${params// /_}_gmp${gmp}_run${run}.log"
    if [[ $gmp == default ]]; then
      env -u GOMAXPROCS GODEBUG=schedtrace=100 "./bin/$bin" "$@" > "$log" 2>&1 &
    else
      env GOMAXPROCS=$gmp GODEBUG=schedtrace=100 "./bin/$bin" "$@" > "$log" 2>&1 &
    fi
    # The OS's count (what ps -L shows), which differs from schedtrace's threads=: cgo's extra M
    # has no thread, a wedged m0 keeps one. env execs the program, so $! is its pid.
    # The last sample can catch exit_group tearing the threads down: final is the one before.
    local pid=$! os os_peak=0 os_last=0 os_final=0
    while os=$(awk '/^Threads:/{print $2}' "/proc/$pid/status" 2>/dev/null) && [[ -n $os ]]; do
      [[ $(awk '/^State:/{print $2}' "/proc/$pid/status" 2>/dev/null) == Z ]] && break
      ((os > os_peak)) && os_peak=$os
      os_final=$os_last os_last=$os
      sleep 0.02
    done
    wait "$pid"
    local row
    row=$(awk '/^SCHED/{for(i=1;i<=NF;i++){split($i,a,"=");
            if(a[1]=="threads")t=a[2]+0; if(a[1]=="idlethreads")it=a[2];
            if(a[1]=="runqueue" && a[2]+0>rq)rq=a[2]+0;
            if(a[1]=="gomaxprocs")g=a[2]}
          if(!n++)first=t; if(t>peak)peak=t; last=t; li=it}
          END{printf "%s\t%d\t%d\t%d\t%s\t%d", g, first, peak, last, li, rq}' "$log")
    local g=${row%%$'\t'*} rest=${row#*$'\t'}
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$cs" "$params" "$g" "$run" "$rest" "$os_peak" "$os_final" >> "$TSV"
    printf '%s\t%s\t%s\t%s\t%s\n' "$cs" "$params" "$g" "$run" "$(grep -v '^SCHED' "$log" | tr '\n' ' ')" >> "$OPS"
    if [[ $run == 1 ]]; then
      printf '%s\t%s\t%s\t%s\n' "$cs" "$params" "$g" \
        "$(awk '/^SCHED/{for(i=1;i<=NF;i++){split($i,a,"=");if(a[1]=="threads"){printf "%s%s",s,a[2];s=","}}}' "$log")" >> "$SER"
    fi
    echo "$cs [$params] gmp=$g run=$run -> $rest" >&2
  done
}

# (a) idle, pure Go vs cgo-linked
for g in 1 2 4; do
  run_case idle "dur=2s" "$g" idle -dur 2s
  run_case idle_cgo "dur=2s" "$g" idlecgo -dur 2s
done
# (b) blocking syscall burst (raw nanosleep through syscall.Syscall)
for n in 1 10 100; do
  for d in 100us 1ms 10ms; do
    run_case syscall "n=$n d=$d" default syscall -n "$n" -d "$d" -dur 2s
  done
done
run_case syscall "n=1 d=1ms" 1 syscall -n 1 -d 1ms -dur 2s
run_case syscall_select "n=10 d=1ms" default syscall -mode select -n 10 -d 1ms -dur 2s
# (c) cgo usleep(50ms), unbounded and bounded by a semaphore of 32
for n in 100 500; do
  run_case cgo "n=$n d=50ms sem=none" default cgo -n "$n" -d 50ms -dur 2s
  run_case cgo "n=$n d=50ms sem=32" default cgo -n "$n" -d 50ms -sem 32 -dur 2s
done
# (d) LockOSThread: exit while locked / unlock before exit / stay locked
for m in keep unlock hold; do
  run_case lock "n=100 sleep=1s mode=$m" default lock -n 100 -sleep 1s -mode "$m"
done
# (e) timers
run_case timers "n=1000 d=1ms" default timers -n 1000 -d 1ms -dur 2s
# (f) network server (client load generator in a child process)
for k in 100 1000; do
  run_case network "k=$k rate=5000 work=20us" default network -k "$k" -rate 5000 -dur 3s -work 20us
done
# ... and its start-up timed (programs/dialtime): when the child's connections are accepted
if [[ "network-setup k=1000" =~ $ONLY ]]; then
  printf 'run\tk\tfirst_accept_ms\tlast_accept_ms\tchild_done_ms\n' > "$NET"
  for run in $(seq 1 "$RUNS"); do
    row=$(./bin/dialtime -k 1000)
    printf '%s\t%s\n' "$run" "$row" >> "$NET"
    echo "network-setup [k=1000] run=$run -> $row" >&2
  done
fi
# (g) page-cache-hot small file reads
for n in 1 10 100; do
  run_case fileread "n=$n size=4096" default fileread -n "$n" -size 4096 -dur 2s
done

# (i) the same programs at other settings, added after the model was built (nothing was fitted
# to them): other GOMAXPROCS, shorter sleeps, shorter cgo calls
for g in 1 4 8; do
  for d in 100us 1ms; do
    run_case syscall "n=100 d=$d" "$g" syscall -n 100 -d "$d" -dur 2s
  done
done
run_case syscall "n=100 d=20us" default syscall -n 100 -d 20us -dur 2s
for d in 100us 1ms; do
  run_case cgo "n=100 d=$d sem=none" default cgo -n 100 -d "$d" -dur 2s
done
run_case cgo "n=20 d=10ms sem=none" 4 cgo -n 20 -d 10ms -dur 2s
run_case cgo "n=100 d=50ms sem=32" 4 cgo -n 100 -d 50ms -sem 32 -dur 2s
run_case lock "n=100 sleep=1s mode=keep" 4 lock -n 100 -sleep 1s -mode keep
run_case fileread "n=100 size=4096" 4 fileread -n 100 -size 4096 -dur 2s
# (j) requests started from a time.Sleep(200us) loop (timers run by whichever P schedules)
for g in 2 4; do
  run_case paced "n=1000 gap=200us d=2ms" "$g" paced -n 1000 -gap 200us -d 2ms
done
# (k) CPU-bound goroutines beside blocking syscalls
run_case mix "cpu=4 sys=20 d=1ms" 2 mix -cpu 4 -sys 20 -d 1ms
run_case mix "cpu=4 sys=20 d=1ms" 4 mix -cpu 4 -sys 20 -d 1ms
run_case mix "cpu=0 sys=20 d=1ms" 2 mix -cpu 0 -sys 20 -d 1ms
run_case mix "cpu=4 sys=20 d=1ms sleep=5ms" 2 mix -cpu 4 -sys 20 -d 1ms -sleep 5ms
run_case mix "cpu=2 sys=100 d=10ms" 2 mix -cpu 2 -sys 100 -d 10ms
# (l) the network server with a blocking syscall per request (workload B's shape)
for sys in 1ms 2ms; do
  run_case network "k=1000 rate=5000 work=20us sys=$sys" 2 network -k 1000 -rate 5000 -dur 3s -work 20us -sys "$sys"
done
run_case network "k=100 rate=5000 work=20us sys=1ms" 2 network -k 100 -rate 5000 -dur 3s -work 20us -sys 1ms
# (m) locked and unlocked goroutines in blocking syscalls until a deadline
run_case locksys "n=20 m=0 d=1ms" 2 locksys -n 20 -m 0 -d 1ms
run_case locksys "n=20 m=50 d=1ms" 2 locksys -n 20 -m 50 -d 1ms
run_case locksys "n=50 m=50 d=100us" 2 locksys -n 50 -m 50 -d 100us

# (o) goroutines exiting locked, the first on m0 (GOMAXPROCS=1 puts it there): m0 is wedged, so
# threads= and the OS count part by one
for g in 1 2; do
  run_case lockm0 "n=10 d=300ms" "$g" lockm0 -n 10 -d 300ms -tail 1s
done
# (p) the server and its load generator on the same 2 cores, at rates that do and do not
# saturate them (20us of CPU per request on the server, the client's own work beside it)
for rate in 2000 20000 50000; do
  run_case network "k=100 rate=$rate work=20us" 2 network -k 100 -rate "$rate" -dur 3s -work 20us
done
run_case network "k=100 rate=20000 work=20us" 4 network -k 100 -rate 20000 -dur 3s -work 20us
for rate in 2000 20000; do
  run_case network "k=100 rate=$rate work=20us sys=50us" 2 network -k 100 -rate "$rate" -dur 3s -work 20us -sys 50us
done
# (q) allocating handlers and the GC: os.ReadFile of a 4KB file per request (the issue's server),
# then 16KB more per request, at several GOGC values
head -c 4096 /dev/zero | tr '\0' x > bin/small.txt
for gogc in 100 off; do
  run_case network "k=100 rate=10000 work=20us readfile=4KB gogc=$gogc" 2 network -k 100 -rate 10000 -dur 3s -work 20us -readfile bin/small.txt -gogc "$gogc"
done
for gogc in 50 100 400 off; do
  run_case network "k=100 rate=10000 work=20us readfile=4KB alloc=16KB gogc=$gogc" 2 network -k 100 -rate 10000 -dur 3s -work 20us -readfile bin/small.txt -alloc 16384 -gogc "$gogc"
done
# (r) goroutines woken through the netpoller by other goroutines' pipe writes, and (s) hand-offs
# over an unbuffered channel to consumers in blocking syscalls (the scenario language, issue 12)
run_case pipewake "n=100 every=1ms sys=0" 2 pipewake -n 100 -every 1ms -dur 2s
run_case pipewake "n=100 every=1ms sys=100us" 2 pipewake -n 100 -every 1ms -sys 100us -dur 2s
run_case handoff "n=10 d=1ms" 2 handoff -n 10 -d 1ms -dur 2s
run_case handoff "n=100 d=100us" 2 handoff -n 100 -d 100us -dur 2s

# (n) workload C as a real server: 5000 keep-alive connections, think exp(500ms), a 50ms cgo
# call per request, GOMAXPROCS=4. Its outcome varies from run to run (some runs stall with
# every P held in C, see MEASUREMENTS.md), so it is run SPREAD_RUNS times (default 10).
RUNS=${SPREAD_RUNS:-10} run_case cgoserver "k=5000 think=500ms d=50ms" 4 cgoserver -k 5000 -think 500ms -d 50ms -dur 3s

# (h) sleep lengths under the syscall cases' loads: the 20us nanosleep of a thread outside the
# scheduler (sysmon's usleep(20)) and the case's own nanosleep(D), on a C thread beside the load
# run_sleeps N D GOMAXPROCS(default|N)
run_sleeps() {
  local n=$1 d=$2 gmp=$3
  [[ "sleeps n=$n d=$d" =~ $ONLY ]] || return 0
  for run in $(seq 1 "$RUNS"); do
    local out g
    if [[ $gmp == default ]]; then
      out=$(env -u GOMAXPROCS ./bin/sleeplat -n "$n" -d "$d" -dur 2s -idle 1s); g=$(nproc)
    else
      out=$(GOMAXPROCS=$gmp ./bin/sleeplat -n "$n" -d "$d" -dur 2s -idle 1s); g=$gmp
    fi
    grep -v '^#' <<<"$out" | while IFS= read -r line; do
      printf 'syscall\tn=%s d=%s\t%s\t%s\t%s\n' "$n" "$d" "$g" "$run" "$line" >> "$SLP"
    done
    echo "sleeps [n=$n d=$d] gmp=$g run=$run: $(grep '^load' <<<"$out" | cut -f2,8,9 | tr '\t\n' '= ')" >&2
  done
}
if [[ $SLEEPS == 1 ]]; then
  printf 'case\tparams\tgomaxprocs\trun\tphase\tsleep\tsamples' > "$SLP"
  printf '\tp%s_ns' 5 15 25 35 45 55 65 75 85 95 99 >> "$SLP"
  printf '\n' >> "$SLP"
  for n in 1 10 100; do
    for d in 100us 1ms 10ms; do
      run_sleeps "$n" "$d" default
    done
  done
  run_sleeps 1 1ms 1
fi

# micro-costs
if [[ $COSTS == 1 ]] && [[ costs =~ $ONLY || $ONLY == . ]]; then
  printf 'name\tmedian_ns\tp90_ns\tmethod\n' > "$OUT/costs-go-$GOVER.tsv"
  ./bin/costs >> "$OUT/costs-go-$GOVER.tsv"
  cat "$OUT/costs-go-$GOVER.tsv" >&2
fi
