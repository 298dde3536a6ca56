// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "segments.h"

int bd_events_push(struct bd_events *e, uint64_t ts, enum bd_ev type, uint32_t info)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? 2 * e->cap : 4096;
		struct bd_event *v = realloc(e->v, cap * sizeof(*v));

		if (!v)
			return -1;
		e->v = v;
		e->cap = cap;
	}
	e->v[e->n++] = (struct bd_event){ .ts = ts, .type = type, .info = info };
	return 0;
}

void bd_events_free(struct bd_events *e)
{
	free(e->v);
	*e = (struct bd_events){ 0 };
}

bool bd_fires(uint64_t windows, uint64_t seen)
{
	return windows && 2 * seen >= windows;
}

static const char *const ev_names[BD_EV_COUNT] = {
	[BD_EV_ENTRY]	= "kvm_entry",
	[BD_EV_EXIT]	= "kvm_exit",
	[BD_EV_KIND]	= NULL,		/* the plan's kind_event */
	[BD_EV_UEXIT]	= "kvm_userspace_exit",
};

static const char *ev_name(const struct bd_plan *p, enum bd_ev e)
{
	return e == BD_EV_KIND ? p->kind_event : ev_names[e];
}

int bd_plan_make(struct bd_plan *p, bool guest_timed, unsigned int batch,
		 const char *kind_event, const char *kind_short, uint64_t windows,
		 const uint64_t seen[BD_EV_COUNT], char *why, size_t whylen)
{
	bool fires[BD_EV_COUNT];

	*p = (struct bd_plan){
		.guest_timed = guest_timed,
		.batch = batch,
		.kind_event = kind_event,
		.kind_short = kind_short,
	};
	for (int e = 0; e < BD_EV_COUNT; e++)
		fires[e] = bd_fires(windows, seen[e]) && (e != BD_EV_KIND || kind_event);
	if (guest_timed) {
		if (!fires[BD_EV_ENTRY] || !fires[BD_EV_EXIT]) {
			snprintf(why, whylen, "kvm_entry %s and kvm_exit %s: KVM's handling of a "
				 "guest-timed exit has no boundaries here",
				 fires[BD_EV_ENTRY] ? "fires" : "does not fire",
				 fires[BD_EV_EXIT] ? "fires" : "does not fire");
			return -1;
		}
		/* kvm_userspace_exit, where it fires, closes each buffer. */
		p->bound[p->nbounds++] = BD_EV_ENTRY;
		p->bound[p->nbounds++] = BD_EV_EXIT;
		if (fires[BD_EV_UEXIT])
			p->bound[p->nbounds++] = BD_EV_UEXIT;
		p->nsegs = 2;
		return 0;
	}
	if (fires[BD_EV_ENTRY])
		p->bound[p->nbounds++] = BD_EV_ENTRY;
	if (fires[BD_EV_EXIT])
		p->bound[p->nbounds++] = BD_EV_EXIT;
	else if (fires[BD_EV_KIND])
		p->bound[p->nbounds++] = BD_EV_KIND;
	if (fires[BD_EV_UEXIT])
		p->bound[p->nbounds++] = BD_EV_UEXIT;
	if (!p->nbounds) {
		snprintf(why, whylen, "none of kvm_entry, kvm_exit, %s, kvm_userspace_exit fired "
			 "inside the round trips", kind_event ? kind_event : "(no kind event)");
		return -1;
	}
	p->nsegs = p->nbounds + 1;
	return 0;
}

unsigned int bd_plan_events(const struct bd_plan *p)
{
	unsigned int mask = 0;

	for (unsigned int i = 0; i < p->nbounds; i++)
		mask |= 1u << p->bound[i];
	return mask;
}

/* Host-timed segment i runs from end i to end i + 1; end 0 is t0, the last t1. */
static const char *end_short(const struct bd_plan *p, unsigned int end)
{
	static const char *const shorts[BD_EV_COUNT] = {
		[BD_EV_ENTRY] = "entry", [BD_EV_EXIT] = "exit", [BD_EV_UEXIT] = "uexit",
	};
	enum bd_ev e;

	if (end == 0)
		return "t0";
	if (end > p->nbounds)
		return "t1";
	e = p->bound[end - 1];
	return e == BD_EV_KIND ? p->kind_short : shorts[e];
}

void bd_seg_name(const struct bd_plan *p, unsigned int i, char *buf, size_t len)
{
	if (p->guest_timed)
		snprintf(buf, len, "%s", i == 0 ? "exit-entry" : "rest");
	else
		snprintf(buf, len, "%s-%s", end_short(p, i), end_short(p, i + 1));
}

