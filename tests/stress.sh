#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make stress [STRESS_KERNELS="6.1 debug"]: lockwatch under stress
# (tests/vm/guest/stress.sh) on Debian kernels and on "debug", a 6.1
# kernel built from linux-source-6.1 with KASAN, lockdep,
# DEBUG_ATOMIC_SLEEP and DEBUG_OBJECTS (tests/debug-kernel.sh, cached
# after the first build, which takes most of an hour), where the core
# scenario suite runs too. Every boot has panic_on_warn=1 and fails on any
# BUG, WARNING, Oops, KASAN or lockdep report. PASS/FAIL lines, then
# "stress: N passed, M failed".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
. tests/vm/lib.sh
kernels=${*:-6.1 debug}
if ! apt-cache show linux-image-amd64 >/dev/null 2>&1; then
	apt-get update -q >/dev/null
fi
tests/deps.sh || exit 2
make -s userspace/lockwatch-static || exit 1
pass=0
fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() {
	echo "FAIL $1"
	[ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/    /'
	fail=$((fail + 1))
}
# is NAME GOT WANT
is() { if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "got '$2', want '$3'"; fi; }

# Build both modules against the debug kernel's tree, W=1, no warning.
build_debug() {
	local kdir=$1 out m
	out=$(cd "$2" && pwd) || return 1
	rm -rf "$out/src" && mkdir -p "$out/src/tests/scenarios" &&
		cp -r Kbuild module "$out/src/" &&
		cp tests/scenarios/Kbuild tests/scenarios/*.[ch] "$out/src/tests/scenarios/" ||
		return 1
	for m in "$out/src" "$out/src/tests/scenarios"; do
		make -s -C "$kdir" M="$m" W=1 modules >"$m/build.log" 2>&1 || { cat "$m/build.log"; return 1; }
		if grep -q 'warning:' "$m/build.log"; then cat "$m/build.log"; return 1; fi
	done
	cp "$out/src/lockwatch.ko" "$out/src/tests/scenarios/lockwatch_scenarios.ko" "$out/"
}

r() { sed -n "s/^$1 //p" "$res"; }
check_scans() {
	local scans tried
	scans=$(r scans)
	[ "${scans:-0}" -ge 2000 ] && ok "$t: $scans scans under churn, fork/exit storms and 3 scan writers" ||
		bad "$t: 2000 scans" "scans: '$scans'"
	is "$t: only the 2 real cycles, ever (most seen at once)" "$(r most_cycles_seen)" 2
	is "$t: no churn thread ever in a cycle" "$(r reads_with_churn_in_a_cycle)" 0
	is "$t: each real cycle logged once ($(r partial_walks) walks cut short by an exit)" "$(r cycles_logged)" 2
	tried=$(r params_tried | cut -d' ' -f1)
	is "$t: bad parameter values refused, values kept ($tried)" "$(r params_tried)" "$tried refused $tried"
	is "$t: no bad value accepted" "$(grep -c -e '^accepted:' -e '^loaded with' -e '^max_tasks writable' "$res")" 0
	is "$t: bad load-time values refused" "$(r bad_loads_refused)" "6 of 6"
	is "$t: garbage into layouts and scan refused" "$(r garbage_writes)" "400 refused 400"
	is "$t: layouts unchanged by garbage" "$(grep -c '^layouts unchanged$' "$res")" 1
}
check_reloads() {
	is "$t: 100 unloads and loads under churn and storms" "$(r reloads)" 100
	is "$t: every reload reports both cycles by its second scan" "$(r reloads_reporting_both_cycles)" 100
	is "$t: no churn thread in a cycle after any reload" "$(grep -c '^churn_in_a_cycle' "$res")" 0
}

for t in $kernels; do
	out=build/stress/$t
	mkdir -p "$out"
	if [ "$t" = debug ]; then
		kdir=$(tests/debug-kernel.sh) || { bad "$t: debug kernel build"; continue; }
		vmlinuz=$kdir/arch/x86/boot/bzImage
		build_debug "$kdir" "$out" || { bad "$t: build with W=1, no warnings"; continue; }
		mods=$out
	else
		kver=$(lw_kver "$t") || { bad "$t: unknown kernel"; continue; }
		mods=build/kernels/$kver
		tests/build-kernel-modules.sh "$t" "$mods" || { bad "$t: build with W=1, no warnings"; continue; }
		vmlinuz=$(lw_fetch_kernel "$kver" "$(lw_archive "$t")") || { bad "$t: kernel image"; continue; }
	fi
	ok "$t: build with W=1, no warnings"
	lw_initramfs "$out/initrd.gz" tests/vm/guest/stress.sh \
		"$mods/lockwatch.ko" "$mods/lockwatch_scenarios.ko" || lw_die "initramfs"
	for phase in scans reloads; do
		accel=tcg
		# Registering the lock:contention probes patches the lock slow
		# paths' code. With one host thread per vCPU, QEMU livelocks when
		# one vCPU patches code the other runs in a loop (the churn);
		# toggling the tracepoints through tracefs, with no lockwatch,
		# does the same. One host thread running both vCPUs in turn
		# does not.
		[ $phase = reloads ] && accel=tcg,thread=single
		start=$(date +%s)
		# The deadlocks are meant: no hung-task reports about them.
		LW_ACCEL=$accel LW_MEM=2048 lw_boot "$vmlinuz" "$out/initrd.gz" \
			"$out/console.$phase.log" "$out/results.$phase.txt" 3000 \
			"sysctl.kernel.hung_task_timeout_secs=0 lwphase=$phase"
		echo "$t: $phase boot $(($(date +%s) - start)) s"
		res=$out/results.$phase.clean
		tr -d '\r' <"$out/results.$phase.txt" >"$res"
		problems=$(lw_console_problems "$out/console.$phase.log")
		if [ -z "$problems" ]; then
			ok "$t $phase: console: no BUG/WARNING/Oops/KASAN/lockdep report"
		else
			bad "$t $phase: console" "$problems"
		fi
		if grep -q '^end$' "$res" && ! grep -q '^guest-error' "$res"; then
			ok "$t $phase: stress script ran to the end"
		else
			bad "$t $phase: stress script" "$(grep '^guest-error' "$res"; tail -n 5 "$out/console.$phase.log")"
		fi
		check_$phase
	done

	# The core scenario suite on the debug kernel, judged as 6.1 is.
	if [ "$t" = debug ]; then
		LW_VMLINUZ=$vmlinuz tests/vm/run-core.sh 6.1 "$mods" "$out/core" >"$out/core.log" 2>&1
		rc=$?
		sed -n 's/^\(PASS\|FAIL\|N\/A \) /&/p' "$out/core.log" | sed 's/^\(PASS\|FAIL\|N\/A \) */&debug core: /'
		p=$(grep -c '^PASS' "$out/core.log")
		f=$(grep -c '^FAIL' "$out/core.log")
		[ $rc -eq 0 ] || [ "$f" -gt 0 ] || f=1
		pass=$((pass + p))
		fail=$((fail + f))
	fi
done
echo "stress: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
