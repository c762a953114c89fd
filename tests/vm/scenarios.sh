# scenarios.sh - what each VM scenario does at each stage (sourced by /init).
# Helpers (ok, bad, check, load_and_jump, ...) come from guest-init.sh.

KEXEC=/sbin/kexec
KT=/opt/kexec-tools/sbin/kexec      # Debian's kexec-tools, for comparison

stage1_common() {
	if efivarfs_up; then
		printf '\007\000\000\000s1:%s' "$NONCE" > $EFIVARS/KxNonce1-$GUID && ok "efi-nonce-write: KxNonce1 = s1:$NONCE" ||
			bad "efi-nonce-write: SetVariable failed in stage 1"
	else
		bad "efivarfs: cannot mount in stage 1"
	fi
	if efi-setup-data verify > /tmp/verify.out 2>&1; then
		ok "efi-setup-data-verify: stage 1 hand-off safe ($(tail -n 1 /tmp/verify.out))"
	else
		sed 's/^/KX-VERIFY: /' /tmp/verify.out
		bad "efi-setup-data-verify: exit $?"
	fi
	snapshot_here s1
}

have_setup_efi() {
	for t in /sys/kernel/boot_params/setup_data/*/type; do
		[ "$(cat "$t" 2>/dev/null)" = 0x4 ] && return 0
	done
	return 1
}

# Scenarios 1-3 of the loader issue: kexec_file_load (-s), then the default
# (-a), then kexec_load (-c), each with --efi-verify; every hop proves EFI
# runtime works and that the map equals stage 1's.
scenario_chain() {
	case "$STAGE" in
	1)
		stage1_common
		make_next_initrd
		load_and_jump $KEXEC -s -l /vmlinuz --initrd=/tmp/next-initrd.img --append="$(next_cmdline 2)" --efi-verify
		;;
	2|3|4)
		efi_runtime_checks
		diff_against s1
		check "setup-efi" "a SETUP_EFI node was handed over" have_setup_efi
		if [ "$STAGE" = 4 ]; then
			check "purgatory-mark" "our purgatory ran its checks (kexec_efi.purgatory=ok)" grep -q 'kexec_efi.purgatory=ok' /proc/cmdline
			return
		fi
		make_next_initrd
		if [ "$STAGE" = 2 ]; then
			load_and_jump $KEXEC -l /vmlinuz --initrd=/tmp/next-initrd.img --append="$(next_cmdline 3)" --efi-verify
		else
			load_and_jump $KEXEC -c -l /vmlinuz --initrd=/tmp/next-initrd.img --append="$(next_cmdline 4)" --efi-verify -d
		fi
		;;
	esac
}

# Scenarios 4-5: -S, -u, strict refusal with a broken map (an earlier image
# stays loaded), then fallback: the next kernel boots without EFI; the
# command line comes from --reuse-cmdline + --append.
scenario_strict() {
	case "$STAGE" in
	1)
		stage1_common
		make_next_initrd
		$KEXEC -c -l /vmlinuz --initrd=/tmp/next-initrd.img --append="$(next_cmdline 9)"
		check "load-good" "kexec -c -l of a good image: kexec_loaded 1" grep -qx 1 /sys/kernel/kexec_loaded
		$KEXEC -S -l; rc=$?
		check "status-loaded" "kexec -S -l exits 1 when loaded (got $rc)" test "$rc" = 1
		$KEXEC -u; rc=$?
		check "unload" "kexec -u exits 0 and kexec_loaded is 0 (rc $rc)" sh -c "test $rc = 0 && grep -qx 0 /sys/kernel/kexec_loaded"
		$KEXEC -S -l; rc=$?
		check "status-unloaded" "kexec -S -l exits 0 when nothing is loaded (got $rc)" test "$rc" = 0
		$KEXEC -c -l /vmlinuz --initrd=/tmp/next-initrd.img --append="$(next_cmdline 9)"
		check "reload" "the good image is loaded again" grep -qx 1 /sys/kernel/kexec_loaded
		# A broken runtime map: descriptor 1's VA moved out of the EFI window.
		cp -r /sys/firmware/efi/runtime-map /tmp/rtmap
		echo 0xffff888000000000 > /tmp/rtmap/1/virt_addr
		mount --bind /tmp/rtmap /sys/firmware/efi/runtime-map
		$KEXEC -c -l /vmlinuz --initrd=/tmp/next-initrd.img --append="$(next_cmdline 9)" --efi-verify > /tmp/strict.out 2>&1
		rc=$?
		sed 's/^/KX-STRICT: /' /tmp/strict.out
		check "strict-refuses" "--efi-verify with a broken map exits 3 (got $rc)" test "$rc" = 3
		check "strict-names-rule" "the refusal names rule 8.4.3 and the descriptor" grep -q '8.4.3 fatal virt-window: runtime-map/1' /tmp/strict.out
		check "strict-keeps-earlier" "the earlier image is still loaded" grep -qx 1 /sys/kernel/kexec_loaded
		$KEXEC -c -l /vmlinuz --initrd=/tmp/next-initrd.img --reuse-cmdline --append="kx_stage=2 kx_extra=appended" --efi-verify=fallback > /tmp/fb.out 2>&1
		rc=$?
		sed 's/^/KX-FALLBACK: /' /tmp/fb.out
		check "fallback-loads" "--efi-verify=fallback loads (rc $rc) and says EFI is dropped" sh -c "test $rc = 0 && grep -q 'WITHOUT the EFI hand-off' /tmp/fb.out"
		umount /sys/firmware/efi/runtime-map
		echo 1 > /proc/sys/kernel/printk
		mark exec
		$KEXEC -e
		bad "exec: kexec -e returned"
		;;
	2)
		ok "userspace: the fallback kernel reached /init"
		check "no-efi" "no EFI in the next kernel (/sys/firmware/efi absent)" test ! -e /sys/firmware/efi
		check "acpi-kept" "ACPI still found (acpi_rsdp_addr kept)" sh -c "dmesg | grep -q 'ACPI: RSDP'"
		check "reuse-cmdline" "--reuse-cmdline carried console= and kx_nonce=" sh -c "grep -q 'console=ttyS0' /proc/cmdline && grep -q 'kx_nonce=$NONCE' /proc/cmdline"
		check "append" "--append added kx_extra=appended" grep -q 'kx_extra=appended' /proc/cmdline
		check "no-initrd-arg" "the firmware loader's initrd= was not reused" sh -c "! grep -q 'initrd=initrd' /proc/cmdline"
		;;
	esac
}

# Scenario 6: what the next kernel receives is the same whichever loader
# loaded it: Debian's kexec-tools hands stage 1 over to stage 2, ours hands
# stage 2 over to stage 3; both received SETUP_EFI payloads and maps match.
scenario_vs_kexec_tools() {
	case "$STAGE" in
	1)
		stage1_common
		make_next_initrd
		load_and_jump $KT -l /vmlinuz --initrd=/tmp/next-initrd.img --append="$(next_cmdline 2)"
		;;
	2)
		efi_runtime_checks
		for d in /sys/kernel/boot_params/setup_data/*; do
			[ "$(cat $d/type)" = 0x4 ] && cp $d/data /kx/carry/setup-efi-kexec-tools.bin
		done
		check "kexec-tools-setup-efi" "kexec-tools handed over a SETUP_EFI node" test -s /kx/carry/setup-efi-kexec-tools.bin
		snapshot_here s2-kexec-tools
		make_next_initrd
		load_and_jump $KEXEC -c -l /vmlinuz --initrd=/tmp/next-initrd.img --append="$(next_cmdline 3)" --efi-verify
		;;
	3)
		efi_runtime_checks
		for d in /sys/kernel/boot_params/setup_data/*; do
			[ "$(cat $d/type)" = 0x4 ] && cp $d/data /tmp/setup-efi-ours.bin
		done
		check "same-setup-efi" "SETUP_EFI payload from our kexec == from kexec-tools ($(od -An -tx8 -N32 /tmp/setup-efi-ours.bin | tr -s ' '))" \
			cmp /tmp/setup-efi-ours.bin /kx/carry/setup-efi-kexec-tools.bin
		diff_against s2-kexec-tools
		diff_against s1
		;;
	esac
}

# The README's demo: show the report, the jump, and EFI working afterwards.
scenario_demo() {
	case "$STAGE" in
	1)
		echo "KX-SAY ==== stage 1: Linux booted by OVMF; the hand-off as efi-setup-data sees it"
		efi-setup-data dump | head -n 60 | sed 's/^/KX-SAY   /'
		stage1_common
		make_next_initrd
		echo "KX-SAY ==== kexec --efi-verify: check every rule, load, then jump"
		load_and_jump $KEXEC -c -l /vmlinuz --initrd=/tmp/next-initrd.img --append="$(next_cmdline 2)" --efi-verify -d
		;;
	2)
		echo "KX-SAY ==== stage 2: the kexec'ed kernel; EFI runtime services through its new EFI page tables"
		dmesg | grep -E 'efi: EFI v|Command line' | sed 's/^/KX-SAY   /'
		efi_runtime_checks
		ls $EFIVARS | head -n 8 | sed 's/^/KX-SAY   variable: /'
		diff_against s1
		;;
	esac
}

# kdump: kexec -p with the EFI hand-off, then a real crash; the crash kernel
# has /proc/vmcore (ELF core), and EFI runtime works there. SYSCALL picks
# kexec_load (-c) or kexec_file_load (-s).
# Bytes of System RAM (top level of /proc/iomem) minus the crash reservations.
ram_outside_crash() {
	total=0
	while IFS= read -r l; do
		t=${l#"${l%%[! ]*}"}          # without the nesting indent
		r=${t%% :*}
		s=${r%-*} e=${r#*-}
		case "$t" in
		*" : System RAM") [ "$t" = "$l" ] && total=$((total + 0x$e - 0x$s + 1)) ;;
		*" : Crash kernel") total=$((total - (0x$e - 0x$s + 1))) ;;
		esac
	done < /proc/iomem
	echo $total
}

u64() { od -An -v -tx8 -j "$2" -N8 "$1" | tr -d ' '; }
# Sum of p_memsz of the vmcore's PT_LOADs that map RAM (the kernel-text
# alias, a virtual address in the kernel image map, is left out).
vmcore_load_bytes() {
	phoff=$((0x$(u64 /proc/vmcore 32)))
	phnum=$(od -An -tu2 -j 56 -N2 /proc/vmcore | tr -d ' ')
	sum=0 i=0
	while [ "$i" -lt "$phnum" ]; do
		o=$((phoff + i * 56))
		type=$(od -An -tu4 -j $o -N4 /proc/vmcore | tr -d ' ')
		vaddr=$(u64 /proc/vmcore $((o + 16)))
		if [ "$type" = 1 ] && [ "${vaddr#ffffffff}" = "$vaddr" ]; then
			sum=$((sum + 0x$(u64 /proc/vmcore $((o + 40)))))
		fi
		i=$((i + 1))
	done
	echo $sum
}

scenario_kdump() {
	case "$STAGE" in
	1)
		stage1_common
		check "crashkernel" "crash kernel memory is reserved" grep -q 'Crash kernel' /proc/iomem
		ram_outside_crash > /kx/carry/ram-bytes
		make_next_initrd
		$KEXEC -c -p /vmlinuz --initrd=/tmp/next-initrd.img --append="$(next_cmdline 2)" > /dev/null 2>&1
		$KEXEC -p -u; rc=$?
		check "unload-panic" "kexec -p -u unloads the crash image (rc $rc)" sh -c "test $rc = 0 && grep -qx 0 /sys/kernel/kexec_crash_loaded"
		if [ "$SCN" = kdump_fallback ]; then
			# a broken map: the crash image must still boot and dump
			cp -r /sys/firmware/efi/runtime-map /tmp/rtmap
			echo 0xffff888000000000 > /tmp/rtmap/1/virt_addr
			mount --bind /tmp/rtmap /sys/firmware/efi/runtime-map
		fi
		$KEXEC ${KDUMP_SYSCALL:--c} -p /vmlinuz --initrd=/tmp/next-initrd.img \
			--append="$(next_cmdline 2) irqpoll nr_cpus=1 reset_devices" --efi-verify${KDUMP_MODE:-} -d > /tmp/load.out 2>&1
		rc=$?
		sed 's/^/KX-LOAD: /' /tmp/load.out
		check "load-panic" "kexec ${KDUMP_SYSCALL:--c} -p --efi-verify exits 0 (got $rc)" test "$rc" = 0
		check "crash-loaded" "/sys/kernel/kexec_crash_loaded is 1" grep -qx 1 /sys/kernel/kexec_crash_loaded
		$KEXEC -S; rc=$?
		check "status-crash" "kexec -S exits 1 with a crash image loaded (got $rc)" test "$rc" = 1
		echo 1 > /proc/sys/kernel/printk
		mark crash
		echo c > /proc/sysrq-trigger
		bad "crash: sysrq-c returned"
		;;
	2)
		mark "crash-kernel-init"
		check "vmcore" "/proc/vmcore exists and is an ELF64 core" sh -c "head -c 5 /proc/vmcore | od -An -c | tr -d ' \n' | grep -q '177ELF002'"
		check "vmcoreinfo" "the vmcore carries the VMCOREINFO note" sh -c "head -c 65536 /proc/vmcore | grep -aq VMCOREINFO"
		got=$(vmcore_load_bytes)
		want=$(cat /kx/carry/ram-bytes)
		if [ "$SCN" = kdump_file ]; then
			# kexec_file_load: the kernel writes the header itself and leaves
			# out the low 640 KiB it keeps reserved (no backup copy).
			check "pt-load-coverage" "the kernel-built PT_LOADs cover the System RAM outside the crash region but the first MiB ($got of $want bytes)" \
				sh -c "test $got -le $want && test $got -ge $((want - 1048576))"
		else
			check "pt-load-coverage" "the vmcore's RAM PT_LOADs cover the first kernel's System RAM outside the crash region ($got of $want bytes)" test "$got" = "$want"
		fi
		vmcore_size=$(ls -l /proc/vmcore | awk '{print $5}')
		dump=$(makedumpfile -F -l -d 31 /proc/vmcore 2>/tmp/mdf.err | wc -c)
		if [ "$dump" -gt 1000000 ] && [ "$dump" -lt "$vmcore_size" ]; then
			ok "makedumpfile: read /proc/vmcore ($vmcore_size bytes) and wrote a -d 31 dump of $dump bytes"
		else
			bad "makedumpfile: dump of $dump bytes from $vmcore_size ($(tail -n 2 /tmp/mdf.err | tr '\n' ' '))"
		fi
		if [ "$SCN" = kdump_fallback ]; then
			check "no-efi" "the fallback crash kernel runs without EFI" test ! -e /sys/firmware/efi
			check "acpi-rsdp" "acpi_rsdp= on its command line" grep -q 'acpi_rsdp=0x' /proc/cmdline
			return
		fi
		efi_runtime_checks
		diff_against s1
		;;
	esac
}
scenario_kdump_file() { KDUMP_SYSCALL=-s; scenario_kdump; }
scenario_kdump_fallback() { KDUMP_MODE==fallback; scenario_kdump; }

# The purgatory's last check: the EFI System Table is damaged in memory
# after the load (through /dev/mem); purgatory must notice just before the
# jump and boot the next kernel without EFI, leaving its mark.
scenario_purgatory_corrupt() {
	case "$STAGE" in
	1)
		stage1_common
		make_next_initrd
		$KEXEC -c -l /vmlinuz --initrd=/tmp/next-initrd.img --append="$(next_cmdline 2)" --efi-verify > /tmp/load.out 2>&1
		check "load" "kexec -c -l --efi-verify accepted the intact hand-off" grep -qx 1 /sys/kernel/kexec_loaded
		st=$(od -An -tu4 -j $((0x1c4)) -N4 /sys/kernel/boot_params/data | tr -d ' ')
		before=$(devmem $st 32)
		devmem $st 32 0x20494243
		after=$(devmem $st 32)
		check "corrupt" "System Table signature at $(printf 0x%x "$st") changed $before -> $after through /dev/mem" test "$before" != "$after"
		echo 1 > /proc/sys/kernel/printk
		mark exec
		$KEXEC -e
		bad "exec: kexec -e returned"
		;;
	2)
		ok "userspace: the next kernel reached /init"
		check "purgatory-mark" "purgatory left kexec_efi.purgatory=efi-dropped:systab-signature" grep -q 'kexec_efi.purgatory=efi-dropped:systab-signature' /proc/cmdline
		check "no-efi" "booted without EFI instead of faulting (/sys/firmware/efi absent)" test ! -e /sys/firmware/efi
		check "acpi-kept" "ACPI still found (acpi_rsdp_addr kept)" sh -c "dmesg | grep -q 'ACPI: RSDP'"
		;;
	esac
}

# Scenarios added to the initramfs by other harnesses (bench/vm-ab.sh puts
# its guest side here through VM_EXTRA_FILES).
for f in /kx/extra/*.sh; do
	[ -r "$f" ] && . "$f"
done

# Linux -> efi-rt-probe (the target stub): stub, stub_file, stub_kexec_tools, stub_missing_desc.
. /kx/stub-scenarios-guest.sh
. /kx/kaslr-scenarios-guest.sh   # scenario_kaslr (issue 6)
