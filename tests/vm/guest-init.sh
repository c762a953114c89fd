#!/bin/sh
# /init of the VM tests (busybox ash, PID 1). The kernel command line says
# what to do:
#   kx_scn=NAME   the scenario (chain, strict, vs-kexec-tools, kdump)
#   kx_stage=N    1 = booted by OVMF, 2.. = kexec'ed (the last one counts)
#   kx_nonce=HEX  written to an EFI variable in stage 1, read back later
# Every assertion prints one line "KX-CHECK stage=N ok|FAIL name: detail";
# the host turns them into TAP. The run ends with "KX-RESULT: PASS|FAIL"
# and a power-off.
export PATH=/sbin:/bin:/usr/sbin:/usr/bin
umask 022
mount -t devtmpfs devtmpfs /dev 2>/dev/null
# A later stage's initramfs may lack /dev/console: use the devtmpfs one.
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mkdir -p /tmp /run /kx/carry
ln -sf /proc/mounts /etc/mtab

SCN=none STAGE=1 NONCE=none
set -f   # no globbing of command-line words
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	kx_scn=*) SCN=${arg#*=} ;;
	kx_stage=*) STAGE=${arg#*=} ;;
	kx_nonce=*) NONCE=${arg#*=} ;;
	esac
done
set +f
GUID=5ef1a0c3-4b2d-4c6e-9d7a-6b1f2e3d4c5b
EFIVARS=/sys/firmware/efi/efivars
FAILS=0

now() { awk '/^now at/ {printf "%.3f", $3/1000000000; exit}' /proc/timer_list; }
mark() { echo "KX-MARK stage=$STAGE $* t=$(now)"; }
ok() { echo "KX-CHECK stage=$STAGE ok $*"; }
bad() { echo "KX-CHECK stage=$STAGE FAIL $*"; FAILS=$((FAILS + 1)); }
check() {  # check NAME DETAIL CMD... : ok when CMD succeeds
	n=$1 d=$2
	shift 2
	if "$@" >/tmp/check.out 2>&1; then ok "$n: $d"; else bad "$n: $d ($(tail -n 3 /tmp/check.out | tr '\n' ' '))"; fi
}
finish() {
	echo 1 > /proc/sys/kernel/printk 2>/dev/null
	mark done
	if [ "$FAILS" -eq 0 ]; then echo "KX-RESULT: PASS"; else echo "KX-RESULT: FAIL ($FAILS failed)"; fi
	sync
	poweroff -f
	sleep 5
	echo o > /proc/sysrq-trigger
	sleep 100
}

mark "init scn=$SCN"
echo "KX-INFO stage=$STAGE cmdline=$(cat /proc/cmdline)"
echo 4 > /proc/sys/kernel/printk

efivarfs_up() {
	[ -d $EFIVARS ] || return 1
	insmod /lib/modules/efivarfs.ko 2>/dev/null
	mount | grep -q " $EFIVARS " || mount -t efivarfs efivarfs $EFIVARS
}

# EFI runtime works in this kernel: its page tables map what the firmware
# touches (GetNextVariableName, GetVariable, SetVariable round trips).
efi_runtime_checks() {
	if ! efivarfs_up; then
		bad "efivarfs: cannot mount efivarfs ($(ls /sys/firmware/efi 2>&1 | tr '\n' ' '))"
		return
	fi
	n=$(ls $EFIVARS | wc -l)
	if [ "$n" -gt 5 ]; then ok "efi-getnextvariablename: $n variables listed"; else bad "efi-getnextvariablename: only $n variables"; fi
	b=$(od -An -tx1 -v $EFIVARS/BootOrder-8be4df61-93ca-11d2-aa0d-00e098032b8c 2>/dev/null | wc -w)
	if [ "$b" -ge 6 ]; then ok "efi-getvariable: BootOrder has $b bytes"; else bad "efi-getvariable: BootOrder unreadable"; fi
	v=$(tail -c +5 $EFIVARS/KxNonce1-$GUID 2>/dev/null)
	if [ "$v" = "s1:$NONCE" ]; then ok "efi-nonce: stage 1's variable reads back ($v)"; else bad "efi-nonce: read '$v', expected 's1:$NONCE'"; fi
	printf '\007\000\000\000s%s:%s' "$STAGE" "$NONCE" > $EFIVARS/KxNonce$STAGE-$GUID 2>/tmp/setvar.err
	v=$(tail -c +5 $EFIVARS/KxNonce$STAGE-$GUID 2>/dev/null)
	if [ "$v" = "s$STAGE:$NONCE" ]; then ok "efi-setvariable: wrote and read back $v"; else bad "efi-setvariable: read '$v' ($(cat /tmp/setvar.err))"; fi
	if dmesg | grep -E 'disabling EFI runtime|EFI Runtime Services are disabled|Froze efi_rts_wq|Page fault caused by firmware|Oops:|BUG:|general protection fault|WARNING: CPU|Kernel panic' > /tmp/bad.dmesg; then
		bad "dmesg-clean: $(head -n 2 /tmp/bad.dmesg | tr '\n' ' ')"
	else
		ok "dmesg-clean: no EFI runtime error, oops or warning"
	fi
}

# The next initramfs: the base image, itself again as /next.img, and /kx/carry.
make_next_initrd() {
	(cd / && echo next.img | cpio -o -H newc 2>/dev/null) > /tmp/self.cpio
	(cd / && find kx/carry | cpio -o -H newc 2>/dev/null) > /tmp/carry.cpio
	cat /next.img /tmp/self.cpio /tmp/carry.cpio > /tmp/next-initrd.img
}

next_cmdline() {  # next_cmdline STAGE : this command line for the given stage
	c=""
	set -f
	for arg in $(cat /proc/cmdline); do
		case "$arg" in
		kx_stage=*|initrd=*|BOOT_IMAGE=*|kexec_efi.*|crashkernel=*) ;;
		*) c="$c $arg" ;;
		esac
	done
	set +f
	echo "${c# } kx_stage=$1"
}

