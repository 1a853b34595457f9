#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# debug-kernel.sh: build (once, then cached) a 6.1 kernel from Debian's
# linux-source-6.1 with the checkers that catch a module misbehaving:
# KASAN, lockdep (PROVE_LOCKING), DEBUG_ATOMIC_SLEEP and DEBUG_OBJECTS,
# on a small configuration made for the test VM (x86_64_defconfig plus
# kvm_guest.config: virtio, ext4 and debugfs built in). Prints the build
# directory, which is also what modules are built against. Cold, the
# build takes an hour or more on two cores.
set -u
. "$(dirname "$0")/kernels.sh"
dir=$LW_CACHE/debug-kernel
src=$dir/linux-source-6.1
if [ -f "$dir/.ready" ] && [ -f "$src/arch/x86/boot/bzImage" ]; then
	echo "$src"
	exit 0
fi
"$LW_TOP/tests/deps.sh" || exit 2
for p in bc bison flex libssl-dev libelf-dev; do
	dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$p" >/dev/null ||
		{ echo "error: cannot install $p" >&2; exit 2; }
done
mkdir -p "$dir" || exit 2
log=$dir/build.log
if [ ! -f "$src/Makefile" ]; then
	echo "unpacking linux-source-6.1" >&2
	tar -C "$dir" -xf /usr/src/linux-source-6.1.tar.xz || exit 2
fi
cd "$src" || exit 2
echo "configuring and building the debug kernel (cold: an hour or more)" >&2
{
	make x86_64_defconfig &&
		make kvm_guest.config &&
		scripts/config -e DEBUG_FS -e MODULES -e MODULE_UNLOAD \
			-e KASAN -e KASAN_GENERIC -e KASAN_INLINE \
			-e PROVE_LOCKING -e DEBUG_ATOMIC_SLEEP \
			-e DEBUG_OBJECTS -e DEBUG_OBJECTS_FREE -e DEBUG_OBJECTS_WORK \
			-e DEBUG_OBJECTS_TIMERS -e DEBUG_OBJECTS_RCU_HEAD \
			-e DETECT_HUNG_TASK -e PANIC_ON_OOPS \
			-d DEBUG_INFO -d DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT \
			-d MODULE_SIG -d RANDOMIZE_BASE -e BLK_DEV_INITRD -e DEVTMPFS &&
		make olddefconfig &&
		nice -n 10 make -j"$(nproc)" bzImage modules
} >"$log" 2>&1 || { tail -n 30 "$log" >&2; echo "error: debug kernel build failed (see $log)" >&2; exit 1; }
for opt in KASAN PROVE_LOCKING DEBUG_ATOMIC_SLEEP DEBUG_OBJECTS; do
	grep -q "^CONFIG_$opt=y" .config || { echo "error: CONFIG_$opt is not set" >&2; exit 1; }
done
touch "$dir/.ready"
echo "$src"
