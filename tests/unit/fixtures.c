// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Test data loaders: see fixtures.h. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"

struct fix_cpu fix_cpus[FIX_MAX_CPUS];
int fix_ncpus;
struct fix_host fix_hosts[FIX_MAX_HOSTS];
int fix_nhosts;

FILE *fix_open_data(const char *rel, char *err, size_t errlen)
{
	const char *top = getenv("EXITLAT_TOP");
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s%s%s", top ? top : "", top ? "/" : "", rel);
	f = fopen(path, "r");
	if (!f)
		snprintf(err, errlen, "cannot open %.300s: %s (run from the repository root or set "
			 "EXITLAT_TOP)", path, strerror(errno));
	return f;
}

static u64 *cpu_msr(struct vmx_caps *c, unsigned int idx)
{
	switch (idx) {
	case 0x480: return &c->basic;
	case 0x481: return &c->pinbased;
	case 0x482: return &c->procbased;
	case 0x483: return &c->exit;
	case 0x484: return &c->entry;
	case 0x485: return &c->misc;
	case 0x486: return &c->cr0_fixed0;
	case 0x487: return &c->cr0_fixed1;
	case 0x488: return &c->cr4_fixed0;
	case 0x489: return &c->cr4_fixed1;
	case 0x48b: return &c->procbased2;
	case 0x48c: return &c->ept_vpid;
	case 0x48d: return &c->true_pinbased;
	case 0x48e: return &c->true_procbased;
	case 0x48f: return &c->true_exit;
	case 0x490: return &c->true_entry;
	case 0x491: return &c->vmfunc;
	default: return NULL;	/* VMCS_ENUM: not used */
	}
}

static int load_cpus(struct fix_cpu *cpus, int max, char *err, size_t errlen)
{
	const char *rel = "tests/data/vmx-capability-msrs.txt";
	struct fix_cpu *c = NULL;
	char line[512];
	int n = 0, lineno = 0;
	FILE *f = fix_open_data(rel, err, errlen);

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char name[64];
		unsigned int idx;
		unsigned long long val;
		u64 *msr;

		lineno++;
		if (strncmp(line, "cpu: ", 5) == 0) {
			if (n == max) {
				snprintf(err, errlen, "%s:%d: more than %d CPUs", rel, lineno, max);
				goto fail;
			}
			c = &cpus[n++];
			memset(c, 0, sizeof(*c));
			snprintf(c->name, sizeof(c->name), "%.95s", line + 5);
			c->name[strcspn(c->name, "\n")] = 0;
			continue;
		}
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (!c || sscanf(line, "%63s %x %llx", name, &idx, &val) != 3) {
			snprintf(err, errlen, "%s:%d: expected 'NAME INDEX VALUE' after a 'cpu:' line",
				 rel, lineno);
			goto fail;
		}
		msr = cpu_msr(&c->caps, idx);
		if (msr)
			*msr = val;
	}
	fclose(f);
	return n;
fail:
	fclose(f);
	return -1;
}

static u64 *host_key(struct fix_host *h, const char *key)
{
	struct host_state *s = &h->hs;
	const struct { const char *name; u64 *val; } u64s[] = {
		{ "cr0", &s->cr0 }, { "cr3", &s->cr3 }, { "cr4", &s->cr4 },
		{ "efer", &s->efer }, { "pat", &s->pat }, { "gdt_base", &s->gdt_base },
		{ "idt_base", &s->idt_base }, { "fs_base", &s->fs_base },
		{ "gs_base", &s->gs_base }, { "kernel_gs_base", &s->kernel_gs_base },
		{ "sysenter_cs", &s->sysenter_cs }, { "sysenter_esp", &s->sysenter_esp },
		{ "sysenter_eip", &s->sysenter_eip }, { "star", &s->star },
		{ "lstar", &s->lstar }, { "cstar", &s->cstar }, { "sfmask", &s->sfmask },
	};
	size_t i;

	for (i = 0; i < sizeof(u64s) / sizeof(u64s[0]); i++)
		if (!strcmp(key, u64s[i].name))
			return u64s[i].val;
	return NULL;
}

