#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the demo VM: the seed's story on tmpfs. Two threads invert the
# i_rwsem and invalidate_lock of js/fire.js, an rm and an ls pile up behind
# them, and lockwatch names all of it.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
exec 3>/dev/ttyS1
lw=/sys/kernel/debug/lockwatch
show() { echo "# $*" >&3; "$@" >&3 2>&1; echo >&3; }

mkdir -p /mnt/t && mount -t tmpfs tmpfs /mnt/t && mkdir /mnt/t/js &&
	echo 'console.log("fire")' >/mnt/t/js/fire.js
insmod /lib/lockwatch_scenarios.ko start=fire,sleep
sleep 1
(cd /mnt/t && rm js/fire.js) &
sleep 1
ls /mnt/t/js >/dev/null &
sleep 1
insmod /lib/lockwatch.ko scan_period_ms=1000 confirm_ms=2000
sleep 4
echo "# ps: tasks in D state" >&3
ps -o pid,stat,comm | awk 'NR == 1 || $2 ~ /^D/' >&3
echo >&3
show cat $lw/cycles
show cat $lw/chains
echo "# lockwatch" >&3
lockwatch-static >&3 2>&1
echo "# exit status $?" >&3
echo >&3
show cat $lw/stats
poweroff -n -f
