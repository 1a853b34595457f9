#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the demo VM: the seed's story on a real XFS disk. Two threads
# invert the i_rwsem and the XFS ILOCK of js/fire.js (the ILOCK found at
# the offset lockwatch setup reads from BTF), an rm and a writer pile up
# behind them, and lockwatch names all of it.
. /lib/guest.sh
show() { echo "# $*" >&3; "$@" >&3 2>&1; echo >&3; }

guest_kmods /dev/vda
mkdir -p /mnt/xfs && mount -t xfs /dev/vda /mnt/xfs && mkdir /mnt/xfs/js &&
	echo 'console.log("fire")' >/mnt/xfs/js/fire.js && sync
ilock=$(lockwatch-static setup --print |
	awk '$1 == "lock" && $2 == "xfs" && $7 == "i_lock" { print $8 - $6 }')
if [ -z "$ilock" ]; then
	echo "# this kernel has no BTF for xfs: the story needs 6.1 or later" >&3
	poweroff -n -f
fi
insmod /lib/lockwatch_scenarios.ko xfs_ilock="$ilock" start=xfsfire
sleep 1
(cd /mnt/xfs && rm js/fire.js) &
sleep 1
sh -c 'echo x >>/mnt/xfs/js/fire.js' &
sleep 1
insmod /lib/lockwatch.ko scan_period_ms=1000 confirm_ms=2000
show lockwatch-static setup
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
