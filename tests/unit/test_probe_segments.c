// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The breakdown's pairing and segmenting, on synthetic event streams. */
#include <criterion/criterion.h>
#include <string.h>

#include "segments.h"

#define E BD_EV_ENTRY
#define X BD_EV_EXIT
#define K BD_EV_KIND
#define U BD_EV_UEXIT
#define N(a) (sizeof(a) / sizeof((a)[0]))

static const uint64_t all_fire[BD_EV_COUNT] = { 10, 10, 10, 10 };
/* kvm_pvm, as seen on this project's host: no kvm_entry, no kvm_exit. */
static const uint64_t pvm_pio[BD_EV_COUNT] = { 0, 0, 10, 10 };
static const uint64_t pvm_hlt[BD_EV_COUNT] = { 0, 0, 0, 10 };

static struct bd_plan host_plan(const uint64_t seen[BD_EV_COUNT])
{
	struct bd_plan p;
	char why[256];

	cr_assert_eq(bd_plan_make(&p, false, 1, "kvm_pio", "pio", 10, seen, why, sizeof(why)), 0,
		     "%s", why);
	return p;
}

static void assert_names(const struct bd_plan *p, const char *const *want, unsigned int n)
{
	char name[64];

	cr_assert_eq(p->nsegs, n);
	for (unsigned int i = 0; i < n; i++) {
		bd_seg_name(p, i, name, sizeof(name));
		cr_assert_str_eq(name, want[i], "segment %u", i);
	}
}

Test(probe_segments, a_kvm_that_fires_every_event_gives_the_four_canonical_segments)
{
	static const char *const want[] = { "t0-entry", "entry-exit", "exit-uexit", "uexit-t1" };
	struct bd_plan p = host_plan(all_fire);

	assert_names(&p, want, 4);
	/* The kind's event is not a boundary where kvm_exit fires. */
	cr_assert_eq(bd_plan_events(&p), (1u << E) | (1u << X) | (1u << U));
}

Test(probe_segments, without_entry_and_exit_the_kind_event_bounds_a_merged_segment)
{
	static const char *const want[] = { "t0-pio", "pio-uexit", "uexit-t1" };
	struct bd_plan p = host_plan(pvm_pio);
	char covers[256];

	assert_names(&p, want, 3);
	cr_assert(bd_seg_covers(&p, 0, covers, sizeof(covers)), "t0-pio must be named merged");
	cr_assert(strstr(covers, "user space to VM entry"), "%s", covers);
	cr_assert(strstr(covers, "in the guest"), "%s", covers);
	cr_assert(strstr(covers, "up to kvm:kvm_pio"), "%s", covers);
	cr_assert_not(bd_seg_covers(&p, 1, covers, sizeof(covers)));
	cr_assert(strstr(covers, "from kvm:kvm_pio"), "%s", covers);
	cr_assert_not(bd_seg_covers(&p, 2, covers, sizeof(covers)));
	cr_assert_str_eq(covers, "back to user space");
}

Test(probe_segments, only_the_return_to_user_space_leaves_two_segments)
{
	static const char *const want[] = { "t0-uexit", "uexit-t1" };
	struct bd_plan p = host_plan(pvm_hlt);
	char covers[256];

	assert_names(&p, want, 2);
	cr_assert(bd_seg_covers(&p, 0, covers, sizeof(covers)));
	cr_assert(strstr(covers, "KVM's handling"), "%s", covers);
}

Test(probe_segments, an_event_seen_in_under_half_the_windows_does_not_fire)
{
	cr_assert(bd_fires(10, 5));
	cr_assert_not(bd_fires(10, 4));
	cr_assert_not(bd_fires(0, 0));
}

Test(probe_segments, no_event_at_all_is_refused_with_the_reason)
{
	static const uint64_t none[BD_EV_COUNT] = { 0 };
	struct bd_plan p;
	char why[256] = "";

	cr_assert_eq(bd_plan_make(&p, false, 1, NULL, NULL, 10, none, why, sizeof(why)), -1);
	cr_assert(strstr(why, "kvm_userspace_exit"), "%s", why);
}

