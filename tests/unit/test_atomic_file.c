// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The one atomic writer every tool's output goes through: it replaces regular
 * files only, keeps their mode, respects the umask, takes NAME_MAX names and
 * leaves no temporary file behind, even when a signal ends the process.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exitlat/atomic_file.h"
#include "test_dir.h"

TestSuite(atomic, .init = test_dir_make, .fini = test_dir_remove);

static const char *in_dir(const char *name)
{
	static char path[4][PATH_MAX];
	static int next;
	char *p = path[next++ % 4];

	snprintf(p, PATH_MAX, "%s/%s", dir, name);
	return p;
}

/* Entries of the test folder other than @except (NULL: none). */
static int other_entries(const char *except)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		     (!except || strcmp(e->d_name, except));
	closedir(d);
	return n;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
}

static int save(const char *path, const char *text)
{
	struct exitlat_atomic_file a;

	if (exitlat_atomic_open(&a, path))
		return -1;
	fputs(text, a.f);
	return exitlat_atomic_commit(&a);
}

/* A device node of our own: the real /dev/null must never be at risk here. */
Test(atomic, refuses_a_device_node_and_leaves_it)
{
	const char *node = in_dir("null");
	struct stat st;

	if (geteuid() != 0)
		cr_skip_test("creating a device node needs root");
	cr_assert_eq(mknod(node, S_IFCHR | 0666, makedev(1, 3)), 0, "mknod: %s",
		     strerror(errno));
	cr_assert_eq(save(node, "x\n"), -1, "a device node was written over");
	cr_assert_eq(lstat(node, &st), 0);
	cr_assert(S_ISCHR(st.st_mode), "the device node was replaced");
	cr_assert_eq(other_entries("null"), 0, "a temporary file was left behind");
}

Test(atomic, refuses_a_fifo_and_a_directory)
{
	const char *fifo = in_dir("fifo"), *sub = in_dir("sub");
	struct stat st;

	cr_assert_eq(mkfifo(fifo, 0600), 0);
	cr_assert_eq(mkdir(sub, 0755), 0);
	cr_assert_eq(save(fifo, "x\n"), -1, "a FIFO was written over");
	cr_assert_eq(save(sub, "x\n"), -1);
	cr_assert_eq(lstat(fifo, &st), 0);
	cr_assert(S_ISFIFO(st.st_mode), "the FIFO was replaced");
	cr_assert_eq(other_entries(NULL), 2, "a temporary file was left behind");
}

/* Chosen behaviour (docs/sample-format.md): a symbolic link is refused, never followed. */
Test(atomic, refuses_a_symbolic_link_and_keeps_its_target)
{
	const char *target = in_dir("target"), *link = in_dir("link");
	char buf[64] = "";
	struct stat st;
	FILE *f;

	write_text(target, "old\n");
	cr_assert_eq(symlink(target, link), 0);
	cr_assert_eq(save(link, "new\n"), -1, "wrote through or over a symbolic link");
	cr_assert_eq(lstat(link, &st), 0);
	cr_assert(S_ISLNK(st.st_mode), "the link was replaced");
	f = fopen(target, "r");
	cr_assert_not_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	cr_assert_str_eq(buf, "old\n");
	cr_assert_eq(other_entries(NULL), 2);
}

Test(atomic, a_replaced_file_keeps_its_mode)
{
	const char *path = in_dir("report.json");
	struct stat st;

	write_text(path, "old\n");
	cr_assert_eq(chmod(path, 0640), 0);
	cr_assert_eq(save(path, "new\n"), 0);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0640, "mode %o", st.st_mode & 07777);
}

struct umask_case {
	mode_t umask, want;
};

ParameterizedTestParameters(atomic, a_new_file_respects_the_umask)
{
	static struct umask_case cases[] = {
		{ 022, 0644 }, { 002, 0664 }, { 077, 0600 }, { 027, 0640 },
	};

	return cr_make_param_array(struct umask_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct umask_case *c, atomic, a_new_file_respects_the_umask)
{
	const char *path = in_dir("new.samples");
	struct stat st;

	umask(c->umask);
	cr_assert_eq(save(path, "x\n"), 0);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 07777, c->want, "umask %03o: mode %04o, want %04o", c->umask,
		     st.st_mode & 07777, c->want);
}

