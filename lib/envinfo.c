// SPDX-License-Identifier: GPL-2.0 OR MIT
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "exitlat/envinfo.h"
#include "exitlat/version.h"

int exitlat_read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	char *nl;

	if (!f)
		return -1;
	if (!fgets(buf, len, f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	return 0;
}

/* The value of the first "KEY<tab>: value" line of /proc/cpuinfo. */
static int cpuinfo_value(const char *key, char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];
	size_t klen = strlen(key);
	int ret = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *colon;

		if (strncmp(line, key, klen) != 0 || (line[klen] != '\t' && line[klen] != ' '))
			continue;
		colon = strchr(line, ':');
		if (!colon)
			continue;
		colon += 1 + (colon[1] == ' ');
		colon[strcspn(colon, "\n")] = '\0';
		snprintf(buf, len, "%s", colon);
		ret = 0;
		break;
	}
	fclose(f);
	return ret;
}

const char *exitlat_env_emulated(void)
{
	static char name[64];
	char cmdline[4096];
	const char *env, *p;

	if (exitlat_read_line("/proc/cmdline", cmdline, sizeof(cmdline)) == 0) {
		p = strstr(cmdline, "exitlat.emulated=");
		if (p) {
			p += strlen("exitlat.emulated=");
			snprintf(name, sizeof(name), "%.*s", (int)strcspn(p, " "), p);
			if (name[0])
				return name;
		}
	}
	env = getenv("EXITLAT_EMULATED");
	if (env && *env)
		return env;
	return "no";
}

void exitlat_utc_iso8601(time_t t, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int exitlat_env_fill(struct exitlat_header *h, const char *tool)
{
	struct utsname u;
	char buf[512], host[256];
	int ret = 0;

	ret |= exitlat_header_setf(h, "tool", "%s %s", tool, EXITLAT_VERSION);
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	ret |= exitlat_header_set(h, "host", host);
	if (uname(&u) == 0)
		ret |= exitlat_header_setf(h, "kernel", "%s %s", u.release, u.version);
	ret |= exitlat_header_set(h, "cpu_model",
				  cpuinfo_value("model name", buf, sizeof(buf)) == 0 ? buf : "unknown");
	ret |= exitlat_header_set(h, "microcode",
				  cpuinfo_value("microcode", buf, sizeof(buf)) == 0 ? buf : "unknown");
	exitlat_utc_iso8601(time(NULL), buf, sizeof(buf));
	ret |= exitlat_header_set(h, "time", buf);
	ret |= exitlat_header_set(h, "emulated", exitlat_env_emulated());
	return ret ? -1 : 0;
}
