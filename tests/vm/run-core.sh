#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot one supported kernel with the core scenarios and check every report.
# usage: run-core.sh TARGET MODULE_DIR OUT_DIR   (TARGET: see tests/kernels.sh)
set -u
. "$(dirname "$0")/lib.sh"

target=$1 moddir=$2 out=$3
mkdir -p "$out"
kver=$(lw_kver "$target") || lw_die "unknown kernel $target"
lw_guest "$target" || lw_die "what a $target guest runs"
# LW_VMLINUZ: boot this kernel instead (e.g. the debug build of 6.1).
vmlinuz=${LW_VMLINUZ:-$(lw_fetch_kernel "$kver" "$(lw_archive "$target")")} ||
	lw_die "no kernel image for $kver"
lw_initramfs "$out/initrd.gz" "$LW_TOP/tests/vm/guest/core.sh" \
	"$moddir/lockwatch.ko" "$moddir/lockwatch_scenarios.ko" \
	"$lw_reader" || lw_die "initramfs"
start=$(date +%s)
lw_boot "$vmlinuz" "$out/initrd.gz" "$out/console.log" "$out/results.txt" 600
echo "boot: $(( $(date +%s) - start )) s" >"$out/time.txt"
exec "$LW_TOP/tests/vm/check-core.sh" "$out" "$target"
