#!/bin/bash
# vm-ab.sh - our kexec (A) against Debian's kexec-tools (B) in one
# QEMU+OVMF guest (the tests/vm harness), run on demand, never by
# tests/run-all.sh.
#
# usage: bench/vm-ab.sh --build-dir DIR [--pairs N] [--big-pairs N] [--hops N]
#                       [--readme] [--log SERIAL.LOG]
#
# The guest (bench/vm-ab-guest.sh) alternates A B A B: `kexec -c -l` and
# `kexec -s -l` of the Debian kernel with the VM's initrd (N pairs each),
# then with a 256 MiB initrd (--big-pairs), each timed by busybox time
# (wall, peak RSS); then kexec -e hops alternating the loader (--hops).
# Each hop is timed on the host from the serial lines (qemu-run.py stamps
# each line as it arrives): `kexec -e` mark -> purgatory banner ("kexec-efi
# purgatory" / kexec-tools' "I'm in purgatory" with --console-serial) ->
# our "segments verified" -> the decompressor's first line (the first line
# after the purgatory's: with earlyprintk=serial the decompressor prints its
# warnings, here "Invalid physical address chosen!"; Debian builds without
# X86_VERBOSE_BOOTUP, so there is no "Decompressing Linux" line) -> "Linux
# version" -> the next /init mark. Prints medians and ratios ours/kexec-
# tools; --readme writes the table into bench/README.md. --log re-parses
# an existing serial log without booting anything.
set -u
TOP=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
BUILD="" PAIRS=10 BIG=3 HOPS=6 README=0 LOG=""
while [ $# -gt 0 ]; do
	case "$1" in
	--build-dir) BUILD=$2; shift ;;
	--pairs) PAIRS=$2; shift ;;
	--big-pairs) BIG=$2; shift ;;
	--hops) HOPS=$2; shift ;;
	--readme) README=1 ;;
	--log) LOG=$2; shift ;;
	-h|--help) sed -n '2,22p' "$0"; exit 0 ;;
	*) echo "vm-ab.sh: unknown argument $1" >&2; exit 2 ;;
	esac
	shift
done

if [ -z "$LOG" ]; then
	[ -n "$BUILD" ] && [ -x "$BUILD/kexec/kexec" ] || { echo "vm-ab.sh: --build-dir must hold kexec/kexec" >&2; exit 2; }
	. "$TOP/tests/vm/vm-lib.sh"
	vm_setup || exit 1
	VM_IMAGES=$VM_CACHE/images-ab
	VM_EXTRA_FILES="$TOP/bench/vm-ab-guest.sh:/kx/extra/ab.sh"
	vm_build_initramfs "$BUILD" "$VM_IMAGES" || exit 1
	run=$VM_CACHE/runs/$(date -u +%Y%m%dT%H%M%S)-ab
	LOG=$run/serial.log
	vm_log "vm-ab: kernel $KPKG, accel $ACCEL ($CPU), log $LOG"
	vm_run "$run" 1800 2048 "kx_scn=ab kx_stage=1 kx_nonce=0 earlyprintk=serial,ttyS0,115200 kx_ab_pairs=$PAIRS kx_ab_bigpairs=$BIG kx_ab_hops=$HOPS"
	echo "# qemu exit $?; serial log: $LOG"
fi
QEMU_VER=$(qemu-system-x86_64 --version 2>/dev/null | head -n 1)
KVER=$(grep -a -m 1 -o 'Linux version [^ ]*' "$LOG" | cut -d' ' -f3)
grep -aq 'KX-RESULT: PASS' "$LOG" || { echo "vm-ab.sh: the guest did not finish cleanly:" >&2; grep -a 'FAIL\|KX-RESULT' "$LOG" | tail -n 5 >&2; }

