// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The history database: schema and migrations, importing run folders (all or
 * nothing, idempotent, bad folders skipped), and the check over imported
 * nights. Run folders are written here following docs/sample-format.md's
 * layout and docs/analysis-outputs.md's JSON.
 */
#include <criterion/criterion.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "db.h"
#include "import.h"

static char root[128];
static char dbpath[160];
static sqlite3 *db;
static char msg[IMPORT_MSG_MAX];

static void setup(void)
{
	snprintf(root, sizeof(root), "/tmp/exitlat-test-history.XXXXXX");
	cr_assert_not_null(mkdtemp(root));
	snprintf(dbpath, sizeof(dbpath), "%s/history.db", root);
	db = NULL;
}

static void teardown(void)
{
	char cmd[PATH_MAX + 16];

	if (db)
		sqlite3_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(history_db, .init = setup, .fini = teardown);

static void put(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
}

static void mkdirs(const char *path)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", path);
	cr_assert_eq(system(cmd), 0);
}

/* One series object of exitlat-analyze's JSON. */
static int series_json(char *buf, size_t len, const char *source, const char *exit,
		       const char *domain, const char *env, double median)
{
	return snprintf(buf, len,
		"{\"id\": \"%s-%s\", \"env\": \"%s\", \"source\": \"%s\", \"exit\": \"%s\", "
		"\"domain\": \"%s\", \"unit\": \"cycles\", \"files\": [\"x.samples\"], "
		"\"tsc_khz\": 2000000, \"null_subtracted\": false, \"trimmed\": 0, "
		"\"trim_above\": null, \"count\": 1000, \"distinct\": 40, \"min\": %g, "
		"\"max\": %g, \"mean\": %g, \"stddev\": 3.5, \"median\": %g, \"p25\": %g, "
		"\"p75\": %g, \"iqr\": 4, \"p90\": %g, \"p99\": %g, \"p999\": %g, \"p9999\": %g}",
		source, exit, env, source, exit, domain, median - 10, median * 3, median + 0.5,
		median, median - 2, median + 2, median + 5, median + 20, median + 50,
		median + 60);
}

/*
 * HOST/STAMP under root with env.txt (kernel, microcode), parts.txt and a
 * summary.json holding native-cpuid and kvm-pio at the medians given.
 */
static void make_run(char *dir, size_t len, const char *host, const char *stamp,
		     const char *time, const char *kernel, double cpuid, double pio)
{
	char text[8192], s1[1024], s2[1024];

	snprintf(dir, len, "%s/results/%s/%s", root, host, stamp);
	mkdirs(dir);
	snprintf(text, sizeof(text), "host: %s.lab\ntime: %s\nkernel: %s #1 SMP\n"
		 "cpu_model: Test CPU\nmicrocode: 0xde\nexitlat_commit: abc123\n", host, time,
		 kernel);
	put(dir, "env.txt", text);
	put(dir, "parts.txt", "native ok: 6 kinds measured on CPU 1\nkvm ok: 7 kinds\n");
	series_json(s1, sizeof(s1), "native", "cpuid", "host", "e1", cpuid);
	series_json(s2, sizeof(s2), "kvm", "pio", "host", "e1", pio);
	snprintf(text, sizeof(text),
		 "{\"tool\": \"exitlat-analyze 0.1.0\", \"null_subtracted\": false,\n"
		 " \"environments\": [{\"env\": \"e1\", \"host\": \"%s\", \"kernel\": \"%s\", "
		 "\"emulated\": \"no\"}],\n \"series\": [%s,\n %s],\n \"overhead\": []}\n",
		 host, kernel, s1, s2);
	put(dir, "summary.json", text);
}

static long count_rows(const char *sql)
{
	sqlite3_stmt *st;
	long n = -1;

	cr_assert_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK, "%s", sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void open_db(void)
{
	cr_assert_eq(history_db_open(dbpath, HISTORY_WRITE, 1, &db), 0);
	cr_assert_eq(history_import_init(db), 0);
}

/* A rollback journal: readers need no -shm file they could not create. */
Test(history_db, a_new_history_has_the_current_schema_and_a_rollback_journal)
{
	open_db();
	cr_assert_eq(history_db_version(db), HISTORY_SCHEMA_VERSION);
	cr_assert_eq(count_rows("SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'delete'"), 1);
	cr_assert_eq(count_rows("SELECT count(*) FROM runs"), 0);
}

Test(history_db, a_wal_history_is_converted_by_the_next_write)
{
	cr_assert_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	cr_assert_eq(history_exec(db, dbpath, "wal", "PRAGMA journal_mode = WAL"), 0);
	sqlite3_close(db);
	db = NULL;
	open_db();
	cr_assert_eq(count_rows("SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'delete'"), 1);
}

static off_t file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_size : -1;
}

