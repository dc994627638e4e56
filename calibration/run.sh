#!/usr/bin/env bash
# Measures the real Go 1.19 runtime on this machine and compares GMPsim's predictions with it.
#
#   calibration/run.sh                 # everything: ~6 min on 2 cores
#   RUNS=1 ONLY=network calibration/run.sh
#   calibration/run.sh --model-only    # no real runs: compare with the stored real-go-1.19.tsv
#   GOVER=1.22 calibration/run.sh      # another Go (Debian's golang-1.22-go, from backports);
#                                      # the mirrors then run under that version's rules
#   GOVER=1.26 calibration/run.sh      # Go 1.26 from Debian's unstable archive, unpacked into
#                                      # calibration/.go (no system upgrade; see fetch-go.sh)
#
# 1. Installs what is missing with apt-get (as root, or through sudo): Go $GOVER (default 1.19,
#    golang-$GOVER-go in /usr/lib/go-$GOVER; 1.21 and later come from bookworm-backports, which
#    is added when needed), gcc for the cgo programs, python3, and a JDK 17 and Maven.
# 2. Builds GMPsim if needed (./gmpsim builds the jar when it is missing or stale).
# 3. Runs the real programs with collect.sh: each case RUNS times (default 3) under
#    GODEBUG=schedtrace=100; ONLY is a regex on "case params" (e.g. '^syscall n=100 ', network).
#    Results go to OUT (default calibration/out/<UTC time>, git-ignored); the measurements
#    kept in calibration/ are not touched.
# 4. Runs each mirror scenario (calibration/scenarios/) with `gmpsim run --json` and prints one
#    table (compare.py): real peak and final threads (median of the runs), predicted peak and
#    final, the error (model - real, threads and %), whether the peak is within 20% or 2
#    threads, and the count. The table is also written to OUT/compare.txt.
#
# Works from any directory. Exits non-zero only when something fails (an install, the build, a
# real program, a model run), not when a prediction misses the tolerance.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
GOVER=${GOVER:-1.19}
if [[ -z ${GO:-} && ! -x /usr/lib/go-$GOVER/bin/go && -x $here/.go/go-$GOVER/usr/lib/go-$GOVER/bin/go ]]; then
  GO=$here/.go/go-$GOVER/usr/lib/go-$GOVER/bin/go
fi
GO=${GO:-/usr/lib/go-$GOVER/bin/go}
RUNS=${RUNS:-3}
ONLY=${ONLY:-.}
model_only=0

for arg in "$@"; do
  case $arg in
    --model-only) model_only=1 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $arg (try --help)" >&2; exit 2 ;;
  esac
done

log() { echo "run.sh: $*" >&2; }

# --- 1. what the machine needs ---
missing=()
if [[ $model_only == 0 && ! -x $GO ]] && ! apt-cache show "golang-$GOVER-go" >/dev/null 2>&1 \
    && ! apt-cache show -o "Dir::Etc::sourcelist=/dev/null" "golang-$GOVER-go" >/dev/null 2>&1 \
    && [[ $GOVER == 1.2[4-9]* ]]; then
  # Newer than stable and backports: unpack unstable's packages into calibration/.go.
  "$here/fetch-go.sh" "$GOVER" >&2
  GO=$here/.go/go-$GOVER/usr/lib/go-$GOVER/bin/go
fi
if [[ $model_only == 0 ]]; then
  [[ -x $GO ]] || missing+=("golang-$GOVER-go")
  command -v gcc >/dev/null || missing+=(gcc libc6-dev)
fi
command -v python3 >/dev/null || missing+=(python3)
java_major() { java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
if ! command -v java >/dev/null || [[ $(java_major) -lt 17 ]]; then missing+=(openjdk-17-jdk-headless); fi
command -v mvn >/dev/null || missing+=(maven)
if ((${#missing[@]})); then
  if [[ $(id -u) == 0 ]]; then sudo=(); elif command -v sudo >/dev/null; then sudo=(sudo); else
    log "missing ${missing[*]} and not root (no sudo): install them with apt-get"; exit 1
  fi
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if [[ " ${missing[*]} " == *" golang-$GOVER-go "* ]] && ! apt-cache show "golang-$GOVER-go" >/dev/null 2>&1; then
    codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
    log "golang-$GOVER-go is not in the configured archives: adding $codename-backports"
    echo "deb http://deb.debian.org/debian $codename-backports main" |
      "${sudo[@]}" tee "/etc/apt/sources.list.d/$codename-backports.list" >/dev/null
  fi
  "${sudo[@]}" apt-get update -q >&2
  "${sudo[@]}" apt-get install -y -q "${missing[@]}" >&2
fi

# --- 2. GMPsim ---
log "building GMPsim if needed"
"$root/gmpsim" --version >/dev/null

# --- 3. the real programs ---
if [[ $model_only == 1 ]]; then
  real=$here/real-go-$GOVER.tsv
  OUT=${OUT:-}
  log "model only: comparing with $real"
else
  OUT=${OUT:-$here/out/$(date -u +%Y%m%dT%H%M%SZ)}
  mkdir -p "$OUT"
  OUT=$(cd "$OUT" && pwd)
  log "real programs: RUNS=$RUNS ONLY=$ONLY -> $OUT"
  ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)" || true
  OUT=$OUT RUNS=$RUNS ONLY=$ONLY GO=$GO COSTS=0 SLEEPS=0 "$here/collect.sh"
  real=$OUT/real-go-$GOVER.tsv
fi

# --- 4. the model against them ---
log "mirror scenarios"
only_arg=()
[[ $ONLY == . ]] || only_arg=(--only "$ONLY")
[[ $GOVER == 1.19 ]] || only_arg+=(--go "$GOVER")
set +e
if [[ -n ${OUT:-} ]]; then
  python3 "$here/compare.py" --real "$real" "${only_arg[@]}" | tee "$OUT/compare.txt"
  status=${PIPESTATUS[0]}
else
  python3 "$here/compare.py" --real "$real" "${only_arg[@]}"
  status=$?
fi
set -e
[[ -z ${OUT:-} ]] || log "real data and the table are in $OUT"
exit "$status"
