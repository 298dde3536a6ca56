/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A run's report.md as HTML (the dashboard's twin of it): the part of
 * CommonMark that scripts/lib/report.sh writes (headings, paragraphs, lists,
 * block quotes, pipe tables, fenced code, **strong**, _emphasis_, `code`, backslash escapes,
 * links and images). Every text is escaped (exitlat_html_text); a link or
 * image whose target is a relative path becomes @prefix + path (percent-
 * encoded), any other target (a scheme, an absolute path) is shown as text:
 * a report can point only into its own folder.
 */
#ifndef EXITLAT_HISTORY_MARKDOWN_H
#define EXITLAT_HISTORY_MARKDOWN_H

#include <stddef.h>
#include <stdio.h>

void history_markdown_html(FILE *f, const char *md, size_t len, const char *prefix);

#endif
