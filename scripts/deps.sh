#!/usr/bin/env bash
# Installs everything cloud-boot needs on a Debian 12 machine, idempotently:
# Debian packages (some from bookworm-backports), trixie firmware unpacked into third_party/firmware,
# and the pinned lwIP/BearSSL/zlib/zstd sources via `apt-get source` into third_party/src.
# The system's apt sources are never edited: a private apt config per suite lives in third_party/apt.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
tp="$top/third_party"
stamp="$tp/.deps-v7"

packages_bookworm=(ninja-build mtools dosfstools fdisk ovmf qemu-efi-aarch64 u-boot-qemu opensbi
                   dpkg-dev python3 xz-utils cpio busybox-static zstd e2fsprogs gdisk grub-common util-linux
                   docker-registry skopeo xorriso python3-cryptography apache2-utils openssl ca-certificates
                   mmdebstrap libsodium-dev)
packages_backports=(meson qemu-system-x86 qemu-system-arm qemu-system-misc clang-19 lld-19 llvm-19 libclang-rt-19-dev)
firmware_trixie=(qemu-efi-riscv64 qemu-efi-loongarch64 ipxe)
tools_trixie=(cosign oras)   # Go binaries needing only libc6 >= 2.34: unpacked into third_party/tools

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

# apt-get update, retried: a mirror caught mid-sync answers "File has unexpected size" for a minute or two.
# try_update CONF ATTEMPTS: 0 once an update went through.
try_update() {
  local conf=$1 attempts=$2 try
  for ((try = 1; try <= attempts; try++)); do
    if APT_CONFIG=$conf $SUDO apt-get -qq -o Acquire::Retries=3 update; then
      return 0
    fi
    [ "$try" -lt "$attempts" ] || break
    log "apt-get update failed (attempt $try of $attempts); retrying in $((try * 15)) s"
    sleep $((try * 15))
  done
  return 1
}

uri=$(archive_uri)
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
mkdir -p "$tp"

log "installing Debian packages (bookworm + bookworm-backports)"
bp_conf=$(private_apt bookworm '"amd64"' yes \
  "deb [signed-by=$keyring] $uri bookworm main" \
  "deb [signed-by=$keyring] $uri bookworm-backports main" \
  "deb-src [signed-by=$keyring] $uri bookworm main")
try_update "$bp_conf" 5 || die "apt-get update kept failing for bookworm"
APT_CONFIG=$bp_conf DEBIAN_FRONTEND=noninteractive $SUDO apt-get -qq install -y --no-install-recommends \
  "${packages_bookworm[@]}" >/dev/null
APT_CONFIG=$bp_conf DEBIAN_FRONTEND=noninteractive $SUDO apt-get -qq install -y --no-install-recommends \
  -t bookworm-backports "${packages_backports[@]}" >/dev/null

# trixie first (the versions TOOLCHAIN.md was verified with); forky has the same packages when a trixie index
# on the mirror is inconsistent with its Release file (seen: binary-all/Packages.xz of another size).
log "fetching firmware and iPXE (${firmware_trixie[*]})"
mkdir -p "$tp/debs" "$tp/firmware"
fw_suite=""
# forky's Release on a snapshot mirror is past its Valid-Until date: its signature is still checked.
for suite in trixie forky; do
  fw_conf=$(private_apt "$suite" '"amd64"; "all"' no "deb [signed-by=$keyring] $uri $suite main")
  [ "$suite" = trixie ] || echo 'Acquire::Check-Valid-Until "false";' >> "$fw_conf"
  if try_update "$fw_conf" 2; then
    fw_suite=$suite
    break
  fi
  log "$suite: package index unusable on this mirror; trying the next suite"
done
[ -n "$fw_suite" ] || die "no usable trixie or forky package index for ${firmware_trixie[*]}"
rm -f "$tp"/debs/*.deb
(cd "$tp/debs" && APT_CONFIG=$fw_conf apt-get -qq download "${firmware_trixie[@]}")
for p in "${firmware_trixie[@]}"; do
  dpkg -x "$(ls "$tp"/debs/"${p}"_*.deb | tail -n 1)" "$tp/firmware"
done
(cd "$tp/debs" && APT_CONFIG=$fw_conf apt-get -qq download "${tools_trixie[@]}")
mkdir -p "$tp/tools"
for p in "${tools_trixie[@]}"; do
  dpkg -x "$(ls "$tp"/debs/"${p}"_*.deb | tail -n 1)" "$tp/tools"
done
log "firmware and tools from $fw_suite: $(cd "$tp/debs" && ls)"

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
# Debian's own kernels for the boot tests: just /boot/vmlinu[xz]-* out of each linux-image package, into
# third_party/kernels/<cpu>/vmlinuz (+ .version). loongarch64 has no kernel here (see docs/netboot.md).
fetch_kernel() {
  local cpu=$1 debarch=$2 meta=$3 suite conf pkg deb
  [ -f "$tp/kernels/$cpu/vmlinuz" ] && return 0
  shift 3
  for suite in "$@"; do
    conf=$(private_apt "kernel-$cpu-$suite" "\"$debarch\"" no "deb [signed-by=$keyring] $uri $suite main")
    echo "APT::Architecture \"$debarch\";" >> "$conf"
    [ "$suite" = bookworm ] || [ "$suite" = trixie ] || echo 'Acquire::Check-Valid-Until "false";' >> "$conf"
    try_update "$conf" 2 || { log "$suite ($debarch): package index unusable; trying the next suite"; continue; }
    pkg=$(APT_CONFIG=$conf apt-cache depends "$meta" | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
    [ -n "$pkg" ] || die "$suite: $meta depends on no linux-image-<version> package"
    mkdir -p "$tp/kernels/$cpu"
    rm -f "$tp"/kernels/"$cpu"/*.deb
    (cd "$tp/kernels/$cpu" && APT_CONFIG=$conf apt-get -qq download "$pkg:$debarch")
    deb=$(ls "$tp"/kernels/"$cpu"/*.deb)
    rm -rf "$tp/kernels/$cpu/x"
    mkdir -p "$tp/kernels/$cpu/x"
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tp/kernels/$cpu/x" --wildcards './boot/vmlinu*'
    mv "$(ls "$tp"/kernels/"$cpu"/x/boot/vmlinu* | head -n 1)" "$tp/kernels/$cpu/vmlinuz.tmp"
    echo "$pkg ($suite)" > "$tp/kernels/$cpu/version"
    rm -rf "$tp/kernels/$cpu/x" "$deb"
    mv "$tp/kernels/$cpu/vmlinuz.tmp" "$tp/kernels/$cpu/vmlinuz"
    log "kernel for $cpu: $pkg from $suite"
    return 0
  done
  die "no usable package index for the $cpu kernel ($meta)"
}
fetch_kernel x86_64 amd64 linux-image-amd64 bookworm
fetch_kernel aarch64 arm64 linux-image-arm64 bookworm
fetch_kernel riscv64 riscv64 linux-image-riscv64 trixie forky

# An unmodified Debian root filesystem for the disk-mode boot test (mmdebstrap, cached tarball).
log "Debian root filesystem for the disk boot test (mmdebstrap; a few minutes the first time)"
"$top/tests/fixtures/mkdebianroot.sh" --cache-only

touch "$stamp"
log "done"
