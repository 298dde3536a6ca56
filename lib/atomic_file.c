// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exitlat/atomic_file.h"

int exitlat_atomic_open(struct exitlat_atomic_file *a, const char *path)
{
	size_t len = strlen(path);
	int fd;

	*a = (struct exitlat_atomic_file){ 0 };
	a->path = strdup(path);
	a->tmp_path = malloc(len + sizeof(".tmp.XXXXXX"));
	if (!a->path || !a->tmp_path)
		goto err_free;
	memcpy(a->tmp_path, path, len);
	memcpy(a->tmp_path + len, ".tmp.XXXXXX", sizeof(".tmp.XXXXXX"));
	fd = mkstemp(a->tmp_path);
	if (fd < 0)
		goto err_free;
	/* mkstemp makes 0600; results are meant to be read by others too. */
	(void)fchmod(fd, 0644);
	a->f = fdopen(fd, "w");
	if (!a->f) {
		int saved = errno;

		close(fd);
		unlink(a->tmp_path);
		errno = saved;
		goto err_free;
	}
	return 0;

err_free:
	free(a->path);
	free(a->tmp_path);
	*a = (struct exitlat_atomic_file){ 0 };
	return -1;
}

int exitlat_atomic_commit(struct exitlat_atomic_file *a)
{
	int ret = 0, saved = 0;

	if (fflush(a->f) != 0 || ferror(a->f) || fsync(fileno(a->f)) != 0) {
		ret = -1;
		saved = errno ? errno : EIO;
	}
	if (fclose(a->f) != 0 && ret == 0) {
		ret = -1;
		saved = errno;
	}
	a->f = NULL;
	if (ret == 0 && rename(a->tmp_path, a->path) != 0) {
		ret = -1;
		saved = errno;
	}
	if (ret != 0)
		unlink(a->tmp_path);
	free(a->path);
	free(a->tmp_path);
	a->path = a->tmp_path = NULL;
	errno = saved;
	return ret;
}

void exitlat_atomic_abort(struct exitlat_atomic_file *a)
{
	if (a->f) {
		fclose(a->f);
		unlink(a->tmp_path);
	}
	free(a->path);
	free(a->tmp_path);
	*a = (struct exitlat_atomic_file){ 0 };
}
