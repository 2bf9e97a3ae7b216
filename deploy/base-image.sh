#!/usr/bin/env bash
# Builds lmserve's container base image with no registry: a minimal Debian bookworm root file system
# (debootstrap --variant=minbase) plus a jlink'ed JRE 25 made from the local JDK 25, with a non-root
# user `lmserve` (uid/gid 10001). It is imported into the local Docker engine as
# localhost/lmserve-base:<key> and saved as deploy/target/lmserve-base.tar, which Jib reads as its
# `tar://` base image (service/pom.xml), so the image build itself needs no daemon.
#
# Idempotent and cached: the key hashes this script, the JDK's release file and the module list; the
# saved image lives in $LMSERVE_CACHE (default ~/.cache/lmserve) and is only rebuilt when the key changes.
# Needs root (debootstrap), debootstrap, a reachable Debian mirror on the first build, and dockerd.
#
#   deploy/base-image.sh            build (or reuse) the base and write deploy/target/lmserve-base.tar
#   deploy/base-image.sh --print    print the image reference and exit
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
# shellcheck source=../.mvn/find-jdk.sh
. "$ROOT/.mvn/find-jdk.sh"

# What the service needs at run time (checked with jdeps over the service's class path) plus
# jdk.incubator.vector (the transformer kernels), jdk.management (process CPU and memory metrics),
# jdk.jcmd (thread and memory dumps from `kubectl exec`), jdk.crypto.ec (TLS to a model store).
MODULES=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,\
java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,\
java.transaction.xa,java.xml,jdk.crypto.ec,jdk.incubator.vector,jdk.jcmd,jdk.jfr,jdk.management,\
jdk.management.jfr,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs
SUITE=bookworm
MIRROR="${LMSERVE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
APP_UID=10001

key="$({ cat "${BASH_SOURCE[0]}"; cat "$JAVA_HOME/release"; echo "$MODULES $SUITE"; } | sha256sum | cut -c1-12)"
image="localhost/lmserve-base:$key"
[ "${1:-}" = "--print" ] && { echo "$image"; exit 0; }

cache="${LMSERVE_CACHE:-$HOME/.cache/lmserve}/base-$key"
out="$ROOT/deploy/target/lmserve-base.tar"
mkdir -p "$ROOT/deploy/target"

if [ -f "$cache/image.tar" ]; then
  echo "base image $image: cached in $cache"
else
  command -v debootstrap >/dev/null || { echo "base-image: debootstrap is missing (apt-get install debootstrap)" >&2; exit 1; }
  docker info >/dev/null 2>&1 || { echo "base-image: no Docker engine answers (start dockerd)" >&2; exit 1; }
  work="$(mktemp -d "${TMPDIR:-/tmp}/lmserve-base.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  rootfs="$work/rootfs"
  echo "base image $image: debootstrap $SUITE (minbase) from $MIRROR"
  debootstrap --variant=minbase "$SUITE" "$rootfs" "$MIRROR" > "$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  # Nothing in the image installs packages at run time: drop apt's caches, docs, manuals and locales.
  rm -rf "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/{doc,man,info,locale}/* \
    "$rootfs"/var/log/* "$rootfs"/tmp/*
  echo "base image $image: jlink JRE from $JAVA_HOME"
  "$JAVA_HOME/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages \
    --compress=zip-6 --output "$rootfs/opt/java"
  # The JVM's class data sharing archive for this JRE: faster start-up, shared read-only pages.
  "$rootfs/opt/java/bin/java" -Xshare:dump -version >/dev/null 2>&1 || true
  echo "lmserve:x:$APP_UID:$APP_UID:lmserve:/home/lmserve:/usr/sbin/nologin" >> "$rootfs/etc/passwd"
  echo "lmserve:x:$APP_UID:" >> "$rootfs/etc/group"
  echo "lmserve:!:20000::::::" >> "$rootfs/etc/shadow"
  install -d -o "$APP_UID" -g "$APP_UID" -m 0755 "$rootfs/home/lmserve" "$rootfs/app" "$rootfs/models"
  tar --numeric-owner -C "$rootfs" -c . |
    docker import \
      --change "ENV JAVA_HOME=/opt/java" \
      --change "ENV PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
      --change "ENV LANG=C.UTF-8" \
      --change "USER $APP_UID:$APP_UID" \
      --change "WORKDIR /app" \
      - "$image" >/dev/null
  mkdir -p "$cache"
  docker save "$image" -o "$cache/image.tar.part"
  mv "$cache/image.tar.part" "$cache/image.tar"
  echo "base image $image: $(du -h "$cache/image.tar" | cut -f1) saved in $cache"
fi

# Keep the engine's copy too (docker run of the base by hand, and a later engine restart).
if docker info >/dev/null 2>&1 && ! docker image inspect "$image" >/dev/null 2>&1; then
  docker load -i "$cache/image.tar" >/dev/null
fi
cp -f "$cache/image.tar" "$out.part" && mv "$out.part" "$out"
echo "base image $image -> $out"
