#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot one supported kernel with the scenarios of waits that are not
# locks (workqueue flushes, kthread_stop, the jbd2 journals of ext4
# disks) and check every report.
# usage: run-waits.sh TARGET MODULE_DIR OUT_DIR   (TARGET: see tests/kernels.sh)
set -u
. "$(dirname "$0")/lib.sh"

target=$1 moddir=$2 out=$3
mkdir -p "$out"
kver=$(lw_kver "$target") || lw_die "unknown kernel $target"
lw_guest "$target" || lw_die "what a $target guest runs"
suite=$(lw_archive "$target")
vmlinuz=$(lw_fetch_kernel "$kver" "$suite") || lw_die "no kernel image for $kver"
# Three ext4 disks, and Debian's modules to use them.
modroot=$(lw_fetch_modules "$kver" "$suite") || lw_die "no modules for $kver"
rm -rf "$out/kmod" "$out"/*.img
lw_guest_modules "$modroot" "$kver" "$out/kmod" virtio_pci virtio_blk ext4 ||
	lw_die "guest modules"
for x in j1 j2 j3; do
	lw_ext4_image "$out/$x.img" || lw_die "mkfs.ext4"
done
lw_initramfs "$out/initrd.gz" "$LW_TOP/tests/vm/guest/waits.sh" "$out/kmod/" \
	"$moddir/lockwatch.ko" "$moddir/lockwatch_scenarios.ko" \
	"$moddir/lockwatch_journal.ko" \
	"$lw_reader" || lw_die "initramfs"
start=$(date +%s)
LW_DRIVES="$out/j1.img $out/j2.img $out/j3.img" \
	lw_boot "$vmlinuz" "$out/initrd.gz" "$out/console.log" "$out/results.txt" 600
echo "boot: $(( $(date +%s) - start )) s" >"$out/time.txt"
exec "$LW_TOP/tests/vm/check-waits.sh" "$out" "$target"