Test(probe_segments, guest_timed_kinds_need_entry_and_exit)
{
	struct bd_plan p;
	char why[256] = "", name[32];

	cr_assert_eq(bd_plan_make(&p, true, 4, "kvm_cpuid", "cpuid", 10, pvm_pio, why,
				  sizeof(why)), -1);
	cr_assert(strstr(why, "kvm_exit"), "%s", why);
	cr_assert_eq(bd_plan_make(&p, true, 4, "kvm_cpuid", "cpuid", 10, all_fire, why,
				  sizeof(why)), 0);
	cr_assert_eq(p.nsegs, 2);
	bd_seg_name(&p, 0, name, sizeof(name));
	cr_assert_str_eq(name, "exit-entry");
	bd_seg_name(&p, 1, name, sizeof(name));
	cr_assert_str_eq(name, "rest");
}

/* Host-timed streams: one window per sample, events in between are not theirs. */
struct host_case {
	const struct bd_trip *trips;
	size_t n;
	const struct bd_event *ev;
	size_t nev;
	bool lost;
};

static struct bd_out run_host(const struct bd_plan *p, const struct host_case *c)
{
	struct bd_out o;
	uint64_t samples[16];

	for (size_t i = 0; i < c->n; i++)
		samples[i] = c->trips[i].t1 - c->trips[i].t0;
	cr_assert_eq(bd_out_init(&o, p, c->n), 0);
	bd_split(p, samples, c->trips, c->n, c->ev, c->nev, c->lost, &o);
	return o;
}

static const struct bd_trip three[] = {
	{ .t0 = 1000, .t1 = 1100 }, { .t0 = 2000, .t1 = 2250 }, { .t0 = 3000, .t1 = 3077 },
};

Test(probe_segments, host_segments_add_up_to_the_round_trip_exactly)
{
	static const struct bd_event ev[] = {
		{ 1003, E, 0 }, { 1040, X, 0 }, { 1090, U, 0 },
		{ 1500, U, 0 },	/* between windows: a dropped sample's, not counted */
		{ 2001, E, 0 }, { 2002, X, 0 }, { 2249, U, 0 },
		{ 3010, E, 0 }, { 3020, X, 0 }, { 3030, U, 0 },
	};
	static const uint64_t want[3][4] = {
		{ 3, 37, 50, 10 }, { 1, 1, 247, 1 }, { 10, 10, 10, 47 },
	};
	struct bd_plan p = host_plan(all_fire);
	struct bd_out o = run_host(&p, &(struct host_case){ three, 3, ev, N(ev), false });

	cr_assert_eq(o.n, 3);
	cr_assert_eq(bd_out_dropped(&o), 0);
	for (unsigned int j = 0; j < 3; j++) {
		uint64_t sum = 0;

		for (unsigned int k = 0; k < 4; k++) {
			cr_assert_eq(o.seg[k][j], want[j][k], "sample %u segment %u: %llu", j, k,
				     (unsigned long long)o.seg[k][j]);
			sum += o.seg[k][j];
		}
		cr_assert_eq(sum, o.trip[j]);
		cr_assert_eq(o.trip[j], three[j].t1 - three[j].t0);
	}
	bd_out_free(&o);
}

Test(probe_segments, boundary_events_on_the_window_edges_belong_to_it)
{
	static const struct bd_trip one[] = { { .t0 = 100, .t1 = 200 } };
	static const struct bd_event ev[] = { { 100, E, 0 }, { 150, X, 0 }, { 200, U, 0 } };
	struct bd_plan p = host_plan(all_fire);
	struct bd_out o = run_host(&p, &(struct host_case){ one, 1, ev, N(ev), false });

	cr_assert_eq(o.n, 1);
	cr_assert_eq(o.seg[0][0], 0);
	cr_assert_eq(o.seg[3][0], 0);
	bd_out_free(&o);
}

