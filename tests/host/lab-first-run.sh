#!/usr/bin/env bash
# The first `make run` on a real lab machine (issue 11), played on any host
# through the test hooks of scripts/lib/native.sh: the CPU (VMX), the kernel
# release and its build tree, sysfs/securityfs, insmod, the kernel log,
# mokutil and exitlat-native are stand-ins, so nothing is ever loaded into
# this host's kernel and no package is installed.
#   detect     the signature rule: sig_enforce, lockdown, mokutil --sb-state
#   classify   kernel and tool messages -> the one line (native-lines.txt)
#   headers    install-deps wants linux-headers-RELEASE exactly when needed;
#              what to install where no package exists
#   run-lockdown     lockdown on, exitlat.ko unsigned: the Secure Boot line, no insmod
#   run-rejected     insmod fails "Key was rejected by service": the same line
#   run-no-headers   no build tree, no package: the "install" line, the run goes on
#   run-builds       a build tree: exitlat.ko built against it, signed with the
#                    given key because lockdown is on, then insmod'ed
#   run-firmware     insmod ENODEV + "VMX is disabled by firmware"; and a kernel
#                    that hid the vmx flag ("VMX (outside TXT) disabled by BIOS")
#   run-hypervisor   insmod EBUSY + "VMX root operation is held by another hypervisor"
#   run-native-busy  exitlat-native EBUSY with that kernel line: the same line,
#                    the remaining kinds not tried
# Usage: tests/host/lab-first-run.sh (B= names the build folder to start from,
# default build; the test works in a copy).
# The run-* cases that build exitlat.ko need the rig's cached 6.1 kbuild tree
# (scripts/fetch-kernels 6.1; fetched here when missing).
set -u
. "$(dirname "$0")/../../scripts/lib/common.sh"
cd "$EXITLAT_TOP" || exit 1

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lab-first-run.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
# A build folder of its own (a copy: the programs stay up to date), so that
# the exitlat.ko built, signed and refused here never lands in $B.
mkdir -p "$tmp/build"
[ ! -d "${B:-build}" ] || cp -a "${B:-build}/." "$tmp/build/"
rm -rf "$tmp/build/kmod" "$tmp/build/exitlat.ko"
export B=$tmp/build
fail=0
result() { # PASS|FAIL|SKIP NAME WHY
	test_result "$1" "host/lab-first-run-$2" "$3"
	[ "$1" = FAIL ] && fail=1
	return 0
}

# --- the stand-ins -------------------------------------------------------------
export FAKE_DIR=$tmp/fake
mkdir -p "$FAKE_DIR/bin"
# insmod: records each call (and whether the module was signed), then plays
# $FAKE_INSMOD, writing the kernel's line into the fake kernel log first.
cat >"$FAKE_DIR/bin/insmod" <<'EOF'
#!/bin/sh
echo "$*" >>"$FAKE_DIR/insmod.calls"
tail -c 28 "$1" | grep -q '~Module signature appended~' && echo "signed: $1" >>"$FAKE_DIR/insmod.calls"
kmsg() { echo "[$(($(wc -l <"$FAKE_DIR/kmsg") + 1000)).000001] $*" >>"$FAKE_DIR/kmsg"; }
die() { echo "insmod: ERROR: could not insert module $1: $2" >&2; exit 1; }
case $FAKE_INSMOD in
reject) kmsg "Loading of unsigned module is rejected"; die "$1" "Key was rejected by service" ;;
vmx-firmware) kmsg "exitlat: not loaded: VMX is disabled by firmware (IA32_FEATURE_CONTROL locked without VMX)"
	die "$1" "No such device" ;;
foreign) kmsg "exitlat: not loaded: VMX root operation is held by another hypervisor"
	die "$1" "Device or resource busy" ;;
