#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot one supported kernel with the scenarios of waits that are not
# locks (workqueue flushes) and check every report.
# usage: run-waits.sh TARGET MODULE_DIR OUT_DIR   (TARGET: see tests/kernels.sh)
set -u
. "$(dirname "$0")/lib.sh"

target=$1 moddir=$2 out=$3
mkdir -p "$out"
kver=$(lw_kver "$target") || lw_die "unknown kernel $target"
vmlinuz=$(lw_fetch_kernel "$kver" "$(lw_suite "$target")") || lw_die "no kernel image for $kver"
lw_initramfs "$out/initrd.gz" "$LW_TOP/tests/vm/guest/waits.sh" \
	"$moddir/lockwatch.ko" "$moddir/lockwatch_scenarios.ko" \
	"$LW_TOP/userspace/lockwatch-static" || lw_die "initramfs"
start=$(date +%s)
lw_boot "$vmlinuz" "$out/initrd.gz" "$out/console.log" "$out/results.txt" 600
echo "boot: $(( $(date +%s) - start )) s" >"$out/time.txt"
exec "$LW_TOP/tests/vm/check-waits.sh" "$out" "$target"
