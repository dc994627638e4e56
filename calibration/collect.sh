#!/usr/bin/env bash
# Builds the calibration programs with the real Go 1.19 toolchain and runs each
# case RUNS times under GODEBUG=schedtrace=100, extracting thread counts.
# Outputs (in this directory):
#   real-go-1.19.tsv         case params gomaxprocs run first/peak/final threads, final idlethreads
#   real-go-1.19-ops.tsv     program summary line per run (throughput, latencies)
#   real-go-1.19-series.tsv  threads= time series (every 100ms) of run 1 of each config
#   costs-go-1.19.tsv        micro-costs (programs/costs)
# Raw logs go to $LOGDIR (default ./logs, git-ignored); binaries to ./bin (git-ignored).
# Usage: calibration/collect.sh            (RUNS=3 by default; ONLY=regex to filter cases)
set -euo pipefail
cd "$(dirname "$0")"
GO=${GO:-/usr/lib/go-1.19/bin/go}
RUNS=${RUNS:-3}
LOGDIR=${LOGDIR:-logs}
ONLY=${ONLY:-.}
export GO111MODULE=off GOFLAGS= CGO_ENABLED=1
mkdir -p bin "$LOGDIR"
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true

echo "building with $($GO version)" >&2
for p in idle idlecgo syscall cgo lock timers network fileread costs; do
  "$GO" build -o "bin/$p" "./programs/$p"
done

TSV=real-go-1.19.tsv OPS=real-go-1.19-ops.tsv SER=real-go-1.19-series.tsv
printf 'case\tparams\tgomaxprocs\trun\tfirst_threads\tpeak_threads\tfinal_threads\tfinal_idlethreads\n' > "$TSV"
printf 'case\tparams\tgomaxprocs\trun\tsummary\n' > "$OPS"
printf 'case\tparams\tgomaxprocs\tthreads_every_100ms\n' > "$SER"

# run_case CASE PARAMS GOMAXPROCS(default|N) BIN ARGS...
run_case() {
  local cs=$1 params=$2 gmp=$3 bin=$4; shift 4
  [[ "$cs $params" =~ $ONLY ]] || return 0
  for run in $(seq 1 "$RUNS"); do
    local log="$LOGDIR/${cs}_${params// /_}_gmp${gmp}_run${run}.log"
    if [[ $gmp == default ]]; then
      env -u GOMAXPROCS GODEBUG=schedtrace=100 "./bin/$bin" "$@" > "$log" 2>&1
    else
      GOMAXPROCS=$gmp GODEBUG=schedtrace=100 "./bin/$bin" "$@" > "$log" 2>&1
    fi
    local row
    row=$(awk '/^SCHED/{for(i=1;i<=NF;i++){split($i,a,"=");
            if(a[1]=="threads")t=a[2]+0; if(a[1]=="idlethreads")it=a[2];
            if(a[1]=="gomaxprocs")g=a[2]}
          if(!n++)first=t; if(t>peak)peak=t; last=t; li=it}
          END{printf "%s\t%d\t%d\t%d\t%s", g, first, peak, last, li}' "$log")
    local g=${row%%$'\t'*} rest=${row#*$'\t'}
    printf '%s\t%s\t%s\t%s\t%s\n' "$cs" "$params" "$g" "$run" "$rest" >> "$TSV"
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
# (g) page-cache-hot small file reads
for n in 1 10 100; do
  run_case fileread "n=$n size=4096" default fileread -n "$n" -size 4096 -dur 2s
done

# micro-costs
if [[ costs =~ $ONLY || $ONLY == . ]]; then
  printf 'name\tmedian_ns\tp90_ns\tmethod\n' > costs-go-1.19.tsv
  ./bin/costs >> costs-go-1.19.tsv
  cat costs-go-1.19.tsv >&2
fi
