// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "exitlat/exit_kind_table.h"
#include "fixtures.h"

Test(exit_kinds, every_name_is_found_again)
{
	for (int i = 0; i < EXITLAT_EXIT_NR; i++) {
		cr_assert_not_null(exitlat_exits[i].name, "row %d is empty", i);
		cr_assert_eq(exitlat_exit_by_name(exitlat_exits[i].name), i);
		cr_assert_gt(strlen(exitlat_exits[i].description), 10);
	}
	cr_assert_eq(exitlat_exit_by_name("vmcall"), -1);
}

Test(exit_kinds, null_kinds_cover_each_kvm_domain)
{
	int host = 0, guest = 0;

	for (int i = 0; i < EXITLAT_EXIT_NR; i++) {
		if (!exitlat_exits[i].is_null)
			continue;
		host += exitlat_exits[i].kvm_domain == EXITLAT_DOMAIN_HOST;
		guest += exitlat_exits[i].kvm_domain == EXITLAT_DOMAIN_GUEST;
	}
	cr_assert_eq(host, 1);
	cr_assert_eq(guest, 1);
}

Test(exit_kinds, domain_names_round_trip)
{
	cr_assert_eq(exitlat_domain_by_name(exitlat_domain_name(EXITLAT_DOMAIN_GUEST)),
		     EXITLAT_DOMAIN_GUEST);
	cr_assert_eq(exitlat_domain_by_name(exitlat_domain_name(EXITLAT_DOMAIN_CROSS)),
		     EXITLAT_DOMAIN_CROSS);
	cr_assert_str_eq(exitlat_domain_name(EXITLAT_DOMAIN_CROSS + 1), "unknown");
	cr_assert_eq(exitlat_domain_by_name("elsewhere"), -1);
}

Test(exit_kinds, every_kind_says_where_kvm_handles_it)
{
	for (int i = 0; i < EXITLAT_EXIT_NR; i++) {
		const struct exitlat_exit_info *e = &exitlat_exits[i];

		/* a null kind has no exit; every other kind has one somewhere */
		if (e->is_null)
			cr_assert_eq(e->kvm_path, EXITLAT_KVM_NONE, "%s", e->name);
		else
			cr_assert_neq(e->kvm_path, EXITLAT_KVM_NONE, "%s: where does KVM handle it?",
				      e->name);
		/* an exit to user space returns from KVM_RUN: the host can time it */
		if (e->kvm_path == EXITLAT_KVM_USER)
			cr_assert_eq(e->kvm_domain, EXITLAT_DOMAIN_HOST, "%s", e->name);
		if (e->kvm_path == EXITLAT_KVM_KERNEL || e->kvm_path == EXITLAT_KVM_FASTPATH)
			cr_assert_eq(e->kvm_domain, EXITLAT_DOMAIN_GUEST, "%s", e->name);
		/* only a delivery latency mixes the host's clock with the guest's */
		if (e->kvm_domain == EXITLAT_DOMAIN_CROSS)
			cr_assert_eq(e->kvm_path, EXITLAT_KVM_IRQ, "%s", e->name);
		cr_assert_eq(exitlat_kvm_path_by_name(exitlat_kvm_path_name(e->kvm_path)),
			     (int)e->kvm_path);
	}
	cr_assert_str_eq(exitlat_kvm_path_name(EXITLAT_KVM_IRQ + 1), "unknown");
	cr_assert_eq(exitlat_kvm_path_by_name("elsewhere"), -1);
}

Test(exit_kinds, a_kind_is_ready_on_a_side_only_with_a_domain_there)
{
	for (int i = 0; i < EXITLAT_EXIT_NR; i++) {
		if (exitlat_exit_ready(i, false))
			cr_assert_neq(exitlat_exits[i].native_domain, EXITLAT_DOMAIN_NONE);
		if (exitlat_exit_ready(i, true))
			cr_assert_neq(exitlat_exits[i].kvm_domain, EXITLAT_DOMAIN_NONE);
	}
	cr_assert_not(exitlat_exit_ready(-1, true));
	cr_assert_not(exitlat_exit_ready(EXITLAT_EXIT_NR, false));
	cr_assert_not(exitlat_exit_ready(EXITLAT_EXIT_MMIO, false), "mmio has no native side");
}

#define EXIT_KINDS_DOC "docs/exit-kinds.md"

/* The cells of a markdown table row "| a | b | ... |", trimmed, backquotes dropped. */
static int row_cells(char *line, char **cells, int max)
{
	int n = 0;
	char *p = line, *bar;

	if (*p != '|')
		return 0;
	p++;
	while (n < max && (bar = strchr(p, '|'))) {
		char *end = bar;

		*bar = '\0';
		while (*p == ' ' || *p == '`')
			p++;
		while (end > p && (end[-1] == ' ' || end[-1] == '`'))
			*--end = '\0';
		cells[n++] = p;
		p = bar + 1;
	}
	return n;
}

/*
 * docs/exit-kinds.md has one row per kind saying what the table says: ID,
 * name, each side's domain and where KVM handles it (the rest is prose).
 */
Test(exit_kinds, every_kind_has_its_documentation_row)
{
	char err[512], line[1024], *cells[6];
	int seen[EXITLAT_EXIT_NR] = { 0 };
	FILE *f = fix_open_data(EXIT_KINDS_DOC, err, sizeof(err));

	cr_assert_not_null(f, "%s", err);
	while (fgets(line, sizeof(line), f)) {
		int k;

		line[strcspn(line, "\n")] = '\0';
		if (row_cells(line, cells, 6) != 6 || (k = exitlat_exit_by_name(cells[1])) < 0)
			continue;
		seen[k]++;
		cr_assert_eq(atoi(cells[0]), k, EXIT_KINDS_DOC ": %s has ID %s, the table %d",
			     cells[1], cells[0], k);
		cr_assert_str_eq(cells[2], exitlat_domain_name(exitlat_exits[k].native_domain),
				 EXIT_KINDS_DOC ": %s's native domain", cells[1]);
		cr_assert_str_eq(cells[3], exitlat_domain_name(exitlat_exits[k].kvm_domain),
				 EXIT_KINDS_DOC ": %s's KVM domain", cells[1]);
		cr_assert_str_eq(cells[4], exitlat_kvm_path_name(exitlat_exits[k].kvm_path),
				 EXIT_KINDS_DOC ": where KVM handles %s", cells[1]);
		cr_assert_gt(strlen(cells[5]), 5, EXIT_KINDS_DOC ": what does %s do?", cells[1]);
	}
	fclose(f);
	for (int k = 0; k < EXITLAT_EXIT_NR; k++)
		cr_assert_eq(seen[k], 1, EXIT_KINDS_DOC ": %d rows for %s, expected 1", seen[k],
			     exitlat_exits[k].name);
}

Test(exit_kinds, verified_words_round_trip_and_unknown_ones_are_unsaid)
{
	for (int v = 0; v < EXITLAT_VERIFIED_NR; v++)
		cr_assert_eq(exitlat_verified_by_name(exitlat_verified_name(v)), v, "%d", v);
	cr_assert_eq(exitlat_verified_by_name("probably"), EXITLAT_VERIFIED_UNSAID);
	cr_assert_eq(exitlat_verified_by_name(NULL), EXITLAT_VERIFIED_UNSAID);
	cr_assert_str_eq(exitlat_verified_name(EXITLAT_VERIFIED_NR), "-");
}
