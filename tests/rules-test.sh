#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# rules-test.sh PROM NOTLOADED: unit-test userspace/lockwatch.rules.yml
# with `promtool test rules` on real metrics: PROM is what the reader
# wrote on a VM with deadlocks, NOTLOADED what it writes when the
# module's reports cannot be read. Both become the series a Prometheus
# scraping a node exporter on host db1 every minute for half an hour
# would hold: gauges as written, the longest blocked time growing with
# the clock, the scan counter advancing by the default 6 scans a minute
# (or not: the stalled case). Two values no VM test makes are set here:
# the textfile's mtime (the node exporter's) and, for one case, blocked
# tasks left unexamined. Prints promtool's output and, when it passes,
# how many expectations; exits as promtool.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
prom=$1 notloaded=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
inst=db1:9100

val() { sed -n "s/^$1 //p" "$prom"; }
cycles=$(val lockwatch_cycles)
blocked=$(val lockwatch_blocked_tasks)
longest=$(val lockwatch_longest_blocked_seconds)
scans=$(val lockwatch_scans_total)
if ! [ "${cycles:-0}" -gt 0 ] 2>/dev/null || ! [ "${longest:-x}" -lt 600 ] 2>/dev/null ||
	[ -z "$blocked" ] || [ -z "$scans" ]; then
	echo "rules-test: $prom is not the metrics of a fresh VM with deadlocks" >&2
	exit 2
fi

