# kaslr-scenarios-guest.sh - physical KASLR on kexec_load (issue 6), the
# guest side (sourced by /kx/scenarios.sh; helpers from guest-init.sh).
#
# Stage 1: 20 dry runs of ours against 20 loads by kexec-tools (unloaded
# again, never executed): distinct kernel addresses; nokaslr and --no-kaslr
# twice each give one address. Then three real hops with ours (-c -d,
# stages 2, 3 and 4 each check EFI runtime, the runtime map, that the
# ACPI/DMI tables are byte-identical to stage 1's and that the TPM event
# log is untouched: same TPMEventLog=/TPMFinalLog= on the efi: line, the
# same exported log bytes, the same PCRs 0-7 as stage 1); each
# stage prints "KX-KASLR stage=N chosen=ADDR" for the load it makes and
# "KX-KASLR stage=N kernel_code=ADDR" for itself. The chosen address is only
# known once the load is done, after the next command line and initrd are
# sealed by the purgatory digest, so the host matches stage N's chosen
# against stage N+1's kernel_code in the serial log (kaslr-scenarios.sh).

# Start of "Kernel code" in /proc/iomem, as 0x%x.
kernel_code() {
	x=$(sed -n 's/^ *\([0-9a-f]*\)-[0-9a-f]* : Kernel code$/\1/p' /proc/iomem | head -n 1)
	[ -n "$x" ] && printf '0x%x\n' $((0x$x))
}

# The kernel address from our -d output ("physical KASLR: ... kernel at 0x...").
ours_addr() { sed -n 's/.*physical KASLR: .*kernel at \(0x[0-9a-f]*\).*/\1/p' "$1" | head -n 1; }

# kexec-tools -d: "segment[N].mem = 0x..." / "segment[N].memsz = 0x..."; the
# kernel is the biggest segment. (busybox awk has no strtonum: shell arithmetic.)
kt_addr() {
	best=-1 addr=
	for n in $(sed -n 's/.*segment\[\([0-9]*\)\]\.memsz *[=:] *\(0x[0-9a-fA-F]*\).*/\1/p' "$1"); do
		sz=$(sed -n "s/.*segment\[$n\]\.memsz *[=:] *\(0x[0-9a-fA-F]*\).*/\1/p" "$1" | head -n 1)
		m=$(sed -n "s/.*segment\[$n\]\.mem *[=:] *\(0x[0-9a-fA-F]*\).*/\1/p" "$1" | head -n 1)
		if [ -n "$sz" ] && [ -n "$m" ] && [ $((sz)) -gt $best ]; then best=$((sz)); addr=$(printf '0x%x' $((m))); fi
	done
	[ -n "$addr" ] && echo "$addr"
}

kaslr_here() {
	kc=$(kernel_code)
	echo "KX-KASLR stage=$STAGE kernel_code=$kc"
	case "$kc" in
	0x*) ok "kernel-code: this kernel's Kernel code starts at $kc" ;;
	*) bad "kernel-code: no Kernel code in /proc/iomem" ;;
	esac
	check "kernel-code-aligned" "$kc is 2 MiB aligned and >= 16 MiB" sh -c "test \$(( $kc % 0x200000 )) = 0 && test \$(( $kc )) -ge \$(( 0x1000000 ))"
}

fw_tables_sum() {
	find /sys/firmware/acpi/tables /sys/firmware/dmi/tables -type f 2>/dev/null | sort | xargs cat 2>/dev/null | sha256sum | cut -d' ' -f1
}

