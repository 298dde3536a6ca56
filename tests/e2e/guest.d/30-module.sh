#!/bin/sh
# exitlat.ko in the emulator: every exit kind natively (KVM not loaded, then
# loaded: on 6.12 it holds VMX root operation / EFER.SVME from load on), the
# split modes, bad ioctls, a non-root refusal, load/unload cycles, and the
# clean refusal on a CPU without VMX/SVM. Figures are EMULATED path lengths.
. /lib/exitlat-guest.sh

# samples per kind: 14 kinds, KVM loaded and not; in QEMU the twins' 100,000
# each took 200 guest-seconds of a boot, and Bochs' paths repeat exactly
N=20000
CYCLES=20		# load/unload cycles
KO=$EXITLAT_KMOD/exitlat.ko
KINDS=$(exitlat-native --list | awk '{ print $1 }')
# Bochs' SVM (zambezi) runs the guest's first instruction with a physical
# interrupt pending at VMRUN (seen: #VMEXIT 0x46 on intr-exit's UD2, in CI at
# 2bc7377); QEMU's SVM exits on it as the APM says. Not understood yet: left
# out there, said so, until the module's SVM guest is checked against it.
bochs_svm=
if [ "$EXITLAT_EMU" = bochs ] && has_svm; then
	bochs_svm=1
	KINDS=$(echo "$KINDS" | grep -vx intr-exit)
	guest_result SKIP module-intr-exit-bochs-svm "Bochs' SVM does not exit on the interrupt pending at VMRUN (the guest's UD2 ran): not measured in Bochs' SVM"
fi
rc=0

fail() { guest_result FAIL "$@"; rc=1; }

if [ ! -f "$KO" ]; then
	guest_result FAIL module-build "no exitlat.ko for $EXITLAT_KABI (see the rig's kmod log)"
	exit 1
fi

if ! has_vmx && ! has_svm; then
	if insmod "$KO" 2>insmod.err; then
		rmmod exitlat
		fail module-refusal "insmod succeeded on $EXITLAT_CPU, which has neither VMX nor SVM"
		exit 1
	fi
	# One line per load attempt; busybox's insmod makes two (finit_module, then init_module).
	refusals=$(dmesg | grep -c 'exitlat: not loaded: ')
	others=$(dmesg | grep 'exitlat: ' | grep -v 'taints kernel\|module verification\|not loaded: ' | head -n 1)
	if grep -q 'No such device' insmod.err && [ "$refusals" -ge 1 ] && [ -z "$others" ]; then
		guest_result PASS module-refusal "ENODEV and only the refusal in the log: $(dmesg | grep 'exitlat: not loaded' | tail -n 1)"
	else
		fail module-refusal "wanted ENODEV and only 'not loaded' lines, got '$(cat insmod.err)', $refusals refusals, other: '$others'"
	fi
	exit $rc
fi

# "median M min M max M" from exitlat-native's summary line in LOG (sorting
# 100,000 samples with busybox in an emulator would take minutes)
summary() {
	sed -n 's/^summary: .* min=\([0-9]*\) median=\([0-9.]*\) max=\([0-9]*\).*/median \2 min \1 max \3/p' "$1"
}

# Appends "LABEL KIND SAMPLES MEDIAN MIN MAX DROPPED" to summary.txt (read by
# tests/e2e/host.d/30-module.sh), then drops the sample file: 100,000 samples
# per kind would crowd the results disk. nokvm-cpuid.samples is kept as an example.
record() { # LABEL KIND FILE
	set -- "$1" "$2" "$3" "$(summary "$3.log")"
	echo "$1 $2 $(hdr samples "$3") $(echo "$4" | awk '{print $2, $4, $6}') $(hdr dropped "$3" | cut -d' ' -f1)" >>summary.txt
	[ "$1-$2" = nokvm-cpuid ] || rm -f "$3"
}

# header value of KEY in FILE; stops at the first sample line (files hold 100,000)
hdr() {
	awk -v k="# $1: " 'index($0, k) == 1 { print substr($0, length(k) + 1); exit } !/^#/ { exit }' "$2"
}

# who held VMX root operation / EFER.SVME during the run in FILE
holder() {
	if [ "$(hdr virt "$1")" = svm ]; then echo "svme $(hdr svme "$1")"; else echo "vmx_root $(hdr vmx_root "$1")"; fi
}

