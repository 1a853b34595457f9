#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-waits.sh OUT_DIR TARGET: judge one boot of the scenarios of waits
# that are not locks (guest/waits.sh) against tests/expected/waits: the
# flush deadlocks as cycles, block by block; the chains of the ordered
# workqueue; what the reader says; the same without the worker layout;
# churn.
set -u
. "$(dirname "$0")/check-lib.sh"
lw_check_init "$1" "$2" waits
# The order of cycles and chains follows the order tasks are walked in;
# kernel workers are named by CPU and number; the lock slow paths are
# the core suite's to assert.
lw_norm_extra='s/^(cycle|chain) [0-9]+:/\1 N:/; s/: (cycle|chain) [0-9]+$/: \1 N/;
	s/kworker\/[0-9u]+:[0-9]+H?/kworker/g; /^    source: /d;
	/^      lw_/!{/^      [^ ]/d};
	s/^(lockwatch: deadlock: cycle)/\n\1/; s/ waits in chain [0-9]+,/ waits in chain N,/;
	s/transaction [0-9]+/transaction N/g; s/\(chain [0-9]+, /(chain N, /'
lw_norm_post=lw_sort_members
lw_check_boot
lw_check_panic
lw_check_blocks cycles
lw_check_blocks chains
lw_check_whole lockdown setup reader-exit wqchain-after
lw_check_blocks reader
lw_check_blocks kmsg
# The completions' and journals' entries in --json, through jq.
section json | jq -c '(.cycles[][] | select(.lock.kind == "completion") |
	{name: .lock.name, owner: .owner.confidence}),
	(.chains[] | select(.wait == "completion") |
	{name: .lock.name, flush, owner: (.owner.confidence // null)}),
	(.chains[] | select(.wait == "journal") |
	{name: .lock.name, owner: .owner.confidence})' |
	sed -E 's/ of ext4 [0-9]+:[0-9]+ / of ext4 DEV /; s/transaction [0-9]+/transaction N/' |
	sort >"$out/json.txt" 2>&1
lw_check_file "json: the completions' and journals' entries (jq)" "$(expected json.txt)" "$out/json.txt"
# check, its first line's head (the first cycle's tasks vary by walk).
section check | sed 's/;.*//' >"$out/check.txt"
lw_check_file "check: CRITICAL, the cycles counted, exit 2" "$(expected check.txt)" "$out/check.txt"
# check of the same chains without the cycles: WARNING, the stuck tasks
# counted by what they wait behind.
mkdir -p "$out/nocycles"
printf 'lockwatch cycles 1\ncycles: 0\n' >"$out/nocycles/cycles"
section chains >"$out/nocycles/chains"
section stats >"$out/nocycles/stats"
"$LW_TOP/userspace/lockwatch" -d "$out/nocycles" check | sed -E 's/longest [0-9]+ s$/longest N s/' >"$out/check-chains.txt"
lw_check_file "check without the cycles: WARNING, tasks counted by what they wait behind" \
	"$(expected check-chains.txt)" "$out/check-chains.txt"
# The metrics: promtool accepts them, and the alerting rules fire on
# them as userspace/lockwatch.rules.yml promises (tests/rules-test.sh).
section prom >"$out/lockwatch.prom"
"$LW_TOP/userspace/lockwatch" -d /nonexistent --prometheus "$out/notloaded.prom" 2>/dev/null
if promtool check metrics <"$out/lockwatch.prom" >"$out/promtool.log" 2>&1 &&
	grep -qx "lockwatch_cycles $(grep -c '^cycle [0-9]*:' <(section cycles))" "$out/lockwatch.prom"; then
	ok "prometheus: promtool accepts the metrics, lockwatch_cycles as in the report"
else
	bad "prometheus" "$(cat "$out/lockwatch.prom" "$out/promtool.log")"
fi
if "$LW_TOP/tests/rules-test.sh" "$out/lockwatch.prom" "$out/notloaded.prom" >"$out/rules-test.log" 2>&1; then
	ok "alerting rules: promtool test rules on these metrics: $(tail -n 1 "$out/rules-test.log")"
else
	bad "alerting rules: promtool test rules" "$(cat "$out/rules-test.log")"
fi
# What watch logged, each line once: the members of a cycle and the
# lines in a canonical order (kernel workers come and go).
normalized watch | sed -E 's/^(stuck: [0-9]+ tasks? for )[0-9]+ s /\1N s /' |
	awk 'match($0, /^deadlock: cycle of [0-9]+ tasks?: /) { head = substr($0, 1, RLENGTH)
		n = split(substr($0, RLENGTH + 1), m, "; "); tail = m[n]
		id = ""; if (match(tail, / \[cycle ID\]$/)) { id = " [cycle ID]"; m[n] = substr(tail, 1, RSTART - 1) }
		for (a = 2; a <= n; a++) for (b = a; b > 1 && m[b - 1] > m[b]; b--) { t = m[b]; m[b] = m[b - 1]; m[b - 1] = t }
		line = head m[1]; for (a = 2; a <= n; a++) line = line "; " m[a]
		print line id; next } { print }' | sort >"$out/watch.norm"
lw_check_file "watch: each cycle and each chain stuck 1 s once, the ended chains gone, under lockdown" \
	"$(expected watch.txt)" "$out/watch.norm"
lw_check_graph
lw_check_blocks nolayout
lw_check_blocks nolayout-reader
lw_check_whole cycles-nolayout churn
lw_check_done waits
