#!/usr/bin/env bash
# Starts N GMPsim worker nodes on 127.0.0.1 (ports BASE, BASE+1, ...), the first one seeding the
# cluster. Then submit sweeps with: ./gmpsim sweep FILE --out DIR --join 127.0.0.1:BASE
#
#   deploy/local-cluster.sh 3            # three nodes from port 25520
#   deploy/local-cluster.sh 2 26000      # two nodes from port 26000 (a second cluster)
#   deploy/local-cluster.sh stop         # stop every node this script started, wait until they exit
#
# It refuses to start when a port is taken (by a node started earlier or anything else), and
# reports a node that dies while starting (exit 1) instead of printing its pid. Pids go to
# $GMPSIM_CLUSTER_STATE/pids (default deploy/.cluster/pids), one "pid port" line per node;
# a later start adds to it. Environment: GMPSIM_PARALLELISM (runs at once per node, default 1),
# GMPSIM_START_WAIT / GMPSIM_STOP_WAIT (seconds, default 60 / 30), GMPSIM_CLASSPATH (run the
# nodes from this class path instead of building the jar), GMPSIM_JAVA (default java).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
state="${GMPSIM_CLUSTER_STATE:-$here/.cluster}"
pids="$state/pids"
java="${GMPSIM_JAVA:-java}"
me="local-cluster.sh"

# Is $1 a live GMPsim node (not a process that got a recycled pid)?
is_node() {
  local args
  if [ -r "/proc/$1/cmdline" ]; then
    args="$(tr '\0' ' ' < "/proc/$1/cmdline" 2>/dev/null)" || return 1
  else
    args="$(ps -ww -p "$1" -o args= 2>/dev/null)" || return 1
  fi
  case "$args" in *dev.gmpsim.cli.Main\ node*|*gmpsim.jar\ node*) return 0 ;; *) return 1 ;; esac
}

# Is process $1 running (not exited, not a zombie)? For a node just started, whose command line
# may still be the forked shell's.
running() {
  kill -0 "$1" 2>/dev/null || return 1
  [ -r "/proc/$1/stat" ] || return 0
  [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)" != "Z" ]
}

# The lines of the pids file whose node is still running.
live_entries() {
  [ -f "$pids" ] || return 0
  local pid port
  while read -r pid port; do
    [ -n "${pid:-}" ] && is_node "$pid" && echo "$pid ${port:-?}"
  done < "$pids"
  return 0
}

listening() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

if [ "${1:-}" = "stop" ]; then
  entries="$(live_entries)"
  if [ -z "$entries" ]; then
    rm -f "$pids"
    echo "no nodes started from here are running"
    exit 0
  fi
  wait_s="${GMPSIM_STOP_WAIT:-30}"
  count=0
  while read -r pid port; do
    kill -TERM "$pid" 2>/dev/null || true
    count=$((count + 1))
  done <<< "$entries"
  echo "waiting for $count node(s) to leave the cluster and exit (up to ${wait_s}s)..."
  deadline=$((SECONDS + wait_s))
  while [ -n "$(live_entries)" ] && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
  left="$(live_entries)"
  if [ -n "$left" ]; then
    while read -r pid port; do
      echo "node pid $pid (port $port) did not exit in ${wait_s}s: killing it"
      kill -KILL "$pid" 2>/dev/null || true
    done <<< "$left"
    sleep 0.5
  fi
  rm -f "$pids"
  echo "stopped $count node(s)"
  exit 0
fi

usage="usage: $me N [BASE_PORT] | stop"
n="${1:-}"
base="${2:-25520}"
case "$n" in ''|*[!0-9]*) echo "$me: N must be a number of nodes; $usage" >&2; exit 2 ;; esac
case "$base" in ''|*[!0-9]*) echo "$me: BASE_PORT must be a number; $usage" >&2; exit 2 ;; esac
if [ "$n" -lt 1 ] || [ "$base" -lt 1 ] || [ $((base + n - 1)) -gt 65535 ]; then
  echo "$me: need N >= 1 and ports $base..$((base + n - 1)) within 1-65535" >&2
  exit 2
fi
parallelism="${GMPSIM_PARALLELISM:-1}"
mkdir -p "$state"

# Keep only the nodes still running, then check every port before starting anything.
entries="$(live_entries)"
if [ -n "$entries" ]; then echo "$entries" > "$pids"; else : > "$pids"; fi
for i in $(seq 0 $((n - 1))); do
  port=$((base + i))
  owner="$(awk -v p="$port" '$2 == p { print $1 }' "$pids")"
  if [ -n "$owner" ]; then
    echo "$me: port $port is in use by node pid $owner started earlier; run '$me stop' first or give another BASE_PORT" >&2
    exit 2
  fi
  if listening "$port"; then
    echo "$me: port $port is in use by another program; give another BASE_PORT" >&2
    exit 2
  fi
done

# As ./gmpsim: out of memory ends the node at once (one line in its log), never a hung JVM.
jvm=(-Xss4m -XX:+ExitOnOutOfMemoryError -XX:+DisplayVMOutputToStderr)
if [ -n "${GMPSIM_CLASSPATH:-}" ]; then
  launch=("$java" "${jvm[@]}" -cp "$GMPSIM_CLASSPATH" dev.gmpsim.cli.Main node)
else
  "$root/gmpsim" --version > /dev/null   # builds the jar if needed
  launch=("$java" "${jvm[@]}" -jar "$root/coordinator/target/gmpsim.jar" node)
fi

started=()
# Stops the nodes this call started and drops them from the pids file.
undo() {
  local pid
  for pid in "${started[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${started[@]}"; do
    for _ in $(seq 1 50); do running "$pid" || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    awk -v p="$pid" '$1 != p' "$pids" > "$pids.tmp" && mv "$pids.tmp" "$pids"
  done
}

# Waits until node $1 (pid $2, log $3) says it is up; on failure undoes this call and exits 1.
await_up() {
  local i=$1 pid=$2 log=$3 deadline=$((SECONDS + ${GMPSIM_START_WAIT:-60}))
  until grep -q "up:" "$log" 2>/dev/null; do
    if ! running "$pid"; then
      echo "$me: node $i (port $((base + i))) did not start: $(grep -m 1 '^gmpsim:' "$log" || tail -n 1 "$log")" >&2
      undo
      exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "$me: node $i (port $((base + i))) is not up after ${GMPSIM_START_WAIT:-60}s (log $log); stopping what this call started" >&2
      undo
      exit 1
    fi
    sleep 0.2
  done
}

start_node() {
  local i=$1 port=$((base + $1)) seeds=()
  [ "$i" -gt 0 ] && seeds=(--seed-nodes "127.0.0.1:$base")
  nohup "${launch[@]}" --port "$port" --parallelism "$parallelism" ${seeds[@]+"${seeds[@]}"} \
    > "$state/node-$port.log" 2>&1 &
  local pid=$!
  started+=("$pid")
  echo "$pid $port" >> "$pids"
}

start_node 0
await_up 0 "${started[0]}" "$state/node-$base.log"
for i in $(seq 1 $((n - 1))); do start_node "$i"; done
for i in $(seq 1 $((n - 1))); do await_up "$i" "${started[$i]}" "$state/node-$((base + i)).log"; done
for i in $(seq 0 $((n - 1))); do
  echo "node $i: 127.0.0.1:$((base + i)) (pid ${started[$i]}, log $state/node-$((base + i)).log)"
done
echo "submit with: ./gmpsim sweep FILE --out DIR --join 127.0.0.1:$base"
