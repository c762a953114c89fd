#!/bin/bash
# run-dryrun.sh - the kexec CLI end to end, as an ordinary dry run against
# the captured OVMF trees (TAP): exit statuses, the plan, the policy modes.
set -u
. "$(dirname "$0")/dryrun-lib.sh"
"$MK" "$W/bz" && "$MK" "$W/bz-noefi" no-efi-kexec && "$MK" "$W/bz-trunc" truncated && "$MK" "$W/bz-magic" bad-magic || { echo "not ok 1 - mkbzimage"; exit 1; }
head -c 20000 /dev/urandom > "$W/initrd"
S="--sysroot $FIX/ovmf-q35-linux6.1-noefidebug"

expect "dry run loads with the EFI hand-off" 0 'EFI hand-off passed' -- \
	--dry-run $S -c -l "$W/bz" --initrd="$W/initrd" --append="console=ttyS0" --efi-verify --dump-dir "$W/d1"
if grep -q '"decision": "load"' "$W/d1/plan.json" && grep -q '"role": "purgatory"' "$W/d1/plan.json" &&
   [ "$(ls "$W/d1" | wc -l)" = 5 ]; then ok "plan.json and 4 segment files written"; else nok "plan.json and 4 segment files written"; fi
# The kexec_load plan's boot_params: sentinel 0, loader 0xd0, EL64.
bp=$W/d1/02-boot_params.bin
if [ "$(od -An -v -tx1 -j $((0x1ef)) -N1 "$bp" | tr -d ' ')" = 00 ] && [ "$(od -An -v -tx1 -j $((0x210)) -N1 "$bp" | tr -d ' ')" = d0 ] &&
   [ "$(od -An -v -c -j $((0x1c0)) -N4 "$bp" | tr -d ' ')" = EL64 ]; then ok "boot_params: sentinel 0, type_of_loader 0xd0, EL64"; else nok "boot_params bytes"; fi
# segment digests in plan.json are the files' sha256
if (cd "$W/d1" && for f in 0*.bin; do grep -q "$(sha256sum "$f" | cut -d' ' -f1)" plan.json || exit 1; done); then
	ok "plan.json sha256 of every segment"; else nok "plan.json sha256 of every segment"; fi

# The target stub loads like a kernel: strict passes on the real OVMF tree,
# and the loader puts its 64-bit entry in the purgatory's hand-over.
PROBE=$B/efi-setup-data/stub/efi-rt-probe
expect "efi-rt-probe loads with --efi-verify (strict)" 0 'EFI hand-off passed' -- \
	--dry-run $S -c -l "$PROBE" --efi-verify --dump-dir "$W/dp"
if grep -q '"decision": "load"' "$W/dp/plan.json" && cmp -s "$W/dp/00-kernel.bin" <(tail -c +1025 "$PROBE"); then
	ok "efi-rt-probe: the kernel segment is the image past its 1 KiB setup"; else nok "efi-rt-probe: the kernel segment is the image past its 1 KiB setup"; fi

# A broken map: one descriptor's VA outside the EFI window.
cp -r "$FIX/ovmf-q35-linux6.1-noefidebug" "$W/broken" && chmod -R u+w "$W/broken"
echo 0xffff888000000000 > "$W/broken/sys/firmware/efi/runtime-map/2/virt_addr"
SB="--sysroot $W/broken"
expect "strict refuses with exit 3 naming rule and descriptor" 3 '8\.4\.3 fatal virt-window: runtime-map/2' -- \
	--dry-run $SB -c -l "$W/bz" --append=x --efi-verify --dump-dir "$W/d2"
grep -q '"decision": "refused"' "$W/d2/plan.json" && ok "refused plan records the decision" || nok "refused plan records the decision"
expect "fallback loads without EFI and says so" 0 'WITHOUT the EFI hand-off' -- \
	--dry-run $SB -c -l "$W/bz" --append=x --efi-verify=fallback --dump-dir "$W/d3"
if [ "$(od -An -v -tx1 -j $((0x1c0)) -N32 "$W"/d3/*-boot_params.bin | tr -d ' \n0')" = "" ] && [ -s "$W"/d3/plan.json ]; then
	ok "fallback: efi_info is zero"; else nok "fallback: efi_info is zero"; fi
expect "no option: fallback, but loud" 0 'use --efi-verify=strict to refuse' -- --dry-run $SB -c -l "$W/bz" --append=x
expect "warn hands off anyway" 0 'EFI hand-off passed' -- --dry-run $SB -c -l "$W/bz" --append=x --efi-verify=warn
expect "--noefi: no EFI, said in the plan" 0 'none: --noefi' -- --dry-run $S -c -l "$W/bz" --append=x --noefi -d
cp -r "$FIX/ovmf-q35-linux6.1-noefidebug" "$W/bios" && chmod -R u+w "$W/bios" && rm -rf "$W/bios/sys/firmware/efi"
expect "no /sys/firmware/efi: loads, says not an EFI boot" 0 'EFI hand-off none: not an EFI boot' -- \
	--dry-run --sysroot "$W/bios" -c -l "$W/bz" --append=x --efi-verify --dump-dir "$W/bios-d"
if grep -q '"decision": "load-without-efi"' "$W/bios-d/plan.json" &&
   [ "$(od -An -v -tx1 -j $((0x1c0)) -N32 "$W"/bios-d/*-boot_params.bin | tr -d ' \n0')" = "" ]; then
	ok "not an EFI boot: efi_info zero, plan says so"; else nok "not an EFI boot: efi_info zero, plan says so"; fi
