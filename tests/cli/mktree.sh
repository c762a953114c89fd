#!/bin/bash
# mktree.sh - make the synthetic failure trees and memory images the CLI
# tests need, from the real capture tests/fixtures/ovmf-q35-linux6.1-noefidebug
# (a normal boot: 6 runtime descriptors, all RUNTIME), instead of committing
# near-identical copies.
#
# usage: mktree.sh KIND OUT        (OUT: a directory for trees, a file for images)
#        mktree.sh --list          (the kinds)
#
# Each tree is the base tree with exactly one thing broken; the comment of
# each kind names the rule of efi-handoff.md section 8 it must trip.
# Base runtime map (runtime-map.tsv of the fixture):
#   0 MMIO 0xffc00000 0x400 pages   1 RtData 0x3feec000 0x84
#   2 RtCode 0x3f5ec000 0x100       3 RtData 0x3f4ec000 0x100 (holds the
#   system table 0x3f5eb018)         4 RtData 0x3ea8a000 0x102
#   5 BsData 0x3ca56000 0x1 (RUNTIME-tagged MEMATTR)
set -eu
SRC=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
BASE=$SRC/tests/fixtures/ovmf-q35-linux6.1-noefidebug
MAP=sys/firmware/efi/runtime-map
BP=sys/kernel/boot_params/data

KINDS="garbage missing overflow range-overflow zero-pages phys-overlap virt-overlap
virt-window no-runtime conventional systab-uncovered platform32 desc-version2
empty-map truncated-bp image-ok image-loop image-past-end image-truncated-bp"

# Write a little-endian u64/u32 at a byte offset of a file (no python needed).
put_le() {  # put_le FILE OFFSET BYTES VALUE
	local f=$1 off=$2 n=$3 v=$4 i s=""
	for ((i = 0; i < n; i++)); do
		s+=$(printf '\\%03o' $(( (v >> (8 * i)) & 0xff )))
	done
	printf "$s" | dd of="$f" bs=1 seek="$off" conv=notrunc status=none
}

# A raw physical-memory image: boot_params at BASEADDR (the fixture's page,
# whose hdr.setup_data we point at our nodes), then one page per node.
#   mkimage OUT MODE   MODE: ok | loop | past-end
# Node 0 at +0x1000: SETUP_RNG_SEED, 32 bytes; node 1 at +0x2000: SETUP_EFI,
# 96 bytes (the 1 GiB kexec_load payload of vm/NOTES.md section 6).
IMG_BASE=$((0x100000))
mkimage() {
	local out=$1 mode=$2 n1_next=0 n1_len=96 size=$((3 * 4096))
	head -c "$size" /dev/zero > "$out"
	dd if="$BASE/$BP" of="$out" bs=4096 count=1 conv=notrunc status=none
	put_le "$out" $((0x250)) 8 $((IMG_BASE + 0x1000))
	# node 0
	put_le "$out" $((0x1000)) 8 $((IMG_BASE + 0x2000))
	put_le "$out" $((0x1008)) 4 9
	put_le "$out" $((0x100c)) 4 32
	case $mode in
	loop) n1_next=$((IMG_BASE + 0x1000)) ;;        # back to node 0
	past-end) n1_len=$((0x2000)) ;;                # payload runs past the image
	esac
	put_le "$out" $((0x2000)) 8 "$n1_next"
	put_le "$out" $((0x2008)) 4 4
	put_le "$out" $((0x200c)) 4 "$n1_len"
	put_le "$out" $((0x2010)) 8 $((0x3f52aa18))     # fw_vendor
	put_le "$out" $((0x2018)) 8 $((0x3f5ebb98))     # runtime
	put_le "$out" $((0x2020)) 8 $((0x3f5ebc98))     # tables
	put_le "$out" $((0x2028)) 8 $((0x3f520000))     # smbios
}

[ "${1:-}" = --list ] && { echo $KINDS; exit 0; }
[ $# -eq 2 ] || { echo "usage: mktree.sh KIND OUT | --list" >&2; exit 2; }
KIND=$1 OUT=$2

case $KIND in
image-ok) mkimage "$OUT" ok; exit 0 ;;
image-loop) mkimage "$OUT" loop; exit 0 ;;             # chain decoder: cycle, 8.3.1
image-past-end) mkimage "$OUT" past-end; exit 0 ;;     # chain decoder: len past the end
image-truncated-bp) head -c 2048 "$BASE/$BP" > "$OUT"; exit 0 ;;
esac

rm -rf "$OUT"
mkdir -p "$OUT"
# dmesg.txt: the efi: config-table line (rule 8.5.6 warns without it)
cp -a "$BASE/sys" "$BASE/proc" "$BASE/dmesg.txt" "$OUT/"
cd "$OUT"
case $KIND in
garbage)          # reader: a non-hex value is an error naming the file
	printf '0x3f4ecZZZ\n' > $MAP/3/phys_addr ;;
missing)          # reader: a missing field file
	rm $MAP/2/num_pages ;;
overflow)         # reader: more than 64 bits
	printf '0x1fffffffeffaec000\n' > $MAP/1/virt_addr ;;
range-overflow)   # 8.4.2: phys + num_pages*4096 wraps
	printf '0xfffffffffffff\n' > $MAP/4/num_pages ;;
zero-pages)       # 8.4.2: num_pages >= 1
	printf '0x0\n' > $MAP/4/num_pages ;;
phys-overlap)     # 8.4.4: descriptor 4 moved into descriptor 3's phys range
	printf '0x3f4f0000\n' > $MAP/4/phys_addr ;;
virt-overlap)     # 8.4.4: descriptor 4's VA inside descriptor 3's
	printf '0xfffffffeff0f0000\n' > $MAP/4/virt_addr ;;
virt-window)      # 8.4.3: a VA below EFI_VA_END (0xffffffef00000000)
	printf '0xffff888000000000\n' > $MAP/4/virt_addr ;;
no-runtime)       # 8.4.6: RuntimeServicesData without EFI_MEMORY_RUNTIME (no efi=debug)
	printf '0xf\n' > $MAP/4/attribute ;;
conventional)     # 8.4.6: ConventionalMemory in the runtime map
	printf '0x7\n' > $MAP/4/type ;;
systab-uncovered) # 8.4.8: descriptor 3 shrunk so the system table 0x3f5eb018 is in none
	printf '0xff\n' > $MAP/3/num_pages ;;
platform32)       # 8.5.2: 32-bit firmware
	printf '32\n' > sys/firmware/efi/fw_platform_size ;;
desc-version2)    # 8.2.9 / 8.5.4: efi_info.efi_memdesc_version = 2
	put_le $BP $((0x1cc)) 4 2 ;;
empty-map)        # 8.4.1 / 8.5.1: runtime-map exists but is empty
	rm -rf ${MAP:?}/* ;;
truncated-bp)     # 8.5.4: boot_params/data shorter than 4096 bytes
	head -c 2048 "$BASE/$BP" > $BP ;;
*)
	echo "mktree.sh: unknown kind '$KIND' (try --list)" >&2; exit 2 ;;
esac
