#!/bin/bash
# run-sanitizers.sh - the test programs (unit, CLI, loader dry runs) built
# with clang under ASan+UBSan in their own build directory; any sanitizer
# report aborts the program and fails its test. Prints TAP: one point per
# test program (from automake's .trs records), a missing result is not ok.
#
# usage: tests/run-sanitizers.sh [--out DIR]      (default DIR: ROOT/build-asan)
set -u
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
OUT=$ROOT/build-asan
while [ $# -gt 0 ]; do
	case "$1" in
	--out) OUT=$2; shift ;;
	-h|--help) sed -n '2,8p' "$0"; exit 0 ;;
	*) echo "run-sanitizers.sh: unknown argument: $1" >&2; exit 2 ;;
	esac
	shift
done
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g -O1"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
N=0 FAILED=0

rm -rf "$OUT"; mkdir -p "$OUT"
if ! ( cd "$OUT" && "$ROOT/configure" CC=clang CFLAGS="$SAN" LDFLAGS="-fsanitize=address,undefined" ) \
	> "$OUT/configure.log" 2>&1; then
	echo "not ok 1 - asan: configure"; tail -n 20 "$OUT/configure.log" | sed 's/^/# /'
	echo "1..1"; exit 1
fi
# The list of tests, as the Makefile has it (after make has brought the
# Makefile itself up to date, which prints).
(cd "$OUT" && make Makefile) > /dev/null 2>&1
TESTS_LIST=$(cd "$OUT" && make -s --no-print-directory -f Makefile \
	-f <(printf 'kx-print-tests:\n\t@echo "KX-TESTS: $(TESTS)"\n') kx-print-tests |
	sed -n 's/^KX-TESTS: //p')
# Build everything (the CLI tests run the programs), then the tests.
( cd "$OUT" && make -k -j2 all && make -k -j2 check ) > "$OUT/check.log" 2>&1

for t in $TESTS_LIST; do
	trs=$OUT/${t%.sh}.trs
	[ -f "$trs" ] || trs=$OUT/$t.trs
	N=$((N + 1))
	if [ ! -f "$trs" ]; then
		FAILED=$((FAILED + 1)); echo "not ok $N - asan+ubsan: $t (not built or not run)"
		continue
	fi
	res=$(sed -n 's/^:global-test-result: //p' "$trs")
	case $res in
	PASS) echo "ok $N - asan+ubsan: $t" ;;
	SKIP) echo "ok $N - asan+ubsan: $t # SKIP" ;;
	*) FAILED=$((FAILED + 1)); echo "not ok $N - asan+ubsan: $t ($res)"
	   log=${trs%.trs}.log
	   grep -m5 -E 'ERROR: |runtime error:|^not ok' "$log" 2>/dev/null | sed 's/^/# /' ;;
	esac
done
[ $N = 0 ] && { echo "not ok 1 - asan+ubsan: no tests found"; N=1; FAILED=1; }
echo "1..$N"
[ $FAILED = 0 ]