# intr_exit_checks LABEL FILE: every intr-exit trip was verified by its exit
# reason (EXTERNAL_INTERRUPT / INTR), and each batch's self-IPI reached the
# host's handler exactly once (none lost, none duplicated)
intr_exit_checks() {
	b=$(hdr batches "$2")
	ipis=$(hdr self_ipis "$2")
	if [ "$(hdr verified "$2")" = exit-reason ] &&
	   [ "${ipis%% handled*}" = "$b raised, $b" ] && [ "${b:-0}" -gt 0 ]; then
		guest_result PASS "module-$1-intr-exit-verified" "verified: exit-reason; self_ipis: $ipis over $b batches"
	else
		fail "module-$1-intr-exit-verified" "verified '$(hdr verified "$2")', self_ipis '$ipis', batches '$b'"
	fi
}

# run_kinds LABEL: every kind, N samples, round trip
run_kinds() {
	for k in $KINDS; do
		f=$1-$k.samples
		exitlat-native -e "$k" -n "$N" -o "$f" >"$f.log" 2>&1
		krc=$?
		if [ $krc = 0 ] && [ "$(hdr samples "$f")" = "$N" ]; then
			guest_result PASS "module-$1-$k" "$N samples, $(summary "$f.log") cycles EMULATED, dropped $(hdr dropped "$f"), $(holder "$f")"
			[ "$k" = cpuid ] && holder "$f" >"holder-$1.txt"
			[ "$k" = intr-exit ] && intr_exit_checks "$1" "$f"
			record "$1" "$k" "$f"
		elif [ $krc = 3 ]; then
			# the emulated CPU lacks what the kind needs (XSAVE, WBINVD exiting): one line says which
			guest_result SKIP "module-$1-$k" "$EXITLAT_CPU cannot run it: $(tail -n 1 "$f.log")"
		else
			cat "$f.log"
			fail "module-$1-$k" "$(tail -n 1 "$f.log")"
		fi
	done
}

# hoststate LABEL: the host-state guard (tests/e2e/host-state-check.c) on
# CPU 0, every kind and mode, one result line per check.
hoststate() {
	modprobe_msr
	if has_svm; then v=svm; else v=vmx; fi
	host-state-check 0 $v >"hoststate-$1.txt" 2>&1
	hrc=$?
	hfail=0
	while read -r verdict name why; do
		# intr-exit in Bochs' SVM: left out, as above
		if [ "$verdict" = FAIL ] && [ -n "$bochs_svm" ] && [ "${name#intr-exit}" != "$name" ]; then
			verdict=SKIP why="Bochs' SVM does not exit on the interrupt pending at VMRUN ($why)"
		fi
		[ "$verdict" = FAIL ] && hfail=1
		case $verdict in
		PASS | FAIL | SKIP) guest_result "$verdict" "module-hoststate-$1-${name%:}" "$why" ;;
		*) echo "$verdict $name $why" ;;
		esac
	done <"hoststate-$1.txt"
	[ $hrc = 0 ] || [ $hrc = 1 ] || fail "module-hoststate-$1" "host-state-check exited $hrc: $(tail -n 1 "hoststate-$1.txt")"
	[ $hfail = 1 ] && rc=1
}

# /dev/cpu/N/msr for the host-state check's IA32_DEBUGCTL
modprobe_msr() {
	[ -d /sys/module/msr ] || [ ! -f "$EXITLAT_KMOD/msr.ko" ] || insmod "$EXITLAT_KMOD/msr.ko"
}

if ! insmod "$KO" 2>insmod.err; then
	fail module-load "$(cat insmod.err); $(dmesg | grep 'exitlat: ' | tail -n 1)"
	exit 1
fi
mode=$(stat -c %a /dev/exitlat 2>/dev/null)
if [ "$mode" = 600 ]; then
	guest_result PASS module-load "/dev/exitlat mode 0600"
else
	fail module-load "/dev/exitlat mode '$mode', wanted 600"
fi
exitlat-native --info >info.txt 2>&1 || fail module-info "$(tail -n 1 info.txt)"

run_kinds nokvm
hoststate nokvm