Test(history_db, reading_never_creates_a_history)
{
	cr_assert_eq(history_db_open(dbpath, HISTORY_READ, 1, &db), -1);
	cr_assert_null(db);
	cr_assert_eq(file_size(dbpath), -1, "%s was created", dbpath);
}

Test(history_db, reading_an_empty_file_gives_it_no_schema)
{
	FILE *f = fopen(dbpath, "w");

	cr_assert_not_null(f);
	fclose(f);
	cr_assert_eq(history_db_open(dbpath, HISTORY_READ, 1, &db), -1);
	cr_assert_null(db);
	cr_assert_eq(file_size(dbpath), 0, "a read command wrote into the empty file");
}

Test(history_db, reading_opens_read_only_and_sees_the_runs)
{
	char dir[PATH_MAX];

	open_db();
	make_run(dir, sizeof(dir), "box1", "20261001T020000Z", "2026-10-01T02:00:00Z", "6.1.0", 900, 6000);
	cr_assert_eq(history_import(db, dbpath, dir, false, msg, sizeof(msg)), IMPORT_NEW, "%s", msg);
	sqlite3_close(db);
	db = NULL;
	cr_assert_eq(history_db_open(dbpath, HISTORY_READ, 1, &db), 0);
	cr_assert(sqlite3_db_readonly(db, "main") == 1, "opened for writing");
	cr_assert_eq(count_rows("SELECT count(*) FROM runs"), 1);
}

Test(history_db, reading_an_older_schema_is_refused_and_leaves_it_as_it_is)
{
	cr_assert_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	cr_assert_eq(history_db_migrate(db, dbpath, 1), 0);
	sqlite3_close(db);
	db = NULL;
	cr_assert_eq(history_db_open(dbpath, HISTORY_READ, 1, &db), -1);
	cr_assert_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	cr_assert_eq(history_db_version(db), 1);
}

Test(history_db, a_locked_history_is_waited_for_then_refused)
{
	sqlite3 *holder;
	time_t start;

	open_db();
	sqlite3_close(db);
	db = NULL;
	cr_assert_eq(sqlite3_open(dbpath, &holder), SQLITE_OK);
	cr_assert_eq(history_exec(holder, dbpath, "lock", "BEGIN EXCLUSIVE"), 0);
	start = time(NULL);
	cr_assert_eq(history_db_open(dbpath, HISTORY_READ, 1, &db), -1);
	cr_assert_geq(time(NULL) - start, 1, "gave up without waiting");
	cr_assert_eq(history_db_open(dbpath, HISTORY_WRITE, 0, &db), -1);
	sqlite3_close(holder);
	cr_assert_eq(history_db_open(dbpath, HISTORY_READ, 1, &db), 0);
}

Test(history_db, a_version_1_history_is_migrated_keeping_its_runs)
{
	cr_assert_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	cr_assert_eq(history_db_migrate(db, dbpath, 1), 0);
	cr_assert_eq(history_db_version(db), 1);
	cr_assert_eq(history_exec(db, dbpath, "insert",
		"INSERT INTO runs (host, time, folder, kernel, microcode, cpu_model, emulated,"
		" version, status, digest, imported_at) VALUES ('h', '2026-01-01T00:00:00Z', '/x',"
		" '6.1', '0x1', 'cpu', 'no', 'v', 'ok', 'd', 'now')"), 0);
	sqlite3_close(db);
	db = NULL;

	open_db();
	cr_assert_eq(history_db_version(db), 2);
	cr_assert_eq(count_rows("SELECT count(*) FROM runs WHERE host = 'h' AND commit_id = 'unknown'"), 1);
	cr_assert_eq(count_rows("SELECT count(*) FROM sqlite_master WHERE name = 'series_track'"), 1);
}

Test(history_db, a_history_newer_than_the_tool_is_refused)
{
	cr_assert_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	cr_assert_eq(history_exec(db, dbpath, "version", "PRAGMA user_version = 99"), 0);
	sqlite3_close(db);
	db = NULL;
	cr_assert_eq(history_db_open(dbpath, HISTORY_READ, 1, &db), -1);
	cr_assert_null(db);
	cr_assert_eq(history_db_open(dbpath, HISTORY_WRITE, 1, &db), -1);
	cr_assert_null(db);
}

