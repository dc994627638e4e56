#!/usr/bin/env bash
# Builds the GMPsim node image from deploy/Dockerfile with podman (no daemon; --isolation chroot),
# then checks it without a container runtime: mounts the image's filesystem and runs the image's
# own entrypoint in it with chroot, as the image's user, until the node listens on its port.
#
#   deploy/build-image.sh            # -> localhost/gmpsim:0.1.0 and localhost/gmpsim:latest
#
# Where the Dockerfile's base image (DEBIAN_IMAGE) cannot be pulled (no registry reachable), it is
# made here first from Debian's package mirror: debootstrap --variant=minbase of the same release,
# trimmed like Debian's -slim images, and imported under the Dockerfile's name with podman import.
# A base image already in podman's storage is used as it is (made once, then cached).
#
# Environment:
#   IMAGE (gmpsim), TAG (0.1.0)        the image's name and version tag (also tagged :latest)
#   DEBIAN_MIRROR                      for debootstrap (http://deb.debian.org/debian)
#   NODE_PORT (25590)                  GMPSIM_PORT of the node the check starts (the host's network
#                                      is shared: a port other nodes here do not use)
#   MGMT_PORT (25591)                  Akka Management's port in the check (GMPSIM_MANAGEMENT=on)
#   CHECK_PORT (MGMT_PORT)             the TCP port that must listen for the check to pass; then
#                                      GET /ready on MGMT_PORT must answer 200
#   CHECK_HOST (127.0.0.1)             GMPSIM_HOST for the check; empty: the image's default
#                                      (hostname -i, which in a chroot is the host's address)
#   CHECK_WAIT (120)                   seconds the node has to come up
#   SKIP_CHECK=1                       build only
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dockerfile="$root/deploy/Dockerfile"
IMAGE=${IMAGE:-gmpsim}
TAG=${TAG:-0.1.0}
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
NODE_PORT=${NODE_PORT:-25590}
MGMT_PORT=${MGMT_PORT:-25591}
CHECK_PORT=${CHECK_PORT:-$MGMT_PORT}
CHECK_HOST=${CHECK_HOST-127.0.0.1}
CHECK_WAIT=${CHECK_WAIT:-120}
ref="localhost/$IMAGE:$TAG"

say() { echo "build-image: $*" >&2; }
die() { say "$*"; exit 1; }
elapsed() { echo $(( $(date +%s) - $1 ))s; }

[[ $(id -u) == 0 ]] || die "run as root (podman image mount, debootstrap and chroot need it)"
if ! command -v podman >/dev/null; then
  say "installing podman (apt-get install -y podman)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y podman >/dev/null
fi
t_all=$(date +%s)

