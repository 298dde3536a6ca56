// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Stats-fd parsing on synthetic blobs laid out the way KVM lays out a vCPU's stats file. */
#include <criterion/criterion.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "stats.h"

#define NAME_SIZE 48
#define MAX_DESC 8

struct fake_stat {
	const char *name;
	uint32_t flags;
	uint16_t size;
	uint64_t value;
};

static uint8_t blob[8192];
static size_t blob_len;

/* Header, id string, descriptors (each sizeof(desc) + NAME_SIZE), then data. */
static void build(const struct fake_stat *s, unsigned int n)
{
	struct kvm_stats_header h = {
		.name_size = NAME_SIZE,
		.num_desc = n,
		.id_offset = sizeof(h),
		.desc_offset = sizeof(h) + NAME_SIZE,
	};
	size_t step = sizeof(struct kvm_stats_desc) + NAME_SIZE;
	uint32_t data_off = 0;

	h.data_offset = h.desc_offset + n * step;
	memset(blob, 0, sizeof(blob));
	strcpy((char *)blob + h.id_offset, "kvm-1234/vcpu-0");
	for (unsigned int i = 0; i < n; i++) {
		struct kvm_stats_desc d = {
			.flags = s[i].flags,
			.size = s[i].size,
			.offset = data_off,
		};
		uint8_t *p = blob + h.desc_offset + i * step;

		memcpy(p, &d, sizeof(d));
		strcpy((char *)p + sizeof(d), s[i].name);
		memcpy(blob + h.data_offset + data_off, &s[i].value, 8);
		data_off += 8 * s[i].size;
	}
	memcpy(blob, &h, sizeof(h));
	blob_len = h.data_offset + data_off;
}

static const struct fake_stat normal[] = {
	{ "halt_successful_poll", KVM_STATS_TYPE_CUMULATIVE, 1, 11 },
	{ "halt_wait_hist", KVM_STATS_TYPE_LOG_HIST, 32, 0 },
	{ "io_exits", KVM_STATS_TYPE_CUMULATIVE, 1, 300 },
	{ "exits", KVM_STATS_TYPE_CUMULATIVE, 1, 1234 },
	{ "halt_exits", KVM_STATS_TYPE_CUMULATIVE, 1, 7 },
};

static uint64_t value_at(uint64_t off)
{
	uint64_t v;

	memcpy(&v, blob + off, 8);
	return v;
}

Test(probe_stats, finds_counters_by_name_past_a_histogram)
{
	struct stats_layout l;
	char err[256];

	build(normal, 5);
	cr_assert_eq(stats_parse(blob, blob_len, &l, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(l.num_desc, 5);
	cr_assert_eq(value_at(l.value_off[STAT_EXITS]), 1234);
	cr_assert_eq(value_at(l.value_off[STAT_IO_EXITS]), 300);
	cr_assert_eq(value_at(l.value_off[STAT_HALT_EXITS]), 7);
	cr_assert_eq(l.value_off[STAT_MMIO_EXITS], 0, "absent counter");
}

Test(probe_stats, needed_length_covers_the_descriptors)
{
	build(normal, 5);
	cr_assert_eq(stats_needed_len(blob, blob_len),
		     sizeof(struct kvm_stats_header) + NAME_SIZE +
		     5 * (sizeof(struct kvm_stats_desc) + NAME_SIZE));
	cr_assert_eq(stats_needed_len(blob, 4), 0);
}

Test(probe_stats, missing_exits_counter_is_an_error)
{
	struct stats_layout l;
	char err[256];

	build(normal, 3);
	cr_assert_eq(stats_parse(blob, blob_len, &l, err, sizeof(err)), -1);
	cr_assert_not_null(strstr(err, "no 'exits' counter"));
}

Test(probe_stats, exits_as_a_histogram_is_rejected)
{
	static const struct fake_stat odd[] = {
		{ "exits", KVM_STATS_TYPE_LINEAR_HIST, 4, 0 },
	};
	struct stats_layout l;
	char err[256];

	build(odd, 1);
	cr_assert_eq(stats_parse(blob, blob_len, &l, err, sizeof(err)), -1);
	cr_assert_not_null(strstr(err, "not a single cumulative counter"));
}

Test(probe_stats, truncated_blob_is_an_error)
{
	struct stats_layout l;
	char err[256];

	build(normal, 5);
	cr_assert_eq(stats_parse(blob, sizeof(struct kvm_stats_header) + 10, &l, err, sizeof(err)), -1);
	cr_assert_not_null(strstr(err, "truncated"));
}

Test(probe_stats, unterminated_name_is_an_error)
{
	struct stats_layout l;
	struct kvm_stats_header h;
	char err[256];

	build(normal, 5);
	memcpy(&h, blob, sizeof(h));
	memset(blob + h.desc_offset + sizeof(struct kvm_stats_desc), 'x', NAME_SIZE);
	cr_assert_eq(stats_parse(blob, blob_len, &l, err, sizeof(err)), -1);
	cr_assert_not_null(strstr(err, "not terminated"));
}

Test(probe_stats, reads_values_through_a_file_descriptor)
{
	struct probe_stats s;
	uint64_t v;
	char err[256];
	int fd = memfd_create("stats", 0);

	cr_assert_geq(fd, 0);
	build(normal, 5);
	cr_assert_eq(write(fd, blob, blob_len), (ssize_t)blob_len);
	cr_assert_eq(stats_open(&s, fd, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(stats_read(&s, STAT_EXITS, &v), 0);
	cr_assert_eq(v, 1234);
	cr_assert_eq(stats_read(&s, STAT_HALT_EXITS, &v), 0);
	cr_assert_eq(v, 7);
	cr_assert_eq(stats_read(&s, STAT_HYPERCALLS, &v), -1, "absent counter");
	/* A counter that moves is seen moving: values are read afresh each time. */
	v = 1300;
	cr_assert_eq(pwrite(fd, &v, 8, s.layout.value_off[STAT_EXITS]), 8);
	cr_assert_eq(stats_read(&s, STAT_EXITS, &v), 0);
	cr_assert_eq(v, 1300);
	stats_close(&s);
}

Test(probe_stats, no_stats_fd_reads_nothing)
{
	struct probe_stats s = { .fd = -1 };
	uint64_t v;

	cr_assert_eq(stats_read(&s, STAT_EXITS, &v), -1);
}
