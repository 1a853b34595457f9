#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the core scenario VM: create every scenario (some before
# lockwatch loads, some after), let lockwatch confirm them, and write the
# reports to the second serial port for the host to check.
. /lib/guest.sh

step() { echo "step: $*" >&3; }

mkdir -p /mnt/t && mount -t tmpfs tmpfs /mnt/t && mkdir /mnt/t/js &&
	echo 'console.log("fire")' >/mnt/t/js/fire.js &&
	: >/mnt/t/mmap.dat && echo page >/mnt/t/page.dat || fail "tmpfs setup"
section facts
echo "inode fire $(stat -c %i /mnt/t/js/fire.js) tmpfs" >&3
echo "inode mmap $(stat -c %i /mnt/t/mmap.dat) tmpfs" >&3
echo "inode page $(stat -c %i /mnt/t/page.dat) tmpfs" >&3
echo "inode js $(stat -c %i /mnt/t/js) tmpfs" >&3
echo "dev tmpfs $(awk '$5 == "/mnt/t" { print $3 }' /proc/self/mountinfo)" >&3

# Before lockwatch: deadlocks, the long holder, and userspace behind them.
# PREEMPT_RT's rtmutex refuses a self-deadlock itself (with a WARN).
case $(uname -v) in
*PREEMPT_RT*) early=abba,fire,sleep ;;
*) early=abba,self,fire,sleep ;;
esac
insmod /lib/lockwatch_scenarios.ko start=$early ||
	fail "insmod lockwatch_scenarios"
sleep 1
(cd /mnt/t && rm js/fire.js) &
sleep 1
ls /mnt/t/js >/dev/null &
sleep 1

insmod /lib/lockwatch.ko scan_period_ms=600000 confirm_ms=1000 cross_check=1 ||
	fail "insmod lockwatch"
# After lockwatch: the rest; on PREEMPT_RT also two rt_mutexes in ABBA.
late=mr,tri,reader,sem,sb,mmap,stack
case $(uname -v) in *PREEMPT_RT*) late=$late,rtmutex ;; esac
echo $late >$sc/run || fail "start $late"
# A process's mmap_lock held for write with /proc readers behind it
# (killable waits); a kthread asleep in a wait no decoder knows; a
# percpu_rw_semaphore's writer waiting for a reader, two readers behind
# it; a locked page.
sleep 100000 &
mmpid=$!
sleep 1
echo $mmpid >/sys/module/lockwatch_scenarios/parameters/mm_pid
echo mmaplock,dwait,pcpu,pagelock >$sc/run || fail "start mmaplock,dwait,pcpu,pagelock"
sleep 1
cat /proc/$mmpid/cmdline >/dev/null &
sleep 1
ps >/dev/null &
sleep 1
# From 6.17 /proc/PID/maps reads under per-VMA locks and passes by.
cat /proc/$mmpid/maps >/dev/null &
# A writer and a reader behind the locked first page of a tmpfs file.
sh -c 'echo x >>/mnt/t/page.dat' &
sleep 1
cat /mnt/t/page.dat >/dev/null &
sync &
guest_reports
# cpu_hotplug_lock: read-held while CPU 1 goes offline; the writer waits
# for that reader, two more readers wait behind the writer. The writer
# is the shell writing "online", on CPU 0 (5.10, 7.x), or on 6.x the
# kernel worker that work_on_cpu() runs the offline in, while the shell
# waits for that work. Other kernel workers that want the lock meanwhile queue up too:
# only the writer and the scenario's readers are shown.
echo cpuhp >$sc/run || fail "start cpuhp"
taskset 1 sh -c 'echo 0 >/sys/devices/system/cpu/cpu1/online' &
offline=$!
sleep 1
echo cpuhp-readers >$sc/run || fail "start cpuhp-readers"
sleep 1
echo 1 >$ctl/scan || fail "scan"
# The percpu_rwsem entry the two readers wait in (cpu_hotplug_lock, where
# kallsyms names data), its writer and them.
cpuhp_entry() {
	awk '/^chain [0-9]+: percpu_rwsem / { n = 0; on = 1 } /^$/ { if (mine) exit; on = 0 }
		on && / lw_cpuhp_r1$/ { mine = 1 }
		on && /^  waiter: / && !/^  waiter: [0-9]+ write / && !/ lw_cpuhp_r[12]$/ { next }
		on && !/^  waiters: / {
			sub(/^chain [0-9]+:/, "chain N:")
			gsub(/kworker\/u?[0-9]+:[0-9]+H?/, "kworker")
			b[++n] = $0
		}
		END { if (mine) for (i = 1; i <= n; i++) print b[i] }' $lw/chains
}
# Until the writer and both readers are stuck waiters (the writer first
# waits out an RCU grace period, which can take seconds here), at most 30 s.
n=0
while :; do
	sleep 2
	echo 1 >$ctl/scan || fail "scan"
	cpuhp_entry >/tmp/cpuhp
	[ "$(grep -c '^  waiter: ' /tmp/cpuhp)" -ge 3 ] &&
		grep -q '^  waiter: [0-9]* write ' /tmp/cpuhp && break
	n=$((n + 1))
	[ $n -lt 15 ] || break