Test(probe_segments, a_sample_missing_an_event_is_dropped_as_missing)
{
	static const struct bd_event ev[] = {
		{ 1003, E, 0 }, { 1040, X, 0 }, { 1090, U, 0 },
		{ 2001, E, 0 }, { 2249, U, 0 },		/* no kvm_exit */
		{ 3010, E, 0 }, { 3020, X, 0 }, { 3030, U, 0 },
	};
	struct bd_plan p = host_plan(all_fire);
	struct bd_out o = run_host(&p, &(struct host_case){ three, 3, ev, N(ev), false });

	cr_assert_eq(o.n, 2);
	cr_assert_eq(o.dropped[BD_DROP_MISSING], 1);
	cr_assert_eq(bd_out_dropped(&o), 1);
	/* The kept ones are the first and the third, in order. */
	cr_assert_eq(o.trip[0], 100);
	cr_assert_eq(o.trip[1], 77);
	bd_out_free(&o);
}

Test(probe_segments, missing_events_while_the_buffer_lost_some_count_as_overrun)
{
	/* A full ring buffer (no overwrite) keeps the first events only. */
	static const struct bd_event ev[] = {
		{ 1003, E, 0 }, { 1040, X, 0 }, { 1090, U, 0 }, { 2001, E, 0 },
	};
	struct bd_plan p = host_plan(all_fire);
	struct bd_out o = run_host(&p, &(struct host_case){ three, 3, ev, N(ev), true });

	cr_assert_eq(o.n, 1);
	cr_assert_eq(o.dropped[BD_DROP_OVERRUN], 2);
	cr_assert_eq(o.dropped[BD_DROP_MISSING], 0);
	bd_out_free(&o);
}

Test(probe_segments, events_out_of_order_are_dropped_as_such)
{
	static const struct bd_event ev[] = {
		{ 1003, X, 0 }, { 1040, E, 0 }, { 1090, U, 0 },
		{ 2001, E, 0 }, { 2002, X, 0 }, { 2249, U, 0 },
		/* ring-buffer order disagrees with the time stamps */
		{ 3020, E, 0 }, { 3010, X, 0 }, { 3030, U, 0 },
	};
	struct bd_plan p = host_plan(all_fire);
	struct bd_out o = run_host(&p, &(struct host_case){ three, 3, ev, N(ev), false });

	cr_assert_eq(o.n, 1);
	cr_assert_eq(o.dropped[BD_DROP_ORDER], 2);
	bd_out_free(&o);
}

Test(probe_segments, an_extra_exit_inside_a_trip_drops_it)
{
	static const struct bd_event ev[] = {
		{ 1003, E, 0 }, { 1040, X, 0 }, { 1090, U, 0 },
		/* an interrupt: exit, re-entry, then the instruction's exit */
		{ 2001, E, 0 }, { 2002, X, 0 }, { 2100, E, 0 }, { 2200, X, 0 }, { 2249, U, 0 },
		{ 3010, E, 0 }, { 3020, X, 0 }, { 3030, U, 0 },
	};
	struct bd_plan p = host_plan(all_fire);
	struct bd_out o = run_host(&p, &(struct host_case){ three, 3, ev, N(ev), false });

	cr_assert_eq(o.n, 2);
	cr_assert_eq(o.dropped[BD_DROP_EXTRA], 1);
	bd_out_free(&o);
}

Test(probe_segments, merged_segments_on_a_kvm_without_entry_and_exit_add_up)
{
	static const struct bd_event ev[] = {
		{ 1060, K, 0 }, { 1090, U, 0 }, { 2200, K, 0 }, { 2240, U, 0 },
		{ 3050, K, 0 }, { 3070, U, 0 },
	};
	struct bd_plan p = host_plan(pvm_pio);
	struct bd_out o = run_host(&p, &(struct host_case){ three, 3, ev, N(ev), false });

	cr_assert_eq(o.n, 3);
	for (unsigned int j = 0; j < 3; j++)
		cr_assert_eq(o.seg[0][j] + o.seg[1][j] + o.seg[2][j], o.trip[j]);
	cr_assert_eq(o.seg[0][0], 60);
	cr_assert_eq(o.seg[1][0], 30);
	cr_assert_eq(o.seg[2][0], 10);
	bd_out_free(&o);
}

