/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Exact decimals: a signed 128-bit integer in units of 1/XDEC_SCALE. Samples
 * (up to 2^64-1), quantiles interpolated at probabilities with up to four
 * decimals, and their differences are all exact in it; a double is not.
 */
#ifndef EXITLAT_XDEC_H
#define EXITLAT_XDEC_H

#include <stdint.h>

#define XDEC_SCALE 10000
#define XDEC_DIGITS 4
/* Longest text: sign, 39 digits, point, 4 decimals, NUL. */
#define XDEC_STR_MAX 48

typedef __int128 xdec;

static inline xdec xdec_from_u64(uint64_t v)
{
	return (xdec)v * XDEC_SCALE;
}

static inline long double xdec_to_ld(xdec x)
{
	return (long double)x / XDEC_SCALE;
}

/* Writes @x ("-12.5", "18446744073709551615") into @buf; returns buf. */
char *xdec_str(xdec x, char buf[XDEC_STR_MAX]);
/* Parses "[-]D[.DDDD]"; returns 0, or -1 when malformed or too precise. */
int xdec_parse(const char *s, xdec *x);

#endif
