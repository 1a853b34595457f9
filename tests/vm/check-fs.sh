#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-fs.sh OUT_DIR TARGET: judge one boot of the file system scenarios
# (guest/fs.sh) against tests/expected/fs: cycles and chains named with
# the layouts from BTF, block by block; the cycles again without them;
# what setup said; the layouts the module holds; bad layouts refused.
set -u
. "$(dirname "$0")/check-lib.sh"
lw_check_init "$1" "$2" fs
# Where each wait was found and the lock's slow path differ between
# kernels and are what the core suite asserts; here the names and the
# shape of the chains count.
lw_norm_extra='/^    source: /d; /^      lw_/!{/^      [^ ]/d}'
# Each lock's offset from its VFS inode, from the layouts setup handed in:
# what the module must print when it names the lock without them.
section layouts | awk '$1 == "lock" { d = $8 - $6
	printf "delta %s_%s %s0x%x\n", $2, $7, d < 0 ? "-" : "+", d < 0 ? -d : d }' >>"$out/facts"
lw_check_boot
lw_check_blocks cycles
lw_check_blocks chains
lw_check_blocks cycles-nolayout
lw_check_whole btf lockdown setup
# Frozen file systems: their entries, what the reader says of them, and
# that the thaw ends them.
lw_check_blocks frozen
lw_check_whole frozen-reader frozen-stats
# Block I/O held back by the device: the disk's entry, the page's, what
# the reader says, and that completing the I/O ends them.
lw_check_blocks blk
lw_check_whole blk-reader blk-stats
# A writer throttled in balance_dirty_pages() behind it: stuck, though it wakes.
lw_check_whole dirty
# A FUSE daemon stopped: the chain through the task waiting for its
# answer ends at the daemon, in the report, the reader and why.
lw_check_whole fuse fuse-reader fuse-why fuse-end
# Each task's cgroup in --json (null for the root's) and in the graph.
got=$(section fuse-json | jq -r '.chains[] | select(.lock.name | test(" /mnt/f")) |
	"\(.lock.kind): owner \(.owner.comm) \(.owner.cgroup), end \(.ends_cgroup), waiters " +
	([.waiters[] | "\(.comm) \(.cgroup)"] | join(" "))' 2>&1)
is "fuse: --json, each task's cgroup" "$got" \
	"rwsem: owner fuse_writer /lw.slice/app.scope, end /fuse.service, waiters fuse_waiter /lw.slice/app.scope
fuse: owner bindfs /fuse.service, end null, waiters fuse_looker /lw.slice/app.scope"
got=$(section fuse-graph | grep -oE '"[0-9]+ (bindfs|fuse_[a-z]+)[^"]*cgroup [^"]*"' |
	sed -E 's/"[0-9]+ /"PID /; s/[0-9]+ s/N s/g' | sort)
is "fuse: graph, each task's cgroup in its box" "$got" \
	"$(printf '%s\n' '"PID bindfs\nT 0x104\ncgroup /fuse.service"' \
		'"PID fuse_looker\nblocked N s\ncgroup /lw.slice/app.scope"' \
		'"PID fuse_waiter\nblocked N s\ncgroup /lw.slice/app.scope"' \
		'"PID fuse_writer\nS 0x1\ncgroup /lw.slice/app.scope"')"
# A disk that stopped answering (scsi_debug): its entry in devices (how
# many requests and which do not count, their form does), each task's
# story ending at it, and everything done once it answers again.
# The devices report: how many requests and which do not count, their
# form does.
devices_norm() {
	normalized "$1" | sed -E \
		-e 's/^(  addr: )[0-9a-f]{16}$/\1ADDR/' \
		-e 's/^(  inflight: )[1-9][0-9]*$/\1N/' \
		-e 's/^  request: [0-9]+ s [A-Z_]+ [0-9]+ sectors at [0-9]+ \(hctx [0-9]+ tag [0-9]+\)$/  request: N s OP N sectors at N (hctx N tag N)/' \
		-e 's/^(  (waiters|behind): )[1-9][0-9]*$/\1N/' | uniq
}
if [ -f "$out/sd.img" ]; then
	devices_norm sd-devices >"$out/sd-devices.txt"
	lw_check_file "sd-devices: the disk, its state and its requests in flight" \
		"$(expected sd-devices.txt)" "$out/sd-devices.txt"
	lw_check_whole sd-load sd-why sd-after sd-reader sd-check sd-watch
	# What --json and the metrics say of the disk: counts as present or
	# not (null where the kernel does not let them be read), not values.
	section sd-json | jq -c '.devices[] | {name, dev,
		state: (.state // "" | sub("^scsi [0-9:]+ "; "scsi H:C:T:L ")),
		inflight: (if .inflight == null then null else .inflight >= 1 end),
		oldest: (if .oldest_seconds == null then null else .oldest_seconds >= 1 end),
		waiters: (.waiters >= 1), behind: (.behind >= 4 and .behind >= .waiters)}' \
		>"$out/sd-json.txt" 2>&1
	lw_check_file "sd-json: the disk in --json (jq)" "$(expected sd-json.txt)" "$out/sd-json.txt"
	section sd-prom >"$out/sd.prom"
	if promtool check metrics <"$out/sd.prom" >"$out/sd-promtool.log" 2>&1; then
		ok "sd-prom: promtool accepts the metrics"
	else
		bad "sd-prom: promtool accepts the metrics" "$(cat "$out/sd-promtool.log")"
	fi
	grep '^lockwatch_device_' "$out/sd.prom" | sed -E 's/\} [1-9][0-9]*$/} N/' >"$out/sd-prom.txt"
	lw_check_file "sd-prom: the disk's metrics" "$(expected sd-prom.txt)" "$out/sd-prom.txt"
else
	echo "N/A  sd: this kernel has no scsi_debug module (Debian's arm64 kernels)"
fi
# A disk whose driver holds its requests back (null_blk): the insmod's
# read of its partition table ends at the disk's request in flight.
lw_check_blocks nullb
lw_check_whole nullb-reader
devices_norm nullb-devices >"$out/nullb-devices.txt"
lw_check_file "nullb-devices: the disk and its request in flight" \
	"$(expected nullb-devices.txt)" "$out/nullb-devices.txt"
# panic_on_deadlock on a boot with no cycle: it never panicked.
lw_check_whole panic
# Freeze and thaw, appends and page cache churning while it scans.
lw_check_whole churn
# The JSON of the disk's entry, through jq.
section blk-json | jq -c '[.chains[] | select(.wait == "io") |
	{kind: .lock.kind, owner, modes: [.waiters[].mode]}], .stats.stuck_io' \
	>"$out/blk-json.txt" 2>&1
lw_check_file "blk-json: the disk's entry in --json (jq)" "$(expected blk-json.txt)" "$out/blk-json.txt"

# The layouts: the offsets differ between kernels, the lines do not.
section layouts | sed -E 's/ [0-9]+/ N/g' >"$out/layouts.norm"
lw_check_file "layouts: what the module holds after setup" "$(expected layouts.txt)" "$out/layouts.norm"
# Each bad write refused, with its reason in the kernel log.
section badlayouts >"$out/badlayouts.txt"
lw_check_file "bad layouts: refused, reasons given, nothing changed" \
	"$(expected badlayouts.txt)" "$out/badlayouts.txt"
# Layouts that misread the self-test's flushes refused, setup's taken.
section triedlayouts >"$out/triedlayouts.txt"
lw_check_file "tried layouts: setup's taken, misreading ones refused with the flush they misread" \
	"$(expected triedlayouts.txt)" "$out/triedlayouts.txt"
lw_check_graph
lw_check_done fs