static void end_words(const struct bd_plan *p, unsigned int end, char *buf, size_t len)
{
	if (end == 0)
		snprintf(buf, len, "t0 (host TSC before KVM_RUN)");
	else if (end > p->nbounds)
		snprintf(buf, len, "t1 (host TSC after KVM_RUN)");
	else
		snprintf(buf, len, "kvm:%s", ev_name(p, p->bound[end - 1]));
}

void bd_seg_ends(const struct bd_plan *p, unsigned int i, char *from, char *to, size_t len)
{
	if (p->guest_timed && i == 0) {
		snprintf(from, len, "kvm:kvm_exit");
		snprintf(to, len, "kvm:kvm_entry (the next one)");
	} else if (p->guest_timed) {
		snprintf(from, len, "guest TSC before the instruction");
		snprintf(to, len, "guest TSC after it, less exit-entry");
	} else {
		end_words(p, i, from, len);
		end_words(p, i + 1, to, len);
	}
}

/*
 * Where each end sits among the four parts of a host-timed trip, in half
 * parts: part k spans [2k, 2k + 2]. The kind's event fires inside KVM's
 * handling (part 2), so it sits at an odd place: it cuts that part in two.
 */
static unsigned int end_place(const struct bd_plan *p, unsigned int end)
{
	static const unsigned int place[BD_EV_COUNT] = {
		[BD_EV_ENTRY] = 2, [BD_EV_EXIT] = 4, [BD_EV_KIND] = 5, [BD_EV_UEXIT] = 6,
	};

	if (end == 0)
		return 0;
	if (end > p->nbounds)
		return 8;
	return place[p->bound[end - 1]];
}

bool bd_seg_covers(const struct bd_plan *p, unsigned int i, char *buf, size_t len)
{
	static const char *const parts[4] = {
		"user space to VM entry",
		"in the guest (VM entry, the instruction, VM exit)",
		"KVM's handling",
		"back to user space",
	};
	unsigned int a, b, n = 0;
	size_t used = 0;

	if (p->guest_timed) {
		snprintf(buf, len, "%s", i == 0 ?
			 "KVM's handling of one exit (kvm_exit to the next kvm_entry)" :
			 "the rest of the guest-timed round trip: VM exit and entry in hardware, "
			 "the instruction, the guest's TSC reads");
		return false;
	}
	a = end_place(p, i);
	b = end_place(p, i + 1);
	buf[0] = '\0';
	for (unsigned int k = 0; k < 4; k++) {
		unsigned int lo = 2 * k, hi = 2 * k + 2;
		const char *cut = "";

		if (b <= lo || a >= hi)
			continue;
		if (a > lo)
			cut = " (from kvm:";
		else if (b < hi)
			cut = " (up to kvm:";
		used += snprintf(buf + used, used < len ? len - used : 0, "%s%s%s%s%s",
				 n ? " + " : "", parts[k], cut, *cut ? p->kind_event : "",
				 *cut ? ")" : "");
		n++;
	}
	return n > 1;
}

/* Each reason's key suffix and its words, one row per enum bd_drop. */
static const struct {
	const char *name, *words;
} drops[] = {
	[BD_DROP_MISSING]	= { "missing_events",	"missing a boundary event" },
	[BD_DROP_OVERRUN]	= { "overrun",		"missing events the ring buffer lost" },
	[BD_DROP_ORDER]		= { "out_of_order",	"with events out of order" },
	[BD_DROP_EXTRA]		= { "extra_exit",	"with an extra exit" },
};
_Static_assert(sizeof(drops) / sizeof(drops[0]) == BD_DROP_COUNT, "one row per drop reason");

const char *bd_drop_name(enum bd_drop d)
{
	return (unsigned int)d < BD_DROP_COUNT ? drops[d].name : "unknown";
}

const char *bd_drop_words(enum bd_drop d)
{
	return (unsigned int)d < BD_DROP_COUNT ? drops[d].words : "unknown";
}

size_t bd_out_drops_words(const struct bd_out *o, char *buf, size_t len)
{
	size_t used = 0;

	if (len)
		buf[0] = '\0';
	for (int d = 0; d < BD_DROP_COUNT; d++)
		if (o->dropped[d] && used < len)
			used += snprintf(buf + used, len - used, "%s%llu %s", used ? ", " : "",
					 (unsigned long long)o->dropped[d], bd_drop_words(d));
	return used < len ? used : len ? len - 1 : 0;
}

int bd_out_init(struct bd_out *o, const struct bd_plan *p, uint64_t cap)
{
	*o = (struct bd_out){ .cap = cap, .nsegs = p->nsegs };
	o->trip = malloc((cap ? cap : 1) * sizeof(uint64_t));
	if (!o->trip)
		goto fail;
	for (unsigned int k = 0; k < p->nsegs; k++) {
		o->seg[k] = malloc((cap ? cap : 1) * sizeof(uint64_t));
		if (!o->seg[k])
			goto fail;
	}
	if (p->guest_timed) {
		o->handling = malloc((p->batch ? p->batch : 1) * sizeof(uint64_t));
		o->hwhy = malloc(p->batch ? p->batch : 1);
		if (!o->handling || !o->hwhy)
			goto fail;
	}
	return 0;
fail:
	bd_out_free(o);
	return -1;
}

