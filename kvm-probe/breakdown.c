// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exitlat/exit_kind_table.h"
#include "exitlat/quantile.h"
#include "breakdown.h"
#include "layout.h"
#include "output.h"

#define EXIT_REFUSED		3
#define EXIT_INTERRUPTED	130

/* Each kind's own tracepoint, where KVM has one; hlt has none. */
static const struct {
	const char *event, *short_name;
} kind_events[EXITLAT_EXIT_NR] = {
	[EXITLAT_EXIT_PIO]		= { "kvm_pio",		"pio" },
	[EXITLAT_EXIT_MMIO]		= { "kvm_mmio",		"mmio" },
	[EXITLAT_EXIT_CPUID]		= { "kvm_cpuid",	"cpuid" },
	[EXITLAT_EXIT_HYPERCALL]	= { "kvm_hypercall",	"hypercall" },
};

int breakdown_check(struct breakdown *bd, unsigned int buffer_kb)
{
	*bd = (struct breakdown){ .buffer_kb = buffer_kb, .t.raw_fd = -1 };
	if (trace_find(&bd->t)) {
		fprintf(stderr, "kvm-probe: --breakdown: %s\n", bd->t.err);
		return EXIT_REFUSED;
	}
	bd->active = true;
	return 0;
}

/* A copy of @m that measures into fresh arrays, nothing counted yet. */
static int fresh_measure(struct measure *c, const struct measure *m, uint64_t n)
{
	*c = (struct measure){
		.kind = m->kind,
		.mode = m->mode,
		.verify = m->verify,
		.has_rdtscp = m->has_rdtscp,
		.vm = m->vm,
		.stats = m->stats,
		.samples = malloc(n * sizeof(uint64_t)),
		.trips = malloc(n * sizeof(struct bd_trip)),
	};
	return c->samples && c->trips ? 0 : -1;
}

static void free_measure(struct measure *c)
{
	free(c->samples);
	free(c->trips);
	c->samples = NULL;
	c->trips = NULL;
}

static int end_status(struct breakdown *bd, const struct measure *c, const char *what)
{
	bd->end = c->end;
	snprintf(bd->why, sizeof(bd->why), "%s", c->why);
	if (c->end == END_INTERRUPTED) {
		fprintf(stderr, "kvm-probe: --breakdown: interrupted during the %s\n", what);
		return EXIT_INTERRUPTED;
	}
	fprintf(stderr, "kvm-probe: --breakdown: the %s stopped: %s\n", what, c->why);
	return c->end == END_ERROR ? 1 : EXIT_REFUSED;
}

/* One traced stretch of @c up to c->target; its events into @ev. */
static int traced_run(struct breakdown *bd, struct measure *c, unsigned int mask,
		      struct bd_events *ev, uint64_t *lost)
{
	ev->n = 0;
	if (trace_start(&bd->t, mask)) {
		trace_stop(&bd->t);
		return -1;
	}
	measure_run(c);
	if (trace_stop(&bd->t))
		return -1;
	return trace_drain(&bd->t, ev, lost);
}

int breakdown_prepare(struct breakdown *bd, const struct measure *m, int cpu,
		      const char *backend)
{
	const struct exitlat_exit_info *e = &exitlat_exits[m->kind];
	bool guest = e->kvm_domain == EXITLAT_DOMAIN_GUEST;
	const char *names[BD_EV_COUNT] = {
		[BD_EV_ENTRY]	= "kvm_entry",
		[BD_EV_EXIT]	= "kvm_exit",
		[BD_EV_KIND]	= kind_events[m->kind].event,
		[BD_EV_UEXIT]	= "kvm_userspace_exit",
	};
	struct bd_events ev = { 0 };
	struct measure c;
	char why[256];
	uint64_t lost;
	int ret, status = 1;

	bd->cpu = cpu;
	/* The vCPU is this thread: KVM's events carry its thread id. */
	ret = trace_open(&bd->t, cpu, (pid_t)syscall(SYS_gettid), bd->buffer_kb, names);
	if (ret) {
		fprintf(stderr, "kvm-probe: --breakdown: %s\n", bd->t.err);
		return ret == -ENOENT ? EXIT_REFUSED : 1;
	}
	if (fresh_measure(&c, m, guest ? GUEST_BATCH : BREAKDOWN_CALIBRATION)) {
		fprintf(stderr, "kvm-probe: --breakdown: out of memory\n");
		goto out;
	}
	c.target = guest ? GUEST_BATCH : BREAKDOWN_CALIBRATION;
	if (traced_run(bd, &c, (1u << BD_EV_COUNT) - 1, &ev, &lost)) {
		fprintf(stderr, "kvm-probe: --breakdown: %s\n", bd->t.err);
		goto out;
	}
	if (c.end != END_DONE) {
		status = end_status(bd, &c, "calibration");
		goto out;
	}
	bd_count(c.trips, c.n, ev.v, ev.n, &bd->windows, bd->seen);
	if (bd_plan_make(&bd->plan, guest, GUEST_BATCH, kind_events[m->kind].event,
			 kind_events[m->kind].short_name, bd->windows, bd->seen, why,
			 sizeof(why))) {
		fprintf(stderr, "kvm-probe: --breakdown: %s: not split on %s: %s\n", e->name,
			backend, why);
		status = EXIT_REFUSED;
		goto out;
	}
	/* A guest buffer's 1,024 exits of the kind outnumber any other reason. */
	bd->plan.kind_reason = bd_modal_exit_reason(ev.v, ev.n);
	if (bd_out_init(&bd->out, &bd->plan, m->target)) {
		fprintf(stderr, "kvm-probe: --breakdown: out of memory\n");
		goto out;
	}
	status = 0;
out:
	free_measure(&c);
	bd_events_free(&ev);
	return status;
}

