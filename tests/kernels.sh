#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The supported kernels and how to get, build against and boot each one.
# Sourced by the test scripts. Everything fetched lives under $LW_CACHE
# (default /var/cache/lockwatch, kept between runs and checkouts):
#   apt/SUITE/      package lists of other Debian suites (host apt, no install)
#   chroots/SUITE/  minbase chroots with that suite's compiler and headers
#   chroots/SUITE-system/  a fresh bootable system (package tests)
#   kernels/KVER/   the unpacked kernel image that the VM boots, and
#                   modroot/ with its disk and filesystem modules
# Delete a directory to refetch it (e.g. after Debian moves to a new ABI).

LW_TOP=${LW_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
LW_CACHE=${LW_CACHE:-/var/cache/lockwatch}
LW_MIRROR=${LW_MIRROR:-http://deb.debian.org/debian}
# The last two are on no list of compat.h's or dkms.conf's: the cloud
# flavour of 6.1 and bookworm's backport of 6.12, for the probes to decide.
LW_TARGETS_ALL="5.10 6.1 6.1-rt 6.12 6.12-rt 7.2 6.1-cloud 6.12-bpo"
# What make check runs by default: every supported kernel.
LW_TARGETS=${LW_TARGETS:-$LW_TARGETS_ALL}

lw_suite() {
	case $1 in
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
	*-rt) echo rt-amd64 ;;
	*-cloud) echo cloud-amd64 ;;
	*) echo amd64 ;;
	esac
}

# The host is bookworm: its own apt serves that suite.
lw_is_host_suite() { [ "$1" = bookworm ]; }

lw_apt_dir() { echo "$LW_CACHE/apt/$1"; }

lw_apt_opts() {
	local d
	d=$(lw_apt_dir "$1")
	echo "-o Dir::Etc::sourcelist=$d/sources.list -o Dir::Etc::sourceparts=- -o Dir::State::Lists=$d/lists -o Dir::Cache=$d/cache -o Acquire::Check-Valid-Until=false -o Debug::NoLocking=true"
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

# apt-get/apt-cache for SUITE, with lists kept in the cache.
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
			lw_sources "$suite" >"$d/sources.list" &&
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
	suite=$(lw_suite "$t") || return 1
	k=$(lw_apt "$suite" apt-cache depends "linux-image-$(lw_flavour "$t")" 2>/dev/null |
		sed -n 's/.*Depends: linux-image-\(.*\)$/\1/p' | grep -v unsigned | head -n 1)
	[ -n "$k" ] || { echo "error: no kernel for $t in $suite" >&2; return 1; }
	mkdir -p "$LW_CACHE" && echo "$k" >"$f" && echo "$k"
}

# Unpack the kernel image of KVER (from SUITE); print the vmlinuz path.
lw_fetch_kernel() {
	local kver=$1 suite=$2 dir=$LW_CACHE/kernels/$1 p v
	if [ ! -f "$dir/vmlinuz" ]; then
		rm -rf "$dir" && mkdir -p "$dir/deb" || return 1
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
# virtio, crypto and lib helpers), unpacked under
# $LW_CACHE/kernels/KVER/modroot/lib/modules/KVER with a modules.dep;
# print the modroot.
lw_fetch_modules() {
	local kver=$1 suite=$2 dir=$LW_CACHE/kernels/$1 p m keep
	if [ ! -f "$dir/modroot/.ready" ]; then
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
			for keep in fs drivers/block drivers/virtio lib crypto arch; do
				[ -d "$m/kernel/$keep" ] || continue
				mkdir -p "$dir/modroot/lib/modules/$kver/kernel/$keep" &&
					cp -a "$m/kernel/$keep/." "$dir/modroot/lib/modules/$kver/kernel/$keep/" || return 1
			done
		done
		rm -rf "$dir/mdeb"
		depmod -b "$dir/modroot" "$kver" || { echo "error: depmod $kver failed" >&2; return 1; }
		touch "$dir/modroot/.ready"
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
# W=1 builds run (kernel-doc) to build modules in.
lw_make_chroot() {
	local suite=$1 dir base script=""
	dir=$(lw_chroot_dir "$suite")
	[ -f "$dir/.ready" ] && return 0
	rm -rf "$dir" && mkdir -p "$dir" || return 1
	# bookworm's debootstrap has no script for forky: sid's fits. A
	# backports chroot is its suite's, with the backports added.
	base=${suite%-backports}
	[ -f "/usr/share/debootstrap/scripts/$base" ] || script=/usr/share/debootstrap/scripts/sid
	echo "creating the $suite chroot (debootstrap, about 30 s)"
	debootstrap --variant=minbase "$base" "$dir" "$LW_MIRROR" $script >"$dir.log" 2>&1 ||
		{ tail -n 20 "$dir.log" >&2; echo "error: debootstrap $suite failed" >&2; return 1; }
	echo 'Acquire::Check-Valid-Until "false";' >"$dir/etc/apt/apt.conf.d/99lockwatch"
	{
		lw_sources "$base"
		[ "$base" = "$suite" ] || lw_sources "$suite"
	} >"$dir/etc/apt/sources.list"
	lw_in_chroot "$suite" apt-get update -q >>"$dir.log" 2>&1 &&
		lw_in_chroot "$suite" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends make libc6-dev perl python3 >>"$dir.log" 2>&1 ||
		{ tail -n 20 "$dir.log" >&2; echo "error: $suite chroot setup failed" >&2; return 1; }
	touch "$dir/.ready"
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

# Make sure TARGET's headers are ready to build against.
lw_prepare_target() {
	local t=$1 suite kver
	suite=$(lw_suite "$t") || { echo "error: unknown kernel '$t' (known: $LW_TARGETS_ALL)" >&2; return 2; }
	kver=$(lw_kver "$t") || return 1
	if lw_is_host_suite "$suite"; then
		"$LW_TOP/tests/deps.sh" "$kver"
	else
		lw_make_chroot "$suite" && lw_chroot_headers "$suite" "$kver"
	fi
}
