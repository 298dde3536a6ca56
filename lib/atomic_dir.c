// SPDX-License-Identifier: GPL-2.0 OR MIT
/* A folder written as one set (see atomic_dir.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exitlat/atomic_dir.h"

/* "PATH: why" into @err; a long path is cut, never a reason to fail. */
__attribute__((format(printf, 2, 3)))
static void say(char err[EXITLAT_ERR_MAX], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, EXITLAT_ERR_MAX, fmt, ap);
	va_end(ap);
}

/*
 * The first entry of @dir that @is_ours does not accept, copied to @bad; 0
 * when there is none, -1 when @dir cannot be read (errno set).
 */
static int foreign_entry(const char *dir, bool (*is_ours)(const char *), char *bad,
			 size_t len)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	int ret = 0;

	if (!dp)
		return -1;
	while ((e = readdir(dp))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (e->d_type != DT_REG && e->d_type != DT_UNKNOWN) {
			snprintf(bad, len, "%s", e->d_name);
			ret = 1;
			break;
		}
		if (!is_ours(e->d_name)) {
			snprintf(bad, len, "%s", e->d_name);
			ret = 1;
			break;
		}
	}
	closedir(dp);
	return ret;
}

/* Removes @dir and the files in it (only files: foreign_entry() saw to that). */
static int remove_set(const char *dir)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	int fd, ret = 0;

	if (!dp)
		return -1;
	fd = dirfd(dp);
	while ((e = readdir(dp)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    unlinkat(fd, e->d_name, 0))
			ret = -1;
	closedir(dp);
	if (rmdir(dir))
		ret = -1;
	return ret;
}

/* The folder holding @path (a copy), for fsync after a rename in it, and for what is left beside it. */
static char *parent_of(const char *path)
{
	char *p = strdup(path), *slash;

	if (!p)
		return NULL;
	slash = strrchr(p, '/');
	if (!slash)
		strcpy(p, ".");
	else if (slash == p)
		p[1] = '\0';
	else
		*slash = '\0';
	return p;
}

/*
 * Temporary folders "PATH.tmp.XXXXXX" a killed writer left beside @path, as
 * long as they hold only the caller's files: removed (what is left of an
 * earlier run is no one's).
 */
static void remove_leftovers(const char *path, bool (*is_ours)(const char *))
{
	const char *base = strrchr(path, '/');
	char *dir = parent_of(path), bad[NAME_MAX + 1];
	struct dirent *e;
	size_t blen;
	DIR *dp;

	if (!dir)
		return;
	base = base ? base + 1 : path;
	blen = strlen(base);
	dp = opendir(dir);
	while (dp && (e = readdir(dp))) {
		char *old;

		if (strncmp(e->d_name, base, blen) || strncmp(e->d_name + blen, ".tmp.", 5) ||
		    strlen(e->d_name + blen + 5) != 6)
			continue;
		if (asprintf(&old, "%s/%s", dir, e->d_name) < 0)
			break;
		if (!foreign_entry(old, is_ours, bad, sizeof(bad)))
			(void)remove_set(old);
		free(old);
	}
	if (dp)
		closedir(dp);
	free(dir);
}

static int sync_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), ret;

	if (fd < 0)
		return -1;
	ret = fsync(fd);
	close(fd);
	return ret;
}

