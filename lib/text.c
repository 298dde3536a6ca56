// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Outside text in each output format (see text.h). */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "exitlat/text.h"

size_t exitlat_utf8_next(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char lo = 0x80, hi = 0xBF;
	size_t need;
	uint32_t c;

	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	/* Unicode Table 3-7: the second byte's range depends on the first. */
	if (u[0] >= 0xC2 && u[0] <= 0xDF) {
		need = 1;
		c = u[0] & 0x1F;
	} else if (u[0] >= 0xE0 && u[0] <= 0xEF) {
		need = 2;
		c = u[0] & 0x0F;
		lo = u[0] == 0xE0 ? 0xA0 : 0x80;
		hi = u[0] == 0xED ? 0x9F : 0xBF;
	} else if (u[0] >= 0xF0 && u[0] <= 0xF4) {
		need = 3;
		c = u[0] & 0x07;
		lo = u[0] == 0xF0 ? 0x90 : 0x80;
		hi = u[0] == 0xF4 ? 0x8F : 0xBF;
	} else {
		*cp = EXITLAT_REPLACEMENT;
		return 1;
	}
	for (size_t i = 1; i <= need; i++) {
		if (i >= len || u[i] < lo || u[i] > hi) {
			/* The maximal subpart: what was valid so far. */
			*cp = EXITLAT_REPLACEMENT;
			return i;
		}
		c = c << 6 | (u[i] & 0x3F);
		lo = 0x80;
		hi = 0xBF;
	}
	*cp = c;
	return need + 1;
}

static void put_utf8(FILE *f, uint32_t c)
{
	if (c < 0x80) {
		fputc((int)c, f);
	} else if (c < 0x800) {
		fputc(0xC0 | (c >> 6), f);
		fputc(0x80 | (c & 0x3F), f);
	} else if (c < 0x10000) {
		fputc(0xE0 | (c >> 12), f);
		fputc(0x80 | ((c >> 6) & 0x3F), f);
		fputc(0x80 | (c & 0x3F), f);
	} else {
		fputc(0xF0 | (c >> 18), f);
		fputc(0x80 | ((c >> 12) & 0x3F), f);
		fputc(0x80 | ((c >> 6) & 0x3F), f);
		fputc(0x80 | (c & 0x3F), f);
	}
}

/* C0, DEL and C1: Unicode's general category Cc. */
static bool is_control(uint32_t c)
{
	return c < 0x20 || (c >= 0x7F && c <= 0x9F);
}

void exitlat_json_str(FILE *f, const char *s, size_t len)
{
	size_t i = 0, n;
	uint32_t c;

	fputc('"', f);
	for (; i < len; i += n) {
		n = exitlat_utf8_next(s + i, len - i, &c);
		switch (c) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			/* Line and paragraph separators too: they end a line in JavaScript. */
			if (is_control(c) || c == 0x2028 || c == 0x2029)
				fprintf(f, "\\u%04x", (unsigned int)c);
			else
				put_utf8(f, c);
		}
	}
	fputc('"', f);
}

