// SPDX-License-Identifier: GPL-2.0 OR MIT
/* report.md as HTML (see markdown.h). */
#include <stdbool.h>
#include <string.h>

#include "exitlat/text.h"
#include "markdown.h"

static bool is_punct(char c)
{
	return c > 0x20 && c < 0x7F && !(c >= '0' && c <= '9') && !(c >= 'A' && c <= 'Z') &&
	       !(c >= 'a' && c <= 'z');
}

/* A target that stays inside the report's folder: no scheme, not absolute. */
static bool is_relative(const char *u, size_t n)
{
	size_t colon = 0;

	if (!n || u[0] == '/' || u[0] == '\\')
		return false;
	while (colon < n && u[colon] != ':' && u[colon] != '/')
		colon++;
	return colon == n || u[colon] == '/';
}

static void put_url(FILE *f, const char *prefix, const char *u, size_t n)
{
	exitlat_url_path(f, prefix, strlen(prefix));
	exitlat_url_path(f, u, n);
}

/* The end of a "[text](url)" starting at @s[0] == '[', or 0 when it is none. */
static size_t link_end(const char *s, size_t n, size_t *close, size_t *url, size_t *url_len)
{
	size_t i = 1;

	while (i < n && s[i] != ']') {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		i++;
	}
	if (i + 1 >= n || s[i + 1] != '(')
		return 0;
	*close = i;
	*url = i + 2;
	for (i = *url; i < n && s[i] != ')'; i++)
		;
	if (i >= n || s[i] != ')')
		return 0;
	*url_len = i - *url;
	return i + 1;
}

static void put_inline(FILE *f, const char *s, size_t n, const char *prefix, bool links);

static size_t put_link(FILE *f, const char *s, size_t n, const char *prefix, bool image)
{
	size_t close, url, ul, end = link_end(s, n, &close, &url, &ul);

	if (!end)
		return 0;
	if (!is_relative(s + url, ul)) {
		/* shown, never followed */
		put_inline(f, s + 1, close - 1, prefix, false);
		fputs(" (", f);
		exitlat_html_text(f, s + url, ul);
		fputc(')', f);
	} else if (image) {
		fputs("<img src=\"", f);
		put_url(f, prefix, s + url, ul);
		fputs("\" alt=\"", f);
		exitlat_html_text(f, s + 1, close - 1);
		fputs("\">", f);
	} else {
		fputs("<a href=\"", f);
		put_url(f, prefix, s + url, ul);
		fputs("\">", f);
		put_inline(f, s + 1, close - 1, prefix, false);
		fputs("</a>", f);
	}
	return end;
}

static void put_inline(FILE *f, const char *s, size_t n, const char *prefix, bool links)
{
	bool strong = false, em = false;
	size_t i = 0, run = 0, k;

	while (i < n) {
		size_t skip = 0;

		if (s[i] == '\\' && i + 1 < n && is_punct(s[i + 1])) {
			exitlat_html_text(f, s + run, i - run);
			exitlat_html_text(f, s + i + 1, 1);
			run = i += 2;
			continue;
		}
		if (s[i] == '`') {
			for (k = i + 1; k < n && s[k] != '`'; k++)
				;
			if (k < n) {
				exitlat_html_text(f, s + run, i - run);
				fputs("<code>", f);
				exitlat_html_text(f, s + i + 1, k - i - 1);
				fputs("</code>", f);
				run = i = k + 1;
				continue;
			}
		}
		if (links && s[i] == '!' && i + 1 < n && s[i + 1] == '[') {
			exitlat_html_text(f, s + run, i - run);
			skip = put_link(f, s + i + 1, n - i - 1, prefix, true);
			if (skip) {
				run = i += skip + 1;
				continue;
			}
		} else if (links && s[i] == '[') {
			exitlat_html_text(f, s + run, i - run);
			skip = put_link(f, s + i, n - i, prefix, false);
			if (skip) {
				run = i += skip;
				continue;
			}
		} else if (s[i] == '*' && i + 1 < n && s[i + 1] == '*') {
			exitlat_html_text(f, s + run, i - run);
			fputs(strong ? "</strong>" : "<strong>", f);
			strong = !strong;
			run = i += 2;
			continue;
		} else if (s[i] == '_' && (em || i == 0 || s[i - 1] == ' ' || s[i - 1] == '(')) {
			exitlat_html_text(f, s + run, i - run);
			fputs(em ? "</em>" : "<em>", f);
			em = !em;
			run = ++i;
			continue;
		} else {
			i++;
			continue;
		}
		/* '[' or '![' that starts no link: the text as it is */
		run = i;
		i += s[i] == '!' ? 2 : 1;
	}
	exitlat_html_text(f, s + run, n - run);
	/* a line never leaves an element open */
	if (em)
		fputs("</em>", f);
	if (strong)
		fputs("</strong>", f);
}

