#!/bin/sh
# The measurement of `make run` inside an emulator guest (scripts/emu-run; busybox
# ash, root, working directory $EXITLAT_OUT). Everything timed here is EMULATED:
# path lengths, never hardware latency; the sample headers say so
# ("emulated: qemu|bochs", from the kernel command line).
#
# Native side first, with KVM not loaded: insmod exitlat.ko, exitlat-native for
# every kind it lists, rmmod. Then KVM's modules and kvm-probe for every kind.
# kvm-probe takes each kind with --breakdown (docs/breakdown.md) where it can
# (the guest's KVM fires kvm_entry and kvm_exit); a kind it cannot split is
# measured without, and the part kvm-breakdown says which were split and why
# the others were not.
# Files: $EXITLAT_OUT/native-KIND.samples, kvm-KIND.samples (and the breakdown
# sets beside them, kvm-KIND.breakdown.SEGMENT.samples), one .log per run, and
# parts.txt: one line per part, "native|kvm|kvm-breakdown ok|missing|failed: why".
# scripts/run prepends EXITLAT_SAMPLES=N (samples per kind), EXITLAT_IRQ_SAMPLES=M
# (per interrupt kind) and, optionally, EXITLAT_KINDS="k1 k2" (only those
# kinds) before copying this script in.
. /lib/exitlat-guest.sh

: "${EXITLAT_SAMPLES:=2000}"
: "${EXITLAT_IRQ_SAMPLES:=$EXITLAT_SAMPLES}"
: "${EXITLAT_KINDS:=}"
rc=0
: >parts.txt

part() { echo "$*" >>parts.txt; echo "measure: $*"; }

wanted() { # KIND
	[ -z "$EXITLAT_KINDS" ] && return 0
	case " $EXITLAT_KINDS " in *" $1 "*) return 0 ;; esac
	return 1
}

# run_kinds SIDE TOOL: every kind TOOL --list names, each into SIDE-KIND.samples.
# A kind that fails is reported and the next one still runs.
run_kinds() {
	side=$1 tool=$2 ok=0 bad=0 nflag= refused= bd= split= notsplit= bdfail=
	# A front end without --samples measures its own default count.
	"$tool" --help 2>&1 | grep -q -- '--samples' && nflag="--samples $EXITLAT_SAMPLES"
	[ "$side" = kvm ] && "$tool" --help 2>&1 | grep -q -- '--breakdown' && bd=--breakdown
	# --list: "name domain where ..."; KVM's interrupt kinds take their own count
	for kw in $($tool --list | awk '{ print $1 ":" $3 }'); do
		k=${kw%%:*}
		wanted "$k" || continue
		f=$side-$k.samples
		n=$EXITLAT_SAMPLES
		[ "$side:${kw#*:}" != kvm:interrupt ] || n=$EXITLAT_IRQ_SAMPLES
		[ -z "$nflag" ] || nflag="--samples $n"
		# shellcheck disable=SC2086 # nflag is empty or two words, bd empty or one
		"$tool" --exit "$k" $nflag $bd -o "$f" >"$side-$k.log" 2>&1
		r=$?
		if [ -n "$bd" ]; then
			why=$(tail -n 1 "$side-$k.log")
			case $r:$why in
			0:*) split="$split $k" ;;
			130:*) ;;
			2:* | *":kvm-probe: --breakdown: "*)
				# not split (exit 2: a kind with no exit to split): measured without
				mv -f "$side-$k.log" "$side-$k.breakdown.log"
				why=${why#kvm-probe: --breakdown: }
				[ "$r" = 2 ] || notsplit="$notsplit; not split: $k (${why#"$k: "})"
				[ "$r" = 2 ] || [ "$r" = 3 ] || bdfail="$bdfail $k"
				# shellcheck disable=SC2086
				"$tool" --exit "$k" $nflag -o "$f" >"$side-$k.log" 2>&1
				r=$?
				;;
			esac
		fi
		if [ $r = 0 ] && exitlat-analyze --check "$f" >>"$side-$k.log" 2>&1; then
			ok=$((ok + 1))
			guest_result PASS "measure-$side-$k" "EMULATED ($EXITLAT_EMU), $(grep -vc '^#' "$f") samples"
		elif [ $r = 3 ]; then
			# the tools' "refused": this kind cannot be measured on this CPU/backend
			refused="$refused $k"
			guest_result SKIP "measure-$side-$k" "$(tail -n 1 "$side-$k.log")"
		else
			# a file that is there stays: the host's analysis checks it again
			bad=$((bad + 1))
			tail -n 5 "$side-$k.log"
			guest_result FAIL "measure-$side-$k" "exit $r: $(tail -n 1 "$side-$k.log")"
			rc=1
		fi
	done
	note=
	[ -z "$refused" ] || note="; not measurable here:$refused"
	if [ "$bad" = 0 ]; then
		part "$side ok: $ok kinds$note"
	else
		part "$side failed: $bad kinds failed, $ok measured (see $side-KIND.log)$note"
	fi
	[ -n "$bd" ] || return 0
	if [ -n "$bdfail" ]; then
		part "$side-breakdown failed: --breakdown failed for$bdfail ($side-KIND.breakdown.log);${split:- no kind} split$notsplit"
		rc=1
	elif [ -n "$split" ]; then
		part "$side-breakdown ok:$split split at KVM's tracepoints, taken under tracing$notsplit"
	else
		part "$side-breakdown skipped: no kind split$notsplit"
	fi
}

# Native: exitlat.ko and its front end.
if ! has_vmx && ! has_svm; then
	part "native missing: CPU $EXITLAT_CPU has neither VMX nor SVM"
elif ! command -v exitlat-native >/dev/null 2>&1; then
	part "native missing: exitlat-native was not built into the guest"
elif [ ! -f "$EXITLAT_KMOD/exitlat.ko" ]; then
	part "native missing: exitlat.ko was not built for $EXITLAT_KABI"
elif ! insmod "$EXITLAT_KMOD/exitlat.ko" >insmod.log 2>&1; then
	cat insmod.log
	part "native failed: insmod exitlat.ko: $(tail -n 1 insmod.log)"
	rc=1
else
	run_kinds native exitlat-native
	rmmod exitlat >>insmod.log 2>&1 || { part "native: rmmod exitlat failed"; rc=1; }
fi

# KVM: the guest's own kvm_intel (Bochs) or kvm_amd (QEMU).
if ! has_vmx && ! has_svm; then
	part "kvm missing: CPU $EXITLAT_CPU has neither VMX nor SVM"
elif ! command -v kvm-probe >/dev/null 2>&1; then
	part "kvm missing: kvm-probe was not built into the guest"
elif ! load_kvm >load_kvm.log 2>&1; then
	cat load_kvm.log
	part "kvm failed: load_kvm: $(tail -n 1 load_kvm.log)"
	rc=1
else
	run_kinds kvm kvm-probe
	unload_kvm >>load_kvm.log 2>&1 || { part "kvm: unloading KVM failed"; rc=1; }
fi
exit $rc
