#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init that boots a whole Debian system from the first virtio disk: load
# the disk and filesystem modules, mount it and hand over to its systemd.
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in /lib/kmod/*.ko; do
	insmod "$m" || echo "sysroot: insmod $m failed"
done
i=0
while [ ! -b /dev/vda ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
mkdir -p /newroot
if ! mount -t ext4 -o rw /dev/vda /newroot; then
	echo "guest-error: cannot mount /dev/vda" >/dev/ttyS1
	poweroff -f
fi
umount /proc /sys
mount --move /dev /newroot/dev
exec switch_root /newroot /lib/systemd/systemd
