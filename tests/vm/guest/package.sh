#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs as a unit of the installed system image once lockwatch.service has
# started: creates a deadlock, waits for the service to log it, reloads
# the module under it, restarts it with the kernel locked down, and
# writes what the service produced to the second serial port for the
# host.
exec 3>/dev/ttyS1
section() { echo "=== $1" >&3; }
prom=/var/lib/prometheus/node-exporter/lockwatch.prom

# wait_for SECONDS COMMAND...: poll once a second until COMMAND succeeds.
wait_for() {
	n=$1
	shift
	while ! "$@" >/dev/null 2>&1; do
		n=$((n - 1))
		[ $n -gt 0 ] || return 1
		sleep 1
	done
}
journal_has() { journalctl -u lockwatch.service -o json | grep -q "$1"; }

wait_for 120 systemctl is-active lockwatch.service
section service
systemctl is-active lockwatch.service >&3
systemctl show -p NRestarts --value lockwatch.service >&3
section module
modinfo -F filename lockwatch >&3
cat /sys/module/lockwatch/parameters/scan_period_ms >&3

# Two cycles form; one clears when one of its tasks is killed.
insmod /root/lockwatch_scenarios.ko start=abba,killable
wait_for 90 journal_has LOCKWATCH_CYCLE_ID
wait_for 60 grep -q '^lockwatch_cycles 2$' $prom
section status
lockwatch status >&3 2>&1
echo "exit $?" >&3
section json
lockwatch --json >&3
section check
lockwatch check >&3
echo "exit $?" >&3
section prom
cat $prom >&3
echo killable-end >/sys/module/lockwatch_scenarios/parameters/run
wait_for 60 journal_has 'is gone'
wait_for 60 grep -q '^lockwatch_cycles 1$' $prom
# The module unloaded and loaded again under the running service: the
# service hands it the layouts again, and logs the live cycle no more.
n=0
until modprobe -r lockwatch 2>/dev/null || [ $n -ge 100 ]; do
	n=$((n + 1))
	sleep 0.1
done
modprobe lockwatch
wait_for 60 journal_has 'module loaded again'
wait_for 60 grep -q '^lockwatch_module_loaded 1$' $prom
wait_for 60 grep -q '^lockwatch_cycles 1$' $prom
section reload
grep -c '^lock ' /sys/kernel/lockwatch/layouts >&3
grep -c '^mount ' /sys/kernel/lockwatch/layouts >&3
grep '^lockwatch_cycles ' $prom >&3
# Locked down as under Secure Boot (integrity), the service started
# again: its setup writes the layouts, its watch reads the reports and
# logs the live cycle, its metrics stay current.
echo integrity >/sys/kernel/security/lockdown
systemctl restart lockwatch.service
wait_for 60 systemctl is-active lockwatch.service
wait_for 60 sh -c '[ "$(journalctl -u lockwatch.service -o json | grep -c LOCKWATCH_CYCLE_ID)" -ge 4 ]'
section lockdown
cat /sys/kernel/security/lockdown >&3
systemctl is-active lockwatch.service >&3
grep -c '^lock ' /sys/kernel/lockwatch/layouts >&3
lockwatch check >&3
echo "exit $?" >&3
section journal
journalctl -u lockwatch.service -o json >&3
section end
systemctl poweroff --force --force