Test(history_db, importing_twice_changes_nothing)
{
	char dir[PATH_MAX];

	open_db();
	make_run(dir, sizeof(dir), "box1", "20261001T020000Z", "2026-10-01T02:00:00Z", "6.1.0", 900, 6000);
	cr_assert_eq(history_import(db, dbpath, dir, false, msg, sizeof(msg)), IMPORT_NEW, "%s", msg);
	cr_assert_eq(count_rows("SELECT count(*) FROM series"), 2);
	cr_assert_eq(count_rows("SELECT count(*) FROM runs WHERE status = 'ok' AND emulated = 'no'"
				" AND version = 'exitlat-analyze 0.1.0' AND commit_id = 'abc123'"), 1);
	cr_assert_eq(count_rows("SELECT count(*) FROM series WHERE track = 'kvm-pio/host/no'"
				" AND median = 6000 AND p99 = 6020 AND tsc_khz = 2000000"
				" AND null_subtracted = 'no'"), 1);
	cr_assert_eq(history_import(db, dbpath, dir, false, msg, sizeof(msg)), IMPORT_UNCHANGED, "%s", msg);
	cr_assert_eq(count_rows("SELECT count(*) FROM runs"), 1);
	cr_assert_eq(count_rows("SELECT count(*) FROM series"), 2);
}

Test(history_db, a_changed_folder_replaces_its_run)
{
	char dir[PATH_MAX];

	open_db();
	make_run(dir, sizeof(dir), "box1", "20261001T020000Z", "2026-10-01T02:00:00Z", "6.1.0", 900, 6000);
	cr_assert_eq(history_import(db, dbpath, dir, false, msg, sizeof(msg)), IMPORT_NEW);
	make_run(dir, sizeof(dir), "box1", "20261001T020000Z", "2026-10-01T02:00:00Z", "6.1.0", 900, 6100);
	cr_assert_eq(history_import(db, dbpath, dir, false, msg, sizeof(msg)), IMPORT_REPLACED, "%s", msg);
	cr_assert_eq(count_rows("SELECT count(*) FROM series"), 2);
	cr_assert_eq(count_rows("SELECT count(*) FROM series WHERE median = 6100"), 1);
}

Test(history_db, a_corrupt_summary_is_skipped_naming_file_and_field)
{
	char dir[PATH_MAX], path[PATH_MAX + 32], *text;
	FILE *f;
	long len;

	open_db();
	make_run(dir, sizeof(dir), "box1", "20261001T020000Z", "2026-10-01T02:00:00Z", "6.1.0", 900, 6000);
	/* the second series' median becomes a string */
	snprintf(path, sizeof(path), "%s/summary.json", dir);
	f = fopen(path, "r+");
	cr_assert_not_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = calloc(1, len + 1);
	cr_assert_eq(fread(text, 1, len, f), (size_t)len);
	fclose(f);
	char *m = strstr(strstr(text, "kvm-pio"), "\"median\": 6000");
	cr_assert_not_null(m);
	memcpy(m, "\"median\": \"60\"", 14);
	put(dir, "summary.json", text);
	free(text);

	cr_assert_eq(history_import(db, dbpath, dir, false, msg, sizeof(msg)), IMPORT_SKIPPED);
	cr_assert_not_null(strstr(msg, "summary.json"), "%s", msg);
	cr_assert_not_null(strstr(msg, "series[1] (kvm-pio)"), "%s", msg);
	cr_assert_not_null(strstr(msg, "\"median\""), "%s", msg);
	cr_assert_eq(count_rows("SELECT count(*) FROM runs"), 0);
	cr_assert_eq(count_rows("SELECT count(*) FROM series"), 0, "never half-imported");

	put(dir, "summary.json", "{\"series\": [");
	cr_assert_eq(history_import(db, dbpath, dir, false, msg, sizeof(msg)), IMPORT_SKIPPED);
	cr_assert_not_null(strstr(msg, "not valid JSON"), "%s", msg);
}