void bd_out_free(struct bd_out *o)
{
	free(o->trip);
	for (unsigned int k = 0; k < BD_MAX_SEGS; k++)
		free(o->seg[k]);
	free(o->handling);
	free(o->hwhy);
	*o = (struct bd_out){ 0 };
}

uint64_t bd_out_dropped(const struct bd_out *o)
{
	uint64_t n = 0;

	for (int d = 0; d < BD_DROP_COUNT; d++)
		n += o->dropped[d];
	return n;
}

/* The events inside [t0, t1], from *pos on; *pos moves past those before t0. */
static size_t window(const struct bd_event *ev, size_t nev, size_t *pos, uint64_t t0,
		     uint64_t t1, size_t *first)
{
	size_t i = *pos;

	while (i < nev && ev[i].ts < t0)
		i++;
	*pos = i;
	*first = i;
	while (i < nev && ev[i].ts <= t1)
		i++;
	return i - *first;
}

void bd_count(const struct bd_trip *trips, size_t n, const struct bd_event *ev, size_t nev,
	      uint64_t *windows, uint64_t seen[BD_EV_COUNT])
{
	size_t pos = 0, first, nw;

	for (size_t j = 0; j < n; j++) {
		bool in[BD_EV_COUNT] = { false };

		if (j && trips[j].t0 == trips[j - 1].t0 && trips[j].t1 == trips[j - 1].t1)
			continue;
		nw = window(ev, nev, &pos, trips[j].t0, trips[j].t1, &first);
		for (size_t i = first; i < first + nw; i++)
			if (ev[i].type < BD_EV_COUNT)
				in[ev[i].type] = true;
		for (int k = 0; k < BD_EV_COUNT; k++)
			seen[k] += in[k];
		(*windows)++;
	}
}

/* Missing, extra or misordered against the expected count of each type. */
static int judge(const struct bd_event *w, size_t nw, const unsigned int want[BD_EV_COUNT],
		 bool lost)
{
	unsigned int got[BD_EV_COUNT] = { 0 };
	bool short_of = false;

	for (size_t i = 0; i < nw; i++)
		if (w[i].type < BD_EV_COUNT)
			got[w[i].type]++;
	for (int e = 0; e < BD_EV_COUNT; e++)
		if (got[e] > want[e])
			return BD_DROP_EXTRA;
	for (int e = 0; e < BD_EV_COUNT; e++)
		short_of |= got[e] < want[e];
	if (short_of)
		return lost ? BD_DROP_OVERRUN : BD_DROP_MISSING;
	for (size_t i = 1; i < nw; i++)
		if (w[i].ts < w[i - 1].ts)
			return BD_DROP_ORDER;
	return -1;
}

static void keep(struct bd_out *o, uint64_t trip, const uint64_t *seg)
{
	o->trip[o->n] = trip;
	for (unsigned int k = 0; k < o->nsegs; k++)
		o->seg[k][o->n] = seg[k];
	o->n++;
}

static int split_host_one(const struct bd_plan *p, const struct bd_trip *t,
			  const struct bd_event *w, size_t nw, bool lost, uint64_t *seg)
{
	unsigned int want[BD_EV_COUNT] = { 0 };
	uint64_t prev = t->t0;
	int why;

	for (unsigned int b = 0; b < p->nbounds; b++)
		want[p->bound[b]] = 1;
	why = judge(w, nw, want, lost);
	if (why >= 0)
		return why;
	for (unsigned int b = 0; b < p->nbounds; b++) {
		if (w[b].type != p->bound[b])
			return BD_DROP_ORDER;
		seg[b] = w[b].ts - prev;
		prev = w[b].ts;
	}
	seg[p->nbounds] = t->t1 - prev;
	return -1;
}

uint32_t bd_modal_exit_reason(const struct bd_event *ev, size_t nev)
{
	struct {
		uint32_t reason;
		uint64_t n;
	} seen[16] = { { 0 } };
	unsigned int nseen = 0, best = 0;

	for (size_t i = 0; i < nev; i++) {
		unsigned int k;

		if (ev[i].type != BD_EV_EXIT)
			continue;
		for (k = 0; k < nseen && seen[k].reason != ev[i].info; k++)
			;
		if (k == nseen && nseen == 16)
			continue;	/* a rare reason among many: not the kind's */
		seen[k].reason = ev[i].info;
		if (seen[k].n++ == 0)
			nseen++;
		if (seen[k].n > seen[best].n)
			best = k;
	}
	return seen[best].reason;
}

