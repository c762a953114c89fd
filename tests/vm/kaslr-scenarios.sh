# shellcheck shell=bash
# kaslr-scenarios.sh - sourced by run-vm-tests.sh: physical KASLR on
# kexec_load (issue 6). The guest side is kaslr-scenarios-guest.sh.
#
# kaslr, one guest, 1 GiB: 20 dry runs of ours vs 20 loads by kexec-tools, nokaslr
# and --no-kaslr twice each, then three real hops with ours; the guest has
# a TPM 2.0 (swtpm, VM_TPM=1) so OVMF leaves an event log whose state every
# stage compares with stage 1's; the last stage's log is replayed here into
# PCRs 0-7 and must match its TPM's. A loader's choice
# is printed after its load (the next kernel's command line and initrd are
# sealed by then), so the hop proof is made here from the serial log: the
# address stage N chose is where stage N+1's "Kernel code" starts.
# kaslr_kdump, 2 GiB with crashkernel=256M: 10 dry runs of -p, then a real
# -p load and a crash; the crash kernel runs at the chosen slot, inside the
# region, with a readable vmcore and EFI runtime working.
kaslr_match_hops() {  # kaslr_match_hops SCENARIO HOPS
	local scn=$1 hops=$2 log s chosen got
	log=$(ls -td "$VM_CACHE"/runs/*-"$scn" 2>/dev/null | head -n 1)/serial.log
	if [ ! -f "$log" ]; then
		tap not-ok "$scn: no serial log"
		return
	fi
	for s in $(seq "$hops"); do
		chosen=$(grep -a "KX-KASLR stage=$s chosen=" "$log" | tail -n 1 | sed 's/.*chosen=//; s/[^0-9a-fx].*//')
		got=$(grep -a "KX-KASLR stage=$((s + 1)) kernel_code=" "$log" | tail -n 1 | sed 's/.*kernel_code=//; s/[^0-9a-fx].*//')
		if [ -n "$chosen" ] && [ "$chosen" = "$got" ]; then
			tap ok "$scn: hop $s: stage $((s + 1))'s Kernel code starts at $got, the slot stage $s's loader chose"
		else
			tap not-ok "$scn: hop $s: loader chose '${chosen}', stage $((s + 1))'s Kernel code is at '${got}'"
		fi
	done
	grep -a 'KX-KASLR-MEASURE' "$log" | tail -n 1 | sed 's/^.*KX-KASLR-MEASURE/# kaslr measure:/'
	echo "# kaslr Kernel code by stage: $(grep -a 'KX-KASLR stage=[0-9]* kernel_code=' "$log" | sed 's/^.*stage=\([0-9]*\) kernel_code=\([0-9a-fx]*\).*/\1:\2/' | tr '\n' ' ')"
	grep -a 'KX-TPM stage=' "$log" | sed 's/^.*KX-TPM /# kaslr TPM log: /'
}
# The last stage's event log, replayed here into PCRs 0-7 (tpm-log-replay.py).
kaslr_tpm_replay() {  # kaslr_tpm_replay SCENARIO STAGE
	local scn=$1 stage=$2 log msg
	log=$(ls -td "$VM_CACHE"/runs/*-"$scn" 2>/dev/null | head -n 1)/serial.log
	if msg=$(python3 "$VM_DIR/tpm-log-replay.py" "$log" "$stage" 2>&1); then
		tap ok "$scn: stage $stage's TPM event log: $msg"
	else
		tap not-ok "$scn: stage $stage's TPM event log: $msg"
	fi
}
want kaslr && { VM_TPM=1 run_scenario kaslr 600 1024; kaslr_match_hops kaslr 3; kaslr_tpm_replay kaslr 4; }
# kdump: the crash kernel lands on the random slot inside the crash region.
want kaslr_kdump && { VM_EXTRA_APPEND=crashkernel=256M; run_scenario kaslr_kdump 600 2048; VM_EXTRA_APPEND=; kaslr_match_hops kaslr_kdump 1; }
