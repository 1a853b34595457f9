#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Shared helpers of the VM harness: build an initramfs around busybox,
# boot a kernel under QEMU TCG and judge its console. Which kernels and
# how to get them: tests/kernels.sh.

LW_TOP=${LW_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$LW_TOP/tests/kernels.sh"

lw_die() { echo "error: $*" >&2; exit 2; }

# lw_guest TARGET: what a guest of TARGET runs, for lw_initramfs and
# lw_boot: lw_arch, the busybox and static reader of its architecture
# (lw_busybox, lw_reader), and lw_port, the directory of the modules that
# make its results port where that is not a second serial port (arm64's
# virt machine has one UART: a virtio serial port named lw.results), else
# empty.
lw_guest() {
	local kver
	lw_arch=$(lw_arch "$1")
	lw_port=""
	case $lw_arch in
	amd64)
		lw_busybox=/bin/busybox
		lw_reader=$LW_TOP/userspace/lockwatch-static
		;;
	*)
		kver=$(lw_kver "$1") &&
			lw_busybox=$(lw_cross_busybox "$lw_arch") &&
			lw_reader=$(lw_cross_reader "$lw_arch") &&
			lw_port=$LW_CACHE/kernels/$kver/port || return 1
		if [ ! -f "$lw_port/.ready" ]; then
			rm -rf "$lw_port" &&
				lw_guest_modules "$(lw_fetch_modules "$kver" "$(lw_archive "$1")")" "$kver" \
					"$lw_port" virtio_pci virtio_console &&
				{ ls "$lw_port"/*-virtio_console.ko 2>/dev/null ||
					grep -q /virtio_console.ko "$LW_CACHE/kernels/$kver/modroot/lib/modules/$kver/modules.builtin"; } >/dev/null &&
				touch "$lw_port/.ready" || return 1
		fi
		;;
	esac
}

# lw_debian_root OUT PROGRAM PACKAGE...: Debian's PROGRAM (bookworm's,
# for the guest's architecture, lw_arch) with what it runs with: the
# packages given and glibc, unpacked once into the cache; OUT gets
# usr/bin/PROGRAM, the libraries (/lib*) and the dynamic loader, to lay
# over a guest's root (LW_EXTRA_ROOT).
lw_debian_root() {
	local out=$1 prog=$2 suite=bookworm dir p
	shift 2
	[ "${lw_arch:-amd64}" = amd64 ] || suite=bookworm/$lw_arch
	dir=$LW_CACHE/debian-root/${lw_arch:-amd64}-$prog
	if [ "$(cat "$dir/.ready" 2>/dev/null)" != "$*" ]; then
		rm -rf "$dir" && mkdir -p "$dir/deb" || return 1
		(cd "$dir/deb" && lw_apt "$suite" apt-get download -q "$@" libc6 >/dev/null 2>&1) ||
			{ echo "error: cannot download $* for $suite" >&2; return 1; }
		for p in "$dir"/deb/*.deb; do
			dpkg-deb -x "$p" "$dir/x" || return 1
		done
		echo "$*" >"$dir/.ready"
	fi
	rm -rf "$out" && mkdir -p "$out/usr/bin" &&
		cp "$dir/x/usr/bin/$prog" "$out/usr/bin/" || return 1
	for p in lib lib64; do
		[ -d "$dir/x/$p" ] && cp -a "$dir/x/$p" "$out/"
	done
	[ -d "$out/lib" ] || return 1
	# The dynamic loader where the program asks for it.
	p=$(readelf -l "$out/usr/bin/$prog" | sed -n 's/.*interpreter: \(.*\)\]$/\1/p')
	[ -n "$p" ] && [ -e "$out$p" ] || { echo "error: no loader $p for $prog" >&2; return 1; }
}

# lw_initramfs OUT GUEST_SCRIPT FILE...: busybox (lw_guest), the given
# files in /lib (modules) or /bin (executables), the contents of given
# directories in /lib/kmod (kernel modules to load in name order, see
# lw_guest_modules), the results port's modules in /lib/port, the guests'
# prelude as /lib/guest.sh, GUEST_SCRIPT as /init, and over it all the
# tree LW_EXTRA_ROOT names, if any (lw_debian_root).
lw_initramfs() {
	local out=$1 script=$2 root f
	shift 2
	root=$(mktemp -d) || return 1
	mkdir -p "$root"/{bin,sbin,lib,proc,sys,dev,tmp,mnt,etc}
	cp "${lw_busybox:-/bin/busybox}" "$root/bin/busybox"
	if [ -n "${lw_port:-}" ]; then
		mkdir -p "$root/lib/port" && find "$lw_port" -name '*.ko' -exec cp {} "$root/lib/port/" \;
	fi
	for f in $(/bin/busybox --list); do
		[ -e "$root/bin/$f" ] || ln -s busybox "$root/bin/$f"
	done
	for f in "$@"; do
		case $f in
		*.ko) cp "$f" "$root/lib/" ;;
		*/) mkdir -p "$root/lib/kmod" && cp "$f"* "$root/lib/kmod/" ;;
		*) cp "$f" "$root/bin/" ;;
		esac
	done
	if [ -n "${LW_EXTRA_ROOT:-}" ]; then
		cp -a "$LW_EXTRA_ROOT/." "$root/" || return 1
	fi
	cp "$script" "$root/init"
	cp "$LW_TOP/tests/vm/guest/lib.sh" "$root/lib/guest.sh"
	chmod 755 "$root/init"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
	local rc=$?
	rm -rf "$root"
	return $rc
}

