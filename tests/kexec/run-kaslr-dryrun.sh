#!/bin/bash
# run-kaslr-dryrun.sh - physical KASLR through the kexec CLI (issue 6), dry
# runs against the captured OVMF trees (TAP): the plan reports the slot,
# nokaslr/--no-kaslr are deterministic, -s says KASLR is not available, a
# kernel without an initrd on a system with an INITRD= table is warned
# about and refused by --efi-verify=strict.
set -u
. "$(dirname "$0")/dryrun-lib.sh"
"$MK" "$W/bz" || { echo "not ok 1 - mkbzimage"; exit 1; }
head -c 20000 /dev/urandom > "$W/initrd"
S="--sysroot $FIX/ovmf-q35-linux6.1-noefidebug"
L="--dry-run $S -c -l $W/bz"

expect "-d reports the random slot and the slot count" 0 'physical KASLR: kernel at 0x[0-9a-f]+, slot [0-9]+ of [0-9]+$' -- \
	$L --initrd="$W/initrd" --append="console=ttyS0" -d
expect "plan.json has the kaslr object" 0 '' -- $L --initrd="$W/initrd" --append="console=ttyS0" --dump-dir "$W/d1"
if grep -q '"mode": "random"' "$W/d1/plan.json" && grep -qE '"slots": [1-9][0-9]*' "$W/d1/plan.json" &&
   [ "$(sed -n 's/.*"slot": "\(0x[0-9a-f]*\)".*/\1/p' "$W/d1/plan.json")" = "$(sed -n 's/.*"kernel_load": "\(0x[0-9a-f]*\)".*/\1/p' "$W/d1/plan.json")" ]; then
	ok "plan.json: kaslr.mode random, kaslr.slots > 0, kaslr.slot = kernel_load"
else
	cp "$W/d1/plan.json" "$W/out"; nok "plan.json kaslr object"
fi

# 20 dry runs: many addresses; nokaslr and --no-kaslr: one.
addr() { sed -n 's/.*physical KASLR: .*kernel at \(0x[0-9a-f]*\).*/\1/p' "$W/out"; }
: > "$W/rand"; : > "$W/nok"; : > "$W/nok2"
for i in $(seq 20); do
	"$KEXEC" $L --initrd="$W/initrd" --append="console=ttyS0" -d > "$W/out" 2>&1; addr >> "$W/rand"
done
for i in 1 2; do
	"$KEXEC" $L --initrd="$W/initrd" --append="console=ttyS0 nokaslr" -d > "$W/out" 2>&1; addr >> "$W/nok"
	"$KEXEC" $L --initrd="$W/initrd" --append="console=ttyS0" --no-kaslr -d > "$W/out" 2>&1; addr >> "$W/nok2"
done
d=$(sort -u "$W/rand" | grep -c 0x)
if [ "$(grep -c 0x "$W/rand")" = 20 ] && [ "$d" -ge 15 ]; then ok "20 dry runs: $d distinct kernel addresses"; else cp "$W/rand" "$W/out"; nok "20 dry runs: $d distinct"; fi
if [ "$(grep -c 0x "$W/nok")" = 2 ] && [ "$(sort -u "$W/nok" | wc -l)" = 1 ] && [ "$(cat "$W/nok" "$W/nok2" | sort -u | wc -l)" = 1 ]; then
	ok "nokaslr and --no-kaslr: the same address every time ($(head -n 1 "$W/nok"))"
else
	cat "$W/nok" "$W/nok2" > "$W/out"; nok "nokaslr/--no-kaslr deterministic"
fi
expect "nokaslr says why" 0 'physical KASLR: off \(nokaslr on the command line\)' -- $L --initrd="$W/initrd" --append="nokaslr" -d
expect "--no-kaslr says why" 0 'physical KASLR: off \(--no-kaslr\)' -- $L --initrd="$W/initrd" --no-kaslr -d
expect "--help lists --no-kaslr" 0 '--no-kaslr' -- --help
expect "-s: physical KASLR is not available with kexec_file_load" 0 'physical KASLR is not available with kexec_file_load' -- \
	--dry-run $S -s -l "$W/bz" --initrd="$W/initrd" -d

# No initrd on a system whose boot line has INITRD=: loud warning; strict refuses.
expect "no initrd + INITRD= table: warning, loads" 0 'WARNING: no --initrd, but this system booted with a LINUX_EFI_INITRD table \(INITRD=0x3ca57f18\)' -- \
	$L --append="console=ttyS0"
expect "no initrd + INITRD= table + --efi-verify=strict: refused, exit 3" 3 'refusing to load a kernel without an initrd' -- \
	$L --append="console=ttyS0" --efi-verify=strict --dump-dir "$W/d2"
if grep -q '"decision": "refused"' "$W/d2/plan.json"; then ok "the refusal's plan.json says refused"; else cp "$W/d2/plan.json" "$W/out"; nok "refused plan.json"; fi
expect "with an initrd: no warning" 0 '' -- $L --initrd="$W/initrd" --efi-verify=strict
if grep -q 'INITRD' "$W/out"; then nok "with an initrd: no INITRD warning"; else ok "with an initrd: no INITRD warning"; fi

# Without the efi: line (a tree without dmesg.txt): deterministic, says why; verify warns 8.5.6.
mkdir "$W/noline" && cp -a "$FIX/ovmf-q35-linux6.1-noefidebug/sys" "$FIX/ovmf-q35-linux6.1-noefidebug/proc" "$W/noline/"
expect "no efi: line: KASLR off, says why" 0 'physical KASLR: off \(no efi: config-table line' -- \
	--dry-run --sysroot "$W/noline" -c -l "$W/bz" --initrd="$W/initrd" -d
expect "no efi: line: said without -d too" 0 'note: physical KASLR off \(no efi: config-table line' -- \
	--dry-run --sysroot "$W/noline" -c -l "$W/bz" --initrd="$W/initrd"
"$B/efi-setup-data/efi-setup-data" verify --sysroot "$W/noline" > "$W/out" 2>&1
if grep -q '8.5.6 warning fw-blob-line' "$W/out"; then ok "verify: 8.5.6 without the efi: line"; else nok "verify: 8.5.6 without the efi: line"; fi

echo "1..$n"
[ "$fails" = 0 ]
