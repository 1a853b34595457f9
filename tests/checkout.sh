#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# checkout.sh TARGET OUT: the commands a new user runs on a checkout work
# on the host against TARGET's headers (6.1): the standard out-of-tree
# build, make -C KDIR M=$PWD with nothing handed in, gives a module with
# no warning (W=1) whose version is debian/changelog's; and Debian's dkms
# add, build and install of the checkout register and install that
# version. The checkout is a copy of the tracked files as they are in the
# work tree. PASS/FAIL lines.
set -u
. "$(dirname "$0")/kernels.sh"
target=$1
out=$(mkdir -p "$2" && cd "$2" && pwd) || exit 2
kver=$(lw_kver "$target") || exit 2
lw_builds_on_host "$target" || { echo "error: $target does not build on the host" >&2; exit 2; }
lw_prepare_target "$target" >"$out/prepare.log" 2>&1 || { echo "FAIL checkout: no headers for $kver"; exit 1; }
ver=$(sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' "$LW_TOP/debian/changelog")
kdir=/usr/src/linux-headers-$kver

tree=$out/lockwatch
rm -rf "$tree" && mkdir -p "$tree" || exit 2
(cd "$LW_TOP" && git ls-files -z | while IFS= read -r -d '' f; do
	[ -e "$f" ] && printf '%s\0' "$f"
done | cpio -0 -pdm --quiet "$tree") || { echo "FAIL checkout: copy the tracked files"; exit 1; }

# make -C KDIR M=$PWD, as the kernel's documentation says.
log=$out/kbuild.log
(cd "$tree" && make -C "$kdir" M="$PWD" W=1 modules) >"$log" 2>&1
rc=$?
got=$(modinfo -F version "$tree/lockwatch.ko" 2>/dev/null)
if [ $rc -eq 0 ] && ! grep -E 'warning:|error:' "$log" >/dev/null && [ "$got" = "$ver" ]; then
	echo "PASS checkout: make -C KDIR M=\$PWD builds with W=1, no warnings, version $ver (debian/changelog)"
else
	echo "FAIL checkout: make -C KDIR M=\$PWD builds with W=1, no warnings, version $ver (debian/changelog; got '$got', exit $rc)"
	grep -E 'warning:|error:' "$log" | head -n 20 | sed 's/^/    /'
fi
(cd "$tree" && make -C "$kdir" M="$PWD" clean) >/dev/null 2>&1

# dkms add PATH copies the checkout to /usr/src/lockwatch-VERSION, the
# version read from dkms.conf; build and install it for this kernel.
log=$out/dkms.log
: >"$log"
unregister() {
	dkms remove "lockwatch/$ver" --all >>"$log" 2>&1
	rm -rf "/usr/src/lockwatch-$ver"
}
trap unregister EXIT
unregister
mkdir -p "/lib/modules/$kver"
[ -e "/lib/modules/$kver/build" ] || ln -s "$kdir" "/lib/modules/$kver/build"
if dkms add "$tree" >>"$log" 2>&1 &&
	dkms status lockwatch 2>>"$log" | grep -q "^lockwatch/$ver: added" &&
	dkms install "lockwatch/$ver" -k "$kver" >>"$log" 2>&1 &&
	[ "$(modinfo -k "$kver" -F version lockwatch 2>>"$log")" = "$ver" ] &&
	modinfo -k "$kver" -F filename lockwatch 2>>"$log" | grep -q "/updates/dkms/lockwatch.ko"; then
	echo "PASS checkout: dkms add, build and install of the checkout: lockwatch/$ver in updates/dkms"
else
	echo "FAIL checkout: dkms add, build and install of the checkout: lockwatch/$ver in updates/dkms"
	tail -n 20 "$log" | sed 's/^/    /'
fi
