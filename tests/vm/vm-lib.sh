# shellcheck shell=bash
# vm-lib.sh - what the VM tests and the demo share: packages, the Debian
# kernel, Debian's kexec-tools (extracted, never installed: installing it
# arms kexec-on-reboot on the host), OVMF, the initramfs, one QEMU run.

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$VM_DIR/../lib/deps.sh"
VM_CACHE=${KEXEC_EFI_VM_CACHE:-/var/tmp/kexec-efi-vm}

vm_log() { printf '[vm] %s\n' "$*" >&2; }

# Download (once) and extract a Debian package into $VM_CACHE/pkg/NAME.
vm_fetch_deb() {  # vm_fetch_deb PKG -> prints the extraction dir
	local pkg=$1 dir=$VM_CACHE/pkg/$1 deb
	if [ ! -e "$dir/.done" ]; then
		mkdir -p "$VM_CACHE/debs" && chmod 755 "$VM_CACHE" "$VM_CACHE/debs"
		( cd "$VM_CACHE/debs" && ls "${pkg}"_*.deb >/dev/null 2>&1 || apt-get download "$pkg" >/dev/null 2>&1 ) ||
			{ vm_log "apt-get download $pkg failed"; return 1; }
		deb=$(ls -t "$VM_CACHE/debs/${pkg}"_*.deb | head -n 1)
		rm -rf "$dir" && mkdir -p "$dir" && dpkg -x "$deb" "$dir" && touch "$dir/.done" || return 1
	fi
	echo "$dir"
}

vm_setup() {
	need_pkgs "${VM_PKGS[@]}" || return 1
	KPKG=${KEXEC_EFI_KERNEL_PKG:-$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}')}
	if [ -z "$KPKG" ]; then
		apt-get update -qq >&2
		KPKG=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
	fi
	[ -n "$KPKG" ] || { vm_log "cannot resolve linux-image-amd64"; return 1; }
	KDIR=$(vm_fetch_deb "$KPKG") || return 1
	KIMAGE=$(ls "$KDIR"/boot/vmlinuz-* | head -n 1)
	KTDIR=$(vm_fetch_deb kexec-tools) || return 1
	# Its shared libraries (libxenmisc: libxenctrl) come from the host into
	# the initramfs: install them here (libraries only, nothing that arms
	# kexec on the host). A fresh machine lacks them.
	need_pkgs $(apt-cache depends kexec-tools 2>/dev/null | awk '/^  Depends: lib/{print $2}') || return 1
	if ldd "$KTDIR/sbin/kexec" | grep -q 'not found'; then
		vm_log "kexec-tools needs libraries the host lacks: $(ldd "$KTDIR/sbin/kexec" | grep 'not found' | tr -d '\t' | tr '\n' ' ')"
		return 1
	fi
	OVMF_CODE="" OVMF_VARS=""
	for v in _4M ""; do    # the 4M build first, as the captured fixtures
		if [ -z "$OVMF_CODE" ] && [ -f /usr/share/OVMF/OVMF_CODE$v.fd ] && [ -f /usr/share/OVMF/OVMF_VARS$v.fd ]; then
			OVMF_CODE=/usr/share/OVMF/OVMF_CODE$v.fd OVMF_VARS=/usr/share/OVMF/OVMF_VARS$v.fd
		fi
	done
	[ -n "$OVMF_CODE" ] && [ -n "$OVMF_VARS" ] || { vm_log "OVMF not found"; return 1; }
	# /dev/kvm alone is not enough: here it is a paravirtual KVM without
	# VMX/SVM that cannot run OVMF. Use KVM only with the CPU flags.
	if [ -r /dev/kvm ] && [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; then
		ACCEL=kvm; CPU=host
	else
		ACCEL=tcg; CPU=max
	fi
}

# Copy a binary and the shared libraries it needs into the rootfs.
vm_copy_with_libs() {  # ROOT SRC DST
	local root=$1 src=$2 dst=$3 lib
	mkdir -p "$root/$(dirname "$dst")"
	cp -L "$src" "$root/$dst"
	ldd "$src" 2>/dev/null | awk '/=> \//{print $3} /^[ \t]*\/[^ ]*ld-linux/{print $1}' | while read -r lib; do
		[ -e "$root/$lib" ] && continue
		mkdir -p "$root/$(dirname "$lib")"
		cp -L "$lib" "$root/$lib"
	done
}

# The guest initramfs: busybox, our kexec and efi-setup-data, the target
# stub efi-rt-probe, Debian's kexec-tools under /opt, efivarfs.ko, the kernel, /init; /next.img is the
# same rootfs for the next stage.
vm_build_initramfs() {  # BUILD_DIR OUT_DIR
	local build=$1 out=$2 root mod
	mkdir -p "$out"
	root=$(mktemp -d "$VM_CACHE/rootfs.XXXXXX")
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,run,etc,lib/modules,mnt,kx/carry,opt}
	chmod 1777 "$root/tmp"
	cp /bin/busybox "$root/bin/busybox"
	/bin/busybox --list-full | while read -r app; do
		[ -e "$root/$app" ] || ln -s /bin/busybox "$root/$app"
	done
	mknod -m 600 "$root/dev/console" c 5 1
	mknod -m 666 "$root/dev/null" c 1 3
	rm -f "$root/sbin/kexec"
	vm_copy_with_libs "$root" "$build/kexec/kexec" /sbin/kexec
	vm_copy_with_libs "$root" "$build/efi-setup-data/efi-setup-data" /usr/bin/efi-setup-data
	vm_copy_with_libs "$root" "$KTDIR/sbin/kexec" /opt/kexec-tools/sbin/kexec
	# makedumpfile (installed on the host: a plain tool, it arms nothing)
	[ -x /usr/bin/makedumpfile ] && vm_copy_with_libs "$root" /usr/bin/makedumpfile /usr/bin/makedumpfile
	for extra in ${VM_EXTRA_FILES:-}; do
		vm_copy_with_libs "$root" "${extra%%:*}" "${extra#*:}"
	done
	mod=$(find "$KDIR/lib/modules" -name 'efivarfs.ko*' | head -n 1)
	case "$mod" in
	*.ko) cp "$mod" "$root/lib/modules/efivarfs.ko" ;;
	*.ko.xz) xz -dc "$mod" > "$root/lib/modules/efivarfs.ko" ;;
	*.ko.zst) zstd -qdc "$mod" > "$root/lib/modules/efivarfs.ko" ;;
	"") : ;;   # built in
	esac
	cp "$KIMAGE" "$root/vmlinuz"
	install -m 755 "$VM_DIR/guest-init.sh" "$root/init"
	install -m 644 "$VM_DIR/scenarios.sh" "$root/kx/scenarios.sh"
	install -m 644 "$VM_DIR/stub-scenarios-guest.sh" "$root/kx/stub-scenarios-guest.sh"
	cp "$build/efi-setup-data/stub/efi-rt-probe" "$root/efi-rt-probe"
	install -m 644 "$VM_DIR/kaslr-scenarios-guest.sh" "$root/kx/kaslr-scenarios-guest.sh"
	( cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc -R 0:0 --quiet | gzip -6n ) > "$out/next.img"
	# The guest appends uncompressed cpio archives to this one; the kernel
	# only finds a cpio header at a 4-byte aligned offset.
	truncate -s %512 "$out/next.img"
	cp "$out/next.img" "$root/next.img"
	( cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc -R 0:0 --quiet | gzip -6n ) > "$out/initrd.img"
	cp "$KIMAGE" "$out/vmlinuz"
	rm -rf "$root"
}

