# vm-ab-guest.sh - the guest side of bench/vm-ab.sh (sourced by /init via
# /kx/scenarios.sh). Stage 1: our kexec (A) and Debian's kexec-tools (B)
# alternated A B A B: `kexec -c -l` and `kexec -s -l` of the same kernel and
# initrd, wall time and peak RSS (busybox time), then the same with a
# 256 MiB initrd. Then kexec -e hops, alternating the loader that loaded
# the next kernel (stage N odd: ours, even: kexec-tools), kx_ab_hops of
# them; the host times each hop from the serial lines. Lines for the host:
#   KX-AB load kind=c|s|dry|version initrd=std|big|- loader=ours|kt wall=S rss=KB
# (rss: busybox time's %M, which bench/vm-ab.sh calibrates)
#   KX-AB hop stage=N loader=ours|kt

ab_arg() {  # ab_arg NAME DEFAULT : kx_NAME=VALUE from the command line
	v=$2
	for a in $(cat /proc/cmdline); do
		case "$a" in "kx_$1="*) v=${a#*=} ;; esac
	done
	echo "$v"
}

ab_time() {  # ab_time KIND INITRD-LABEL LOADER-LABEL CMD... : one timed load
	k=$1 il=$2 ll=$3
	shift 3
	if busybox time -f "%e %M" -o /tmp/ab.t "$@" > /tmp/ab.out 2>&1; then
		set -- $(tail -n 1 /tmp/ab.t)
		echo "KX-AB load kind=$k initrd=$il loader=$ll wall=$1 rss=$2"
	else
		bad "ab-load: $ll -$k -l with the $il initrd failed: $(tail -n 2 /tmp/ab.out | tr '\n' ' ')"
	fi
}

ab_pairs() {  # ab_pairs N KIND INITRD-FILE LABEL
	n=$1 k=$2 i=$3 il=$4 c=$(next_cmdline 2)
	while [ "$n" -gt 0 ]; do
		ab_time "$k" "$il" ours $KEXEC -$k -l /vmlinuz --initrd="$i" --append="$c"
		ab_time "$k" "$il" kt $KT -$k -l /vmlinuz --initrd="$i" --append="$c"
		n=$((n - 1))
	done
}

# Where our -c time goes: the same load without the syscall (a dry run on
# the live system), and bare process start (--version) of both.
ab_split() {  # ab_split N
	n=$1 c=$(next_cmdline 2)
	while [ "$n" -gt 0 ]; do
		ab_time dry std ours $KEXEC --dry-run -c -l /vmlinuz --initrd=/tmp/next-initrd.img --append="$c"
		ab_time version - ours $KEXEC --version
		ab_time version - kt $KT --version
		n=$((n - 1))
	done
}

ab_hop() {  # load the next stage with this stage's loader and jump
	nx=$((STAGE + 1))
	# Where this kernel runs and (-d) where the loader puts the next one:
	# relocate_kernel copies at exec time every page whose destination was
	# still in use at load time.
	echo "KX-AB where stage=$STAGE $(grep -a 'Kernel code' /proc/iomem | tr -s ' ')"
	if [ $((STAGE % 2)) = 1 ]; then
		echo "KX-AB hop stage=$nx loader=ours"
		load_and_jump $KEXEC -c -l -d /vmlinuz --initrd=/tmp/next-initrd.img --append="$(next_cmdline $nx)"
	else
		echo "KX-AB hop stage=$nx loader=kt"
		load_and_jump $KT -c -l -d /vmlinuz --initrd=/tmp/next-initrd.img --append="$(next_cmdline $nx)" --console-serial --serial=0x3f8 --serial-baud=115200
	fi
}

scenario_ab() {
	pairs=$(ab_arg ab_pairs 10) bigpairs=$(ab_arg ab_bigpairs 3) hops=$(ab_arg ab_hops 6)
	make_next_initrd
	if [ "$STAGE" = 1 ]; then
		echo "KX-AB info initrd=$(wc -c < /tmp/next-initrd.img) kernel=$(wc -c < /vmlinuz) sha_ni=$(grep -c -w sha_ni /proc/cpuinfo) sse4_2=$(grep -c -w sse4_2 /proc/cpuinfo)"
		ab_pairs "$pairs" c /tmp/next-initrd.img std
		ab_pairs "$pairs" s /tmp/next-initrd.img std
		ab_split 5
		# 256 MiB: the test initrd repeated (content does not matter to a load)
		: > /tmp/big.img
		while [ "$(wc -c < /tmp/big.img)" -lt 268435456 ]; do cat /tmp/next-initrd.img >> /tmp/big.img; done
		truncate -s 268435456 /tmp/big.img
		ab_pairs "$bigpairs" c /tmp/big.img big
		ab_pairs "$bigpairs" s /tmp/big.img big
		rm -f /tmp/big.img
		$KEXEC -u
	fi
	if [ "$STAGE" -le "$hops" ]; then
		ab_hop
	fi
	ok "ab: $STAGE stages, $hops hops"
}
