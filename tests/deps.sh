#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# deps.sh [KVER]: install what building and testing need on a Debian 12
# machine (as root), and nothing when it is all there already; with KVER,
# also that bookworm kernel's headers.
set -u
kver=${1:-}
pkgs="gcc make man-db groff-base systemd clang libclang-rt-14-dev libc6-dev libcmocka-dev libjson-c-dev libsystemd-dev jq prometheus qemu-system-x86 qemu-system-arm qemu-user-static busybox-static cpio gzip xz-utils debootstrap e2fsprogs kmod dpkg-dev debhelper dh-dkms lintian libbpf-dev libelf-dev zlib1g-dev libzstd-dev xfsprogs openssl graphviz python3"
[ -n "$kver" ] && pkgs="$pkgs linux-headers-$kver"
[ -x /usr/src/linux-source-6.1/scripts/checkpatch.pl ] || pkgs="$pkgs linux-source-6.1"

missing=""
for p in $pkgs; do
	dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	[ "$(id -u)" -eq 0 ] || { echo "error: missing packages:$missing (run as root to install them)" >&2; exit 2; }
	echo "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q >/dev/null || { echo "error: apt-get update failed" >&2; exit 2; }
	apt-get install -y -q --no-install-recommends $missing >/dev/null ||
		{ echo "error: apt-get install$missing failed" >&2; exit 2; }
fi
# checkpatch.pl comes as a tarball: unpack the few files it needs.
if [ ! -x /usr/src/linux-source-6.1/scripts/checkpatch.pl ]; then
	tar -C /usr/src -xf /usr/src/linux-source-6.1.tar.xz \
		linux-source-6.1/scripts/checkpatch.pl \
		linux-source-6.1/scripts/spelling.txt \
		linux-source-6.1/scripts/const_structs.checkpatch ||
		{ echo "error: cannot unpack checkpatch.pl" >&2; exit 2; }
fi
exit 0