/* "|---|:--:|": the line under a table's header. */
static bool is_separator(const char *s, size_t n)
{
	if (!n || s[0] != '|')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!s[i] || !strchr("|-: \t", s[i]))
			return false;
	return true;
}

static void put_row(FILE *f, const char *s, size_t n, const char *cell, const char *prefix)
{
	size_t i = 1, start = 1;
	bool code = false;

	if (n && s[n - 1] == '|')
		n--;
	fputs("<tr>", f);
	for (; i <= n; i++) {
		if (i < n && s[i] == '\\') {
			i++;
			continue;
		}
		if (i < n && s[i] == '`')
			code = !code;
		if (i < n && (s[i] != '|' || code))
			continue;
		size_t e = i;

		while (start < e && s[start] == ' ')
			start++;
		while (e > start && s[e - 1] == ' ')
			e--;
		fprintf(f, "<%s>", cell);
		put_inline(f, s + start, e - start, prefix, true);
		fprintf(f, "</%s>", cell);
		start = i + 1;
	}
	fputs("</tr>\n", f);
}

enum block { NONE, PARA, LIST, TABLE, QUOTE };

static void close_block(FILE *f, enum block *b)
{
	static const char *const end[] = { "", "</p>\n", "</ul>\n", "</tbody></table>\n",
					   "</p></blockquote>\n" };

	fputs(end[*b], f);
	*b = NONE;
}

/* Continues block @want (@join between its lines), else closes the open one and opens it. */
static void enter(FILE *f, enum block *b, enum block want, const char *open, const char *join)
{
	if (*b == want) {
		fputs(join, f);
		return;
	}
	close_block(f, b);
	fputs(open, f);
	*b = want;
}

void history_markdown_html(FILE *f, const char *md, size_t len, const char *prefix)
{
	enum block b = NONE;
	size_t pos = 0;
	bool fence = false;

	while (pos < len) {
		const char *s = md + pos, *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos, h = 0;

		pos += n + (nl != NULL);
		if (n && s[n - 1] == '\r')
			n--;
		if (n >= 3 && !strncmp(s, "```", 3)) {
			close_block(f, &b);
			fputs(fence ? "</pre>\n" : "<pre>", f);
			fence = !fence;
			continue;
		}
		if (fence) {
			exitlat_html_text(f, s, n);
			fputc('\n', f);
			continue;
		}
		while (h < n && h < 7 && s[h] == '#')
			h++;
		if (!n) {
			close_block(f, &b);
		} else if (h >= 1 && h <= 6 && h < n && s[h] == ' ') {
			close_block(f, &b);
			fprintf(f, "<h%zu>", h);
			put_inline(f, s + h + 1, n - h - 1, prefix, true);
			fprintf(f, "</h%zu>\n", h);
		} else if (s[0] == '|') {
			const char *next = md + pos, *nnl = memchr(next, '\n', len - pos);
			size_t nn = pos < len ? (nnl ? (size_t)(nnl - next) : len - pos) : 0;

			if (is_separator(s, n))
				continue;
			if (b != TABLE) {
				close_block(f, &b);
				fputs("<table>\n", f);
				if (is_separator(next, nn)) {
					fputs("<thead>", f);
					put_row(f, s, n, "th", prefix);
					fputs("</thead>", f);
					fputs("<tbody>\n", f);
					b = TABLE;
					continue;
				}
				fputs("<tbody>\n", f);
				b = TABLE;
			}
			put_row(f, s, n, "td", prefix);
		} else if (s[0] == '>') {
			size_t q = n > 1 && s[1] == ' ' ? 2 : 1;

			enter(f, &b, QUOTE, "<blockquote><p>", "\n");
			put_inline(f, s + q, n - q, prefix, true);
		} else if (n >= 2 && (s[0] == '-' || s[0] == '*') && s[1] == ' ') {
			enter(f, &b, LIST, "<ul>\n", "");
			fputs("<li>", f);
			put_inline(f, s + 2, n - 2, prefix, true);
			fputs("</li>\n", f);
		} else {
			enter(f, &b, PARA, "<p>", "\n");
			put_inline(f, s, n, prefix, true);
		}
	}
	if (fence)
		fputs("</pre>\n", f);
	close_block(f, &b);
}
