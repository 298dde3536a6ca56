# exitlat.ko on a lab machine: what keeps it from being built or loaded, found
# before insmod where possible and read from insmod's and the kernel's words
# after, said in one line with what to do. Sourced by scripts/run and
# scripts/install-deps (after common.sh and envrecord.sh), never run.
# shellcheck shell=bash
#
# The lines and the messages that reveal them are data: native-lines.txt
# beside this file. The functions only pick a row and fill it in.
#
#   native_init              native_release, native_kdir, native_sysfs, native_ko
#   native_headers_wanted    the CPU has VMX/SVM and there is no build tree
#   native_headers_known     apt has linux-headers-RELEASE
#   native_build_line        why exitlat.ko is not built here: what to install
#   native_ko_fits           exitlat.ko exists and was built for this kernel
#   native_sig_required      this kernel refuses unsigned modules (native_sig_why)
#   native_ko_signed, native_sign
#   native_kmsg_mark         remembers where the kernel log ends
#   native_explain LOG       the refusal in LOG and the kernel log since the
#                            mark, as one line (status 1: none recognised)
#   native_classify GROUP FILE...   the key of the first matching row
#   native_line KEY          the row's line, filled in
#
# Signatures are required (native_sig_required) when
#   /sys/module/module/parameters/sig_enforce is Y (module.sig_enforce=1,
#     CONFIG_MODULE_SIG_FORCE, or the kernel's own Secure Boot policy), or
#   it is N and /sys/kernel/security/lockdown selects integrity or
#     confidentiality (lockdown refuses unsigned modules), or
#   it is N, the lockdown file cannot be read (securityfs not mounted) and
#     `mokutil --sb-state` says SecureBoot enabled (Debian's and most
#     distributions' kernels lock down under Secure Boot).
# Without sig_enforce the kernel has no module signing and loads any module.
#
# Test hooks (tests/host/lab-first-run.sh plays a lab machine with them):
#   EXITLAT_SYSFS           sysfs root instead of /sys (module/, kernel/security/)
#   EXITLAT_KERNEL_RELEASE  the running kernel's release instead of uname -r
#   EXITLAT_INSMOD, EXITLAT_DMESG, EXITLAT_MOKUTIL   commands instead of
#                           insmod, dmesg, mokutil
#   EXITLAT_NATIVE          the front end instead of $B/exitlat-native (scripts/run)
#   EXITLAT_CPUINFO         read by envrecord.sh instead of /proc/cpuinfo
# Signing keys (not hooks): SIGN_KEY and SIGN_CERT, else DKMS's MOK pair.

native_lines=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/native-lines.txt
native_dkms_key=/var/lib/dkms/mok.key
native_dkms_cert=/var/lib/dkms/mok.pub

native_init() {
	native_sysfs=${EXITLAT_SYSFS:-/sys}
	native_release=${EXITLAT_KERNEL_RELEASE:-$(uname -r)}
	native_kdir=${KDIR:-/lib/modules/$native_release/build}
	native_ko=${B:-build}/exitlat.ko
	native_sig_why=
	[ -r "$native_lines" ] || { msg "error: $native_lines is missing"; return 1; }
}

native_headers_wanted() {
	[ "$(env_cpu_virt)" != none ] && [ ! -f "$native_kdir/Makefile" ]
}

native_headers_known() {
	apt-cache show "linux-headers-$native_release" >/dev/null 2>&1
}

native_build_line() {
	local k
	if [ -f "$native_kdir/Makefile" ]; then
		k=build-failed
	elif native_headers_known; then
		k=headers-install
	else
		k=$(native_classify os /etc/os-release 2>/dev/null) || k=headers-other
	fi
	native_line "$k"
}

# The release exitlat.ko was built for (its vermagic), "" when none.
native_ko_release() {
	[ -f "$1" ] && tr '\0' '\n' <"$1" | sed -n 's/^vermagic=\([^ ]*\).*/\1/p' | head -n 1
}

native_ko_fits() {
	[ "$(native_ko_release "$native_ko")" = "$native_release" ]
}

native_sig_required() {
	local enforce lockdown
	native_sig_why=
	enforce=$(cat "$native_sysfs/module/module/parameters/sig_enforce" 2>/dev/null) || return 1
	if [ "$enforce" = Y ]; then
		native_sig_why=module.sig_enforce=Y
		return 0
	fi
	if lockdown=$(cat "$native_sysfs/kernel/security/lockdown" 2>/dev/null); then
		lockdown=$(sed -n 's/.*\[\([a-z]*\)\].*/\1/p' <<<"$lockdown")
		[ -n "$lockdown" ] && [ "$lockdown" != none ] || return 1
		native_sig_why="kernel lockdown: $lockdown"
		return 0
	fi
	if "${EXITLAT_MOKUTIL:-mokutil}" --sb-state 2>/dev/null | grep -q 'SecureBoot enabled'; then
		native_sig_why="mokutil: SecureBoot enabled"
		return 0
	fi
	return 1
}

