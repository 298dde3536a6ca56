#!/usr/bin/env bash
# libFuzzer on the sample reader and the analysis' statistics and outputs
# (analysis/fuzz_target.c). A short run in `make test`; `make fuzz` runs it
# for FUZZ_SECONDS (default there: 600). Crashes are kept in $B/fuzz/.
# The target's reader has a 5000-byte buffer and inputs go to 16 KiB, so
# lines longer than the buffer (seeds long-*.samples) are fuzzed too: a
# reader that spins on one is a timeout, which fails the run.
set -u
. "$(dirname "$0")/../../scripts/lib/common.sh"
cd "$EXITLAT_TOP" || exit 1

B=${B:-build}
secs=${FUZZ_SECONDS:-30}
name=host/analysis-fuzz

if ! command -v "${FUZZ_CC:-clang}" >/dev/null; then
	test_result SKIP "$name" "no clang (apt-get install clang)"
	exit 0
fi
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf 'int LLVMFuzzerTestOneInput(const char *d, long n) { (void)d; (void)n; return 0; }\n' \
	>"$probe/p.c"
if ! "${FUZZ_CC:-clang}" -fsanitize=fuzzer,address,undefined -o "$probe/p" "$probe/p.c" \
	2>"$probe/err"; then
	test_result SKIP "$name" "clang has no libFuzzer/sanitizers (libclang-rt-dev): $(head -1 "$probe/err")"
	exit 0
fi
if ! make -s B="$B" fuzz-build >"$probe/build" 2>&1; then
	cat "$probe/build" >&2
	test_result FAIL "$name" "fuzz target does not build"
	exit 1
fi

corpus=$B/fuzz/corpus
mkdir -p "$corpus"
cp analysis/fuzz-seeds/* "$corpus/"
# One process, no forks: the machine is shared. Leaks are checked too.
if "$B/fuzz/analysis-fuzz" -max_total_time="$secs" -max_len=16384 -timeout=10 \
	-dict=analysis/fuzz.dict -artifact_prefix="$B/fuzz/" -print_final_stats=1 \
	"$corpus" >"$probe/log" 2>&1; then
	runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$probe/log" | grep -o '[0-9]*$')
	test_result PASS "$name" "${runs:-?} inputs in ${secs}s"
else
	tail -40 "$probe/log" >&2
	test_result FAIL "$name" "crash input kept in $B/fuzz/"
	exit 1
fi
