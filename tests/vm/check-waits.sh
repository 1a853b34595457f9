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
lw_check_blocks nolayout
lw_check_blocks nolayout-reader
lw_check_whole cycles-nolayout churn
lw_check_done waits
