#!/usr/bin/env bash
# The nightly's 30-night simulation (tests/host/nightly-30-nights.sh) fed with
# the real kvm-probe files of this matrix's Bochs boots on Linux 6.1 and 6.12:
# Bochs path lengths are deterministic, so re-stamping one boot per kernel
# with successive dates stands for 30 nights without booting 30 times.
set -u
. "$(dirname "$0")/../../../scripts/lib/common.sh"

results=${1:?usage: $0 RESULTS_DIR}
name=e2e/nightly-30-nights-real
a=$results/bochs-6.1/out/20-kvm-probe b=$results/bochs-6.12/out/20-kvm-probe
if [ ! -f "$a/pio.samples" ] || [ ! -f "$b/pio.samples" ]; then
	test_result SKIP "$name" "no kvm-probe files from both Bochs boots (bochs-6.1, bochs-6.12) in $results"
	exit 0
fi
NIGHTLY_TEST_NAME=$name EXITLAT_NIGHTLY_SAMPLES_6_1=$a EXITLAT_NIGHTLY_SAMPLES_6_12=$b \
	exec bash "$EXITLAT_TOP/tests/host/nightly-30-nights.sh"
