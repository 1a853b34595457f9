#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The supported kernels and how to get, build against and boot each one.
# Sourced by the test scripts. Everything fetched lives under $LW_CACHE
# (default /var/cache/lockwatch, kept between runs and checkouts):
#   apt/SUITE/      package lists of other Debian suites (host apt, no install)
#   apt/SUITE-arm64/  the arm64 package lists of SUITE
#   chroots/SUITE/  minbase chroots with that suite's compiler and headers
#   chroots/SUITE-system/  a fresh bootable system (package tests)
#   kernels/KVER/   the unpacked kernel image that the VM boots, and
#                   modroot/ with its disk and filesystem modules
# Delete a directory to refetch it (e.g. after Debian moves to a new ABI).

LW_TOP=${LW_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
LW_CACHE=${LW_CACHE:-/var/cache/lockwatch}
LW_MIRROR=${LW_MIRROR:-http://deb.debian.org/debian}
# 6.1-cloud and 6.12-bpo are on no list of compat.h's or dkms.conf's: the
# cloud flavour of 6.1 and bookworm's backport of 6.12, for the probes to
# decide. The -arm64 targets are cross-built and boot under
# qemu-system-aarch64 (6.12-rt-arm64: PREEMPT_RT on arm64).
LW_TARGETS_ALL="5.10 6.1 6.1-rt 6.12 6.12-rt 7.2 6.1-cloud 6.12-bpo 6.1-arm64 6.12-arm64 7.2-arm64 6.12-rt-arm64"
# What make check runs by default: every supported kernel.
LW_TARGETS=${LW_TARGETS:-$LW_TARGETS_ALL}

lw_suite() {
	case ${1%-arm64} in
	5.10) echo bullseye ;;
	6.1 | 6.1-rt | 6.1-cloud) echo bookworm ;;
	6.12 | 6.12-rt) echo trixie ;;
	6.12-bpo) echo bookworm-backports ;;
	7.2) echo forky ;;
	*) return 1 ;;
	esac
}

lw_flavour() {
	case $1 in
	*-rt-arm64) echo rt-arm64 ;;
	*-arm64) echo arm64 ;;
	*-rt) echo rt-amd64 ;;
	*-cloud) echo cloud-amd64 ;;
	*) echo amd64 ;;
	esac
}

# lw_unbooted TARGET SUITE: why make check does not boot SUITE (core, fs,
# waits) on TARGET, if it does not: prints the reason; fails for a suite
# that boots there (today every suite boots on every target).
lw_unbooted() {
	case $1:$2 in
	*) return 1 ;;
	esac
}

# The architecture a target's kernel runs on (Debian's name).
lw_arch() {
	case $1 in
	*-arm64) echo arm64 ;;
	*) echo amd64 ;;
	esac
}

# Where a target's packages come from: its suite, and for another
# architecture SUITE/ARCH (lw_apt).
lw_archive() {
	local suite
	suite=$(lw_suite "$1") || return 1
	case $(lw_arch "$1") in
	amd64) echo "$suite" ;;
	*) echo "$suite/$(lw_arch "$1")" ;;
	esac
}

# The host is bookworm amd64: its own apt serves that suite.
lw_is_host_suite() { [ "$1" = bookworm ]; }

lw_apt_dir() { echo "$LW_CACHE/apt/${1/\//-}"; }

lw_apt_opts() {
	local d arch=""
	d=$(lw_apt_dir "$1")
	case $1 in
	*/*) arch="-o APT::Architecture=${1#*/} -o APT::Architectures::=${1#*/}" ;;
	esac
	echo "-o Dir::Etc::sourcelist=$d/sources.list -o Dir::Etc::sourceparts=- -o Dir::State::Lists=$d/lists -o Dir::Cache=$d/cache -o Acquire::Check-Valid-Until=false -o Debug::NoLocking=true $arch"
}

# The sources of SUITE; a backports suite's lists hold only the backports
# (apt would prefer the suite's own kernel), its chroot has both
# (lw_make_chroot).
lw_sources() {
	echo "deb $LW_MIRROR $1 main"
	case $1 in
	bullseye | bookworm | trixie)
		echo "deb $LW_MIRROR $1-updates main"
		echo "deb http://deb.debian.org/debian-security $1-security main"
		;;
	esac
}

