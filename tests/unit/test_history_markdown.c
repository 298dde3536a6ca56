// SPDX-License-Identifier: GPL-2.0 OR MIT
/* report.md as HTML: structure kept, every text escaped, links only into the run's folder. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "markdown.h"

/* The HTML of @md with links under "../run/" (a static copy for the test). */
static char *html(const char *md)
{
	static char out[4096];
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	cr_assert_not_null(f);
	history_markdown_html(f, md, strlen(md), "../run/");
	cr_assert_eq(fclose(f), 0);
	cr_assert_lt(size, sizeof(out));
	memcpy(out, buf, size + 1);
	free(buf);
	return out;
}

Test(markdown, heading_paragraph_and_list)
{
	cr_assert_str_eq(html("# exitlat run: **host**\n\nfirst\nsecond\n\n- a\n- _b_\n"),
			 "<h1>exitlat run: <strong>host</strong></h1>\n"
			 "<p>first\nsecond</p>\n"
			 "<ul>\n<li>a</li>\n<li><em>b</em></li>\n</ul>\n");
}

Test(markdown, table_with_header_and_escaped_pipe)
{
	cr_assert_str_eq(html("| kind | median |\n|---|---:|\n| a\\|b | `x|y` |\n"),
			 "<table>\n<thead><tr><th>kind</th><th>median</th></tr>\n</thead><tbody>\n"
			 "<tr><td>a|b</td><td><code>x|y</code></td></tr>\n</tbody></table>\n");
}

Test(markdown, image_and_link_point_into_the_folder)
{
	cr_assert_str_eq(html("![ladder <1>](figures/a b.png) [pdf](figures/a.pdf)\n"),
			 "<p><img src=\"../run/figures/a%20b.png\" alt=\"ladder &lt;1&gt;\"> "
			 "<a href=\"../run/figures/a.pdf\">pdf</a></p>\n");
}

Test(markdown, other_targets_are_text)
{
	cr_assert_str_eq(html("[x](javascript:alert(1)) [y](/etc/passwd) ![z](https://e.org/i.png)\n"),
			 "<p>x (javascript:alert(1)) y (/etc/passwd) z (https://e.org/i.png)</p>\n");
}

Test(markdown, markup_in_text_is_text)
{
	cr_assert_str_eq(html("<script>alert(\"x\")</script> \\<b\\> & \\*\n"),
			 "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &lt;b&gt; &amp; *</p>\n");
}

Test(markdown, fenced_code_is_escaped_and_a_missing_fence_closed)
{
	cr_assert_str_eq(html("```\n<a> **b**\n"), "<pre>&lt;a&gt; **b**\n</pre>\n");
}

Test(markdown, block_quote_is_a_quote)
{
	cr_assert_str_eq(html("> Everything here ran\n> in an emulator.\n\nnext\n"),
			 "<blockquote><p>Everything here ran\nin an emulator.</p></blockquote>\n"
			 "<p>next</p>\n");
}
