#!/usr/bin/env bash
# Unpacks Go VERSION from Debian's unstable archive into calibration/.go/go-VERSION without
# installing or upgrading anything: a private apt configuration downloads golang-VERSION-go and
# golang-VERSION-src, and dpkg -x unpacks both (the toolchain finds its sources beside it).
#
#   calibration/fetch-go.sh 1.26   # then: calibration/.go/go-1.26/usr/lib/go-1.26/bin/go version
set -euo pipefail
ver=${1:?usage: fetch-go.sh VERSION (e.g. 1.26)}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dest=$here/.go/go-$ver
go=$dest/usr/lib/go-$ver/bin/go
if [[ -x $go ]]; then
  echo "fetch-go.sh: $("$go" version) already in $dest"
  exit 0
fi
apt=$here/.go/apt
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/sources" "$apt/debs"
cat > "$apt/sources/sid.sources" <<SRC
Types: deb
URIs: http://deb.debian.org/debian
Suites: sid
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
opts=(-o "Dir::Etc::sourcelist=/dev/null" -o "Dir::Etc::sourceparts=$apt/sources"
  -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o "Debug::NoLocking=1"
  -o "APT::Sandbox::User=root")
echo "fetch-go.sh: reading Debian unstable's package list (private to $apt)"
apt-get "${opts[@]}" update -q >/dev/null
(cd "$apt/debs" && apt-get "${opts[@]}" download "golang-$ver-go" "golang-$ver-src" >/dev/null)
rm -rf "$dest.tmp" && mkdir -p "$dest.tmp"
for deb in "$apt/debs"/golang-"$ver"-*.deb; do dpkg -x "$deb" "$dest.tmp"; done
mv "$dest.tmp" "$dest"
echo "fetch-go.sh: $("$go" version) in $dest"
