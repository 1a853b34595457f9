#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# package.sh OUT: the Debian packages, end to end, on Debian 6.1.
#  1. dpkg-buildpackage builds lockwatch-dkms and lockwatch from the tree;
#     lintian reports no error and no warning.
#  2. Both are installed with apt on a fresh bookworm system image (a
#     chroot) that has no kernel headers yet: dkms adds the module; then
#     the 6.1 headers arrive and dkms builds and installs lockwatch for
#     them by itself (AUTOINSTALL) and signs it with the MOK key pair it
#     makes; the unit is enabled.
#  3. The image boots under QEMU with its own systemd: lockwatch.service
#     loads the dkms module and runs; a deadlock appears and later ends,
#     and the service has logged each once to the journal with its fields
#     (read back with journalctl -o json), written Prometheus metrics that
#     promtool accepts, and answers status, --json and check.
# PASS/FAIL lines.
set -u
. "$(dirname "$0")/vm/lib.sh"
target=6.1
out=$(mkdir -p "$1" && cd "$1" && pwd) || exit 2
kver=$(lw_kver "$target") || exit 2
log=$out/package.log
: >"$log"
result() { # result NAME STATUS
	if [ "$2" -eq 0 ]; then echo "PASS $1"; else echo "FAIL $1"; fi
}
fail() { result "$1" 1; tail -n 20 "$log" | sed 's/^/    /'; exit 1; }

