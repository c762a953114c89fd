# kdump-scenarios.sh - sourced by run-vm-tests.sh: kexec -p with kexec_load
# and with kexec_file_load, a real crash, the crash kernel's checks.
run_scenario_mem_append() { VM_EXTRA_APPEND=$3; run_scenario "$1" "$2" 2048; VM_EXTRA_APPEND=; }
want kdump && run_scenario_mem_append kdump 600 "crashkernel=256M"
want kdump_file && run_scenario_mem_append kdump_file 600 "crashkernel=256M"
want kdump_fallback && run_scenario_mem_append kdump_fallback 600 "crashkernel=256M"
want purgatory_corrupt && run_scenario purgatory_corrupt 420 1024
