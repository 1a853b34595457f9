#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench [KERNEL=6.1]: what lockwatch costs, measured in boots of a
# Debian kernel under QEMU TCG with 1000, 10000 and 30000 threads (see
# tests/vm/guest/bench.sh), in two series:
#   wall:   2 vCPUs, one host thread each; time is the host's, so the
#           host's scheduling shows in it;
#   icount: 1 vCPU with -icount shift=3: guest time advances 8 ns per
#           instruction executed, whatever the host does, so runs repeat
#           to within a percent; memory costs nothing extra there.
# Neither is hardware time: the tables give ratios between figures of the
# same boot. Prints the tables and writes them to build/bench/results.md.
# BENCH_SERIES and BENCH_THREADS choose a subset; tests/bench.sh --report
# renders the tables again from the last results.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
. tests/vm/lib.sh
target=${KERNEL:-6.1}
out=build/bench
report_only=
[ "${1:-}" = --report ] && report_only=1
if [ -z "$report_only" ]; then
if ! apt-cache show linux-image-amd64 >/dev/null 2>&1; then
	apt-get update -q >/dev/null
fi
tests/deps.sh || exit 2
kver=$(lw_kver "$target") || exit 2
tests/build-kernel-modules.sh "$target" "build/kernels/$kver" || exit 1
suite=$(lw_archive "$target")
vmlinuz=$(lw_fetch_kernel "$kver" "$suite") || lw_die "no kernel image for $kver"
mkdir -p "$out"
# An ext4 disk for the journal waits, and Debian's modules to use it.
modroot=$(lw_fetch_modules "$kver" "$suite") || lw_die "no modules for $kver"
rm -rf "$out/kmod" "$out/j.img"
lw_guest_modules "$modroot" "$kver" "$out/kmod" virtio_pci virtio_blk ext4 ||
	lw_die "guest modules"
lw_ext4_image "$out/j.img" || lw_die "mkfs.ext4"
lw_initramfs "$out/initrd.gz" tests/vm/guest/bench.sh "$out/kmod/" \
	"build/kernels/$kver/lockwatch.ko" "build/kernels/$kver/lockwatch_scenarios.ko" \
	"build/kernels/$kver/lockwatch_journal.ko" || lw_die "initramfs"

for series in ${BENCH_SERIES:-wall icount}; do
	if [ "$series" = icount ]; then
		accel=tcg,thread=single
		# QEMU 7.2 does not bring up a second vCPU under icount.
		qargs="-smp 1 -icount shift=3,sleep=on"
	else
		accel=tcg
		qargs=
	fi
	for n in ${BENCH_THREADS:-1000 10000 30000}; do
		mem=1024
		[ $n -gt 1000 ] && mem=$((n / 10 + 1024))
		f=$out/$series-$n
		echo "booting $kver ($series) with $n threads (${mem} MiB)..."
		start=$(date +%s)
		LW_DRIVES=$out/j.img LW_MEM=$mem LW_ACCEL=$accel LW_QEMU_ARGS=$qargs lw_boot "$vmlinuz" \
			"$out/initrd.gz" "$f.console" "$f.txt" 1800 "lw_threads=$n"
		echo "  $(($(date +%s) - start)) s"
		tr -d '\r' <"$f.txt" >"$f.clean"
		problems=$(lw_console_problems "$f.console" | grep -v 'INFO: task .* blocked')
		[ -z "$problems" ] || { printf 'kernel problems:\n%s\n' "$problems"; exit 1; }
		grep -q '^end$' "$f.clean" ||
			{ grep guest-error "$f.clean"; tail -n 5 "$f.console"; exit 1; }
	done
done
fi
kver=$(lw_kver "$target") || exit 2