/*
 * The exit that ends the buffer's last KVM_RUN: the window's last kvm_exit
 * when no kvm_entry follows it; nw when there is none.
 */
static size_t closing_exit(const struct bd_event *w, size_t nw)
{
	for (size_t k = nw; k-- > 0;) {
		if (w[k].type == BD_EV_ENTRY)
			return nw;
		if (w[k].type == BD_EV_EXIT)
			return k;
	}
	return nw;
}

/*
 * One guest buffer: handling[i] and hwhy[i] for each instruction. The guest's
 * round trip i lies after the entry that follows the kind's exit i - 1 and
 * before its own exit i: another exit or a return to user space in between
 * may be inside it. The exit that closes the buffer (the report's OUT) is no
 * instruction's, even where it carries the kind's reason: pio-kernel and
 * ioeventfd-pio exit with IO_INSTRUCTION (VMX 30, SVM 0x7b) as the report does.
 * Returns a reason for the whole buffer, or -1.
 */
static int split_guest_buffer(const struct bd_plan *p, const struct bd_event *w, size_t nw,
			      bool lost, uint64_t *handling, int8_t *hwhy)
{
	unsigned int i = 0;
	bool tainted = false, open = false;
	uint64_t exit_ts = 0;
	size_t close = closing_exit(w, nw);

	for (size_t k = 1; k < nw; k++)
		if (w[k].ts < w[k - 1].ts)
			return BD_DROP_ORDER;
	for (size_t k = 0; k < nw; k++) {
		if (k == close)
			continue;
		switch (w[k].type) {
		case BD_EV_ENTRY:
			if (open) {
				handling[i - 1] = w[k].ts - exit_ts;
				hwhy[i - 1] = -1;
			}
			open = false;
			break;
		case BD_EV_EXIT:
			if (open)	/* an exit with no entry since the last */
				return BD_DROP_ORDER;
			if (w[k].info == p->kind_reason && i < p->batch) {
				/* Until the entry that closes its handling comes. */
				hwhy[i] = tainted ? BD_DROP_EXTRA :
					  lost ? BD_DROP_OVERRUN : BD_DROP_MISSING;
				exit_ts = w[k].ts;
				open = !tainted;
				tainted = false;
				i++;
			} else if (w[k].info == p->kind_reason) {
				/* More of the kind than instructions. */
				return BD_DROP_EXTRA;
			} else {
				/* Another reason (the report's is the last one). */
				tainted = true;
			}
			break;
		case BD_EV_UEXIT:
			tainted = true;		/* KVM_RUN came back inside (EINTR) */
			break;
		}
	}
	for (; i < p->batch; i++)
		hwhy[i] = lost ? BD_DROP_OVERRUN : BD_DROP_MISSING;
	return -1;
}

void bd_split(const struct bd_plan *p, const uint64_t *samples, const struct bd_trip *trips,
	      size_t n, const struct bd_event *ev, size_t nev, bool lost, struct bd_out *o)
{
	uint64_t seg[BD_MAX_SEGS];
	size_t pos = 0, first, nw;
	int why, buffer_why = -1;

	for (size_t j = 0; j < n; j++) {
		const struct bd_trip *t = &trips[j];

		if (!p->guest_timed) {
			nw = window(ev, nev, &pos, t->t0, t->t1, &first);
			why = split_host_one(p, t, ev + first, nw, lost, seg);
		} else {
			/* A buffer's samples share its window: judge it once. */
			if (j == 0 || t->t0 != trips[j - 1].t0 || t->t1 != trips[j - 1].t1) {
				nw = window(ev, nev, &pos, t->t0, t->t1, &first);
				buffer_why = split_guest_buffer(p, ev + first, nw, lost,
								o->handling, o->hwhy);
			}
			why = buffer_why;
			if (why < 0 && t->index >= p->batch)
				why = BD_DROP_MISSING;
			if (why < 0)
				why = o->hwhy[t->index];
			/* The handling lies inside the guest's two TSC reads. */
			if (why < 0 && o->handling[t->index] > samples[j])
				why = BD_DROP_ORDER;
			if (why < 0) {
				seg[0] = o->handling[t->index];
				seg[1] = samples[j] - seg[0];
			}
		}
		if (why >= 0) {
			o->dropped[why]++;
			continue;
		}
		keep(o, p->guest_timed ? samples[j] : t->t1 - t->t0, seg);
	}
}

int bd_file_name(const char *path, const char *seg, char *buf, size_t len)
{
	static const char ext[] = ".samples";
	size_t n = strlen(path), e = sizeof(ext) - 1;
	int r;

	if (n > e && !strcmp(path + n - e, ext))
		n -= e;
	r = snprintf(buf, len, "%.*s.breakdown.%s%s", (int)n, path, seg, ext);
	return r < 0 || (size_t)r >= len ? -1 : 0;
}
