// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "exitlat/atomic_file.h"

#define TMP_SUFFIX ".tmp."
#define TMP_RANDOM 6

__attribute__((format(printf, 2, 3)))
static int fail(char err[EXITLAT_ERR_MAX], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, EXITLAT_ERR_MAX, fmt, ap);
	va_end(ap);
	return -1;
}

static const char *type_name(mode_t m)
{
	return S_ISDIR(m) ? "a directory" : S_ISCHR(m) ? "a character device" :
	       S_ISBLK(m) ? "a block device" : S_ISFIFO(m) ? "a FIFO" :
	       S_ISSOCK(m) ? "a socket" : S_ISLNK(m) ? "a symbolic link" : "not a regular file";
}

/* The folder part of @path ("." when none): malloc'd, NULL when out of memory. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, slash - path);
}

static const char *base_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/*
 * The checks of exitlat_output_check(); also stores what an existing file's
 * mode is (*mode, 0 for a new name) and an errno for the refusal.
 */
static int check(const char *path, mode_t *mode, char err[EXITLAT_ERR_MAX])
{
	const char *base = base_of(path);
	char *dir, target[256];
	struct stat st;
	ssize_t len;
	int ret = -1;

	*mode = 0;
	if (!*base || !strcmp(base, ".") || !strcmp(base, "..")) {
		errno = EISDIR;
		return fail(err, "%s: names a folder, not a file", path);
	}
	if (lstat(path, &st) == 0) {
		if (S_ISLNK(st.st_mode)) {
			len = readlink(path, target, sizeof(target) - 1);
			target[len > 0 ? len : 0] = '\0';
			errno = ELOOP;
			return fail(err, "%s: is a symbolic link (to %s): outputs are never written "
				    "through or over one; name the file itself", path, target);
		}
		if (!S_ISREG(st.st_mode)) {
			errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
			return fail(err, "%s: is %s, not a regular file: refusing to replace it "
				    "('-' writes to standard output)", path, type_name(st.st_mode));
		}
		*mode = st.st_mode & 0777;
	} else if (errno != ENOENT) {
		return fail(err, "%s: %s", path, strerror(errno));
	}
	dir = dir_of(path);
	if (!dir) {
		errno = ENOMEM;
		return fail(err, "%s: out of memory", path);
	}
	if (stat(dir, &st) != 0) {
		fail(err, "%s: folder %s: %s", path, dir, strerror(errno));
	} else if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		fail(err, "%s: %s is not a folder", path, dir);
	} else if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) != 0) {
		fail(err, "%s: cannot create files in %s: %s", path, dir, strerror(errno));
	} else {
		ret = 0;
	}
	free(dir);
	return ret;
}

int exitlat_output_check(const char *path, char *err, size_t errlen)
{
	char why[EXITLAT_ERR_MAX];
	mode_t mode;

	if (!strcmp(path, "-"))
		return 0;
	if (!check(path, &mode, why))
		return 0;
	snprintf(err, errlen, "%s", why);
	return -1;
}

int exitlat_output_not_input(const char *out, const char *in, char *err, size_t errlen)
{
	struct stat so, si;

	/* A new name, or standard output: nothing of the input's can be lost. */
	if (!strcmp(out, "-") || stat(out, &so) != 0)
		return 0;
	if (!strcmp(in, "-") ? fstat(STDIN_FILENO, &si) : stat(in, &si))
		return 0;	/* the reader names that error */
	if (so.st_dev != si.st_dev || so.st_ino != si.st_ino)
		return 0;
	errno = EEXIST;
	snprintf(err, errlen, "%s: is the input %s (the same file): refusing to overwrite an input",
		 out, !strcmp(in, "-") ? "on standard input" : in);
	return -1;
}

/*
 * Temporary files a signal must remove: a fixed table the handler reads
 * without locks or allocation (unlinkat is async-signal-safe). Changes are
 * made with the signals blocked, so the handler never sees half an entry.
 */