# A TPM 2.0 for one run (VM_TPM=1): Debian's swtpm as a socket emulator
# with a fresh state in RUNDIR/tpm (created on first use; OVMF sends
# TPM2_Startup as on real hardware), so OVMF measures the boot and hands
# the kernel an event log. Sets VM_TPM_ARGS (QEMU's arguments);
# swtpm's pid is in RUNDIR/swtpm.pid for vm_tpm_stop.
vm_tpm_start() {  # RUNDIR
	local run=$1 i
	VM_TPM_ARGS=()
	rm -rf "$run/tpm" "$run/swtpm.sock" && mkdir -p "$run/tpm" || return 1
	swtpm socket --tpm2 --tpmstate dir="$run/tpm" --ctrl type=unixio,path="$run/swtpm.sock" \
		--log file="$run/swtpm.log" < /dev/null > /dev/null 2>&1 &
	echo $! > "$run/swtpm.pid"
	for i in $(seq 50); do
		[ -S "$run/swtpm.sock" ] && break
		kill -0 "$(cat "$run/swtpm.pid")" 2>/dev/null || break
		sleep 0.1
	done
	[ -S "$run/swtpm.sock" ] || { vm_log "swtpm did not start (see $run/swtpm.log)"; vm_tpm_stop "$run"; return 1; }
	VM_TPM_ARGS=(-chardev "socket,id=chrtpm,path=$run/swtpm.sock" -tpmdev "emulator,id=tpm0,chardev=chrtpm"
		-device "tpm-crb,tpmdev=tpm0")
}

# swtpm normally ends when QEMU closes the control channel; make sure.
vm_tpm_stop() {  # RUNDIR
	local pid i
	pid=$(cat "$1/swtpm.pid" 2>/dev/null) || return 0
	for i in $(seq 20); do
		kill -0 "$pid" 2>/dev/null || break
		[ "$i" = 1 ] && kill "$pid" 2>/dev/null
		sleep 0.1
	done
	kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rm -f "$1/swtpm.pid" "$1/swtpm.sock"
}

# One QEMU run: OVMF, a fresh varstore, serial on stdout (timestamped);
# with VM_TPM=1 also a TPM 2.0 (CRB) backed by swtpm.
vm_run() {  # RUNDIR TIMEOUT MEM APPEND
	local run=$1 timeout=$2 mem=$3 append=$4 rc
	mkdir -p "$run"
	cp "$OVMF_VARS" "$run/vars.fd"
	VM_TPM_ARGS=()
	if [ "${VM_TPM:-0}" = 1 ]; then
		vm_tpm_start "$run" || return 1
	fi
	timeout -k 10 $((timeout + 30)) python3 "$VM_DIR/qemu-run.py" --log "$run/serial.log" --timeout "$timeout" \
		--fail-pattern "KVM internal error" ${VM_ECHO:+--echo} -- \
		qemu-system-x86_64 -machine q35 -accel "$ACCEL" -cpu "$CPU" -smp 2 -m "$mem" \
		-display none -vga none -nodefaults -no-reboot -serial stdio -monitor none \
		-drive if=pflash,format=raw,unit=0,readonly=on,file="$OVMF_CODE" \
		-drive if=pflash,format=raw,unit=1,file="$run/vars.fd" \
		"${VM_TPM_ARGS[@]}" \
		-kernel "$VM_IMAGES/vmlinuz" -initrd "$VM_IMAGES/initrd.img" \
		-append "console=ttyS0,115200 panic=1 $append"
	rc=$?
	[ "${VM_TPM:-0}" = 1 ] && vm_tpm_stop "$run"
	return $rc
}