/*
 * Guest-timed: a buffer of 3 instructions; window [100, 1000] for all three.
 * kvm_exit carries the exit reason: the kind's (CPUID, 10 on VMX), the
 * report's (IO_INSTRUCTION, 30), an interrupt's (EXTERNAL_INTERRUPT, 1).
 */
#define XK(ts) { ts, X, 10 }
#define XIO(ts) { ts, X, 30 }
#define XINT(ts) { ts, X, 1 }

static struct bd_plan guest_plan(void)
{
	struct bd_plan p;
	char why[256];

	cr_assert_eq(bd_plan_make(&p, true, 3, "kvm_cpuid", "cpuid", 10, all_fire, why,
				  sizeof(why)), 0, "%s", why);
	p.kind_reason = 10;
	return p;
}

static const struct bd_trip buffer[] = {
	{ .t0 = 100, .t1 = 1000, .index = 0 },
	{ .t0 = 100, .t1 = 1000, .index = 1 },
	{ .t0 = 100, .t1 = 1000, .index = 2 },
};
static const uint64_t guest_samples[] = { 80, 90, 100 };

static struct bd_out run_guest(const struct bd_event *ev, size_t nev, bool lost)
{
	struct bd_plan p = guest_plan();
	struct bd_out o;

	cr_assert_eq(bd_out_init(&o, &p, 3), 0);
	bd_split(&p, guest_samples, buffer, 3, ev, nev, lost, &o);
	return o;
}

Test(probe_segments, guest_timed_handling_pairs_with_the_same_instruction)
{
	static const struct bd_event ev[] = {
		{ 110, E, 0 }, XK(200), { 250, E, 0 }, XK(300), { 360, E, 0 }, XK(400),
		{ 470, E, 0 }, XIO(500), { 990, U, 0 },
	};
	struct bd_out o = run_guest(ev, N(ev), false);

	cr_assert_eq(o.n, 3);
	cr_assert_eq(o.seg[0][0], 50);
	cr_assert_eq(o.seg[0][1], 60);
	cr_assert_eq(o.seg[0][2], 70);
	for (unsigned int j = 0; j < 3; j++) {
		cr_assert_eq(o.trip[j], guest_samples[j]);
		cr_assert_eq(o.seg[0][j] + o.seg[1][j], o.trip[j]);
	}
	bd_out_free(&o);
}

Test(probe_segments, an_extra_exit_in_a_guest_buffer_drops_only_the_instruction_it_may_hit)
{
	/* An interrupt between the first and the second CPUID: the second's trip may hold it. */
	static const struct bd_event ev[] = {
		{ 110, E, 0 }, XK(200), { 250, E, 0 }, XINT(280), { 290, E, 0 }, XK(300),
		{ 360, E, 0 },
		XK(400), { 470, E, 0 }, XIO(500), { 990, U, 0 },
	};
	struct bd_out o = run_guest(ev, N(ev), false);

	cr_assert_eq(o.n, 2);
	cr_assert_eq(o.dropped[BD_DROP_EXTRA], 1);
	cr_assert_eq(o.trip[0], 80);
	cr_assert_eq(o.seg[0][0], 50);
	cr_assert_eq(o.trip[1], 100);
	cr_assert_eq(o.seg[0][1], 70);
	bd_out_free(&o);
}

Test(probe_segments, a_return_to_user_space_inside_a_guest_buffer_taints_one_instruction)
{
	/* KVM_RUN came back with EINTR before the first CPUID; the buffer went on. */
	static const struct bd_event ev[] = {
		{ 110, E, 0 }, XINT(120), { 130, U, 0 }, { 140, E, 0 }, XK(200), { 250, E, 0 },
		XK(300),
		{ 360, E, 0 }, XK(400), { 470, E, 0 }, XIO(500), { 990, U, 0 },
	};
	struct bd_out o = run_guest(ev, N(ev), false);

	cr_assert_eq(o.n, 2);
	cr_assert_eq(o.dropped[BD_DROP_EXTRA], 1);
	cr_assert_eq(o.trip[0], 90);
	bd_out_free(&o);
}