Test(atomic, a_name_of_name_max_bytes_is_written)
{
	char name[NAME_MAX + 1];
	struct stat st;

	memset(name, 'n', NAME_MAX);
	name[NAME_MAX] = '\0';
	cr_assert_eq(save(in_dir(name), "x\n"), 0, "%s", strerror(errno));
	cr_assert_eq(stat(in_dir(name), &st), 0);
	cr_assert_eq(st.st_size, 2);
	cr_assert_eq(other_entries(name), 0);
}

ParameterizedTestParameters(atomic, a_signal_leaves_no_temporary_file)
{
	static int sigs[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM };

	return cr_make_param_array(int, sigs, sizeof(sigs) / sizeof(sigs[0]));
}

/* The process dies of the signal, as it would without the writer; only the temporary goes. */
ParameterizedTest(int *sig, atomic, a_signal_leaves_no_temporary_file)
{
	const char *path = in_dir("out.samples");
	int status;
	pid_t pid;

	write_text(path, "old\n");
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		struct rlimit no_core = { 0, 0 };
		struct exitlat_atomic_file a;

		setrlimit(RLIMIT_CORE, &no_core);
		for (int s = 1; s < NSIG; s++)
			signal(s, SIG_DFL);
		if (exitlat_atomic_open(&a, path))
			_exit(3);
		fputs("half\n", a.f);
		fflush(a.f);
		raise(*sig);
		_exit(4);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFSIGNALED(status) && WTERMSIG(status) == *sig, "status %#x", status);
	cr_assert_eq(other_entries("out.samples"), 0, "signal %d left a temporary file", *sig);
}

Test(atomic, dash_is_standard_output)
{
	const char *path = in_dir("stdout.txt");
	char buf[64] = "";
	int status;
	pid_t pid;
	FILE *f;

	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		struct exitlat_atomic_file a;

		if (!freopen(path, "w", stdout) || exitlat_atomic_open(&a, "-") || a.f != stdout)
			_exit(3);
		fputs("to stdout\n", a.f);
		_exit(exitlat_atomic_commit(&a) ? 4 : 0);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "status %#x", status);
	f = fopen(path, "r");
	cr_assert_not_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	cr_assert_str_eq(buf, "to stdout\n");
}

Test(atomic, output_check_refuses_what_open_would_refuse)
{
	char err[EXITLAT_ERR_MAX];

	cr_assert_eq(exitlat_output_check("-", err, sizeof(err)), 0);
	cr_assert_eq(exitlat_output_check(in_dir("new.samples"), err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(exitlat_output_check(dir, err, sizeof(err)), -1);
	cr_assert_not_null(strstr(err, "is a directory, not a regular file"), "%s", err);
	cr_assert_eq(exitlat_output_check(in_dir("sub/"), err, sizeof(err)), -1);
	cr_assert_eq(exitlat_output_check(in_dir("no-such-folder/x.samples"), err, sizeof(err)), -1);
	cr_assert_not_null(strstr(err, "No such file"), "%s", err);
	cr_assert_eq(other_entries(NULL), 0, "the check created something");
}

/* Same device and inode: the input's own name, a hard link, a symbolic link. */
Test(atomic, an_input_is_never_an_output)
{
	const char *in = in_dir("in.samples"), *hard = in_dir("hard"), *sym = in_dir("sym");
	char err[EXITLAT_ERR_MAX];

	write_text(in, "1\n");
	cr_assert_eq(link(in, hard), 0);
	cr_assert_eq(symlink("in.samples", sym), 0);
	cr_assert_eq(exitlat_output_not_input(in, in, err, sizeof(err)), -1);
	cr_assert_not_null(strstr(err, "is the input"), "%s", err);
	cr_assert_eq(exitlat_output_not_input(hard, in, err, sizeof(err)), -1);
	cr_assert_eq(exitlat_output_not_input(in, sym, err, sizeof(err)), -1);
	cr_assert_eq(exitlat_output_not_input(in_dir("other"), in, err, sizeof(err)), 0);
	cr_assert_eq(exitlat_output_not_input("-", in, err, sizeof(err)), 0);
}
