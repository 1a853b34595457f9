#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make demo: boot Debian's kernel with the seed's deadlock on a real XFS
# disk and show what lockwatch reports about it.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
. tests/vm/lib.sh
target=${KERNEL:-6.1}
if ! apt-cache show linux-image-amd64 >/dev/null 2>&1; then
	apt-get update -q >/dev/null
fi
tests/deps.sh || exit 2
kver=$(lw_kver "$target") || exit 2
tests/build-kernel-modules.sh "$target" "build/kernels/$kver" || exit 1
make -s userspace/lockwatch-static || exit 1
vmlinuz=$(lw_fetch_kernel "$kver" "$(lw_archive "$target")") || lw_die "no kernel image for $kver"
out=build/demo
mkdir -p "$out"
lw_fs_disks "$out" "$target" || lw_die "disks and their modules"
lw_initramfs "$out/initrd.gz" tests/vm/guest/demo.sh "$out/kmod/" \
	"build/kernels/$kver/lockwatch.ko" "build/kernels/$kver/lockwatch_scenarios.ko" \
	userspace/lockwatch-static || lw_die "initramfs"
echo "booting $kver under QEMU (TCG), about 20 s..."
LW_DRIVES=$out/xfs.img lw_boot "$vmlinuz" "$out/initrd.gz" "$out/console.log" "$out/report.txt" 300
tr -d '\r' <"$out/report.txt"
problems=$(lw_console_problems "$out/console.log")
[ -z "$problems" ] || { printf 'kernel problems:\n%s\n' "$problems"; exit 1; }
grep -q '^# exit status 1$' <(tr -d '\r' <"$out/report.txt") || { echo "demo: the reader did not report the deadlock" >&2; exit 1; }