static u16 *host_key16(struct fix_host *h, const char *key)
{
	static const char *const segs[HOST_SEG_NR] = { "es", "cs", "ss", "ds", "fs", "gs" };
	int i;

	for (i = 0; i < HOST_SEG_NR; i++)
		if (!strcmp(key, segs[i]))
			return &h->hs.sel[i];
	if (!strcmp(key, "tr"))
		return &h->hs.tr;
	if (!strcmp(key, "ldtr"))
		return &h->hs.ldtr;
	if (!strcmp(key, "gdt_limit"))
		return &h->hs.gdt_limit;
	if (!strcmp(key, "idt_limit"))
		return &h->hs.idt_limit;
	return NULL;
}

static int load_hosts(struct fix_host *hosts, int max, char *err, size_t errlen)
{
	const char *rel = "tests/data/linux-host-states.txt";
	struct fix_host *h = NULL;
	char line[512], key[64], arg[64];
	int n = 0, lineno = 0, i;
	unsigned int idx;
	FILE *f = fix_open_data(rel, err, errlen);

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long val;
		char *end;
		u64 *p64;
		u16 *p16;

		lineno++;
		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (sscanf(line, "%63s %63s", key, arg) != 2)
			goto malformed;
		if (!strcmp(key, "host:")) {
			if (n == max) {
				snprintf(err, errlen, "%s:%d: more than %d hosts", rel, lineno, max);
				goto fail;
			}
			h = &hosts[n++];
			memset(h, 0, sizeof(*h));
			snprintf(h->name, sizeof(h->name), "%.47s", arg);
			h->hs.gdt = h->gdt;
			continue;
		}
		if (!h)
			goto malformed;
		if (!strcmp(key, "like:")) {
			for (i = 0; i < n - 1 && strcmp(hosts[i].name, arg); i++)
				;
			if (i == n - 1) {
				snprintf(err, errlen, "%s:%d: no earlier host '%s'", rel, lineno, arg);
				goto fail;
			}
			memcpy(h->vendor, hosts[i].vendor, sizeof(h->vendor));
			memcpy(h->gdt, hosts[i].gdt, sizeof(h->gdt));
			h->hs = hosts[i].hs;
			h->hs.gdt = h->gdt;
			continue;
		}
		if (!strcmp(key, "vendor")) {
			snprintf(h->vendor, sizeof(h->vendor), "%.7s", arg);
			continue;
		}
		errno = 0;
		val = strtoull(arg, &end, 0);
		if (errno || *end)
			goto malformed;
		if (sscanf(key, "gdt.%u", &idx) == 1) {
			if (idx >= FIX_GDT_ENTRIES)
				goto malformed;
			h->gdt[idx] = val;
		} else if ((p64 = host_key(h, key))) {
			*p64 = val;
		} else if ((p16 = host_key16(h, key))) {
			*p16 = (u16)val;
		} else {
			goto malformed;
		}
	}
	fclose(f);
	return n;
malformed:
	snprintf(err, errlen, "%s:%d: not a host field: %.200s", rel, lineno, line);
fail:
	fclose(f);
	return -1;
}

void fix_init(void)
{
	char err[512];

	fix_ncpus = load_cpus(fix_cpus, FIX_MAX_CPUS, err, sizeof(err));
	cr_assert_gt(fix_ncpus, 0, "%s", err);
	fix_nhosts = load_hosts(fix_hosts, FIX_MAX_HOSTS, err, sizeof(err));
	cr_assert_gt(fix_nhosts, 0, "%s", err);
}

const struct fix_cpu *fix_cpu_named(const char *part)
{
	for (int i = 0; i < fix_ncpus; i++)
		if (strstr(fix_cpus[i].name, part))
			return &fix_cpus[i];
	cr_assert_fail("no CPU named '%s' in the data", part);
	return NULL;
}

const struct fix_host *fix_host_named(const char *name)
{
	for (int i = 0; i < fix_nhosts; i++)
		if (!strcmp(fix_hosts[i].name, name))
			return &fix_hosts[i];
	cr_assert_fail("no host '%s' in the data", name);
	return NULL;
}
