#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The whole test suite (make check [KERNELS="6.1 7.2"]): install what is
# missing, check style, run the unit tests, then for every kernel build
# both modules with W=1 and boot it with every scenario. Prints a kernel x
# check table and ends with one line "check: N passed, M failed"; exits
# non-zero on any failure.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
. tests/kernels.sh

kernels=${*:-$LW_TARGETS}
for t in $kernels; do
	lw_suite "$t" >/dev/null || { echo "error: unknown kernel '$t' (known: $LW_TARGETS_ALL)" >&2; exit 2; }
done

pass=0
fail=0
result() { # result NAME STATUS
	if [ "$2" -eq 0 ]; then
		echo "PASS $1"; pass=$((pass + 1))
	else
		echo "FAIL $1"; fail=$((fail + 1))
	fi
}

# apt needs its lists once on a fresh machine before anything resolves.
if ! apt-cache show linux-image-amd64 >/dev/null 2>&1; then
	[ "$(id -u)" -eq 0 ] || { echo "error: run as root (apt lists are missing)" >&2; exit 2; }
	apt-get update -q >/dev/null
fi
tests/deps.sh || exit 2

out=$(make -s checkpatch 2>&1)
[ -z "$out" ] || printf '%s\n' "$out"
result "checkpatch: every C file clean" "$([ -z "$out" ]; echo $?)"

# One-way dependencies: no circle of #includes and calls among the files
# of module/ nor among those of userspace/.
out=$(tests/layers.py module userspace 2>&1)
rc=$?
[ $rc -ne 0 ] && printf '%s\n' "$out"
result "layers: no circle among the files of module/ and userspace/ ($(echo "$out" | sed -n 's/^module: \([0-9]*\) files.*/\1/p') module files; includes and calls)" $rc

make -s userspace/lockwatch userspace/lockwatch-static
result "build reader (-Wall -Wextra -Werror)" $?

# The reader's command line: usage errors, options per command, --version.
out=$(tests/reader-args.sh userspace/lockwatch | diff -u tests/expected/reader-args.txt - 2>&1)
[ -z "$out" ] || printf '%s\n' "$out"
result "reader: usage errors (check exits 3), options per command, --version" "$([ -z "$out" ]; echo $?)"

for t in test_graph test_report test_why test_check; do
	make -s "build/$t" && "build/$t"
	result "unit: $t" $?
done

# make install-reader into a scratch root: the files land, the man page
# renders without warnings, systemd accepts the unit as it is.
dest=build/destdir
rm -rf "$dest"
make -s install-reader DESTDIR="$PWD/$dest" &&
	[ -x "$dest/usr/sbin/lockwatch" ] &&
	out=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$dest/usr/share/man/man8/lockwatch.8" 2>&1 >/dev/null) &&
	[ -z "$out" ] &&
	sed "s|/usr/sbin/lockwatch|$PWD/$dest/usr/sbin/lockwatch|" \
		"$dest/lib/systemd/system/lockwatch.service" >build/lockwatch.service &&
	out=$(systemd-analyze verify --man=no build/lockwatch.service 2>&1) &&
	[ -z "$out" ]
rc=$?
[ $rc -ne 0 ] && printf '%s\n' "$out"
result "install-reader: binary, man page (no warnings), unit (systemd-analyze verify clean)" $rc
out=$(promtool check rules "$dest/usr/share/lockwatch/prometheus/lockwatch.rules.yml" 2>&1)
rc=$?
[ $rc -ne 0 ] && printf '%s\n' "$out"
result "install-reader: the alerting rules, $(echo "$out" | sed -n 's/^ *SUCCESS: //p') (promtool check rules)" $rc

# A kernel without what lockwatch reads is refused by name (the probes).
while IFS= read -r l; do
	printf '%s\n' "$l"
	case $l in "PASS "*) pass=$((pass + 1)) ;; "FAIL "*) fail=$((fail + 1)) ;; esac
done < <(tests/probes.sh build/probes)

make -s build/fuzz_report &&
	make -s fuzz FUZZ_SECONDS=20 >build/fuzz.log 2>&1
rc=$?
runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' build/fuzz.log)
[ $rc -ne 0 ] && tail -n 30 build/fuzz.log
result "fuzz: report parsers, 20 s of libFuzzer+ASan+UBSan, ${runs:-0} runs, no crash" $rc

