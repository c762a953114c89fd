#!/bin/bash
# run-vm-tests.sh - the QEMU+OVMF scenarios, as TAP.
#
# usage: tests/vm/run-vm-tests.sh --build-dir DIR [--only SCENARIO]... [--echo]
#
# Boots a real Debian kernel under OVMF (TCG unless hardware KVM works),
# kexecs inside the guest with our kexec (and Debian's kexec-tools for the
# comparison) and turns every "KX-CHECK" line the guest prints into a TAP
# test point. Scenarios: chain (kexec_file_load, default -a, kexec_load;
# EFI runtime proven at each hop), strict (-S/-u, strict refusal, fallback
# without EFI, --reuse-cmdline/--append), vs_kexec_tools (same hand-off as
# Debian's kexec-tools), kdump and kdump_file (kexec -p, a real crash, the
# crash kernel's vmcore and EFI runtime), kaslr (physical KASLR on kexec_load:
# random slots vs kexec-tools, three real hops keeping the TPM event log of
# a swtpm TPM), kaslr_kdump (the crash kernel on a random slot inside the
# crash region), stub* (Linux -> efi-rt-probe, the target stub, by our
# kexec and by kexec-tools).
# Artifacts: $KEXEC_EFI_VM_CACHE (/var/tmp/kexec-efi-vm).
set -u
. "$(dirname "$(readlink -f "$0")")/vm-lib.sh"

BUILD="" ONLY=()
while [ $# -gt 0 ]; do
	case "$1" in
	--build-dir) BUILD=$2; shift ;;
	--only) ONLY+=("$2"); shift ;;
	--echo) VM_ECHO=1 ;;
	-h|--help) sed -n '2,19p' "$0"; exit 0 ;;
	*) echo "run-vm-tests.sh: unknown argument $1" >&2; exit 2 ;;
	esac
	shift
done
N=0
FAILED=0
tap() {  # tap ok|not-ok TEXT
	N=$((N + 1))
	if [ "$1" = ok ]; then echo "ok $N - $2"; else echo "not ok $N - $2"; FAILED=$((FAILED + 1)); fi
}

if [ -z "$BUILD" ] || [ ! -x "$BUILD/kexec/kexec" ] || [ ! -x "$BUILD/efi-setup-data/efi-setup-data" ]; then
	tap not-ok "vm setup: --build-dir must hold kexec/kexec and efi-setup-data/efi-setup-data"
	exit 1
fi
if ! vm_setup; then
	tap not-ok "vm setup: packages, kernel or OVMF missing (see stderr)"
	exit 1
fi
VM_IMAGES=$VM_CACHE/images
vm_build_initramfs "$BUILD" "$VM_IMAGES" || { tap not-ok "vm setup: initramfs build failed"; exit 1; }
vm_log "kernel $KPKG, accel $ACCEL, images in $VM_IMAGES"
echo "# vm: kernel $KPKG, accel $ACCEL ($CPU)"

# Host-side view of the timing: serial line timestamps of the guest marks.
timings() {  # LOG SCN
	awk -v scn="$2" '
		/KX-MARK stage=1 init/ && !s1 { s1 = $1 }
		/KX-MARK stage=[0-9]+ load/ { load[++nl] = $1 }
		/KX-CHECK stage=[0-9]+ ok load:/ { loaded[++nd] = $1 }
		/KX-MARK stage=[0-9]+ (exec|crash)/ { ex[++ne] = $1 }
		/KX-MARK stage=[2-9] init / { init[++ni] = $1 }
		END {
			printf "# timing %s: boot to stage-1 /init %.1f s", scn, s1
			for (i = 1; i <= ne && i <= ni; i++)
				printf "; hop %d: load %.2f s, kexec -e to next /init %.1f s", i, loaded[i] - load[i], init[i] - ex[i]
			printf "\n"
		}' "$1"
}

# How a scenario ended: its last stage's /init printed KX-RESULT. (Stub
# scenarios end in efi-rt-probe instead: stub-scenarios.sh.)
guest_result() {  # SCN LOG QEMU_RC TIMEOUT
	local scn=$1 log=$2 rc=$3 timeout=$4
	if grep -aq 'KX-RESULT: PASS' "$log"; then
		tap ok "$scn: the guest finished its last stage (KX-RESULT: PASS)"
	elif grep -aq 'KX-RESULT: FAIL' "$log"; then
		tap not-ok "$scn: $(grep -a 'KX-RESULT' "$log" | tail -n 1 | sed 's/^ *[0-9.]* //')"
	else
		tap not-ok "$scn: no result (qemu exit $rc, timeout ${timeout}s); last console lines follow"
		tail -n 25 "$log" | sed 's/^/#   /'
	fi
}

run_scenario() {  # NAME TIMEOUT MEM
	local scn=$1 timeout=$2 mem=$3 nonce run log line
	nonce=$(od -An -tx8 -N8 /dev/urandom | tr -d ' ')
	run=$VM_CACHE/runs/$(date -u +%Y%m%dT%H%M%S)-$scn
	log=$run/serial.log
	vm_log "scenario $scn: $run"
	vm_run "$run" "$timeout" "$mem" "kx_scn=$scn kx_stage=1 kx_nonce=$nonce ${VM_EXTRA_APPEND:-}" > /dev/null 2>&1
	local rc=$?
	while IFS= read -r line; do
		case "$line" in
		*"KX-CHECK stage="*" ok "*) tap ok "$scn: stage ${line#*stage=}" ;;
		*"KX-CHECK stage="*" FAIL "*) tap not-ok "$scn: stage ${line#*stage=}" ;;
		esac
	done < <(grep -a 'KX-CHECK stage=' "$log" | sed 's/^ *[0-9.]* //; s/^.*KX-CHECK /KX-CHECK /; s/ ok / ok /')
	${SCN_RESULT:-guest_result} "$scn" "$log" "$rc" "$timeout"
	# The SetVariable writes reached the firmware's flash (host-side proof).
	if grep -aq 'efi-setvariable' "$log"; then
		if grep -aq "s1:$nonce" "$run/vars.fd"; then
			tap ok "$scn: host finds stage 1's variable in the OVMF varstore"
		else
			tap not-ok "$scn: stage 1's variable is not in the OVMF varstore"
		fi
	fi
	timings "$log" "$scn"
}

want() { [ ${#ONLY[@]} -eq 0 ] && return 0; local o; for o in "${ONLY[@]}"; do [ "$o" = "$1" ] && return 0; done; return 1; }
want chain && run_scenario chain 600 1024
want strict && run_scenario strict 420 1024
want vs_kexec_tools && run_scenario vs_kexec_tools 600 1024
. "$VM_DIR/kdump-scenarios.sh"
. "$VM_DIR/stub-scenarios.sh"
. "$VM_DIR/kaslr-scenarios.sh"
echo "1..$N"
[ "$FAILED" -eq 0 ]