# The TPM event log as this kernel sees it (the host gives the kaslr guest a
# swtpm TPM 2.0, so OVMF measures the boot): the TPMEventLog= and
# TPMFinalLog= addresses on this kernel's "efi:" boot line (the tables the
# EFI stub of stage 1 installed, handed on by each loader) and the sha256 of
# the log the TPM driver exports, which it reads from those tables.
TPM_LOG=/sys/kernel/security/tpm0/binary_bios_measurements
efi_line_item() {  # efi_line_item NAME : NAME=0x... from this kernel's efi: line
	dmesg | grep 'efi: .*ACPI' | head -n 1 | sed -n "s/.*[ :]$1=\(0x[0-9a-f]*\).*/\1/p"
}
tpm_state() {  # "EVENTLOG FINALLOG SIZE SHA256 PCRS" of this kernel
	mount | grep -q ' /sys/kernel/security ' || mount -t securityfs securityfs /sys/kernel/security
	el=$(efi_line_item TPMEventLog)
	fl=$(efi_line_item TPMFinalLog)
	sz=$(wc -c < $TPM_LOG 2>/dev/null)
	sum=$(sha256sum < $TPM_LOG 2>/dev/null | cut -d' ' -f1)
	# PCRs 0-7 (firmware and boot): nothing after OVMF extended them.
	pcrs=none
	[ "$(cat /sys/class/tpm/tpm0/pcr-sha256/[0-7] 2>/dev/null | grep -c '^[0-9A-Fa-f]\{64\}$')" = 8 ] &&
		pcrs=$(cat /sys/class/tpm/tpm0/pcr-sha256/[0-7] | sha256sum | cut -d' ' -f1)
	echo "${el:-none} ${fl:-none} ${sz:-0} ${sum:-none} $pcrs"
}
tpm_checks() {
	# shellcheck disable=SC2046 # the state's words become $1..$5
	set -- $(tpm_state)
	echo "KX-TPM stage=$STAGE eventlog=$1 finallog=$2 size=$3 sha256=$4 pcrs0-7=$5"
	if [ "$STAGE" = 1 ]; then
		check "tpm-device" "a TPM 2.0 is present ($(cat /sys/class/tpm/tpm0/device/description 2>/dev/null))" \
			grep -qx 2 /sys/class/tpm/tpm0/tpm_version_major
		check "tpm-eventlog" "the efi: line names TPMEventLog=$1 and the kernel exports a $3-byte crypto-agile log" \
			sh -c "case '$1' in 0x*) ;; *) exit 1;; esac; test $3 -gt 100 && head -c 200 $TPM_LOG | grep -aq 'Spec ID Event03'"
		check "tpm-pcrs" "PCRs 0-7 readable through /sys/class/tpm/tpm0/pcr-sha256 ($5)" test "$5" != none
		echo "$*" > /kx/carry/tpm-log
		return
	fi
	# shellcheck disable=SC2046 # stage 1's words become $6..$10
	set -- "$@" $(cat /kx/carry/tpm-log)
	check "tpm-eventlog-addr" "TPMEventLog=$1 TPMFinalLog=$2 as on stage 1's efi: line ($6 $7)" \
		sh -c "case '$1' in 0x*) ;; *) exit 1;; esac; test '$1 $2' = '$6 $7'"
	check "tpm-eventlog-same" "the exported event log is identical to stage 1's ($3 bytes, sha256 $4)" \
		sh -c "test $3 -gt 100 && test '$3 $4' = '$8 $9'"
	check "tpm-pcrs" "PCRs 0-7 unchanged since stage 1 ($5)" sh -c "test '$5' != none && test '$5' = '${10}'"
	[ "$STAGE" = 4 ] && tpm_dump
}

# The last stage's log and PCRs on the console, for the host to replay the
# log's SHA-256 digests and compare with the PCRs (kaslr-scenarios.sh):
# the log still says how the TPM got to its state, not just the same bytes.
tpm_dump() {
	for i in 0 1 2 3 4 5 6 7; do
		echo "KX-TPM-PCR stage=$STAGE pcr$i=$(cat /sys/class/tpm/tpm0/pcr-sha256/$i 2>/dev/null)"
	done
	base64 < $TPM_LOG | awk -v s="$STAGE" '{ print "KX-TPM-LOG stage=" s " " NR " " $0 } END { print "KX-TPM-LOG-END stage=" s " lines=" NR }'
}

# Load for real with ours, report the slot, jump.
kaslr_hop() {  # kaslr_hop NEXT_STAGE
	make_next_initrd
	mark "load kaslr"
	$KEXEC -c -l /vmlinuz --initrd=/tmp/next-initrd.img --append="$(next_cmdline "$1")" --efi-verify -d > /tmp/load.out 2>&1
	rc=$?
	sed 's/^/KX-LOAD: /' /tmp/load.out
	a=$(ours_addr /tmp/load.out)
	echo "KX-KASLR stage=$STAGE chosen=$a"
	check "load" "kexec -c -l -d exits 0 and reports a random slot ($a, rc $rc)" sh -c "test $rc = 0 && grep -q 'physical KASLR: kernel at $a, slot' /tmp/load.out"
	check "kexec-loaded" "/sys/kernel/kexec_loaded is 1" grep -qx 1 /sys/kernel/kexec_loaded
	echo 1 > /proc/sys/kernel/printk
	mark exec
	$KEXEC -e
	bad "exec: kexec -e returned"
	finish
}