# busybox 1.35's time applies its pages-to-KiB conversion to ru_maxrss,
# which Linux already reports in KiB: %M comes out 4x too big. Calibrate
# the guest's busybox (the host's /bin/busybox) against GNU time here.
RSSDIV=1
if [ -x /usr/bin/time ]; then
	t=$(mktemp)
	busybox time -o "$t" -f %M dd if=/dev/zero of=/dev/null bs=64M count=1 2>/dev/null
	bb=$(tail -n 1 "$t" | tr -dc 0-9)
	/usr/bin/time -o "$t" -f %M dd if=/dev/zero of=/dev/null bs=64M count=1 2>/dev/null
	gnu=$(tail -n 1 "$t" | tr -dc 0-9)
	rm -f "$t"
	[ -n "$bb" ] && [ -n "$gnu" ] && [ "$gnu" -gt 0 ] && RSSDIV=$(( (bb + gnu / 2) / gnu ))
	[ "$RSSDIV" -ge 1 ] || RSSDIV=1
fi
echo "# busybox time %M / GNU time %M = $RSSDIV (applied to the guest's RSS figures)"

TABLE=$(awk -v rssdiv="$RSSDIV" '
function med(arr, n,    i, j, t, a) {
	if (n == 0) return -1
	for (i = 1; i <= n; i++) a[i] = arr[i]
	for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function add(key, v) { n[key]++; val[key, n[key]] = v }
function m(key,    i, tmp) { for (i = 1; i <= n[key]; i++) tmp[i] = val[key, i]; return med(tmp, n[key]) }
function row(label, ka, kb, unit, fmt,    a, b) {
	a = m(ka); b = m(kb)
	if (a < 0 && b < 0) return
	printf "| %s | %s | %s | %s |\n", label, a < 0 ? "-" : sprintf(fmt, a) unit, b < 0 ? "-" : sprintf(fmt, b) unit,
		(a < 0 || b <= 0) ? "-" : sprintf("%.3f", a / b)
}
{ ts = $1 + 0 }
/KX-AB info/ { for (i = 1; i <= NF; i++) if ($i ~ /^(initrd|kernel|sha_ni|sse4_2)=/) { split($i, kv, "="); info[kv[1]] = kv[2] } }
/KX-AB load / {
	for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
	k = f["kind"] "-" f["initrd"] "-" f["loader"]
	add("wall-" k, f["wall"]); add("rss-" k, f["rss"] / rssdiv / 1024); pairs[f["kind"] "-" f["initrd"]]++
}
/KX-AB hop stage=/ { split($0, a, "loader="); L = a[2]; sub(/[ \r].*/, "", L); hop = 1; te = tp = tv = td = tl = 0 }
hop && /KX-MARK stage=[0-9]+ exec/ { te = ts }
hop && te && !tp && (/kexec-efi purgatory/ || /I.m in purgatory/) { tp = ts }
hop && tp && !tv && /segments verified/ { tv = ts }
hop && tp && !td && !/purgatory/ { td = ts; dline = $0 }
hop && td && !tl && /Linux version/ { tl = ts }
hop && te && /KX-MARK stage=[0-9]+ init/ {
	add("exec-purg-" L, tp ? tp - te : -1); add("purg-decomp-" L, (tp && td) ? td - tp : -1)
	if (tv) add("purg-verified-" L, tv - tp)
	add("exec-decomp-" L, td ? td - te : -1); add("decomp-linux-" L, (td && tl) ? tl - td : -1)
	add("exec-init-" L, ts - te); hops[L]++; hop = 0
}
END {
	printf "initrd %.1f MB, kernel %.1f MB; guest /proc/cpuinfo: sha_ni %s, sse4_2 %s\n\n", info["initrd"] / 1e6, info["kernel"] / 1e6,
		(info["sha_ni"] > 0 ? "yes" : "no"), (info["sse4_2"] > 0 ? "yes" : "no")
	printf "| measurement (median) | ours | kexec-tools | ratio ours/kt |\n| --- | --- | --- | --- |\n"
	row(sprintf("`kexec -c -l` wall (%d pairs)", pairs["c-std"] / 2), "wall-c-std-ours", "wall-c-std-kt", " s", "%.2f")
	row("`kexec -c -l` peak RSS", "rss-c-std-ours", "rss-c-std-kt", " MiB", "%.1f")
	row(sprintf("`kexec -s -l` wall (%d pairs)", pairs["s-std"] / 2), "wall-s-std-ours", "wall-s-std-kt", " s", "%.2f")
	row("`kexec -s -l` peak RSS", "rss-s-std-ours", "rss-s-std-kt", " MiB", "%.1f")
	row("ours: `kexec --dry-run -c -l` (all but the syscall), kt: -", "wall-dry-std-ours", "none", " s", "%.2f")
	row("`kexec --version` (process start)", "wall-version---ours", "wall-version---kt", " s", "%.3f")
	row(sprintf("`kexec -c -l` wall, 256 MiB initrd (%d pairs)", pairs["c-big"] / 2), "wall-c-big-ours", "wall-c-big-kt", " s", "%.2f")
	row("`kexec -c -l` peak RSS, 256 MiB initrd", "rss-c-big-ours", "rss-c-big-kt", " MiB", "%.1f")
	row(sprintf("`kexec -s -l` wall, 256 MiB initrd (%d pairs)", pairs["s-big"] / 2), "wall-s-big-ours", "wall-s-big-kt", " s", "%.2f")
	row("`kexec -s -l` peak RSS, 256 MiB initrd", "rss-s-big-ours", "rss-s-big-kt", " MiB", "%.1f")
	row(sprintf("`kexec -e` -> purgatory banner (%d/%d hops, kexec_load)", hops["ours"], hops["kt"]), "exec-purg-ours", "exec-purg-kt", " s", "%.3f")
	row("purgatory banner -> first decompressor line (the purgatory)", "purg-decomp-ours", "purg-decomp-kt", " s", "%.3f")
	row("purgatory banner -> segments verified (digest alone)", "purg-verified-ours", "purg-verified-kt", " s", "%.3f")
	row("`kexec -e` -> first decompressor line", "exec-decomp-ours", "exec-decomp-kt", " s", "%.3f")
	row("first decompressor line -> Linux version (decompression)", "decomp-linux-ours", "decomp-linux-kt", " s", "%.3f")
	row("`kexec -e` -> next /init", "exec-init-ours", "exec-init-kt", " s", "%.2f")
}' "$LOG")
echo "$TABLE"

if [ "$README" = 1 ]; then
	MACHINE="$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) CPUs, $(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"); guest: QEMU+OVMF TCG -cpu max -smp 2 -m 2048 ($QEMU_VER), Debian kernel $KVER; $(date -u +%Y-%m-%d), serial log $(basename "$(dirname "$LOG")")"
	{
		echo "<!-- vm-ab begin: written by bench/vm-ab.sh --readme -->"
		echo "## A/B in the guest: ours vs Debian's kexec-tools 2.0.25 (bench/vm-ab.sh)"
		echo
		echo "Machine: $MACHINE."
		echo
		echo "$TABLE"
		echo "<!-- vm-ab end -->"
	} > "$TOP/bench/.vm-ab.md"
	if grep -q '<!-- vm-ab begin' "$TOP/bench/README.md"; then
		awk -v f="$TOP/bench/.vm-ab.md" '/<!-- vm-ab begin/ { while ((getline l < f) > 0) print l; skip = 1; next } /<!-- vm-ab end/ { skip = 0; next } !skip' \
			"$TOP/bench/README.md" > "$TOP/bench/.README.new" && mv "$TOP/bench/.README.new" "$TOP/bench/README.md"
	else
		{ echo; cat "$TOP/bench/.vm-ab.md"; } >> "$TOP/bench/README.md"
	fi
	rm -f "$TOP/bench/.vm-ab.md"
	echo "# table written to bench/README.md"
fi
