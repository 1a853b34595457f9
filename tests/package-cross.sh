#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# package-cross.sh ARCH OUT: the reader's Debian package cross-built for
# ARCH (arm64) as a Debian builder cross-builds, in the bookworm chroot
# with ARCH's packages added: apt-get build-dep -a ARCH, then
# dpkg-buildpackage -a ARCH -B. The package must be ARCH's, its program
# ARCH's code, its dependencies the libraries it links (shlibs), and
# lintian must report no error and no warning. (lockwatch-dkms is
# Architecture: all, the one package.sh installs; dkms.sh cross-builds
# it for an arm64 kernel.) PASS/FAIL lines.
set -u
. "$(dirname "$0")/kernels.sh"
arch=$1
out=$(mkdir -p "$2" && cd "$2" && pwd) || exit 2
log=$out/package-$arch.log
: >"$log"
result() { # result NAME STATUS
	if [ "$2" -eq 0 ]; then echo "PASS $1"; else echo "FAIL $1"; fi
}
fail() { result "$1" 1; tail -n 20 "$log" | sed 's/^/    /'; exit 1; }

root=$(lw_chroot_dir bookworm)
build=/build/pkg-$arch
lw_chroot_arch bookworm "$arch" >>"$log" 2>&1 || fail "package ($arch): the bookworm chroot"
rm -rf "$root$build" && mkdir -p "$root$build/src" &&
	(cd "$LW_TOP" && tar --exclude=./build --exclude=./.git -cf - .) | tar -xf - -C "$root$build/src" ||
	fail "package ($arch): copy the tree"
lw_in_chroot bookworm sh -c "cd $build/src && DEBIAN_FRONTEND=noninteractive apt-get build-dep -y -q \
	-a $arch --no-install-recommends ./ && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	--no-install-recommends crossbuild-essential-$arch" >>"$log" 2>&1 ||
	fail "package ($arch): apt-get build-dep -a $arch"
lw_in_chroot bookworm sh -c "cd $build/src && dpkg-buildpackage -a $arch -B -us -uc" >>"$log" 2>&1 ||
	fail "package ($arch): dpkg-buildpackage -a $arch -B"
ver=$(cd "$LW_TOP" && dpkg-parsechangelog -S Version)
deb=$root$build/lockwatch_${ver}_$arch.deb
rm -rf "$out/x" && dpkg-deb -x "$deb" "$out/x" 2>>"$log" || fail "package ($arch): no lockwatch_${ver}_$arch.deb"
machine=$(readelf -h "$out/x/usr/sbin/lockwatch" 2>>"$log" | sed -n 's/^ *Machine: *//p')
deps=$(dpkg-deb -f "$deb" Depends)
want=$([ "$arch" = arm64 ] && echo AArch64)
[ "$(dpkg-deb -f "$deb" Architecture)" = "$arch" ] && [ "$machine" = "$want" ] &&
	echo "$deps" | grep -q 'libjson-c5' && echo "$deps" | grep -q 'libbpf1' &&
	echo "$deps" | grep -q 'libsystemd0'
rc=$?
[ $rc -ne 0 ] && echo "    Architecture $(dpkg-deb -f "$deb" Architecture), machine '$machine', Depends: $deps"
result "package ($arch): dpkg-buildpackage -a $arch builds lockwatch $ver, $machine code, Depends on libjson-c5, libbpf1, libsystemd0" $rc
lintian --tag-display-limit 0 "$root$build/lockwatch_${ver}_$arch.changes" 2>&1 |
	grep -v '^running with root privileges' >"$out/lintian-$arch.txt"
! grep -q '^[EW]: ' "$out/lintian-$arch.txt"
rc=$?
[ $rc -ne 0 ] && sed 's/^/    /' "$out/lintian-$arch.txt"
result "package ($arch): lintian, no errors and no warnings" $rc
