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
suite=$(lw_suite "$target")
vmlinuz=$(lw_fetch_kernel "$kver" "$suite") || lw_die "no kernel image for $kver"
modroot=$(lw_fetch_modules "$kver" "$suite") || lw_die "no kernel modules for $kver"
rm -rf "$out/kmod"
lw_guest_modules "$modroot" "$kver" "$out/kmod" virtio_pci virtio_blk xfs ext4 ||
	lw_die "guest modules"
# Empty file systems, made here; the guest fills them.
rm -f "$out/xfs.img" "$out/ext4.img"
truncate -s 300M "$out/xfs.img" && mkfs.xfs -q "$out/xfs.img" ||
	lw_die "mkfs.xfs"
truncate -s 64M "$out/ext4.img" && mkfs.ext4 -q "$out/ext4.img" ||
	lw_die "mkfs.ext4"
lw_initramfs "$out/initrd.gz" "$LW_TOP/tests/vm/guest/fs.sh" "$out/kmod/" \
	"$moddir/lockwatch.ko" "$moddir/lockwatch_scenarios.ko" \
	"$LW_TOP/userspace/lockwatch-static" || lw_die "initramfs"
start=$(date +%s)
LW_DRIVES="$out/xfs.img $out/ext4.img" \
	lw_boot "$vmlinuz" "$out/initrd.gz" "$out/console.log" "$out/results.txt" 600
echo "boot: $(( $(date +%s) - start )) s" >"$out/time.txt"
exec "$LW_TOP/tests/vm/check-fs.sh" "$out" "$target"