# report SERIES TITLE: the tables of one series.
report() {
	[ -n "$(ls "$out/$1"-*.clean 2>/dev/null)" ] || return 0
	cat "$out/$1"-*.clean | awk -v title="$2" '
	function range(list,   a, i, n, lo, hi) {
		n = split(list, a, " ")
		lo = hi = a[1]
		for (i = 2; i <= n; i++) {
			if (a[i] + 0 < lo + 0) lo = a[i]
			if (a[i] + 0 > hi + 0) hi = a[i]
		}
		return lo "-" hi
	}
	function median(list, n,   a, i, j, t) {
		n = split(list, a, " ")
		for (i = 1; i <= n; i++)
			for (j = i + 1; j <= n; j++)
				if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	$1 == "cost" {
		k = $2 " " $3
		if (!(k in threads)) order[++nk] = k
		threads[k] = $4; dtasks[k] = $5
		# the scan and its reports, beyond the bare walk
		scan[k] = scan[k] " " ($6 + $11 - $7)
		walk[k] = walk[k] " " $7
		if ($8 > rcu[k]) rcu[k] = $8
		rcus[k] = rcus[k] " " $8
		over[k] = $9
		if ($10 > wrcu[k]) wrcu[k] = $10
	}
	$1 == "hotpath" { rounds[$2] = rounds[$2] " " $3; files[$2] = files[$2] " " $4 }
	$1 == "latency" {
		ms = $3 * 1000 - $2 / 1000000
		p = ms / $4
		lat = lat " " p
		if (p > latmax) latmax = p
		if ($5 > scanmax) scanmax = $5
		nlat++
	}
	$1 == "memory" { mem[$2] = $3 }
	END {
		printf "## %s\n\n", title
		printf "Scan cost (median of 7 scans; scan: the scan and its reports beyond the bare walk of the same scan)\n\n"
		printf "| threads | blocked | D tasks | bare walk us | scan us | scan/walk | longest RCU us (median, worst) | bare walk: worst RCU us | overflows |\n"
		printf "|---|---|---|---|---|---|---|---|---|\n"
		for (i = 1; i <= nk; i++) {
			k = order[i]
			split(k, kk, " ")
			w = median(walk[k]); sc = median(scan[k])
			printf "| %d | %s%s | %d | %d | %d | %.1f | %d, %d | %d | %d |\n", threads[k], kk[2],
				kk[2] ~ /^[0-9]+$/ ? " %" : "", dtasks[k], w, sc, w ? sc / w : 0,
				median(rcus[k]), rcu[k], wrcu[k], over[k]
		}
		if ("none" in rounds) {
			r0 = median(rounds["none"]); f0 = median(files["none"])
			printf "\nHot path: lock-heavy work for 4 s (median of 5 interleaved runs)\n\n"
			printf "| lockwatch | mutex/rwsem churn rounds (range) | vs none | file create+unlink (range) | vs none |\n"
			printf "|---|---|---|---|---|\n"
			split("none loaded cross_check", modes, " ")
			for (i = 1; i <= 3; i++) {
				m = modes[i]; r = median(rounds[m]); f = median(files[m])
				printf "| %s | %d (%s) | %.1f %% | %d (%s) | %.1f %% |\n", m, r, range(rounds[m]),
					r0 ? 100 * r / r0 : 0, f, range(files[m]), f0 ? 100 * f / f0 : 0
			}
		}
		if (nlat) {
			printf "\nDetection latency, scan_period_ms=1000 confirm_ms=1000, %d cycles: ", nlat
			printf "median %.2f, worst %.2f scan periods (measured every 20 ms);\n", median(lat), latmax
			printf "reported by the scan at most %d after the cycle formed\n", scanmax
		}
		printf "\nMemory, allocated at load and never more:"
		for (m in mem)
			printf " max_tasks=%s: %d KiB;", m, mem[m]
		printf "\n\n"
	}'
}
{
	printf 'lockwatch benchmark, Debian %s under QEMU TCG\n\n' "$kver"
	report wall "Wall clock: 2 vCPUs, host time"
	report icount "Instruction time: 1 vCPU, -icount shift=3 (8 ns per instruction)"
} >"$out/results.md"
cat "$out/results.md"
