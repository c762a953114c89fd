# vm-kdump-ab-guest.sh - the guest side of bench/vm-kdump-ab.sh, installed
# as /kx/extra/kdab.sh and sourced by scenarios.sh. One boot = one sample:
# stage 1 loads the crash kernel with the loader named by kx_kdab= (ours:
# kexec -c -p --efi-verify; kt: Debian's kexec-tools -p with its purgatory
# on the serial port) and crashes; stage 2 is the crash kernel's /init.
scenario_kdab() {
	loader=ours
	for arg in $(cat /proc/cmdline); do
		case "$arg" in kx_kdab=*) loader=${arg#*=} ;; esac
	done
	case "$STAGE" in
	1)
		check "crashkernel" "crash kernel memory is reserved" grep -q 'Crash kernel' /proc/iomem
		make_next_initrd
		append="$(next_cmdline 2) irqpoll nr_cpus=1 reset_devices"
		mark "load $loader"
		if [ "$loader" = kt ]; then
			$KT -p /vmlinuz --initrd=/tmp/next-initrd.img --append="$append" \
				--console-serial --serial=0x3f8 --serial-baud=115200 > /tmp/load.out 2>&1
		else
			$KEXEC -c -p /vmlinuz --initrd=/tmp/next-initrd.img --append="$append" --efi-verify > /tmp/load.out 2>&1
		fi
		rc=$?
		sed 's/^/KX-LOAD: /' /tmp/load.out
		check "load-panic" "$loader loaded the crash kernel (rc $rc)" grep -qx 1 /sys/kernel/kexec_crash_loaded
		echo 1 > /proc/sys/kernel/printk
		mark crash
		echo c > /proc/sysrq-trigger
		bad "crash: sysrq-c returned"
		;;
	2)
		check "vmcore" "the crash kernel sees /proc/vmcore" test -s /proc/vmcore
		;;
	esac
}
