#!/bin/bash
# demo.sh - the quick-start demo: on a fresh Debian 12 (root), build
# kexec-efi, boot a Debian kernel under QEMU+OVMF, run `kexec --efi-verify`
# inside the guest, jump, and show EFI runtime services working in the next
# kernel. Nothing is kexec'ed on this machine. Exit 0 when the guest passed.
set -u
ROOT=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
. "$ROOT/tests/vm/vm-lib.sh"
BUILD=${KEXEC_EFI_BUILD:-$ROOT/build-demo}

say() { printf '\n=== %s\n' "$*"; }
say "installing build and VM packages (apt-get)"
need_pkgs "${BUILD_PKGS[@]}" "${VM_PKGS[@]}" || exit 1
say "building kexec-efi in $BUILD"
( cd "$ROOT" && ./autogen.sh ) > /dev/null 2>&1 || { echo "autogen failed"; exit 1; }
mkdir -p "$BUILD"
( cd "$BUILD" && "$ROOT/configure" && make -j"$(nproc)" ) > "$BUILD.log" 2>&1 || { tail -n 30 "$BUILD.log"; exit 1; }
say "fetching the Debian kernel and OVMF; building the guest initramfs"
vm_setup || exit 1
VM_IMAGES=$VM_CACHE/images
vm_build_initramfs "$BUILD" "$VM_IMAGES" || exit 1
echo "kernel $KPKG, QEMU accelerator $ACCEL (TCG takes ~20 s a boot)"
say "booting the VM (serial console, filtered)"
run=$VM_CACHE/runs/$(date -u +%Y%m%dT%H%M%S)-demo
VM_ECHO=1 vm_run "$run" 420 1024 "kx_scn=demo kx_stage=1 kx_nonce=$(od -An -tx8 -N8 /dev/urandom | tr -d ' ')" |
	grep --line-buffered -aE 'KX-|kexec-efi purgatory|purgatory:|efi: EFI v|Linux version|Run /init' |
	sed -u -E 's/^ *([0-9.]+) /[\1 s] /; s/KX-SAY //; s/KX-LOAD: //'
say "serial log: $run/serial.log"
if grep -aq 'KX-RESULT: PASS' "$run/serial.log"; then
	echo "PASS: the kexec'ed kernel runs EFI runtime services with the map kexec --efi-verify handed over"
	exit 0
fi
echo "FAIL: see $run/serial.log"
exit 1
