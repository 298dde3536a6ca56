#!/bin/sh
# kvm-probe inside an emulator guest: the no-device error before KVM is
# loaded; then every exit kind (kvm-probe --list), 2,000 samples each,
# through the guest's own kvm_intel (Bochs) or kvm_amd (QEMU), each file
# checked by the format reader and, for host-timed kinds, by KVM's exit
# counter; pio and cpuid twice (the host-side 20-kvm-probe.sh compares their
# Bochs medians, and in-kernel against user-space paths); every kind in real
# mode, 1,000 samples; an unprivileged member of the kvm group; the
# permission error for nobody. Sized for 23 kinds in every boot of the matrix:
# a Bochs median is exact from a few hundred samples (path lengths repeat), and
# each run also takes a warm-up and the same domain's null kind (3,072 samples
# for a guest-timed kind), so a kind costs Bochs about 5 s here.
# The interrupt kinds (kvm-probe --list's path "interrupt") take N_IRQ samples:
# a guest-timed one still runs one buffer of 1,024 interrupts, an irqfd one
# N_IRQ + WARMUP_IRQ; irqfd, irqfd-halt, ipi and ipi-halt need a second CPU
# (the smp 2 row) and are refused, a SKIP, in one-vCPU boots.
# Figures from here are EMULATED path lengths.
. /lib/exitlat-guest.sh

N=2000
WARMUP=256
N_IRQ=200
WARMUP_IRQ=32
rc=0

fail() { guest_result FAIL "$@"; rc=1; }

median() { grep -v '^#' "$1" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
key() { sed -n "s/^# $2: //p" "$1"; }

# No /dev/kvm yet: the probe must say so clearly.
if [ ! -e /dev/kvm ]; then
	kvm-probe --exit pio -o nodev.samples >nodev.txt 2>&1
	r=$?
	if [ $r = 1 ] && grep -q 'KVM is not available here' nodev.txt && [ ! -e nodev.samples ]; then
		guest_result PASS kvm-probe-no-device "exit 1: $(cut -c1-70 nodev.txt)..."
	else
		cat nodev.txt
		fail kvm-probe-no-device "exit $r: $(tail -n 1 nodev.txt)"
	fi
else
	guest_result SKIP kvm-probe-no-device "/dev/kvm existed before load_kvm"
fi

if ! has_vmx && ! has_svm; then
	guest_result SKIP kvm-probe "CPU $EXITLAT_CPU has neither VMX nor SVM"
	exit $rc
fi
if ! load_kvm >load_kvm.log 2>&1; then
	cat load_kvm.log
	fail kvm-probe-load "$(tail -n 1 load_kvm.log)"
	exit 1
fi

# One run; every kind must work on a hardware-style KVM (kvm_intel/kvm_amd), or
# be refused in one line for a reason kvm-probe names (no exit on this CPU, a
# missing feature, no real-mode loop): a skip that says why. A stall is a failure.
run_kind() { # NAME FILE SAMPLES ARGS...
	name=$1 f=$2 n=$3
	shift 3
	w=$WARMUP
	[ "$n" = $N_IRQ ] && w=$WARMUP_IRQ
	kvm-probe --samples "$n" --warmup $w --watchdog 60 -o "$f" "$@" >"$f.err" 2>&1
	r=$?
	if [ $r = 3 ] && [ "$(grep -c 'not measured' "$f.err")" = 1 ] &&
		! grep -q 'stopped by the watchdog' "$f.err"; then
		# Refused: that one line alone, and no sample file for the analysis to take as the kind.
		if [ "$(wc -l <"$f.err")" != 1 ] || [ -e "$f" ]; then
			fail "$name" "refused, but with $(wc -l <"$f.err") lines and $([ -e "$f" ] && echo "$f left" || echo 'no file'): $(tail -n 1 "$f.err")"
			return 1
		fi
		guest_result SKIP "$name" "$(grep 'not measured' "$f.err" | cut -c1-200)"
		return 0
	fi
	if [ $r != 0 ]; then
		cat "$f.err"
		fail "$name" "exit $r: $(tail -n 1 "$f.err")"
		return 1
	fi
	if ! exitlat-analyze --check "$f" >"$f.check" 2>&1; then
		cat "$f.check"
		fail "$name" "format check: $(tail -n 1 "$f.check")"
		return 1
	fi
	if [ "$(key "$f" samples)" != "$n" ]; then
		fail "$name" "header says $(key "$f" samples) samples, expected $n"
		return 1
	fi
	if [ "$(key "$f" domain)" = host ] && [ "$(key "$f" exit)" != null-host ]; then
		case $(key "$f" stats_check) in
		"ok: $n kept samples each saw exactly one exit"*) ;;
		*)
			fail "$name" "stats check: $(key "$f" verify) / $(key "$f" stats_check)"
			return 1
			;;
		esac
	fi
	guest_result PASS "$name" "EMULATED median $(median "$f") cycles, dropped $(key "$f" dropped), $(key "$f" kvm_backend), $(key "$f" mode) mode"
}

for k in $(kvm-probe --list | awk '$3 != "interrupt" { print $1 }'); do
	run_kind "kvm-probe-$k" "$k.samples" $N --exit "$k"
done
for k in $(kvm-probe --list | awk '$3 == "interrupt" { print $1 }'); do
	start=$(cut -d' ' -f1 /proc/uptime)
	run_kind "kvm-probe-$k" "$k.samples" $N_IRQ --exit "$k"
	echo "kvm-probe-$k: $(awk -v s="$start" '{ print $1 - s }' /proc/uptime) s guest uptime"
done
# Second runs: in Bochs the same path gives the same median (host.d compares).
run_kind kvm-probe-pio-again pio-b.samples $N --exit pio
run_kind kvm-probe-cpuid-again cpuid-b.samples $N --exit cpuid
for k in $(kvm-probe --list | awk '{ print $1 }'); do
	run_kind "kvm-probe-real-$k" "real-$k.samples" 1000 --exit "$k" --mode real
done

# An unprivileged member of the kvm group measures; nobody is told why not.
if as_user kvm-probe --exit pio --samples 2000 -o user.samples >user.txt 2>&1 &&
	exitlat-analyze --check user.samples >/dev/null 2>&1; then
	guest_result PASS kvm-probe-user "uid $(as_user id -u) in group kvm, EMULATED median $(median user.samples)"
else
	cat user.txt
	fail kvm-probe-user "$(tail -n 1 user.txt)"
fi
as_nobody kvm-probe --exit pio -o nobody.samples >nobody.txt 2>&1
r=$?
if [ $r = 1 ] && grep -q "Permission denied.*'kvm'" nobody.txt; then
	guest_result PASS kvm-probe-permission "exit 1, names the kvm group"
else
	cat nobody.txt
	fail kvm-probe-permission "exit $r: $(tail -n 1 nobody.txt)"
fi

unload_kvm >unload_kvm.log 2>&1 || { cat unload_kvm.log; fail kvm-probe-unload "$(tail -n 1 unload_kvm.log)"; }
exit $rc