# the one-screen summary: count, min, median, p99, max, drops; --quiet prints nothing
l=nokvm-cpuid.samples.log
if grep -q "^summary: exit=cpuid .*samples=$N dropped=[0-9]* min=[0-9]* median=[0-9.]* max=[0-9]* p99=[0-9.]*" "$l" &&
   grep -q '^  dropped ' "$l"; then
	if out=$(exitlat-native -e cpuid -n 10 -q -o quiet.samples 2>&1) && [ -z "$out" ] &&
	   [ "$(hdr samples quiet.samples)" = 10 ]; then
		guest_result PASS module-summary "count, min, median, p99, max and drops printed; --quiet prints nothing"
	else
		fail module-summary "--quiet: exit $?, printed '$out'"
	fi
else
	fail module-summary "no complete summary in $l: $(grep -c . "$l") lines"
fi

# SVM: the trip KVM pays, with VMLOAD/VMSAVE around VMRUN (--kvm-like), beside the bare one
if has_svm; then
	f=kvmlike-cpuid.samples
	if exitlat-native -e cpuid --kvm-like -n "$N" -o $f >$f.log 2>&1 &&
	   hdr native_path $f | grep -q 'VMLOAD/VMSAVE in the timed trip'; then
		guest_result PASS module-kvm-like "cpuid with VMLOAD/VMSAVE: $(summary $f.log) cycles EMULATED; bare: $(summary nokvm-cpuid.samples.log)"
		record kvmlike cpuid $f
	else
		cat $f.log
		fail module-kvm-like "$(tail -n 1 $f.log); native_path '$(hdr native_path $f)'"
	fi
fi

# A CPU that goes offline under a run: the run keeps what it took, marked
# incomplete with the reason, and exits 1 (never EINVAL, never nothing).
if [ "${EXITLAT_SMP:-1}" -ge 2 ] && [ -w /sys/devices/system/cpu/cpu1/online ]; then
	exitlat-native -e cpuid -c 1 -n 50000000 -o offline.samples >offline.log 2>&1 &
	opid=$!
	sleep 3
	echo 0 >/sys/devices/system/cpu/cpu1/online
	wait $opid
	orc=$?
	echo 1 >/sys/devices/system/cpu/cpu1/online
	got=$(hdr samples offline.samples)
	if [ $orc = 1 ] && [ "${got:-0}" -gt 0 ] && [ "$(hdr incomplete offline.samples)" = "CPU 1 went offline" ] &&
	   grep -q 'CPU 1 went offline' offline.log; then
		guest_result PASS module-cpu-offline "exit 1, kept $got samples marked 'incomplete: CPU 1 went offline'"
	else
		cat offline.log
		fail module-cpu-offline "exit $orc, samples '$got', incomplete '$(hdr incomplete offline.samples)'"
	fi
	rm -f offline.samples
else
	guest_result SKIP module-cpu-offline "one vCPU: no second CPU to take offline"
fi

# A CPU held by a hypervisor exitlat does not know (VirtualBox, VMware; here
# tests/e2e/foreign-hv): refused in one clear line, never borrowed.
if [ -f "$EXITLAT_KMOD/foreign_hv.ko" ]; then
	if insmod "$EXITLAT_KMOD/foreign_hv.ko" 2>foreign.err; then
		exitlat-native -e cpuid -n 100 -o foreign.samples >foreign.log 2>&1
		frc=$?
		line=$(dmesg | grep 'held by another hypervisor (not KVM)' | tail -n 1)
		if [ $frc != 0 ] && [ -n "$line" ] && grep -qi 'busy' foreign.log; then
			guest_result PASS module-foreign-hv "refused (exit $frc): ${line#*exitlat: }; front end: $(tail -n 1 foreign.log)"
		else
			cat foreign.log
			fail module-foreign-hv "exit $frc, kernel line '$line', front end '$(tail -n 1 foreign.log)'"
		fi
		rmmod foreign_hv || fail module-foreign-hv "rmmod foreign_hv failed"
		exitlat-native -e cpuid -n 100 -o foreign-after.samples >foreign-after.log 2>&1 ||
			fail module-foreign-hv-after "cpuid after the other hypervisor left: $(tail -n 1 foreign-after.log)"
	else
		fail module-foreign-hv "insmod foreign_hv.ko: $(cat foreign.err)"
	fi
else
	guest_result SKIP module-foreign-hv "no foreign_hv.ko for $EXITLAT_KABI (see the rig's kmod log)"
fi

