#!/usr/bin/env bash
# Builds a calibration program against a copy of Go's runtime patched to say why sysmon
# retakes (retake_trace_patch.py), so that a run shows what started the threads' growth:
#
#   calibration/retake-trace.sh 1.26 network    # -> calibration/bin/trace-1.26/network
#   GOMAXPROCS=2 GODEBUG=schedtrace=1000 calibration/bin/trace-1.26/network \
#       -k 1000 -rate 5000 -dur 3s -work 20us -sys 1ms 2>&1 | grep -E 'DBG|^SCHED'
#
# DBGPRE lines: the schedtick rule fired (a P ran one time slice for 10ms): age is how long
# since its G was started (us), nsys how many syscalls the P finished since, insyscall whether
# the G is in one (then the P is retaken). DBGRT lines: a P taken, sched=true by that rule,
# false by the two-rounds rule. schedtrace's first line gains rtsched, rtsys and sysmon's
# delay (us). Go 1.19 (/usr/lib/go-1.19) and 1.26 (calibration/fetch-go.sh's) are known.
# The copy lives in calibration/.go/trace-VERSION (git-ignored); the system's Go is untouched.
set -euo pipefail
ver=${1:?usage: retake-trace.sh VERSION PROGRAM}
prog=${2:?usage: retake-trace.sh VERSION PROGRAM}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src=/usr/lib/go-$ver
[[ -x $src/bin/go ]] || src=$here/.go/go-$ver/usr/lib/go-$ver
[[ -x $src/bin/go ]] || { "$here/fetch-go.sh" "$ver" >&2; src=$here/.go/go-$ver/usr/lib/go-$ver; }
copy=$here/.go/trace-$ver
if [[ ! -x $copy/bin/go ]]; then
  rm -rf "$copy.tmp" && mkdir -p "$copy.tmp"
  # -L: Debian's GOROOT links src, api, misc... into /usr/share; the copy must own them.
  cp -rL "$src"/. "$copy.tmp"/
  python3 "$here/retake_trace_patch.py" "$copy.tmp"
  mv "$copy.tmp" "$copy"
fi
mkdir -p "$here/bin/trace-$ver"
(cd "$here/programs/$prog" && GO111MODULE=off GOROOT=$copy GOTOOLCHAIN=local \
  "$copy/bin/go" build -o "$here/bin/trace-$ver/$prog" .)
echo "retake-trace.sh: $here/bin/trace-$ver/$prog ($("$copy/bin/go" version), runtime patched)"
