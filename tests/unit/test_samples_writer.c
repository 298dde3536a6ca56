// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The sample-format writer: round trips, required keys, atomic replacement. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exitlat/samples.h"
#include "test_dir.h"

TestSuite(writer, .init = test_dir_make, .fini = test_dir_remove);

static void std_header(struct exitlat_header *h)
{
	*h = (struct exitlat_header){ 0 };
	cr_assert_eq(exitlat_header_set(h, "source", "native"), 0);
	cr_assert_eq(exitlat_header_set(h, "exit", "cpuid"), 0);
	cr_assert_eq(exitlat_header_set(h, "unit", "cycles"), 0);
	cr_assert_eq(exitlat_header_setf(h, "cpu", "%d", 3), 0);
}

static int count_entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

Test(writer, round_trips_extremes_and_header)
{
	uint64_t in[] = { 0, 1, 9, 10, 4294967296ull, UINT64_MAX - 1, UINT64_MAX };
	struct exitlat_header h, back = { 0 };
	uint64_t *out;
	size_t n;
	char path[256], err[EXITLAT_ERR_MAX];

	std_header(&h);
	snprintf(path, sizeof(path), "%s/a.samples", dir);
	cr_assert_eq(exitlat_samples_save(path, &h, in, 7, err), 0, "%s", err);
	cr_assert_eq(exitlat_samples_load(path, &back, &out, &n, err), 0, "%s", err);
	cr_assert_eq(n, 7);
	for (size_t i = 0; i < n; i++)
		cr_assert_eq(out[i], in[i], "sample %zu", i);
	cr_assert_str_eq(exitlat_header_get(&back, "cpu"), "3");
	cr_assert_str_eq(exitlat_header_get(&back, "source"), "native");
	cr_assert_eq(count_entries(), 1, "a temporary file was left behind");
	free(out);
	exitlat_header_free(&h);
	exitlat_header_free(&back);
}

Test(writer, refuses_header_without_required_key)
{
	struct exitlat_header h = { 0 };
	struct exitlat_writer w;
	char path[256];

	cr_assert_eq(exitlat_header_set(&h, "source", "kvm"), 0);
	cr_assert_eq(exitlat_header_set(&h, "unit", "cycles"), 0);
	snprintf(path, sizeof(path), "%s/b.samples", dir);
	cr_assert_eq(exitlat_writer_open(&w, path), 0, "%s", w.err);
	cr_assert_eq(exitlat_writer_header(&w, &h), -1);
	cr_assert_not_null(strstr(w.err, "missing required header key 'exit'"), "%s", w.err);
	exitlat_writer_abort(&w);
	cr_assert_eq(count_entries(), 0);
	exitlat_header_free(&h);
}

/* The writer checks a header as the reader does: nothing written is refused later. */
Test(writer, refuses_what_a_reader_would_refuse)
{
	static const char *const bad[][2] = {
		{ "exit", "frobnicate" }, { "tsc_khz", "0" }, { "emulated", "NO" },
		{ "dropped", "3 ()" },
	};
	struct exitlat_header h;
	struct exitlat_writer w;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		std_header(&h);
		cr_assert_eq(exitlat_header_set(&h, bad[i][0], bad[i][1]), 0);
		cr_assert_eq(exitlat_writer_open(&w, "-"), 0, "%s", w.err);
		cr_assert_eq(exitlat_writer_header(&w, &h), -1, "%s: %s written", bad[i][0],
			     bad[i][1]);
		cr_assert_not_null(strstr(w.err, bad[i][0]), "%s", w.err);
		exitlat_writer_abort(&w);
		exitlat_header_free(&h);
	}
}

Test(writer, refuses_line_break_in_header_value)
{
	struct exitlat_header h;
	struct exitlat_writer w;
	char path[256];

	std_header(&h);
	cr_assert_eq(exitlat_header_set(&h, "note", "two\nlines"), 0);
	snprintf(path, sizeof(path), "%s/c.samples", dir);
	cr_assert_eq(exitlat_writer_open(&w, path), 0);
	cr_assert_eq(exitlat_writer_header(&w, &h), -1);
	cr_assert_not_null(strstr(w.err, "'note'"), "%s", w.err);
	exitlat_writer_abort(&w);
	exitlat_header_free(&h);
}

/* A writer killed between write and rename must leave the old file whole. */
Test(writer, crash_before_rename_keeps_old_file)
{
	uint64_t old[] = { 11, 22, 33 }, fresh[] = { 44, 55 };
	struct exitlat_header h, back = { 0 };
	uint64_t *out;
	size_t n;
	char path[256], err[EXITLAT_ERR_MAX];
	pid_t pid;
	int status;

	std_header(&h);
	snprintf(path, sizeof(path), "%s/d.samples", dir);
	cr_assert_eq(exitlat_samples_save(path, &h, old, 3, err), 0, "%s", err);
	pid = fork();
	if (pid == 0) {
		struct exitlat_writer w;

		if (exitlat_writer_open(&w, path) || exitlat_writer_header(&w, &h) ||
		    exitlat_writer_samples(&w, fresh, 2))
			_exit(2);
		fflush(w.f);
		_exit(0);	/* dies before commit: no rename */
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert_eq(WEXITSTATUS(status), 0);
	cr_assert_eq(exitlat_samples_load(path, &back, &out, &n, err), 0, "%s", err);
	cr_assert_eq(n, 3);
	cr_assert_eq(out[0], 11);
	cr_assert_eq(out[2], 33);
	free(out);
	exitlat_header_free(&h);
	exitlat_header_free(&back);
}

Test(writer, commit_replaces_old_file)
{
	uint64_t old[] = { 1 }, fresh[] = { 7, 8 };
	struct exitlat_header h, back = { 0 };
	uint64_t *out;
	size_t n;
	char path[256], err[EXITLAT_ERR_MAX];

	std_header(&h);
	snprintf(path, sizeof(path), "%s/e.samples", dir);
	cr_assert_eq(exitlat_samples_save(path, &h, old, 1, err), 0, "%s", err);
	cr_assert_eq(exitlat_samples_save(path, &h, fresh, 2, err), 0, "%s", err);
	cr_assert_eq(exitlat_samples_load(path, &back, &out, &n, err), 0, "%s", err);
	cr_assert_eq(n, 2);
	cr_assert_eq(out[1], 8);
	cr_assert_eq(count_entries(), 1);
	free(out);
	exitlat_header_free(&h);
	exitlat_header_free(&back);
}

Test(writer, unwritable_folder_is_named)
{
	struct exitlat_header h;
	char err[EXITLAT_ERR_MAX];
	uint64_t v = 1;

	std_header(&h);
	cr_assert_eq(exitlat_samples_save("/nonexistent-dir/f.samples", &h, &v, 1, err), -1);
	cr_assert_not_null(strstr(err, "/nonexistent-dir/f.samples"), "%s", err);
	exitlat_header_free(&h);
}
