#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build-kernel-modules.sh TARGET OUT: build lockwatch.ko and the scenario
# modules for one supported kernel (see tests/kernels.sh) with W=1, on the
# host or in that suite's chroot, and put the modules in OUT, with what
# the probes found (module/conftest.sh) as OUT/probes.h. Any compiler
# warning fails the build.
set -u
. "$(dirname "$0")/kernels.sh"
target=$1
out=$(mkdir -p "$2" && cd "$2" && pwd) || exit 2
lw_prepare_target "$target" || exit 2
kver=$(lw_kver "$target") || exit 2
suite=$(lw_suite "$target")

# Rebuild only what changed: the sources' digest is kept beside the modules.
ver=$(sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' "$LW_TOP/debian/changelog")
digest=$(cd "$LW_TOP" && echo "$ver" | cat - Kbuild $(find module -name '*.[ch]' ! -name lw_config.h | sort) \
	module/conftest.sh module/probes.mk tests/scenarios/Kbuild tests/scenarios/*.[ch] | sha256sum | cut -d' ' -f1)
if [ -f "$out/lockwatch.ko" ] && [ -f "$out/lockwatch_scenarios.ko" ] && [ -f "$out/probes.h" ] &&
	[ -f "$out/lockwatch_journal.ko" ] &&
	[ "$(cat "$out/.digest" 2>/dev/null)" = "$digest" ]; then
	exit 0
fi
rm -f "$out/.digest"

if lw_builds_on_host "$target"; then
	root=""
	src=$out/src
else
	root=$(lw_chroot_dir "$suite")
	# LW_CHROOT_SRC: another directory, for a build beside a running one.
	src=/build/$kver/${LW_CHROOT_SRC:-src}
fi
# The copy keeps the tree's layout: the scenarios include ../../module.
rm -rf "$root$src" && mkdir -p "$root$src/tests/scenarios" || exit 2
cp -r "$LW_TOP/Kbuild" "$LW_TOP/module" "$root$src/" &&
	cp "$LW_TOP/tests/scenarios/Kbuild" "$LW_TOP"/tests/scenarios/*.[ch] \
		"$root$src/tests/scenarios/" || exit 2

for m in "$src" "$src/tests/scenarios"; do
	cmd=(make -s -C "/usr/src/linux-headers-$kver" M="$m" W=1 LW_VERSION="$ver" $(lw_kbuild_vars "$target") modules)
	if [ -z "$root" ]; then
		"${cmd[@]}" >"$m/build.log" 2>&1
	else
		lw_in_chroot "$suite" "${cmd[@]}" >"$root$m/build.log" 2>&1
	fi
	rc=$?
	log=$root$m/build.log
	if [ $rc -ne 0 ]; then
		cat "$log" >&2
		echo "error: build failed for $kver in $m" >&2
		exit 1
	fi
	if grep -E 'warning:|error:' "$log" >&2; then
		echo "error: compiler warnings for $kver" >&2
		exit 1
	fi
done
cp "$root$src/lockwatch.ko" "$root$src/tests/scenarios/lockwatch_scenarios.ko" \
	"$root$src/tests/scenarios/lockwatch_journal.ko" "$out/" &&
	cp "$root$src/module/lw_config.h" "$out/probes.h" &&
	echo "$digest" >"$out/.digest"