done
section cpuhp
cat /tmp/cpuhp >&3
cpuhp_lock=$(sed -n '1s/^chain N: //p' /tmp/cpuhp)
echo cpuhp-end >$sc/run || fail "end cpuhp"
wait $offline
echo "offline exit $?, cpu1 online $(cat /sys/devices/system/cpu/cpu1/online)" >&3
echo 1 >/sys/devices/system/cpu/cpu1/online || fail "cpu1 online"
echo 1 >$ctl/scan || fail "scan"
echo "entries of $cpuhp_lock after: $(grep -c "^chain [0-9]*: $cpuhp_lock\$" $lw/chains)" >&3
# lw_dwait, which wakes every 100 ms, counts as stuck again confirm_ms
# after a scan that saw it make progress (a wakeup that cost more CPU
# than a wakeup may: seen on arm64 under emulation, around the CPU's
# hotplug): a scan a second until it is there, at most ten.
n=0
until grep -q '^  waiter: [0-9]* - [0-9]* lw_dwait$' $lw/chains || [ $n -ge 10 ]; do
	sleep 1
	echo 1 >$ctl/scan || fail "scan"
	n=$((n + 1))
done
[ $n -eq 0 ] || echo "core: lw_dwait stuck again after $n scans" >/dev/console
section reader
lockwatch-static >&3 2>&1
echo "exit $?" >&3
section kmsg
dmesg | grep -E 'lockwatch: (deadlock|  pid)' | sed 's/^\[[ 0-9.]*\] //' >&3

