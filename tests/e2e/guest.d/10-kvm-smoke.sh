#!/bin/sh
# Loads KVM's modules for this CPU and runs one guest through /dev/kvm, first
# as root, then as an unprivileged member of the kvm group.
. /lib/exitlat-guest.sh

if ! has_vmx && ! has_svm; then
	guest_result SKIP kvm-smoke "CPU $EXITLAT_CPU has neither VMX nor SVM"
	exit 0
fi
if ! load_kvm >load_kvm.log 2>&1; then
	cat load_kvm.log
	guest_result FAIL kvm-load "$(tail -n 1 load_kvm.log)"
	exit 1
fi
guest_result PASS kvm-load "$(lsmod | awk 'NR > 1 {printf "%s ", $1}')"
rc=0
if kvm-smoke >smoke-root.txt 2>&1; then
	guest_result PASS kvm-smoke "$(tail -n 1 smoke-root.txt)"
else
	cat smoke-root.txt
	guest_result FAIL kvm-smoke "$(tail -n 1 smoke-root.txt)"
	rc=1
fi
if as_user kvm-smoke >smoke-user.txt 2>&1; then
	guest_result PASS kvm-smoke-user "uid $(as_user id -u) in group kvm"
else
	cat smoke-user.txt
	guest_result FAIL kvm-smoke-user "$(tail -n 1 smoke-user.txt)"
	rc=1
fi
if [ "$EXITLAT_KERNEL" = 6.12 ]; then
	v=$(cat /sys/module/kvm/parameters/enable_virt_at_load 2>/dev/null)
	if [ "$v" = Y ]; then
		guest_result PASS kvm-enable-virt-at-load "kvm.enable_virt_at_load=Y on 6.12"
	else
		guest_result FAIL kvm-enable-virt-at-load "expected Y on 6.12, read '${v:-nothing}'"
		rc=1
	fi
fi
if unload_kvm >unload_kvm.log 2>&1; then
	guest_result PASS kvm-unload
else
	cat unload_kvm.log
	guest_result FAIL kvm-unload "$(tail -n 1 unload_kvm.log)"
	rc=1
fi
exit $rc
