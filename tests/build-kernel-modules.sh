#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build-kernel-modules.sh KVER OUT: build lockwatch.ko and the scenario
# module for KVER with W=1 in a copy of the tree under OUT; any compiler
# warning fails the build.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
kver=$1
out=$(mkdir -p "$2" && cd "$2" && pwd) || exit 2
kdir=/lib/modules/$kver/build
[ -d "$kdir" ] || { echo "error: no headers for $kver at $kdir" >&2; exit 2; }
rm -rf "$out/src" && mkdir -p "$out/src" || exit 2
cp -r "$top/Kbuild" "$top/module" "$out/src/" &&
	mkdir -p "$out/src/scenarios" &&
	cp "$top/tests/scenarios/Kbuild" "$top/tests/scenarios/lockwatch_scenarios.c" "$out/src/scenarios/" || exit 2
for m in "$out/src" "$out/src/scenarios"; do
	make -s -C "$kdir" M="$m" W=1 modules >"$m/build.log" 2>&1 || {
		cat "$m/build.log" >&2
		echo "error: build failed for $kver in $m" >&2
		exit 1
	}
	if grep -E 'warning:|error:' "$m/build.log" >&2; then
		echo "error: compiler warnings for $kver" >&2
		exit 1
	fi
done
cp "$out/src/lockwatch.ko" "$out/src/scenarios/lockwatch_scenarios.ko" "$out/"