Test(history_db, an_unknown_exit_kind_is_refused)
{
	char dir[PATH_MAX], path[PATH_MAX + 32];
	char cmd[2 * PATH_MAX];

	open_db();
	make_run(dir, sizeof(dir), "box1", "20261001T020000Z", "2026-10-01T02:00:00Z", "6.1.0", 900, 6000);
	snprintf(path, sizeof(path), "%s/summary.json", dir);
	snprintf(cmd, sizeof(cmd), "sed -i 's/\"exit\": \"pio\"/\"exit\": \"vmfunc\"/' '%s'", path);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(history_import(db, dbpath, dir, false, msg, sizeof(msg)), IMPORT_SKIPPED);
	cr_assert_not_null(strstr(msg, "vmfunc"), "%s", msg);
}

Test(history_db, a_killed_run_is_skipped_or_recorded_as_failed)
{
	char dir[PATH_MAX], path[PATH_MAX + 32];

	open_db();
	make_run(dir, sizeof(dir), "box1", "20261002T020000Z", "2026-10-02T02:00:00Z", "6.1.0", 900, 6000);
	snprintf(path, sizeof(path), "%s/parts.txt", dir);
	cr_assert_eq(unlink(path), 0);
	put(dir, ".parts", "native ok: 6 kinds\n");

	cr_assert_eq(history_import(db, dbpath, dir, false, msg, sizeof(msg)), IMPORT_SKIPPED);
	cr_assert_not_null(strstr(msg, "killed half-way"), "%s", msg);
	cr_assert_eq(count_rows("SELECT count(*) FROM runs"), 0);

	cr_assert_eq(history_import(db, dbpath, dir, true, msg, sizeof(msg)), IMPORT_RECORDED_FAILED, "%s", msg);
	cr_assert_eq(count_rows("SELECT count(*) FROM runs WHERE status = 'failed' AND reason LIKE '%no parts.txt%'"), 1);
	cr_assert_eq(count_rows("SELECT count(*) FROM series"), 0, "a failed night holds no data");
	cr_assert_eq(history_import(db, dbpath, dir, true, msg, sizeof(msg)), IMPORT_UNCHANGED, "%s", msg);
}

Test(history_db, a_bad_folder_never_replaces_recorded_data)
{
	char dir[PATH_MAX];

	open_db();
	make_run(dir, sizeof(dir), "box1", "20261001T020000Z", "2026-10-01T02:00:00Z", "6.1.0", 900, 6000);
	cr_assert_eq(history_import(db, dbpath, dir, false, msg, sizeof(msg)), IMPORT_NEW);
	put(dir, "summary.json", "garbage");
	cr_assert_eq(history_import(db, dbpath, dir, true, msg, sizeof(msg)), IMPORT_SKIPPED, "%s", msg);
	cr_assert_eq(count_rows("SELECT count(*) FROM runs WHERE status = 'ok'"), 1);
	cr_assert_eq(count_rows("SELECT count(*) FROM series"), 2);
}

Test(history_db, a_run_with_two_guest_kernels_keeps_them_apart)
{
	char dir[PATH_MAX], text[8192], s1[1024], s2[1024];

	open_db();
	make_run(dir, sizeof(dir), "box1", "20261001T020000Z", "2026-10-01T02:00:00Z", "6.1.0", 900, 6000);
	series_json(s1, sizeof(s1), "kvm", "pio", "host", "a", 6000);
	series_json(s2, sizeof(s2), "kvm", "pio", "host", "b", 6300);
	snprintf(text, sizeof(text),
		 "{\"tool\": \"exitlat-analyze 0.1.0\", \"environments\": ["
		 "{\"env\": \"a\", \"host\": \"box1\", \"kernel\": \"6.1\", \"emulated\": \"qemu\"},"
		 "{\"env\": \"b\", \"host\": \"box1\", \"kernel\": \"6.12\", \"emulated\": \"qemu\"}],"
		 " \"series\": [%s, %s]}\n", s1, s2);
	put(dir, "summary.json", text);
	cr_assert_eq(history_import(db, dbpath, dir, false, msg, sizeof(msg)), IMPORT_NEW, "%s", msg);
	cr_assert_eq(count_rows("SELECT count(*) FROM series WHERE track IN "
				"('kvm-pio/host/qemu@6.1', 'kvm-pio/host/qemu@6.12')"), 2);
	cr_assert_eq(count_rows("SELECT count(*) FROM runs WHERE emulated = 'qemu'"), 1);
}

