// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stdlib.h>

#include "exitlat/cli.h"
#include "exitlat/exit_kind_table.h"

int exitlat_parse_count(const char *tool, const char *opt, const char *s, uint64_t min,
			uint64_t max, uint64_t *out, FILE *err)
{
	unsigned long long v;
	char *end;

	if (!s || s[0] < '0' || s[0] > '9')
		goto bad;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		goto bad;
	if (v < min || v > max) {
		fprintf(err, "%s: %s: %s is out of range (%llu to %llu)\n", tool, opt, s,
			(unsigned long long)min, (unsigned long long)max);
		return -1;
	}
	*out = v;
	return 0;
bad:
	fprintf(err, "%s: %s: '%s' is not a number\n", tool, opt, s ? s : "");
	return -1;
}

void exitlat_exit_print_list(FILE *f, bool kvm_side)
{
	for (int i = 0; i < EXITLAT_EXIT_NR; i++) {
		const struct exitlat_exit_info *e = &exitlat_exits[i];
		enum exitlat_domain d = kvm_side ? e->kvm_domain : e->native_domain;

		if (d == EXITLAT_DOMAIN_NONE)
			continue;
		fprintf(f, "%-10s %-5s %s\n", e->name, exitlat_domain_name(d), e->description);
	}
}