void breakdown_measure(struct breakdown *bd, const struct measure *m, xdec untraced_median)
{
	unsigned int mask = bd_plan_events(&bd->plan);
	struct bd_events ev = { 0 };
	struct exitlat_sample_stats st;
	struct measure c;
	uint64_t lost;

	bd->untraced_median = untraced_median;
	bd->requested = m->target;
	bd->end = END_ERROR;
	if (fresh_measure(&c, m, m->target)) {
		snprintf(bd->why, sizeof(bd->why), "out of memory for %llu traced samples",
			 (unsigned long long)m->target);
		goto out;
	}
	while (c.n < m->target) {
		uint64_t from = c.n;

		c.target = from + BREAKDOWN_CHUNK < m->target ? from + BREAKDOWN_CHUNK : m->target;
		c.warmup = BREAKDOWN_CHUNK_WARMUP;
		if (traced_run(bd, &c, mask, &ev, &lost)) {
			snprintf(bd->why, sizeof(bd->why), "%s", bd->t.err);
			goto out;
		}
		bd->lost += lost;
		bd_split(&bd->plan, c.samples + from, c.trips + from, c.n - from, ev.v, ev.n,
			 lost > 0, &bd->out);
		if (c.end != END_DONE)
			break;
	}
	bd->end = c.end;
	snprintf(bd->why, sizeof(bd->why), "%s", c.why);
	bd->traced_n = c.n;
	bd->counter_dropped = c.dropped;
	if (exitlat_sample_stats(c.samples, c.n, &st) == 0)
		bd->traced_median = st.median;
	bd->traced = c.samples;
	c.samples = NULL;
out:
	free_measure(&c);
	bd_events_free(&ev);
}

static int cost_keys(struct exitlat_header *h, const struct breakdown *bd)
{
	xdec d = bd->traced_median - bd->untraced_median;
	char um[XDEC_STR_MAX], tm[XDEC_STR_MAX], ds[XDEC_STR_MAX];
	int ret = 0;

	ret |= exitlat_header_set(h, "untraced_median", xdec_str(bd->untraced_median, um));
	ret |= exitlat_header_set(h, "traced_median", xdec_str(bd->traced_median, tm));
	ret |= exitlat_header_setf(h, "tracing_cost", "%s%s cycles (%+.1Lf %%) on the median, "
				   "same kind, same invocation", d >= 0 ? "+" : "", xdec_str(d, ds),
				   bd->untraced_median ? 100 * xdec_to_ld(d) /
				   xdec_to_ld(bd->untraced_median) : 0.0L);
	return ret;
}

/* "trip t0-entry entry-exit ..." into @buf. */
static void seg_list(const struct breakdown *bd, char *buf, size_t len)
{
	size_t used = snprintf(buf, len, "trip");

	for (unsigned int k = 0; k < bd->plan.nsegs && used < len; k++) {
		buf[used++] = ' ';
		bd_seg_name(&bd->plan, k, buf + used, len - used);
		used += strlen(buf + used);
	}
}

int breakdown_header(struct exitlat_header *h, const struct breakdown *bd, const char *path)
{
	char segs[256], name[512];
	int ret = 0;

	seg_list(bd, segs, sizeof(segs));
	ret |= exitlat_header_setf(h, "breakdown", "%d (docs/breakdown.md)", BREAKDOWN_FORMAT);
	ret |= exitlat_header_set(h, "breakdown_segments", segs);
	if (bd_file_name(path, "SEGMENT", name, sizeof(name)) == 0)
		ret |= exitlat_header_set(h, "breakdown_files", name);
	ret |= cost_keys(h, bd);
	return ret ? -1 : 0;
}

