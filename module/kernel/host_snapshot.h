/* SPDX-License-Identifier: GPL-2.0 */
/* The host-state snapshot of EXITLAT_IOC_SELF_CHECK (include/exitlat/ioctl.h). */
#ifndef EXITLAT_HOST_SNAPSHOT_H
#define EXITLAT_HOST_SNAPSHOT_H

#include <linux/types.h>

/*
 * On this CPU, interrupts off: every item of EXITLAT_HOST_STATE_ITEMS into
 * @v[item]; bit item of *@present is set when it could be read.
 */
void exitlat_host_snapshot(u64 *v, u64 *present);

#endif
