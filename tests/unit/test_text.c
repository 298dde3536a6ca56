// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Outside text in each output format: JSON, CSV, labels, LaTeX, gnuplot fields. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdlib.h>
#include <string.h>

#include "exitlat/text.h"

typedef void (*writer)(FILE *, const char *, size_t);

/* What @w writes for the @len bytes at @s, as a C string (test's own copy). */
static char *written(writer w, const char *s, size_t len)
{
	static char out[4096];
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	cr_assert_not_null(f);
	w(f, s, len);
	cr_assert_eq(fclose(f), 0);
	cr_assert_lt(size, sizeof(out));
	memcpy(out, buf, size + 1);
	free(buf);
	return out;
}

#define W(w, lit) written(w, lit, sizeof(lit) - 1)

struct utf8_case {
	char in[8];		/* inline: parameters cross into the test's own process */
	size_t len;
	uint32_t cp[8];
	size_t took[8];
	int n;
};

/* Maximal subparts (Unicode 3.9, table 3-8's examples and the table 3-7 edges). */
static const struct utf8_case utf8_cases[] = {
	{ "A", 1, { 'A' }, { 1 }, 1 },
	{ "\xc3\xa9", 2, { 0xE9 }, { 2 }, 1 },
	{ "\xe6\xbc\xa2", 3, { 0x6F22 }, { 3 }, 1 },
	{ "\xf0\x9f\x98\x80", 4, { 0x1F600 }, { 4 }, 1 },
	{ "\xff", 1, { 0xFFFD }, { 1 }, 1 },
	{ "\xc0\xaf", 2, { 0xFFFD, 0xFFFD }, { 1, 1 }, 2 },
	{ "\xc3(", 2, { 0xFFFD, '(' }, { 1, 1 }, 2 },
	{ "\xe2\x82", 2, { 0xFFFD }, { 2 }, 1 },
	{ "\xe0\x80\x80", 3, { 0xFFFD, 0xFFFD, 0xFFFD }, { 1, 1, 1 }, 3 },
	{ "\xed\xa0\x80", 3, { 0xFFFD, 0xFFFD, 0xFFFD }, { 1, 1, 1 }, 3 },
	{ "\xf4\x90\x80\x80", 4, { 0xFFFD, 0xFFFD, 0xFFFD, 0xFFFD }, { 1, 1, 1, 1 }, 4 },
	{ "\xf1\x80\x80\x41", 4, { 0xFFFD, 'A' }, { 3, 1 }, 2 },
	{ "a\0b", 3, { 'a', 0, 'b' }, { 1, 1, 1 }, 3 },
};

ParameterizedTestParameters(text, utf8_decodes_maximal_subparts)
{
	return cr_make_param_array(struct utf8_case, utf8_cases,
				   sizeof(utf8_cases) / sizeof(utf8_cases[0]));
}

ParameterizedTest(const struct utf8_case *c, text, utf8_decodes_maximal_subparts)
{
	size_t i = 0;
	int k = 0;

	while (i < c->len) {
		uint32_t cp;
		size_t n = exitlat_utf8_next(c->in + i, c->len - i, &cp);

		cr_assert_lt(k, c->n, "more code points than expected");
		cr_assert_eq(cp, c->cp[k], "code point %d: %x, want %x", k, cp, c->cp[k]);
		cr_assert_eq(n, c->took[k], "code point %d took %zu bytes, want %zu", k, n,
			     c->took[k]);
		i += n;
		k++;
	}
	cr_assert_eq(k, c->n);
}

Test(text, json_escapes_quotes_controls_and_nul_without_truncating)
{
	cr_assert_str_eq(W(exitlat_json_str, "a\"b\\c"), "\"a\\\"b\\\\c\"");
	cr_assert_str_eq(W(exitlat_json_str, "x\0y\n\t\x1b\x7f"),
			 "\"x\\u0000y\\n\\t\\u001b\\u007f\"");
	cr_assert_str_eq(W(exitlat_json_str, "\xe2\x80\xa8"), "\"\\u2028\"");
}

Test(text, json_replaces_invalid_utf8_and_keeps_valid)
{
	cr_assert_str_eq(W(exitlat_json_str, "bad\xff\xc3(\xc3\xa9"),
			 "\"bad\xef\xbf\xbd\xef\xbf\xbd(\xc3\xa9\"");
}

Test(text, csv_quotes_only_what_needs_it)
{
	cr_assert_str_eq(W(exitlat_csv_field, "plain"), "plain");
	cr_assert_str_eq(W(exitlat_csv_field, "a,b"), "\"a,b\"");
	cr_assert_str_eq(W(exitlat_csv_field, "say \"hi\""), "\"say \"\"hi\"\"\"");
	cr_assert_str_eq(W(exitlat_csv_field, "two\nlines"), "\"two\nlines\"");
	cr_assert_str_eq(W(exitlat_csv_field, " pad"), "\" pad\"");
}

Test(text, csv_shows_nul_and_invalid_utf8_as_replacement)
{
	cr_assert_str_eq(W(exitlat_csv_field, "a\0b\xff"), "a\xef\xbf\xbd" "b\xef\xbf\xbd");
}

