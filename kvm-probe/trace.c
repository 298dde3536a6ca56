// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "trace.h"

#define TRACEFS_DEFAULT		"/sys/kernel/tracing"
/* Other CPUs' buffers in our instance: the ring buffer's minimum, 2 pages. */
#define TRACE_OTHER_CPU_KB	"8"

static int fail(struct trace *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct trace *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->err, sizeof(t->err), fmt, ap);
	va_end(ap);
	return -1;
}

/* Reads a small tracefs file whole. Returns its length, or -1 with errno. */
static ssize_t read_text(const char *path, char *buf, size_t len)
{
	size_t used = 0;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while (used + 1 < len && (r = read(fd, buf + used, len - 1 - used)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			close(fd);
			errno = e;
			return -1;
		}
		used += r;
	}
	close(fd);
	buf[used] = '\0';
	return used;
}

/* Writes @val to @rel inside the instance; the error names the file. */
static int put(struct trace *t, const char *rel, const char *val)
{
	char path[PATH_MAX + 128];
	size_t n = strlen(val);
	ssize_t r;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", t->dir, rel);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return fail(t, "%s: %s", path, strerror(errno));
	do
		r = write(fd, val, n);
	while (r < 0 && errno == EINTR);
	if (r != (ssize_t)n) {
		int e = r < 0 ? errno : EIO;

		close(fd);
		return fail(t, "writing '%s' to %s: %s", val, path, strerror(e));
	}
	close(fd);
	return 0;
}

/* The first tracefs in /proc/mounts. */
static bool mounted_tracefs(char *buf, size_t len)
{
	char line[1024], dev[256], dir[512], type[64];
	FILE *f = fopen("/proc/mounts", "re");
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		if (sscanf(line, "%255s %511s %63s", dev, dir, type) == 3 &&
		    !strcmp(type, "tracefs") && !strchr(dir, '\\'))
			found = snprintf(buf, len, "%s", dir) < (int)len;
	fclose(f);
	return found;
}

int trace_find(struct trace *t)
{
	const char *env = getenv("KVM_PROBE_TRACEFS");
	char path[PATH_MAX], clocks[1024];
	struct statfs sf;

	*t = (struct trace){ .raw_fd = -1, .cpu = -1 };
	if (env && *env) {
		snprintf(t->root, sizeof(t->root), "%s", env);
	} else if (!mounted_tracefs(t->root, sizeof(t->root))) {
		snprintf(t->root, sizeof(t->root), "%s", TRACEFS_DEFAULT);
		if (mount("nodev", t->root, "tracefs", 0, NULL)) {
			if (errno == EPERM || errno == EACCES)
				return fail(t, "needs root: tracefs is not mounted and mounting it "
					    "on %s was refused (%s)", t->root, strerror(errno));
			if (errno == ENODEV)
				return fail(t, "this kernel has no tracefs (no CONFIG_TRACING)");
			return fail(t, "tracefs is not mounted and mounting it on %s failed: %s",
				    t->root, strerror(errno));
		}
		t->mounted_here = true;
		fprintf(stderr, "kvm-probe: tracefs was not mounted: mounted it on %s "
			"(left mounted)\n", t->root);
	}
	if (statfs(t->root, &sf))
		return fail(t, "no tracefs at %s: %s", t->root, strerror(errno));
	if (sf.f_type != TRACEFS_MAGIC)
		return fail(t, "%s is not a tracefs", t->root);
	snprintf(path, sizeof(path), "%s/instances", t->root);
	if (access(path, W_OK)) {
		if (errno == EACCES || errno == EPERM || errno == EROFS)
			return fail(t, "needs root: cannot make a tracefs instance in %s (%s)",
				    path, strerror(errno));
		return fail(t, "%s: %s (a kernel without tracing instances)", path,
			    strerror(errno));
	}
	snprintf(path, sizeof(path), "%s/trace_clock", t->root);
	if (read_text(path, clocks, sizeof(clocks)) < 0)
		return fail(t, "%s: %s", path, strerror(errno));
	if (!strstr(clocks, "x86-tsc"))
		return fail(t, "%s offers no x86-tsc clock, the TSC kvm-probe reads", path);
	return 0;
}