expect "image without XLF_EFI_KEXEC: loud warning" 0 'lacks XLF_EFI_KEXEC' -- --dry-run $S -c -l "$W/bz-noefi" --append=x
expect "truncated bzImage: clear error naming the field" 1 'bz-trunc: jump: .*past the end of the file' -- --dry-run $S -c -l "$W/bz-trunc" --append=x --dump-dir "$W/d-trunc"
[ ! -e "$W/d-trunc" ] && ok "truncated bzImage: nothing written" || nok "truncated bzImage: nothing written"
expect "not a bzImage: clear error" 1 'HdrS' -- --dry-run $S -c -l "$W/bz-magic" --append=x
# Compressed kernel files (kexec-tools accepts them too): same plan as the plain file.
for z in "gzip -9" "xz" "zstd -q"; do
	cmd=${z%% *}
	if ! command -v "$cmd" > /dev/null; then echo "ok $((n += 1)) - $cmd-compressed kernel # SKIP no $cmd"; continue; fi
	$z -c "$W/bz" > "$W/bz.$cmd"
	expect "$cmd-compressed kernel file is decompressed" 0 'EFI hand-off passed' -- --dry-run $S -c -l "$W/bz.$cmd" --append=x --dump-dir "$W/z-$cmd"
	cmp -s "$W/z-$cmd/00-kernel.bin" "$W/d1/00-kernel.bin" && ok "$cmd: the kernel segment equals the plain file's" || nok "$cmd: the kernel segment equals the plain file's"
done
head -c $(( $(wc -c < "$W/bz.xz") / 2 )) "$W/bz.xz" > "$W/bz.trunc.xz"
expect "truncated xz file: error naming the file" 1 'bz.trunc.xz: xz: corrupt' -- --dry-run $S -c -l "$W/bz.trunc.xz" --append=x
expect "--print-ckr-size" 0 '^268435456$' -- --sysroot "$FIX/ovmf-q35-linux6.1-crashkernel-kdump" --print-ckr-size
expect "missing kernel file" 1 'cannot open' -- --dry-run $S -c -l "$W/nope" --append=x
expect "--reuse-cmdline drops initrd= and BOOT_IMAGE=" 0 'command line: console=ttyS0,115200 panic=1 .*kx_extra=1' -- \
	--dry-run --sysroot "$FIX/ovmf-q35-linux6.1" -c -l "$W/bz" --reuse-cmdline --append=kx_extra=1 -d --dump-dir "$W/reuse"
grep -q 'initrd=initrd' "$W/out" && nok "reused command line has no initrd=" || ok "reused command line has no initrd="
# Purgatory's serial port comes from the reused console=ttyS0 (purgatory_params.serial_port at +320).
pg=$(ls "$W"/reuse/*-purgatory.bin)
po=$(od -An -v -tu4 -j 24 -N4 "$pg" | tr -d ' ')   # purgatory_header.params_offset
[ "$(od -An -v -tx2 -j $((po + 320)) -N2 "$pg" | tr -d ' ')" = 03f8 ] && ok "purgatory serial port from the reused console=ttyS0" ||
	nok "purgatory serial port from the reused console=ttyS0"
expect "kdump: segments in the crash region, elfcorehdr= added" 0 'elfcorehdr=' -- \
	--dry-run --sysroot "$FIX/ovmf-q35-linux6.1-crashkernel-kdump" -c -p "$W/bz" --append=x -d
expect "kdump without crashkernel=: clear error" 1 'Crash kernel' -- --dry-run $S -c -p "$W/bz" --append=x
echo 1 > "$W/broken/sys/kernel/kexec_crash_loaded"; echo 0 > "$W/broken/sys/kernel/kexec_loaded"
expect "-S: crash image loaded -> exit 1" 1 '' -- $SB -S
expect "-S -l: normal image not loaded -> exit 0" 0 '' -- $SB -S -l
expect "-S without the sysfs file: clear error" 1 'cannot read the kexec state' -- $S -S
expect "bad option: usage error" 1 'Try .* --help' -- --bogus
expect "--efi-verify=bogus: usage error" 1 'strict, fallback or warn' -- --efi-verify=bogus -l x
# A real distribution kernel, when the environment has one (else a TAP skip).
RK=${KEXEC_TEST_KERNEL:-$(ls /work/e2e-art/vmlinuz* 2> /dev/null | head -n 1)}
if [ -n "$RK" ] && [ -r "$RK" ]; then
	expect "real kernel: strict dry run hands off EFI" 0 'EFI hand-off passed' -- \
		--dry-run --sysroot "$FIX/ovmf-q35-linux6.1" -c -l "$RK" --initrd="$W/initrd" --append="console=ttyS0" --efi-verify=strict --dump-dir "$W/rk"
	setup=$(( ($(od -An -v -tu1 -j $((0x1f1)) -N1 "$RK") + 1) * 512 ))
	tail -c +$((setup + 1)) "$RK" > "$W/rk-pm"
	cmp -s "$W/rk/00-kernel.bin" "$W/rk-pm" && ok "real kernel: kernel segment is the file after the setup sectors" ||
		nok "real kernel: kernel segment is the file after the setup sectors"
	expect "real kernel, broken map: strict refuses with 3" 3 'refusing to load' -- \
		--dry-run $SB -c -l "$RK" --append=x --efi-verify=strict
else
	for t in "strict dry run" "kernel segment" "broken map"; do echo "ok $((n += 1)) - real kernel: $t # SKIP no \$KEXEC_TEST_KERNEL or /work/e2e-art/vmlinuz*"; done
fi
echo "1..$n"
[ "$fails" -eq 0 ]
