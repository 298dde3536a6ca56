/* SPDX-License-Identifier: GPL-2.0 */
/*
 * intr-exit: the external interrupt pending at every VM entry of a batch.
 * A self-IPI through the kernel's irq_work (IRQ_WORK_VECTOR), whose handler
 * only counts that it ran, so the test can hold that the host took the
 * interrupt exactly once per batch.
 */
#ifndef EXITLAT_INTR_H
#define EXITLAT_INTR_H

#include "exitlat.h"

/*
 * On the batch's CPU, interrupts off, before the first VM entry: raise the
 * self-IPI and wait (bounded by the batch's budget) until the local APIC
 * holds it in its IRR. Returns 0, or fails the batch with a logged reason.
 */
int exitlat_intr_raise(struct exitlat_batch *b);
/* Process context, after the batch: wait (bounded) for the handler; fill intr_handled. */
void exitlat_intr_collect(struct exitlat_batch *b);
/* Module exit: the handler has run (no irq_work of ours is left queued). */
void exitlat_intr_sync(void);

#endif
