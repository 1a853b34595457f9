#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot one supported kernel with an XFS and an ext4 disk and the seed's
# deadlock on them, and check every report.
# usage: run-fs.sh TARGET MODULE_DIR OUT_DIR   (TARGET: see tests/kernels.sh)
set -u
. "$(dirname "$0")/lib.sh"

target=$1 moddir=$2 out=$3
mkdir -p "$out"
kver=$(lw_kver "$target") || lw_die "unknown kernel $target"
lw_guest "$target" || lw_die "what a $target guest runs"
vmlinuz=$(lw_fetch_kernel "$kver" "$(lw_archive "$target")") || lw_die "no kernel image for $kver"
lw_fs_disks "$out" "$target" || lw_die "disks and their modules"
# Debian's bindfs, the FUSE daemon that stops answering.
lw_debian_root "$out/bindfs" bindfs bindfs libfuse2 || lw_die "bindfs"
LW_EXTRA_ROOT=$out/bindfs lw_initramfs "$out/initrd.gz" "$LW_TOP/tests/vm/guest/fs.sh" "$out/kmod/" \
	"$moddir/lockwatch.ko" "$moddir/lockwatch_scenarios.ko" \
	"$out"/nullb/*-null_blk.ko "$lw_reader" || lw_die "initramfs"
start=$(date +%s)
drives="$out/xfs.img $out/ext4.img $out/fxfs.img $out/fext4.img"
append=
if [ -f "$out/sd.img" ]; then
	drives="$drives $out/sd.img"
	append=lw_storage=1
fi
LW_DRIVES=$drives lw_boot "$vmlinuz" "$out/initrd.gz" "$out/console.log" "$out/results.txt" 600 "$append"
echo "boot: $(( $(date +%s) - start )) s" >"$out/time.txt"
exec "$LW_TOP/tests/vm/check-fs.sh" "$out" "$target"