#define CLEANUP_SLOTS 16
static struct {
	volatile sig_atomic_t used;
	int dir_fd;
	char name[NAME_MAX + 1];
} cleanup[CLEANUP_SLOTS];
static const int cleanup_signals[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM };
#define CLEANUP_SIGNALS_NR (sizeof(cleanup_signals) / sizeof(cleanup_signals[0]))

static void on_fatal_signal(int sig)
{
	for (int i = 0; i < CLEANUP_SLOTS; i++)
		if (cleanup[i].used)
			unlinkat(cleanup[i].dir_fd, cleanup[i].name, 0);
	/* SA_RESETHAND restored the default: the signal, now pending, ends the process. */
	raise(sig);
}

static void cleanup_mask(sigset_t *set)
{
	sigemptyset(set);
	for (size_t i = 0; i < CLEANUP_SIGNALS_NR; i++)
		sigaddset(set, cleanup_signals[i]);
}

/* Only where the program left the default action: its own handlers come first. */
static void cleanup_install(void)
{
	static bool installed;
	struct sigaction sa = { .sa_handler = on_fatal_signal, .sa_flags = SA_RESETHAND };
	struct sigaction old;

	if (installed)
		return;
	installed = true;
	cleanup_mask(&sa.sa_mask);
	for (size_t i = 0; i < CLEANUP_SIGNALS_NR; i++)
		if (sigaction(cleanup_signals[i], NULL, &old) == 0 &&
		    !(old.sa_flags & SA_SIGINFO) && old.sa_handler == SIG_DFL)
			sigaction(cleanup_signals[i], &sa, NULL);
}

