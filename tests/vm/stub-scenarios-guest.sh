# stub-scenarios-guest.sh - stage 1 of the stub scenarios (sourced by
# scenarios.sh in the guest). The host reads the probe's verdict from the
# serial log (stub-scenarios.sh); here: the load, and what to compare with.
PROBE=/efi-rt-probe

# The Runtime Services table's physical address, as our hand-off carries
# it (SETUP_EFI.runtime: 16-byte node header + 8).
rt_table_phys() {
	efi-setup-data build -o /tmp/handoff > /dev/null 2>&1 || return 1
	printf '%d' "0x$(od -An -tx8 -j 24 -N 8 /tmp/handoff/setup_data_efi.bin | tr -d ' ')"
}

# Copy of the runtime map without the descriptor holding the Runtime
# Services table, renumbered 0..n-2 (the readers want no holes).
runtime_map_without_rt_table() {  # OUT_DIR : prints the removed index
	rt=$(rt_table_phys) || return 1
	src=/sys/firmware/efi/runtime-map
	n=$(ls $src | wc -l)
	k=""
	i=0
	while [ $i -lt $n ]; do
		p=$(printf '%d' "$(cat $src/$i/phys_addr)")
		s=$(( $(printf '%d' "$(cat $src/$i/num_pages)") * 4096 ))
		if [ "$rt" -ge "$p" ] && [ "$rt" -lt $((p + s)) ]; then k=$i; fi
		i=$((i + 1))
	done
	[ -n "$k" ] || return 1
	cp -r $src "$1"
	rm -r "$1/$k"
	i=$((k + 1))
	while [ $i -lt $n ]; do mv "$1/$i" "$1/$((i - 1))"; i=$((i + 1)); done
	echo "$k"
}

# Copy of the runtime map without the descriptors of one type, renumbered.
runtime_map_without_type() {  # TYPE OUT_DIR
	src=/sys/firmware/efi/runtime-map
	n=$(ls $src | wc -l)
	mkdir -p "$2"
	i=0 j=0
	while [ $i -lt $n ]; do
		if [ "$(cat $src/$i/type)" != "$1" ]; then cp -r $src/$i "$2/$j"; j=$((j + 1)); fi
		i=$((i + 1))
	done
}

scenario_stub_common() {
	stage1_common
	if efivarfs_up; then echo "KX-INFO stage=1 efivars=$(ls $EFIVARS | wc -l)"; fi
	check "probe-present" "efi-rt-probe is in the initramfs" test -s $PROBE
	case "$SCN" in
	stub) load_and_jump $KEXEC -c -l $PROBE --efi-verify ;;
	stub_file) load_and_jump $KEXEC -s -l $PROBE --efi-verify ;;
	stub_kexec_tools) load_and_jump $KT -l $PROBE ;;
	stub_missing_desc)
		k=$(runtime_map_without_rt_table /tmp/rtmap)
		check "map-edited" "removed runtime-map/$k, the descriptor holding the Runtime Services table" test -n "$k"
		mount --bind /tmp/rtmap /sys/firmware/efi/runtime-map
		$KEXEC -c -l $PROBE --efi-verify > /tmp/strict.out 2>&1
		rc=$?
		sed 's/^/KX-STRICT: /' /tmp/strict.out
		check "strict-refuses" "--efi-verify (strict) refuses the map without it: exit 3 (got $rc)" test "$rc" = 3
		check "strict-names-coverage" "the refusal names rule 8.4.8 (coverage)" grep -q '8.4.8 fatal coverage' /tmp/strict.out
		check "nothing-loaded" "nothing was loaded" grep -qx 0 /sys/kernel/kexec_loaded
		load_and_jump $KEXEC -c -l $PROBE --efi-verify=warn
		;;
	stub_missing_code)
		# Without the RuntimeServicesCode descriptor(s) the first call
		# jumps to an unmapped address: a fault inside GetTime. sysfs
		# alone cannot show this loss (the pointers are in firmware
		# memory), so the load goes through; the probe must catch it.
		runtime_map_without_type 0x5 /tmp/rtmap
		check "map-edited" "removed the RuntimeServicesCode descriptors ($(ls /sys/firmware/efi/runtime-map | wc -l) -> $(ls /tmp/rtmap | wc -l))" \
			test "$(ls /tmp/rtmap | wc -l)" -lt "$(ls /sys/firmware/efi/runtime-map | wc -l)"
		mount --bind /tmp/rtmap /sys/firmware/efi/runtime-map
		load_and_jump $KEXEC -c -l $PROBE --efi-verify=warn
		;;
	esac
}
scenario_stub_missing_code() { scenario_stub_common; }
scenario_stub() { scenario_stub_common; }
scenario_stub_file() { scenario_stub_common; }
scenario_stub_kexec_tools() { scenario_stub_common; }
scenario_stub_missing_desc() { scenario_stub_common; }
