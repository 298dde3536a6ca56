// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <string.h>

#include "exitlat/xdec.h"

char *xdec_str(xdec x, char buf[XDEC_STR_MAX])
{
	unsigned __int128 u = x < 0 ? -(unsigned __int128)x : (unsigned __int128)x;
	unsigned __int128 whole = u / XDEC_SCALE;
	unsigned int frac = (unsigned int)(u % XDEC_SCALE);
	char tmp[XDEC_STR_MAX];
	size_t n = 0, len = 0;

	do {
		tmp[n++] = '0' + (char)(whole % 10);
		whole /= 10;
	} while (whole);
	if (x < 0)
		buf[len++] = '-';
	while (n)
		buf[len++] = tmp[--n];
	if (frac) {
		int digits = XDEC_DIGITS;

		while (frac % 10 == 0) {
			frac /= 10;
			digits--;
		}
		buf[len++] = '.';
		for (int i = digits - 1; i >= 0; i--) {
			buf[len + i] = '0' + frac % 10;
			frac /= 10;
		}
		len += digits;
	}
	buf[len] = '\0';
	return buf;
}

int xdec_parse(const char *s, xdec *x)
{
	unsigned __int128 v = 0;
	int neg = 0, digits = 0, frac_digits = -1;

	if (*s == '-') {
		neg = 1;
		s++;
	}
	for (; *s; s++) {
		if (*s == '.' && frac_digits < 0) {
			frac_digits = 0;
			continue;
		}
		if (*s < '0' || *s > '9' || digits >= 30)
			return -1;
		v = v * 10 + (unsigned)(*s - '0');
		digits++;
		if (frac_digits >= 0 && ++frac_digits > XDEC_DIGITS)
			return -1;
	}
	if (!digits)
		return -1;
	for (int i = frac_digits < 0 ? 0 : frac_digits; i < XDEC_DIGITS; i++)
		v *= 10;
	*x = neg ? -(xdec)v : (xdec)v;
	return 0;
}