# Every VMfail is named: which instruction, VMfailValid or VMfailInvalid, and
# the VM-instruction error by number and name (the inject parameter provokes
# each; SVM has no VMfail: VMRUN exits with VMEXIT_INVALID instead).
inject() { # N WANT NAME
	rmmod exitlat && insmod "$KO" inject="$1" || { fail "module-vmfail-$3" "insmod inject=$1 failed"; return; }
	exitlat-native -e cpuid -n 1000 -o inject.samples >inject.log 2>&1
	irc=$?
	line=$(dmesg | grep "exitlat: $2" | tail -n 1)
	if [ $irc != 0 ] && [ -n "$line" ]; then
		guest_result PASS "module-vmfail-$3" "exit $irc; ${line#*exitlat: }"
	else
		cat inject.log
		fail "module-vmfail-$3" "exit $irc, no kernel line '$2': $(dmesg | grep 'exitlat: ' | tail -n 1)"
	fi
}
if has_vmx; then
	inject 1 'VMLAUNCH failed: VMfailValid, VM-instruction error 4 (VMLAUNCH with non-clear VMCS)' vmlaunch-valid
	inject 2 'VMWRITE HOST_RSP failed: VMfailInvalid' host-rsp-invalid
	rmmod exitlat && insmod "$KO" || fail module-vmfail-reload "insmod without inject failed"
fi

# intr-exit verifies every trip by its exit reason: without its interrupt
# (inject=3) the guest's UD2 exits, and the batch fails naming that exit
# (several batches: a host timer interrupt pending at one batch's start
# would make that one a real intr-exit batch). In Bochs the kernel's local
# APIC timer fires every ~60 us of emulated time (LOC counts ~16,000 a
# second), so one is always pending by a batch's first VM entry: there the
# check cannot fail, and is skipped.
if [ "$EXITLAT_EMU" = bochs ]; then
	guest_result SKIP module-intr-exit-unverified "Bochs: the host's local timer interrupt (every ~60 us emulated) is pending at every batch's first entry, self-IPI or not"
else
	rmmod exitlat && insmod "$KO" inject=3 || fail module-intr-exit-unverified "insmod inject=3 failed"
	exitlat-native -e intr-exit -n 100000 -o inject.samples >inject.log 2>&1
	irc=$?
	if has_svm; then want='unexpected #VMEXIT: exit code 0x46 (exception)'; else want='unexpected VM exit: reason 0 (exception or NMI)'; fi
	line=$(dmesg | grep "exitlat: $want" | tail -n 1)
	if [ $irc = 1 ] && [ -n "$line" ] && grep -q 'unexpected' inject.log; then
		guest_result PASS module-intr-exit-unverified "no interrupt pending: exit $irc; ${line#*exitlat: }"
	else
		cat inject.log
		fail module-intr-exit-unverified "exit $irc, no kernel line '$want': $(dmesg | grep 'exitlat: ' | tail -n 1)"
	fi
	rmmod exitlat && insmod "$KO" || fail module-intr-exit-reload "insmod without inject failed"
fi

for m in entry exit; do
	f=split-$m.samples
	if exitlat-native -e cpuid -m $m -n 10000 -o "$f" >"$f.log" 2>&1; then
		guest_result PASS "module-mode-$m" "cpuid $m: $(summary "$f.log") cycles EMULATED"
		record "mode-$m" cpuid "$f"
	else
		cat "$f.log"
		fail "module-mode-$m" "$(tail -n 1 "$f.log")"
	fi
done

# Ctrl-C keeps what was taken: SIGINT mid-run still writes a valid file and
# exits 130 (as kvm-probe). A background job of a script starts with SIGINT
# ignored until exitlat-native installs its handler, so the signal is repeated
# until the run ends; the run would take minutes without it.
exitlat-native -e cpuid -n 20000000 -o sigint.samples >sigint.log 2>&1 &
pid=$!
sleep 0.05
sent=0
while kill -INT $pid 2>/dev/null && [ $sent -lt 600 ]; do
	sent=$((sent + 1))
	sleep 0.05
done
wait $pid
src=$?
got=$(hdr samples sigint.samples)
if [ $src = 130 ] && [ "$(hdr interrupted sigint.samples)" = yes ] &&
   [ -n "$got" ] && [ "$got" -lt 20000000 ]; then
	guest_result PASS module-sigint "interrupted run exited 130 and kept $got samples"
else
	cat sigint.log
	fail module-sigint "SIGINT: exit status $src (want 130), interrupted '$(hdr interrupted sigint.samples)', samples '$got'"
fi
rm -f sigint.samples

