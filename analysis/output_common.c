// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "exitlat/exit_kind_table.h"
#include "output.h"

#define EXACT(f) { .name = #f, .type = STAT_EXACT, .offset = offsetof(struct dist_stats, f) }
#define LD(f) { .name = #f, .type = STAT_LD, .offset = offsetof(struct dist_stats, f) }
const struct stat_field stat_fields[STAT_FIELDS_NR] = {
	EXACT(min), EXACT(max), EXACT(mean), EXACT(stddev), EXACT(median), EXACT(p25),
	EXACT(p75), EXACT(iqr), EXACT(p90), EXACT(p99), EXACT(p999), EXACT(p9999),
};

const char *ld_str(long double v, int decimals, const char *nan_text, char buf[XDEC_STR_MAX])
{
	if (!isfinite(v))
		return nan_text;
	snprintf(buf, XDEC_STR_MAX, "%.*Lf", decimals, v);
	return buf;
}

const char *stat_str(const struct dist_stats *st, const struct stat_field *f,
		     char buf[XDEC_STR_MAX])
{
	const char *p = (const char *)st + f->offset;

	if (f->type == STAT_EXACT)
		return xdec_str(*(const xdec *)p, buf);
	return ld_str(*(const long double *)p, 3, "NaN", buf);
}

long double stat_ld(const struct dist_stats *st, const struct stat_field *f)
{
	const char *p = (const char *)st + f->offset;

	if (f->type == STAT_EXACT)
		return xdec_to_ld(*(const xdec *)p);
	return *(const long double *)p;
}

char *segment_title(const struct series *s)
{
	char *t;

	if (asprintf(&t, "%s%s", s->segment, s->merged ? " (merged)" : "") < 0)
		return NULL;
	return t;
}

/* Where KVM handles a kind, as a rung's label says it (the ladder's groups). */
const char *kvm_step(int kind)
{
	enum exitlat_kvm_path p = kind >= 0 ? exitlat_exits[kind].kvm_path : EXITLAT_KVM_NONE;

	switch (p) {
	case EXITLAT_KVM_FASTPATH:
		return "fast-path";
	case EXITLAT_KVM_KERNEL:
		return "in-kernel";
	case EXITLAT_KVM_USER:
		return "user-space";
	case EXITLAT_KVM_IRQ:
		return "interrupt";
	case EXITLAT_KVM_NONE:
		return "-";
	}
	return "-";
}