scenario_kaslr() {
	case "$STAGE" in
	1)
		stage1_common
		kaslr_here
		fw_tables_sum > /kx/carry/fw-tables.sha256
		tpm_checks
		head -c 4096 /dev/urandom > /tmp/tiny.img
		: > /tmp/ours.addrs
		: > /tmp/kt.addrs
		i=0
		while [ $i -lt 20 ]; do
			$KEXEC --dry-run -c -l /vmlinuz --initrd=/tmp/tiny.img --append="console=ttyS0" -d > /tmp/dry.out 2>&1
			ours_addr /tmp/dry.out >> /tmp/ours.addrs
			# -c: kexec_load, the syscall ours uses (2.0.25's default too);
			# -i: no digest (placement is the same; saves ~3 s per load under TCG)
			$KT -c -i -l -d /vmlinuz --initrd=/tmp/tiny.img --append="console=ttyS0" > /tmp/kt.out 2>&1
			kt_addr /tmp/kt.out >> /tmp/kt.addrs
			[ $i = 0 ] && grep -v '^ *$' /tmp/kt.out | grep -iE 'segment|error|fail|cannot|usage' | head -n 24 | sed 's/^/KX-KT: /'
			$KT -u > /dev/null 2>&1
			i=$((i + 1))
		done
		n_ours=$(grep -c '^0x' /tmp/ours.addrs)
		d_ours=$(grep '^0x' /tmp/ours.addrs | sort -u | wc -l)
		n_kt=$(grep -c '^0x' /tmp/kt.addrs)
		d_kt=$(grep '^0x' /tmp/kt.addrs | sort -u | wc -l)
		echo "KX-KASLR ours: $(tr '\n' ' ' < /tmp/ours.addrs)"
		echo "KX-KASLR kexec-tools: $(tr '\n' ' ' < /tmp/kt.addrs)"
		echo "KX-KASLR-MEASURE ours_runs=$n_ours ours_distinct=$d_ours kt_runs=$n_kt kt_distinct=$d_kt"
		check "kaslr-distinct" "20 dry runs of ours give >= 15 distinct kernel addresses ($d_ours of $n_ours)" \
			sh -c "test $n_ours = 20 && test $d_ours -ge 15"
		check "kexec-tools-fixed" "20 loads by kexec-tools give 1 kernel address ($d_kt distinct of $n_kt)" \
			sh -c "test $n_kt = 20 && test $d_kt = 1"
		for how in nokaslr --no-kaslr; do
			: > /tmp/fixed.addrs
			for j in 1 2; do
				if [ $how = nokaslr ]; then
					$KEXEC --dry-run -c -l /vmlinuz --initrd=/tmp/tiny.img --append="console=ttyS0 nokaslr" -d > /tmp/dry.out 2>&1
				else
					$KEXEC --dry-run -c -l /vmlinuz --initrd=/tmp/tiny.img --append="console=ttyS0" --no-kaslr -d > /tmp/dry.out 2>&1
				fi
				grep -q 'physical KASLR: off' /tmp/dry.out && ours_addr /tmp/dry.out >> /tmp/fixed.addrs
			done
			check "kaslr-off" "$how: KASLR off, the same address twice ($(tr '\n' ' ' < /tmp/fixed.addrs))" \
				sh -c "test \$(grep -c '^0x' /tmp/fixed.addrs) = 2 && test \$(sort -u /tmp/fixed.addrs | wc -l) = 1"
		done
		kaslr_hop 2
		;;
	2|3|4)
		kaslr_here
		efi_runtime_checks
		diff_against s1
		check "fw-tables" "ACPI and DMI tables are byte-identical to stage 1's" sh -c "test \"$(fw_tables_sum)\" = \"\$(cat /kx/carry/fw-tables.sha256)\""
		tpm_checks
		[ "$STAGE" -lt 4 ] && kaslr_hop $((STAGE + 1))
		;;
	esac
}