# series FILE [NAME=VALUE...]: FILE's samples as input series, 31 minutes;
# a NAME=VALUE replaces that metric's value (STALLED for the counter).
series() {
	local file=$1
	shift
	awk -v inst="$inst" -v over="$*" '
		BEGIN { n = split(over, o, " "); for (i = 1; i <= n; i++) {
			split(o[i], kv, "="); set[kv[1]] = kv[2] } }
		/^#/ || NF != 2 { next }
		{
			name = $1; labels = ""
			if (match(name, /\{.*\}/)) {
				labels = substr(name, RSTART + 1, RLENGTH - 2) ","
				name = substr(name, 1, RSTART - 1)
			}
			v = $2 "x30"
			if (name == "lockwatch_longest_blocked_seconds") v = $2 "+60x30"
			if (name == "lockwatch_scans_total") v = $2 "+6x30"
			if (name in set) v = (set[name] == "STALLED") ? $2 "x30" : set[name] "x30"
			printf "      - series: '\''%s{%sinstance=\"%s\",job=\"node\"}'\''\n", name, labels, inst
			printf "        values: '\''%s'\''\n", v
		}' "$file"
}
# alert NAME TIME [LABELS SUMMARY DESCRIPTION]: what fires at TIME (none
# without LABELS, a YAML flow map of the labels besides instance and job).
alert() {
	printf '      - alertname: %s\n        eval_time: %s\n' "$1" "$2"
	if [ $# -eq 2 ]; then
		printf '        exp_alerts: []\n'
		return
	fi
	printf '        exp_alerts:\n          - exp_labels: %s\n' \
		"{${3}instance: \"$inst\", job: node}"
	printf '            exp_annotations:\n              summary: "%s"\n              description: "%s"\n' "$4" "$5"
}
# humanizeDuration of S seconds, under an hour.
dur() { echo "$(($1 / 60))m $(($1 % 60))s"; }

at15=$((longest + 15 * 60))
{
	printf 'rule_files:\n  - %s\nevaluation_interval: 1m\ntests:\n' "$top/userspace/lockwatch.rules.yml"
	echo "  - name: a host with deadlocks, scans advancing"
	echo "    interval: 1m"
	echo "    input_series:"
	series "$prom"
	echo "    alert_rule_test:"
	alert LockwatchDeadlock 1m 'severity: page, ' \
		"Kernel deadlock on $inst: $cycles wait-for cycle(s)" \
		"Tasks on $inst wait for each other in uninterruptible sleep and will never wake up; whatever needs them hangs with them, and only a reboot ends it. Run \`lockwatch status\` there (or journalctl -u lockwatch.service LOCKWATCH_CYCLE_ID=...): it names each task, the lock it waits for and its holder, for the bug report, before rebooting."
	alert LockwatchTasksStuck 5m
	alert LockwatchTasksStuck 15m 'severity: warning, ' \
		"Tasks stuck on $inst for $(dur $at15)" \
		"$blocked task(s) on $inst have been in uninterruptible sleep for more than 10 minutes. \`lockwatch status\` there shows what each waits for and who would release it."
	alert LockwatchModuleNotLoaded 20m
	alert LockwatchScansStalled 25m
	alert LockwatchTasksNotExamined 20m

	echo "  - name: the module's reports unreadable"
	echo "    interval: 1m"
	echo "    input_series:"
	series "$notloaded"
	echo "    alert_rule_test:"
	alert LockwatchModuleNotLoaded 9m
	alert LockwatchModuleNotLoaded 11m 'severity: warning, ' \
		"lockwatch cannot read its module's reports on $inst" \
		"The lockwatch service runs on $inst but the module's reports are unreadable, so deadlocks there go unreported: \`systemctl status lockwatch\` and \`lockwatch check\` there say why (module not built for this kernel, not loaded, debugfs not mounted)."
	alert LockwatchDeadlock 11m

	echo "  - name: scans stalled, the textfile no longer written, tasks left out"
	echo "    interval: 1m"
	echo "    input_series:"
	series "$prom" lockwatch_scans_total=STALLED lockwatch_tasks_not_examined=12
	printf "      - series: 'node_textfile_mtime_seconds{file=\"/var/lib/prometheus/node-exporter/lockwatch.prom\",instance=\"%s\",job=\"node\"}'\n        values: '0x30'\n" "$inst"
	echo "    alert_rule_test:"
	alert LockwatchScansStalled 19m
	alert LockwatchScansStalled 21m 'severity: warning, ' \
		"lockwatch's scans do not advance on $inst" \
		"The module on $inst has not finished a scan in 20 minutes, so what it reports is old: look for lockwatch in the kernel log and at scan_period_ms in /sys/module/lockwatch/parameters there."
	alert LockwatchMetricsStale 15m
	alert LockwatchMetricsStale 16m "file: \"/var/lib/prometheus/node-exporter/lockwatch.prom\", severity: warning, " \
		"lockwatch's metrics on $inst are $(dur 960) old" \
		"lockwatch.service on $inst has stopped writing its metrics, so its other alerts cannot fire: \`systemctl status lockwatch\` there."
	alert LockwatchDecoderOff 5m
	alert LockwatchTasksNotExamined 9m
	alert LockwatchTasksNotExamined 10m 'severity: warning, ' \
		"lockwatch leaves 12 blocked task(s) unexamined on $inst" \
		"More tasks are blocked on $inst than one scan examines (the module parameter max_tasks), so a deadlock among the rest would go unreported: raise max_tasks (/etc/modprobe.d) there."

	echo "  - name: a disk that stopped answering"
	echo "    interval: 1m"
	echo "    input_series:"
	series "$prom"
	printf "      - series: 'lockwatch_device_oldest_request_seconds{device=\"sda\",instance=\"%s\",job=\"node\"}'\n        values: '30+60x30'\n" "$inst"
	printf "      - series: 'lockwatch_device_stuck_tasks{device=\"sda\",instance=\"%s\",job=\"node\"}'\n        values: '7x30'\n" "$inst"
	echo "    alert_rule_test:"
	alert LockwatchDiskStalled 1m
	alert LockwatchDiskStalled 3m 'device: sda, severity: warning, ' \
		"Disk sda on $inst has not completed a request for $(dur 210)" \
		"7 stuck task(s) on $inst wait for I/O that sda does not complete: the device, its path or its controller has stopped answering. \`lockwatch status\` there names the device's state and its oldest request; the kernel log says what the driver did about it."

	# One alert per decoder, each kind the metrics name (the self-test's).
	kinds=$(sed -n 's/^lockwatch_decoder_off{kind="\([a-z_]*\)"} .*/\1/p' "$prom")
	if [ -n "$kinds" ]; then
		echo "  - name: the self-test switched every decoder off"
		echo "    interval: 1m"
		echo "    input_series:"
		series "$prom" lockwatch_decoder_off=1
		echo "    alert_rule_test:"
		printf '      - alertname: LockwatchDecoderOff\n        eval_time: 1m\n        exp_alerts:\n'
		for k in $kinds; do
			printf '          - exp_labels: {kind: %s, severity: warning, instance: "%s", job: node}\n' "$k" "$inst"
			printf '            exp_annotations:\n              summary: "%s"\n              description: "%s"\n' \
				"lockwatch's $k decoder is switched off on $inst" \
				"The self-test at load found that lockwatch misreads $k waits on the kernel of $inst and switched that decoder off: those waits are shown by their site, and a deadlock through them is not reported. The kernel log there says why (journalctl -k -g 'lockwatch: self-test')."
		done
	fi
} >"$work/test.yml"
cd "$work" && promtool test rules test.yml &&
	echo "$(grep -c '^      - alertname:' test.yml) alert expectations in $(grep -c '^  - name:' test.yml) cases"
