#!/usr/bin/env bash
# Starts N GMPsim worker nodes on 127.0.0.1 (ports BASE, BASE+1, ...), the first one seeding the
# cluster. Then submit sweeps with: ./gmpsim sweep FILE --out DIR --join 127.0.0.1:BASE
#
#   deploy/local-cluster.sh 3            # three nodes from port 25520
#   deploy/local-cluster.sh 2 26000      # two nodes from port 26000
#   deploy/local-cluster.sh stop         # stop the nodes this script started
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
state="$here/.cluster"

if [ "${1:-}" = "stop" ]; then
  if [ -f "$state/pids" ]; then
    while read -r pid; do kill "$pid" 2>/dev/null || true; done < "$state/pids"
    rm -f "$state/pids"
    echo "stopped"
  else
    echo "no nodes started from here"
  fi
  exit 0
fi

n="${1:?usage: local-cluster.sh N [BASE_PORT] | stop}"
base="${2:-25520}"
parallelism="${GMPSIM_PARALLELISM:-1}"
mkdir -p "$state"
"$root/gmpsim" --version > /dev/null   # builds the jar if needed
jar="$root/coordinator/target/gmpsim.jar"
: > "$state/pids"
for i in $(seq 0 $((n - 1))); do
  port=$((base + i))
  seeds=""
  [ "$i" -gt 0 ] && seeds="--seed-nodes 127.0.0.1:$base"
  # shellcheck disable=SC2086
  nohup java -Xss4m -jar "$jar" node --port "$port" --parallelism "$parallelism" $seeds \
    > "$state/node-$i.log" 2>&1 &
  echo $! >> "$state/pids"
  echo "node $i: 127.0.0.1:$port (pid $!, log $state/node-$i.log)"
  [ "$i" -eq 0 ] && sleep 3
done
echo "submit with: ./gmpsim sweep FILE --out DIR --join 127.0.0.1:$base"
