/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The breakdown's arithmetic (docs/breakdown.md): KVM's tracepoints, stamped
 * with the TSC that kvm-probe reads, cut each round trip into segments. Pure
 * functions over plain arrays, so the unit tests feed them synthetic streams.
 *
 * Host-timed kinds (pio, mmio, hlt): a kept sample's window [t0, t1] must hold
 * each boundary event of the plan exactly once, in plan order; its segments
 * are t0 -> b1 -> ... -> bk -> t1 and add up to t1 - t0 exactly. Guest-timed
 * kinds (cpuid, hypercall): in a guest buffer's window, the i-th kvm_exit
 * with the kind's exit reason -> the next kvm_entry is KVM's handling of
 * instruction i, paired with the guest's round trip i; the rest of that round
 * trip is the other segment. An extra exit (another reason, or a return to
 * user space) between two of the kind's drops the instruction whose round
 * trip may hold it. The window's last exit, with no entry after it, is the
 * report's that returns to user space, never an instruction's (pio-kernel's
 * carries the report's reason). Anything else is dropped and counted by
 * reason, never guessed.
 */
#ifndef KVM_PROBE_SEGMENTS_H
#define KVM_PROBE_SEGMENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The KVM tracepoints a breakdown can use, in the order they fire in one trip. */
enum bd_ev {
	BD_EV_ENTRY,		/* kvm:kvm_entry */
	BD_EV_EXIT,		/* kvm:kvm_exit */
	BD_EV_KIND,		/* the kind's own: kvm_pio, kvm_mmio, kvm_cpuid, kvm_hypercall */
	BD_EV_UEXIT,		/* kvm:kvm_userspace_exit */
	BD_EV_COUNT,
};

struct bd_event {
	uint64_t ts;		/* trace clock x86-tsc: the TSC */
	uint32_t type;		/* enum bd_ev */
	uint32_t info;		/* kvm_exit: the exit reason; else 0 */
};

/* A growing array of events, in the order the ring buffer gave them. */
struct bd_events {
	struct bd_event *v;
	size_t n, cap;
};

int bd_events_push(struct bd_events *e, uint64_t ts, enum bd_ev type, uint32_t info);
void bd_events_free(struct bd_events *e);

/*
 * The host's window around one kept sample: host-timed, the two TSC reads
 * around its KVM_RUN; guest-timed, around the KVM_RUNs of its guest buffer,
 * with @index its place in that buffer.
 */
struct bd_trip {
	uint64_t t0, t1;
	uint32_t index;
};

/* Why a sample has no breakdown. */
enum bd_drop {
	BD_DROP_MISSING,	/* a boundary event is not there */
	BD_DROP_OVERRUN,	/* ... and the ring buffer lost events meanwhile */
	BD_DROP_ORDER,		/* all there, in the wrong order */
	BD_DROP_EXTRA,		/* an extra exit (or entry, or return to user space) */
	BD_DROP_COUNT,
};

#define BD_MAX_SEGS	(BD_EV_COUNT + 1)

struct bd_plan {
	bool guest_timed;
	unsigned int batch;		/* guest-timed: timed instructions per buffer */
	unsigned int nbounds;		/* host-timed: boundaries inside [t0, t1] */
	enum bd_ev bound[BD_EV_COUNT];
	unsigned int nsegs;
	const char *kind_event;		/* "kvm_pio", or NULL when the kind has none */
	const char *kind_short;		/* its name in segment names: "pio" */
	uint32_t kind_reason;		/* guest-timed: the kind's exit reason (calibration) */
};

/*
 * The plan from a calibration: @windows windows, @seen[i] of them held event
 * i. An event fires when at least half the windows held it. Host-timed: the
 * boundaries are kvm_entry, kvm_exit and kvm_userspace_exit where they fire;
 * the kind's event stands in only where kvm_exit does not fire (it then bounds
 * the merged span). Guest-timed: kvm_entry and kvm_exit must both fire.
 * Returns 0, or -1 when nothing can be split (@why says what fired).
 */
int bd_plan_make(struct bd_plan *p, bool guest_timed, unsigned int batch,
		 const char *kind_event, const char *kind_short, uint64_t windows,
		 const uint64_t seen[BD_EV_COUNT], char *why, size_t whylen);
bool bd_fires(uint64_t windows, uint64_t seen);
/* The events the plan needs in the measured run, as a bit mask of enum bd_ev. */
unsigned int bd_plan_events(const struct bd_plan *p);

/* Segment @i's name: "t0-entry", "entry-exit", "t0-pio", "exit-entry", "rest". */
void bd_seg_name(const struct bd_plan *p, unsigned int i, char *buf, size_t len);
/* Its two ends in words: "t0 (host TSC before KVM_RUN)", "kvm:kvm_entry". */
void bd_seg_ends(const struct bd_plan *p, unsigned int i, char *from, char *to, size_t len);
/*
 * What segment @i covers, in the four parts of a host-timed trip (user to VM
 * entry, in the guest, KVM's handling, back to user space) or the guest-timed
 * pair. Returns true when it merges more than one part.
 */
bool bd_seg_covers(const struct bd_plan *p, unsigned int i, char *buf, size_t len);

/* The kept samples, one column per segment, and what was dropped. */
struct bd_out {
	uint64_t n, cap;
	uint64_t *trip;			/* the round trip of each kept sample */
	uint64_t *seg[BD_MAX_SEGS];	/* seg[k][j]: segment k of kept sample j */
	uint64_t dropped[BD_DROP_COUNT];
	uint64_t *handling;		/* guest-timed scratch: one buffer's handling times */
	int8_t *hwhy;			/* ... and why an instruction has none (-1: it has) */
	unsigned int nsegs;
};

int bd_out_init(struct bd_out *o, const struct bd_plan *p, uint64_t cap);
void bd_out_free(struct bd_out *o);
uint64_t bd_out_dropped(const struct bd_out *o);
const char *bd_drop_name(enum bd_drop d);
/* The same in words: "with an extra exit". */
const char *bd_drop_words(enum bd_drop d);
/*
 * @o's drops by reason, in words: "2048 with an extra exit, 3 missing a
 * boundary event"; "" when none. Returns the length written.
 */
size_t bd_out_drops_words(const struct bd_out *o, char *buf, size_t len);

/*
 * The calibration: adds to *windows the distinct windows of @trips and to
 * seen[k] how many of them held an event of type k.
 */
void bd_count(const struct bd_trip *trips, size_t n, const struct bd_event *ev, size_t nev,
	      uint64_t *windows, uint64_t seen[BD_EV_COUNT]);

/* The exit reason most kvm_exit events in @ev carry: a guest buffer's kind. */
uint32_t bd_modal_exit_reason(const struct bd_event *ev, size_t nev);

/*
 * Splits @n kept samples (@samples: the round trips, @trips: their windows,
 * both in the order taken) with the events @ev (ring-buffer order) recorded
 * meanwhile; @lost: the ring buffer lost events while they were recorded.
 * Appends the kept ones to @o (which must have room for @n more) and counts
 * the rest in o->dropped.
 */
void bd_split(const struct bd_plan *p, const uint64_t *samples, const struct bd_trip *trips,
	      size_t n, const struct bd_event *ev, size_t nev, bool lost, struct bd_out *o);

/*
 * The file of segment @seg beside the sample file @path: "kvm-pio.samples"
 * -> "kvm-pio.breakdown.t0-entry.samples". Returns 0, or -1 when too long.
 */
int bd_file_name(const char *path, const char *seg, char *buf, size_t len);

#endif
