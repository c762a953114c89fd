#!/bin/bash
# run-all.sh - the whole test suite, as CI and the README's quick start run it.
#
# usage: tests/run-all.sh [--no-vm] [--no-fuzz] [--out DIR]
#
# Installs what it needs (apt-get; root), then: gcc build with -Werror and
# `make check` (unit + CLI + loader dry-run tests), clang build + check,
# unit tests under ASan+UBSan, a short libFuzzer run of every target,
# `make distcheck`, and the QEMU+OVMF VM scenarios. Each step's output goes
# to OUT/logs/STEP.log; the last line is "N passed, N failed, N skipped".
set -u
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
OUT=$ROOT/build-tests
RUN_VM=1
RUN_FUZZ=1
while [ $# -gt 0 ]; do
	case "$1" in
	--no-vm) RUN_VM=0 ;;
	--no-fuzz) RUN_FUZZ=0 ;;
	--out) OUT=$2; shift ;;
	-h|--help) sed -n '2,12p' "$0"; exit 0 ;;
	*) echo "run-all.sh: unknown argument: $1" >&2; exit 2 ;;
	esac
	shift
done
. "$ROOT/tests/lib/deps.sh"
. "$ROOT/tests/lib/tap-count.sh"
LOGS=$OUT/logs
mkdir -p "$LOGS"
JOBS=$(nproc 2>/dev/null || echo 2)
START=$(date +%s)

need_pkgs "${BUILD_PKGS[@]}" || { echo "0 passed, 1 failed"; exit 1; }
if [ "$RUN_VM" = 1 ]; then need_pkgs "${VM_PKGS[@]}" || { echo "0 passed, 1 failed"; exit 1; }; fi

show_tail() { echo "---- last lines of $1 ----"; tail -n 40 "$1"; echo "----"; }

# Count the test points automake's TAP driver recorded in *.trs files.
trs_count() {
	local dir=$1 label=$2 tap=$LOGS/$2.tap n=0 r name
	: > "$tap"
	while IFS= read -r trs; do
		name=${trs#"$dir"/}; name=${name%.trs}
		while IFS= read -r r; do
			n=$((n + 1))
			case "$r" in
			PASS|XFAIL) echo "ok $n - $name" ;;
			SKIP) echo "ok $n - $name # SKIP" ;;
			*) echo "not ok $n - $name ($r)" ;;
			esac >> "$tap"
		done < <(sed -n 's/^:test-result: \([A-Z]*\).*/\1/p' "$trs")
	done < <(find "$dir" -name '*.trs' | sort)
	tap_count "$tap" "$label"
}

build_and_check() {  # build_and_check NAME CC
	local name=$1 cc=$2 dir=$OUT/$1 rc
	rm -rf "$dir"; mkdir -p "$dir"
	( cd "$dir" && "$ROOT/configure" --enable-werror CC="$cc" && make -j"$JOBS" ) > "$LOGS/$name-build.log" 2>&1
	rc=$?
	step_point "$name: build (-Werror)" $rc
	[ $rc -eq 0 ] || { show_tail "$LOGS/$name-build.log"; return 1; }
	( cd "$dir" && make -j"$JOBS" check ) > "$LOGS/$name-check.log" 2>&1
	rc=$?
	[ $rc -eq 0 ] || show_tail "$LOGS/$name-check.log"
	return 0
}

# The real Debian kernel the VM boots also feeds the loader's real-kernel
# tests (tests/kexec/test-realkernel), which skip without one.
if [ "$RUN_VM" = 1 ] && [ -z "${KEXEC_TEST_KERNEL:-}" ]; then
	. "$ROOT/tests/vm/vm-lib.sh"
	if vm_setup > "$LOGS/vm-setup.log" 2>&1; then export KEXEC_TEST_KERNEL=$KIMAGE; fi
fi

( cd "$ROOT" && ./autogen.sh ) > "$LOGS/autogen.log" 2>&1
step_point "autogen" $? || true

if build_and_check gcc gcc; then
	trs_count "$OUT/gcc" "gcc: make check"
fi
if build_and_check clang clang; then
	trs_count "$OUT/clang" "clang: make check"
fi

if [ -x "$ROOT/tests/run-sanitizers.sh" ]; then
	"$ROOT/tests/run-sanitizers.sh" --out "$OUT/asan" > "$LOGS/asan.tap" 2> "$LOGS/asan.log"
	tap_count "$LOGS/asan.tap" "asan+ubsan: unit tests"
fi

if [ "$RUN_FUZZ" = 1 ] && [ -x "$ROOT/tests/fuzz/run-fuzz.sh" ]; then
	"$ROOT/tests/fuzz/run-fuzz.sh" --out "$OUT/fuzz" > "$LOGS/fuzz.tap" 2> "$LOGS/fuzz.log"
	tap_count "$LOGS/fuzz.tap" "fuzz"
fi

( cd "$OUT/gcc" && make -j"$JOBS" distcheck ) > "$LOGS/distcheck.log" 2>&1
rc=$?
step_point "make distcheck" $rc
[ $rc -eq 0 ] || show_tail "$LOGS/distcheck.log"

if [ "$RUN_VM" = 1 ]; then
	"$ROOT/tests/vm/run-vm-tests.sh" --build-dir "$OUT/gcc" > "$LOGS/vm.tap" 2> "$LOGS/vm.log"
	tap_count "$LOGS/vm.tap" "vm: qemu+ovmf scenarios"
	grep -E '^# (timing|time)' "$LOGS/vm.tap" || true
fi

echo "suite took $(( $(date +%s) - START )) s; logs in $LOGS"
echo "$KX_PASS passed, $KX_FAIL failed, $KX_SKIP skipped"
[ "$KX_FAIL" -eq 0 ]
