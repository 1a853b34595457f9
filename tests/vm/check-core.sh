#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-core.sh OUT_DIR TARGET: judge one boot of the core scenarios.
# Every report section is normalized (normalize.sh) and compared exactly
# with tests/expected/core: cycles and chains block by block, one block
# per scenario, the rest whole. Where a kernel differs, the file of the
# same name under tests/expected/core.TARGET is used instead. Prints
# PASS/FAIL lines and a summary.
set -u
. "$(dirname "$0")/lib.sh"

out=$1
target=$2
common=$LW_TOP/tests/expected/core
# expected FILE: the kernel's own version of an expectation, then the one
# of its flavour (core.rt for PREEMPT_RT kernels), then the common one.
expected() {
	local f flavour=""
	case $target in *-*) flavour=$common.${target#*-} ;; esac
	for f in "$common.$target/$1" ${flavour:+"$flavour/$1"} "$common/$1"; do
		[ -f "$f" ] && { echo "$f"; return; }
	done
	echo "$common/$1"
}
# An expectation that reads "not here: REASON" does not apply to this kernel.
not_here() { sed -n '1s/^not here: //p' "$1"; }
pass=0
fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() {
	echo "FAIL $1"
	[ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/    /'
	fail=$((fail + 1))
}

tr -d '\r' <"$out/results.txt" >"$out/results.clean"
section() { awk -v s="$1" '/^=== /{ on = ($2 == s); next } on' "$out/results.clean"; }

problems=$(lw_console_problems "$out/console.log")
if [ -z "$problems" ]; then ok "console: no BUG/WARNING/Oops"; else bad "console" "$problems"; fi
if grep -q '^=== end$' "$out/results.clean" && ! grep -q '^guest-error' "$out/results.clean"; then
	ok "guest script ran to the end"
else
	bad "guest script" "$(grep '^guest-error' "$out/results.clean"; tail -n 5 "$out/console.log")"
fi

section facts >"$out/facts"

# Split a normalized section into blank-line separated blocks.
split_blocks() {
	rm -rf "$2" && mkdir -p "$2"
	awk -v dir="$2" 'BEGIN { n = 1 } /^$/ { n++; next } { f = sprintf("%s/%03d", dir, n); print >> f; close(f) }' "$1"
}

for sec in cycles chains; do
	section $sec | "$LW_TOP/tests/vm/normalize.sh" "$out/facts" >"$out/$sec.norm" || {
		bad "$sec: cannot normalize"
		continue
	}
	split_blocks "$out/$sec.norm" "$out/$sec.blocks"
	for c in "$common/$sec"/*.txt; do
		name=$sec/$(basename "$c" .txt)
		e=$(expected "$sec/$(basename "$c")")
		why=$(not_here "$e")
		if [ -n "$why" ]; then
			echo "N/A  $name: $why"
			continue
		fi
		found=""
		for b in "$out/$sec.blocks"/*; do
			[ -f "$b" ] || continue
			if cmp -s "$e" "$b"; then found=$b; break; fi
		done
		if [ -n "$found" ]; then
			ok "$name"
			rm -f "$found"
		else
			# Show the difference against the block that starts alike.
			near=$(grep -lxF "$(sed -n 2p "$e")" "$out/$sec.blocks"/* 2>/dev/null | head -n 1)
			bad "$name" "$(diff -u "$e" "${near:-/dev/null}" | tail -n +3)"
		fi
	done
	for b in "$out/$sec.blocks"/*; do
		[ -f "$b" ] && bad "$sec: unexpected block" "$(cat "$b")"
	done
done

for sec in reader kmsg badinput churn unload watch; do
	section $sec | "$LW_TOP/tests/vm/normalize.sh" "$out/facts" >"$out/$sec.norm"
	e=$(expected "$sec.txt")
	if cmp -s "$e" "$out/$sec.norm"; then
		ok "$sec"
	else
		bad "$sec" "$(diff -u "$e" "$out/$sec.norm" | tail -n +3)"
	fi
done

# The crowd: its head exactly, then one waiter line per crowd thread.
section crowd | "$LW_TOP/tests/vm/normalize.sh" "$out/facts" >"$out/crowd.norm"
e=$(expected crowd-head.txt)
if sed '/^  waiter: /d' "$out/crowd.norm" | cmp -s "$e" -; then
	ok "crowd: one chain entry for 1000 waiters"
else
	bad "crowd: chain entry" "$(sed '/^  waiter: /d' "$out/crowd.norm" | diff -u "$e" - | tail -n +3)"
fi
if diff <(grep '^  waiter: ' "$out/crowd.norm" | sort) \
	<(seq 1 1000 | sed 's/^/  waiter: write lw_crowd_/' | sort) >/dev/null; then
	ok "crowd: every waiter listed once"
else
	bad "crowd: waiters" "$(grep -c '^  waiter: ' "$out/crowd.norm") waiter lines"
fi
section crowd-stats >"$out/crowd-stats"

# The reader on the host, on this boot's reports, for its consumers.
rep=$out/reports
mkdir -p "$rep"
section cycles >"$rep/cycles"
section chains >"$rep/chains"
section stats >"$rep/stats"
ncycles=$(sed -n 's/^cycles: //p' "$rep/cycles")
reader=$LW_TOP/userspace/lockwatch
want_rc=0
[ "$ncycles" -gt 0 ] && want_rc=1
"$reader" -d "$rep" --json >"$out/report.json"
rc=$?
if [ $rc -eq $want_rc ] && jq -e --argjson n "$ncycles" '(.cycles | length) == $n and
		(.chains[] | select(.lock.name | endswith("/js/fire.js")) | .waiters[0].comm) == "rm" and
		(.stats.scans > 0) and ([.cycles[][] | .owner.confidence] | all(. == "exact"))' \
		"$out/report.json" >/dev/null; then
	ok "reader --json: valid for jq, $ncycles cycles, rm behind fire.js, exit $rc"
else
	bad "reader --json" "exit $rc (want $want_rc): $(head -c 2000 "$out/report.json")"
fi
"$reader" -d "$rep" --prometheus "$out/lockwatch.prom" >/dev/null
if promtool check metrics <"$out/lockwatch.prom" >"$out/promtool.log" 2>&1 &&
	grep -qx "lockwatch_cycles $ncycles" "$out/lockwatch.prom" &&
	grep -qx "lockwatch_module_loaded 1" "$out/lockwatch.prom"; then
	ok "reader --prometheus: promtool accepts it, lockwatch_cycles $ncycles"
else
	bad "reader --prometheus" "$(cat "$out/lockwatch.prom" "$out/promtool.log")"
fi
"$reader" check -d "$rep" >"$out/check.txt"
rc=$?
if [ $rc -eq 2 ] && grep -q "^LOCKWATCH CRITICAL - $ncycles deadlock cycles; " "$out/check.txt"; then
	ok "reader check: CRITICAL, exit 2"
else
	bad "reader check" "exit $rc: $(cat "$out/check.txt")"
fi

section stats >"$out/stats"
while read -r want; do
	if grep -qxF "$want" "$out/stats"; then
		ok "stats: ${want%%:*}"
	else
		bad "stats: ${want%%:*}" "want '$want', have '$(grep "^${want%%:*}: " "$out/stats")'"
	fi
done <"$(expected stats.txt)"

echo "core on $target: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
