# Shared shell helpers for scripts/*: sourced, never run.
# shellcheck shell=bash

EXITLAT_TOP=${EXITLAT_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
# A CI job may run without HOME: fall back to the passwd entry.
EXITLAT_CACHE=${EXITLAT_CACHE:-${XDG_CACHE_HOME:-${HOME:-$(getent passwd "$(id -u)" | cut -d: -f6)}/.cache}/exitlat}
export EXITLAT_TOP EXITLAT_CACHE

msg() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }

# The supported guest kernels, one list (scripts/lib/guest-kernels).
EXITLAT_GUEST_KERNELS=$(dirname "${BASH_SOURCE[0]}")/guest-kernels
guest_kernels() { awk '!/^#/ && NF { print $1 }' "$EXITLAT_GUEST_KERNELS"; }
guest_kernel_ok() { guest_kernels | grep -qxF -- "$1"; }
guest_kernel_package() { awk -v s="$1" '!/^#/ && $1 == s { print $2; f = 1 } END { exit !f }' "$EXITLAT_GUEST_KERNELS"; }
die() { msg "error: $*"; exit 1; }

# Loud banner for anything that runs inside an emulator.
emulated_banner() {
	printf '%s\n' "************************************************************" \
		"* EMULATED: $*" \
		"* Figures from an emulator are path lengths, not hardware time." \
		"************************************************************" >&2
}

# Test outcomes: one line per test in $EXITLAT_TEST_LOG (set by scripts/test-all),
# summed up at the end. Without a log, outcomes only go to stdout. A script
# that records several counts its failures in TEST_FAILS (this shell's only).
TEST_FAILS=0
test_result() { # PASS|FAIL|SKIP NAME [REASON]
	local line="$1 $2${3:+: $3}"
	printf '%s\n' "$line"
	[ -n "${EXITLAT_TEST_LOG:-}" ] && printf '%s\n' "$line" >>"$EXITLAT_TEST_LOG"
	[ "$1" != FAIL ] || TEST_FAILS=$((TEST_FAILS + 1))
	return 0
}

# Runs as root, or through sudo when there is one.
as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# The command-line convention of docs/cli.md, for scripts. --help prints the
# script's header comment (line 2 up to the first line that is no comment),
# --version its name and exitlat's version; a usage error is one line naming
# the option and a hint, exit 2.
cli_help() {
	sed -n '2,/^[^#]/{/^#/!d;s/^# \{0,1\}//;p}' "$0"
	exit 0
}
cli_version() {
	printf '%s %s\n' "${0##*/}" \
		"$(sed -n 's/^#define EXITLAT_VERSION "\(.*\)"$/\1/p' "$EXITLAT_TOP/include/exitlat/version.h")"
	exit 0
}
cli_error() { # MESSAGE
	printf '%s: %s\nTry '\''%s --help'\''.\n' "${0##*/}" "$1" "${0##*/}" >&2
	exit 2
}
# cli_value OPTION "$@": OPTION's value must follow it (as in "$2").
cli_value() {
	[ $# -ge 3 ] || cli_error "$1 needs a value"
}
# cli_count OPTION VALUE MIN MAX: a whole number in [MIN, MAX], else a usage error.
cli_count() {
	[[ $2 =~ ^-?[0-9]+$ ]] || cli_error "$1: '$2' is not a number"
	[[ $2 =~ ^[0-9]{1,18}$ ]] && [ "$((10#$2))" -ge "$3" ] && [ "$((10#$2))" -le "$4" ] ||
		cli_error "$1: $2 is out of range ($3 to $4)"
}
