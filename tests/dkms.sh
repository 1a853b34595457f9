#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# dkms.sh TARGET OUT [native]: install lockwatch with Debian's dkms for one
# kernel (on the host for bookworm, in the suite's chroot otherwise): dkms
# add, build and install against that kernel's real headers (for a kernel
# of another architecture, as dkms -a cross-builds it, with the kernel's
# ARCH and CROSS_COMPILE; with native, in a chroot of that architecture
# and suite, its programs run by qemu-user, the headers installed with
# apt as on a host of it). Leaves the module dkms installed, next to the
# scenario module of the test build, in OUT/modules, where make check's
# core boot of TARGET takes it from. PASS/FAIL lines; fails when dkms
# does.
set -u
. "$(dirname "$0")/kernels.sh"
target=$1
out=$(mkdir -p "$2" && cd "$2" && pwd) || exit 2
kver=$(lw_kver "$target") || exit 2
suite=$(lw_suite "$target")
ver=$(sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' "$LW_TOP/debian/changelog")

native=${3:-}
how="add, build, install"
if [ "$native" = native ]; then
	name=$suite-$(lw_arch "$target")
	root=$(lw_chroot_dir "$name")
	run() { lw_in_chroot "$name" "$@"; }
	how="$how natively on $(lw_arch "$target")"
elif lw_builds_on_host "$target"; then
	root=""
	run() { "$@"; }
else
	root=$(lw_chroot_dir "$suite")
	run() { lw_in_chroot "$suite" "$@"; }
fi
log=$out/dkms.log
: >"$log"
fail() { echo "FAIL dkms: $how ($*)"; tail -n 20 "$log" | sed 's/^/    /'; exit 1; }

src=$root/usr/src/lockwatch-$ver
# Whatever happens, no lockwatch stays registered with dkms: a stale one
# would be built by every later headers install on this machine (and
# fail it, when its source is gone).
unregister() {
	run sh -c "command -v dkms >/dev/null || exit 0; dkms remove lockwatch/$ver --all" >>"$log" 2>&1
	rm -rf "$src"
}
trap unregister EXIT
if [ "$native" = native ]; then
	lw_make_chroot "$name" >>"$log" 2>&1 || fail "no $name chroot"
	unregister
	run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		dkms kmod xz-utils "linux-headers-$kver" >>"$log" 2>&1 ||
		fail "apt-get install dkms linux-headers-$kver"
else
	unregister
	lw_prepare_target "$target" >>"$log" 2>&1 || fail "no headers"
	run env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		dkms kmod xz-utils >>"$log" 2>&1 || fail "apt-get install dkms"
fi
# dkms finds the headers through /lib/modules/KVER/build. An installed
# kernel also brings the module lists that depmod reads; a chroot that
# only has the headers gets empty ones.
mkdir -p "$root/lib/modules/$kver"
[ -L "$root/lib/modules/$kver/build" ] ||
	ln -s "/usr/src/linux-headers-$kver" "$root/lib/modules/$kver/build"

mkdir -p "$src" &&
	cp -r "$LW_TOP/Kbuild" "$LW_TOP/module" "$src/" &&
	sed "s/#MODULE_VERSION#/$ver/g" "$LW_TOP/dkms.conf" >"$src/dkms.conf" || fail "copy"
for f in modules.order modules.builtin modules.builtin.modinfo modules.dep; do
	[ -e "$root/lib/modules/$kver/$f" ] || : >"$root/lib/modules/$kver/$f"
done
run dkms add "lockwatch/$ver" >>"$log" 2>&1 || fail "dkms add"
# dkms names architectures as uname -m does; natively it needs no name.
arch=(-a "$(lw_cross_gnu "$(lw_arch "$target")" | cut -d- -f1)")
vars=$(lw_kbuild_vars "$target")
if [ "$native" = native ]; then
	arch=()
	vars=""
fi
run env $vars dkms build "lockwatch/$ver" -k "$kver" "${arch[@]}" >>"$log" 2>&1 ||
	fail "dkms build"
run dkms install "lockwatch/$ver" -k "$kver" "${arch[@]}" >>"$log" 2>&1 || fail "dkms install"
ko=$(ls "$root/lib/modules/$kver/updates/dkms/"lockwatch.ko* 2>/dev/null | head -n 1)
[ -n "$ko" ] || fail "no module under /lib/modules/$kver/updates/dkms"
run modinfo -k "$kver" lockwatch 2>>"$log" | grep -q "^filename:.*/updates/dkms/lockwatch.ko" ||
	fail "modinfo does not find the dkms module"
# What the core boot of make check loads: the module dkms installed, the
# scenarios built by the test build.
mkdir -p "$out/modules"
case $ko in
*.xz) xz -dc "$ko" >"$out/modules/lockwatch.ko" ;;
*) cp "$ko" "$out/modules/lockwatch.ko" ;;
esac || fail "copy the installed module"
cp "$LW_TOP/build/kernels/$kver/lockwatch_scenarios.ko" "$out/modules/" || fail "scenarios not built"
echo "PASS dkms: $how; modinfo finds it in updates/dkms"