Test(text, label_replaces_controls_and_marks_a_cut)
{
	char *l = exitlat_label("a\nb\x01\xff", 5, 24);

	cr_assert_str_eq(l, "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd");
	free(l);
	l = exitlat_label("\xc3\xa9" "bcdef", 7, 3);
	cr_assert_str_eq(l, "\xc3\xa9" "bc\xe2\x80\xa6");
	free(l);
	l = exitlat_label("abc", 3, 3);
	cr_assert_str_eq(l, "abc");
	free(l);
}

Test(text, latex_escapes_every_special_character)
{
	cr_assert_str_eq(W(exitlat_latex_text, "\\{}$&#%_^~"),
			 "\\textbackslash{}\\{\\}\\$\\&\\#\\%\\_\\textasciicircum{}"
			 "\\textasciitilde{}");
	cr_assert_str_eq(W(exitlat_latex_text, "<>|\"'`"),
			 "\\textless{}\\textgreater{}\\textbar{}{\\ttfamily\\char34}"
			 "\\textquotesingle{}\\textasciigrave{}");
	cr_assert_str_eq(W(exitlat_latex_text, "a--b"), "a-{}-{}b");
	cr_assert_str_eq(W(exitlat_latex_text, "\xc3\xa9 @ \xef\xbf\xbd"), "\xc3\xa9 @ ?");
}

Test(text, gnuplot_enhanced_text_escapes_its_markup)
{
	cr_assert_str_eq(W(exitlat_gp_enhanced, "x^{2}_i @a &{b} ~c 'e\""),
			 "x\\^\\{2\\}\\_i \\@a \\&\\{b\\} \\~c 'e\"");
	/* a backslash alone: gnuplot would not read the markup without the "{}" */
	cr_assert_str_eq(W(exitlat_gp_enhanced, "a\\b"), "{}a\\\\b");
}

Test(text, bounded_names_keep_short_ones_and_tell_long_ones_apart)
{
	char a[300], b[300], *x, *y;

	x = exitlat_bounded_name("cpuid", 20);
	cr_assert_str_eq(x, "cpuid");
	free(x);
	memset(a, 'L', 299);
	a[299] = '\0';
	memcpy(b, a, sizeof(b));
	b[298] = 'M';
	x = exitlat_bounded_name(a, 64);
	y = exitlat_bounded_name(b, 64);
	cr_assert_eq(strlen(x), 64);
	cr_assert_eq(strncmp(x, a, 55), 0);
	cr_assert_str_neq(x, y, "two long names ended the same");
	free(x);
	free(y);
}

Test(text, gnuplot_field_has_only_safe_bytes_and_octal_escapes)
{
	cr_assert_str_eq(W(exitlat_gp_field, "null-host_6.1+x"), "null-host_6.1+x");
	cr_assert_str_eq(W(exitlat_gp_field, "a b'\"\\#"),
			 "a\\0040b\\0047\\0042\\134\\0043");
	/* "\0" followed by a digit: the escape still ends after 4 digits */
	cr_assert_str_eq(W(exitlat_gp_field, "\0" "7\xc3\xa9"), "\\00007\\303\\251");
}

Test(text, openmetrics_label_escapes_backslash_quote_and_newline)
{
	cr_assert_str_eq(W(exitlat_om_label, "a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
	/* valid UTF-8 only; a NUL is shown, not kept (C readers of the file end there) */
	cr_assert_str_eq(W(exitlat_om_label, "x\0y\xff\r\xc3\xa9"),
			 "x\xef\xbf\xbdy\xef\xbf\xbd\r\xc3\xa9");
}

Test(text, html_text_escapes_markup_and_shows_controls)
{
	cr_assert_str_eq(W(exitlat_html_text, "<script>alert('x') & \"y\"</script>"),
			 "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
	cr_assert_str_eq(W(exitlat_html_text, "a\0b\x1b\xff\xc3\xa9\tc\nd"),
			 "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd\xc3\xa9\tc\nd");
}

Test(text, url_path_encodes_all_but_unreserved_characters_and_slashes)
{
	cr_assert_str_eq(W(exitlat_url_path, "a b/c?d#e%f\"<'\xc3\xa9~_.-"),
			 "a%20b/c%3Fd%23e%25f%22%3C%27%C3%A9~_.-");
	cr_assert_str_eq(W(exitlat_url_path, "javascript:x\0"), "javascript%3Ax%00");
}

Test(text, markdown_text_escapes_punctuation_and_drops_what_is_not_text)
{
	cr_assert_str_eq(W(exitlat_md_text, "kvm-ipi_halt | [x](y) *b* <i>"),
			 "kvm\\-ipi\\_halt \\| \\[x\\]\\(y\\) \\*b\\* \\<i\\>");
	/* a control character is a blank, invalid UTF-8 gone, real UTF-8 and U+FFFD kept */
	cr_assert_str_eq(W(exitlat_md_text, "a\nb\0c\xff\xf0\x90\x80" "d\xc3\xa9\xef\xbf\xbd"),
			 "a b c" "d\xc3\xa9\xef\xbf\xbd");
}