# apt-get/apt-cache for SUITE (or SUITE/ARCH), with lists kept in the cache.
lw_apt() {
	local suite=$1 tool=$2 d
	shift 2
	if lw_is_host_suite "$suite"; then
		"$tool" "$@"
		return
	fi
	d=$(lw_apt_dir "$suite")
	if [ ! -f "$d/.ready" ]; then
		mkdir -p "$d/lists/partial" "$d/cache/archives/partial" &&
			lw_sources "${suite%/*}" >"$d/sources.list" &&
			apt-get $(lw_apt_opts "$suite") update -q >/dev/null &&
			touch "$d/.ready" || { echo "error: apt update for $suite failed" >&2; return 1; }
	fi
	# shellcheck disable=SC2046
	"$tool" $(lw_apt_opts "$suite") "$@"
}

# The ABI of a target's kernel, e.g. 6.12.118+deb13-rt-amd64; remembered.
lw_kver() {
	local t=$1 f=$LW_CACHE/kver-$1 suite k
	if [ -s "$f" ]; then cat "$f"; return; fi
	suite=$(lw_archive "$t") || return 1
	k=$(lw_apt "$suite" apt-cache depends "linux-image-$(lw_flavour "$t")" 2>/dev/null |
		sed -n 's/.*Depends: linux-image-\(.*\)$/\1/p' | grep -v unsigned | head -n 1)
	[ -n "$k" ] || { echo "error: no kernel for $t in $suite" >&2; return 1; }
	mkdir -p "$LW_CACHE" && echo "$k" >"$f" && echo "$k"
}

