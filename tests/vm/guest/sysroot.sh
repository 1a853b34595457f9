#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init that boots a whole Debian system from the first virtio disk: load
# the disk and filesystem modules, mount it and hand over to its systemd.
. /lib/guest.sh
guest_kmods /dev/vda
mkdir -p /newroot
if ! mount -t ext4 -o rw /dev/vda /newroot; then
	fail "cannot mount /dev/vda"
fi
exec 3>&-
umount /sys/kernel/debug /sys /proc
mount --move /dev /newroot/dev
exec switch_root /newroot /lib/systemd/systemd