Test(probe_segments, guest_handling_longer_than_its_round_trip_is_out_of_order)
{
	static const struct bd_event ev[] = {
		{ 110, E, 0 }, XK(200), { 250, E, 0 }, XK(300), { 460, E, 0 }, XK(470),
		{ 480, E, 0 }, XIO(500), { 990, U, 0 },
	};
	struct bd_out o = run_guest(ev, N(ev), false);

	/* 160 cycles of handling cannot sit inside a 90-cycle round trip. */
	cr_assert_eq(o.n, 2);
	cr_assert_eq(o.dropped[BD_DROP_ORDER], 1);
	bd_out_free(&o);
}

Test(probe_segments, a_guest_buffer_missing_events_after_a_loss_is_overrun)
{
	static const struct bd_event ev[] = { { 110, E, 0 }, XK(200), { 250, E, 0 } };
	struct bd_out o = run_guest(ev, N(ev), true);

	/* The first instruction's handling is whole; the other two never exited. */
	cr_assert_eq(o.n, 1);
	cr_assert_eq(o.dropped[BD_DROP_OVERRUN], 2);
	bd_out_free(&o);
}

Test(probe_segments, a_guest_exit_with_no_entry_after_it_has_no_handling)
{
	static const struct bd_event ev[] = {
		{ 110, E, 0 }, XK(200), { 250, E, 0 }, XK(300), { 360, E, 0 }, XK(400),
	};
	struct bd_out o = run_guest(ev, N(ev), false);

	cr_assert_eq(o.n, 2);
	cr_assert_eq(o.dropped[BD_DROP_MISSING], 1);
	bd_out_free(&o);
}

Test(probe_segments, guest_events_out_of_time_order_drop_the_buffer)
{
	static const struct bd_event ev[] = {
		{ 110, E, 0 }, XK(260), { 250, E, 0 }, XK(300), { 360, E, 0 }, XK(400),
		{ 470, E, 0 }, XIO(500), { 990, U, 0 },
	};
	struct bd_out o = run_guest(ev, N(ev), false);

	cr_assert_eq(o.n, 0);
	cr_assert_eq(o.dropped[BD_DROP_ORDER], 3);
	bd_out_free(&o);
}

/*
 * pio-kernel on kvm_amd (QEMU TCG, Debian 6.12): the last three OUTs to the
 * ELCR (0x4d0) of a guest buffer and the report's OUT to 0xe0, as a traced
 * run recorded them (x86-tsc stamps). Both are IOIO exits (SVM exit code
 * 0x7b = 123): the report's exit carries the kind's reason, and it is the
 * one that goes to user space. kvm_pio is not among a guest-timed plan's
 * events, so the run records none.
 */
static const struct bd_event svm_pio_kernel[] = {
	{ 33097625971, E, 0 },
	{ 33097773093, X, 123 }, { 33097832016, E, 0 },		/* OUT 0x4d0: 58,923 */
	{ 33097985704, X, 123 }, { 33098056509, E, 0 },		/* OUT 0x4d0: 70,805 */
	{ 33098473744, X, 123 }, { 33099192697, E, 0 },		/* OUT 0x4d0: 718,953 */
	{ 33099543414, X, 123 }, { 33099929020, U, 0 },		/* the report: OUT 0xe0 */
};

static struct bd_out run_svm_pio_kernel(const struct bd_event *ev, size_t nev)
{
	static const struct bd_trip win[] = {
		{ .t0 = 33097600000, .t1 = 33099950000, .index = 0 },
		{ .t0 = 33097600000, .t1 = 33099950000, .index = 1 },
		{ .t0 = 33097600000, .t1 = 33099950000, .index = 2 },
	};
	static const uint64_t trips[] = { 210000, 220000, 900000 };
	struct bd_plan p = guest_plan();
	struct bd_out o;

	p.kind_reason = 123;
	cr_assert_eq(bd_out_init(&o, &p, 3), 0);
	bd_split(&p, trips, win, 3, ev, nev, false, &o);
	return o;
}