int exitlat_atomic_dir_open(struct exitlat_atomic_dir *d, const char *path,
			    bool (*is_ours)(const char *name), char err[EXITLAT_ERR_MAX])
{
	char bad[NAME_MAX + 1];
	struct stat st;
	mode_t mask;
	size_t len;
	int r;

	*d = (struct exitlat_atomic_dir){ .is_ours = is_ours };
	if (!lstat(path, &st) && S_ISLNK(st.st_mode)) {
		/* A planted link must not send what root writes elsewhere. */
		say(err, "%s: is a symbolic link: give the folder itself", path);
		return -1;
	}
	if (!stat(path, &st)) {
		if (!S_ISDIR(st.st_mode)) {
			say(err, "%s: exists and is not a folder", path);
			return -1;
		}
		r = foreign_entry(path, is_ours, bad, sizeof(bad));
		if (r < 0) {
			say(err, "%s: cannot read: %s", path, strerror(errno));
			return -1;
		}
		if (r > 0) {
			say(err, "%s: holds '%s', which is not this tool's: "
				 "refusing to replace the folder (give a new or empty one)", path, bad);
			return -1;
		}
	} else if (errno != ENOENT) {
		say(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* Drop trailing slashes: the temporary name goes beside the folder, not in it. */
	len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	d->path = strndup(path, len);
	d->tmp_path = malloc(len + sizeof(".tmp.XXXXXX"));
	if (!d->path || !d->tmp_path) {
		say(err, "%s: out of memory", path);
		goto err_free;
	}
	remove_leftovers(d->path, is_ours);
	memcpy(d->tmp_path, d->path, len);
	memcpy(d->tmp_path + len, ".tmp.XXXXXX", sizeof(".tmp.XXXXXX"));
	if (!mkdtemp(d->tmp_path)) {
		say(err, "%s: cannot create: %s", d->tmp_path,
			 strerror(errno));
		goto err_free;
	}
	/* mkdtemp makes 0700: give the folder what mkdir would have. */
	mask = umask(0);
	umask(mask);
	(void)chmod(d->tmp_path, 0777 & ~mask);
	return 0;

err_free:
	free(d->path);
	free(d->tmp_path);
	*d = (struct exitlat_atomic_dir){ 0 };
	return -1;
}

int exitlat_atomic_dir_commit(struct exitlat_atomic_dir *d, char err[EXITLAT_ERR_MAX])
{
	char bad[NAME_MAX + 1], *old = NULL, *parent = parent_of(d->path);
	int ret = -1;

	if (!parent) {
		say(err, "%s: out of memory", d->path);
		goto out;
	}
	if (sync_path(d->tmp_path)) {
		say(err, "%s: %s", d->tmp_path, strerror(errno));
		goto out;
	}
	if (!rename(d->tmp_path, d->path))
		goto done;	/* there was no folder, or an empty one */
	if (errno != ENOTEMPTY && errno != EEXIST) {
		say(err, "%s: cannot rename into place: %s", d->path,
			 strerror(errno));
		goto out;
	}
	/* Files may have appeared since open(): look again before anything goes. */
	if (foreign_entry(d->path, d->is_ours, bad, sizeof(bad))) {
		say(err, "%s: holds '%s', which is not this tool's: "
			 "refusing to replace the folder", d->path, bad);
		goto out;
	}
	if (!renameat2(AT_FDCWD, d->tmp_path, AT_FDCWD, d->path, RENAME_EXCHANGE)) {
		/* The old set now sits at the temporary name. */
		old = d->tmp_path;
		d->tmp_path = NULL;
	} else if (errno == EINVAL || errno == ENOSYS) {
		/* A file system without the exchange: two renames, a moment apart. */
		size_t len = strlen(d->path);

		old = malloc(len + sizeof(".old.XXXXXX"));
		if (!old) {
			say(err, "%s: out of memory", d->path);
			goto out;
		}
		memcpy(old, d->path, len);
		memcpy(old + len, ".old.XXXXXX", sizeof(".old.XXXXXX"));
		if (!mkdtemp(old) || rename(d->path, old)) {
			say(err, "%s: cannot replace: %s", d->path,
				 strerror(errno));
			goto out;
		}
		if (rename(d->tmp_path, d->path)) {
			say(err, "%s: cannot replace: %s", d->path,
				 strerror(errno));
			(void)rename(old, d->path);	/* the old set back */
			goto out;
		}
	} else {
		say(err, "%s: cannot replace: %s", d->path, strerror(errno));
		goto out;
	}
	if (remove_set(old)) {
		say(err, "%s: the new set is in place, but the old one "
			 "could not be removed from %s: %s", d->path, old, strerror(errno));
		goto out;
	}
done:
	(void)sync_path(parent);
	ret = 0;
out:
	free(old);
	free(parent);
	if (ret)
		exitlat_atomic_dir_abort(d);
	else
		free(d->tmp_path);
	free(d->path);
	*d = (struct exitlat_atomic_dir){ 0 };
	return ret;
}

void exitlat_atomic_dir_abort(struct exitlat_atomic_dir *d)
{
	if (d->tmp_path)
		(void)remove_set(d->tmp_path);
	free(d->path);
	free(d->tmp_path);
	*d = (struct exitlat_atomic_dir){ 0 };
}
