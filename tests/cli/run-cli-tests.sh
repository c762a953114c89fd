#!/bin/bash
# run-cli-tests.sh - efi-setup-data CLI tests, util-linux style: run the tool,
# compare stdout + stderr + exit code with tests/cli/expected/NAME.out, and
# check what must hold whatever the golden file says (the rule id a broken
# tree must be refused with, the exit code, bytes of `build` checked against
# the fixture with od). Speaks TAP (run by automake's TAP driver).
#
# Inputs: the real OVMF captures in tests/fixtures/ and synthetic trees made
# at test time by tests/cli/mktree.sh (one broken thing each).
#
# Regenerate the expected output after an intended change, then review the
# diff with git before committing:
#   KX_REGEN=1 make check TESTS=tests/cli/run-cli-tests.sh
# (or: KX_REGEN=1 top_srcdir=SRC top_builddir=BUILD tests/cli/run-cli-tests.sh)
# Regeneration never weakens the exit-code and must-match checks.
set -u
SRC=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
BLD=${top_builddir:-$SRC}
ESD=$BLD/efi-setup-data/efi-setup-data
FIX=$SRC/tests/fixtures
EXP=$SRC/tests/cli/expected
MKTREE=$SRC/tests/cli/mktree.sh
REGEN=${KX_REGEN:-0}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/esd-cli.XXXXXX") || exit 99
trap 'rm -rf "$WORK"' EXIT
chmod 755 "$WORK"   # the unprivileged-user test reads trees in here

N=0
FAILED=0
ok() { N=$((N + 1)); echo "ok $N - $1"; }
not_ok() {
	N=$((N + 1)); FAILED=$((FAILED + 1)); echo "not ok $N - $1"
	[ -n "${2:-}" ] && sed 's/^/# /' <<< "$2"
	return 0
}
skip() { N=$((N + 1)); echo "ok $N - $1 # SKIP $2"; }

[ -x "$ESD" ] || { echo "1..1"; echo "not ok 1 - $ESD not built"; exit 1; }

# Paths vary between checkouts and runs: show them as placeholders.
normalize() { sed -e "s|$WORK|@WORK@|g" -e "s|$FIX|@FIXTURES@|g" -e "s|$SRC|@SRC@|g"; }

# t NAME EXIT MUST [--no-golden] -- ARGS...
# Runs `efi-setup-data ARGS` in $WORK. Checks the exit code, that some line
# of the output matches the extended regex MUST (if not empty) and, unless
# --no-golden, that the output equals expected/NAME.out.
t() {
	local name=$1 want=$2 must=$3 golden=1 rc problems="" out
	shift 3
	[ "${1:-}" = --no-golden ] && { golden=0; shift; }
	[ "${1:-}" = -- ] && shift
	out=$WORK/$name.out
	(cd "$WORK" && "${RUNAS[@]}" "$ESD" "$@") > "$WORK/$name.stdout" 2> "$WORK/$name.stderr"
	rc=$?
	{ cat "$WORK/$name.stdout"; sed 's/^/stderr: /' "$WORK/$name.stderr"; echo "exit: $rc"; } |
		normalize > "$out"
	[ "$rc" = "$want" ] || problems+="exit $rc, expected $want"$'\n'
	if [ -n "$must" ] && ! grep -Eq -- "$must" "$out"; then
		problems+="no line matches /$must/"$'\n'
	fi
	if [ $golden = 1 ]; then
		[ "$REGEN" = 1 ] && cp "$out" "$EXP/$name.out"
		if [ ! -f "$EXP/$name.out" ]; then
			problems+="missing expected/$name.out (KX_REGEN=1 to create it)"$'\n'
		elif ! diff -u "$EXP/$name.out" "$out" > "$WORK/$name.diff"; then
			problems+="output differs from expected/$name.out:"$'\n'"$(head -40 "$WORK/$name.diff")"$'\n'
		fi
	fi
	if [ -z "$problems" ]; then ok "$name"; else not_ok "$name" "$problems$(head -5 "$out")"; fi
}
RUNAS=()

