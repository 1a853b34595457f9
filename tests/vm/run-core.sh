#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot one kernel with the core scenarios and check every report.
# usage: run-core.sh KVER MODULE_DIR OUT_DIR
set -u
. "$(dirname "$0")/lib.sh"

kver=$1 moddir=$2 out=$3
mkdir -p "$out"
vmlinuz=$(lw_fetch_kernel "$kver") || lw_die "no kernel image for $kver"
lw_initramfs "$out/initrd.gz" "$LW_TOP/tests/vm/guest/core.sh" \
	"$moddir/lockwatch.ko" "$moddir/lockwatch_scenarios.ko" \
	"$LW_TOP/userspace/lockwatch-static" || lw_die "initramfs"
start=$(date +%s)
lw_boot "$vmlinuz" "$out/initrd.gz" "$out/console.log" "$out/results.txt" 600
echo "boot: $(( $(date +%s) - start )) s" >"$out/time.txt"
exec "$LW_TOP/tests/vm/check-core.sh" "$out"
