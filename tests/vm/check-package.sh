#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-package.sh OUT_DIR KVER: judge the boot of the installed system
# image (tests/package.sh): the service, the dkms module, and what the
# service made of a deadlock that formed and one that formed and ended.
set -u
. "$(dirname "$0")/lib.sh"
out=$1
kver=$2
ok() { echo "PASS $1"; }
bad() {
	echo "FAIL $1"
	[ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/    /'
}
tr -d '\r' <"$out/results.txt" >"$out/results.clean"
section() { awk -v s="$1" '/^=== /{ on = ($2 == s); next } on' "$out/results.clean"; }
# is NAME GOT WANT: one exact comparison.
is() {
	if [ "$2" = "$3" ]; then ok "$1"; else bad "$1" "$(diff -u <(echo "$3") <(echo "$2") | tail -n +3)"; fi
}

problems=$(lw_console_problems "$out/console.log")
if [ -z "$problems" ]; then ok "package boot: console: no BUG/WARNING/Oops"; else bad "package boot: console" "$problems"; fi
if grep -q '^=== end$' "$out/results.clean"; then
	ok "package boot: systemd started the system, the test unit ran to the end"
else
	bad "package boot: the test unit did not finish" "$(tail -n 15 "$out/console.log")"
fi

is "package boot: lockwatch.service active, never restarted" "$(section service)" "active
0"
is "package boot: the service loaded the dkms module with /etc/modprobe.d options" \
	"$(section module)" "/lib/modules/$kver/updates/dkms/lockwatch.ko
1000"

# The human report, pids and times taken out.
got=$(section status | sed -E -e 's/^  [0-9]+ (.*), blocked [1-9][0-9]* s\)$/  \1, blocked N s)/' \
	-e 's/^(    held by )[0-9]+ /\1/')
is "package boot: lockwatch status" "$got" "$(cat "$LW_TOP/tests/expected/package/status.txt")"

section json >"$out/status.json"
ver=$(sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' "$LW_TOP/debian/changelog")
if jq -e --arg k "$kver" --arg v "$ver" '.kernel == $k and .module_version == $v and
	([.cycles[][].comm] | sort) == ["lw_abba_1", "lw_abba_2", "lw_kill_1", "lw_kill_2"] and
	([.cycles[][] | select(.comm == "lw_kill_1") | .state] == ["D 0x102"])' \
	"$out/status.json" >/dev/null 2>&1; then
	ok "package boot: lockwatch --json: valid for jq, kernel, module version, both cycles"
else
	bad "package boot: lockwatch --json" "$(head -c 2000 "$out/status.json")"
fi
got=$(section check | sed -E 's/(held by|waits for) [0-9]+ /\1 N /g; s/pid [0-9]+/pid N/g')
is "package boot: lockwatch check: CRITICAL, exit 2" "$(echo "$got" | sed -n '$p')" "exit 2"

section prom >"$out/lockwatch.prom"
if promtool check metrics <"$out/lockwatch.prom" >"$out/promtool.log" 2>&1 &&
	grep -qx 'lockwatch_cycles 2' "$out/lockwatch.prom" &&
	grep -qx 'lockwatch_module_loaded 1' "$out/lockwatch.prom"; then
	ok "package boot: the service's Prometheus file: promtool accepts it, lockwatch_cycles 2"
else
	bad "package boot: the service's Prometheus file" "$(cat "$out/lockwatch.prom" "$out/promtool.log")"
fi

# The journal, read back by journalctl: each cycle logged once when it
# formed (PRIORITY 2), the killable one once more when it ended (5); the
# members are kernel threads, in the root cgroup.
section journal >"$out/journal.json"
got=$(jq -r 'select(.LOCKWATCH_CYCLE_ID) |
	[.PRIORITY, ._SYSTEMD_UNIT, .SYSLOG_IDENTIFIER,
	 (.LOCKWATCH_PIDS | test("^[0-9]+ [0-9]+$") | tostring),
	 .LOCKWATCH_CGROUPS, .LOCKWATCH_LOCKS, (.MESSAGE | sub(" pid .*"; ""))] | join(" | ")' \
	"$out/journal.json" 2>&1)
is "package boot: journal: each cycle once with its fields, the end of the killable one, the live one again after the restart" "$got" \
	"$(cat "$LW_TOP/tests/expected/package/journal.txt")"
got=$(jq -r 'select(._SYSTEMD_UNIT == "lockwatch.service" and (.MESSAGE | tostring | test("handed to the module"))) | .MESSAGE' \
	"$out/journal.json" 2>&1)
is "package boot: the service ran lockwatch setup, again for the module loaded again, and again when restarted under lockdown" "$got" \
	"lockwatch: handed to the module: 2 inode lock layouts, the mount layout, the worker layout, the workqueue flush layout
module loaded again; handed to the module: 2 inode lock layouts, the mount layout, the worker layout, the workqueue flush layout
lockwatch: handed to the module: 2 inode lock layouts, the mount layout, the worker layout, the workqueue flush layout"
is "package boot: the module loaded again holds ext4's layouts, and the live cycle" \
	"$(section reload)" "2
1
lockwatch_cycles 1"
got=$(section lockdown | sed -E 's/(held by|;) [0-9]+ /\1 N /g')
is "package boot: under lockdown (integrity) the restarted service runs, holds the layouts, check is CRITICAL" \
	"$got" "$(cat "$LW_TOP/tests/expected/package/lockdown.txt")"
ids=$(jq -r 'select(.LOCKWATCH_LOCKS | tostring | test("lw_kill")) | .LOCKWATCH_CYCLE_ID' \
	"$out/journal.json" 2>/dev/null | sort -u | wc -l)
is "package boot: journal: the ended cycle carries the id it was logged with" "$ids" 1
