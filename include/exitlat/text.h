/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Text that came from outside (header values, file and host names) written
 * into each output format so that it stays data: one writer per format, all
 * taking a length so that a NUL byte is text, never the end of it
 * (docs/analysis-outputs.md, "Text in the outputs").
 *
 * Invalid UTF-8 is replaced by U+FFFD, one per maximal invalid subpart (the
 * Unicode recommendation, what Python's errors='replace' does).
 */
#ifndef EXITLAT_TEXT_H
#define EXITLAT_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define EXITLAT_REPLACEMENT 0xFFFD

/*
 * Decodes the code point at @s (@len > 0 bytes left): stores it in @cp (U+FFFD
 * for an invalid sequence) and returns the bytes it took (at least 1).
 */
size_t exitlat_utf8_next(const char *s, size_t len, uint32_t *cp);

/* A JSON string with its quotes: control characters, NUL, U+2028/9 escaped. */
void exitlat_json_str(FILE *f, const char *s, size_t len);

/* An RFC 4180 field: quoted when it holds a comma, a quote, CR, LF or a blank at an end. */
void exitlat_csv_field(FILE *f, const char *s, size_t len);

/*
 * Markdown (CommonMark) text that shows as itself: every ASCII punctuation
 * character backslash-escaped, control characters as blanks, invalid UTF-8
 * dropped (scripts/lib/report.sh's md() does the same in shell).
 */
void exitlat_md_text(FILE *f, const char *s, size_t len);

/*
 * A label for a figure: control characters as U+FFFD, at most @max code
 * points, then U+2026 (a visible cut). Returns a malloc'd string or NULL.
 */
char *exitlat_label(const char *s, size_t len, size_t max);

/*
 * LaTeX text mode: every special character as a command that prints it
 * (\_, \textbackslash{}, ...), no ligature ("--" stays two hyphens), U+FFFD
 * as '?'. Other UTF-8 is kept for LaTeX's own input encoding.
 */
void exitlat_latex_text(FILE *f, const char *s, size_t len);

/*
 * gnuplot's enhanced text (the cairo terminals): each character that makes
 * markup there (\ ^ _ @ & ~ { }) escaped with a backslash, so it prints as
 * itself and gnuplot's layout never parses it as markup (text with a
 * backslash starts with "{}", which prints nothing: see text.c).
 */
void exitlat_gp_enhanced(FILE *f, const char *s, size_t len);

/*
 * @s as a file name part of at most @max bytes (@max > 9): itself when short
 * enough, else its first @max - 9 bytes, '-' and 8 hex digits of a hash of
 * the whole, so that long names stay apart. Returns a malloc'd string or NULL.
 */
char *exitlat_bounded_name(const char *s, size_t max);

/*
 * One field of a gnuplot data file that gnuplot's strcol() gives back
 * byte for byte: every byte outside [A-Za-z0-9._+-] as an octal escape
 * (\0NNN below 64, \NNN above), which its data-file reader decodes; no blank,
 * quote, '#' or separator is left.
 */
void exitlat_gp_field(FILE *f, const char *s, size_t len);

/*
 * A label value of the Prometheus / OpenMetrics text format, without its
 * quotes: backslash, double quote and newline escaped as the format says;
 * invalid UTF-8 and NUL as U+FFFD.
 */
void exitlat_om_label(FILE *f, const char *s, size_t len);

/*
 * HTML text (element content or a quoted attribute value): & < > " ' as
 * character references; invalid UTF-8, NUL and the other control characters
 * but tab and newline (HTML has no place for them) as U+FFFD.
 */
void exitlat_html_text(FILE *f, const char *s, size_t len);

/*
 * A relative URL path for href or src: every byte but [A-Za-z0-9-._~/]
 * percent-encoded, so it can name no scheme, query or fragment, and holds
 * nothing an HTML attribute would read.
 */
void exitlat_url_path(FILE *f, const char *s, size_t len);

#endif
