#!/usr/bin/env bash
# Builds the base of zonesync's container image from Debian packages, with no Docker daemon and no
# registry: a minimal Debian root file system (debootstrap, same release as this host) with Java 17's
# runtime and curl (the health check), a user zonesync (uid/gid 10001) owning /var/lib/zonesync,
# packed as a `docker save` archive (manifest.json, the image configuration, one layer) that
# Jib takes as its base image (tar://...). Its configuration carries the HEALTHCHECK, which Jib
# cannot set itself but keeps from its base. (A STOPSIGNAL it does not keep: run the image with
# --stop-signal QUIT, or, on Kubernetes, the preStop hook of doc/kubernetes.md.)
#
#   dist/image/base-image.sh OUTPUT.tar
#
# Needs root (debootstrap chroots) and debootstrap (apt-get install debootstrap). The archive is
# cached in ${ZONESYNC_IMAGE_CACHE:-~/.cache/zonesync-image} under a key of this script's text and
# the release, so a second build takes seconds, and so are the downloaded packages; delete the
# cache to take newer Debian packages.
# Environment: DEBIAN_MIRROR (default http://deb.debian.org/debian).
set -euo pipefail

out="${1:?usage: $0 OUTPUT.tar}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# shellcheck disable=SC1091 # the host's release names the suite
release="$(. /etc/os-release && echo "${VERSION_CODENAME:?/etc/os-release has no VERSION_CODENAME}")"
arch="$(dpkg --print-architecture)"
packages="openjdk-17-jre-headless,curl"
uid=10001

key="$( (cat "${BASH_SOURCE[0]}"; echo "$release $arch $mirror") | sha256sum | cut -c1-16)"
cache_root="${ZONESYNC_IMAGE_CACHE:-$HOME/.cache/zonesync-image}"
cache="$cache_root/base-$release-$arch-$key.tar"
# the downloaded packages too: a changed script rebuilds from them (debootstrap checks them)
debs="$cache_root/debs-$release-$arch"
mkdir -p "$(dirname "$out")"
if [ -s "$cache" ]; then
    cp "$cache" "$out"
    echo "base-image.sh: $out from the cache ($cache)"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "base-image.sh: debootstrap needs root (it chroots into the new root file system)" >&2
    exit 1
fi
PATH="$PATH:/usr/sbin:/sbin"
if ! command -v debootstrap >/dev/null; then
    echo "base-image.sh: debootstrap is missing: apt-get install debootstrap" >&2
    exit 1
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/zonesync-base.XXXXXX")"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"

echo "base-image.sh: debootstrap $release ($arch) with $packages from $mirror"
mkdir -p "$debs"
debootstrap --variant=minbase --arch="$arch" --include="$packages" --cache-dir="$(cd "$debs" && pwd)" \
    "$release" "$root" "$mirror" \
    > "$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log" >&2; exit 1; }

chroot "$root" groupadd --system --gid "$uid" zonesync
chroot "$root" useradd --system --uid "$uid" --gid "$uid" --home-dir /var/lib/zonesync \
    --shell /usr/sbin/nologin zonesync
install -d -o "$uid" -g "$uid" -m 0755 "$root/var/lib/zonesync"
# what a running container does not use: package lists and caches, documentation, logs of the
# installation; /dev, /proc, /sys and the files the runtime mounts (resolv.conf, hosts, hostname)
rm -rf "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* \
    "$root"/usr/share/man/* "$root"/usr/share/info/* "$root"/var/log/* "$root"/tmp/* \
    "$root"/dev/* "$root"/proc/* "$root"/sys/* "$root"/run/*
: > "$root/etc/resolv.conf"
: > "$root/etc/hostname"

java_home="$(dirname "$(dirname "$(readlink -f "$root/usr/bin/java")")")"
java_home="${java_home#"$root"}"
[ -x "$root$java_home/bin/java" ] || { echo "base-image.sh: no java in the root file system" >&2; exit 1; }

epoch="$(stat -c %Y "$root/var/lib/dpkg/status")"
created="$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)"
tar --numeric-owner --sort=name --mtime="@$epoch" --xattrs -C "$root" -cf "$work/layer.tar" .
diff_id="sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"
gzip -n -1 "$work/layer.tar"

mkdir "$work/archive"
mv "$work/layer.tar.gz" "$work/archive/layer.tar.gz"
# The health check asks the node's API (ZONESYNC_HEALTH_URL, the image's own configuration by
# default): the check fails while nothing answers there.
cat > "$work/archive/config.json" <<EOF
{
  "architecture": "$arch",
  "os": "linux",
  "created": "$created",
  "config": {
    "User": "$uid:$uid",
    "Env": [
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "JAVA_HOME=$java_home",
      "LANG=C.UTF-8",
      "ZONESYNC_HEALTH_URL=http://127.0.0.1:8080/api/9/nginx"
    ],
    "WorkingDir": "/var/lib/zonesync",
    "Healthcheck": {
      "Test": ["CMD-SHELL", "curl -fsS -o /dev/null --max-time 3 \"\$ZONESYNC_HEALTH_URL\""],
      "Interval": 10000000000,
      "Timeout": 5000000000,
      "StartPeriod": 30000000000,
      "Retries": 3
    }
  },
  "rootfs": { "type": "layers", "diff_ids": ["$diff_id"] },
  "history": [ { "created": "$created", "created_by": "dist/image/base-image.sh: debootstrap --variant=minbase $release, $packages, user zonesync ($uid)" } ]
}
EOF
cat > "$work/archive/manifest.json" <<EOF
[ { "Config": "config.json", "RepoTags": ["zonesync-base:$release-$key"], "Layers": ["layer.tar.gz"] } ]
EOF
tar --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner -C "$work/archive" -cf "$work/base.tar" \
    manifest.json config.json layer.tar.gz
mkdir -p "$(dirname "$cache")"
cp "$work/base.tar" "$cache.partial" && mv "$cache.partial" "$cache"
cp "$work/base.tar" "$out"
echo "base-image.sh: $out ($(du -h "$out" | cut -f1), layer $diff_id)"
