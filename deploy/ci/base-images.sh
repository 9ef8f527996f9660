#!/bin/sh
# Makes sure the images that the Dockerfile and docker-compose.yml name exist in the local Docker
# engine. Each is pulled when a registry answers; where none can be reached (CI here), it is made
# locally under that very name from Debian packages, so the Dockerfile a user builds is the one CI
# builds:
#   debian:trixie-slim      a Debian 13 minbase root file system (debootstrap) imported into Docker
#   prom/prometheus:<tag>   Debian's prometheus package on that base (deploy/ci/prometheus/Dockerfile);
#                           Debian 13 ships Prometheus 2.53, not the tag's version: enough for the
#                           compose test (scrape, query API), said so in docs/deployment.md
# Needs root (debootstrap) and a Debian mirror over HTTP (DEBIAN_MIRROR).
#   deploy/ci/base-images.sh
set -eu
cd "$(dirname "$0")/../.."
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
base=$(sed -n 's/^ARG BASE_IMAGE=//p' Dockerfile)
prometheus=$(sed -n 's/^ *image: *\(prom\/prometheus:.*\)$/\1/p' docker-compose.yml)
[ -n "$base" ] && [ -n "$prometheus" ] || { echo "base-images.sh: cannot read the image names" >&2; exit 1; }

have() { docker image inspect "$1" >/dev/null 2>&1; }
pulled() { docker pull -q "$1" >/dev/null 2>&1; }

debian_root() {
  suite=$(echo "$base" | sed -n 's/^debian:\([a-z]*\).*/\1/p')
  [ -n "$suite" ] || { echo "base-images.sh: $base is not a debian:<suite> image" >&2; exit 1; }
  root=$(mktemp -d /tmp/seqserve-rootfs.XXXXXX)
  trap 'rm -rf "$root"' EXIT
  echo "making $base: debootstrap --variant=minbase $suite from $mirror"
  debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$root.log" 2>&1 || { tail -20 "$root.log" >&2; exit 1; }
  rm -f "$root.log"
  # What the official slim image has: main, updates and security sources; no docs, man pages or
  # locales from later installs; apt caches removed after each install.
  rm -f "$root/etc/apt/sources.list"
  cat >"$root/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $mirror
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${mirror%/debian}/debian-security
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  cat >"$root/etc/dpkg/dpkg.cfg.d/docker" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
DPKG
  cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'APT'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
         "$root"/var/log/*
  tar -C "$root" --numeric-owner -c . | docker import --change 'CMD ["bash"]' --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$base" >/dev/null
  rm -rf "$root"
  trap - EXIT
}

if have "$base"; then
  echo "$base: present"
elif pulled "$base"; then
  echo "$base: pulled"
else
  debian_root
  echo "$base: made from Debian packages"
fi

if have "$prometheus"; then
  echo "$prometheus: present"
elif pulled "$prometheus"; then
  echo "$prometheus: pulled"
else
  docker build -q --build-arg BASE_IMAGE="$base" -t "$prometheus" deploy/ci/prometheus >/dev/null
  echo "$prometheus: made from Debian's prometheus package"
fi
