# shellcheck shell=bash
# tap-count.sh - fold TAP streams into the suite's totals.
# Sourced. tap_count FILE adds FILE's "ok"/"not ok"/"# SKIP" points to
# KX_PASS/KX_FAIL/KX_SKIP and prints the failures. A stream with no test
# point at all counts as one failure: a step that ran nothing proved nothing.

KX_PASS=${KX_PASS:-0}; KX_FAIL=${KX_FAIL:-0}; KX_SKIP=${KX_SKIP:-0}

tap_count() {
	local file=$1 label=$2 p f s
	p=$(grep -cE '^ok [0-9]+' "$file" | tr -d ' ')
	s=$(grep -ciE '^ok [0-9]+.*# *skip' "$file" | tr -d ' ')
	f=$(grep -cE '^not ok [0-9]+' "$file" | tr -d ' ')
	p=$((p - s))
	if [ $((p + f + s)) -eq 0 ]; then
		echo "not ok - $label: no test ran" >&2
		f=1
	fi
	grep -E '^not ok' "$file" | sed "s|^|  [$label] |" >&2 || true
	KX_PASS=$((KX_PASS + p)); KX_FAIL=$((KX_FAIL + f)); KX_SKIP=$((KX_SKIP + s))
	printf '%-28s %4d passed, %d failed, %d skipped\n' "$label" "$p" "$f" "$s"
}

# A step that is a single yes/no (a build, distcheck): one point.
step_point() {
	local label=$1 rc=$2
	if [ "$rc" -eq 0 ]; then
		KX_PASS=$((KX_PASS + 1)); printf '%-28s ok\n' "$label"
	else
		KX_FAIL=$((KX_FAIL + 1)); printf '%-28s FAILED (exit %d)\n' "$label" "$rc"
	fi
}
