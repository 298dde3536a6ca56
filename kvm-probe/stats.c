// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "stats.h"

const char *const probe_stat_names[STAT_NR] = {
	[STAT_EXITS]		= "exits",
	[STAT_IO_EXITS]		= "io_exits",
	[STAT_MMIO_EXITS]	= "mmio_exits",
	[STAT_HALT_EXITS]	= "halt_exits",
	[STAT_HYPERCALLS]	= "hypercalls",
	[STAT_IRQ_INJECTIONS]	= "irq_injections",
};

size_t stats_needed_len(const uint8_t *header, size_t len)
{
	struct kvm_stats_header h;
	uint64_t end;

	if (len < sizeof(h))
		return 0;
	memcpy(&h, header, sizeof(h));
	end = (uint64_t)h.desc_offset +
	      (uint64_t)h.num_desc * (sizeof(struct kvm_stats_desc) + h.name_size);
	/* A vCPU has a few hundred counters at most; anything far larger is garbage. */
	if (end > (1u << 24))
		return 0;
	return (size_t)end;
}

int stats_parse(const uint8_t *blob, size_t len, struct stats_layout *l,
		char *err, size_t errlen)
{
	struct kvm_stats_header h;
	size_t step, need = stats_needed_len(blob, len);

	*l = (struct stats_layout){ 0 };
	if (!need || need > len) {
		snprintf(err, errlen, "stats header truncated or malformed");
		return -1;
	}
	memcpy(&h, blob, sizeof(h));
	if (h.name_size == 0 || h.name_size > 4096) {
		snprintf(err, errlen, "stats header: name_size %u is implausible", h.name_size);
		return -1;
	}
	step = sizeof(struct kvm_stats_desc) + h.name_size;
	l->num_desc = h.num_desc;
	for (uint32_t i = 0; i < h.num_desc; i++) {
		struct kvm_stats_desc d;
		const char *name = (const char *)blob + h.desc_offset + i * step + sizeof(d);

		memcpy(&d, blob + h.desc_offset + i * step, sizeof(d));
		if (strnlen(name, h.name_size) == h.name_size) {
			snprintf(err, errlen, "stats descriptor %u: name not terminated", i);
			return -1;
		}
		for (int s = 0; s < STAT_NR; s++) {
			if (strcmp(name, probe_stat_names[s]) != 0)
				continue;
			/* A plain counter is one u64; a histogram would not be. */
			if (d.size != 1 ||
			    (d.flags & KVM_STATS_TYPE_MASK) != KVM_STATS_TYPE_CUMULATIVE) {
				snprintf(err, errlen, "stats '%s': not a single cumulative counter",
					 name);
				return -1;
			}
			l->value_off[s] = (uint64_t)h.data_offset + d.offset;
		}
	}
	if (!l->value_off[STAT_EXITS]) {
		snprintf(err, errlen, "stats: no 'exits' counter among %u", h.num_desc);
		return -1;
	}
	return 0;
}

int stats_open(struct probe_stats *s, int fd, char *err, size_t errlen)
{
	struct kvm_stats_header h;
	uint8_t *blob;
	size_t need;
	ssize_t got;
	int ret;

	s->fd = -1;
	got = pread(fd, &h, sizeof(h), 0);
	if (got != (ssize_t)sizeof(h)) {
		snprintf(err, errlen, "reading the stats header: %s",
			 got < 0 ? strerror(errno) : "short read");
		return -1;
	}
	need = stats_needed_len((const uint8_t *)&h, sizeof(h));
	if (!need) {
		snprintf(err, errlen, "stats header malformed");
		return -1;
	}
	blob = malloc(need);
	if (!blob) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	got = pread(fd, blob, need, 0);
	if (got != (ssize_t)need) {
		snprintf(err, errlen, "reading the stats descriptors: %s",
			 got < 0 ? strerror(errno) : "short read");
		free(blob);
		return -1;
	}
	ret = stats_parse(blob, need, &s->layout, err, errlen);
	free(blob);
	if (!ret)
		s->fd = fd;
	return ret;
}

int stats_read(const struct probe_stats *s, enum probe_stat which, uint64_t *v)
{
	uint64_t off = s->layout.value_off[which];

	if (s->fd < 0 || !off) {
		errno = ENOENT;
		return -1;
	}
	if (pread(s->fd, v, sizeof(*v), (off_t)off) != (ssize_t)sizeof(*v)) {
		if (!errno)
			errno = EIO;
		return -1;
	}
	return 0;
}

void stats_close(struct probe_stats *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}