# ------------------------------------------------------------ usage, help
t help 0 '^Usage:' -- --help
t version 0 '^efi-setup-data from kexec-efi [0-9]' --no-golden -- --version
t no-command 2 'no command specified' -- 
t unknown-command 2 "unknown command 'frobnicate'" -- frobnicate
t bad-option 2 "dump: unrecognized option '--frobnicate'" -- dump --frobnicate
t bad-global-option 2 "unrecognized option '--frobnicate'" -- --frobnicate dump
t missing-argument 2 'requires an argument' -- build -o
for sub in dump build verify snapshot diff; do
	t "help-$sub" 0 '^Usage:' -- "$sub" --help
	t "version-$sub" 0 '^efi-setup-data from' --no-golden -- "$sub" --version
done
t build-no-output 2 'no output directory' -- build --sysroot "$FIX/ovmf-q35-linux6.1"
t diff-no-args 2 'no OLD_SYSROOT' -- diff
t diff-too-many 2 'unexpected argument' -- diff a b c
t dump-image-no-base 2 'needs --phys-base' -- dump --memory-image x
t dump-bad-base 2 'not a number' -- dump --memory-image x --phys-base 0xZZ
t verify-no-sysroot 2 'nonexistent' -- verify --sysroot "$WORK/nonexistent"
t verify-kernel-missing 2 'no-such-bzImage' -- verify --sysroot "$FIX/ovmf-q35-linux6.1" --kernel "$WORK/no-such-bzImage"

# ------------------------------------------------- the real OVMF captures
for f in ovmf-q35-linux6.1 ovmf-q35-linux6.1-noefidebug ovmf-q35-linux6.1-after-kexec-load \
	 ovmf-q35-linux6.1-crashkernel; do
	t "verify-$f" 0 '^safe: 0 fatal' -- --sysroot "$FIX/$f" verify
done
t verify-json-ovmf-q35-linux6.1 0 '"safe": true' -- verify --json --sysroot "$FIX/ovmf-q35-linux6.1"
# efi=debug keeps boot-services regions without RUNTIME: warnings, not fatal (8.4.6)
t verify-efidebug-warns 0 '^8\.4\.6 warning ' --no-golden -- verify --sysroot "$FIX/ovmf-q35-linux6.1"

for f in ovmf-q35-linux6.1 ovmf-q35-linux6.1-after-kexec-load; do
	t "dump-$f" 0 '^runtime map: 105 descriptors' -- dump --sysroot "$FIX/$f"
	t "dump-json-$f" 0 '"runtime_map": \[' -- dump --json --sysroot "$FIX/$f"
done
t dump-noefidebug 0 '^runtime map: 6 descriptors' -- --sysroot "$FIX/ovmf-q35-linux6.1-noefidebug" dump

# diff: the next kernel got the same map (tolerated: RUNTIME gained, VA runtime)
t diff-kexec-load 0 '^same: 105 descriptors, 29 tolerated' -- \
	diff "$FIX/ovmf-q35-linux6.1" "$FIX/ovmf-q35-linux6.1-after-kexec-load"
t diff-noefidebug-kexec-load 0 '^tolerated runtime: 0x3f5ebb98 -> 0xfffffffeff1ebb98' -- \
	diff "$FIX/ovmf-q35-linux6.1-noefidebug" "$FIX/ovmf-q35-linux6.1-noefidebug-after-kexec-load"
t diff-kdump 0 '^same: 105 descriptors, 99 tolerated' -- \
	diff "$FIX/ovmf-q35-linux6.1-crashkernel" "$FIX/ovmf-q35-linux6.1-crashkernel-after-crash"
t diff-self 0 '^same: 6 descriptors, 0 tolerated' -- \
	diff "$FIX/ovmf-q35-linux6.1-noefidebug" --sysroot "$FIX/ovmf-q35-linux6.1-noefidebug"
t diff-efidebug-vs-not 1 '^different: ' -- \
	diff "$FIX/ovmf-q35-linux6.1" "$FIX/ovmf-q35-linux6.1-noefidebug"
t diff-kexec-file 1 'SETUP_EFI.runtime: 0x3f5ebb98 -> 0 \(kexec_file_load' -- \
	diff "$FIX/ovmf-q35-linux6.1" "$FIX/ovmf-q35-linux6.1-after-kexec-file"