/* The event lists: which fired in the calibration, which did not, which this kernel lacks. */
static int event_keys(struct exitlat_header *h, const struct breakdown *bd)
{
	char fired[256] = "", silent[256] = "", absent[256] = "";
	int ret = 0;

	for (int k = 0; k < BD_EV_COUNT; k++) {
		char *list;

		if (!bd->t.names[k])
			continue;
		list = bd->t.ev[k].id < 0 ? absent : bd_fires(bd->windows, bd->seen[k]) ? fired :
		       silent;
		snprintf(list + strlen(list), 256 - strlen(list), "%s%s", *list ? " " : "",
			 bd->t.names[k]);
	}
	ret |= exitlat_header_set(h, "breakdown_events_fired", fired);
	ret |= exitlat_header_set(h, "breakdown_events_silent", silent);
	if (*absent)
		ret |= exitlat_header_set(h, "breakdown_events_absent", absent);
	if (bd->plan.guest_timed)
		ret |= exitlat_header_setf(h, "breakdown_kind_exit_reason", "%u (kvm_exit's "
					   "exit_reason most common in the calibration)",
					   bd->plan.kind_reason);
	ret |= exitlat_header_setf(h, "breakdown_calibration", "%llu traced %s, thrown away",
				   (unsigned long long)bd->windows,
				   bd->plan.guest_timed ? "guest buffers" : "round trips");
	return ret;
}

static int segment_keys(struct exitlat_header *h, const struct breakdown *bd, int k)
{
	char name[64], from[128], to[128], covers[512];
	bool merged = false;
	int ret = 0;

	if (k < 0) {
		snprintf(name, sizeof(name), "trip");
		snprintf(from, sizeof(from), "%s", bd->plan.guest_timed ?
			 "guest TSC before the instruction" : "t0 (host TSC before KVM_RUN)");
		snprintf(to, sizeof(to), "%s", bd->plan.guest_timed ?
			 "guest TSC after it" : "t1 (host TSC after KVM_RUN)");
		snprintf(covers, sizeof(covers), "the whole round trip, taken under tracing: "
			 "the sum of the segments");
	} else {
		bd_seg_name(&bd->plan, k, name, sizeof(name));
		bd_seg_ends(&bd->plan, k, from, to, sizeof(from));
		merged = bd_seg_covers(&bd->plan, k, covers, sizeof(covers));
	}
	ret |= exitlat_header_set(h, "breakdown_segment", name);
	ret |= exitlat_header_set(h, "breakdown_from", from);
	ret |= exitlat_header_set(h, "breakdown_to", to);
	ret |= exitlat_header_set(h, "breakdown_covers", covers);
	ret |= exitlat_header_set(h, "breakdown_merged", merged ? "yes" : "no");
	return ret;
}

/* "N (why, why)" as docs/sample-format.md has it; each reason also has its own key. */
static int dropped_key(struct exitlat_header *h, const struct breakdown *bd)
{
	const struct bd_out *o = &bd->out;
	char why[512];
	size_t used = bd_out_drops_words(o, why, sizeof(why));

	if (bd->counter_dropped && used < sizeof(why))
		snprintf(why + used, sizeof(why) - used, "%s%llu: " PROBE_DROP_REASON,
			 used ? ", " : "", (unsigned long long)bd->counter_dropped);
	if (!why[0])
		return exitlat_header_set(h, "dropped", "0");
	return exitlat_header_setf(h, "dropped", "%llu (%s)",
				   (unsigned long long)(bd_out_dropped(o) + bd->counter_dropped),
				   why);
}