if out=$(as_nobody exitlat-native -e cpuid -n 10 -o /tmp/nobody.samples 2>&1); then
	fail module-nonroot "a non-root user was let through"
elif echo "$out" | grep -q 'only root can drive the native module'; then
	guest_result PASS module-nonroot "$out"
else
	fail module-nonroot "wrong refusal: $out"
fi

if exitlat-ioctl-check >ioctl-check.txt 2>&1; then
	guest_result PASS module-bad-ioctls "$(grep -c '^ok' ioctl-check.txt) checks"
else
	cat ioctl-check.txt
	fail module-bad-ioctls "$(grep '^FAIL' ioctl-check.txt | head -n 1)"
fi

# load_cycles LABEL: rmmod + insmod + a short run, CYCLES times
load_cycles() {
	i=0
	while [ $i -lt $CYCLES ]; do
		rmmod exitlat || { fail "module-cycles-$1" "rmmod failed in cycle $i"; return; }
		insmod "$KO" || { fail "module-cycles-$1" "insmod failed in cycle $i"; return; }
		exitlat-native -e cpuid -n 100 -o cycle.samples >cycle.log 2>&1 ||
			{ cat cycle.log; fail "module-cycles-$1" "run failed in cycle $i"; return; }
		i=$((i + 1))
	done
	guest_result PASS "module-cycles-$1" "$CYCLES rmmod/insmod/run cycles"
}
load_cycles nokvm

if load_kvm >load_kvm.log 2>&1; then
	run_kinds kvm
	hoststate kvm
	if [ "$EXITLAT_KERNEL" = 6.12 ]; then
		b=$(cat holder-kvm.txt 2>/dev/null)
		case $b in
		*borrowed*) guest_result PASS module-kvm-borrow "6.12 KVM holds the CPU: $b" ;;
		*) fail module-kvm-borrow "6.12 with KVM loaded, expected borrowed, got '$b'" ;;
		esac
	fi
	# KVM must still work after the module borrowed (6.12) or shared the CPU
	if command -v kvm-probe >/dev/null; then
		if kvm-probe -e cpuid -n 1000 -o kvm-after.samples >kvm-after.log 2>&1; then
			guest_result PASS module-kvm-intact "kvm-probe runs a guest after the module's batches"
		else
			cat kvm-after.log
			fail module-kvm-intact "kvm-probe failed after the module ran: $(tail -n 1 kvm-after.log)"
		fi
		rm -f kvm-after.samples
	else
		guest_result SKIP module-kvm-intact "no kvm-probe in $EXITLAT_BIN"
	fi
	if [ "${EXITLAT_SMP:-1}" -ge 2 ] && command -v kvm-probe >/dev/null; then
		# a KVM guest runs on CPU 1 (stopped with SIGINT, which keeps its samples)
		# while the module measures on CPU 0
		kvm-probe -e pio -n 2000000 -c 1 -o busy-kvm.samples >busy-kvm.log 2>&1 &
		kpid=$!
		sleep 1
		f=busy-native.samples
		if exitlat-native -e cpuid -c 0 -n "$N" -o $f >$f.log 2>&1; then
			guest_result PASS module-kvm-busy "cpuid beside a running KVM guest: $(summary $f.log) cycles EMULATED, $(holder $f)"
			record busy cpuid $f
		else
			cat $f.log
			fail module-kvm-busy "$(tail -n 1 $f.log)"
		fi
		kill -INT $kpid 2>/dev/null
		wait $kpid
		krc=$?	# 130: interrupted, samples kept
		if { [ $krc = 0 ] || [ $krc = 130 ]; } && [ "$(hdr samples busy-kvm.samples)" -gt 0 ]; then
			guest_result PASS module-kvm-busy-probe "kvm-probe's guest ran beside the module: $(hdr samples busy-kvm.samples) samples"
		else
			cat busy-kvm.log
			fail module-kvm-busy-probe "kvm-probe failed beside the module"
		fi
		rm -f busy-kvm.samples
	else
		guest_result SKIP module-kvm-busy "one vCPU: no second CPU for a running KVM guest"
	fi
	load_cycles kvm
	unload_kvm >unload_kvm.log 2>&1 || fail module-kvm-unload "$(tail -n 1 unload_kvm.log)"
else
	cat load_kvm.log
	fail module-kvm "KVM would not load: $(tail -n 1 load_kvm.log)"
fi

rmmod exitlat || fail module-unload "rmmod exitlat failed"
exit $rc
