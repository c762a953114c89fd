#!/bin/bash
# vm-kdump-ab.sh - kdump, our kexec (A) against Debian's kexec-tools (B):
# the time from the crash to the crash kernel's userspace, in QEMU+OVMF
# (the tests/vm harness). Run on demand, never by tests/run-all.sh.
#
# usage: bench/vm-kdump-ab.sh --build-dir DIR [--pairs N] [--readme]
#
# Each sample is one boot (crashkernel=256M, 2 GiB): the guest
# (bench/vm-kdump-ab-guest.sh) loads the crash kernel with one loader and
# crashes it with sysrq-c; A and B alternate. From the host's serial
# stamps: the crash mark -> the purgatory's banner ("kexec-efi purgatory",
# kexec-tools' "I'm in purgatory") -> the first line after the purgatory's
# (the decompressor) -> "Linux version" -> the crash kernel's /init mark.
# Prints medians and ratios ours/kexec-tools; --readme writes the table
# into bench/README.md.
set -u
TOP=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
BUILD="" PAIRS=3 README=0
while [ $# -gt 0 ]; do
	case "$1" in
	--build-dir) BUILD=$2; shift ;;
	--pairs) PAIRS=$2; shift ;;
	--readme) README=1 ;;
	-h|--help) sed -n '2,15p' "$0"; exit 0 ;;
	*) echo "vm-kdump-ab.sh: unknown argument $1" >&2; exit 2 ;;
	esac
	shift
done
[ -n "$BUILD" ] && [ -x "$BUILD/kexec/kexec" ] || { echo "vm-kdump-ab.sh: --build-dir must hold kexec/kexec" >&2; exit 2; }
. "$TOP/tests/vm/vm-lib.sh"
vm_setup || exit 1
VM_IMAGES=$VM_CACHE/images-kdab
VM_EXTRA_FILES="$TOP/bench/vm-kdump-ab-guest.sh:/kx/extra/kdab.sh"
vm_build_initramfs "$BUILD" "$VM_IMAGES" || exit 1

# One sample's stamps, as "loader crash-purg purg-decomp decomp-linux linux-init crash-init".
sample() {  # LOG LOADER
	awk -v L="$2" '
		{ ts = $1 + 0 }
		/KX-MARK stage=1 crash/ && !te { te = ts; next }
		te && !tp && (/kexec-efi purgatory/ || /I.m in purgatory/) { tp = ts; next }
		tp && !td && !/purgatory/ { td = ts }
		td && !tl && /Linux version/ { tl = ts }
		tl && !ti && /KX-MARK stage=2 init/ { ti = ts }
		END {
			if (!(te && tp && td && tl && ti)) { printf "%s incomplete\n", L; exit }
			printf "%s %.3f %.3f %.3f %.3f %.3f\n", L, tp - te, td - tp, tl - td, ti - tl, ti - te
		}' "$1"
}

RESULTS=$(mktemp)
RUNS=""
for i in $(seq "$PAIRS"); do
	for loader in ours kt; do
		run=$VM_CACHE/runs/$(date -u +%Y%m%dT%H%M%S)-kdab-$loader
		vm_log "vm-kdump-ab: pair $i, $loader: $run"
		vm_run "$run" 300 2048 "kx_scn=kdab kx_stage=1 kx_nonce=0 earlyprintk=serial,ttyS0,115200 crashkernel=256M kx_kdab=$loader" > /dev/null 2>&1
		if ! grep -aq 'KX-RESULT: PASS' "$run/serial.log"; then
			echo "# $loader pair $i: the guest did not finish cleanly ($run/serial.log)"
			grep -a 'FAIL' "$run/serial.log" | tail -n 3 | sed 's/^/#   /'
		fi
		sample "$run/serial.log" "$loader" | tee -a "$RESULTS"
		RUNS="$RUNS ${run##*/}"
	done
done

TABLE=$(awk '
	function median(arr, n,   i, j, t) {
		for (i = 2; i <= n; i++) for (j = i; j > 1 && arr[j - 1] > arr[j]; j--) { t = arr[j]; arr[j] = arr[j - 1]; arr[j - 1] = t }
		return n % 2 ? arr[(n + 1) / 2] : (arr[n / 2] + arr[n / 2 + 1]) / 2
	}
	$2 == "incomplete" { next }
	{ n[$1]++; for (k = 2; k <= 6; k++) v[$1, k, n[$1]] = $k }
	END {
		split("crash -> purgatory banner|purgatory banner -> first decompressor line (the purgatory)|first decompressor line -> Linux version (decompression)|Linux version -> crash kernel /init|crash -> crash kernel /init", name, "|")
		printf "| measurement (median of %d / %d crashes) | ours | kexec-tools | ratio ours/kt |\n| --- | --- | --- | --- |\n", n["ours"], n["kt"]
		for (k = 2; k <= 6; k++) {
			delete a; delete b
			for (i = 1; i <= n["ours"]; i++) a[i] = v["ours", k, i]
			for (i = 1; i <= n["kt"]; i++) b[i] = v["kt", k, i]
			ma = n["ours"] ? median(a, n["ours"]) : -1; mb = n["kt"] ? median(b, n["kt"]) : -1
			printf "| %s | %.3f s | %.3f s | %s |\n", name[k - 1], ma, mb, (mb > 0 && ma >= 0) ? sprintf("%.3f", ma / mb) : "-"
		}
	}' "$RESULTS")
rm -f "$RESULTS"
MACHINE="$(grep -m 1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(nproc) CPUs; guest: QEMU+OVMF $ACCEL -cpu $CPU -smp 2 -m 2048 crashkernel=256M ($(qemu-system-x86_64 --version | head -n 1)), $KPKG; $(date -u +%Y-%m-%d); runs:$RUNS"
echo "## kdump: crash -> crash kernel userspace, ours vs kexec-tools (bench/vm-kdump-ab.sh)"
echo "Machine: $MACHINE"
echo "$TABLE"
if [ "$README" = 1 ]; then
	f=$TOP/bench/README.md
	sec=$(printf '<!-- vm-kdump-ab begin: written by bench/vm-kdump-ab.sh --readme -->\n## kdump: crash -> crash kernel userspace, ours vs kexec-tools (bench/vm-kdump-ab.sh)\nMachine: %s\n\n%s\n<!-- vm-kdump-ab end -->' "$MACHINE" "$TABLE")
	if grep -q 'vm-kdump-ab begin' "$f"; then
		awk -v sec="$sec" '/vm-kdump-ab begin/ { print sec; skip = 1; next } /vm-kdump-ab end/ { skip = 0; next } !skip' "$f" > "$f.tmp" && mv "$f.tmp" "$f"
	else
		printf '\n%s\n' "$sec" >> "$f"
	fi
fi