# lockwatch why: one task's story to its root, for the ls behind the rm
# behind fire.js's cycle, a task whose lock's holder sleeps, a task in a
# wait known by its site, that holder (not stuck, holding the lock),
# kthreadd (not stuck) and a pid nobody has.
pid_of() {
	for f in /proc/[0-9]*/comm; do
		read -r c <$f 2>/dev/null && [ "$c" = "$1" ] && { f=${f#/proc/}; echo ${f%/comm}; return; }
	done
}
section why
for p in $(pid_of ls) $(pid_of lw_rd_writer) $(pid_of lw_dwait) $(pid_of lw_rd_holder) 2 4194304; do
	lockwatch-static why $p 2>&1
	echo "exit $?"
done | sed -E 's/^( *)[0-9]+ /\1PID /; s/ by [0-9]+ / by PID /; s/ deadlock cycle [0-9]+ / deadlock cycle N /; s/\(([a-z-]+), [0-9]+ s\)/(\1, N s)/; s/ \([0-9]+ s\) / (N s) /; s/ for [0-9]+ s$/ for N s/' >&3
section why-json
lockwatch-static why $(pid_of ls) --json >&3

# Completions: two threads wait for one nobody completes yet (one of
# them killable), one flushes a work item that keeps running; after
# cmpl-end all three are done and the entries gone.
echo cmpl >$sc/run || fail "start cmpl"
report_entries completion 'completion '
echo cmpl-end >$sc/run || fail "end cmpl"
sleep 1
echo 1 >$ctl/scan || fail "scan"
section completion-after
echo "completion entries after: $(count_entries 'completion ')" >&3

# A user-mode helper that does not finish: a mount of a file system
# type nobody has asks request_module() for fs-lwumh, and the kernel's
# modprobe (/proc/sys/kernel/modprobe) is a script that stops itself
# (SIGSTOP). The mount waits in D for the helper to exit; the helper is
# the owner. Continued, the script ends and the mount returns (no such
# file system type).
printf '#!/bin/sh\necho $$ >/tmp/lw-helper.pid\nkill -STOP $$\n' >/tmp/lw-helper
chmod +x /tmp/lw-helper
read -r modprobe </proc/sys/kernel/modprobe
echo /tmp/lw-helper >/proc/sys/kernel/modprobe || fail "modprobe path"
mkdir -p /mnt/umh
mount -t lwumh none /mnt/umh 2>/dev/null &
mpid=$!
report_entries umh 'umh '
section umh-why
lockwatch-static why $mpid | sed -E 's/^( *)[0-9]+ /\1PID /; s/ as [0-9]+ / as PID /; s/\(-, [0-9]+ s\)/(-, N s)/; s/ for [0-9]+ s$/ for N s/' >&3
kill -CONT "$(cat /tmp/lw-helper.pid)" || fail "no helper to continue"
wait $mpid
mrc=$?
echo "$modprobe" >/proc/sys/kernel/modprobe
echo 1 >$ctl/scan || fail "scan"
section umh-after
echo "mount: exit $mrc, umh entries after: $(count_entries 'umh ')" >&3

# Bad input changes nothing.
section badinput
for v in 0 2 abc -1 ''; do
	if echo "$v" >$ctl/scan 2>/dev/null; then
		echo "scan accepted '$v'" >&3
	else
		echo "scan refused '$v'" >&3
	fi
done
# bad_param NAME VALUE...: each value written, then what NAME holds.
bad_param() {
	p=$1
	shift
	for v in "$@"; do
		if echo "$v" >$par/$p 2>/dev/null; then
			echo "$p accepted '$v'" >&3
		else
			echo "$p refused '$v'" >&3
		fi
	done
	echo "$p $(cat $par/$p)" >&3
}
bad_param scan_period_ms 99 abc 86400001
# With the cycles standing, a value taken would panic the kernel.
bad_param panic_on_deadlock 1001 abc -1

# Churn in a consistent order while scanning as often as possible, with
# confirmation at its most eager: no cycle may ever be reported.
section churn
echo 0 >/sys/module/lockwatch/parameters/confirm_ms
before=$(sed -n 's/^cycles_logged: //p' $lw/stats)
base=$(sed -n 's/^cycle_candidates: //p' $lw/stats)
echo churn >$sc/run || fail "start churn"
i=0
odd=0
while [ $i -lt 600 ]; do
	echo 1 >$ctl/scan
	c=$(sed -n 's/^cycle_candidates: //p' $lw/stats)
	[ "$c" = "$base" ] || odd=$((odd + 1))
	i=$((i + 1))
done
echo churn-stop >$sc/run
after=$(sed -n 's/^cycles_logged: //p' $lw/stats)
echo "scans_during_churn $i" >&3
echo "new_cycles_logged $((after - before))" >&3
grep -c '^  task: .* lw_churn' $lw/cycles | sed 's/^/churn_tasks_in_cycles /' >&3
section stats-after-churn
# Unconfirmed candidates are what confirmation exists for: counted only.
echo "scans_with_extra_candidates: $odd" >&3
cat $lw/stats >&3

# A crowd: 1000 waiters behind one sleeping holder are one chain entry.
echo 1000 >/sys/module/lockwatch/parameters/confirm_ms
echo 1 >$ctl/scan
d0=$(sed -n 's/^d_tasks: //p' $lw/stats)
# The entry of the lock whose owner is the thread $1 (a mutex is named
# only where kallsyms has data symbols).
owner_entry() {
	awk -v o="$1" '/^chain / { n = 0 } { b[++n] = $0 } $0 ~ "^  owner: [0-9]+ " o "$" { on = 1 }
		/^$/ { if (on) exit; n = 0 }
		END { if (on) for (i = 1; i <= n; i++) if (b[i] != "") print b[i] }' $lw/chains
}
echo crowd >$sc/run || fail "start crowd"
# Until every waiter is blocked and confirmed (a busy host spawns the
# last ones late), at most 120 s: the entry must then say 1000.
n=0
while [ $n -lt 120 ]; do
	echo 1 >$ctl/scan
	d=$(sed -n 's/^d_tasks: //p' $lw/stats)
	w=$(owner_entry lw_crowd_holder | sed -n 's/^  waiters: //p')
	[ "$d" -ge $((d0 + 1001)) ] && [ "${w:-0}" -ge 1000 ] && break
	sleep 1
	n=$((n + 1))
done
sleep 2
echo 1 >$ctl/scan
section crowd
owner_entry lw_crowd_holder >&3
section crowd-stats
cat $lw/stats >&3
section crowd-cycles
cat $lw/cycles >&3
section crowd-chains
cat $lw/chains >&3

# The system's unbound workqueue flooded: 600 work items wait for one
# mutex, as many as the workqueue may run at once (512 up to 6.x, more
# on 7.x) each in a worker, the rest queued behind them. Scans run on
# (lockwatch's scanner is a thread of its own) and report every worker
# behind the holder, once all of them wait; then the flood drains.
pp=/sys/module/lockwatch_scenarios/parameters
# Tell scenario $1 to end, and wait (at most 10 s) until its parameter $2
# reads 0.
end_scenario() {
	echo "$1-end" >$sc/run || fail "end $1"
	n=0
	while [ "$(cat $pp/$2)" != 0 ] && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
}
echo wqflood >$sc/run || fail "start wqflood"
n=0
while [ $n -lt 120 ]; do
	echo 1 >$ctl/scan
	w=$(owner_entry lw_wqflood_hold | sed -n 's/^  waiters: //p')
	[ "${w:-0}" -ge 512 ] && [ "$w" = "$(cat $pp/wqflood_running)" ] && break
	sleep 1
	n=$((n + 1))
done
sleep 2
echo 1 >$ctl/scan || fail "scan during wqflood"
section wqflood
started=$(cat $pp/wqflood_running)
echo "wqflood: $started of 600 work items started" >/dev/console
echo "work items started: at least 512: $([ "$started" -ge 512 ] && echo yes || echo "no, $started")" >&3
owner_entry lw_wqflood_hold | awk -v n="$started" '/^  (addr|owner-stack|waiter):|^    / { next }
	{ sub(/^chain [0-9]+:/, "chain N:"); sub(/: [0-9]+ lw_/, ": lw_"); sub("^  waiters: " n "$", "  waiters: every started work item"); print }' >&3
echo wqflood-end >$sc/run || fail "end wqflood"
echo "work items ended after wqflood-end: $(cat $pp/wqflood_done)" >&3

# Owners that wait for no lock: the chain's end says what they do. On
# the last CPU a SCHED_FIFO thread spins holding a mutex, and an
# ordinary one bound there holds another, runnable but never run (RT
# throttling off meanwhile); this shell stays on the first CPU.
rt=$(cat /proc/sys/kernel/sched_rt_runtime_us)
echo -1 >/proc/sys/kernel/sched_rt_runtime_us || fail "RT throttling"
taskset -p 1 $$ >/dev/null || fail "taskset"
echo owners >$sc/run || fail "start owners"
# The holders sleep until both waiters are asleep behind them (a waiter
# whose owner runs would spin on it), then run.
task_state() {
	f=$(grep -lx "$1" /proc/[0-9]*/comm 2>/dev/null | head -n 1)
	[ -n "$f" ] && awk '{ print $3 }' "${f%comm}stat"
}
for w in lw_spin_waiter lw_starved_wait; do
	n=0
	while [ "$(task_state $w)" != D ] && [ $n -lt 100 ]; do
		sleep 0.1
		n=$((n + 1))
	done
done
echo owners-go >$sc/run || fail "owners-go"
sleep 1
echo 1 >$ctl/scan
sleep 2
echo 1 >$ctl/scan || fail "scan during owners"
section owners
for o in lw_spin_holder lw_starved_hold; do
	owner_entry $o | awk '/^  (addr|owner-stack|waiter):|^    / { next }
		{ sub(/^chain [0-9]+:/, "chain N:"); sub(/: [0-9]+ lw_/, ": lw_"); sub(/ for [0-9]+ s$/, " for N s"); print }' >&3
done
end_scenario owners owners_running
echo "$rt" >/proc/sys/kernel/sched_rt_runtime_us
echo "holders still holding after owners-end: $(cat $pp/owners_running)" >&3

# A task frozen while it holds a lock, as a paused container's process
# can be: a shell, named "lw_frz", newline, "holder" (a name must never
# forge a report line: it is reported lw_frz?holder), takes the scenario module's
# lw_frz_mutex through its debugfs file frzhold and waits there,
# freezable; a cgroup v1 freezer (paused) freezes it, and lw_frz_waiter
# waits behind it. The chain ends at the frozen task and its cgroup;
# thawed, the holder and the waiter finish.
section frozen
frzd=/tmp/freezer
mkdir -p $frzd
if mount -t cgroup -o freezer freezer $frzd 2>/dev/null; then
	mkdir $frzd/paused
	sh -c "printf 'lw_frz\\nholder' >/proc/self/comm; echo \$\$ >$frzd/paused/tasks &&
		echo 1 >/sys/kernel/debug/lockwatch_scenarios/frzhold" &
	frz=$!
	n=0
	while [ "$(cat $pp/frz_holding)" != 1 ] && [ $n -lt 50 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	echo FROZEN >$frzd/paused/freezer.state || fail "freeze"
	n=0
	while [ "$(cat $frzd/paused/freezer.state)" != FROZEN ] && [ $n -lt 50 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	echo "freezer.state: $(cat $frzd/paused/freezer.state)" >&3
	echo frzwait >$sc/run || fail "start frzwait"
	sleep 1
	echo 1 >$ctl/scan
	sleep 2
	echo 1 >$ctl/scan || fail "scan while frozen"
	owner_entry 'lw_frz[?]holder' | awk '/^(chain |  (addr|owner-stack|owner-state|waiter):|    )/ { next }
		{ sub(/: [0-9]+ lw_/, ": lw_"); sub(/ for [0-9]+ s$/, " for N s"); print }' >&3
	echo THAWED >$frzd/paused/freezer.state || fail "thaw"
	echo frz-end >$sc/run || fail "frz-end"
	wait $frz
	echo "holder exit $? once thawed, still holding: $(cat $pp/frz_holding)" >&3
	n=0
	while [ -n "$(pid_of lw_frz_waiter)" ] && [ $n -lt 50 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	echo "waiter gone: $([ -z "$(pid_of lw_frz_waiter)" ] && echo yes || echo no)" >&3
	rmdir $frzd/paused
	umount $frzd
else
	echo "no cgroup v1 freezer to mount" >&3
fi

# lockwatch watch logs each cycle once, to syslog here (no journald),
# through an unload and a load of the module, and stops on SIGTERM
# (stuck chains are the waits suite's: --stuck is beyond this boot).
watch_start -i 1 --stuck 86400
sleep 3

section unload
# The kernel refuses (EAGAIN) to unload a module while a file of its is
# open: watch reads the reports every second, so rmmod tries again.
n=0
until rmmod lockwatch 2>/dev/null || [ $n -ge 20 ]; do
	sleep 0.1
	n=$((n + 1))
done
[ -d /sys/module/lockwatch ] || echo "rmmod ok" >&3
[ -d $lw ] && echo "debugfs left behind" >&3
sleep 2
insmod /lib/lockwatch.ko scan_period_ms=600000 confirm_ms=1000 ||
	fail "insmod lockwatch again"
echo 1 >$ctl/scan
sleep 2
echo 1 >$ctl/scan
sleep 3
watch_stop

# The self-test's verdicts in the log and in stats, then its failure
# path: loaded with the semaphore's wait list read a word off
# (selftest_break), the self-test must fail that decoder and switch it
# off; the semaphore waiter is then shown by its site, not misread, and
# the log, stats and check say so.
section selftest
dmesg | grep -o 'lockwatch: self-test: .*' | sort -u >&3
grep '^selftest_off_' $lw/stats >&3
rmmod lockwatch || fail "rmmod"
# A kind with no wait list to read off is refused at load.
if insmod /lib/lockwatch.ko selftest_break=rt_mutex 2>/dev/null; then
	echo "selftest_break=rt_mutex accepted" >&3
	rmmod lockwatch
else
	echo "selftest_break=rt_mutex refused" >&3
fi
insmod /lib/lockwatch.ko scan_period_ms=600000 confirm_ms=1000 selftest_break=semaphore ||
	fail "insmod lockwatch selftest_break=semaphore"
echo 1 >$ctl/scan
sleep 2
echo 1 >$ctl/scan
section selftest-broken
dmesg | grep -o 'lockwatch: self-test: .* is switched off, .*' | tail -n 1 >&3
grep '^selftest_off_' $lw/stats >&3
lockwatch-static check | sed 's/^\(LOCKWATCH [A-Z]*\) - .*; the self-test/\1 - ...; the self-test/' >&3
entries '.*' <$lw/chains | awk '/^chain N:/ { h = $0; sub(/: wait .*/, ": wait (its site)", h) }
	/^  waiter: .* lw_sem_waiter$/ { print h; print }' >&3
lockwatch-static | grep 'self-test' >&3
# Reads allocate nothing and wait for no scan. A reader reads the text
# published when it opened the file: one opened before a scan that
# prints raw addresses has none. Two older texts of chains held open:
# the next scan holds that report back, and counts it; once they are
# closed, scans publish again. Eight readers may hold stats open at
# once; a ninth is refused.
section reads
echo 1 >$ctl/scan
exec 4<$lw/chains
echo Y >/sys/module/lockwatch/parameters/raw_pointers
echo 1 >$ctl/scan
before=$(grep -c '^  addr: 0x' <&4)
after=$(grep -c '^  addr: 0x' $lw/chains)
exec 4<&-
echo N >/sys/module/lockwatch/parameters/raw_pointers
echo "raw addresses in the text opened before the scan: $before, after: $([ "$after" -gt 0 ] && echo some || echo none)" >&3
exec 4<$lw/chains
echo 1 >$ctl/scan
exec 5<$lw/chains
echo 1 >$ctl/scan
h0=$(stat_of reports_held_back)
echo 1 >$ctl/scan
h1=$(stat_of reports_held_back)
exec 4<&- 5<&-
echo 1 >$ctl/scan
h2=$(stat_of reports_held_back)
echo "held back with two older texts open: $((h1 - h0)), once closed: $((h2 - h1))" >&3
i=0
pids=
while [ $i -lt 8 ]; do
	sleep 30 <$lw/stats &
	pids="$pids $!"
	i=$((i + 1))
done
sleep 1
cat $lw/stats >/dev/null 2>/tmp/stats-err
echo "a ninth reader of stats: exit $?, $(sed 's/.*: //' /tmp/stats-err)" >&3
kill $pids
wait $pids 2>/dev/null
echo "stats once they left: $(grep -c '^scans: ' $lw/stats) line of scans" >&3

# Alive on a sick host: kthreadd stuck in a fork, behind
# cgroup_threadgroup_rwsem held for write (forkhold), its address from
# /proc/kallsyms (a kernel without data symbols there, 6.1 on arm64,
# says so instead). Every fork waits meanwhile, this shell's too: until
# forkhold-end, it uses its builtins only (read -t on a FIFO opened both
# ways is its sleep). Once loaded, lockwatch scans and reports kthreadd's
# wait. Before load, insmod waits, killably, for kthreadd to make
# lockwatch's scanner; killed there, it leaves nothing behind (the insmod
# is forked before the fork is held up, and runs when told through
# /tmp/go).
mkfifo /tmp/nap /tmp/go || fail "mkfifo"
tg=$(sed -n 's/^\([0-9a-f]*\) [a-zA-Z] cgroup_threadgroup_rwsem$/\1/p' /proc/kallsyms)
if [ -z "$tg" ]; then
	for sec in kthreadd-after-load kthreadd-before-load; do
		section $sec
		echo "no address of cgroup_threadgroup_rwsem in /proc/kallsyms" >&3
	done
	rmmod lockwatch || fail "rmmod"
else
[ "$tg" != 0000000000000000 ] || fail "/proc/kallsyms hides addresses"
echo "0x$tg" >$pp/tg_rwsem || fail "tg_rwsem"
echo 0 >/sys/module/lockwatch/parameters/confirm_ms
echo forkhold >$sc/run || fail "start forkhold"
# A scan a second until one reports kthreadd (at most ten).
n=0
while [ $n -lt 10 ]; do
	read -t 1 x <>/tmp/nap
	echo 1 >$ctl/scan
	while IFS= read -r l; do echo "$l"; done <$lw/chains >/tmp/fork-chains
	found=
	while IFS= read -r l; do
		case $l in "  waiter: "*" kthreadd") found=1 ;; esac
	done </tmp/fork-chains
	[ -n "$found" ] && break
	n=$((n + 1))
done
end_scenario forkhold fork_holding
section kthreadd-after-load-chains
cat /tmp/fork-chains >&3
section kthreadd-after-load
entries 'percpu_rwsem cgroup_threadgroup_rwsem' </tmp/fork-chains |
	awk '/^  (addr|owner-stack):|^    / { next } { print }' >&3
entries 'kthread ' </tmp/fork-chains |
	awk '/^  (addr|owner-stack):|^    / { next } { print }' |
	sed -E 's/^(  owner-waits: chain )[0-9]+$/\1N/' >&3

rmmod lockwatch || fail "rmmod"
( read x </tmp/go; exec insmod /lib/lockwatch.ko scan_period_ms=600000 confirm_ms=1000 ) &
ipid=$!
dmesg -c >/dev/null
echo forkhold >$sc/run || fail "start forkhold"
echo go >/tmp/go
# Until insmod waits for kthreadd to make its thread (at most 20 s; 5.10
# shows no wchan, only the state).
n=0
while [ $n -lt 20 ]; do
	read -r wchan </proc/$ipid/wchan
	read -r st </proc/$ipid/stat
	st=${st#*) }
	case $wchan in
	*kthread_create*) break ;;
	0) [ "${st%% *}" = D ] && break ;;
	esac
	read -t 1 x <>/tmp/nap
	n=$((n + 1))
done
read -r wchan </proc/$ipid/wchan
kill -9 $ipid
wait $ipid
rc=$?
end_scenario forkhold fork_holding
sleep 1
echo "kthreadd: insmod was in ${st%% *}, in $wchan, when killed"
section kthreadd-before-load
echo "insmod waiting when killed: ${st%% *}" >&3
echo "insmod ended by SIGKILL: $([ $rc = 137 ] && echo yes || echo "no, exit $rc")" >&3
echo "module loaded: $([ -d /sys/module/lockwatch ] && echo yes || echo no)" >&3
echo "debugfs left: $([ -d $lw ] && echo yes || echo no)" >&3
echo "sysfs left: $([ -d $ctl ] && echo yes || echo no)" >&3
echo "threads named lockwatch: $(cat /proc/[0-9]*/comm 2>/dev/null | grep -c '^lockwatch')" >&3
dmesg | grep -o 'lockwatch: .*' >&3
fi

# Alive on a sick host: a grace period held up (a reader spinning inside
# rcu_read_lock(), a synchronize_rcu() caller behind it) while lockwatch
# loads. insmod returns while the grace period is still held up, scans
# run and report the caller; once the reader leaves, the self-test ends
# and says which kinds it could not judge (a percpu_rw_semaphore's
# writer waits for a grace period), and switches none off. The reader
# spins on the last CPU, this shell and its timers are kept on the first
# (a task woken on the reader's CPU waits for it; on PREEMPT_RT the
# boosted reader holds up its CPU's timers).
[ -w /proc/sys/kernel/timer_migration ] && echo 0 >/proc/sys/kernel/timer_migration
taskset -p 1 $$ >/dev/null || fail "taskset"
sleep 1
dmesg -c >/dev/null
rcu=/sys/module/lockwatch_scenarios/parameters/rcu_holding
echo rcuhold >$sc/run || fail "start rcuhold"
t0=$(cut -d' ' -f1 /proc/uptime)
insmod /lib/lockwatch.ko scan_period_ms=600000 confirm_ms=1000 ||
	fail "insmod lockwatch during a held-up grace period"
t1=$(cut -d' ' -f1 /proc/uptime)
held=$(cat $rcu)
pending=$(stat_of selftest_pending)
# The first scan came at load; one a second on confirms the caller (at
# most five tries) and, with preemptible RCU (whose rcu_read_unlock()
# has a slow path), names the reader that holds the grace period up. The
# reader and check are asked while the self-test
# still waits (for the grace period) after it, and the reader is asked
# last whether it still holds the grace period up.
readers=no
grep -qw rcu_read_unlock_special /proc/kallsyms && readers=yes
i=0
while [ $i -lt 5 ]; do
	sleep 1
	echo 1 >$ctl/scan || fail "scan"
	entries 'rcu ' <$lw/chains >/tmp/sick-rcu-chains
	grep -q '^  waiter: .* lw_rcu_sync$' /tmp/sick-rcu-chains &&
		{ [ $readers = no ] || grep -q '^  owner: [0-9]* lw_rcu_reader$' /tmp/sick-rcu-chains; } && break
	i=$((i + 1))
done
said=$(lockwatch-static | grep -c 'self-test at load has not ended')
lockwatch-static why "$(pid_of lw_rcu_sync)" >/tmp/sick-rcu-why 2>&1
checked=$(lockwatch-static check | grep -c '; the self-test at load has not ended$')
still=$(cat $rcu)
t2=$(cut -d' ' -f1 /proc/uptime)
echo rcuhold-end >$sc/run || fail "end rcuhold"
awk -v a="$t0" -v b="$t1" -v c="$t2" \
	'BEGIN { printf "sick-rcu: insmod took %.1f s, the report %.1f s more\n", b - a, c - b }'
section sick-rcu
echo "insmod returned with the grace period held up: $held" >&3
awk -v a="$t0" -v b="$t1" 'BEGIN { print "insmod took under 7 s: " (b - a < 7 ? "yes" : "no") }' >&3
echo "self-test pending after insmod: $pending" >&3
echo "the reader says so: $said, check says so: $checked" >&3
echo "reader still inside rcu_read_lock() at the report: $still" >&3
awk '/^chain N:/ { n = 0 } /^(chain N:|  reader:|  owner:|  owner-confidence:)/ { b[++n] = $0 }
	/^  waiter: .* lw_rcu_sync$/ { for (j = 1; j <= n; j++) print b[j]; print }' /tmp/sick-rcu-chains |
	sed -E 's/^(  owner:) [0-9]+ /\1 PID /' >&3
i=0
while [ "$(stat_of selftest_pending)" != 0 ] && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
echo "self-test pending once the reader left: $(stat_of selftest_pending)" >&3
# Whether the writer that waits for its reader (held for read) gets
# through its own grace period in time differs between kernels (6.12-rt
# judges it): only the case held for write is asserted.
dmesg | grep -o 'lockwatch: self-test: .*' | grep -E 'not ended|held for write|switched off|every decoder' |
	sed 's/waiting for [^;]*;/waiting for WHAT;/' | sort >&3
grep '^selftest_off_' $lw/stats >&3
# Unloading waits for a grace period (the module loader's and the
# tracepoint probes'): rmmod during a held-up one returns once the
# reader leaves, and lockwatch is gone.
section sick-rcu-why
sed -E 's/^( *)[0-9]+ /\1PID /; s/ by [0-9]+ / by PID /; s/\(([a-z-]+), [0-9]+ s\)/(\1, N s)/; s/ \([0-9]+ s\) / (N s) /; s/ for [0-9]+ s/ for N s/g' /tmp/sick-rcu-why >&3
section sick-rcu-unload
echo rcuhold >$sc/run || fail "start rcuhold"
rmmod lockwatch &
rpid=$!
sleep 2
echo "rmmod still waiting while the reader holds the grace period: $([ -d /proc/$rpid ] && echo yes || echo no)" >&3
echo "reader still inside rcu_read_lock(): $(cat $rcu)" >&3
echo rcuhold-end >$sc/run || fail "end rcuhold"
wait $rpid
echo "rmmod once the reader left: exit $?" >&3
echo "module loaded: $([ -d /sys/module/lockwatch ] && echo yes || echo no)" >&3

# Memory tight: a shell in a memory cgroup filled with tmpfs pages (no
# swap: nothing reclaimable) to within 1 MiB of its 32 MiB limit loads
# lockwatch, scans and reads the reports; nothing lockwatch does charges
# the cgroup, so nothing is killed, and it is done within the bound.
section tight-memcg
cg=/sys/fs/cgroup
[ -f $cg/cgroup.procs ] || mount -t cgroup2 none $cg || fail "cgroup2"
echo +memory >$cg/cgroup.subtree_control || fail "memory controller"
mkdir $cg/tight || fail "mkdir tight"
echo $((32 << 20)) >$cg/tight/memory.max
[ -f $cg/tight/memory.swap.max ] && echo 0 >$cg/tight/memory.swap.max
sh -c '
	cg=$1 lw=$2 ctl=$3
	echo $$ >$cg/tight/cgroup.procs || exit 9
	i=0
	while read -r cur <$cg/tight/memory.current && [ $cur -lt $((31 << 20)) ]; do
		dd if=/dev/zero of=/mnt/t/fill bs=256k count=1 seek=$i conv=notrunc 2>/dev/null
		i=$((i + 1))
	done
	# memory.current drops again as per-CPU charge stocks drain and
	# freed objects leave: what stays charged is the tmpfs file.
	read -r cur <$cg/tight/memory.current
	fill=$((i * (256 << 10)))
	echo "tight-memcg: $cur bytes charged of $((32 << 20)), $fill in tmpfs" >/dev/console
	echo "tmpfs pages that cannot be reclaimed: 30 MiB or more: $([ $fill -ge $((30 << 20)) ] && echo yes || echo no)" >&3
	t0=$(cut -d" " -f1 /proc/uptime)
	insmod /lib/lockwatch.ko scan_period_ms=600000 confirm_ms=0
	echo "insmod: exit $?" >&3
	# A cycle is confirmed by a second scan; the scan at load may not
	# have begun yet and then serves the first write: a second one.
	echo 1 >$ctl/scan && echo 1 >$ctl/scan
	echo "scan: exit $?" >&3
	cat $lw/chains $lw/cycles $lw/stats >/dev/null
	echo "the reports read: exit $?" >&3
	lockwatch-static >/dev/null
	echo "the reader: exit $? (cycles)" >&3
	t1=$(cut -d" " -f1 /proc/uptime)
	awk -v a="$t0" -v b="$t1" "BEGIN { printf \"tight-memcg: load, scan and reads took %.1f s\\n\", b - a }" >/dev/console
	awk -v a="$t0" -v b="$t1" "BEGIN { print \"all that in under 10 s: \" (b - a < 10 ? \"yes\" : \"no\") }" >&3
' sh $cg $lw $ctl
echo "the shell in the cgroup: exit $?" >&3
echo "oom kills in the cgroup: $(sed -n 's/^oom_kill //p' $cg/tight/memory.events)" >&3
rm -f /mnt/t/fill
section end
poweroff -n -f