static int read_lost(struct trace *t, uint64_t *lost);

/* Instances whose run was killed (SIGKILL) have no process left: remove them. */
static void remove_stale(const struct trace *t)
{
	char path[PATH_MAX + 300];
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/instances", t->root);
	dir = opendir(path);
	if (!dir)
		return;
	while ((d = readdir(dir))) {
		const char *pid_s = d->d_name + strlen(TRACE_INSTANCE_PREFIX);
		char *end;
		long pid;

		if (strncmp(d->d_name, TRACE_INSTANCE_PREFIX, strlen(TRACE_INSTANCE_PREFIX)))
			continue;
		pid = strtol(pid_s, &end, 10);
		if (*end || pid <= 0 || pid == getpid() || kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		/* A live run keeps trace_pipe_raw open: its instance refuses rmdir (EBUSY). */
		snprintf(path, sizeof(path), "%s/instances/%s", t->root, d->d_name);
		if (!rmdir(path))
			fprintf(stderr, "kvm-probe: removed tracefs instance %s, left by a run "
				"that was killed\n", path);
	}
	closedir(dir);
}

int trace_open(struct trace *t, int cpu, pid_t tid, unsigned int buffer_kb,
	       const char *const names[BD_EV_COUNT])
{
	char rel[256], val[128], path[PATH_MAX + 300], text[4096];
	bool any = false;
	int r, ret = -1;

	t->cpu = cpu;
	remove_stale(t);
	snprintf(t->dir, sizeof(t->dir), "%s/instances/%s%d", t->root, TRACE_INSTANCE_PREFIX,
		 (int)getpid());
	r = mkdir(t->dir, 0700);
	/* One with our PID was left by a dead run in this PID namespace: it goes. */
	if (r && errno == EEXIST && !rmdir(t->dir))
		r = mkdir(t->dir, 0700);
	if (r) {
		int e = errno;

		t->dir[0] = '\0';
		return fail(t, "cannot make a tracefs instance: mkdir %s/instances/%s%d: %s",
			    t->root, TRACE_INSTANCE_PREFIX, (int)getpid(), strerror(e));
	}
	if (put(t, "tracing_on", "0") || put(t, "trace_clock", "x86-tsc") ||
	    put(t, "options/overwrite", "0") || put(t, "buffer_size_kb", TRACE_OTHER_CPU_KB))
		goto err;
	snprintf(rel, sizeof(rel), "per_cpu/cpu%d/buffer_size_kb", cpu);
	snprintf(val, sizeof(val), "%u", buffer_kb);
	if (put(t, rel, val))
		goto err;
	if (trace_cpumask(cpu, val, sizeof(val)) || put(t, "tracing_cpumask", val))
		goto err;
	snprintf(path, sizeof(path), "%s/events/header_page", t->dir);
	if (read_text(path, text, sizeof(text)) < 0) {
		fail(t, "%s: %s", path, strerror(errno));
		goto err;
	}
	if (trace_parse_header_page(text, &t->lay)) {
		fail(t, "%s: no page layout a reader can use", path);
		goto err;
	}
	for (int k = 0; k < BD_EV_COUNT; k++) {
		size_t off, size;

		t->names[k] = names[k];
		t->ev[k] = (struct trace_ev){ .id = -1, .info_off = -1 };
		if (!names[k])
			continue;
		snprintf(path, sizeof(path), "%s/events/kvm/%s/format", t->dir, names[k]);
		if (read_text(path, text, sizeof(text)) < 0) {
			if (errno == ENOENT)
				continue;	/* this kernel has no such event */
			fail(t, "%s: %s", path, strerror(errno));
			goto err;
		}
		if (trace_parse_event_id(text, &t->ev[k].id)) {
			fail(t, "%s: no ID line", path);
			goto err;
		}
		/* kvm_exit's reason tells a guest-timed kind's exits from extra ones. */
		if (k == BD_EV_EXIT) {
			if (trace_parse_field(text, "exit_reason", &off, &size) || size > 4) {
				fail(t, "%s: no exit_reason field of at most 4 bytes", path);
				goto err;
			}
			t->ev[k].info_off = off;
			t->ev[k].info_size = size;
		}
		snprintf(rel, sizeof(rel), "events/kvm/%s/filter", names[k]);
		snprintf(val, sizeof(val), "common_pid == %d", (int)tid);
		if (put(t, rel, val))
			goto err;
		any = true;
	}
	if (!any) {
		ret = -ENOENT;
		fail(t, "%s/events/kvm has none of the events a breakdown uses (kvm_entry, "
		     "kvm_exit, kvm_userspace_exit)", t->dir);
		goto err;
	}
	t->page = malloc(t->lay.subbuf_size);
	if (!t->page) {
		fail(t, "out of memory for a %zu-byte trace page", t->lay.subbuf_size);
		goto err;
	}
	snprintf(path, sizeof(path), "%s/per_cpu/cpu%d/trace_pipe_raw", t->dir, cpu);
	t->raw_fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (t->raw_fd < 0) {
		fail(t, "%s: %s", path, strerror(errno));
		goto err;
	}
	if (read_lost(t, &t->lost_mark))
		goto err;
	return 0;
err:
	trace_close(t);
	return ret;
}

static int set_events(struct trace *t, unsigned int mask)
{
	char rel[256];

	for (int k = 0; k < BD_EV_COUNT; k++) {
		if (t->ev[k].id < 0)
			continue;
		snprintf(rel, sizeof(rel), "events/kvm/%s/enable", t->names[k]);
		if (put(t, rel, mask & (1u << k) ? "1" : "0"))
			return -1;
	}
	t->enabled = mask;
	return 0;
}

int trace_start(struct trace *t, unsigned int mask)
{
	return set_events(t, mask) || put(t, "tracing_on", "1") ? -1 : 0;
}

int trace_stop(struct trace *t)
{
	return put(t, "tracing_on", "0") || set_events(t, 0) ? -1 : 0;
}

static int read_lost(struct trace *t, uint64_t *lost)
{
	char path[PATH_MAX + 64], text[1024];

	snprintf(path, sizeof(path), "%s/per_cpu/cpu%d/stats", t->dir, t->cpu);
	if (read_text(path, text, sizeof(text)) < 0)
		return fail(t, "%s: %s", path, strerror(errno));
	if (trace_parse_stats(text, lost))
		return fail(t, "%s: no overrun or dropped-events line", path);
	return 0;
}

int trace_drain(struct trace *t, struct bd_events *out, uint64_t *lost)
{
	bool missed, any_missed = false;
	uint64_t now;
	char why[256];
	ssize_t r;

	for (;;) {
		r = read(t->raw_fd, t->page, t->lay.subbuf_size);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN)
			break;
		if (r < 0)
			return fail(t, "reading %s/per_cpu/cpu%d/trace_pipe_raw: %s", t->dir,
				    t->cpu, strerror(errno));
		if (r == 0)
			break;
		if (trace_parse_page(t->page, r, &t->lay, t->ev, out, &missed, why, sizeof(why)))
			return fail(t, "%s/per_cpu/cpu%d/trace_pipe_raw: %s", t->dir, t->cpu, why);
		any_missed |= missed;
	}
	if (read_lost(t, &now))
		return -1;
	*lost = now - t->lost_mark;
	t->lost_mark = now;
	/* A page can say "lost" without a count. */
	if (any_missed && !*lost)
		*lost = 1;
	return 0;
}

void trace_close(struct trace *t)
{
	int r;

	if (t->raw_fd >= 0)
		close(t->raw_fd);
	t->raw_fd = -1;
	free(t->page);
	t->page = NULL;
	if (!t->dir[0])
		return;
	/* Removing the instance frees its buffers and drops its events. */
	for (int tries = 0; (r = rmdir(t->dir)) && errno == EBUSY && tries < 50; tries++)
		nanosleep(&(struct timespec){ .tv_nsec = 20 * 1000 * 1000 }, NULL);
	if (r && errno != ENOENT)
		fprintf(stderr, "kvm-probe: could not remove tracefs instance %s: %s\n", t->dir,
			strerror(errno));
	t->dir[0] = '\0';
}
