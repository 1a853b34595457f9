#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# probes.sh OUT: a kernel whose headers lack what lockwatch reads is
# refused by the build, with a message that names what is missing: a copy
# of Debian's 6.1 headers whose struct semaphore has its wait list
# renamed (the header kept consistent) must fail to build with the
# probes' #error, and the same copy unchanged must build. PASS/FAIL lines.
set -u
. "$(dirname "$0")/kernels.sh"
out=$(mkdir -p "$1" && cd "$1" && pwd) || exit 2
kver=$(lw_kver 6.1) || exit 2
lw_prepare_target 6.1 >"$out/prepare.log" 2>&1 ||
	{ echo "FAIL probes: the $kver headers cannot be installed"; tail -n 5 "$out/prepare.log" | sed 's/^/    /'; exit 1; }
flavour=/usr/src/linux-headers-$kver
common=$(sed -n 's|^include \(.*\)/Makefile$|\1|p' "$flavour/Makefile")
ver=$(sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' "$LW_TOP/debian/changelog")
[ -d "$common" ] || { echo "FAIL probes: no headers common to $kver"; exit 1; }

# build NAME: lockwatch.ko against the copy; the log in OUT/NAME.log.
build() {
	rm -rf "$out/src" && mkdir -p "$out/src" &&
		cp -r "$LW_TOP/Kbuild" "$LW_TOP/module" "$out/src/" &&
		rm -f "$out/src/module/lw_config.h" &&
		make -s -C "$out/h/flavour" M="$out/src" LW_VERSION="$ver" modules >"$out/$1.log" 2>&1
}
# The copy: the flavour's Makefile includes the common tree by absolute
# path, and both trees' scripts and tools are relative links.
rm -rf "$out/h" && mkdir -p "$out/h" &&
	cp -a "$common" "$out/h/common" && cp -a "$flavour" "$out/h/flavour" &&
	echo "include $out/h/common/Makefile" >"$out/h/flavour/Makefile" || exit 2
for l in scripts tools; do
	ln -sfn "$(readlink -f "$flavour/$l")" "$out/h/flavour/$l"
	ln -sfn "$(readlink -f "$common/$l")" "$out/h/common/$l"
done
if build unchanged && [ -f "$out/src/lockwatch.ko" ]; then
	echo "PASS probes: a copy of the $kver headers builds lockwatch"
else
	echo "FAIL probes: a copy of the $kver headers builds lockwatch"
	tail -n 5 "$out/unchanged.log" | sed 's/^/    /'
fi
sed -i 's/wait_list/lw_renamed_list/g' "$out/h/common/include/linux/semaphore.h"
want='lockwatch: this kernel has no semaphore.wait_list or .first_waiter (probes first_waiter and wait_list_head failed)'
if ! build renamed && grep -qF "#error \"$want\"" "$out/renamed.log" &&
	[ "$(grep -c 'error:' "$out/renamed.log")" -eq "$(grep -c 'error: #error "lockwatch: ' "$out/renamed.log")" ]; then
	echo "PASS probes: with semaphore.wait_list renamed the build stops, saying: $want"
else
	echo "FAIL probes: with semaphore.wait_list renamed the build stops with the probes' message"
	grep 'error' "$out/renamed.log" | head -n 5 | sed 's/^/    /'
fi
rm -rf "$out/h" "$out/src"
