// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <criterion/criterion.h>
#include <string.h>

#include "exitlat/exit_kind_table.h"

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
	cr_assert_eq(exitlat_domain_by_name("elsewhere"), -1);
}
