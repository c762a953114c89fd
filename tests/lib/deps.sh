# shellcheck shell=bash
# deps.sh - install what a step needs with apt-get, once, quietly.
# Sourced by tests/run-all.sh, demo.sh and tests/vm/*. Usage: need_pkgs PKG...

need_pkgs() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
	done
	((${#missing[@]})) || return 0
	if [ "$(id -u)" != 0 ]; then
		echo "deps: need root to install: ${missing[*]}" >&2
		return 1
	fi
	echo "deps: installing ${missing[*]}" >&2
	if [ -z "${KX_APT_UPDATED:-}" ]; then
		apt-get update -qq >&2 || return 1
		KX_APT_UPDATED=1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# Packages to build the project and run its host tests.
BUILD_PKGS=(build-essential autoconf automake libtool pkg-config zlib1g-dev liblzma-dev libzstd-dev clang libclang-rt-14-dev xz-utils)
# Packages the VM tests and the demo need.
VM_PKGS=(qemu-system-x86 ovmf busybox-static cpio gzip xz-utils zstd python3 ca-certificates makedumpfile swtpm)
