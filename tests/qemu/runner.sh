#!/usr/bin/env bash
# runner.sh: the one QEMU runner behind tests/qemu/run-<cpu>.sh (sourced by them, with CPU set).
# Builds a GPT+FAT ESP disk holding the loader (no loop mounts), boots it on the CPU's UEFI firmware under
# TCG, streams the serial console, keeps the log, and exits 0 only when every --expect pattern was seen
# before --timeout. Run `run-<cpu>.sh --help` for the options.
set -euo pipefail
shopt -s extglob

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
me="run-$CPU"

usage() {
  cat <<USAGE
usage: $me [options] [EFI-FILE]
Boots EFI-FILE (default: build/$CPU/boot/$EFI_NAME.EFI) as \\EFI\\BOOT\\$EFI_NAME.EFI from a generated GPT/FAT
ESP on $CPU UEFI firmware under QEMU, printing the serial console as it goes.

  --firmware edk2|uboot  firmware (default edk2; uboot only on riscv64)
  --boot-disk IMAGE      boot this disk or hybrid ISO image instead of a generated ESP (opened read-only
                         through a snapshot)
  --boot-cdrom IMAGE     boot this ISO image from a CD-ROM drive (virtio-scsi) instead of a generated ESP
  --vars FILE            start the firmware with a copy of this variable store (e.g. one edited by
                         'cloud-boot nvram') instead of a fresh copy of the packaged VARS file (edk2)
  --disk IMAGE           attach another virtio-blk disk (repeatable; snapshot, the file is not changed)
  --net                  attach -netdev user with virtio-net-pci (no option ROM)
  --cmdline "KNOBS"      cloudboot.* knobs, written to \\EFI\\BOOT\\cloudboot.cfg on the generated ESP
  --esp-file SRC=DEST    also copy SRC to DEST (e.g. EFI/BOOT/x.cfg) on the generated ESP (repeatable)
  --fw-cfg NAME=FILE     pass FILE to the firmware as fw_cfg item NAME (repeatable), e.g.
                         etc/edk2/https/cacerts=ca.esl for OVMF's TlsCaCertificate variable
  --netdev ARGS          use this -netdev (id=net0) instead of user networking, e.g. to test a
                         network without DHCP; implies --net
  --expect REGEX         succeed only once a console line matches (repeatable; default: the banner)
  --fail REGEX           fail as soon as a console line matches (repeatable; default: loader panic and
                         CPU exceptions)
  --timeout S            give up after S seconds (default 120)
  --memory MiB           guest memory (default 1024; loongarch64 2048)
  --accel tcg|kvm        accelerator (default tcg; kvm only where it was probed to work)
  --cpu MODEL            -cpu MODEL instead of the machine's default (e.g. max: AES-NI, SHA-NI under TCG)
  --log FILE             keep the serial log here (default: a fresh file under \$TMPDIR)
  --interactive          plain QEMU on this terminal, no patterns, no timeout (Ctrl-A X quits)
  -h, --help             this text
Exit status: 0 all patterns seen; 1 timeout, failure pattern or QEMU died first; 2 usage; 3 missing tools.
USAGE
}

die_usage() { printf '%s: %s\n' "$me" "$1" >&2; exit 2; }
die_env() { printf '%s: %s\n' "$me" "$1" >&2; exit 3; }

firmware=edk2 boot_disk="" boot_cdrom="" vars_file="" efi_file="" net=0 cmdline="" timeout=120 accel=tcg log="" interactive=0
cpu_model=""
memory=${DEFAULT_MEMORY:-1024}
disks=() expects=() fails=() esp_files=() fw_cfgs=() netdev=""
while [ $# -gt 0 ]; do
  case $1 in
    --firmware) firmware=${2:?}; shift 2 ;;
    --boot-disk) boot_disk=${2:?}; shift 2 ;;
    --boot-cdrom) boot_cdrom=${2:?}; shift 2 ;;
    --vars) vars_file=${2:?}; shift 2 ;;
    --disk) disks+=("${2:?}"); shift 2 ;;
    --net) net=1; shift ;;
    --netdev) netdev=${2:?}; net=1; shift 2 ;;
    --esp-file) [[ $2 == *=* ]] || die_usage "--esp-file wants SRC=DEST, not '$2'"; esp_files+=("$2"); shift 2 ;;
    --fw-cfg) [[ $2 == *=* ]] || die_usage "--fw-cfg wants NAME=FILE, not '$2'"; fw_cfgs+=("$2"); shift 2 ;;
    --cmdline) cmdline=${2?}; shift 2 ;;
    --expect) expects+=("${2:?}"); shift 2 ;;
    --fail) fails+=("${2:?}"); shift 2 ;;
    --timeout) timeout=${2:?}; shift 2 ;;
    --memory) memory=${2:?}; shift 2 ;;
    --accel) accel=${2:?}; shift 2 ;;
    --cpu) cpu_model=${2:?}; shift 2 ;;
    --log) log=${2:?}; shift 2 ;;
    --interactive) interactive=1; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) die_usage "unknown option '$1' (see --help)" ;;
    *) [ -z "$efi_file" ] || die_usage "more than one EFI-FILE"; efi_file=$1; shift ;;
  esac
