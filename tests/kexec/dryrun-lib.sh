# dryrun-lib.sh - sourced by the kexec CLI dry-run tests (run-dryrun.sh,
# run-kaslr-dryrun.sh): paths, a scratch directory and TAP helpers.
TOP=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
B=${top_builddir:-.}
KEXEC=$B/kexec/kexec
MK=$B/tests/kexec/mkbzimage
FIX=$TOP/tests/fixtures
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); echo "not ok $n - $1"; fails=$((fails + 1)); sed 's/^/# /' "$W/out" | head -n 20; }
expect() {  # expect NAME RC REGEX -- ARGS... : exit status and a line of stdout+stderr
	local name=$1 rc=$2 re=$3 got
	shift 4
	"$KEXEC" "$@" > "$W/out" 2>&1
	got=$?
	if [ "$got" = "$rc" ] && { [ -z "$re" ] || grep -qE -- "$re" "$W/out"; }; then ok "$name"; else echo "# exit $got (want $rc), want /$re/"; nok "$name"; fi
}