*) die "$1" "Invalid module format" ;;
esac
EOF
printf '#!/bin/sh\ncat "$FAKE_DIR/kmsg"\n' >"$FAKE_DIR/bin/dmesg"
printf '#!/bin/sh\n[ "$1" = --sb-state ] && echo "SecureBoot $FAKE_SB"\n' >"$FAKE_DIR/bin/mokutil"
# exitlat-native whose every batch finds VMX root held by VirtualBox.
cat >"$FAKE_DIR/bin/exitlat-native" <<'EOF'
#!/bin/sh
case $1 in
--help) echo "usage: exitlat-native --exit KIND [--samples N] [--cpu N] [-o FILE]" ;;
--list) printf 'null  the timing code alone\ncpuid  CPUID\nhlt  HLT\n' ;;
--exit) echo "$2" >>"$FAKE_DIR/native.calls"
	echo "[$(($(wc -l <"$FAKE_DIR/kmsg") + 1000)).000001] exitlat: cpu 0: VMX root operation is held by another hypervisor" >>"$FAKE_DIR/kmsg"
	echo "exitlat-native: EXITLAT_IOC_RUN ($2, cpu 0) failed: Device or resource busy" >&2
	exit 1 ;;
esac
EOF
chmod +x "$FAKE_DIR"/bin/*
printf 'processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Lab Xeon (played)\nflags\t\t: fpu tsc msr vmx constant_tsc nonstop_tsc\n\n' \
	>"$FAKE_DIR/cpuinfo-vmx"
sed 's/ vmx / /' "$FAKE_DIR/cpuinfo-vmx" >"$FAKE_DIR/cpuinfo-novmx"
export EXITLAT_INSMOD=$FAKE_DIR/bin/insmod EXITLAT_DMESG=$FAKE_DIR/bin/dmesg \
	EXITLAT_MOKUTIL=$FAKE_DIR/bin/mokutil EXITLAT_CPUINFO=$FAKE_DIR/cpuinfo-vmx
export FAKE_INSMOD=format FAKE_SB=disabled

# sysfs SIG_ENFORCE LOCKDOWN [MODULE...]: a fresh fake sysfs root ("-": the file is absent).
sysfs() {
	local s=$tmp/sys.$((++nsys)) m
	mkdir -p "$s/module/module/parameters" "$s/kernel/security"
	[ "$1" = - ] || echo "$1" >"$s/module/module/parameters/sig_enforce"
	[ "$2" = - ] || echo "$2" >"$s/kernel/security/lockdown"
	shift 2
	for m in "$@"; do mkdir -p "$s/module/$m"; done
	export EXITLAT_SYSFS=$s
}
nsys=0
# A kernel log with an old line from an earlier boot of the story: a refusal
# must come from what the kernel said after insmod, not from this.
reset_fakes() {
	printf '[   12.000001] exitlat: not loaded: VMX root operation is held by another hypervisor\n' >"$FAKE_DIR/kmsg"
	rm -f "$FAKE_DIR/insmod.calls" "$FAKE_DIR/native.calls"
}

# --- detect: the rule that says an unsigned module would be refused ---------------
lib_ok=
if . scripts/lib/envrecord.sh && . scripts/lib/native.sh 2>"$tmp/lib.err" && native_init; then
	lib_ok=1
fi
sig_case() { # WANT(yes|no) SIG_ENFORCE LOCKDOWN SB
	sysfs "$2" "$3"
	FAKE_SB=$4
	native_init
	local got=no
	native_sig_required && got=yes
	[ "$got" = "$1" ] || why+=" sig_enforce=$2 lockdown='$3' SecureBoot $4: required=$got, expected $1;"
	[ "$got" = no ] || [ -n "$native_sig_why" ] || why+=" sig_enforce=$2 lockdown='$3': no reason given;"
}
if [ -z "$lib_ok" ]; then
	result FAIL detect "scripts/lib/native.sh does not load: $(head -c 300 "$tmp/lib.err")"
else
	why=
	sig_case no - - enabled                                        # no module signing in this kernel
	sig_case yes Y '[none] integrity confidentiality' disabled     # module.sig_enforce=1 / MODULE_SIG_FORCE
	sig_case yes N 'none [integrity] confidentiality' disabled     # lockdown: unsigned loading restricted
	sig_case yes N 'none integrity [confidentiality]' disabled
	sig_case no N '[none] integrity confidentiality' enabled       # lockdown says no: it wins over mokutil
	sig_case yes N - enabled                                       # no securityfs: Secure Boot implies lockdown
	sig_case no N - disabled
	[ -z "$why" ] && result PASS detect "sig_enforce, lockdown and mokutil --sb-state: 7 cases as the rule says" ||
		result FAIL detect "${why:0:600}"
fi
FAKE_SB=disabled

# --- classify: messages -> the line's key ---------------------------------------------
if [ -n "$lib_ok" ]; then
	why=
	while IFS='|' read -r want text; do
		printf '%s\n' "$text" >"$tmp/msg"
		got=$(native_classify refusal "$tmp/msg")
		[ "$got" = "$want" ] || why+=" '$text': '$got', expected '${want:-nothing}';"
		if [ -n "$want" ]; then
			l=$(native_line "$want")
			[ -n "$l" ] && [ "$(wc -l <<<"$l")" = 1 ] && [[ $l != *@*@* ]] ||
				why+=" the line of $want is not one filled-in line: '$l';"
		fi
	done <<'EOF'
signature|insmod: ERROR: could not insert module exitlat.ko: Key was rejected by service
signature|[  101.5] Loading of unsigned module is rejected
signature|[  101.5] Lockdown: insmod: unsigned module loading is restricted; see man kernel_lockdown.7
vmx-firmware|[    2.1] exitlat: not loaded: VMX is disabled by firmware (IA32_FEATURE_CONTROL locked without VMX)
vmx-firmware|[    0.4] x86/cpu: VMX (outside TXT) disabled by BIOS
vmx-firmware|[   30.2] kvm_intel: VMX not enabled (by BIOS) in MSR_IA32_FEAT_CTL on CPU 3
svm-firmware|[    2.1] exitlat: not loaded: SVM is disabled by firmware (VM_CR.SVMDIS)
svm-firmware|[   30.2] kvm_amd: SVM disabled (by BIOS) in MSR_VM_CR on CPU 0
foreign-hypervisor|[   50.0] exitlat: cpu 2: VMX root operation is held by another hypervisor
busy|exitlat-native: EXITLAT_IOC_RUN (cpuid, cpu 1) failed: Device or resource busy
|[  101.5] exitlat: module verification failed: signature and/or required key missing - tainting kernel
|insmod: ERROR: could not insert module exitlat.ko: Invalid module format
EOF
	# Both a firmware line and EBUSY: the cause wins over the symptom (row order).
	printf '%s\n' 'exitlat-native: EXITLAT_IOC_RUN (cpuid, cpu 1) failed: Device or resource busy' \
		'[ 9.9] exitlat: cpu 1: VMX root operation is held by another hypervisor' >"$tmp/msg"
	got=$(native_classify refusal "$tmp/msg")
	[ "$got" = foreign-hypervisor ] || why+=" EBUSY + the kernel's hypervisor line: '$got';"
	# The driver that holds VMX is named where it is loaded.
	sysfs - - vboxdrv
	native_init
	l=$(native_line foreign-hypervisor)
	[[ $l == *"loaded here: vboxdrv"* ]] || why+=" the hypervisor line does not name the loaded vboxdrv: '$l';"
	[ -z "$why" ] && result PASS classify "14 kernel/tool messages: signature, firmware (VMX, SVM), other hypervisor, EBUSY, none" ||
		result FAIL classify "${why:0:700}"
else
	result FAIL classify "scripts/lib/native.sh does not load"
fi

# --- headers: install-deps' package and the line where none exists -----------------------
known=$(apt-cache pkgnames linux-headers- 2>/dev/null | grep -E '^linux-headers-[0-9][^ ]*-amd64$' | sort | head -n 1)
if [ -z "$lib_ok" ]; then
	result FAIL headers "scripts/lib/native.sh does not load"
elif [ -z "$known" ]; then
	result SKIP headers "apt's lists name no linux-headers-*-amd64 package here (apt-get update): cannot play a Debian kernel"
else
	why=
	rel=${known#linux-headers-}
	list() { scripts/install-deps --list 2>/dev/null | grep -x 'linux-headers-.*'; }
	got=$(EXITLAT_KERNEL_RELEASE=$rel KDIR=$tmp/no-kdir list)
	[ "$got" = "$known" ] || why+=" VMX, no build tree, release $rel: install-deps lists '$got', expected $known;"
	got=$(EXITLAT_KERNEL_RELEASE=$rel KDIR=$tmp/no-kdir EXITLAT_CPUINFO=$FAKE_DIR/cpuinfo-novmx list)
	[ -z "$got" ] || why+=" no VMX/SVM: install-deps still lists $got;"
	mkdir -p "$tmp/kdir" && : >"$tmp/kdir/Makefile"
	got=$(EXITLAT_KERNEL_RELEASE=$rel KDIR=$tmp/kdir list)
	[ -z "$got" ] || why+=" a build tree at KDIR: install-deps still lists $got;"
	got=$(EXITLAT_KERNEL_RELEASE=0.0.0-exitlat-test KDIR=$tmp/no-kdir list)
	[ -z "$got" ] || why+=" a release apt does not know: install-deps lists $got;"
	EXITLAT_KERNEL_RELEASE=0.0.0-exitlat-test KDIR=$tmp/no-kdir scripts/install-deps --check >"$tmp/check.out" 2>&1
	grep -q 'no kernel build tree for 0.0.0-exitlat-test' "$tmp/check.out" ||
		why+=" install-deps --check does not say what to install for an unpackaged kernel: $(head -c 200 "$tmp/check.out");"
	# The line where the package exists, and per distribution where it does not.
	l=$(EXITLAT_KERNEL_RELEASE=$rel KDIR=$tmp/no-kdir bash -c '. scripts/lib/common.sh; . scripts/lib/envrecord.sh;
		. scripts/lib/native.sh; native_init; native_build_line')
	[[ $l == *"apt-get install $known"* ]] || why+=" packaged kernel: '$l' does not say apt-get install $known;"
	while IFS='|' read -r osr want; do
		printf '%s\n' "$osr" | tr ';' '\n' >"$tmp/os-release"
		got=$(native_classify os "$tmp/os-release")
		[ "$got" = "$want" ] || why+=" os-release '$osr': '$got', expected $want;"
	done <<'EOF'
ID=debian|headers-debian
ID=ubuntu;ID_LIKE=debian|headers-debian
ID=fedora|headers-fedora
ID="rocky";ID_LIKE="rhel centos fedora"|headers-fedora
ID="opensuse-tumbleweed";ID_LIKE="opensuse suse"|headers-suse
ID=arch|headers-arch
ID=alpine|headers-other
EOF
	[ -z "$why" ] && result PASS headers "install-deps lists $known exactly when VMX + no tree + known to apt; unpackaged kernels and 7 distributions get what to install" ||
		result FAIL headers "${why:0:700}"
fi

# --- scripts/run on the played lab machine --------------------------------------------
# run_case NAME: scripts/run --no-emu into $tmp/NAME (no /dev/kvm: fast); sets rc, rd, out.
run_case() {
	local name=$1
	reset_fakes
	out=$tmp/$name.out
	KVM_PROBE_DEV=$tmp/no-kvm scripts/run --out "$tmp/$name" --quick --no-emu --no-compare >"$out" 2>&1
	rc=$?
	rd=$(sed -n 's/^report: \(.*\)\/report\.md$/\1/p' "$out" | tail -n 1)
}
# told WHAT PATTERN: the run printed a line matching PATTERN (grep -E), and
# parts.txt and report.md hold the same line.
told() {
	local what=$1 pat=$2 l
	l=$(grep -E -m 1 "^run: native: [a-z]+: .*($pat)" "$out" | sed 's/^run: native: [a-z]*: //')
	if [ -z "$l" ]; then
		why+=" no '$what' line in the run output ($(grep -m 1 '^run: native' "$out"));"
		return
	fi
	grep -qF -- "$l" "$rd/parts.txt" 2>/dev/null || why+=" the $what line is not in parts.txt;"
	# report.md escapes every punctuation mark (CommonMark backslash escapes): compare what a reader sees
	sed 's/\\\(.\)/\1/g' "$rd/report.md" 2>/dev/null | grep -qF -- "$l" ||
		why+=" the $what line is not in report.md;"
}
ran_on() { # what the run and the report must show: the run went on to KVM and ended with the report
	[ -n "$rd" ] && [ -s "$rd/report.md" ] || why+=" no report (exit $rc);"
	grep -q '^kvm missing: /dev/kvm is absent' "$rd/parts.txt" 2>/dev/null || why+=" the run did not go on to the KVM side;"
}
show() { sed 's/^/    /' "$out" | grep -v '^    \*\*\*\*' | tail -n 12; }
verdict() { # NAME WHAT: PASS with WHAT when nothing went wrong ($why), else FAIL and the run's last lines
	if [ -z "$why" ]; then
		result PASS "$1" "$2"
	else
		result FAIL "$1" "${why:0:600}"
		show
	fi
}

kdir=$(scripts/fetch-kernels --print 6.1 kdir 2>/dev/null)
[ -f "$kdir/Makefile" ] || { nice scripts/fetch-kernels 6.1 >"$tmp/fetch.log" 2>&1; kdir=$(scripts/fetch-kernels --print 6.1 kdir 2>/dev/null); }
kabi=$(scripts/fetch-kernels --print 6.1 abi 2>/dev/null)
tree=
[ -f "$kdir/Makefile" ] && [ -n "$kabi" ] && tree=1
no_tree="no cached 6.1 kbuild tree to build exitlat.ko against (scripts/fetch-kernels 6.1: $(tail -n 1 "$tmp/fetch.log" 2>/dev/null))"

# A lab machine running the rig's Debian 6.1 kernel, its build tree installed.
export EXITLAT_KERNEL_RELEASE=$kabi KDIR=$kdir

# run-lockdown: detected before insmod, which is never called.
if [ -z "$tree" ]; then
	result SKIP run-lockdown "$no_tree"
else
	sysfs N 'none [integrity] confidentiality'
	run_case lockdown
	why=
	told "Secure Boot" 'Secure Boot.*mokutil --import.*make sign'
	[ ! -e "$FAKE_DIR/insmod.calls" ] || why+=" insmod was called: $(head -n 1 "$FAKE_DIR/insmod.calls");"
	[ "$rc" = 0 ] || why+=" exit $rc, expected 0 (native missing, the rest ran);"
	ran_on
	verdict run-lockdown "lockdown [integrity], unsigned exitlat.ko: the Secure Boot line in output, parts and report; no insmod"
fi

# run-rejected: nothing said signatures were needed; insmod says so.
if [ -z "$tree" ]; then
	result SKIP run-rejected "$no_tree"
else
	sysfs N '[none] integrity confidentiality'
	FAKE_INSMOD=reject run_case rejected
	why=
	told "Secure Boot" 'Secure Boot.*mokutil --import.*make sign'
	[ -s "$FAKE_DIR/insmod.calls" ] || why+=" insmod was never called;"
	grep -q 'Key was rejected by service' "$rd/logs/insmod.log" 2>/dev/null || why+=" logs/insmod.log lacks insmod's words;"
	grep -q 'Loading of unsigned module is rejected' "$rd/logs/insmod.log" 2>/dev/null || why+=" logs/insmod.log lacks the kernel's line;"
	grep -q 'held by another hypervisor' "$rd/logs/insmod.log" 2>/dev/null && why+=" logs/insmod.log holds the kernel log's old lines;"
	ran_on
	verdict run-rejected "insmod: Key was rejected by service: the same Secure Boot line; the kernel's line in logs/insmod.log"
fi

# run-no-headers: a kernel no package serves; nothing to build against.
sysfs - -
EXITLAT_KERNEL_RELEASE=0.0.0-exitlat-test KDIR=$tmp/no-kdir run_case no-headers
why=
told "install" "no kernel build tree for 0.0.0-exitlat-test at $tmp/no-kdir.*install"
[ ! -e "$FAKE_DIR/insmod.calls" ] || why+=" insmod was called: $(head -n 1 "$FAKE_DIR/insmod.calls");"
[ "$rc" = 0 ] || why+=" exit $rc, expected 0 (native missing, the rest ran);"
grep -q 'NATIVE NOT MEASURED' "$out" || why+=" the run output does not say loudly that native was not measured;"
ran_on
verdict run-no-headers "no tree, no linux-headers-0.0.0-exitlat-test: what to install, in output, parts and report; the run went on (exit 0)"

# run-builds: the tree is there; lockdown is on and a key is given: signed, then insmod'ed.
if [ -z "$tree" ]; then
	result SKIP run-builds "$no_tree"
elif ! command -v openssl >/dev/null; then
	result SKIP run-builds "openssl is not installed: no test key to sign exitlat.ko with (apt-get install openssl)"
else
	openssl req -new -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=exitlat-lab-test \
		-keyout "$tmp/sign.key" -out "$tmp/sign.crt" >/dev/null 2>&1
	sysfs Y '[none] integrity confidentiality'
	rm -f "$B/exitlat.ko"
	SIGN_KEY=$tmp/sign.key SIGN_CERT=$tmp/sign.crt FAKE_INSMOD=reject run_case builds
	why=
	vm=$(modinfo -F vermagic "$B/exitlat.ko" 2>/dev/null | awk '{ print $1 }')
	[ "$vm" = "$kabi" ] || why+=" $B/exitlat.ko not built for $kabi (vermagic '$vm');"
	grep -qx "$B/exitlat.ko" "$FAKE_DIR/insmod.calls" 2>/dev/null ||
		why+=" insmod was not given $B/exitlat.ko: '$(head -n 1 "$FAKE_DIR/insmod.calls" 2>/dev/null)';"
	grep -q '^signed: ' "$FAKE_DIR/insmod.calls" 2>/dev/null || why+=" the module insmod got was not signed;"
	[ "$(modinfo -F signer "$B/exitlat.ko" 2>/dev/null)" = exitlat-lab-test ] || why+=" not signed with the given key;"
	# Signed and still rejected: the key is not enrolled; the line names it.
	told "enrol" "mokutil --import $tmp/sign.crt"
	ran_on
	verdict run-builds "built against the $kabi tree, signed with SIGN_KEY (sig_enforce=Y), insmod'ed; rejected: the line names the certificate to enrol"
fi

# run-firmware: the module refuses to load; and a kernel that hid the vmx flag.
if [ -z "$tree" ]; then
	result SKIP run-firmware "$no_tree"
else
	sysfs - -
	FAKE_INSMOD=vmx-firmware run_case firmware
	why=
	told "firmware" 'VMX is disabled by the firmware.*enable .*(BIOS|UEFI)'
	ran_on
	reset_fakes
	echo '[    0.412345] x86/cpu: VMX (outside TXT) disabled by BIOS' >>"$FAKE_DIR/kmsg"
	EXITLAT_CPUINFO=$FAKE_DIR/cpuinfo-novmx KVM_PROBE_DEV=$tmp/no-kvm scripts/run --out "$tmp/hidden" --quick --no-emu \
		--no-compare >"$tmp/hidden.out" 2>&1
	grep -q '^native missing: VMX is disabled by the firmware' "$(sed -n 's/^report: \(.*\)\/report\.md$/\1/p' "$tmp/hidden.out")/parts.txt" 2>/dev/null ||
		why+=" vmx flag hidden by the kernel: $(grep -m 1 '^run: native' "$tmp/hidden.out");"
	verdict run-firmware "insmod ENODEV + the module's firmware line, and a kernel that hid vmx: enable VMX in the firmware setup"
fi

# run-hypervisor: VirtualBox holds VMX root: insmod EBUSY and the kernel's line.
if [ -z "$tree" ]; then
	result SKIP run-hypervisor "$no_tree"
else
	sysfs - - vboxdrv
	FAKE_INSMOD=foreign run_case hypervisor
	why=
	told "hypervisor" 'another hypervisor.*loaded here: vboxdrv.*rmmod'
	ran_on
	verdict run-hypervisor "insmod EBUSY + 'held by another hypervisor': stop its VMs or unload vboxdrv (named: loaded here)"
fi

# run-native-busy: the module is loaded (by someone else); its batches get EBUSY.
sysfs - - exitlat vmmon
EXITLAT_NATIVE=$FAKE_DIR/bin/exitlat-native EXITLAT_KERNEL_RELEASE=0.0.0-exitlat-test KDIR=$tmp/no-kdir run_case native-busy
why=
told "hypervisor" 'another hypervisor.*loaded here: vmmon'
grep -q '^native failed: ' "$rd/parts.txt" 2>/dev/null || why+=" native is not failed in parts.txt;"
n=$(cat "$FAKE_DIR/native.calls" 2>/dev/null | wc -l)
[ "$n" = 1 ] || why+=" exitlat-native ran $n kinds, expected only the first;"
[ "$rc" = 1 ] || why+=" exit $rc, expected 1 (a measurement failed);"
ran_on
verdict run-native-busy "exitlat-native EBUSY + the kernel's line: the hypervisor line naming vmmon; no further kind tried; exit 1"
exit $fail