/* Returns the slot, or -1 when the table is full (the file then is not cleaned up). */
static int cleanup_add(int dir_fd, const char *name)
{
	sigset_t set, old;
	int slot = -1;

	cleanup_install();
	cleanup_mask(&set);
	sigprocmask(SIG_BLOCK, &set, &old);
	for (int i = 0; i < CLEANUP_SLOTS && slot < 0; i++) {
		if (!cleanup[i].used) {
			cleanup[i].dir_fd = dir_fd;
			snprintf(cleanup[i].name, sizeof(cleanup[i].name), "%s", name);
			cleanup[i].used = 1;
			slot = i;
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return slot;
}

static void cleanup_del(int slot)
{
	sigset_t set, old;

	if (slot < 0)
		return;
	cleanup_mask(&set);
	sigprocmask(SIG_BLOCK, &set, &old);
	cleanup[slot].used = 0;
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static mode_t new_file_mode(void)
{
	/* Reading the umask means setting it; the tools are single-threaded. */
	mode_t mask = umask(022);

	umask(mask);
	return 0666 & ~mask;
}

/*
 * Creates "BASE.tmp.XXXXXX" in @dir_fd, BASE cut so that the name stays within
 * NAME_MAX. Stores the name in @name; returns the descriptor or -1.
 */
static int create_tmp(int dir_fd, const char *base, char name[NAME_MAX + 1])
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	int keep = (int)strlen(base), fd = -1;

	if (keep > NAME_MAX - (int)strlen(TMP_SUFFIX) - TMP_RANDOM)
		keep = NAME_MAX - (int)strlen(TMP_SUFFIX) - TMP_RANDOM;
	for (int tries = 0; tries < 100 && fd < 0; tries++) {
		unsigned char rnd[TMP_RANDOM];
		int len = snprintf(name, NAME_MAX + 1, "%.*s" TMP_SUFFIX, keep, base);

		if (getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) != (ssize_t)sizeof(rnd)) {
			unsigned long x = (unsigned long)clock() * 2654435761u ^ getpid() ^ tries;

			for (int i = 0; i < TMP_RANDOM; i++, x /= 61)
				rnd[i] = (unsigned char)x;
		}
		for (int i = 0; i < TMP_RANDOM; i++)
			name[len + i] = chars[rnd[i] % (sizeof(chars) - 1)];
		name[len + TMP_RANDOM] = '\0';
		fd = openat(dir_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	return fd;
}

static void release(struct exitlat_atomic_file *a)
{
	cleanup_del(a->slot);
	if (a->dir_fd >= 0)
		close(a->dir_fd);
	free(a->path);
	free(a->tmp_path);
	a->path = a->tmp_path = NULL;
	a->f = NULL;
	a->dir_fd = a->slot = -1;
}

int exitlat_atomic_open(struct exitlat_atomic_file *a, const char *path)
{
	char name[NAME_MAX + 1], *dir = NULL;
	mode_t mode;
	int fd = -1, saved;

	*a = (struct exitlat_atomic_file){ .dir_fd = -1, .slot = -1 };
	a->path = strdup(path);
	if (!a->path)
		goto err_nomem;
	if (!strcmp(path, "-")) {
		a->f = stdout;
		return 0;
	}
	if (check(path, &mode, a->err))
		goto err;
	if (!mode)
		mode = new_file_mode();
	dir = dir_of(path);
	if (!dir)
		goto err_nomem;
	a->dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (a->dir_fd < 0)	/* a folder we may write but not list */
		a->dir_fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (a->dir_fd < 0) {
		fail(a->err, "%s: folder %s: %s", path, dir, strerror(errno));
		goto err;
	}
	fd = create_tmp(a->dir_fd, base_of(path), name);
	if (fd < 0) {
		fail(a->err, "%s: cannot create a temporary file beside it: %s", path,
		     strerror(errno));
		goto err;
	}
	a->slot = cleanup_add(a->dir_fd, name);
	if (asprintf(&a->tmp_path, "%s/%s", dir, name) < 0) {
		a->tmp_path = NULL;
		goto err_unlink;
	}
	/* mkstemp-like creation is 0600 whatever the umask: set the mode the file will have. */
	if (fchmod(fd, mode) != 0) {
		fail(a->err, "%s: %s", a->tmp_path, strerror(errno));
		goto err_unlink;
	}
	a->f = fdopen(fd, "w");
	if (!a->f)
		goto err_unlink;
	free(dir);
	return 0;

err_unlink:
	saved = errno;
	if (!a->err[0])
		fail(a->err, "%s: %s", path, strerror(saved));
	close(fd);
	unlinkat(a->dir_fd, name, 0);
	errno = saved;
	goto err;
err_nomem:
	errno = ENOMEM;
	fail(a->err, "%s: out of memory", path);
err:
	saved = errno;
	free(dir);
	release(a);
	errno = saved;
	return -1;
}

int exitlat_atomic_commit(struct exitlat_atomic_file *a)
{
	const char *base, *tmp;
	struct stat st;
	mode_t mode;
	int saved = 0;

	if (a->f == stdout) {
		if (fflush(stdout) != 0 || ferror(stdout)) {
			saved = errno ? errno : EIO;
			fail(a->err, "standard output: %s", strerror(saved));
		}
		release(a);
		errno = saved;
		return saved ? -1 : 0;
	}
	base = base_of(a->path);
	tmp = base_of(a->tmp_path);
	if (fflush(a->f) != 0 || ferror(a->f) || fsync(fileno(a->f)) != 0)
		saved = errno ? errno : EIO;
	if (fclose(a->f) != 0 && !saved)
		saved = errno;
	a->f = NULL;
	if (saved) {
		fail(a->err, "%s: %s", a->tmp_path, strerror(saved));
	} else if (fstatat(a->dir_fd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		   !S_ISREG(st.st_mode)) {
		/* Replaced while we wrote: the same refusal as at open. */
		check(a->path, &mode, a->err);
		saved = errno;
	} else if (renameat(a->dir_fd, tmp, a->dir_fd, base) != 0) {
		saved = errno;
		fail(a->err, "%s: %s", a->path, strerror(saved));
	} else {
		/* The rename itself reaches the disk with the folder. */
		fsync(a->dir_fd);
	}
	if (saved)
		unlinkat(a->dir_fd, tmp, 0);
	release(a);
	errno = saved;
	return saved ? -1 : 0;
}

void exitlat_atomic_abort(struct exitlat_atomic_file *a)
{
	if (!a->path)	/* never opened, or already committed or aborted */
		return;
	if (a->f && a->f != stdout) {
		fclose(a->f);
		unlinkat(a->dir_fd, base_of(a->tmp_path), 0);
	}
	release(a);
}
