// SPDX-License-Identifier: GPL-2.0 OR MIT
/* A folder written as one set: new, replaced (stale files gone), refused, abandoned. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exitlat/atomic_dir.h"
#include "test_dir.h"

TestSuite(atomic_dir, .init = test_dir_make, .fini = test_dir_remove);

static char err[EXITLAT_ERR_MAX];

/* Ours: NAME.dat. */
static bool is_dat(const char *name)
{
	size_t n = strlen(name);

	return n > 4 && !strcmp(name + n - 4, ".dat");
}

static void put(const char *folder, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", folder, name);
	f = fopen(path, "w");
	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
}

static bool has(const char *folder, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", folder, name);
	return access(path, F_OK) == 0;
}

/* Entries of @d: the set's folder and anything left beside it. */
static int entries(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int n = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

/* Writes the set NAMES (blank-separated) into @path through an atomic folder. */
static int write_set(const char *path, const char *names)
{
	struct exitlat_atomic_dir d;
	char buf[256], *name, *save;

	if (exitlat_atomic_dir_open(&d, path, is_dat, err))
		return -1;
	snprintf(buf, sizeof(buf), "%s", names);
	for (name = strtok_r(buf, " ", &save); name; name = strtok_r(NULL, " ", &save))
		put(d.tmp_path, name, "new\n");
	return exitlat_atomic_dir_commit(&d, err);
}

Test(atomic_dir, makes_a_new_folder_with_the_umask_mode)
{
	char path[256];
	struct stat st;
	mode_t old = umask(022);

	snprintf(path, sizeof(path), "%s/gp", dir);
	cr_assert_eq(write_set(path, "a.dat b.dat"), 0, "%s", err);
	umask(old);
	cr_assert(has(path, "a.dat") && has(path, "b.dat"));
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0755);
	cr_assert_eq(entries(dir), 1, "a temporary folder was left beside it");
}

Test(atomic_dir, replaces_the_set_and_drops_stale_files)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/gp", dir);
	cr_assert_eq(write_set(path, "a.dat old-kind.dat"), 0, "%s", err);
	cr_assert_eq(write_set(path, "a.dat b.dat"), 0, "%s", err);
	cr_assert(has(path, "a.dat") && has(path, "b.dat"));
	cr_assert_not(has(path, "old-kind.dat"), "a stale file of the earlier set stayed");
	cr_assert_eq(entries(dir), 1, "a temporary folder was left beside it");
}

Test(atomic_dir, refuses_a_folder_with_someone_elses_file)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/gp", dir);
	cr_assert_eq(mkdir(path, 0755), 0);
	put(path, "a.dat", "old\n");
	put(path, "thesis.tex", "mine\n");
	cr_assert_eq(write_set(path, "b.dat"), -1);
	cr_assert_not_null(strstr(err, "thesis.tex"), "%s", err);
	cr_assert(has(path, "thesis.tex") && has(path, "a.dat") && !has(path, "b.dat"));
	cr_assert_eq(entries(dir), 1);
}

Test(atomic_dir, an_abandoned_set_leaves_the_old_one_whole)
{
	struct exitlat_atomic_dir d;
	char path[256];

	snprintf(path, sizeof(path), "%s/gp", dir);
	cr_assert_eq(write_set(path, "a.dat b.dat"), 0, "%s", err);
	cr_assert_eq(exitlat_atomic_dir_open(&d, path, is_dat, err), 0, "%s", err);
	put(d.tmp_path, "a.dat", "half\n");
	/* Until commit, readers see only the old set. */
	cr_assert(has(path, "a.dat") && has(path, "b.dat"));
	exitlat_atomic_dir_abort(&d);
	cr_assert(has(path, "a.dat") && has(path, "b.dat"));
	cr_assert_eq(entries(dir), 1, "the temporary folder was left");
}

Test(atomic_dir, refuses_a_symbolic_link_and_leaves_its_target)
{
	char path[256], link[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/real", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	cr_assert_eq(write_set(path, "old.dat"), 0, "%s", err);
	cr_assert_eq(symlink("real", link), 0);
	cr_assert_eq(write_set(link, "new.dat"), -1);
	cr_assert_not_null(strstr(err, "symbolic link"), "%s", err);
	cr_assert_eq(lstat(link, &st), 0);
	cr_assert(S_ISLNK(st.st_mode));
	cr_assert(has(path, "old.dat") && !has(path, "new.dat"));
}

Test(atomic_dir, removes_what_a_killed_writer_left)
{
	char path[256], left[300];

	snprintf(path, sizeof(path), "%s/gp", dir);
	snprintf(left, sizeof(left), "%s/gp.tmp.Ab12Cd", dir);
	cr_assert_eq(mkdir(left, 0700), 0);
	put(left, "a.dat", "half\n");
	cr_assert_eq(write_set(path, "b.dat"), 0, "%s", err);
	cr_assert_not(has(dir, "gp.tmp.Ab12Cd"), "the killed writer's folder stayed");
	cr_assert_eq(entries(dir), 1);
}

Test(atomic_dir, refuses_a_file_in_the_way)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/file.dat", dir);
	put(dir, "file.dat", "x\n");
	cr_assert_eq(write_set(path, "a.dat"), -1);
	cr_assert_not_null(strstr(err, "not a folder"), "%s", err);
}
