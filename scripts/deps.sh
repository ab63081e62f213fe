#!/usr/bin/env bash
# Installs everything cloud-boot needs on a Debian 12 machine, idempotently:
# Debian packages (some from bookworm-backports), trixie firmware unpacked into third_party/firmware,
# and the pinned lwIP/BearSSL/zlib/zstd sources via `apt-get source` into third_party/src.
# The system's apt sources are never edited: a private apt config per suite lives in third_party/apt.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tp="$top/third_party"
stamp="$tp/.deps-v3"

packages_bookworm=(ninja-build mtools dosfstools fdisk ovmf qemu-efi-aarch64 u-boot-qemu opensbi
                   dpkg-dev python3 xz-utils cpio busybox-static zstd e2fsprogs gdisk grub-common)
packages_backports=(meson qemu-system-x86 qemu-system-arm qemu-system-misc clang-19 lld-19 llvm-19 libclang-rt-19-dev)
firmware_trixie=(qemu-efi-riscv64 qemu-efi-loongarch64 ipxe)

# Pinned sources: package/suite, upstream version, sha256 of the .dsc.
sources=(
  "lwip/bookworm 2.1.3 8d8f944db8e6d542fc2d6f01559078fb1b5dda71651c67ee5fa3571ed1342c50"
  "bearssl/bookworm 0.6 9bd17e07fc9824b0223dcb4ba14adac17981a4d8f1d63b6655819fe8f2ed98d1"
  "zlib/bookworm 1.2.13 3fa1e6b2fc525062aa88207dda52fed8e045373c809d362fe8a2bfbf7cf515a8"
  "libzstd/bookworm 1.5.4 8f602f92b575aa8b5e979196fb6ee82d78f233521dc9636526d3ecba1f63c1b1"
)

log() { printf 'deps: %s\n' "$*" >&2; }
die() { printf 'deps: error: %s\n' "$*" >&2; exit 1; }

if [ -f "$stamp" ] && [ "${DEPS_FORCE:-0}" != 1 ]; then
  exit 0
fi
[ "$(id -u)" = 0 ] || SUDO=sudo
SUDO=${SUDO:-}

# The archive URI comes from the system's own apt sources, never from this repository.
archive_uri() {
  local uri=""
  if compgen -G "/etc/apt/sources.list.d/*.sources" >/dev/null; then
    uri=$(awk '/^URIs:/ {u=$2} /^Suites:/ && / bookworm( |$)/ {print u; exit}' /etc/apt/sources.list.d/*.sources)
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1=="deb" && $3=="bookworm" {print $2; exit}' /etc/apt/sources.list)
  fi
  [ -n "$uri" ] || die "no bookworm entry in /etc/apt/sources.list{,.d}: cannot find the Debian archive"
  printf '%s\n' "${uri%/}"
}

# private_apt NAME ARCHES USE_SYSTEM_STATUS SOURCES-LINES...: writes third_party/apt/NAME/apt.conf.
private_apt() {
  local name=$1 arches=$2 system_status=$3; shift 3
  local d="$tp/apt/$name"
  mkdir -p "$d/lists/partial" "$d/cache/archives/partial" "$d/etc/preferences.d" "$d/etc/apt.conf.d"
  printf '%s\n' "$@" > "$d/sources.list"
  {
    echo "Dir::Etc::SourceList \"$d/sources.list\";"
    echo "Dir::Etc::SourceParts \"$d/etc/none\";"
    echo "Dir::Etc::Parts \"$d/etc/apt.conf.d\";"
    echo "Dir::Etc::PreferencesParts \"$d/etc/preferences.d\";"
    echo "Dir::State::Lists \"$d/lists\";"
    echo "Dir::Cache \"$d/cache\";"
    echo "APT::Architectures { $arches };"
    echo "Acquire::Languages \"none\";"
    echo "APT::Sandbox::User \"root\";"
    if [ "$system_status" = no ]; then
      : > "$d/status"
      echo "Dir::State::status \"$d/status\";"
    fi
  } > "$d/apt.conf"
  echo "$d/apt.conf"
}

uri=$(archive_uri)
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
mkdir -p "$tp"

log "installing Debian packages (bookworm + bookworm-backports)"
bp_conf=$(private_apt bookworm '"amd64"' yes \
  "deb [signed-by=$keyring] $uri bookworm main" \
  "deb [signed-by=$keyring] $uri bookworm-backports main" \
  "deb-src [signed-by=$keyring] $uri bookworm main")
APT_CONFIG=$bp_conf $SUDO apt-get -qq update
APT_CONFIG=$bp_conf DEBIAN_FRONTEND=noninteractive $SUDO apt-get -qq install -y --no-install-recommends \
  "${packages_bookworm[@]}" >/dev/null
APT_CONFIG=$bp_conf DEBIAN_FRONTEND=noninteractive $SUDO apt-get -qq install -y --no-install-recommends \
  -t bookworm-backports "${packages_backports[@]}" >/dev/null

log "fetching trixie firmware and iPXE (${firmware_trixie[*]})"
tx_conf=$(private_apt trixie '"amd64"; "all"' no "deb [signed-by=$keyring] $uri trixie main")
APT_CONFIG=$tx_conf apt-get -qq update
mkdir -p "$tp/debs" "$tp/firmware"
(cd "$tp/debs" && APT_CONFIG=$tx_conf apt-get -qq download "${firmware_trixie[@]}")
for p in "${firmware_trixie[@]}"; do
  dpkg -x "$(ls "$tp"/debs/"${p}"_*.deb | tail -n 1)" "$tp/firmware"
done

log "fetching pinned library sources"
mkdir -p "$tp/src"
for entry in "${sources[@]}"; do
  read -r spec version sum <<<"$entry"
  pkg=${spec%/*}
  if ! ls -d "$tp/src/$pkg-$version"*/ >/dev/null 2>&1 || [ ! -f "$tp/src/$pkg.ok" ]; then
    (cd "$tp/src" && APT_CONFIG=$bp_conf apt-get -qq source --download-only "$spec")
    dsc=$(ls "$tp"/src/"${pkg}"_"${version}"*.dsc | tail -n 1)
    got=$(sha256sum "$dsc" | cut -d' ' -f1)
    [ "$got" = "$sum" ] || die "$dsc: sha256 $got, pinned $sum"
    (cd "$tp/src" && dpkg-source --no-check -x "$(basename "$dsc")" >/dev/null)
    touch "$tp/src/$pkg.ok"
  fi
done
touch "$stamp"
log "done"
