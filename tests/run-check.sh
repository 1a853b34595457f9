#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The whole test suite (make check): install what is missing, check style,
# build with W=1, run the unit tests, boot the kernel with every scenario.
# Ends with one line "check: N passed, M failed"; exits non-zero on any
# failure.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
. tests/vm/lib.sh

pass=0
fail=0
result() { # result NAME STATUS
	if [ "$2" -eq 0 ]; then
		echo "PASS $1"; pass=$((pass + 1))
	else
		echo "FAIL $1"; fail=$((fail + 1))
	fi
}
finish() {
	echo "check: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
}

kver=${LW_KVER:-$(lw_default_kver)}
if [ -z "$kver" ] && [ "$(id -u)" -eq 0 ]; then
	apt-get update -q >/dev/null
	kver=$(lw_default_kver)
fi
[ -n "$kver" ] || { echo "error: cannot tell which Debian kernel to test (apt-cache depends linux-image-amd64)" >&2; exit 2; }
echo "kernel under test: $kver"

tests/deps.sh "$kver" || exit 2

out=$(make -s checkpatch 2>&1)
[ -z "$out" ] || printf '%s\n' "$out"
result "checkpatch: every C file clean" "$([ -z "$out" ]; echo $?)"

tests/build-kernel-modules.sh "$kver" "$LW_TOP/build/kernels/$kver"
result "build $kver with W=1, no warnings" $?

make -s userspace/lockwatch userspace/lockwatch-static
result "build reader (-Wall -Wextra -Werror)" $?

for t in test_graph test_report; do
	make -s "build/$t" && "build/$t"
	result "unit: $t" $?
done

[ -f "build/kernels/$kver/lockwatch.ko" ] || finish
tests/vm/run-core.sh "$kver" "build/kernels/$kver" "build/vm/$kver" | tee "build/vm-$kver.log"
vm_pass=$(grep -c '^PASS' "build/vm-$kver.log")
vm_fail=$(grep -c '^FAIL' "build/vm-$kver.log")
pass=$((pass + vm_pass))
fail=$((fail + vm_fail))
grep -q '^core on .*: [0-9]* passed, 0 failed$' "build/vm-$kver.log" || [ "$vm_fail" -gt 0 ] || fail=$((fail + 1))
finish
