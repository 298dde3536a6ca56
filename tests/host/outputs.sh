#!/usr/bin/env bash
# Every tool's -o as a careless user (or root on a lab machine) meets it:
# kvm-probe, exitlat-analyze and exitlat-history export replace regular
# files only (a device node, a folder, a symbolic link are refused and left
# as they were), write to standard output with '-o -', never overwrite one of
# their inputs or the history's database, and kvm-probe checks its output
# before measuring and keeps its samples on SIGHUP, SIGINT, SIGQUIT and
# SIGTERM without leaving a temporary file. Usage: tests/host/outputs.sh
# (B= picks the build folder, default build).
set -u
. "$(dirname "$0")/../../scripts/lib/common.sh"
cd "$EXITLAT_TOP" || exit 1

B=${B:-build}
# Absolute: '-o -' runs them from another folder.
case $B in /*) bin=$B ;; *) bin=$EXITLAT_TOP/$B ;; esac
PROBE=$bin/kvm-probe
ANALYZE=$bin/exitlat-analyze
HIST=$bin/exitlat-history
fail=0
result() { # PASS|FAIL NAME WHY
	[ "$1" = FAIL ] && fail=1
	test_result "$@"
}

make -s B="$B" "$PROBE" "$ANALYZE" "$HIST" "$B/exitlat-native" >/dev/null 2>&1 || {
	result FAIL host/outputs-build "make B=$B $PROBE $ANALYZE $HIST failed"
	exit 1
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/exitlat-outputs.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# kvm-probe needs a usable /dev/kvm for what happens after its output check.
kvm=1
"$PROBE" --exit null-host --samples 10 --warmup 0 -o "$tmp/usable.samples" >/dev/null 2>&1 || kvm=
rm -f "$tmp/usable.samples"

printf '# exitlat-samples 1\n# source: kvm\n# exit: cpuid\n# unit: cycles\n100\n200\n300\n' \
	>"$tmp/in.samples"
export EXITLAT_FAKE_HOST=outhost
if ! history/testing/fake-run base --analyze "$ANALYZE" --kernel 6.1 --out "$tmp/run" \
	>"$tmp/fake.log" 2>&1 || ! "$HIST" -d "$tmp/history.db" import "$tmp/run" \
	>"$tmp/import.log" 2>&1; then
	result FAIL host/outputs-setup "no history to export: $(tail -n 2 "$tmp/fake.log" "$tmp/import.log")"
	exit 1
fi

# The three writers, each with its output last: NAME COMMAND...
writers=(
	"analyze|$ANALYZE -f json $tmp/in.samples -o"
	"history-export|$HIST -d $tmp/history.db export -f csv -o"
)
[ -n "$kvm" ] && writers+=("kvm-probe|$PROBE --exit null-host --samples 10 --warmup 0 -o")

# No PATH.tmp.XXXXXX may outlive a tool.
no_temporaries() { # FOLDER
	! find "$1" -name '*.tmp.*' | grep -q .
}

# --- device nodes, FIFOs, folders, symbolic links: refused, left as they were --
for w in "${writers[@]}"; do
	name=${w%%|*}
	read -r -a cmd <<<"${w#*|}"
	d=$tmp/$name
	mkdir -p "$d/folder"
	kinds="fifo folder symlink"
	mkfifo "$d/fifo"
	echo keep >"$d/target"
	ln -s target "$d/symlink"
	# Private nodes with /dev/null's and /dev/full's numbers: the real ones are never at risk.
	if [ "$(id -u)" = 0 ] && mknod "$d/null" c 1 3 2>/dev/null && mknod "$d/full" c 1 7; then
		kinds="null full $kinds"
	else
		test_result SKIP "host/outputs-$name-device" "mknod needs root (and a filesystem without nodev)"
	fi
	for k in $kinds; do
		before=$(stat -c %F "$d/$k")
		out=$(timeout 60 "${cmd[@]}" "$d/$k" 2>&1 </dev/null)
		rc=$?
		after=$(stat -c %F "$d/$k" 2>/dev/null)
		if [ $rc = 1 ] && [ "$after" = "$before" ] && grep -q "$d/$k" <<<"$out" &&
			[ "$(cat "$d/target")" = keep ] && no_temporaries "$d"; then
			result PASS "host/outputs-$name-$k" "refused ($before): ${out:0:110}"
		else
			result FAIL "host/outputs-$name-$k" "exit $rc, was $before, now ${after:-gone}: ${out:0:200}"
		fi
	done

	# '-o -': the output on standard output, nothing else written.
	out=$(cd "$d" && timeout 60 "${cmd[@]}" - 2>"$tmp/err")
	rc=$?
	if [ $rc = 0 ] && [ -n "$out" ] && [ ! -e "$d/-" ]; then
		result PASS "host/outputs-$name-stdout" "'-o -' wrote $(wc -l <<<"$out") lines to stdout"
	else
		result FAIL "host/outputs-$name-stdout" "exit $rc, file '-' $([ -e "$d/-" ] && echo made): $(head -n 2 "$tmp/err")"
	fi
done

# --- an output is never one of the inputs, under any name ----------------------
cp "$tmp/in.samples" "$tmp/keep.samples"
ln "$tmp/in.samples" "$tmp/hard.samples"
ln -s in.samples "$tmp/sym.samples"
ok=1 why=
for o in in.samples hard.samples; do
	out=$("$ANALYZE" -f json -o "$tmp/$o" "$tmp/in.samples" 2>&1)
	rc=$?
	if [ $rc != 1 ] || ! cmp -s "$tmp/in.samples" "$tmp/keep.samples" || ! grep -q 'is the input' <<<"$out"; then
		ok='' why="-o $o: exit $rc, input $(cmp -s "$tmp/in.samples" "$tmp/keep.samples" && echo kept || echo DESTROYED): $out"
		cp "$tmp/keep.samples" "$tmp/in.samples"
	fi
done
out=$("$ANALYZE" -f json -o "$tmp/in.samples" "$tmp/sym.samples" 2>&1)
rc=$?
if [ $rc != 1 ] || ! cmp -s "$tmp/in.samples" "$tmp/keep.samples"; then
	ok='' why="input through a symlink: exit $rc: $out"
fi
if [ -n "$ok" ]; then
	result PASS host/outputs-analyze-not-an-input "refused by name, hard link and symbolic link"
else
	result FAIL host/outputs-analyze-not-an-input "$why"
fi

cp "$tmp/history.db" "$tmp/keep.db"
ln -s history.db "$tmp/db-link"
ok=1 why=
for o in history.db db-link; do
	out=$("$HIST" -d "$tmp/history.db" export -f csv -o "$tmp/$o" 2>&1)
	rc=$?
	if [ $rc != 1 ] || ! cmp -s "$tmp/history.db" "$tmp/keep.db"; then
		ok='' why="-o $o: exit $rc, database $(cmp -s "$tmp/history.db" "$tmp/keep.db" && echo kept || echo REPLACED): $out"
		cp "$tmp/keep.db" "$tmp/history.db"
	fi
done
if [ -n "$ok" ]; then
	result PASS host/outputs-export-not-the-database "refused by name and through a symbolic link"
else
	result FAIL host/outputs-export-not-the-database "$why"
fi

if [ -z "$kvm" ]; then
	test_result SKIP host/outputs-kvm-probe "no usable /dev/kvm here: the probe's runs are not tried"
	exit $fail
fi

# --- kvm-probe: the output is checked before measuring --------------------------
# 50 million samples take minutes: an answer within seconds means no run was made.
mkdir -p "$tmp/dir.samples"
start=$SECONDS
out=$(timeout 30 "$PROBE" --exit pio --samples 50000000 -o "$tmp/dir.samples" 2>&1)
rc=$?
secs=$((SECONDS - start))
if [ $rc = 1 ] && [ $secs -lt 10 ] && grep -q 'is a directory' <<<"$out" && no_temporaries "$tmp"; then
	result PASS host/outputs-kvm-probe-checked-first "refused in ${secs}s, before measuring: ${out:0:100}"
else
	result FAIL host/outputs-kvm-probe-checked-first "exit $rc after ${secs}s: ${out:0:200}"
fi

# --- kvm-probe keeps its samples on every signal that ends a run ----------------
for sig in HUP INT QUIT TERM; do
	d=$tmp/sig-$sig
	f=$d/pio.samples
	mkdir -p "$d"
	# setsid: a signal of its own, as a closed terminal or a service manager sends it.
	setsid "$PROBE" --exit pio --samples 50000000 -o "$f" 2>"$tmp/err" &
	pid=$!
	sleep 2
	kill -"$sig" $pid
	# A probe that ignores the signal is stopped after 30 s, and fails.
	for _ in $(seq 30); do
		kill -0 $pid 2>/dev/null || break
		sleep 1
	done
	kill -KILL $pid 2>/dev/null
	wait $pid
	rc=$?
	n=$(grep -cv '^#' "$f" 2>/dev/null)
	if [ $rc = 130 ] && grep -qx '# interrupted: yes' "$f" && [ "${n:-0}" -gt 0 ] &&
		no_temporaries "$d"; then
		result PASS "host/outputs-kvm-probe-sig$sig" "exit 130, $n samples kept, no temporary file"
	else
		result FAIL "host/outputs-kvm-probe-sig$sig" "exit $rc, ${n:-no} samples, temporaries: $(find "$d" -name '*.tmp.*' | wc -l): $(tail -n 1 "$tmp/err")"
	fi
	rm -rf "$d"
done
exit $fail