# Load with LOADER ARGS... and jump; times the load.
load_and_jump() {
	mark "load $*"
	t0=$(now)
	"$@" > /tmp/load.out 2>&1
	rc=$?
	sed 's/^/KX-LOAD: /' /tmp/load.out
	if [ $rc -ne 0 ]; then
		bad "load: $* exited $rc"
		finish
	fi
	ok "load: $1 loaded the next kernel in $(awk -v a="$t0" -v b="$(now)" 'BEGIN{printf "%.2f", b-a}') s"
	check "kexec-loaded" "/sys/kernel/kexec_loaded is 1" grep -qx 1 /sys/kernel/kexec_loaded
	echo 1 > /proc/sys/kernel/printk
	mark "exec"
	/sbin/kexec -e
	bad "exec: kexec -e returned"
	finish
}

snapshot_here() {  # snapshot_here NAME : efi-setup-data snapshot into the carry
	if efi-setup-data snapshot -o /kx/carry/$1 > /tmp/snap.out 2>&1; then
		ok "snapshot: efi-setup-data snapshot of stage $STAGE as $1"
	else
		bad "snapshot: $(tail -n 2 /tmp/snap.out | tr '\n' ' ')"
	fi
}

diff_against() {  # diff_against NAME : the map we got equals the one stage 1 had
	if efi-setup-data diff /kx/carry/$1 > /tmp/diff.out 2>&1; then
		ok "efi-setup-data-diff: same runtime map, fw_vendor, tables as $1 ($(tail -n 1 /tmp/diff.out))"
	else
		sed 's/^/KX-DIFF: /' /tmp/diff.out
		bad "efi-setup-data-diff: differs from $1"
	fi
}

. /kx/scenarios.sh
scenario_$SCN
finish