Test(probe_segments, a_report_exit_with_the_kinds_reason_closes_the_buffer_not_an_extra_exit)
{
	static const uint64_t handling[] = { 58923, 70805, 718953 };
	struct bd_out o = run_svm_pio_kernel(svm_pio_kernel, N(svm_pio_kernel));

	cr_assert_eq(o.n, 3, "kept %zu, dropped %llu with an extra exit", (size_t)o.n,
		     (unsigned long long)o.dropped[BD_DROP_EXTRA]);
	for (unsigned int j = 0; j < 3; j++) {
		cr_assert_eq(o.seg[0][j], handling[j]);
		cr_assert_eq(o.seg[0][j] + o.seg[1][j], o.trip[j]);
	}
	bd_out_free(&o);
}

Test(probe_segments, one_exit_of_the_kind_more_than_the_buffer_holds_is_still_extra)
{
	/* A fourth OUT to 0x4d0 with its entry before the report: one too many. */
	static const struct bd_event ev[] = {
		{ 33097625971, E, 0 },
		{ 33097773093, X, 123 }, { 33097832016, E, 0 },
		{ 33097985704, X, 123 }, { 33098056509, E, 0 },
		{ 33098473744, X, 123 }, { 33099192697, E, 0 },
		{ 33099300000, X, 123 }, { 33099400000, E, 0 },
		{ 33099543414, X, 123 }, { 33099929020, U, 0 },
	};
	struct bd_out o = run_svm_pio_kernel(ev, N(ev));

	cr_assert_eq(o.n, 0);
	cr_assert_eq(o.dropped[BD_DROP_EXTRA], 3);
	bd_out_free(&o);
}

Test(probe_segments, drops_are_named_by_reason_in_words)
{
	struct bd_out o = { .dropped = { [BD_DROP_MISSING] = 3, [BD_DROP_EXTRA] = 2048 } };
	char buf[128];

	cr_assert_eq(bd_out_drops_words(&o, buf, sizeof(buf)), strlen(buf));
	cr_assert_str_eq(buf, "3 missing a boundary event, 2048 with an extra exit");
	cr_assert_eq(bd_out_drops_words(&o, buf, 8), 7, "cut to the buffer");
	cr_assert_str_eq(buf, "3 missi");
	o = (struct bd_out){ 0 };
	cr_assert_eq(bd_out_drops_words(&o, buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "");
}

Test(probe_segments, the_kind_exit_reason_is_the_most_common_one)
{
	static const struct bd_event ev[] = {
		{ 110, E, 0 }, XK(200), { 250, E, 0 }, XINT(280), { 290, E, 0 }, XK(300), XIO(500),
		{ 990, U, 0 },
	};

	cr_assert_eq(bd_modal_exit_reason(ev, N(ev)), 10);
}

Test(probe_segments, segment_files_sit_beside_the_sample_file)
{
	char buf[64];

	cr_assert_eq(bd_file_name("r/kvm-pio.samples", "t0-entry", buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "r/kvm-pio.breakdown.t0-entry.samples");
	cr_assert_eq(bd_file_name("out", "trip", buf, sizeof(buf)), 0);
	cr_assert_str_eq(buf, "out.breakdown.trip.samples");
	cr_assert_eq(bd_file_name("a-very-long-name.samples", "entry-exit", buf, 20), -1);
}

Test(probe_segments, calibration_counts_each_window_once_per_event_type)
{
	static const struct bd_event ev[] = {
		{ 1050, K, 0 }, { 1060, K, 0 }, { 1090, U, 0 }, { 1500, X, 0 },
		{ 2200, U, 0 }, { 3050, K, 0 }, { 3070, U, 0 },
	};
	uint64_t windows = 0, seen[BD_EV_COUNT] = { 0 };

	bd_count(three, 3, ev, N(ev), &windows, seen);
	cr_assert_eq(windows, 3);
	cr_assert_eq(seen[E], 0);
	cr_assert_eq(seen[X], 0, "an event between windows is nobody's");
	cr_assert_eq(seen[K], 2);
	cr_assert_eq(seen[U], 3);
	/* A guest buffer's samples share one window. */
	windows = 0;
	memset(seen, 0, sizeof(seen));
	bd_count(buffer, 3, (const struct bd_event[]){ { 500, E, 0 } }, 1, &windows, seen);
	cr_assert_eq(windows, 1);
	cr_assert_eq(seen[E], 1);
}
