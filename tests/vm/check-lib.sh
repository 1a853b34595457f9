#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What the checks of a VM boot share. Source it, then call
# lw_check_init OUT_DIR TARGET SUITE: the boot's results are in
# OUT_DIR/results.txt; its expectations in tests/expected/SUITE, where a
# file of the same name under tests/expected/SUITE.TARGET (then SUITE.rt
# for PREEMPT_RT kernels, then SUITE.VERSION for every flavour and
# architecture of that version, then SUITE.from-VERSION for kernels from
# that version on) takes precedence. A file that reads "not here: REASON"
# does not apply to that kernel (N/A).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

lw_check_init() {
	out=$1
	target=$2
	common=$LW_TOP/tests/expected/$3
	pass=0
	fail=0
	tr -d '\r' <"$out/results.txt" >"$out/results.clean"
	section facts >"$out/facts"
}

# The directories of expectations that apply to this kernel, the first
# one that has a file winning: SUITE.TARGET, SUITE.FLAVOUR (rt, or
# rt-arm64, then rt and arm64), SUITE.VERSION (7.2 for 7.2-arm64), then
# SUITE.from-VERSION for every VERSION up to the kernel's, the latest
# first (a behaviour that changed in that version), then SUITE.
lw_expected_dirs() {
	local base=${target%%-*} d v
	echo "$common.$target"
	case $target in
	*-*-*) echo "$common.${target#*-}" $(echo "${target#*-}" | tr - '\n' | sed "s|^|$common.|") "$common.$base" ;;
	*-*) echo "$common.${target#*-}" "$common.$base" ;;
	esac
	for d in "$common".from-*; do
		[ -d "$d" ] || continue
		v=${d##*.from-}
		[ "$(printf '%s\n%s\n' "$v" "$base" | sort -V | head -n 1)" = "$v" ] && echo "$v $d"
	done | sort -rV | cut -d' ' -f2
	echo "$common"
}
# expected FILE: the kernel's own version of an expectation.
expected() {
	local d
	for d in $(lw_expected_dirs); do
		[ -f "$d/$1" ] && { echo "$d/$1"; return; }
	done
	echo "$common/$1"
}
not_here() { sed -n '1s/^not here: //p' "$1"; }
# The expectation files of DIR for this kernel: the common ones and those
# of every directory that applies (a kernel may expect blocks the others
# do not show).
lw_expected_names() {
	local d
	for d in $(lw_expected_dirs); do
		ls "$d/$1" 2>/dev/null
	done | grep '\.txt$' | sort -u
}
ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() {
	echo "FAIL $1"
	[ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/    /'
	fail=$((fail + 1))
}
section() { awk -v s="$1" '/^=== /{ on = ($2 == s); next } on' "$out/results.clean"; }
# is NAME GOT WANT: one exact comparison.
is() {
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "$(diff -u <(echo "$3") <(echo "$2") | tail -n +3)"; fi
}
# lw_norm_extra: a sed -E script a suite applies after normalize.sh;
# lw_norm_post: a filter it applies after that (default cat).
normalized() {
	section "$1" | "$LW_TOP/tests/vm/normalize.sh" "$out/facts" |
		sed -E "${lw_norm_extra:-}" | ${lw_norm_post:-cat}
}

# A cycle's members in a canonical order (their text sorted), for suites
# whose members are walked in no fixed order (kernel workers come and go):
# each member starts at an indent of two ("  task: ", a reader's "  NAME
# (...)") or is a kernel log line ("lockwatch:   pid ..."), and owns the
# deeper lines after it. Every line is kept.
lw_sort_members() {
	awk 'function out(  i, j, t) {
			for (i = 2; i <= k; i++)
				for (j = i; j > 1 && m[j - 1] > m[j]; j--) {
					t = m[j]; m[j] = m[j - 1]; m[j - 1] = t
				}
			for (i = 1; i <= k; i++)
				printf "%s", m[i]
			k = 0; in_cycle = 0
		}
		/^cycle N: |deadlock: cycle of / { out(); print; in_cycle = 1; next }
		in_cycle && (/^  [^ ]/ || /^lockwatch:   pid /) { m[++k] = $0 "\n"; next }
		in_cycle && k && /^   / { m[k] = m[k] $0 "\n"; next }
		{ out(); print }
		END { out() }'
}