mkdir -p build/results
for t in $kernels; do
	log=build/results/$t.log
	start=$(date +%s)
	kver=$(lw_kver "$t")
	{
		built=false
		if tests/build-kernel-modules.sh "$t" "build/kernels/$kver"; then
			echo "PASS build with W=1, no warnings"
			built=true
		else
			echo "FAIL build with W=1, no warnings"
		fi
		# Debian's dkms, on the host (6.1), in a chroot (6.12),
		# cross-building for arm64 (6.12-arm64) and natively in an arm64
		# userland run by qemu-user (6.1-arm64): the module dkms installed
		# is the one the core boot of that kernel loads.
		coremods=build/kernels/$kver
		native=""
		case $t in 6.1-arm64) native=native ;; esac
		case $t in
		6.1 | 6.12 | 6.12-arm64 | 6.1-arm64)
			$built && tests/dkms.sh "$t" "build/dkms/$t" $native &&
				coremods=build/dkms/$t/modules &&
				echo "     (the core boot loads the module dkms installed)"
			;;
		esac
		for suite in core fs waits; do
			mods=build/kernels/$kver
			[ $suite = core ] && mods=$coremods
			if why=$(lw_unbooted "$t" $suite); then
				echo "N/A  $suite boot: $why"
			elif $built; then
				tests/vm/run-$suite.sh "$t" "$mods" "build/vm$suite/$kver"
			fi
		done
		# A checkout's own standard commands on the host (6.1):
		# make -C KDIR M=$PWD and dkms add of the tree. The Debian
		# packages installed on a bookworm system that boots 6.1, and the
		# reader's package cross-built for arm64.
		case $t in
		6.1) tests/checkout.sh "$t" build/checkout ;;
		esac
		case $t in
		6.1) tests/package.sh build/pkg ;;
		6.12-arm64) tests/package-cross.sh arm64 build/pkg-arm64 ;;
		esac
	} 2>&1 | tee "$log"
	echo "$t: $(( $(date +%s) - start )) s" | tee -a build/results/times.txt
	p=$(grep -c '^PASS' "$log")
	f=$(grep -c '^FAIL' "$log")
	# A boot that reported nothing is a failure, not an empty pass.
	for suite in core fs waits; do
		lw_unbooted "$t" $suite >/dev/null && continue
		grep -q "^$suite on $t: [0-9]* passed, 0 failed\$" "$log" || [ "$f" -gt 0 ] || f=$((f + 1))
	done
	pass=$((pass + p))
	fail=$((fail + f))
done

# One table: every check, one column per kernel.
echo
awk -v kernels="$kernels" '
	BEGIN { nk = split(kernels, k, " ") }
	FNR == 1 { col = FILENAME; sub(/.*\//, "", col); sub(/\.log$/, "", col) }
	/^(PASS|FAIL|N\/A ) / {
		name = substr($0, 6)
		sub(/^ +/, "", name)
		sub(/: [^:]*$/, "", name) # "N/A  name: reason"
		if ($1 != "N/A")
			name = substr($0, 6)
		if (!(name in seen)) { seen[name] = 1; order[++n] = name }
		r[name, col] = $1 == "PASS" ? "pass" : $1 == "FAIL" ? "FAIL" : "n/a"
	}
	END {
		printf "%-45s", "check"
		for (i = 1; i <= nk; i++) printf " %-8s", k[i]
		printf "\n"
		for (j = 1; j <= n; j++) {
			printf "%-45s", substr(order[j], 1, 45)
			for (i = 1; i <= nk; i++) printf " %-8s", ((order[j], k[i]) in r) ? r[order[j], k[i]] : "-"
			printf "\n"
		}
	}' $(for t in $kernels; do echo "build/results/$t.log"; done)
# What the probes found on each kernel (module/conftest.sh): a row per
# feature, yes where the kernel has it.
echo
for t in $kernels; do
	echo "== $t"
	cat "build/kernels/$(lw_kver "$t")/probes.h" 2>/dev/null
done | awk '
	/^== / { col[++nk] = $2; next }
	/^#define LW_/ { f = $2 } /^\/\* LW_/ { f = $2; sub(/:$/, "", f) }
	/^#error/ { f = "(refused)" }
	f != "" { if (!(f in seen)) { seen[f] = 1; order[++n] = f }
		r[f, nk] = /^#define/ ? "yes" : /^#error/ ? "ERROR" : "no"; f = "" }
	END {
		printf "%-28s", "probe"
		for (i = 1; i <= nk; i++) printf " %-8s", col[i]
		printf "\n"
		for (j = 1; j <= n; j++) {
			printf "%-28s", order[j]
			for (i = 1; i <= nk; i++) printf " %-8s", ((order[j], i) in r) ? r[order[j], i] : "-"
			printf "\n"
		}
	}'
echo "check: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
