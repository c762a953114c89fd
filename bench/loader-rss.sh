#!/bin/bash
# loader-rss.sh - peak RSS and wall time of a kexec dry run (kexec_load
# plan, the purgatory digest computed once over every segment) with a
# 256 MiB initrd, against the target: peak RSS <= 1.1x the initrd size
# (files are mapped read-only, not copied). Safe on any host: --dry-run
# --sysroot never calls kexec_load.
# usage: bench/loader-rss.sh BUILD_DIR [KERNEL] [MIB]
set -u
B=${1:?usage: loader-rss.sh BUILD_DIR [KERNEL] [MIB]}
TOP=$(cd "$(dirname "$0")/.." && pwd)
MIB=${3:-256}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
K=${2:-}
if [ -z "$K" ]; then
	"$B/tests/kexec/mkbzimage" "$W/bz" || exit 1
	K=$W/bz
fi
[ -x /usr/bin/time ] || { echo "loader-rss: /usr/bin/time (GNU time) is needed"; exit 1; }
head -c $((MIB << 20)) /dev/urandom > "$W/initrd"
isize=$(stat -c %s "$W/initrd")
med() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for dg in fast sha256; do
	: > "$W/all"
	for i in 1 2 3 4 5; do
		/usr/bin/time -f "%e %M" -o "$W/t" "$B/kexec/kexec" --dry-run --sysroot "$TOP/tests/fixtures/ovmf-q35-linux6.1-noefidebug" \
			-c -l "$K" --initrd="$W/initrd" --append=console=ttyS0 --purgatory-digest=$dg > /dev/null 2>&1 || { echo "loader-rss: dry run failed"; exit 1; }
		cat "$W/t" >> "$W/all"
	done
	t=$(cut -d' ' -f1 "$W/all" | med)
	m=$(cut -d' ' -f2 "$W/all" | med)
	awk -v dg=$dg -v isize="$isize" -v k="$(basename "$K")" -v mib="$MIB" -v t="$t" -v m="$m" 'BEGIN {
		printf "dry run -c -l %s + %d MiB initrd, digest %s: wall median %.2f s, peak RSS median %.1f MiB = %.3fx the initrd (target <= 1.1x)\n",
			k, mib, dg, t, m / 1024, m * 1024 / isize }'
done