void exitlat_csv_field(FILE *f, const char *s, size_t len)
{
	bool quote = len && (s[0] == ' ' || s[len - 1] == ' ');
	size_t i, n;
	uint32_t c;

	for (i = 0; i < len && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
	if (quote)
		fputc('"', f);
	for (i = 0; i < len; i += n) {
		n = exitlat_utf8_next(s + i, len - i, &c);
		if (c == '"')
			fputc('"', f);
		/* A NUL ends a line for most CSV readers: shown, not kept. */
		put_utf8(f, c ? c : EXITLAT_REPLACEMENT);
	}
	if (quote)
		fputc('"', f);
}

void exitlat_md_text(FILE *f, const char *s, size_t len)
{
	size_t i, n;
	uint32_t c;

	for (i = 0; i < len; i += n) {
		n = exitlat_utf8_next(s + i, len - i, &c);
		/* an invalid sequence is dropped; a real U+FFFD is text */
		if (c == EXITLAT_REPLACEMENT && (n != 3 || memcmp(s + i, "\xEF\xBF\xBD", 3)))
			continue;
		if (is_control(c))
			c = ' ';
		else if (c < 0x80 && strchr("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", (int)c))
			fputc('\\', f);
		put_utf8(f, c);
	}
}

char *exitlat_label(const char *s, size_t len, size_t max)
{
	char *buf = NULL;
	size_t size = 0, i, n, k = 0;
	uint32_t c;
	FILE *f = open_memstream(&buf, &size);

	if (!f)
		return NULL;
	for (i = 0; i < len; i += n, k++) {
		n = exitlat_utf8_next(s + i, len - i, &c);
		if (k == max) {
			put_utf8(f, 0x2026);
			break;
		}
		put_utf8(f, is_control(c) ? EXITLAT_REPLACEMENT : c);
	}
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

void exitlat_latex_text(FILE *f, const char *s, size_t len)
{
	static const char *const special[128] = {
		['\\'] = "\\textbackslash{}", ['{'] = "\\{", ['}'] = "\\}", ['$'] = "\\$",
		['&'] = "\\&", ['#'] = "\\#", ['%'] = "\\%", ['_'] = "\\_",
		['^'] = "\\textasciicircum{}", ['~'] = "\\textasciitilde{}",
		['<'] = "\\textless{}", ['>'] = "\\textgreater{}", ['|'] = "\\textbar{}",
		/* OT1, LaTeX's default, has no straight quote: the typewriter font's. */
		['"'] = "{\\ttfamily\\char34}", ['\''] = "\\textquotesingle{}",
		['`'] = "\\textasciigrave{}",
		/* "--" would be an en dash */
		['-'] = "-{}",
	};
	size_t i, n;
	uint32_t c;

	for (i = 0; i < len; i += n) {
		n = exitlat_utf8_next(s + i, len - i, &c);
		if (c < 128 && special[c])
			fputs(special[c], f);
		else if (is_control(c) || c == EXITLAT_REPLACEMENT)
			fputc('?', f);	/* pdflatex has no glyph for U+FFFD */
		else
			put_utf8(f, c);
	}
}

void exitlat_gp_enhanced(FILE *f, const char *s, size_t len)
{
	/*
	 * gnuplot reads the markup only in text that holds some: an empty group
	 * first makes "\\" one backslash even where nothing else is escaped.
	 */
	if (memchr(s, '\\', len))
		fputs("{}", f);
	for (size_t i = 0; i < len; i++) {
		if (strchr("\\^_@&~{}", s[i]) && s[i])
			fputc('\\', f);
		fputc(s[i], f);
	}
}

char *exitlat_bounded_name(const char *s, size_t max)
{
	size_t len = strlen(s);
	uint32_t h = 2166136261u;	/* FNV-1a */
	char *d;

	if (len <= max)
		return strdup(s);
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	if (asprintf(&d, "%.*s-%08x", (int)(max - 9), s, (unsigned int)h) < 0)
		return NULL;
	return d;
}

void exitlat_gp_field(FILE *f, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '_' || c == '+' || c == '-')
			fputc(c, f);
		/* gnuplot reads 4 octal digits after "\0", 3 after "\1".."\3". */
		else if (c < 0100)
			fprintf(f, "\\0%03o", c);
		else
			fprintf(f, "\\%03o", c);
	}
}

void exitlat_om_label(FILE *f, const char *s, size_t len)
{
	size_t n;
	uint32_t c;

	for (size_t i = 0; i < len; i += n) {
		n = exitlat_utf8_next(s + i, len - i, &c);
		if (c == '\\' || c == '"')
			fputc('\\', f);
		if (c == '\n')
			fputs("\\n", f);
		else
			put_utf8(f, c ? c : EXITLAT_REPLACEMENT);
	}
}

void exitlat_html_text(FILE *f, const char *s, size_t len)
{
	size_t n;
	uint32_t c;

	for (size_t i = 0; i < len; i += n) {
		n = exitlat_utf8_next(s + i, len - i, &c);
		switch (c) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:
			put_utf8(f, is_control(c) && c != '\t' && c != '\n' ? EXITLAT_REPLACEMENT : c);
		}
	}
}

void exitlat_url_path(FILE *f, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    (c && strchr("-._~/", c)))
			fputc(c, f);
		else
			fprintf(f, "%%%02X", c);
	}
}