# The console shows no kernel problem, and the guest script finished.
lw_check_boot() {
	local problems
	# A boot that ends in panic_on_deadlock's panic is judged up to its
	# mark; lw_check_panic judges the rest.
	problems=$(sed '/lw-panic: panic_on_deadlock=/,$d' "$out/console.log" >"$out/console.before" &&
		lw_console_problems "$out/console.before")
	if [ -z "$problems" ]; then ok "console: no BUG/WARNING/Oops"; else bad "console" "$problems"; fi
	if grep -q '^=== end$' "$out/results.clean" && ! grep -q '^guest-error' "$out/results.clean"; then
		ok "guest script ran to the end"
	else
		bad "guest script" "$(grep '^guest-error' "$out/results.clean"; tail -n 5 "$out/console.log")"
	fi
}

# lw_check_panic: the console after the guest's mark "lw-panic:
# panic_on_deadlock=N", the kernel's own prefixes cut: the module's log
# of the cycle in full (header, members, their stacks) and the panic,
# normalized (pids, comms, lock names, frames), as panic.txt; nothing
# else that lw_console_problems would see but the panic.
lw_check_panic() {
	# (The mark is the guest's, through /dev/kmsg.)
	sed -n '/lw-panic: panic_on_deadlock=/,$p' "$out/console.log" | tr -d '\r' |
		sed -E 's/^.*(lw-panic: )/\1/; s/^\[ *[0-9]+\.[0-9]+\] //' >"$out/console.panic"
	awk '/^lw-panic: / { print; next }
		/^lockwatch: panic_on_deadlock: / { sub(/ in [0-9]+ reports/, " in N reports"); print; m = 1; next }
		m && /^lockwatch:   pid / { print "lockwatch:   pid N (COMM) waits for LOCK, held by pid N (COMM, CONFIDENCE)"; next }
		m && /^lockwatch:     / { print "lockwatch:     FRAME"; next }
		/^Kernel panic - not syncing: / { print; exit }' "$out/console.panic" | uniq >"$out/panic.norm"
	lw_check_file "panic_on_deadlock: the cycle logged in full, then the panic" \
		"$(expected panic.txt)" "$out/panic.norm"
	local problems
	problems=$(lw_console_problems "$out/console.panic" | grep -v 'Kernel panic - not syncing: lockwatch: deadlock: ')
	if [ -z "$problems" ]; then
		ok "panic_on_deadlock: no BUG/WARNING/Oops but the panic"
	else
		bad "panic_on_deadlock: no BUG/WARNING/Oops but the panic" "$problems"
	fi
}

# lw_expect_sub: a sed -E script a suite applies to its expectations
# before comparing (placeholders for what a kernel states once, e.g. the
# source of a wait); the expectation FILE as compared is lw_expect FILE.
lw_expect() {
	sed -E "${lw_expect_sub:-}" "$1" >"$out/expect.tmp"
	echo "$out/expect.tmp"
}

# lw_check_blocks SECTION [EXPECT_DIR]: the normalized SECTION, split at
# blank lines, holds exactly the blocks of EXPECT_DIR/*.txt (default
# SECTION; see lw_expected_names), in any order.
lw_check_blocks() {
	local sec=$1 dir=${2:-$1} c e b name why found near
	normalized "$sec" >"$out/$sec.norm" || { bad "$sec: cannot normalize"; return; }
	rm -rf "$out/$sec.blocks" && mkdir -p "$out/$sec.blocks"
	awk -v dir="$out/$sec.blocks" 'BEGIN { n = 1 } /^$/ { n++; next }
		{ f = sprintf("%s/%03d", dir, n); print >> f; close(f) }' "$out/$sec.norm"
	for c in $(lw_expected_names "$dir"); do
		name=$dir/${c%.txt}
		e=$(expected "$dir/$c")
		why=$(not_here "$e")
		if [ -n "$why" ]; then
			echo "N/A  $name: $why"
			continue
		fi
		e=$(lw_expect "$e")
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
}