# Unpack the kernel image of KVER (from ARCHIVE, lw_archive); print the
# vmlinuz path.
lw_fetch_kernel() {
	local kver=$1 suite=$2 dir=$LW_CACHE/kernels/$1 p v
	if [ ! -f "$dir/vmlinuz" ]; then
		rm -rf "$dir/deb" "$dir/root" && mkdir -p "$dir/deb" || return 1
		# forky splits the image: the kernel itself is linux-binary-KVER.
		for p in "linux-binary-$kver" "linux-image-$kver"; do
			(cd "$dir/deb" && lw_apt "$suite" apt-get download -q "$p" >/dev/null 2>&1) && break
		done
		ls "$dir"/deb/*.deb >/dev/null 2>&1 || { echo "error: cannot download the $kver image" >&2; return 1; }
		dpkg-deb -x "$dir"/deb/*.deb "$dir/root" || return 1
		for v in "$dir/root/boot/vmlinuz-$kver" "$dir/root/usr/lib/modules/$kver/vmlinuz"; do
			[ -f "$v" ] && cp "$v" "$dir/vmlinuz.tmp" && mv "$dir/vmlinuz.tmp" "$dir/vmlinuz"
		done
		rm -rf "$dir/deb" "$dir/root"
		[ -f "$dir/vmlinuz" ] || { echo "error: no vmlinuz in the $kver image" >&2; return 1; }
	fi
	echo "$dir/vmlinuz"
}

# The modules of KVER's image that a guest with disks needs (filesystems,
# virtio, char devices such as virtio_console, crypto and lib helpers), unpacked under
# $LW_CACHE/kernels/KVER/modroot/lib/modules/KVER with a modules.dep;
# print the modroot.
lw_fetch_modules() {
	local kver=$1 suite=$2 dir=$LW_CACHE/kernels/$1 p m keep
	# The module folders the guests use; .ready names them, so that a
	# folder added here fetches them again.
	local keeps="fs block drivers/block drivers/char drivers/virtio drivers/scsi lib crypto arch"
	if [ "$(cat "$dir/modroot/.ready" 2>/dev/null)" != "$keeps" ]; then
		rm -rf "$dir/modroot" "$dir/mdeb" && mkdir -p "$dir/mdeb/x" || return 1
		# forky splits the image: the modules are linux-modules-KVER,
		# the list of built-in ones comes with linux-base-KVER.
		for p in "linux-image-$kver" "linux-modules-$kver" "linux-base-$kver"; do
			(cd "$dir/mdeb" && lw_apt "$suite" apt-get download -q "$p" >/dev/null 2>&1)
		done
		ls "$dir"/mdeb/*.deb >/dev/null 2>&1 || { echo "error: cannot download the $kver modules" >&2; return 1; }
		for p in "$dir"/mdeb/*.deb; do
			dpkg-deb -x "$p" "$dir/mdeb/x" || return 1
		done
		for m in "$dir/mdeb/x/lib/modules/$kver" "$dir/mdeb/x/usr/lib/modules/$kver"; do
			[ -d "$m/kernel" ] || continue
			mkdir -p "$dir/modroot/lib/modules/$kver/kernel" || return 1
			cp "$m"/modules.builtin* "$m/modules.order" "$dir/modroot/lib/modules/$kver/" || return 1
			for keep in $keeps; do
				[ -d "$m/kernel/$keep" ] || continue
				mkdir -p "$dir/modroot/lib/modules/$kver/kernel/$keep" &&
					cp -a "$m/kernel/$keep/." "$dir/modroot/lib/modules/$kver/kernel/$keep/" || return 1
			done
		done
		rm -rf "$dir/mdeb"
		depmod -b "$dir/modroot" "$kver" || { echo "error: depmod $kver failed" >&2; return 1; }
		echo "$keeps" >"$dir/modroot/.ready"
	fi
	echo "$dir/modroot"
}

# lw_guest_modules MODROOT KVER OUT MODULE...: the modules that MODULEs
# need, and they themselves, uncompressed as OUT/NN-name.ko in load
# order (built-in ones are left out).
lw_guest_modules() {
	local root=$1 kver=$2 out=$3 n=10 f name
	shift 3
	mkdir -p "$out" || return 1
	for f in $(modprobe -d "$root" -S "$kver" -a --show-depends "$@" | awk '$1 == "insmod" { print $2 }'); do
		name=$(basename "$f")
		name=${name%.xz}
		name=${name%.zst}
		ls "$out"/*-"$name" >/dev/null 2>&1 && continue
		case $f in
		*.xz) xz -dc "$f" >"$out/$n-$name" ;;
		*.zst) zstd -qdc "$f" >"$out/$n-$name" ;;
		*) cp "$f" "$out/$n-$name" ;;
		esac || return 1
		n=$((n + 1))
	done
}

lw_chroot_dir() { echo "$LW_CACHE/chroots/$1"; }

# Run a command in SUITE's chroot with /proc mounted (objtool reads it).
lw_in_chroot() {
	local dir rc
	dir=$(lw_chroot_dir "$1")
	shift
	mountpoint -q "$dir/proc" || mount -t proc proc "$dir/proc" || return 1
	chroot "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C "$@"
	rc=$?
	umount "$dir/proc" 2>/dev/null
	return $rc
}

# A minbase chroot of SUITE with make, a libc, and the perl and python that
# W=1 builds run (kernel-doc) to build modules in. SUITE-ARCH (bookworm-arm64)
# is a chroot of another architecture, whose programs run through qemu-user
# (lw_foreign_binaries): that architecture's own userland, as on its hosts.
lw_make_chroot() {
	local name=$1 suite=$1 dir base script="" arch=amd64
	case $suite in
	*-arm64) arch=arm64 suite=${suite%-arm64} ;;
	esac
	dir=$(lw_chroot_dir "$name")
	[ "$arch" = amd64 ] || lw_foreign_binaries "$arch" || return 1
	[ -f "$dir/.ready" ] && return 0
	rm -rf "$dir" && mkdir -p "$dir" || return 1
	# bookworm's debootstrap has no script for forky: sid's fits. A
	# backports chroot is its suite's, with the backports added.
	base=${suite%-backports}
	[ -f "/usr/share/debootstrap/scripts/$base" ] || script=/usr/share/debootstrap/scripts/sid
	if [ "$arch" = amd64 ]; then
		echo "creating the $name chroot (debootstrap, about 30 s)" >&2
	else
		echo "creating the $name chroot (debootstrap under qemu-user, about 2 min)" >&2
	fi
	debootstrap --arch="$arch" --variant=minbase "$base" "$dir" "$LW_MIRROR" $script >"$dir.log" 2>&1 ||
		{ tail -n 20 "$dir.log" >&2; echo "error: debootstrap $name failed" >&2; return 1; }
	echo 'Acquire::Check-Valid-Until "false";' >"$dir/etc/apt/apt.conf.d/99lockwatch"
	{
		lw_sources "$base"
		[ "$base" = "$suite" ] || lw_sources "$suite"
	} >"$dir/etc/apt/sources.list"
	lw_in_chroot "$name" apt-get update -q >>"$dir.log" 2>&1 &&
		lw_in_chroot "$name" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends make libc6-dev perl python3 >>"$dir.log" 2>&1 ||
		{ tail -n 20 "$dir.log" >&2; echo "error: $name chroot setup failed" >&2; return 1; }
	touch "$dir/.ready"
}

# lw_foreign_binaries ARCH: make this machine run ARCH's programs, through
# qemu-user-static's handler in binfmt_misc (registered as Debian's
# package registers it, with the F flag, so that it works in a chroot).
lw_foreign_binaries() {
	local q conf
	q=$(lw_cross_gnu "$1") && q=${q%%-*}
	conf=/usr/lib/binfmt.d/qemu-$q.conf
	[ -e "/proc/sys/fs/binfmt_misc/qemu-$q" ] && return 0
	[ -f "$conf" ] || { echo "error: no $conf (package qemu-user-static)" >&2; return 1; }
	mountpoint -q /proc/sys/fs/binfmt_misc ||
		mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc ||
		{ echo "error: cannot mount binfmt_misc" >&2; return 1; }
	[ -e "/proc/sys/fs/binfmt_misc/qemu-$q" ] || cat "$conf" >/proc/sys/fs/binfmt_misc/register ||
		{ echo "error: cannot register qemu-$q with binfmt_misc" >&2; return 1; }
}

# lw_system_image SUITE KVER: a fresh Debian system of SUITE that boots
# with systemd (minbase plus init, udev, kmod, procps), with the packages
# that dkms and the KVER headers need already downloaded into its apt
# cache, not installed. Print its directory; copy it before use.
lw_system_image() {
	local suite=$1 kver=$2 dir
	dir=$(lw_chroot_dir "$suite")-system
	if [ ! -f "$dir/.ready" ]; then
		rm -rf "$dir" && mkdir -p "$dir" || return 1
		echo "creating the $suite system image (debootstrap, about a minute)" >&2
		debootstrap --variant=minbase --include=systemd-sysv,udev,kmod,procps \
			"$suite" "$dir" "$LW_MIRROR" >"$dir.log" 2>&1 ||
			{ tail -n 20 "$dir.log" >&2; echo "error: debootstrap $suite failed" >&2; return 1; }
		lw_sources "$suite" >"$dir/etc/apt/sources.list"
		echo lockwatch-test >"$dir/etc/hostname"
		mount -t proc proc "$dir/proc" || return 1
		chroot "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C \
			sh -c "apt-get update -q && apt-get install -y -q --download-only \
				--no-install-recommends dkms linux-headers-$kver libjson-c5" >>"$dir.log" 2>&1
		local rc=$?
		umount "$dir/proc"
		[ $rc -eq 0 ] || { tail -n 20 "$dir.log" >&2; echo "error: $suite system image setup failed" >&2; return 1; }
		touch "$dir/.ready"
	fi
	echo "$dir"
}

# Headers of KVER inside SUITE's chroot: the package's dependencies from
# apt, except the kernel image; the package itself unpacked, since some
# suites make it depend on the image.
lw_chroot_headers() {
	local suite=$1 kver=$2 dir deps
	dir=$(lw_chroot_dir "$suite")
	[ -f "$dir/usr/src/linux-headers-$kver/.config" ] && return 0
	deps=$(lw_in_chroot "$suite" apt-cache depends "linux-headers-$kver" |
		awk '/^  Depends: / { print $2 }' | grep -v -e '^<' -e '^linux-image-')
	lw_in_chroot "$suite" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends $deps >>"$dir.log" 2>&1 &&
		lw_in_chroot "$suite" sh -c "cd /tmp && rm -f linux-headers-*.deb &&
			apt-get download -q linux-headers-$kver" >>"$dir.log" 2>&1 ||
		{ tail -n 20 "$dir.log" >&2; echo "error: headers $kver in $suite failed" >&2; return 1; }
	# Only usr/src: unpacking over / would replace merged-/usr symlinks.
	rm -rf "$dir/tmp/h" && dpkg-deb -x "$dir"/tmp/linux-headers-"${kver}"_*.deb "$dir/tmp/h" &&
		cp -a "$dir/tmp/h/usr/src/." "$dir/usr/src/" && rm -rf "$dir/tmp/h" "$dir"/tmp/linux-headers-*.deb ||
		{ echo "error: cannot unpack the $kver headers" >&2; return 1; }
	[ -f "$dir/usr/src/linux-headers-$kver/.config" ]
}

# lw_cross_headers TARGET: the headers of a target of another architecture
# in its suite's chroot, with what a cross build needs: the kbuild of that
# kernel (the chroot's own architecture), the arch-independent headers,
# the target's headers unpacked, and Debian's cross compiler.
lw_cross_headers() {
	local t=$1 suite kver dir deps arch
	suite=$(lw_suite "$t") && kver=$(lw_kver "$t") || return 1
	dir=$(lw_chroot_dir "$suite")
	arch=$(lw_arch "$t")
	[ -f "$dir/usr/src/linux-headers-$kver/.config" ] && [ -f "$dir/.cross-$arch" ] && return 0
	deps=$(lw_apt "$(lw_archive "$t")" apt-cache depends "linux-headers-$kver" |
		awk '/^  Depends: / { print $2 }' | grep -e '^linux-headers-.*-common' -e '^linux-kbuild-')
	[ -n "$deps" ] || { echo "error: no dependencies of linux-headers-$kver" >&2; return 1; }
	lw_in_chroot "$suite" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "gcc-$(lw_cross_gnu "$arch")" $deps >>"$dir.log" 2>&1 &&
		rm -rf "$dir/tmp/h" && mkdir -p "$dir/tmp/h" &&
		(cd "$dir/tmp/h" && lw_apt "$(lw_archive "$t")" apt-get download -q "linux-headers-$kver" >>"$dir.log" 2>&1) &&
		dpkg-deb -x "$dir"/tmp/h/linux-headers-"${kver}"_*.deb "$dir/tmp/h/x" &&
		cp -a "$dir/tmp/h/x/usr/src/." "$dir/usr/src/" && rm -rf "$dir/tmp/h" ||
		{ tail -n 20 "$dir.log" >&2; echo "error: cross headers $kver in $suite failed" >&2; return 1; }
	touch "$dir/.cross-$arch"
	[ -f "$dir/usr/src/linux-headers-$kver/.config" ]
}

# The GNU triplet of architecture ARCH.
lw_cross_gnu() {
	case $1 in
	arm64) echo aarch64-linux-gnu ;;
	*) echo x86_64-linux-gnu ;;
	esac
}

# lw_chroot_arch SUITE ARCH: SUITE's chroot, with ARCH's packages too
# (multiarch: the libraries a cross build links against).
lw_chroot_arch() {
	local suite=$1 arch=$2 dir
	dir=$(lw_chroot_dir "$suite")
	lw_make_chroot "$suite" || return 1
	[ -f "$dir/.arch-$arch" ] && return 0
	lw_in_chroot "$suite" dpkg --add-architecture "$arch" &&
		lw_in_chroot "$suite" apt-get update -q >>"$dir.log" 2>&1 &&
		touch "$dir/.arch-$arch" ||
		{ tail -n 20 "$dir.log" >&2; echo "error: $arch in the $suite chroot failed" >&2; return 1; }
}

# lw_cross_reader ARCH: the reader, static, for ARCH (not the host's), built
# in the bookworm chroot with that architecture's libraries added
# (multiarch); rebuilt when its sources change. Print its path.
lw_cross_reader() {
	local arch=$1 dir out digest gnu
	dir=$(lw_chroot_dir bookworm)
	out=$LW_TOP/build/$arch/lockwatch-static
	gnu=$(lw_cross_gnu "$arch")
	digest=$(cd "$LW_TOP" && cat Makefile debian/changelog userspace/*.[ch] | sha256sum | cut -d' ' -f1)
	if [ -x "$out" ] && [ "$(cat "$out.digest" 2>/dev/null)" = "$digest" ]; then
		echo "$out"
		return 0
	fi
	if [ ! -f "$dir/.reader-$arch" ]; then
		lw_chroot_arch bookworm "$arch" &&
			lw_in_chroot bookworm env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
				--no-install-recommends "gcc-$gnu" libjson-c-dev:"$arch" libbpf-dev:"$arch" \
				libelf-dev:"$arch" zlib1g-dev:"$arch" libzstd-dev:"$arch" >>"$dir.log" 2>&1 ||
			{ tail -n 20 "$dir.log" >&2; echo "error: $arch libraries in the bookworm chroot failed" >&2; return 1; }
		touch "$dir/.reader-$arch"
	fi
	rm -rf "$dir/build/reader-$arch" && mkdir -p "$dir/build/reader-$arch/debian" &&
		cp -r "$LW_TOP/Makefile" "$LW_TOP/userspace" "$dir/build/reader-$arch/" &&
		cp "$LW_TOP/debian/changelog" "$dir/build/reader-$arch/debian/" &&
		rm -f "$dir/build/reader-$arch/userspace/lockwatch-static" &&
		lw_in_chroot bookworm make -s -C "/build/reader-$arch" CC="$gnu-gcc" userspace/lockwatch-static >&2 &&
		mkdir -p "$(dirname "$out")" &&
		cp "$dir/build/reader-$arch/userspace/lockwatch-static" "$out" &&
		echo "$digest" >"$out.digest" ||
		{ echo "error: cannot build the $arch reader" >&2; return 1; }
	echo "$out"
}

# lw_cross_busybox ARCH: bookworm's static busybox for ARCH; print its path.
lw_cross_busybox() {
	local arch=$1 dir=$LW_CACHE/$1
	if [ ! -x "$dir/busybox" ]; then
		rm -rf "$dir/bb" && mkdir -p "$dir/bb" &&
			(cd "$dir/bb" && lw_apt "bookworm/$arch" apt-get download -q busybox-static >/dev/null 2>&1) &&
			dpkg-deb -x "$dir"/bb/busybox-static_*.deb "$dir/bb/x" &&
			cp "$dir/bb/x/bin/busybox" "$dir/busybox" && rm -rf "$dir/bb" ||
			{ echo "error: cannot fetch the $arch busybox" >&2; return 1; }
	fi
	echo "$dir/busybox"
}

# Does TARGET build on the host itself (bookworm, amd64)?
lw_builds_on_host() {
	lw_is_host_suite "$(lw_suite "$1")" && [ "$(lw_arch "$1")" = amd64 ]
}

# What make needs to build modules for TARGET: the cross compiler for
# another architecture.
lw_kbuild_vars() {
	[ "$(lw_arch "$1")" = amd64 ] || echo "ARCH=$(lw_arch "$1") CROSS_COMPILE=$(lw_cross_gnu "$(lw_arch "$1")")-"
}

# Make sure TARGET's headers are ready to build against.
lw_prepare_target() {
	local t=$1 suite kver
	suite=$(lw_suite "$t") || { echo "error: unknown kernel '$t' (known: $LW_TARGETS_ALL)" >&2; return 2; }
	kver=$(lw_kver "$t") || return 1
	if lw_builds_on_host "$t"; then
		"$LW_TOP/tests/deps.sh" "$kver"
	elif [ "$(lw_arch "$t")" != amd64 ]; then
		lw_make_chroot "$suite" && lw_cross_headers "$t"
	else
		lw_make_chroot "$suite" && lw_chroot_headers "$suite" "$kver"
	fi
}
