#!/bin/sh
# kvm-probe --breakdown inside an emulator guest, through the guest's own
# kvm_intel (Bochs) or kvm_amd (QEMU), where kvm_entry and kvm_exit fire:
# pio split into its four segments and cpuid into KVM's handling and the
# rest, every line adding up; which events fired; the refusal for nobody.
# pio-kernel and ioeventfd-pio too: guest-timed, their exits have the
# report's reason (IO_INSTRUCTION). Every set file written holds samples; a
# kind not split is refused in one line (exit 3) and writes none.
# Kept cheap: 2,048 samples a kind, 1,024 (one guest buffer) for the last two.
# Figures are EMULATED path lengths.
. /lib/exitlat-guest.sh

N=2048
rc=0

fail() { guest_result FAIL "$@"; rc=1; }
key() { sed -n "s/^# $2: //p" "$1"; }
median() { grep -v '^#' "$1" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# Checks the set beside FILE: same count everywhere, each line adds up.
# Prints "segment=median ..."; non-zero with the reason on stdout.
check_set() { # FILE
	base=${1%.samples}
	trip=$base.breakdown.trip.samples
	[ -e "$trip" ] || { echo "no $trip"; return 1; }
	n=$(key "$trip" samples)
	[ "${n:-0}" -gt 0 ] || { echo "no sample kept"; return 1; }
	cols="" medians=""
	for s in $(key "$trip" breakdown_segments); do
		f=$base.breakdown.$s.samples
		[ -e "$f" ] || { echo "no $f"; return 1; }
		exitlat-analyze --check "$f" >check.out 2>&1 || { echo "$f: $(tail -n 1 check.out)"; return 1; }
		grep -v '^#' "$f" >"col.$s"
		[ "$(grep -c . "col.$s")" = "$n" ] || { echo "$f: not $n samples"; return 1; }
		cols="$cols col.$s"
		medians="$medians $s=$(median "$f")"
	done
	# shellcheck disable=SC2086 # the column files, in order
	bad=$(paste $cols | awk '{ s = 0; for (i = 2; i <= NF; i++) s += $i; if (s != $1) bad++ }
		END { print bad + 0 }')
	[ -n "$bad" ] && [ "$bad" = 0 ] || { echo "$bad of $n lines do not add up"; return 1; }
	echo "$n kept:$medians"
}

if ! has_vmx && ! has_svm; then
	guest_result SKIP breakdown "CPU $EXITLAT_CPU has neither VMX nor SVM"
	exit 0
fi
if ! load_kvm >load_kvm.log 2>&1; then
	cat load_kvm.log
	fail breakdown-load "$(tail -n 1 load_kvm.log)"
	exit 1
fi

# Without root: one line, exit 3 (tracefs is root's; nobody may not even mount it).
as_nobody kvm-probe --breakdown --exit pio -o nobody.samples >nobody.txt 2>&1
r=$?
if [ $r = 3 ] && [ "$(grep -c . nobody.txt)" = 1 ] && grep -q '^kvm-probe: --breakdown: needs root' nobody.txt; then
	guest_result PASS breakdown-no-root "exit 3: $(cat nobody.txt)"
else
	cat nobody.txt
	fail breakdown-no-root "exit $r: $(tail -n 1 nobody.txt)"
fi

for k in pio cpuid pio-kernel ioeventfd-pio; do
	f=$k.samples
	n=$N
	case $k in pio-kernel | ioeventfd-pio) n=1024 ;; esac
	kvm-probe --breakdown --exit $k --samples $n --warmup 256 --watchdog 60 -o "$f" \
		>"$k.out" 2>"$k.err"
	r=$?
	if [ $r = 3 ] && tail -n 1 "$k.err" | grep -q "^kvm-probe: --breakdown: $k: not split on "; then
		# refused with its reason, and no set written
		if ls "$k".breakdown.*.samples >/dev/null 2>&1; then
			fail "breakdown-$k" "refused, yet a set was written: $(tail -n 1 "$k.err")"
		else
			guest_result SKIP "breakdown-$k" "$(tail -n 1 "$k.err")"
		fi
		continue
	fi
	if [ $r != 0 ]; then
		cat "$k.err"
		fail "breakdown-$k" "exit $r: $(tail -n 1 "$k.err")"
		continue
	fi
	trip=$k.breakdown.trip.samples
	if got=$(check_set "$f"); then
		guest_result PASS "breakdown-$k" "EMULATED $(key "$f" kvm_backend), $got; dropped $(key "$trip" dropped)"
	else
		fail "breakdown-$k" "$got"
		continue
	fi
	fired=$(key "$trip" breakdown_events_fired)
	case " $fired " in
	*" kvm_entry "*) entry=yes ;;
	*) entry=no ;;
	esac
	case " $fired " in
	*" kvm_exit "*) exit_=yes ;;
	*) exit_=no ;;
	esac
	if [ $entry = yes ] && [ $exit_ = yes ]; then
		guest_result PASS "breakdown-$k-events" "fired: $fired; silent: $(key "$trip" breakdown_events_silent)"
	else
		fail "breakdown-$k-events" "kvm_entry and kvm_exit should fire on $(key "$f" kvm_backend): fired: $fired"
	fi
	guest_result PASS "breakdown-$k-cost" "EMULATED untraced median $(key "$f" untraced_median), traced $(key "$f" traced_median): $(key "$f" tracing_cost)"
done
grep -h 'tracefs' pio.err cpuid.err | head -n 1

# No empty set: every breakdown file written holds samples, its header says so.
nfiles=0 empty=
for f in *.breakdown.*.samples; do
	[ -e "$f" ] || continue
	nfiles=$((nfiles + 1))
	[ "$(key "$f" samples)" -gt 0 ] 2>/dev/null && grep -q '^[0-9]' "$f" ||
		empty="$empty $f ($(key "$f" dropped))"
done
if [ -z "$empty" ] && [ $nfiles -gt 0 ]; then
	guest_result PASS breakdown-sets-not-empty "$nfiles set files, each with samples"
else
	fail breakdown-sets-not-empty "${empty:+no sample in:$empty}${empty:-no set file written}"
fi

unload_kvm >unload_kvm.log 2>&1 || { cat unload_kvm.log; fail breakdown-unload "$(tail -n 1 unload_kvm.log)"; }
exit $rc