Test(history_db, check_alerts_on_the_kernel_update_night_only)
{
	char dir[PATH_MAX], stamp[32], time[32], out[8192];
	struct check_opts o = { .every_night = true };
	FILE *f;
	int n;

	open_db();
	for (int d = 1; d <= 12; d++) {
		snprintf(stamp, sizeof(stamp), "202610%02dT020000Z", d);
		snprintf(time, sizeof(time), "2026-10-%02dT02:00:00Z", d);
		/* noisy native side; KVM pio 5 % slower from night 9 on 6.12 */
		make_run(dir, sizeof(dir), "box1", stamp, time, d < 9 ? "6.1.0" : "6.12.0",
			 900 + (d % 3) * 4, d < 9 ? 6000 + d % 2 : 6300 + d % 2);
		cr_assert_eq(history_import(db, dbpath, dir, false, msg, sizeof(msg)), IMPORT_NEW, "%s", msg);
	}
	regress_params_default(&o.params);
	memset(out, 0, sizeof(out));
	f = fmemopen(out, sizeof(out) - 1, "w");
	n = history_check(db, dbpath, &o, f);
	fclose(f);
	cr_assert_eq(n, 1, "%s", out);
	cr_assert_not_null(strstr(out, "REGRESSION box1 2026-10-09T02:00:00Z kvm-pio/host/no:"), "%s", out);
	cr_assert_not_null(strstr(out, "kernel changed 6.1.0 -> 6.12.0"), "%s", out);

	/* the latest night alone: no alert */
	o.every_night = false;
	f = fmemopen(out, sizeof(out) - 1, "w");
	cr_assert_eq(history_check(db, dbpath, &o, f), 0);
	fclose(f);
}

Test(history_db, a_time_in_another_spelling_is_refused)
{
	char dir[PATH_MAX];

	open_db();
	make_run(dir, sizeof(dir), "box1", "20261001T020000Z", "2026-10-01 02:00", "6.1.0", 900, 6000);
	cr_assert_eq(history_import(db, dbpath, dir, true, msg, sizeof(msg)), IMPORT_SKIPPED, "%s", msg);
	cr_assert_not_null(strstr(msg, "env.txt: time '2026-10-01 02:00'"), "%s", msg);
	cr_assert_eq(count_rows("SELECT count(*) FROM runs"), 0);
}

/*
 * A folder name is a name, never a pattern: "lab[1]" once matched lab1's
 * summary.json, and another host's data was imported under it as ok.
 */
Test(history_db, a_folder_name_with_pattern_characters_is_taken_literally)
{
	char other[PATH_MAX], dir[PATH_MAX], emu[PATH_MAX + 32], s1[1024], text[2048];

	open_db();
	make_run(other, sizeof(other), "lab1", "20261001T020000Z", "2026-10-01T02:00:00Z",
		 "6.1.0", 900, 6000);
	snprintf(dir, sizeof(dir), "%s/results/lab[1]/20261001T020000Z", root);
	mkdirs(dir);
	put(dir, "env.txt", "host: lab[1]\ntime: 2026-10-01T02:00:00Z\nkernel: 6.1.0\n");
	put(dir, "parts.txt", "native ok\n");
	cr_assert_eq(history_import(db, dbpath, dir, false, msg, sizeof(msg)), IMPORT_NEW, "%s", msg);
	cr_assert_eq(count_rows("SELECT count(*) FROM series"), 0, "lab1's summary was imported: %s",
		     msg);
	cr_assert_eq(count_rows("SELECT count(*) FROM runs WHERE host = 'lab[1]' AND status = "
				"'failed'"), 1, "%s", msg);

	/* Its own emulated/NAME/summary.json is still found, through the same characters. */
	snprintf(emu, sizeof(emu), "%s/emulated/bochs-[6]", dir);
	mkdirs(emu);
	series_json(s1, sizeof(s1), "kvm", "pio", "host", "e1", 7000);
	snprintf(text, sizeof(text), "{\"tool\": \"exitlat-analyze 0.1.0\", \"environments\": "
		 "[{\"env\": \"e1\", \"host\": \"lab[1]\", \"kernel\": \"6.1\", \"emulated\": "
		 "\"bochs\"}], \"series\": [%s], \"overhead\": []}\n", s1);
	put(emu, "summary.json", text);
	cr_assert_eq(history_import(db, dbpath, dir, false, msg, sizeof(msg)), IMPORT_REPLACED,
		     "%s", msg);
	cr_assert_eq(count_rows("SELECT count(*) FROM series WHERE median = 7000"), 1, "%s", msg);
	cr_assert_eq(count_rows("SELECT count(*) FROM series"), 1, "%s", msg);
}
