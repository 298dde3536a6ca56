// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * exitlat-analyze as a user meets it: every malformed file is refused with
 * FILE:LINE and a non-zero exit, and nothing is printed for it as if it were
 * valid; --check; usage errors.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define HDR "# exitlat-samples 1\n# source: kvm\n# exit: cpuid\n# unit: cycles\n"

struct run {
	int status;
	char out[16384];
	char err[4096];
};

static char tool[4096];
static char dir[64];

static void setup(void)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	cr_assert_gt(n, 0);
	self[n] = '\0';
	/* $(B)/tests/test_analysis_tool -> $(B)/exitlat-analyze */
	snprintf(tool, sizeof(tool), "%s/../exitlat-analyze", dirname(self));
	cr_assert_eq(access(tool, X_OK), 0, "%s not built", tool);
	strcpy(dir, "/tmp/test_analysis_tool.XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

static const char *write_file(const char *name, const char *content)
{
	static char path[8][256];
	static int next;
	char *p = path[next++ % 8];
	FILE *f;

	snprintf(p, 256, "%s/%s", dir, name);
	f = fopen(p, "w");
	cr_assert_not_null(f);
	fputs(content, f);
	cr_assert_eq(fclose(f), 0);
	return p;
}

static void drain(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	ssize_t got;

	while ((got = read(fd, buf + len, cap - 1 - len)) > 0)
		len += got;
	buf[len] = '\0';
}

/* What the next run_tool() reads on standard input (NULL: nothing). */
static const char *stdin_path;

/* Runs the tool with @argv (NULL-terminated, without argv[0]). */
static void run_tool(struct run *r, const char *const *argv)
{
	const char *args[32] = { tool };
	int out[2], err[2];
	pid_t pid;

	for (int i = 0; argv[i]; i++)
		args[i + 1] = argv[i];
	cr_assert_eq(pipe(out), 0);
	cr_assert_eq(pipe(err), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		if (stdin_path) {
			int fd = open(stdin_path, O_RDONLY);

			if (fd < 0 || dup2(fd, 0) < 0)
				_exit(126);
		} else {
			close(0);
		}
		close(out[0]);
		close(err[0]);
		execv(tool, (char *const *)args);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	drain(out[0], r->out, sizeof(r->out));
	drain(err[0], r->err, sizeof(r->err));
	close(out[0]);
	close(err[0]);
	cr_assert_eq(waitpid(pid, &r->status, 0), pid);
	cr_assert(WIFEXITED(r->status));
	r->status = WEXITSTATUS(r->status);
}

struct bad_case {
	const char *content;
	int line;
	const char *what;	/* a piece of the message */
};

static const struct bad_case bad_cases[] = {
	{ .content = "", .line = 1, .what = "empty file" },
	{ .content = "hello\n1\n", .line = 1, .what = "not an exitlat sample file" },
	{ .content = "# exitlat-samples 2\n# source: kvm\n", .line = 1, .what = "version" },
	{ .content = "# exitlat-samples 1\n# exit: cpuid\n# unit: cycles\n5\n",
	  .line = 4, .what = "'source'" },
	{ .content = "# exitlat-samples 1\n# source: xen\n# exit: cpuid\n# unit: cycles\n5\n",
	  .line = 2, .what = "xen" },
	{ .content = "# exitlat-samples 1\n# source: kvm\n# exit: cpuid\n# unit: ns\n5\n",
	  .line = 4, .what = "'unit'" },
	{ .content = "# exitlat-samples 1\n# source: kvm\n# exit: cpuid\n5\n",
	  .line = 4, .what = "'unit'" },
	{ .content = "# exitlat-samples 1\n#source kvm\n", .line = 2, .what = "malformed header" },
	{ .content = HDR "# source: native\n1\n", .line = 5, .what = "twice" },
	{ .content = HDR "1\n2\n12a\n4\n", .line = 7, .what = "not an unsigned decimal" },
	{ .content = HDR "1\n-5\n", .line = 6, .what = "not an unsigned decimal" },
	{ .content = HDR "1\n 5\n", .line = 6, .what = "not an unsigned decimal" },
	{ .content = HDR "18446744073709551615\n18446744073709551616\n",
	  .line = 6, .what = "exceeds 2^64-1" },
	{ .content = HDR "1\n\n2\n", .line = 6, .what = "empty line" },
	{ .content = HDR "1\n# late: header\n", .line = 6, .what = "header line after" },
	{ .content = HDR "1\n2", .line = 6, .what = "no newline" },
	{ .content = HDR "1\n2x", .line = 6, .what = "not an unsigned decimal" },
	{ .content = "# exitlat-samples 1\n# source: kvm\n# exit: cpuid\n# domain: hostile\n"
	  "# unit: cycles\n1\n", .line = 4, .what = "'domain'" },
	/* What the history refuses, the analysis refuses too (lib/samples_header.c). */
	{ .content = "# exitlat-samples 1\n# source: kvm\n# exit: vmfunc\n# unit: cycles\n5\n",
	  .line = 3, .what = "not an exit kind" },
	{ .content = HDR "# tsc_khz: banana\n5\n", .line = 5, .what = "'tsc_khz' is 'banana'" },
	{ .content = HDR "# tsc_khz: 0\n5\n", .line = 5, .what = "'tsc_khz' is '0'" },
	{ .content = HDR "# tsc_khz: -100\n5\n", .line = 5, .what = "'tsc_khz' is '-100'" },
	{ .content = HDR "# emulated: NO\n5\n", .line = 5, .what = "'emulated' is 'NO'" },
};

#define BAD_NR (sizeof(bad_cases) / sizeof(bad_cases[0]))

/*
 * Parameters travel to the test's own process by value: an index into the
 * table, since the pointers inside it need not hold there.
 */
ParameterizedTestParameters(tool, malformed_file_is_refused)
{
	static int idx[BAD_NR];

	for (size_t i = 0; i < BAD_NR; i++)
		idx[i] = (int)i;
	return cr_make_param_array(int, idx, BAD_NR);
}

ParameterizedTest(int *i, tool, malformed_file_is_refused, .init = setup, .fini = teardown)
{
	const struct bad_case *c = &bad_cases[*i];
	const char *good = write_file("good.samples", HDR "100\n200\n");
	const char *bad = write_file("bad.samples", c->content);
	const char *formats[] = { "table", "json", "csv" };
	char where[512];
	struct run r;

	snprintf(where, sizeof(where), "%s:%d: ", bad, c->line);
	for (int i = 0; i < 3; i++) {
		/* A good file first: its report must not appear either. */
		run_tool(&r, (const char *[]){ "-f", formats[i], good, bad, NULL });
		cr_assert_eq(r.status, 1, "exit %d, stderr: %s", r.status, r.err);
		cr_assert_str_empty(r.out, "stdout: %s", r.out);
		cr_assert_not_null(strstr(r.err, where), "want '%s', got '%s'", where, r.err);
		cr_assert_not_null(strstr(r.err, c->what), "want '%s', got '%s'", c->what,
				   r.err);
	}
	/* --check makes the same checks: one validation, in lib/. */
	run_tool(&r, (const char *[]){ "--check", good, bad, NULL });
	cr_assert_eq(r.status, 1, "case %d", *i);
	cr_assert_not_null(strstr(r.err, where), "got '%s'", r.err);
	cr_assert_not_null(strstr(r.out, ": ok, 2 samples"), "got '%s'", r.out);
}

Test(tool, check_counts_samples, .init = setup, .fini = teardown)
{
	const char *f = write_file("a.samples", HDR "# extra: kept\n1\n2\n3\n");
	char want[512];
	struct run r;

	run_tool(&r, (const char *[]){ "-C", f, NULL });
	cr_assert_eq(r.status, 0, "stderr: %s", r.err);
	snprintf(want, sizeof(want), "%s: ok, 3 samples\n", f);
	cr_assert_str_eq(r.out, want);
}

Test(tool, missing_file_is_an_error, .init = setup, .fini = teardown)
{
	struct run r;

	run_tool(&r, (const char *[]){ "/nonexistent/x.samples", NULL });
	cr_assert_eq(r.status, 1);
	cr_assert_str_empty(r.out);
	cr_assert_not_null(strstr(r.err, "/nonexistent/x.samples"));
}

Test(tool, usage_errors_exit_2_with_a_hint, .init = setup, .fini = teardown)
{
	const char *f = write_file("a.samples", HDR "1\n");
	const char *const cases[][4] = {
		{ NULL }, { "--format", "xml", f, NULL }, { "--trim", "1.5", f, NULL },
		{ "--seed", "-1", f, NULL }, { "--bogus", f, NULL }, { "-q", f, NULL },
	};
	struct run r;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run_tool(&r, cases[i]);
		cr_assert_eq(r.status, 2, "case %zu: exit %d", i, r.status);
		cr_assert_not_null(strstr(r.err, "--help"), "case %zu: %s", i, r.err);
		cr_assert_str_empty(r.out);
	}
}

Test(tool, help_shows_units_and_defaults, .init = setup, .fini = teardown)
{
	struct run r;

	run_tool(&r, (const char *[]){ "--help", NULL });
	cr_assert_eq(r.status, 0);
	cr_assert_not_null(strstr(r.out, "default 2000"));
	cr_assert_not_null(strstr(r.out, "cycles"));
}

Test(tool, exact_quantile_near_2_pow_63_in_every_format, .init = setup, .fini = teardown)
{
	const char *f = write_file("big.samples", HDR "9223372036854775808\n9223372036854775809\n");
	const char *formats[] = { "table", "json", "csv" };
	struct run r;

	for (int i = 0; i < 3; i++) {
		run_tool(&r, (const char *[]){ "-f", formats[i], f, NULL });
		cr_assert_eq(r.status, 0, "%s", r.err);
		cr_assert_not_null(strstr(r.out, "9223372036854775808.5"), "%s: %s", formats[i],
				   r.out);
		cr_assert_not_null(strstr(r.out, "9223372036854775809"));
	}
}

Test(tool, files_of_one_series_merge_and_by_file_splits, .init = setup, .fini = teardown)
{
	const char *a = write_file("a.samples", HDR "1\n2\n");
	const char *b = write_file("b.samples", HDR "3\n4\n5\n");
	struct run r;

	run_tool(&r, (const char *[]){ "-f", "csv", a, b, NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not_null(strstr(r.out, "\r\nkvm-cpuid,"));
	cr_assert_not_null(strstr(r.out, ",5,5,1,5,"), "%s", r.out);	/* count distinct min max */
	run_tool(&r, (const char *[]){ "-f", "csv", "--by", "file", a, b, NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not_null(strstr(r.out, "\r\nkvm-cpuid--a,"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "\r\nkvm-cpuid--b,"), "%s", r.out);
}

Test(tool, subtract_null_shifts_and_says_so, .init = setup, .fini = teardown)
{
	const char *n = write_file("n.samples", "# exitlat-samples 1\n# source: kvm\n"
				   "# exit: null\n# unit: cycles\n10\n11\n");
	const char *c = write_file("c.samples", HDR "100\n200\n300\n");
	struct run r;

	run_tool(&r, (const char *[]){ "--subtract-null", "-f", "json", n, c, NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	/* median 200 - null median 10.5 */
	cr_assert_not_null(strstr(r.out, "\"median\": 189.5"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "\"null_subtracted\": 10.5"), "%s", r.out);
	run_tool(&r, (const char *[]){ "--subtract-null", n, c, NULL });
	cr_assert_not_null(strstr(r.out, "null median 10.5 subtracted"), "%s", r.out);
}

Test(tool, by_file_ids_stay_unique, .init = setup, .fini = teardown)
{
	char sub[128];
	const char *a, *b;
	struct run r;

	snprintf(sub, sizeof(sub), "%s/sub", dir);
	cr_assert_eq(mkdir(sub, 0755), 0);
	a = write_file("x.samples", HDR "1\n");
	b = write_file("sub/x.samples", HDR "2\n");
	run_tool(&r, (const char *[]){ "-f", "csv", "--by", "file", a, b, NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not_null(strstr(r.out, "\r\nkvm-cpuid--x,"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "\r\nkvm-cpuid--x-2,"), "%s", r.out);
}

Test(tool, seed_makes_intervals_reproducible, .init = setup, .fini = teardown)
{
	static char a[16384];
	char nat[4096], kvm[4096];
	size_t ln, lk;
	const char *n, *k;
	struct run r;

	/* Spread values, so that the intervals have room to move with the seed. */
	ln = snprintf(nat, sizeof(nat), "# exitlat-samples 1\n# source: native\n"
		      "# exit: cpuid\n# unit: cycles\n");
	lk = snprintf(kvm, sizeof(kvm), "%s", HDR);
	for (int i = 0; i < 300; i++) {
		ln += snprintf(nat + ln, sizeof(nat) - ln, "%d\n", 1000 + (i * 7919) % 997);
		lk += snprintf(kvm + lk, sizeof(kvm) - lk, "%d\n", 1500 + (i * 104729) % 991);
	}
	n = write_file("n.samples", nat);
	k = write_file("k.samples", kvm);
	run_tool(&r, (const char *[]){ "-f", "csv-overhead", "--seed", "5", n, k, NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	strcpy(a, r.out);
	cr_assert_not_null(strstr(a, ",cpuid,native-cpuid,kvm-cpuid,"), "%s", a);
	run_tool(&r, (const char *[]){ "-f", "csv-overhead", "--seed", "5", n, k, NULL });
	cr_assert_str_eq(a, r.out);
	run_tool(&r, (const char *[]){ "-f", "csv-overhead", "--seed", "6", n, k, NULL });
	cr_assert_str_neq(a, r.out, "seed 6 gave the same intervals as seed 5");
}

/* A line of digits longer than the reader's 1 MiB buffer once made the tool spin forever. */
Test(tool, a_line_longer_than_the_buffer_is_refused_not_spun_on, .init = setup,
     .fini = teardown, .timeout = 30)
{
	size_t hl = strlen(HDR), len = hl + (3 << 19) + 3;
	char *text = malloc(len + 1), where[512];
	const char *f;
	struct run r;

	cr_assert_not_null(text);
	memcpy(text, HDR, hl);
	memset(text + hl, '0', len - hl - 3);
	memcpy(text + len - 3, "12\n", 4);
	f = write_file("long.samples", text);
	free(text);
	snprintf(where, sizeof(where), "%s:5: line longer than 4096 bytes", f);
	run_tool(&r, (const char *[]){ f, NULL });
	cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
	cr_assert_not_null(strstr(r.err, where), "want '%s', got '%s'", where, r.err);
	run_tool(&r, (const char *[]){ "--check", f, NULL });
	cr_assert_eq(r.status, 1);
	cr_assert_not_null(strstr(r.err, where), "got '%s'", r.err);
}

/*
 * Chosen behaviour (docs/analysis.md): one file given twice, under any name
 * (a hard link, a symbolic link, standard input redirected from it), is
 * refused, never counted twice.
 */
Test(tool, the_same_file_twice_is_refused, .init = setup, .fini = teardown)
{
	const char *a = write_file("a.samples", HDR "1\n2\n");
	char hard[256], sym[256];
	const char *const *cases[] = {
		(const char *[]){ a, a, NULL },
		(const char *[]){ a, hard, NULL },
		(const char *[]){ sym, a, NULL },
		(const char *[]){ "-", a, NULL },
	};
	struct run r;

	snprintf(hard, sizeof(hard), "%s/hard.samples", dir);
	snprintf(sym, sizeof(sym), "%s/sym.samples", dir);
	cr_assert_eq(link(a, hard), 0);
	cr_assert_eq(symlink("a.samples", sym), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		stdin_path = a;
		run_tool(&r, cases[i]);
		stdin_path = NULL;
		cr_assert_eq(r.status, 1, "case %zu: exit %d, stdout %s", i, r.status, r.out);
		cr_assert_str_empty(r.out, "case %zu", i);
		cr_assert_not_null(strstr(r.err, "the same file as"), "case %zu: %s", i, r.err);
	}
}

/*
 * Two kinds of dropping, each said for what it is: samples the measuring tool
 * dropped (the 'dropped' header, with its reason) and the analysis' own trim.
 */
Test(tool, drops_while_measuring_are_reported_with_their_reason, .init = setup,
     .fini = teardown)
{
	const char *a = write_file("a.samples", HDR "# dropped: 12 (their KVM_RUN saw more than "
				   "one exit)\n1\n2\n");
	const char *b = write_file("b.samples", HDR "# dropped: 3\n5\n");
	const char *n = write_file("n.samples", "# exitlat-samples 1\n# source: kvm\n"
				   "# exit: pio\n# unit: cycles\n# dropped: 0\n7\n");
	struct run r;

	run_tool(&r, (const char *[]){ a, b, n, NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_null(strstr(r.out, "no samples dropped"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "trim: none"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "kvm-cpuid: 15 samples dropped while measuring "
				  "(their KVM_RUN saw more than one exit; reason not recorded)"),
			   "%s", r.out);
	cr_assert_null(strstr(r.out, "kvm-pio: "), "%s", r.out);
	run_tool(&r, (const char *[]){ n, NULL });
	cr_assert_not_null(strstr(r.out, "dropped while measuring: none"), "%s", r.out);
	run_tool(&r, (const char *[]){ "--trim", "0.5", n, NULL });
	cr_assert_not_null(strstr(r.out, "trim: top 0.5 of each series"), "%s", r.out);
}

/* A file that does not say whether it dropped anything is not reported as "none". */
Test(tool, unrecorded_drops_are_not_called_none, .init = setup, .fini = teardown)
{
	const char *a = write_file("a.samples", HDR "1\n");
	struct run r;

	run_tool(&r, (const char *[]){ a, NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_null(strstr(r.out, "dropped while measuring: none"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "kvm-cpuid: samples dropped while measuring not "
				  "recorded"), "%s", r.out);
}

/* Mean and standard deviation exact too: {2^63, 2^63+1} is 2^63 + 0.5, sd 0.5. */
Test(tool, exact_mean_and_stddev_near_2_pow_63_in_every_format, .init = setup,
     .fini = teardown)
{
	const char *f = write_file("big.samples", HDR "9223372036854775808\n9223372036854775809\n");
	/* table: median then mean, and last stddev then iqr */
	const char *want[][3] = {
		{ "table", "  9223372036854775808.5  9223372036854775808.5  ", "  0.5  0.5\n" },
		{ "json", "\"mean\": 9223372036854775808.5, \"stddev\": 0.5,", "" },
		{ "csv", ",9223372036854775808.5,0.5,", "" },
	};
	struct run r;

	for (int i = 0; i < 3; i++) {
		run_tool(&r, (const char *[]){ "-f", want[i][0], f, NULL });
		cr_assert_eq(r.status, 0, "%s", r.err);
		for (int k = 1; k < 3; k++)
			cr_assert_not_null(strstr(r.out, want[i][k]), "%s: want '%s' in %s",
					   want[i][0], want[i][k], r.out);
	}
}

/*
 * One sample a side: every resample is that sample, and a zero-width interval
 * would claim certainty. The interval is left out and the output says why.
 */
Test(tool, a_bootstrap_ci_from_one_sample_a_side_is_called_meaningless, .init = setup,
     .fini = teardown)
{
	const char *n = write_file("n.samples", "# exitlat-samples 1\n# source: native\n"
				   "# exit: cpuid\n# unit: cycles\n100\n");
	const char *k = write_file("k.samples", HDR "300\n");
	struct run r;

	run_tool(&r, (const char *[]){ n, k, NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_null(strstr(r.out, "[200.0, 200.0]"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "cpuid: no CI: meaningless with 1 native and 1 kvm "
				  "sample"), "%s", r.out);
	cr_assert_not_null(strstr(r.err, "meaningless"), "%s", r.err);
	run_tool(&r, (const char *[]){ "-f", "json", n, k, NULL });
	cr_assert_not_null(strstr(r.out, "\"diff_median\": 200, \"diff_median_ci\": [null, null]"),
			   "%s", r.out);
}

/*
 * The ladder: fast path before kernel before user space, each row saying
 * where KVM handles it; a kind one side did not measure is a row too, marked.
 */
Test(tool, the_ladder_groups_by_where_kvm_handles_it_and_keeps_one_sided_kinds,
     .init = setup, .fini = teardown)
{
	const char *n = write_file("n.samples", "# exitlat-samples 1\n# source: native\n"
				   "# exit: pio\n# unit: cycles\n100\n");
	const char *k = write_file("k.samples", "# exitlat-samples 1\n# source: kvm\n"
				   "# exit: pio\n# unit: cycles\n900\n");
	const char *i = write_file("i.samples", "# exitlat-samples 1\n# source: kvm\n"
				   "# exit: ioeventfd-pio\n# unit: cycles\n200\n");
	const char *c = write_file("c.samples", "# exitlat-samples 1\n# source: native\n"
				   "# exit: cpuid\n# unit: cycles\n50\n");
	const char *fp, *kern, *user, *native_only;
	struct run r;

	run_tool(&r, (const char *[]){ n, k, i, c, NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	fp = strstr(r.out, "ioeventfd-pio");
	kern = strstr(r.out, "\ncpuid ");
	user = strstr(r.out, "\npio ");
	cr_assert(fp && kern && user && fp < kern && kern < user, "%s", r.out);
	cr_assert(strstr(fp, "fastpath") && strstr(fp, "kvm only"), "%s", r.out);
	native_only = strstr(kern, "native only");
	cr_assert(strstr(kern, "kernel") && native_only && native_only < user, "%s", r.out);
	cr_assert(strstr(user, "user") && strstr(user, "both"), "%s", r.out);
	run_tool(&r, (const char *[]){ "-f", "json", n, k, i, c, NULL });
	cr_assert_not_null(strstr(r.out, "\"exit\": \"ioeventfd-pio\", \"kvm_path\": \"fastpath\", "
				  "\"measured\": \"kvm\",\n     \"native_median\": null, "
				  "\"kvm_median\": 200}"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "\"exit\": \"cpuid\", \"kvm_path\": \"kernel\", "
				  "\"measured\": \"native\""), "%s", r.out);
}

/* How the tool checked the exits travels from the header to every output, as one word. */
Test(tool, the_tools_verified_word_reaches_the_table_and_json, .init = setup, .fini = teardown)
{
	const char *k = write_file("k.samples", HDR "# verified: several\n300\n");
	const char *n = write_file("n.samples", "# exitlat-samples 1\n# source: native\n"
				   "# exit: cpuid\n# unit: cycles\n100\n");
	struct run r;

	run_tool(&r, (const char *[]){ n, k, NULL });
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not_null(strstr(r.out, "exits checked"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "several"), "%s", r.out);
	run_tool(&r, (const char *[]){ "-f", "json", n, k, NULL });
	cr_assert_not_null(strstr(r.out, "\"verified\": \"several\""), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "\"verified\": \"-\""), "%s", r.out);
}