# "Crash kernel" of /proc/iomem as "START END" (inclusive end, 0x%x).
crash_region() {
	sed -n 's/^ *\([0-9a-f]*\)-\([0-9a-f]*\) : Crash kernel$/\1 \2/p' /proc/iomem | head -n 1 |
		while read -r s e; do printf '0x%x 0x%x\n' $((0x$s)) $((0x$e)); done
}

# kdump (crashkernel=256M, 2 GiB): 10 dry runs of -p land on distinct slots
# inside the crash region; then a real -p load and a crash. The crash
# kernel's Kernel code must lie inside the region (carried in the initrd,
# known before the load) and at the slot the loader chose (host side).
scenario_kaslr_kdump() {
	case "$STAGE" in
	1)
		stage1_common
		set -- $(crash_region)
		cs=$1 ce=$2
		echo "$cs $ce" > /kx/carry/crash-region
		check "crash-region" "crashkernel=256M reserved $cs-$ce" test -n "$ce"
		head -c 4096 /dev/urandom > /tmp/tiny.img
		isz=$(od -An -tu4 -j $((0x260)) -N4 /vmlinuz | tr -d ' ')   # init_size
		: > /tmp/p.addrs
		inside=0
		for i in 1 2 3 4 5 6 7 8 9 10; do
			$KEXEC --dry-run -c -p /vmlinuz --initrd=/tmp/tiny.img --append="console=ttyS0 irqpoll nr_cpus=1" -d > /tmp/dry.out 2>&1 ||
				sed 's/^/KX-DRY: /' /tmp/dry.out | tail -n 5
			a=$(ours_addr /tmp/dry.out)
			[ -n "$a" ] && echo "$a" >> /tmp/p.addrs
			[ -n "$a" ] && [ $((a)) -ge $((cs)) ] && [ $((a + isz)) -le $((ce + 1)) ] && inside=$((inside + 1))
		done
		d=$(sort -u /tmp/p.addrs | grep -c 0x)
		echo "KX-KASLR kdump dry runs: $(tr '\n' ' ' < /tmp/p.addrs)"
		check "kdump-dry-distinct" "10 dry runs of -p: $d distinct addresses, $inside with [slot, slot + init_size) inside $cs-$ce" \
			sh -c "test $d -ge 5 && test $inside = 10"
		make_next_initrd
		$KEXEC -c -p /vmlinuz --initrd=/tmp/next-initrd.img --append="$(next_cmdline 2) irqpoll nr_cpus=1 reset_devices" --efi-verify -d > /tmp/load.out 2>&1
		rc=$?
		sed 's/^/KX-LOAD: /' /tmp/load.out
		a=$(ours_addr /tmp/load.out)
		echo "KX-KASLR stage=$STAGE chosen=$a"
		check "load-panic" "kexec -c -p -d exits 0 with a random slot ($a, rc $rc)" sh -c "test $rc = 0 && grep -q 'physical KASLR: kernel at $a, slot' /tmp/load.out"
		check "crash-loaded" "/sys/kernel/kexec_crash_loaded is 1" grep -qx 1 /sys/kernel/kexec_crash_loaded
		echo 1 > /proc/sys/kernel/printk
		mark crash
		echo c > /proc/sysrq-trigger
		bad "crash: sysrq-c returned"
		;;
	2)
		mark "crash-kernel-init"
		kaslr_here
		set -- $(cat /kx/carry/crash-region)
		check "kernel-in-crash-region" "Kernel code $kc is inside the first kernel's Crash kernel $1-$2" \
			sh -c "test \$(( $kc )) -ge \$(( $1 )) && test \$(( $kc )) -le \$(( $2 ))"
		check "vmcore" "/proc/vmcore exists and is an ELF64 core" sh -c "head -c 5 /proc/vmcore | od -An -c | tr -d ' \n' | grep -q '177ELF002'"
		check "vmcoreinfo" "the vmcore carries the VMCOREINFO note" sh -c "head -c 65536 /proc/vmcore | grep -aq VMCOREINFO"
		efi_runtime_checks
		;;
	esac
}
