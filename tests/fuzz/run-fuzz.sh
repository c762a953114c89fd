#!/bin/bash
# run-fuzz.sh - build the libFuzzer targets with clang in their own build
# directory and fuzz each for a bounded time, seeded from the real fixtures.
# Prints TAP: one point for the build, one per target (not ok on a crash,
# a sanitizer report, a leak or a timeout; the reproducer is kept).
#
# usage: tests/fuzz/run-fuzz.sh [--out DIR] [--time SECONDS]
#   DIR      build + corpora + artifacts (default: ROOT/build-fuzz)
#   SECONDS  per target (default 20, or $KX_FUZZ_TIME)
# Reproduce a finding: DIR/build/tests/fuzz/fuzz-NAME DIR/artifacts/NAME-crash-...
set -u
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
OUT=$ROOT/build-fuzz
TIME=${KX_FUZZ_TIME:-20}
while [ $# -gt 0 ]; do
	case "$1" in
	--out) OUT=$2; shift ;;
	--time) TIME=$2; shift ;;
	-h|--help) sed -n '2,11p' "$0"; exit 0 ;;
	*) echo "run-fuzz.sh: unknown argument: $1" >&2; exit 2 ;;
	esac
	shift
done
TARGETS="sysfs-value setup-data boot-params image"
BLD=$OUT/build
FIX=$ROOT/tests/fixtures
N=0 FAILED=0
point() {  # point RC NAME [DETAIL-FILE]
	N=$((N + 1))
	if [ "$1" = 0 ]; then echo "ok $N - $2"; else
		FAILED=$((FAILED + 1)); echo "not ok $N - $2"
		[ -n "${3:-}" ] && tail -n 25 "$3" | sed 's/^/# /'
	fi
}
mkdir -p "$OUT/logs"

# ---- build (clang, instrumented library, fuzzer-linked targets)
rm -rf "$BLD"; mkdir -p "$BLD"
( cd "$BLD" &&
  "$ROOT/configure" --enable-fuzzing CC=clang \
	CFLAGS="-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" &&
  make -j2 $(for t in $TARGETS; do printf 'tests/fuzz/fuzz-%s ' "$t"; done)
) > "$OUT/logs/build.log" 2>&1
rc=$?
point $rc "fuzz: build the targets with clang" "$OUT/logs/build.log"
if [ $rc != 0 ]; then
	for t in $TARGETS; do point 1 "fuzz-$t: not built"; done
	echo "1..$N"; exit 1
fi

# ---- seed corpora from the real captures
seed() {  # seed TARGET NAME < bytes
	mkdir -p "$OUT/seeds/$1"; cat > "$OUT/seeds/$1/$2"
}
rm -rf "$OUT/seeds"
i=0
for f in "$FIX"/ovmf-q35-linux6.1-noefidebug/sys/firmware/efi/runtime-map/*/* \
	 "$FIX"/ovmf-q35-linux6.1/sys/firmware/efi/{fw_vendor,runtime,config_table} \
	 "$FIX"/ovmf-q35-linux6.1-after-kexec-load/sys/firmware/efi/runtime; do
	i=$((i + 1)); { printf '\000'; cat "$f"; } | seed sysfs-value "hex-$i"
done
{ printf '\001'; cat "$FIX/ovmf-q35-linux6.1/sys/firmware/efi/fw_platform_size"; } | seed sysfs-value dec
{ printf '\002'; echo 3f5ebb98; } | seed sysfs-value digits
{ printf '\003'; cat "$FIX/ovmf-q35-linux6.1/sys/firmware/efi/systab"; } | seed sysfs-value systab
{ printf '\004'; cat "$FIX/ovmf-q35-linux6.1-crashkernel/proc/iomem"; } | seed sysfs-value iomem
{ printf '\005'; printf 256M; } | seed sysfs-value size
for k in image-ok image-loop image-past-end; do
	"$ROOT/tests/cli/mktree.sh" "$k" "$OUT/$k.img"
	# head = 0x101000 (node 0), then the image mapped at 0x100000
	{ printf '\000\020\020\000\000\000\000\000'; cat "$OUT/$k.img"; } | seed setup-data "$k"
done
for d in "$FIX"/*/; do
	name=$(basename "$d")
	seed boot-params "$name" < "$d/sys/kernel/boot_params/data"
	# a page followed by a descriptor array (48-byte stride as efi_info says for firmware boots)
	{ cat "$d/sys/kernel/boot_params/data"; head -c 480 /dev/zero; } | seed boot-params "$name-map"
	seed image "$name" < "$d/sys/kernel/boot_params/data"
done
for k in /boot/vmlinuz-*; do   # a real setup header, when the host has one
	[ -r "$k" ] && head -c 65536 "$k" | seed image "$(basename "$k")"
done

# ---- fuzz each target for TIME seconds
for t in $TARGETS; do
	bin=$BLD/tests/fuzz/fuzz-$t
	log=$OUT/logs/fuzz-$t.log
	mkdir -p "$OUT/corpus/$t" "$OUT/artifacts"
	"$bin" -max_total_time="$TIME" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$OUT/artifacts/$t-" "$OUT/corpus/$t" "$OUT/seeds/$t" > "$log" 2>&1
	rc=$?
	if [ $rc = 0 ] && grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:' "$log"; then
		rc=1
	fi
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	point $rc "fuzz-$t: ${TIME}s, ${runs:-?} runs, no crash or sanitizer report" "$log"
done
echo "1..$N"
[ $FAILED = 0 ]
