#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What every busybox /init of the VM harness starts with (sourced from
# /lib/guest.sh): the kernel's file systems, the results port (fd 3: the
# second serial port, or where the machine has one UART a virtio serial
# port whose modules wait in /lib/port), and small helpers.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
if [ -d /lib/port ]; then
	for m in /lib/port/*.ko; do
		[ -e "$m" ] || continue
		insmod "$m" || echo "guest: insmod $m failed"
	done
	# The port named lw.results (not an hvc console: arm64 kernels
	# have other hvc drivers, such as DCC, that take hvc0 first).
	i=0
	port=""
	while [ $i -lt 300 ]; do
		for vp in /sys/class/virtio-ports/*; do
			[ "$(cat "$vp/name" 2>/dev/null)" = lw.results ] && port=/dev/${vp##*/}
		done
		[ -n "$port" ] && (: >"$port") 2>/dev/null && break
		sleep 0.1
		i=$((i + 1))
	done
	[ -n "$port" ] || echo "guest: no virtio port lw.results" >/dev/console
	exec 3>"$port"
else
	exec 3>/dev/ttyS1
fi

# The reports (debugfs, read-only), the module's controls (sysfs, which
# kernel lockdown leaves writable), the scenarios' controls (module
# parameters, "run" starts scenarios) and their debugfs counters.
lw=/sys/kernel/debug/lockwatch
ctl=/sys/kernel/lockwatch
sc=/sys/module/lockwatch_scenarios/parameters
scd=/sys/kernel/debug/lockwatch_scenarios
par=/sys/module/lockwatch/parameters
section() { echo "=== $1" >&3; }
fail() { echo "guest-error: $*" >&3; poweroff -n -f; }
stat_of() { sed -n "s/^$1: //p" $lw/stats; }

# Load the modules in /lib/kmod in name order (lw_guest_modules) but
# those the results port loaded, then wait up to 5 s for the disk DEV.
guest_kmods() {
	for m in /lib/kmod/*.ko; do
		[ -e "$m" ] || continue
		n=${m##*/}
		n=${n#*-}
		n=$(echo "${n%.ko}" | tr - _)
		[ -d "/sys/module/$n" ] && continue
		insmod "$m" || echo "guest: insmod $m failed"
	done
	i=0
	while [ -n "${1:-}" ] && [ ! -b "$1" ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# Load lockwatch, its scans by hand.
guest_load() {
	insmod /lib/lockwatch.ko scan_period_ms=600000 confirm_ms=1000 ||
		fail "insmod lockwatch"
}
# Lock the kernel down to LEVEL (integrity, confidentiality), as Secure
# Boot does, once every module is loaded (a locked-down kernel loads no
# unsigned module), then section lockdown: the level, and that debugfs
# now refuses to open a file for writing (root could before).
guest_lockdown() {
	mount -t securityfs securityfs /sys/kernel/security ||
		fail "mount securityfs"
	echo "$1" >/sys/kernel/security/lockdown || fail "lockdown $1"
	section lockdown
	cat /sys/kernel/security/lockdown >&3
	(: >$lw/stats) 2>&1 | sed 's/^.*: /debugfs open for writing: /' >&3
	dmesg | grep -o 'Lockdown: .*debugfs access is restricted.*' | uniq >&3
}
# Section setup: what lockwatch setup hands over from BTF, and its exit
# status; with LEVEL the kernel is locked down first (guest_lockdown).
guest_setup() {
	[ -z "${1:-}" ] || guest_lockdown "$1"
	section setup
	lockwatch-static setup >&3 2>&1
	echo "exit $?" >&3
}
# Two scans two seconds apart (a wait is confirmed by its second
# sighting), then the three reports as sections.
guest_reports() {
	sleep 1
	echo 1 >$ctl/scan || fail "scan"
	sleep 2
	echo 1 >$ctl/scan || fail "scan"
	for r in cycles chains stats; do
		section $r
		cat $lw/$r >&3
	done
}

# The chain entries whose header matches the ERE $1, whatever their
# numbers among the others.
entries() {
	awk -v re="$1" '$0 ~ "^chain [0-9]+: (" re ")" { on = 1 }
		/^$/ { if (on) print; on = 0 }
		on { sub(/^chain [0-9]+:/, "chain N:"); print }'
}
# Scan twice (the second confirms), then sections NAME-chains (all of
# them), NAME (the entries matching $2) and NAME-reader (what the reader
# says of those). The scenario's threads get a second to block first: a
# thread first seen by the second scan is not stuck yet.
report_entries() {
	sleep 1
	echo 1 >$ctl/scan || fail "scan"
	sleep 2
	echo 1 >$ctl/scan || fail "scan"
	section $1-chains
	cat $lw/chains >&3
	section $1
	entries "$2" <$lw/chains >&3
	section $1-reader
	lockwatch-static | entries "$2" >&3
}
# How many chain entries match the ERE $1 now.
count_entries() {
	entries "$1" <$lw/chains | grep -c '^chain N:'
}
# lockwatch watch with the options given, logging to busybox syslogd;
# watch_stop ends both and writes section watch: what it logged, and
# how it exited.
watch_start() {
	syslogd -n -O /tmp/messages &
	slog=$!
	sleep 1
	lockwatch-static watch "$@" &
	wpid=$!
}
watch_stop() {
	kill -TERM $wpid
	wait $wpid
	rc=$?
	# syslogd writes what it was sent in its own time: its last line,
	# "stopped", is waited for (at most 5 s) before syslogd is ended.
	i=0
	while ! grep -q ' lockwatch\[[0-9]*\]: stopped$' /tmp/messages && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill $slog
	section watch
	sed -n 's/^.* lockwatch\[[0-9]*\]: //p' /tmp/messages >&3
	echo "watch exit $rc" >&3
}
# Wait for each process of $pids and say how it exited.
wait_exits() {
	for p in $pids; do
		wait $p
		echo "exit $?" >&3
	done
}