# ------------------------------------------- build, checked with od alone
hex16() { local v=${1#0x}; v=${v%%[!0-9a-fA-F]*}; printf '%016x' "0x$v"; }
u64at() { od -An -v -tx8 -j "$2" -N 8 "$1" | tr -d ' \n'; }
u32at() { od -An -v -tx4 -j "$2" -N 4 "$1" | tr -d ' \n'; }
check_build() {
	local f=$1 d=$WORK/build-$1 root=$FIX/$1 p="" n i m=$1 bp want
	root=$FIX/$f
	bp=$root/sys/kernel/boot_params/data
	if ! "$ESD" --sysroot "$root" build -o "$d" > "$WORK/build-$f.log" 2>&1; then
		not_ok "build-$f" "$(cat "$WORK/build-$f.log")"; return
	fi
	n=$(ls "$root/sys/firmware/efi/runtime-map" | wc -l)
	# efi_info.bin (spec 1.2): EL64, systab from the running boot_params, 40, 1, 0, n*40
	[ "$(stat -c %s "$d/efi_info.bin")" = 32 ] || p+="efi_info.bin is not 32 bytes; "
	[ "$(od -An -c -N4 "$d/efi_info.bin" | tr -d ' ')" = EL64 ] || p+="signature not EL64; "
	[ "$(u32at "$d/efi_info.bin" 4)" = "$(u32at "$bp" $((0x1c4)))" ] || p+="efi_systab; "
	[ "$(u32at "$d/efi_info.bin" 24)" = "$(u32at "$bp" $((0x1d8)))" ] || p+="efi_systab_hi; "
	[ "$(u32at "$d/efi_info.bin" 8)" = 00000028 ] || p+="memdesc_size != 40; "
	[ "$(u32at "$d/efi_info.bin" 12)" = 00000001 ] || p+="memdesc_version != 1; "
	[ "$(u32at "$d/efi_info.bin" 16)$(u32at "$d/efi_info.bin" 28)" = 0000000000000000 ] || p+="memmap not 0; "
	[ "$(u32at "$d/efi_info.bin" 20)" = "$(printf %08x $((n * 40)))" ] || p+="memmap_size != $n*40; "
	# setup_data_efi.bin (spec 2.1, 3.1)
	[ "$(stat -c %s "$d/setup_data_efi.bin")" = 112 ] || p+="setup_data_efi.bin is not 112 bytes; "
	[ "$(u64at "$d/setup_data_efi.bin" 0)" = 0000000000000000 ] || p+="next != 0; "
	[ "$(u32at "$d/setup_data_efi.bin" 8)" = 00000004 ] || p+="type != 4; "
	[ "$(u32at "$d/setup_data_efi.bin" 12)" = 00000060 ] || p+="len != 96; "
	[ "$(u64at "$d/setup_data_efi.bin" 16)" = "$(hex16 "$(cat "$root/sys/firmware/efi/fw_vendor")")" ] || p+="fw_vendor; "
	[ "$(u64at "$d/setup_data_efi.bin" 32)" = "$(hex16 "$(cat "$root/sys/firmware/efi/config_table")")" ] || p+="tables; "
	[ "$(u64at "$d/setup_data_efi.bin" 40)" = "$(hex16 "$(sed -n 's/^SMBIOS=//p' "$root/sys/firmware/efi/systab")")" ] || p+="smbios; "
	# runtime: physical. What kexec-tools passed to the next kernel of the same VM
	# (its received SETUP_EFI) is the independent reference: 0x3f5ebb98.
	[ "$(u64at "$d/setup_data_efi.bin" 24)" = 000000003f5ebb98 ] || p+="runtime != 0x3f5ebb98; "
	[ -z "$(od -An -v -tx1 -j 48 "$d/setup_data_efi.bin" | tr -d ' 0\n')" ] || p+="reserved not zero; "
	# memmap.bin (spec 3.4): n x 40, descriptor i = runtime-map/i
	[ "$(stat -c %s "$d/memmap.bin")" = $((n * 40)) ] || p+="memmap.bin size; "
	for ((i = 0; i < n; i++)); do
		m=$root/sys/firmware/efi/runtime-map/$i
		want="$(hex16 "$(cat "$m/type")")$(hex16 "$(cat "$m/phys_addr")")$(hex16 "$(cat "$m/virt_addr")")$(hex16 "$(cat "$m/num_pages")")$(hex16 "$(cat "$m/attribute")")"
		[ "$(od -An -v -tx8 -j $((i * 40)) -N 40 "$d/memmap.bin" | tr -d ' \n')" = "$want" ] ||
			{ p+="descriptor $i differs from runtime-map/$i; "; break; }
	done
	if [ -z "$p" ]; then ok "build-$f (bytes checked with od)"; else not_ok "build-$f" "$p"; fi
}
check_build ovmf-q35-linux6.1
check_build ovmf-q35-linux6.1-noefidebug
check_build ovmf-q35-linux6.1-after-kexec-load   # runtime is a VA there: must come out physical
# The payload built on the first kernel is byte for byte what kexec-tools
# handed the next kernel (its sysfs setup_data/1 is the SETUP_EFI it got).
if cmp -s <(tail -c 96 "$WORK/build-ovmf-q35-linux6.1/setup_data_efi.bin") \
	"$FIX/ovmf-q35-linux6.1-after-kexec-load/sys/kernel/boot_params/setup_data/1/data"; then
	ok "build payload == SETUP_EFI received after kexec -l"
else
	not_ok "build payload == SETUP_EFI received after kexec -l"
fi
t build-output 0 '^out/memmap.bin: 240 bytes \(6 descriptors of 40 bytes\)' -- \
	build --sysroot "$FIX/ovmf-q35-linux6.1-noefidebug" -o out

# -------------------------------------------------------------- snapshot
snap_src=$FIX/ovmf-q35-linux6.1-after-kexec-load
t snapshot 0 '^snap: [0-9]+ files copied$' -- snapshot --sysroot "$snap_src" -o snap
p=""
while IFS= read -r rel; do
	cmp -s "$snap_src/$rel" "$WORK/snap/$rel" || p+="$rel; "
done < <(cd "$snap_src" && find sys/firmware/efi sys/firmware/memmap sys/kernel/boot_params \
	proc/iomem proc/cmdline proc/cpuinfo -type f | sort)
[ -z "$p" ] && ok "snapshot copies every file the tools read" || not_ok "snapshot copies every file the tools read" "missing or different: $p"
if cmp -s <("$ESD" dump --sysroot "$snap_src") <("$ESD" dump --sysroot "$WORK/snap"); then
	ok "snapshot: dump of the copy == dump of the source"
else
	not_ok "snapshot: dump of the copy == dump of the source"
fi
# Independent expectation: the first such line of the capture's dmesg.txt.
want_line=$(grep -m1 -oE 'efi: .*(ACPI|SMBIOS)=.*' "$snap_src/dmesg.txt" | sed 's/ *$//')
if [ -n "$want_line" ] && [ "$(cat "$WORK/snap/efi-boot-line.txt" 2>/dev/null)" = "$want_line" ]; then
	ok "snapshot: efi-boot-line.txt holds the efi: config-table line"
else
	not_ok "snapshot: efi-boot-line.txt holds the efi: config-table line" \
		"want: $want_line"$'\n'"got: $(cat "$WORK/snap/efi-boot-line.txt" 2>&1)"
fi
t snapshot-no-output 2 'no output directory' -- snapshot

# Root-only (0400) files read without root: snapshot names them (exit 1),
# verify cannot check (exit 2). Run as nobody when we are root.
cp -a "$FIX/ovmf-q35-linux6.1-noefidebug" "$WORK/ro"
chmod -R a+rX "$WORK/ro" && chmod 0400 "$WORK/ro/sys/firmware/efi/systab"
if [ "$(id -u)" = 0 ]; then
	if command -v setpriv > /dev/null; then
		RUNAS=(setpriv --reuid=65534 --regid=65534 --clear-groups)
		mkdir -p "$WORK/ro-out" && chmod 777 "$WORK/ro-out"
	else
		RUNAS=(skip)
	fi
else
	mkdir -p "$WORK/ro-out"
fi
if [ "${RUNAS[0]:-}" = skip ]; then
	skip "snapshot-eacces" "root and no setpriv to drop privileges"
	skip "verify-eacces" "root and no setpriv to drop privileges"
else
	t snapshot-eacces 1 'systab: permission denied: this file is root-only' -- \
		snapshot --sysroot "$WORK/ro" -o ro-out/snap
	t verify-eacces 2 'systab: .*root' -- verify --sysroot "$WORK/ro"
fi
RUNAS=()

# ------------------------------- synthetic trees: each must fail, naming the rule
# kind  rule-id-regex (the line "<id> fatal <name>: ..." must be there)
while read -r kind rule; do
	[ -z "$kind" ] && continue
	if ! "$MKTREE" "$kind" "$WORK/t-$kind" > "$WORK/mk-$kind.log" 2>&1; then
		not_ok "mktree $kind" "$(cat "$WORK/mk-$kind.log")"; continue
	fi
	t "verify-$kind" 1 "^$rule fatal " -- verify --sysroot "$WORK/t-$kind"
done <<'KINDS'
garbage          8\.5\.0
missing          8\.5\.0
overflow         8\.5\.0
range-overflow   8\.4\.2
zero-pages       8\.4\.2
phys-overlap     8\.4\.4
virt-overlap     8\.4\.4
virt-window      8\.4\.3
no-runtime       8\.4\.6
conventional     8\.4\.6
systab-uncovered 8\.4\.8
platform32       8\.5\.2
desc-version2    8\.5\.4
empty-map        8\.5\.1
truncated-bp     8\.5\.4
KINDS
# The reader errors are also plain dump errors naming the file (exit 1).
t dump-garbage 1 'runtime-map/3/phys_addr: .*0x3f4ecZZZ' -- dump --sysroot "$WORK/t-garbage"
t dump-missing 1 'runtime-map/2/num_pages: cannot open' -- dump --sysroot "$WORK/t-missing"
t dump-overflow 1 'runtime-map/1/virt_addr: value overflows 64 bits' -- dump --sysroot "$WORK/t-overflow"
t dump-truncated-bp 1 'truncated boot_params \(2048 of 4096 bytes\)' -- dump --sysroot "$WORK/t-truncated-bp"
# diff against a broken tree is "different", naming the field
t diff-virt-window 1 '^differ runtime-map/4: virt_addr 0xfffffffefe68a000 -> 0xffff888000000000' -- \
	diff "$FIX/ovmf-q35-linux6.1-noefidebug" "$WORK/t-virt-window"

# ---------------------------------------- setup_data chains in memory images
for k in image-ok image-loop image-past-end image-truncated-bp; do
	"$MKTREE" "$k" "$WORK/$k.img" || not_ok "mktree $k"
done
t dump-image-ok 0 '^    1  0x0000000000102000  0x0000000000000000  0x00000004  SETUP_EFI ' -- \
	dump --memory-image "$WORK/image-ok.img" --phys-base 0x100000
t dump-image-ok-json 0 '"name": "SETUP_EFI"' -- \
	dump --json --memory-image "$WORK/image-ok.img" --phys-base 0x100000
t dump-image-loop 1 'setup_data: node 2 at 0x101000: cycle, the same address as node 0' -- \
	dump --memory-image "$WORK/image-loop.img" --phys-base 0x100000
t dump-image-past-end 1 'node 1 at 0x102000: payload at 0x102010 runs outside the image' -- \
	dump --memory-image "$WORK/image-past-end.img" --phys-base 0x100000
t dump-image-truncated-bp 1 'truncated boot_params \(2048 of 4096 bytes' -- \
	dump --memory-image "$WORK/image-truncated-bp.img" --phys-base 0x100000
t dump-image-bp-outside 1 'truncated boot_params \(0 of 4096' -- \
	dump --memory-image "$WORK/image-ok.img" --phys-base 0x100000 --boot-params 0x200000

echo "1..$N"
[ "$FAILED" = 0 ]
