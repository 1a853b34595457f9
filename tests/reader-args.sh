#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# reader-args.sh READER: the reader's command line, without a module. Each
# line of tests/expected/reader-args.txt is "ARGS => EXIT | STDOUT |
# STDERR" (the first line of each): usage errors exit 3 (UNKNOWN) for
# check and 2 for the others, each option belongs to its commands, and
# --version prints the version of debian/changelog.
set -u
reader=$1
top=$(cd "$(dirname "$0")/.." && pwd)
ver=$(sed -n '1s/^[^(]*(\([^)]*\)).*/\1/p' "$top/debian/changelog")
out=$(mktemp) err=$(mktemp)
while IFS= read -r args; do
	# shellcheck disable=SC2086 # the words of ARGS are the arguments
	"$reader" $args >"$out" 2>"$err" </dev/null
	echo "$args => $? | $(head -n 1 "$out") | $(head -n 1 "$err")"
done <<'ARGS' | sed "s/ $ver / VERSION /"
--version
check --bogus
check -x
check extra
check -j
check --prometheus /tmp/p
check -d
-d /nonexistent check
check --dir=/nonexistent
check -w 0
check --critical=x
check -w 60 -c 30
check -c
status -w 5
status -i 5
status --btf /sys/kernel/btf
status --bogus
status one two
watch --json
watch -i 0
watch --interval=x
watch --stuck 0
status -s 5
setup -d /tmp
setup -p /tmp/p
setup --json
why
why 0
why 12x
why 4194305
why 5 6
why -p /tmp/p 5
why -i 5 5
why -d /nonexistent 5
why 5 --json -d /nonexistent
bogus
--dir
ARGS
rm -f "$out" "$err"
