# Helpers for guest-side scripts (tests/e2e/guest.d/*.sh and measurement
# scripts run by scripts/emu-run): `. /lib/exitlat-guest.sh`. busybox ash.

has_vmx() { grep -qw vmx /proc/cpuinfo; }
has_svm() { grep -qw svm /proc/cpuinfo; }

# One parseable line per check; scripts/test-e2e records each as
# e2e/BOOT/NAME. The results file (/out/results, brought back on the results
# disk) is what counts: a kernel message printed at the same moment can cut
# a console line. The console gets the line too, to watch a boot and to
# cross-check the file; written to the console itself so that a caller
# redirecting stdout (or running us inside $(...)) cannot swallow it.
guest_result() { # PASS|FAIL|SKIP NAME [why...]
	local verdict=$1 name=$2 line
	case $verdict in
	PASS | FAIL | SKIP) ;;
	*)
		echo "guest_result: verdict '$verdict' is not PASS, FAIL or SKIP" >&2
		return 1
		;;
	esac
	[ -n "$name" ] || { echo "guest_result: no test name" >&2; return 1; }
	shift 2
	if [ $# -gt 0 ]; then
		line="$verdict $name: $*"
	elif [ "$verdict" = SKIP ]; then
		line="FAIL $name: skipped without saying why"
	else
		line="$verdict $name"
	fi
	if [ -w /dev/console ]; then
		echo "EXITLAT-RESULT $line" >/dev/console
	else
		echo "EXITLAT-RESULT $line"
	fi
	# A line the file lacks fails the boot (the host compares it with the console).
	echo "$line" >>"${EXITLAT_RESULTS:-/out/results}" ||
		{ echo "guest_result: cannot append to ${EXITLAT_RESULTS:-/out/results}" >&2; return 1; }
}

# KVM's modules for this CPU's vendor, in dependency order (the host wrote the
# order files when it built the initramfs).
kvm_order_file() {
	if has_vmx; then
		echo "$EXITLAT_KMOD/kvm-intel.order"
	elif has_svm; then
		echo "$EXITLAT_KMOD/kvm-amd.order"
	else
		echo "load_kvm: the CPU has neither vmx nor svm in /proc/cpuinfo" >&2
		return 1
	fi
}

load_kvm() {
	local order m name
	order=$(kvm_order_file) || return 1
	[ -f "$order" ] || { echo "load_kvm: $order missing" >&2; return 1; }
	for m in $(cat "$order"); do
		name=$(echo "${m%.ko}" | tr - _)
		[ -d "/sys/module/$name/sections" ] && continue
		insmod "$EXITLAT_KMOD/$m" || { echo "load_kvm: insmod $m failed" >&2; return 1; }
	done
	[ -c /dev/kvm ] || { echo "load_kvm: modules loaded but no /dev/kvm" >&2; return 1; }
	# What udev does on a real system: the kvm group may use /dev/kvm.
	chgrp kvm /dev/kvm && chmod 0660 /dev/kvm
}

unload_kvm() {
	local order m
	order=$(kvm_order_file) || return 1
	for m in $(tac "$order"); do
		[ -d "/sys/module/$(echo "${m%.ko}" | tr - _)/sections" ] || continue
		rmmod "${m%.ko}" || { echo "unload_kvm: rmmod ${m%.ko} failed" >&2; return 1; }
	done
}

# Runs a command as the unprivileged user exitlat (uid 1000, in group kvm),
# or as nobody (uid 65534, not in kvm), keeping the environment.
as_user() { su -p -s /bin/sh -c 'exec "$@"' -- exitlat as_user "$@"; }
as_nobody() { su -p -s /bin/sh -c 'exec "$@"' -- nobody as_nobody "$@"; }
