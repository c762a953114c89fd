# stub-scenarios.sh - sourced by run-vm-tests.sh: Linux (OVMF) kexecs into
# efi-rt-probe, the companion target stub, which builds its own EFI page
# tables from the hand-off, calls runtime services and reports on COM1.
# The guest's stage 1 is in stub-scenarios-guest.sh; the verdict is the
# probe's, read here from the serial log.

# One verdict line, the expected one, and how the VM ended.
stub_result() {  # SCN LOG QEMU_RC TIMEOUT
	local scn=$1 log=$2 rc=$3 timeout=$4 verdicts verdict vars want t_exec t_first t_verdict
	verdicts=$(grep -a 'EFI-RT-PROBE: \(PASS\|FAIL\)' "$log" | sed 's/^ *[0-9.]* //; s/^.*EFI-RT-PROBE: //')
	verdict=$(printf '%s\n' "$verdicts" | head -n 1)
	if [ -z "$verdicts" ]; then
		tap not-ok "$scn: efi-rt-probe gave no verdict (qemu exit $rc, timeout ${timeout}s); last console lines follow"
		tail -n 25 "$log" | sed 's/^/#   /'
		return
	fi
	if [ "$(printf '%s\n' "$verdicts" | wc -l)" -ne 1 ]; then
		tap not-ok "$scn: efi-rt-probe printed more than one verdict: $(printf '%s' "$verdicts" | tr '\n' '|')"
	fi
	if grep -aq 'EFI-RT-PROBE: page tables: [45]-level' "$log"; then
		tap ok "$scn: the probe built its own page tables ($(grep -a 'EFI-RT-PROBE: page tables' "$log" | sed 's/.*page tables: //'))"
	else
		tap not-ok "$scn: the probe did not report its page tables"
	fi
	case "$STUB_EXPECT" in
	PASS)
		vars=$(printf '%s\n' "$verdict" | sed -n 's/^PASS GetTime ok, \([0-9]*\) variables read.*/\1/p')
		want=$(grep -a 'KX-INFO stage=1 efivars=' "$log" | sed 's/.*efivars=//' | tr -d '\r' | head -n 1)
		if [ -n "$vars" ] && [ "$vars" = "$want" ]; then
			tap ok "$scn: efi-rt-probe: $verdict (stage 1's kernel listed $want variables)"
		else
			tap not-ok "$scn: efi-rt-probe: '$verdict', expected PASS with the $want variables stage 1 listed"
		fi
		if grep -aq 'EFI-RT-PROBE: GetTime: [0-9]\{4\}-' "$log"; then
			tap ok "$scn: GetTime through the virtual mapping: $(grep -a 'EFI-RT-PROBE: GetTime:' "$log" | sed 's/.*GetTime: //')"
		else
			tap not-ok "$scn: no GetTime result"
		fi
		# ResetSystem is one more runtime call: it must power the VM off
		# (the ACPI fallback would print that ResetSystem returned).
		if [ "$rc" = 0 ] && grep -aq 'EFI-RT-PROBE: ResetSystem(EfiResetShutdown)' "$log" &&
			! grep -aq 'ResetSystem returned' "$log"; then
			tap ok "$scn: ResetSystem(EfiResetShutdown) powered the VM off"
		else
			tap not-ok "$scn: ResetSystem did not power off (qemu exit $rc$(grep -aq 'ResetSystem returned' "$log" && echo ', it returned'))"
		fi
		;;
	FAIL)
		case "$verdict" in
		"FAIL #PF page fault at "*" in $STUB_FAIL_OP: no runtime descriptor maps that address")
			tap ok "$scn: efi-rt-probe: $verdict" ;;
		*)
			tap not-ok "$scn: efi-rt-probe: '$verdict', expected a page fault in $STUB_FAIL_OP naming the missing descriptor" ;;
		esac
		if grep -aq 'EFI-RT-PROBE: CR2 (the faulting address) 0x[0-9a-f]* lies in no runtime descriptor; below: #' "$log"; then
			tap ok "$scn: the fault report names CR2 and the neighbouring descriptors"
		else
			tap not-ok "$scn: the fault report lacks CR2 and the neighbouring descriptors"
		fi
		[ "$rc" = 0 ] && tap ok "$scn: the VM powered off after the fault (no hang)" ||
			tap not-ok "$scn: qemu exit $rc after the fault"
		;;
	esac
	# Linux -> stub round: kexec -e to the probe's first line and verdict.
	t_exec=$(grep -a 'KX-MARK stage=1 exec' "$log" | head -n 1 | awk '{print $1}')
	t_first=$(grep -a 'EFI-RT-PROBE: efi-rt-probe' "$log" | head -n 1 | awk '{print $1}')
	t_verdict=$(grep -a 'EFI-RT-PROBE: \(PASS\|FAIL\)' "$log" | head -n 1 | awk '{print $1}')
	t_start=$(grep -a 'KX-MARK stage=1 init' "$log" | head -n 1 | awk '{print $1}')
	[ -n "$t_exec" ] && [ -n "$t_first" ] && [ -n "$t_verdict" ] &&
		awk -v s="$scn" -v i="$t_start" -v e="$t_exec" -v f="$t_first" -v v="$t_verdict" -v q="$(grep -a 'KX-HOST qemu-exit' "$log" | awk '{print $1}')" \
			'BEGIN { printf "# timing %s: qemu start to stage-1 /init %.1f s; kexec -e to probe %.2f s; probe to verdict %.2f s; verdict to power-off %.2f s\n", s, i, f - e, v - f, q - v }'
}

run_stub_scenario() {  # NAME EXPECT [FAULTING_OPERATION]
	STUB_EXPECT=$2 STUB_FAIL_OP=${3:-} SCN_RESULT=stub_result run_scenario "$1" 300 1024
}
want stub && run_stub_scenario stub PASS
want stub_file && run_stub_scenario stub_file PASS
want stub_kexec_tools && run_stub_scenario stub_kexec_tools PASS
want stub_missing_desc && run_stub_scenario stub_missing_desc FAIL "reading the Runtime Services table"
want stub_missing_code && run_stub_scenario stub_missing_code FAIL "GetTime"
