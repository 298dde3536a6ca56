/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * KVM's binary statistics (KVM_GET_STATS_FD, Linux 5.14+): the vCPU's exit
 * counters, read around each sample to check that it held exactly one exit.
 */
#ifndef KVM_PROBE_STATS_H
#define KVM_PROBE_STATS_H

#include <stddef.h>
#include <stdint.h>

enum probe_stat {
	STAT_EXITS,		/* every exit, of any reason */
	STAT_IO_EXITS,
	STAT_MMIO_EXITS,
	STAT_HALT_EXITS,
	STAT_HYPERCALLS,
	STAT_IRQ_INJECTIONS,	/* interrupts KVM injected (not posted ones) */
	STAT_NR,
};

extern const char *const probe_stat_names[STAT_NR];

/* Where each counter lives: file offset of its value, or 0 when absent. */
struct stats_layout {
	uint64_t value_off[STAT_NR];
	uint32_t num_desc;
};

struct probe_stats {
	int fd;			/* -1: no stats fd */
	struct stats_layout layout;
};

/*
 * Parses the start of a stats file (header and descriptors; @len bytes of
 * it) into @l. Descriptors are stepped through by sizeof(desc) + name_size,
 * not as a plain array. Returns 0, or -1 with the reason in @err.
 */
int stats_parse(const uint8_t *blob, size_t len, struct stats_layout *l,
		char *err, size_t errlen);
/* Bytes of the file that stats_parse needs, from the header alone; 0 when malformed. */
size_t stats_needed_len(const uint8_t *header, size_t len);

/* Reads the layout of the stats fd @fd (KVM_GET_STATS_FD's result). */
int stats_open(struct probe_stats *s, int fd, char *err, size_t errlen);
/* One counter's value by pread; 0, or -1 (absent counter or failed read, errno set). */
int stats_read(const struct probe_stats *s, enum probe_stat which, uint64_t *v);
void stats_close(struct probe_stats *s);

#endif