native_ko_signed() {
	[ -f "$native_ko" ] && tail -c 28 "$native_ko" | grep -q '~Module signature appended~'
}

native_cert() {
	if [ -n "${SIGN_KEY:-}${SIGN_CERT:-}" ]; then echo "${SIGN_CERT:-CERT}"; else echo "$native_dkms_cert"; fi
}

# Signs exitlat.ko through `make sign` with SIGN_KEY/SIGN_CERT, else DKMS's
# MOK pair. Status 2: no readable key, nothing tried.
native_sign() {
	local key=$native_dkms_key cert=$native_dkms_cert
	[ -z "${SIGN_KEY:-}${SIGN_CERT:-}" ] || key=${SIGN_KEY:-} cert=${SIGN_CERT:-}
	[ -r "$key" ] && [ -r "$cert" ] || return 2
	make -s --no-print-directory -C "$EXITLAT_TOP" B="${B:-build}" KDIR="$native_kdir" sign KEY="$key" CERT="$cert"
}

# Foreign hypervisor drivers loaded now, for the lines that name them.
native_drivers() {
	local d found=
	for d in vboxdrv vmmon; do
		[ -d "$native_sysfs/module/$d" ] && found+="${found:+, }$d"
	done
	[ -n "$found" ] && echo "loaded here: $found" || echo "neither vboxdrv nor vmmon is loaded now"
}

native_dmesg() { # dmesg may need root (dmesg_restrict); never ask for a password
	if [ "$(id -u)" = 0 ]; then
		"${EXITLAT_DMESG:-dmesg}" 2>/dev/null
	else
		sudo -n "${EXITLAT_DMESG:-dmesg}" 2>/dev/null
	fi
}

# Where the kernel log ends now: its line count and last timestamp (a full
# ring buffer keeps its count, so the timestamp decides where there is one).
native_kmsg_mark() {
	native_mark=$(native_dmesg | awk -F'[][]' '/^\[/ { t = $2 } END { printf "%d %.6f\n", NR, t }')
}

native_kmsg_since() {
	native_dmesg | awk -F'[][]' -v n="${native_mark% *}" -v t="${native_mark#* }" '
		{ if (t + 0 > 0 && /^\[/) { if ($2 + 0 > t + 0) print } else if (NR > n + 0) print }'
}

# native_explain LOG: appends the kernel's lines since native_kmsg_mark to LOG
# and prints the one line for the refusal they and LOG show.
native_explain() {
	local log=$1 k since
	since=$(native_kmsg_since)
	[ -z "$since" ] || printf '# the kernel log since:\n%s\n' "$since" >>"$log"
	k=$(native_classify refusal "$log") || return 1
	if [ "$k" = signature ]; then
		if native_ko_signed; then
			native_sig_why="the kernel does not trust the key exitlat.ko is signed with"
		else
			native_sig_why="the kernel refused the unsigned exitlat.ko"
		fi
	fi
	native_line "$k"
}

# native_classify GROUP FILE...: the key of the first row of GROUP whose
# pattern matches a line of the files ("-": standard input); status 1: none.
native_classify() {
	local group=$1
	shift
	awk -F'\t' -v g="$group" '
		FNR == NR { if ($1 == g && $3 != "-") { n++; key[n] = $2; pat[n] = $3 } next }
		{ for (i = 1; i <= n; i++) if (!(i in hit) && $0 ~ pat[i]) hit[i] = 1 }
		END { for (i = 1; i <= n; i++) if (i in hit) { print key[i]; exit 0 } exit 1 }' \
		"$native_lines" "$@"
}

native_line() { # KEY
	local l kor
	l=$(awk -F'\t' -v k="$1" '!/^#/ && $2 == k { print $4; exit }' "$native_lines")
	[ -n "$l" ] || { msg "error: $native_lines has no line '$1'"; return 1; }
	kor=$(native_ko_release "$native_ko")
	kor=${kor:+${native_ko##*/} there is for $kor}
	l=${l//@RELEASE@/"$native_release"}
	l=${l//@KDIR@/"$native_kdir"}
	l=${l//@PKG@/"linux-headers-$native_release"}
	l=${l//@WHY@/"${native_sig_why:-signatures required}"}
	l=${l//@CERT@/"$(native_cert)"}
	l=${l//@DRIVER@/"$(native_drivers)"}
	l=${l//@KOREL@/"${kor:-none was built}"}
	printf '%s\n' "$l"
}
