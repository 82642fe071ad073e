#!/usr/bin/env bash
# The fresh-machine check: the README's two commands on a Debian 12 that has
# nothing but minbase, git, python3 and ca-certificates.
#
#   tests/fresh/check.sh [--keep]
#
# 1. debootstraps Debian 12 (bookworm) minbase into build/fresh/root, from the
#    Debian mirror this machine's apt already uses (HYPCORE_FRESH_MIRROR overrides);
# 2. clones the committed tree (HEAD, not the work tree) into /root/hypcore there;
# 3. runs "./hypcore run" and then "./hypcore test" in a chroot, as root, printing
#    the tail of each and its exit status.
# It exits 0 only when both commands did; 0 with a "skipped" line when the Debian
# archive cannot be reached at all (then nothing could be checked); 1 otherwise.
# --keep leaves build/fresh/root in place afterwards (it is removed by default).
# Run as root (it re-runs itself with sudo otherwise).  It takes about ten minutes.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
work=$top/build/fresh
root=$work/root
keep=no
[ "${1:-}" = --keep ] && keep=yes
TAIL_LINES=25

say() { echo "fresh: $*"; }

if [ "$(id -u)" != 0 ]; then
    exec sudo -E "$0" "$@"
fi

# The mirror: the first bookworm "deb" source of this machine's apt (deb822 or
# one-line format), so that the check uses what this machine is allowed to reach.
mirror() {
    if [ -n "${HYPCORE_FRESH_MIRROR:-}" ]; then
        echo "$HYPCORE_FRESH_MIRROR"
        return
    fi
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -e "$f" ] || continue
        awk 'BEGIN { RS = ""; FS = "\n" }
             /Suites:[^\n]*bookworm( |$|\n)/ && /Types:[^\n]*deb( |$|\n)/ {
                 for (i = 1; i <= NF; i++)
                     if ($i ~ /^URIs:/) { split($i, u, " "); print u[2]; exit }
             }' "$f"
    done | grep -v security | head -n 1
    if [ -e /etc/apt/sources.list ]; then
        awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' /etc/apt/sources.list
    fi
}

unmount() {
    local m
    for m in dev/pts dev proc sys; do
        mountpoint -q "$root/$m" 2>/dev/null && umount -l "$root/$m" || true
    done
}
remove_root() {
    unmount
    [ -d "$root" ] && rm -rf --one-file-system "$root"
    return 0
}
cleanup() {
    if [ "$keep" = no ]; then remove_root; else unmount; fi
}
trap cleanup EXIT

url=$(mirror | head -n 1)
if [ -z "$url" ]; then
    say "no Debian bookworm source in /etc/apt: set HYPCORE_FRESH_MIRROR"
    exit 1
fi
say "mirror $url"
if ! /usr/bin/python3 - "$url" <<'EOF'
import sys, urllib.request
try:
    urllib.request.urlopen(sys.argv[1].rstrip('/') + '/dists/bookworm/Release', timeout=30)
except Exception as e:
    print(f'fresh: {e}')
    sys.exit(1)
EOF
then
    say "skipped: the Debian archive cannot be reached, so no fresh machine can be built"
    exit 0
fi

if ! command -v debootstrap >/dev/null; then
    say "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap \
        >/dev/null || { apt-get update >/dev/null; DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends debootstrap >/dev/null; }
fi

remove_root     # a root left by --keep or an interrupted run
mkdir -p "$work"
started=$(date +%s)
say "debootstrap bookworm minbase + git, python3, ca-certificates into ${root#"$top"/}"
if ! debootstrap --variant=minbase --include=git,python3,ca-certificates bookworm \
        "$root" "$url" >"$work/debootstrap.log" 2>&1; then
    tail -n "$TAIL_LINES" "$work/debootstrap.log"
    say "debootstrap failed (log: ${work#"$top"/}/debootstrap.log)"
    exit 1
fi
say "debootstrap took $(( $(date +%s) - started )) s"

git clone -q --no-hardlinks "$top" "$root/root/hypcore"
say "cloned $(git -C "$top" rev-parse --short HEAD) into /root/hypcore"

mount -t proc proc "$root/proc"
mount -t sysfs sys "$root/sys"
mount --bind /dev "$root/dev"
mount --bind /dev/pts "$root/dev/pts"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true

# in_chroot NAME COMMAND: run COMMAND in the clone, log to build/fresh/NAME.log,
# print its tail and status; returns that status.
in_chroot() {
    local name=$1 cmd=$2 status t0
    t0=$(date +%s)
    say "chroot: $cmd"
    set +e
    env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 TERM=dumb \
        chroot "$root" /bin/bash -c "cd /root/hypcore && $cmd" </dev/null \
        >"$work/$name.log" 2>&1
    status=$?
    set -e
    tail -n "$TAIL_LINES" "$work/$name.log" | sed 's/^/    | /'
    say "$cmd: exit $status after $(( $(date +%s) - t0 )) s (log: ${work#"$top"/}/$name.log)"
    return $status
}

failed=0
in_chroot run './hypcore run' || failed=1
in_chroot test './hypcore test' || failed=1
if ! grep -Eq '^[0-9]+ passed, 0 failed' "$work/test.log"; then
    say "./hypcore test did not end with 'N passed, 0 failed'"
    failed=1
fi
say "total $(( $(date +%s) - started )) s"
if [ $failed = 0 ]; then
    say "ok: both README commands work on a fresh Debian 12"
else
    say "FAILED"
fi
exit $failed
