# Shared shell helpers for scripts/*: sourced, never run.
# shellcheck shell=bash

EXITLAT_TOP=${EXITLAT_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
# A CI job may run without HOME: fall back to the passwd entry.
EXITLAT_CACHE=${EXITLAT_CACHE:-${XDG_CACHE_HOME:-${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}/.cache}/exitlat}
export EXITLAT_TOP EXITLAT_CACHE

msg() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }
die() { msg "error: $*"; exit 1; }

# Loud banner for anything that runs inside an emulator.
emulated_banner() {
	printf '%s\n' "************************************************************" \
		"* EMULATED: $*" \
		"* Figures from an emulator are path lengths, not hardware time." \
		"************************************************************" >&2
}

# Test outcomes: one line per test in $EXITLAT_TEST_LOG (set by scripts/test-all),
# summed up at the end. Without a log, outcomes only go to stdout.
test_result() { # PASS|FAIL|SKIP NAME [REASON]
	local line="$1 $2${3:+: $3}"
	printf '%s\n' "$line"
	[ -n "${EXITLAT_TEST_LOG:-}" ] && printf '%s\n' "$line" >>"$EXITLAT_TEST_LOG"
	return 0
}

# Runs as root, or through sudo when there is one.
as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}