done
[[ $timeout =~ ^[0-9]+$ ]] || die_usage "--timeout wants whole seconds, not '$timeout'"
[[ $memory =~ ^[0-9]+$ ]] || die_usage "--memory wants MiB, not '$memory'"
case $accel in tcg|kvm) ;; *) die_usage "--accel: tcg or kvm, not '$accel'" ;; esac
case $firmware in
  edk2) ;;
  uboot) [ "$CPU" = riscv64 ] || die_usage "--firmware uboot is only wired up for riscv64" ;;
  *) die_usage "--firmware: edk2 or uboot, not '$firmware'" ;;
esac
[ -z "$boot_disk" ] || [ -z "$efi_file" ] || die_usage "give --boot-disk or an EFI-FILE, not both"
[ -z "$boot_cdrom" ] || [ -z "$boot_disk$efi_file" ] || die_usage "give --boot-cdrom, --boot-disk or an EFI-FILE, not two"
[ -z "$vars_file" ] || [ -r "$vars_file" ] || die_usage "--vars: cannot read '$vars_file'"
[ ${#expects[@]} -gt 0 ] || expects=("^cloud-boot [0-9][^ ]* $CPU ")
[ ${#fails[@]} -gt 0 ] || fails=("^error: panic: " "!!!! .*Exception" "Synchronous Exception" "Unhandled exception" "Load access fault|Store/AMO access fault|Illegal instruction at")

# Firmware files: the system's packages first, then the trixie packages unpacked by `make deps`.
find_fw() {
  local f
  for f in "$@"; do
    for d in "" "$top/third_party/firmware"; do
      if [ -f "$d$f" ]; then printf '%s\n' "$d$f"; return 0; fi
    done
  done
  die_env "firmware file not found: $* (run 'make deps')"
}

work=$(mktemp -d "${TMPDIR:-/tmp}/cloud-boot-$CPU.XXXXXX")
qemu_pid=""
cleanup() {
  if [ -n "$qemu_pid" ] && kill -0 "$qemu_pid" 2>/dev/null; then kill "$qemu_pid" 2>/dev/null || true; fi
  # Keep the log (it may live in $work); drop the disk images.
  rm -f "$work"/*.img "$work"/*.fd
}
trap cleanup EXIT
[ -n "$log" ] || log="$work/serial.log"

# make_esp_disk OUT EFI CFG: a 40 MiB GPT disk with one FAT ESP holding EFI as \EFI\BOOT\<name>.EFI.
make_esp_disk() {
  local out=$1 efi=$2 cfg=$3 esp="$work/esp.img"
  local start=2048 sectors=77824     # 1 MiB .. 39 MiB of a 40 MiB disk; the GPT backup fits after it
  command -v sfdisk >/dev/null && command -v mkfs.vfat >/dev/null && command -v mcopy >/dev/null ||
    die_env "needs sfdisk, mkfs.vfat and mtools (run 'make deps')"
  rm -f "$out" "$esp"
  truncate -s 40M "$out"
  printf 'label: gpt\nstart=%d, size=%d, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="ESP"\n' \
    "$start" "$sectors" | sfdisk -q "$out" >/dev/null
  truncate -s $((sectors * 512)) "$esp"
  mkfs.vfat -n CLOUDBOOT "$esp" >/dev/null
  export MTOOLS_SKIP_CHECK=1
  mmd -i "$esp" ::/EFI ::/EFI/BOOT
  mcopy -i "$esp" "$efi" "::/EFI/BOOT/$EFI_NAME.EFI"
  [ -z "$cfg" ] || mcopy -i "$esp" "$cfg" ::/EFI/BOOT/cloudboot.cfg
  local f src dest
  for f in ${esp_files[@]+"${esp_files[@]}"}; do
    src=${f%%=*} dest=${f#*=}
    [ -r "$src" ] || die_usage "--esp-file: cannot read '$src'"
    mcopy -o -i "$esp" "$src" "::/${dest#/}"
  done
  dd if="$esp" of="$out" bs=512 seek="$start" conv=notrunc,sparse status=none
  rm -f "$esp"
}

disk_args=()
if [ -n "$boot_disk" ]; then
  [ -r "$boot_disk" ] || die_usage "--boot-disk: cannot read '$boot_disk'"
  disk_args+=(-drive "if=none,id=boot,format=raw,snapshot=on,file=$boot_disk" -device "virtio-blk-pci,drive=boot,bootindex=0")
elif [ -n "$boot_cdrom" ]; then
  [ -r "$boot_cdrom" ] || die_usage "--boot-cdrom: cannot read '$boot_cdrom'"
  disk_args+=(-device virtio-scsi-pci,id=scsi0 -drive "if=none,id=boot,format=raw,media=cdrom,readonly=on,file=$boot_cdrom"
              -device "scsi-cd,bus=scsi0.0,drive=boot,bootindex=0")
else
  [ -n "$efi_file" ] || efi_file="$top/build/$CPU/boot/$EFI_NAME.EFI"
  [ -r "$efi_file" ] || die_usage "cannot read EFI file '$efi_file' (build it with 'make build-$CPU')"
  cfg=""
  if [ -n "$cmdline" ]; then cfg="$work/cloudboot.cfg"; printf '%s\n' "$cmdline" > "$cfg"; fi
  make_esp_disk "$work/boot.img" "$efi_file" "$cfg"
  disk_args+=(-drive "if=none,id=boot,format=raw,file=$work/boot.img" -device "virtio-blk-pci,drive=boot,bootindex=0")
fi
i=0
for d in ${disks[@]+"${disks[@]}"}; do
  [ -r "$d" ] || die_usage "--disk: cannot read '$d'"
  disk_args+=(-drive "if=none,id=disk$i,format=raw,snapshot=on,file=$d" -device "virtio-blk-pci,drive=disk$i")
  i=$((i + 1))
done

fw_cfg_args=()
for f in ${fw_cfgs[@]+"${fw_cfgs[@]}"}; do
  [ -r "${f#*=}" ] || die_usage "--fw-cfg: cannot read '${f#*=}'"
  fw_cfg_args+=(-fw_cfg "name=${f%%=*},file=${f#*=}")
done

net_args=()
[ -n "$netdev" ] || netdev=user,id=net0
[ $net = 0 ] || net_args=(-netdev "$netdev" -device virtio-net-pci,netdev=net0,romfile=)

pflash() { # pflash CODE VARS: CODE read-only, a fresh copy of VARS for this run
  cp "${vars_file:-$2}" "$work/vars.fd"
  fw_args=(-drive "if=pflash,unit=0,format=raw,readonly=on,file=$1" -drive "if=pflash,unit=1,format=raw,file=$work/vars.fd")
}

fw_args=()
case "$CPU/$firmware" in
  x86_64/edk2)
    qemu=qemu-system-x86_64; machine=(-M q35)
    pflash "$(find_fw /usr/share/OVMF/OVMF_CODE_4M.fd)" "$(find_fw /usr/share/OVMF/OVMF_VARS_4M.fd)" ;;
  aarch64/edk2)
    qemu=qemu-system-aarch64; machine=(-M virt -cpu max)
    pflash "$(find_fw /usr/share/AAVMF/AAVMF_CODE.no-secboot.fd /usr/share/AAVMF/AAVMF_CODE.fd)" \
           "$(find_fw /usr/share/AAVMF/AAVMF_VARS.fd)" ;;
  riscv64/edk2)
    qemu=qemu-system-riscv64; machine=(-M virt -boot menu=on,splash-time=0)
    pflash "$(find_fw /usr/share/qemu-efi-riscv64/RISCV_VIRT_CODE.fd)" \
           "$(find_fw /usr/share/qemu-efi-riscv64/RISCV_VIRT_VARS.fd)" ;;
  riscv64/uboot)
    qemu=qemu-system-riscv64; machine=(-M virt)
    fw_args=(-bios "$(find_fw /usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin)"
             -kernel "$(find_fw /usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin)") ;;
  loongarch64/edk2)
    qemu=qemu-system-loongarch64; machine=(-M virt -cpu la464)
    pflash "$(find_fw /usr/share/qemu-efi-loongarch64/QEMU_EFI.fd)" \
           "$(find_fw /usr/share/qemu-efi-loongarch64/QEMU_VARS.fd)" ;;
esac
command -v "$qemu" >/dev/null || die_env "$qemu not found (run 'make deps')"
if [ -n "$cpu_model" ]; then # replaces the machine's own -cpu
  m=()
  for ((i = 0; i < ${#machine[@]}; i++)); do
    if [ "${machine[i]}" = -cpu ]; then i=$((i + 1)); else m+=("${machine[i]}"); fi
  done
  machine=("${m[@]}" -cpu "$cpu_model")
fi

accel_args=(-accel tcg)
if [ "$accel" = kvm ]; then
  [ -w /dev/kvm ] || die_env "--accel kvm: /dev/kvm is not usable here"
  accel_args=(-accel kvm)
fi

cmd=("$qemu" "${machine[@]}" "${accel_args[@]}" -m "$memory" -smp 1 -nodefaults -display none -no-reboot
     "${fw_args[@]}" "${disk_args[@]}" ${net_args[@]+"${net_args[@]}"} ${fw_cfg_args[@]+"${fw_cfg_args[@]}"})

if [ $interactive = 1 ]; then
  trap - EXIT
  exec "${cmd[@]}" -serial mon:stdio
fi

printf '%s: serial log: %s\n' "$me" "$log" >&2
printf '%s: %s\n' "$me" "${cmd[*]}" >> "$log.cmd"
: > "$log"

now_ms() { local t=${EPOCHREALTIME/./}; printf '%s' "${t:0:-3}"; }
start=$(now_ms)
deadline=$((start + timeout * 1000))

# QEMU writes the serial console to a FIFO we read line by line: every line is logged, shown and matched.
fifo="$work/serial.fifo"
mkfifo "$fifo"
"${cmd[@]}" -serial "file:$fifo" -monitor none </dev/null >>"$log.cmd" 2>&1 &
qemu_pid=$!
exec 3<"$fifo"

declare -a seen_at=()
pending=${#expects[@]}
result=""
while :; do
  left=$((deadline - $(now_ms)))
  if [ $left -le 0 ]; then result="timeout after ${timeout}s"; break; fi
  if IFS= read -r -t "$((left / 1000)).$(printf '%03d' $((left % 1000)))" line <&3; then
    [ -z "${RAW_LOG:-}" ] || printf '%s\n' "$line" >> "$RAW_LOG"
    line=${line//$'\r'/}
    line=${line//$'\e'[\[(]*([0-9;?=])[a-zA-Z]/}
    printf '%s\n' "$line" >> "$log"
    [ "${QUIET:-0}" = 1 ] || printf '%s\n' "$line"
    for j in "${!fails[@]}"; do
      if [[ $line =~ ${fails[$j]} ]]; then result="failure pattern '${fails[$j]}' seen"; break 2; fi
    done
    for j in "${!expects[@]}"; do
      if [ -z "${seen_at[$j]:-}" ] && [[ $line =~ ${expects[$j]} ]]; then
        seen_at[$j]=$(( $(now_ms) - start ))
        pending=$((pending - 1))
      fi
    done
    [ $pending -gt 0 ] || break
  else
    rc=$?
    if [ $rc -le 128 ]; then result="QEMU exited before all patterns were seen"; break; fi
  fi
done
exec 3<&-
kill "$qemu_pid" 2>/dev/null || true
wait "$qemu_pid" 2>/dev/null || true
qemu_pid=""

for j in "${!expects[@]}"; do
  if [ -n "${seen_at[$j]:-}" ]; then
    printf '%s: matched %s at %d ms\n' "$me" "'${expects[$j]}'" "${seen_at[$j]}" >&2
  else
    printf '%s: MISSING %s\n' "$me" "'${expects[$j]}'" >&2
  fi
done
if [ -n "$result" ]; then
  printf '%s: FAIL: %s (serial log: %s)\n' "$me" "$result" "$log" >&2
  tail -n 5 "$log.cmd" | grep -v "^$me:" >&2 || true
  exit 1
fi
printf '%s: PASS in %d ms (serial log: %s)\n' "$me" $(( $(now_ms) - start )) "$log" >&2