# lw_boot VMLINUZ INITRD CONSOLE_LOG RESULTS TIMEOUT [APPEND]: boot under TCG.
# The guest writes results to its second serial port (/dev/ttyS1).
# LW_DRIVES: raw disk images for virtio disks vda, vdb..., left unchanged
# (snapshot). LW_MEM: the guest's memory (default 1024M). LW_ACCEL: the
# -accel value (default tcg: one host thread per vCPU). LW_QEMU_ARGS: more
# QEMU options.
lw_boot() {
	local kernel=$1 initrd=$2 console=$3 results=$4 limit=$5 append=${6:-} d tty
	local drives=() machine
	for d in ${LW_DRIVES:-}; do
		drives+=(-drive "file=$d,if=virtio,format=raw,snapshot=on")
	done
	: >"$results"
	case ${lw_arch:-amd64} in
	amd64)
		machine=(qemu-system-x86_64 -accel "${LW_ACCEL:-tcg}" -cpu max
			-serial "file:$console" -serial "file:$results")
		tty=ttyS0
		;;
	arm64)
		# -cpu max has pointer authentication: return addresses on
		# the stack are signed (QEMU's own, faster algorithm).
		machine=(qemu-system-aarch64 -M virt -accel tcg -cpu max,pauth-impdef=on
			-serial "file:$console" -device virtio-serial-pci
			-chardev "file,id=results,path=$results"
			-device virtserialport,chardev=results,name=lw.results)
		tty=ttyAMA0
		;;
	esac
	local try
	for try in 1 2; do
		: >"$results"
		timeout --kill-after=10 "$limit" "${machine[@]}" \
			-m "${LW_MEM:-1024}" -smp 2 ${LW_QEMU_ARGS:-} -nographic -no-reboot -net none "${drives[@]}" \
			-kernel "$kernel" -initrd "$initrd" -monitor none \
			-append "console=$tty panic=-1 panic_on_warn=1 quiet loglevel=4 $append" \
			</dev/null >/dev/null 2>&1
		# A kernel that died before /init wrote a line ran nothing of
		# lockwatch's (seen once: an int3 oops in 7.2's early boot under
		# TCG): it is booted once more, and the log says so.
		if [ "$try" = 1 ] && [ ! -s "$results" ] && lw_console_problems "$console" >/dev/null; then
			mv "$console" "$console.first"
			echo "lw_boot: the kernel died before /init ran (see $console.first); booting it once more" >&2
			continue
		fi
		break
	done
}

# Print what in a console log shows that the kernel went wrong.
lw_console_problems() {
	grep -E 'BUG:|WARNING:|Oops|Kernel panic|general protection fault|Unable to handle|UBSAN|KASAN|possible circular locking|INFO: task .* blocked' "$1"
}

# lw_ext4_image FILE: an empty 64 MiB ext4 disk image. ext4 initializes
# its tables at mkfs: no lazyinit thread writes later.
lw_ext4_image() {
	truncate -s 64M "$1" &&
		mkfs.ext4 -q -E lazy_itable_init=0,lazy_journal_init=0 "$1"
}

# lw_fs_disks OUT TARGET: empty XFS and ext4 disk images (OUT/xfs.img,
# OUT/ext4.img; the guest fills them), two more to freeze (OUT/fxfs.img,
# OUT/fext4.img), the modules the guest loads to use them (OUT/kmod/)
# and null_blk (OUT/nullb/).
lw_fs_disks() {
	local out=$1 target=$2 kver suite modroot
	kver=$(lw_kver "$target") && suite=$(lw_archive "$target") &&
		modroot=$(lw_fetch_modules "$kver" "$suite") || return 1
	rm -rf "$out/kmod" "$out"/*.img
	# The disk that stops answering: scsi_debug's, where the kernel has
	# it (Debian's arm64 kernels do not), with ext4 on it (an 8 MiB
	# image the guest copies onto it; OUT/sd.img says it runs).
	local sd=
	if [ -n "$(find "$modroot/lib/modules/$kver" -name 'scsi_debug.ko*' | head -n 1)" ]; then
		sd="scsi_debug sd_mod"
		truncate -s 8M "$out/sd.img" &&
			mkfs.ext4 -q -E lazy_itable_init=0,lazy_journal_init=0 "$out/sd.img" || return 1
	fi
	lw_guest_modules "$modroot" "$kver" "$out/kmod" virtio_pci virtio_blk xfs ext4 configfs fuse $sd || return 1
	# null_blk, which the guest loads with its own options (OUT/nullb/).
	rm -rf "$out/nullb"
	lw_guest_modules "$modroot" "$kver" "$out/nullb" null_blk &&
		rm -f "$out"/nullb/*-configfs.ko && ls "$out"/nullb/*-null_blk.ko >/dev/null || return 1
	for x in xfs fxfs; do
		truncate -s 300M "$out/$x.img" && mkfs.xfs -q "$out/$x.img" || return 1
	done
	for x in ext4 fext4; do
		lw_ext4_image "$out/$x.img" || return 1
	done
}