# lw_check_file NAME EXPECTED GOT: GOT is EXPECTED exactly (or N/A).
lw_check_file() {
	local why
	why=$(not_here "$2")
	if [ -n "$why" ]; then
		echo "N/A  $1: $why"
	elif cmp -s "$(lw_expect "$2")" "$3"; then
		ok "$1"
	else
		bad "$1" "$(diff -u "$(lw_expect "$2")" "$3" | tail -n +3)"
	fi
}

# lw_check_whole SECTION...: each normalized SECTION is its .txt exactly.
lw_check_whole() {
	local sec
	for sec in "$@"; do
		normalized "$sec" >"$out/$sec.norm"
		lw_check_file "$sec" "$(expected "$sec.txt")" "$out/$sec.norm"
	done
}

# lw_check_done LABEL: the summary line; fails when anything failed.
lw_check_done() {
	echo "$1 on $target: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}

# lw_check_graph [CYCLES CHAINS STATS]: `lockwatch graph` of the boot's
# reports (those sections, by default cycles, chains and stats) renders
# with Graphviz's dot without a warning, and its edges are the report's
# (its --json): each cycle member's wait and its owner, red; each chain's
# owner and waiters, more than 8 of them folded into one node (a chain's
# edge that is a cycle's too is drawn once, red). An edge is "FROM -> TO:
# LABEL[ red]" with the first line of its nodes' labels.
lw_check_graph() {
	local rep=$out/graph-${2:-chains} reader=$LW_TOP/userspace/lockwatch
	mkdir -p "$rep"
	section "${1:-cycles}" >"$rep/cycles"
	section "${2:-chains}" >"$rep/chains"
	section "${3:-stats}" >"$rep/stats"
	if "$reader" -d "$rep" graph >"$rep/graph.dot" &&
		dot -Tsvg "$rep/graph.dot" >"$rep/graph.svg" 2>"$rep/dot.err" &&
		[ ! -s "$rep/dot.err" ] && grep -q '<svg' "$rep/graph.svg"; then
		ok "graph of ${2:-chains}: DOT that Graphviz renders without warnings"
	else
		bad "graph of ${2:-chains}: renders" "$(cat "$rep/dot.err"; head -n 5 "$rep/graph.dot")"
	fi
	awk '/^\t[a-z][0-9]+ \[shape=/ { id = $1; sub(/^\t/, "", id)
			l = $0; sub(/^[^"]*"/, "", l); sub(/(\\n|").*$/, "", l); name[id] = l }
		/^\t[a-z][0-9]+ -> / { split($0, w, " "); f = w[1]; sub(/^\t/, "", f)
			l = $0; sub(/^[^"]*"/, "", l); sub(/".*$/, "", l)
			print name[f] " -> " name[w[3]] ": " l (/color=red/ ? " red" : "") }' \
		"$rep/graph.dot" | sort >"$rep/graph.edges"
	"$reader" -d "$rep" --json | jq -r '
		(.cycles[][] | (.lock.kind + " " + .lock.name) as $l |
			"\(.pid) \(.comm) -> \($l): waits\(if .mode == "-" then "" else " (\(.mode))" end) red",
			"\($l) -> \(.owner.pid) \(.owner.comm): owner (\(.owner.confidence)) red"),
		(.chains[] | (.lock.kind + " " + .lock.name) as $l |
			(if .owner then "\($l) -> \(.owner.pid) \(.owner.comm): owner (\(.owner.confidence))" else empty end),
			(if (.waiters | length) > 8 then "\(.waiters | length) tasks -> \($l): \(.waiters | length) wait"
			 else (.waiters[] | "\(.pid) \(.comm) -> \($l): waits\(if .mode == "-" then "" else " (\(.mode))" end)") end))' |
		awk '/ red$/ { k = $0; sub(/ red$/, "", k); incycle[k] = 1; print; next }
			!($0 in incycle)' |
		sort >"$rep/graph.want"
	if [ -s "$rep/graph.want" ] && cmp -s "$rep/graph.want" "$rep/graph.edges"; then
		ok "graph of ${2:-chains}: its $(wc -l <"$rep/graph.edges") edges are the report's waits and owners, cycles red$(grep -q ' tasks -> ' "$rep/graph.edges" && echo ", crowds folded")"
	else
		bad "graph of ${2:-chains}: edges" "$(diff -u "$rep/graph.want" "$rep/graph.edges" | head -n 30)"
	fi
}