static int set_keys(struct exitlat_header *h, const struct breakdown *bd)
{
	const struct bd_out *o = &bd->out;
	int ret = 0;

	ret |= exitlat_header_setf(h, "samples", "%llu", (unsigned long long)o->n);
	ret |= exitlat_header_setf(h, "samples_requested", "%llu",
				   (unsigned long long)bd->requested);
	ret |= dropped_key(h, bd);
	for (int d = 0; d < BD_DROP_COUNT; d++) {
		char key[64];

		snprintf(key, sizeof(key), "breakdown_dropped_%s", bd_drop_name(d));
		ret |= exitlat_header_setf(h, key, "%llu", (unsigned long long)o->dropped[d]);
	}
	ret |= exitlat_header_setf(h, "breakdown_dropped_exit_counter", "%llu",
				   (unsigned long long)bd->counter_dropped);
	ret |= exitlat_header_setf(h, "breakdown_lost_events", "%llu",
				   (unsigned long long)bd->lost);
	ret |= exitlat_header_setf(h, "breakdown_trace_buffer_kb", "%u", bd->buffer_kb);
	ret |= exitlat_header_setf(h, "breakdown_tracing", "taken under tracing: own tracefs "
				   "instance, trace clock x86-tsc, events filtered to the vCPU "
				   "thread on CPU %d", bd->cpu);
	ret |= event_keys(h, bd);
	ret |= cost_keys(h, bd);
	ret |= exitlat_header_set(h, "interrupted", bd->end == END_INTERRUPTED ? "yes" : "no");
	ret |= exitlat_header_set(h, "end", measure_end_name(bd->end));
	if (bd->why[0])
		ret |= exitlat_header_set(h, "end_reason", bd->why);
	return ret;
}

int breakdown_write(const struct breakdown *bd, const struct exitlat_header *base,
		    const char *path)
{
	char segs[256], name[PATH_MAX], err[EXITLAT_ERR_MAX];
	int ret = 0;

	seg_list(bd, segs, sizeof(segs));
	for (int k = -1; k < (int)bd->plan.nsegs && !ret; k++) {
		struct exitlat_header h = { 0 };
		char seg[64] = "trip";

		if (k >= 0)
			bd_seg_name(&bd->plan, k, seg, sizeof(seg));
		if (bd_file_name(path, seg, name, sizeof(name))) {
			fprintf(stderr, "kvm-probe: --breakdown: %s: name too long\n", path);
			return -1;
		}
		for (size_t i = 0; i < base->n && !ret; i++)
			ret = exitlat_header_set(&h, base->kv[i].key, base->kv[i].value);
		ret = ret || set_keys(&h, bd) ||
		      exitlat_header_setf(&h, "breakdown", "%d (docs/breakdown.md)",
					  BREAKDOWN_FORMAT) ||
		      exitlat_header_set(&h, "breakdown_segments", segs) ||
		      segment_keys(&h, bd, k) ? -1 : 0;
		if (ret)
			fprintf(stderr, "kvm-probe: out of memory\n");
		else if (exitlat_samples_save(name, &h, k < 0 ? bd->out.trip : bd->out.seg[k],
					      bd->out.n, err)) {
			fprintf(stderr, "kvm-probe: %s\n", err);
			ret = -1;
		}
		exitlat_header_free(&h);
	}
	return ret;
}

int breakdown_none_kept(const struct breakdown *bd, const char *kind, const char *backend)
{
	char why[512];
	size_t used;

	if (bd->out.n || !bd->traced_n)
		return 0;
	used = bd_out_drops_words(&bd->out, why, sizeof(why));
	if (bd->counter_dropped && used < sizeof(why))
		snprintf(why + used, sizeof(why) - used, "%s%llu: " PROBE_DROP_REASON,
			 used ? ", " : "", (unsigned long long)bd->counter_dropped);
	fprintf(stderr, "kvm-probe: --breakdown: %s: not split on %s: none of %llu traced "
		"samples kept (%s)\n", kind, backend, (unsigned long long)bd->traced_n, why);
	return EXIT_REFUSED;
}

void breakdown_summary(FILE *f, const struct breakdown *bd, const char *path)
{
	struct exitlat_sample_stats st;
	char name[PATH_MAX], seg[64], med[XDEC_STR_MAX];

	bd_file_name(path, "SEGMENT", name, sizeof(name));
	fprintf(f, "breakdown: %llu of %llu traced samples kept (%llu dropped), medians:",
		(unsigned long long)bd->out.n, (unsigned long long)bd->requested,
		(unsigned long long)bd_out_dropped(&bd->out));
	for (unsigned int k = 0; k < bd->plan.nsegs; k++) {
		bd_seg_name(&bd->plan, k, seg, sizeof(seg));
		if (exitlat_sample_stats(bd->out.seg[k], bd->out.n, &st))
			st.median = 0;
		fprintf(f, " %s %s", seg, xdec_str(st.median, med));
	}
	fprintf(f, "; traced median %s", xdec_str(bd->traced_median, med));
	fprintf(f, ", untraced %s; in %s\n", xdec_str(bd->untraced_median, med), name);
}

void breakdown_close(struct breakdown *bd)
{
	if (bd->active)
		trace_close(&bd->t);
}

void breakdown_free(struct breakdown *bd)
{
	breakdown_close(bd);
	bd_out_free(&bd->out);
	free(bd->traced);
	bd->traced = NULL;
	bd->active = false;
}