# ---- the base image ---------------------------------------------------------------------------
base=$(sed -n 's/^ARG DEBIAN_IMAGE=//p' "$dockerfile")
[[ -n $base ]] || die "no 'ARG DEBIAN_IMAGE=' line in $dockerfile"
release=${base##*:}; release=${release%%-*}   # docker.io/library/debian:12.11-slim -> 12.11

make_base() {
  command -v debootstrap >/dev/null || {
    say "installing debootstrap (apt-get install -y debootstrap)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y debootstrap >/dev/null
  }
  local dir t
  t=$(date +%s)
  dir=$(mktemp -d /var/tmp/gmpsim-base.XXXXXX)
  # shellcheck disable=SC2064
  trap "rm -rf '$dir'" EXIT
  say "making $base: debootstrap --variant=minbase bookworm from $DEBIAN_MIRROR"
  debootstrap --variant=minbase bookworm "$dir/rootfs" "$DEBIAN_MIRROR" > "$dir/debootstrap.log" 2>&1 \
    || { tail -20 "$dir/debootstrap.log" >&2; die "debootstrap failed"; }
  local got
  got=$(cat "$dir/rootfs/etc/debian_version")
  [[ $got == "$release" ]] || say "WARNING: the Dockerfile pins Debian $release, the mirror gave $got"
  # As Debian's images: deb822 sources with updates and security, no docs/man/locales from later
  # apt installs (debian:*-slim's dpkg excludes), no apt caches, no host files.
  rm -f "$dir/rootfs/etc/apt/sources.list"
  cat > "$dir/rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  cat > "$dir/rootfs/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
EOF
  cat > "$dir/rootfs/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  (cd "$dir/rootfs" && find usr/share/doc -mindepth 1 -not -name copyright -not -type d -delete \
    && rm -rf usr/share/man/* usr/share/info/* usr/share/locale/* var/cache/apt/* var/lib/apt/lists/* \
       var/log/*.log var/log/apt/* tmp/* etc/hostname etc/resolv.conf)
  : > "$dir/rootfs/etc/hostname"
  tar --numeric-owner -C "$dir/rootfs" -c . \
    | podman import --change 'CMD ["bash"]' \
        --change "LABEL dev.gmpsim.base=made-by-build-image.sh debian_version=$got" \
        --message "debootstrap --variant=minbase bookworm $DEBIAN_MIRROR (GMPsim deploy/build-image.sh)" \
        - "$base" >/dev/null
  rm -rf "$dir"
  trap - EXIT
  say "made $base (Debian $got) in $(elapsed "$t"), $(podman image inspect --format "{{.Size}}" "$base" | numfmt --to=iec --suffix=B)"
}

if podman image exists "$base"; then
  say "base image $base: present ($(podman image inspect --format '{{index .Labels "dev.gmpsim.base"}}' "$base" 2>/dev/null || true))"
elif timeout 120 podman pull -q "$base" >/dev/null 2>&1; then
  say "base image $base: pulled"
else
  say "base image $base: cannot be pulled (no registry reachable); making it from Debian's packages"
  make_base
fi

# ---- the image --------------------------------------------------------------------------------
# A machine whose TLS goes through an intercepting proxy trusts its CA from
# /usr/local/share/ca-certificates; Debian's JDK in the build stage does not. Then the build stage's
# Maven reads this machine's Java truststore, mounted for the build only (it is not in the image).
extra=()
host_cacerts=/etc/ssl/certs/java/cacerts
if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null && [[ -f $host_cacerts && ${HOST_TRUSTSTORE:-1} == 1 ]]; then
  say "this machine trusts extra CAs ($(cd /usr/local/share/ca-certificates && ls -- *.crt | paste -sd' ')):" \
      "the build stage's Maven uses $host_cacerts (HOST_TRUSTSTORE=0: not)"
  extra+=(-v "$host_cacerts:/run/host-cacerts:ro" --build-arg "MAVEN_OPTS=-Djavax.net.ssl.trustStore=/run/host-cacerts")
fi
say "podman build --isolation chroot -f deploy/Dockerfile -t $ref -t localhost/$IMAGE:latest ${extra[*]} ."
t=$(date +%s)
podman build --isolation chroot --pull=never "${extra[@]}" -f "$dockerfile" -t "$ref" -t "localhost/$IMAGE:latest" "$root" \
  || die "podman build failed after $(elapsed "$t")"
t_build=$(elapsed "$t")
say "built $ref in $t_build"

# ---- the check: the image's entrypoint in its own filesystem ------------------------------------
check="skipped (SKIP_CHECK)"
if [[ ${SKIP_CHECK:-} != 1 ]]; then
  for p in "$NODE_PORT" "$MGMT_PORT" "$CHECK_PORT"; do
    [[ -z $(ss -ltnH "sport = :$p") ]] || die "port $p is in use here; give NODE_PORT (and CHECK_PORT)"
  done
  user=$(podman image inspect --format '{{.Config.User}}' "$ref")
  workdir=$(podman image inspect --format '{{.Config.WorkingDir}}' "$ref")
  mapfile -t entry < <(podman image inspect --format '{{range .Config.Entrypoint}}{{println .}}{{end}}' "$ref" | sed '/^$/d')
  mapfile -t cmd < <(podman image inspect --format '{{range .Config.Cmd}}{{println .}}{{end}}' "$ref" | sed '/^$/d')
  mapfile -t envs < <(podman image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$ref" | sed '/^$/d')
  [[ -n $user && $user != root && ${user%%:*} != 0 ]] || die "the image runs as root (USER '$user')"
  envs+=("GMPSIM_PORT=$NODE_PORT" "HOSTNAME=gmpsim-check" "GMPSIM_MANAGEMENT=on" "GMPSIM_MANAGEMENT_PORT=$MGMT_PORT")
  [[ -n $CHECK_HOST ]] && envs+=("GMPSIM_HOST=$CHECK_HOST")
  mnt=$(podman image mount "$ref")
  log=$(mktemp /var/tmp/gmpsim-check.XXXXXX.log)
  cleanup_check() { podman image unmount "$ref" >/dev/null 2>&1 || true; }
  trap cleanup_check EXIT
  say "check: ENTRYPOINT ${entry[*]} ${cmd[*]}"
  say "check: as user $user in $mnt (chroot, own pid and mount namespace, /proc /dev /tmp mounted), GMPSIM_PORT=$NODE_PORT${CHECK_HOST:+ GMPSIM_HOST=$CHECK_HOST}; waiting for port $CHECK_PORT"
  t=$(date +%s)
  # A private mount namespace: the /proc, /dev and /tmp mounts go away with the node. The node is
  # PID 1 of its own pid namespace, as in a container (execs all the way down to java).
  unshare --mount --propagation private --pid --fork /bin/sh -c '
      mnt=$1; user=$2; wd=$3; shift 3
      mount -t proc proc "$mnt/proc" && mount --rbind /dev "$mnt/dev" \
        && mount -t tmpfs -o mode=1777,size=256m tmpfs "$mnt/tmp" || exit 125
      exec chroot --userspec="$user" "$mnt" /usr/bin/env -i "$@"' \
    check "$mnt" "$user" "${workdir:-/}" "${envs[@]}" /bin/sh -c 'cd "$0" && exec "$@"' "${workdir:-/}" \
      "${entry[@]}" "${cmd[@]}" > "$log" 2>&1 &
  ns=$!
  node=""
  up=""
  while (( $(date +%s) - t < CHECK_WAIT )); do
    [[ -n $node ]] || node=$(pgrep -P "$ns" || true)
    if ! kill -0 "$ns" 2>/dev/null; then break; fi
    # Up: the port takes a TCP connection and the node has said it is up (after joining).
    if [[ -n $(ss -ltnH "sport = :$CHECK_PORT") ]] && grep -q '^gmpsim node .* up' "$log" \
        && (exec 3<>"/dev/tcp/${CHECK_HOST:-127.0.0.1}/$CHECK_PORT") 2>/dev/null; then
      up=$(elapsed "$t"); break
    fi
    sleep 1
  done
  if [[ -z $up ]]; then
    [[ -n $node ]] && kill -KILL "$node" 2>/dev/null || true
    wait "$ns" 2>/dev/null || true
    sed 's/^/  | /' "$log" | tail -30 >&2
    die "check FAILED: no node up and listening on port $CHECK_PORT within ${CHECK_WAIT}s (log: $log)"
  fi
  listen=$(ss -ltnH "sport = :$CHECK_PORT" | awk '{print $4}' | paste -sd' ')
  say "check: port $CHECK_PORT listening ($listen) after $up; the node's output:"
  sed 's/^/  | /' "$log" | head -20 >&2
  # The readiness probe of k8s/base: Akka Management's /ready, 200 once the node is Up.
  ready=""
  for _ in $(seq 60); do
    ready=$(curl -s -o /dev/null -w '%{http_code}' "http://${CHECK_HOST:-127.0.0.1}:$MGMT_PORT/ready" || true)
    [[ $ready == 200 ]] && break
    sleep 1
  done
  say "check: GET /ready on port $MGMT_PORT -> $ready"
  [[ $ready == 200 ]] || { kill -KILL "$node" 2>/dev/null || true; die "check FAILED: /ready answered '$ready'"; }
  uid=$(awk '/^Uid:/{print $2}' "/proc/$node/status" 2>/dev/null || echo '?')
  say "check: the node's process: $(tr '\0' ' ' < "/proc/$node/cmdline" | cut -c1-200) (uid $uid)"
  t=$(date +%s)
  kill -TERM "$node"
  code=0
  for _ in $(seq 60); do kill -0 "$ns" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$ns" 2>/dev/null; then
    kill -KILL "$node" 2>/dev/null || true
    say "check: WARNING: the node did not stop within 30s of SIGTERM; killed"
  fi
  wait "$ns" || code=$?
  say "check: SIGTERM -> the node exited with code $code after $(elapsed "$t")$( [[ $code == 143 ]] && echo ' (143: ended by the signal, after its shutdown hooks)')"
  tail -n +21 "$log" | sed 's/^/  | /' | head -20 >&2
  cleanup_check
  trap - EXIT
  rm -f "$log"
  check="passed: the entrypoint started a node as uid $uid listening on $CHECK_PORT after $up, /ready $ready; SIGTERM exit code $code"
fi

size=$(podman image inspect --format '{{.Size}}' "$ref")
id=$(podman image inspect --format '{{.Id}}' "$ref")
echo
echo "image:  $ref (also localhost/$IMAGE:latest), id ${id:0:12}"
echo "size:   $(numfmt --to=iec --suffix=B "$size") ($size bytes)"
echo "base:   $base"
echo "build:  $t_build (all: $(elapsed "$t_all"))"
echo "check:  $check"
