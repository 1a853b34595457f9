#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-core.sh OUT_DIR TARGET: judge one boot of the core scenarios.
# Every report section is normalized (normalize.sh) and compared exactly
# with tests/expected/core: cycles and chains block by block, one block
# per scenario, the rest whole. Where a kernel differs, the file of the
# same name under tests/expected/core.TARGET is used instead. Prints
# PASS/FAIL lines and a summary.
set -u
. "$(dirname "$0")/check-lib.sh"
lw_check_init "$1" "$2" core
# Where each wait is found, for those that began before lockwatch loaded
# (@EARLY@) and after (@LATE@): one line each in sources.txt per kernel.
lw_expect_sub="s/@EARLY@/$(sed -n 's/^early //p' "$(expected sources.txt)")/;
	s/@LATE@/$(sed -n 's/^late //p' "$(expected sources.txt)")/"
lw_check_boot
lw_check_blocks cycles
lw_check_blocks chains
lw_check_whole reader kmsg why badinput churn unload watch cpuhp selftest wqflood owners frozen \
	reads kthreadd-after-load kthreadd-before-load sick-rcu sick-rcu-why sick-rcu-unload \
	tight-memcg
# The self-test's failure path: why it failed the semaphore decoder may
# differ with the kernel's layout; that it did, and what follows, not.
lw_norm_extra_saved=${lw_norm_extra:-}
lw_norm_extra='s/(self-test: semaphore: )[^;]*;/\1REASON;/'
lw_check_whole selftest-broken
lw_norm_extra=$lw_norm_extra_saved
# Completions: their entries, what the reader says, and the end of them.
lw_check_blocks completion
lw_check_whole completion-reader completion-after
lw_check_blocks umh
lw_check_whole umh-reader umh-why umh-after

# The crowd: its head exactly, then one waiter line per crowd thread.
normalized crowd >"$out/crowd.norm"
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
lw_check_graph
lw_check_graph crowd-cycles crowd-chains crowd-stats
reader=$LW_TOP/userspace/lockwatch
want_rc=0
[ "$ncycles" -gt 0 ] && want_rc=1
"$reader" -d "$rep" --json >"$out/report.json"
rc=$?
# What this kernel must show, from its expected entries: the mmap_lock's
# readers, the percpu_rwsem's name, the waits of unknown kind (by their
# site) and whether the page decoder proves the locked page.
mm_waiters=$(sed -n 's/^  waiter: read //p' "$(expected chains/10-mmap-lock.txt)" | jq -R . | jq -sc .)
pcpu_name=$(sed -n '1s/^chain [0-9]*: percpu_rwsem //p' "$(expected chains/13-percpu-writer-waits-for-readers.txt)" | jq -R .)
unknown=$(for c in $(lw_expected_names chains); do
	e=$(expected "chains/$c")
	grep -qx '  wait: unknown' "$e" && sed -n '1s/^chain [0-9]*: wait //p' "$e"
done | jq -R . | jq -sc 'sort')
pages='[]'
grep -q '^chain [0-9]*: folio page lock of inode ' "$(expected chains/14-page-lock.txt)" &&
	pages='[[true, null, ["sh", "cat"]]]'
if [ $rc -eq $want_rc ] && jq -e --argjson n "$ncycles" --argjson mm "$mm_waiters" --argjson pcpu "$pcpu_name" \
		--argjson unknown "$unknown" --argjson pages "$pages" '(.cycles | length) == $n and
		(.chains[] | select(.lock.name | endswith("/js/fire.js")) | .waiters[0].comm) == "rm" and
		(.stats.scans > 0) and ([.cycles[][] | .owner.confidence] | all(. == "exact")) and
		([.chains[] | select(.lock.name | test("^mmap_lock of [0-9]+ sleep$")) |
		  .waiters[].comm] == $mm) and
		([.chains[] | select(.wait == "unknown") | .lock.name] | sort == $unknown) and
		([.chains[] | select(.wait == "unknown") | .owner] | all(. == null)) and
		([.chains[] | select(.wait == "percpu_rwsem") |
		  [.lock.name, .owner.comm, .owner.waits, .count, [.waiters[].mode]]] ==
		  [[$pcpu, "lw_pcpu_writer", "readers", null, ["write", "read", "read"]]]) and
		([.chains[] | select(.wait == "page") | [(.lock.name | test("^page lock of inode [0-9]+ .*/page.dat, offset 0$")),
		  .owner, [.waiters[].comm]]] == $pages)' \
		"$out/report.json" >/dev/null; then
	ok "reader --json: valid for jq, $ncycles cycles, rm behind fire.js, cat and ps behind an mmap_lock, a percpu_rwsem writer waiting for readers, a locked page, unknown waits by site, exit $rc"
else
	bad "reader --json" "exit $rc (want $want_rc): $(head -c 2000 "$out/report.json")"
fi
"$reader" -d "$rep" --prometheus "$out/lockwatch.prom" >/dev/null
if promtool check metrics <"$out/lockwatch.prom" >"$out/promtool.log" 2>&1 &&
	grep -qx "lockwatch_cycles $ncycles" "$out/lockwatch.prom" &&
	grep -qx "lockwatch_stuck_tasks{wait=\"unknown\"} $(sed -n 's/^stuck_unknown: //p' "$rep/stats")" \
		"$out/lockwatch.prom" &&
	grep -qx "lockwatch_stuck_tasks{wait=\"lock\"} $(sed -n 's/^stuck_lock: //p' "$rep/stats")" \
		"$out/lockwatch.prom" &&
	grep -qx "lockwatch_stuck_waking_tasks $(sed -n 's/^woke_while_stuck: //p' "$rep/stats")" \
		"$out/lockwatch.prom" &&
	grep -qx "lockwatch_module_loaded 1" "$out/lockwatch.prom"; then
	ok "reader --prometheus: promtool accepts it, lockwatch_cycles $ncycles, stuck tasks by wait, stuck waking"
else
	bad "reader --prometheus" "$(cat "$out/lockwatch.prom" "$out/promtool.log")"
fi
# lockwatch why --json: the ls, behind the rm, behind fire.js's cycle.
if section why-json | jq -e '.stuck and .pid == .path[0].pid and
		[.path[] | .comm // "cycle"] == ["ls", "rm", "cycle"] and
		.path[0].owner.comm == "rm" and (.path[1].lock | endswith("/js/fire.js"))' >/dev/null &&
	section why-json | jq -e '[.path[2].members[].comm] | sort == ["lw_fire_1", "lw_fire_2"]' >/dev/null; then
	ok "why --json: ls, rm, then fire.js's cycle"
else
	bad "why --json" "$(section why-json | head -c 2000)"
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

lw_check_done core