# 1. Build from a copy of the tree, so that the .debs land in OUT.
rm -rf "$out/src" "$out"/*.deb "$out"/*.changes "$out"/*.buildinfo
mkdir -p "$out/src" &&
	(cd "$LW_TOP" && tar --exclude=./build --exclude=./.git -cf - .) | tar -xf - -C "$out/src" ||
	fail "package: copy the tree"
(cd "$out/src" && dpkg-buildpackage -us -uc -b) >>"$log" 2>&1 ||
	fail "package: dpkg-buildpackage -b"
ver=$(cd "$out/src" && dpkg-parsechangelog -S Version)
result "package: dpkg-buildpackage builds lockwatch-dkms and lockwatch $ver" 0
lint=$(lintian --tag-display-limit 0 "$out/lockwatch_${ver}_amd64.changes" 2>&1 |
	grep -v '^running with root privileges')
printf '%s\n' "$lint" >"$out/lintian.txt"
! grep -q '^[EW]: ' "$out/lintian.txt"
rc=$?
[ $rc -ne 0 ] && sed 's/^/    /' "$out/lintian.txt"
result "package: lintian, no errors and no warnings" $rc

# 2. A fresh system, then the packages, then the kernel headers.
base=$(lw_system_image bookworm "$kver") || fail "package: bookworm system image"
root=$out/root
rm -rf "$root" && cp -a "$base" "$root" || fail "package: copy the system image"
inroot() {
	local rc
	mount -t proc proc "$root/proc" || return 1
	chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		LC_ALL=C DEBIAN_FRONTEND=noninteractive "$@"
	rc=$?
	umount "$root/proc"
	return $rc
}
cp "$out"/lockwatch-dkms_"${ver}"_all.deb "$out"/lockwatch_"${ver}"_amd64.deb "$root/tmp/" &&
	inroot apt-get install -y -q --no-install-recommends \
		"/tmp/lockwatch-dkms_${ver}_all.deb" "/tmp/lockwatch_${ver}_amd64.deb" >>"$log" 2>&1 ||
	fail "package: apt-get install lockwatch-dkms lockwatch"
st=$(inroot dkms status 2>>"$log")
[ "$st" = "lockwatch/$ver: added" ]
rc=$?
result "package: installed without headers, dkms status says 'lockwatch/$ver: added'" $rc
[ $rc -ne 0 ] && echo "    dkms status: $st"
inroot apt-get install -y -q --no-install-recommends "linux-headers-$kver" >>"$log" 2>&1 ||
	fail "package: apt-get install linux-headers-$kver"
st=$(inroot dkms status 2>>"$log")
[ "$st" = "lockwatch/$ver, $kver, x86_64: installed" ] &&
	[ -f "$root/lib/modules/$kver/updates/dkms/lockwatch.ko" ]
rc=$?
result "package: new headers, dkms AUTOINSTALL builds lockwatch for $kver into updates/dkms" $rc
[ $rc -ne 0 ] && echo "    dkms status: $st"
# The version is debian/changelog's everywhere it is shown.
got="$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$root/usr/src/lockwatch-$ver/dkms.conf" 2>/dev/null)
$(modinfo -F version "$root/lib/modules/$kver/updates/dkms/lockwatch.ko" 2>/dev/null)
$(zcat "$root/usr/share/man/man8/lockwatch.8.gz" 2>/dev/null | sed -n 's/^\.TH .*"lockwatch \([^"]*\)".*/\1/p')
$(inroot lockwatch --version 2>/dev/null)"
[ "$got" = "$ver
$ver
$ver
lockwatch $ver" ]
rc=$?
result "package: dkms.conf, the module, the man page and lockwatch --version say $ver (debian/changelog)" $rc
[ $rc -ne 0 ] && printf '%s\n' "$got" | sed 's/^/    /'
# Signed for Secure Boot the way Debian's dkms signs: by the MOK key pair
# it made on its first build (/var/lib/dkms/mok.key, mok.pub), and the
# signature (PKCS#7, appended: SIG, struct module_signature, magic)
# checks out against that certificate.
mod=$root/lib/modules/$kver/updates/dkms/lockwatch.ko
signer=$(modinfo -F signer "$mod" 2>>"$log")
size=$(stat -c %s "$mod")
siglen=$(tail -c 32 "$mod" | head -c 4 | od -An -tu1 |
	awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
rc=1
if [ "$signer" = "DKMS module signing key" ] &&
	[ "$(tail -c 28 "$mod")" = "~Module signature appended~" ] &&
	openssl x509 -inform DER -in "$root/var/lib/dkms/mok.pub" -out "$out/mok.pem" 2>>"$log"; then
	head -c $((size - 40 - siglen)) "$mod" >"$out/module.unsigned"
	tail -c $((40 + siglen)) "$mod" | head -c "$siglen" >"$out/module.p7s"
	openssl cms -verify -binary -inform DER -in "$out/module.p7s" \
		-content "$out/module.unsigned" -certfile "$out/mok.pem" -nointern \
		-CAfile "$out/mok.pem" -purpose any \
		-out /dev/null >>"$log" 2>&1
	rc=$?
fi
result "package: the module is signed by dkms's MOK key ('$signer'), the signature verifies" $rc
en=$(inroot systemctl is-enabled lockwatch.service 2>&1)
[ "$en" = enabled ]
result "package: lockwatch.service is enabled" $?

# 3. Boot the installed system with a deadlock to find.
mkdir -p "$root/etc/systemd/system/multi-user.target.wants" || fail "package: test unit"
cp "$LW_TOP/build/kernels/$kver/lockwatch_scenarios.ko" "$root/root/" ||
	fail "package: scenarios module not built"
install -m 0755 "$LW_TOP/tests/vm/guest/package.sh" "$root/root/package.sh"
echo "options lockwatch scan_period_ms=1000 confirm_ms=1000" >"$root/etc/modprobe.d/lockwatch-test.conf"
# The deadlocks are meant: no hung-task reports about them on the console.
echo "kernel.hung_task_timeout_secs = 0" >"$root/etc/sysctl.d/lockwatch-test.conf"
cat >"$root/etc/systemd/system/lockwatch-test.service" <<'UNIT'
[Unit]
Description=lockwatch package test
After=lockwatch.service

[Service]
Type=oneshot
ExecStart=/root/package.sh
UNIT
ln -sf ../lockwatch-test.service "$root/etc/systemd/system/multi-user.target.wants/"
rm -f "$out/root.img"
truncate -s 3G "$out/root.img" &&
	mke2fs -q -t ext4 -d "$root" "$out/root.img" >>"$log" 2>&1 || fail "package: disk image"
modroot=$(lw_fetch_modules "$kver" "$(lw_archive "$target")") &&
	rm -rf "$out/kmod" && lw_guest_modules "$modroot" "$kver" "$out/kmod" virtio_pci virtio_blk ext4 ||
	fail "package: guest kernel modules"
vmlinuz=$(lw_fetch_kernel "$kver" "$(lw_archive "$target")") || fail "package: kernel image"
lw_initramfs "$out/initrd.gz" "$LW_TOP/tests/vm/guest/sysroot.sh" "$out/kmod/" ||
	fail "package: initramfs"
start=$(date +%s)
LW_DRIVES=$out/root.img lw_boot "$vmlinuz" "$out/initrd.gz" "$out/console.log" "$out/results.txt" 600
echo "boot: $(( $(date +%s) - start )) s" >"$out/time.txt"
exec "$LW_TOP/tests/vm/check-package.sh" "$out" "$kver"
