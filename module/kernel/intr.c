// SPDX-License-Identifier: GPL-2.0
/*
 * intr-exit's pending interrupt: see intr.h. Safety, rule by rule:
 * - The interrupt is the kernel's own IRQ_WORK_VECTOR, raised by the public
 *   irq_work_queue() (x86: apic->send_IPI_self), and its handler is the
 *   kernel's sysvec_irq_work running this module's callback, which only
 *   counts: nothing of the host's is ever consumed or faked.
 * - It stays pending through the batch: interrupts are off, VMX exits do
 *   not acknowledge it ("acknowledge interrupt on exit" off, vmx_controls.c)
 *   nor does #VMEXIT(INTR) (svm_intercepts.c). The host takes it when the
 *   batch re-enables interrupts, once: the IRR is one bit per vector.
 * - A batch raises at most one: irq_work_queue() refuses a work still
 *   queued, and the front end checks intr_handled == intr_raised.
 */
#define pr_fmt(fmt) "exitlat: " fmt

#include <linux/kernel.h>
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/irq_work.h>
#include <linux/smp.h>
#include <asm/apic.h>
#include <asm/irq_vectors.h>
#include <asm/irq_work.h>
#include <asm/msr.h>

#include "intr.h"

/* Polls of the handler after a batch, 50-100 us apart: at most about 1 s. */
#define INTR_COLLECT_POLLS	10000

static atomic_t intr_runs = ATOMIC_INIT(0);

static void exitlat_intr_fn(struct irq_work *work)
{
	atomic_inc(&intr_runs);
}

/* HARD: run from the interrupt itself, also on PREEMPT_RT (not from a thread). */
static struct irq_work intr_work = IRQ_WORK_INIT_HARD(exitlat_intr_fn);

/*
 * Whether the local APIC holds @vector in its IRR: the register read
 * directly (x2APIC MSR or the xAPIC page), as the kernel's
 * lapic_vector_set_in_irr(), whose apic_read() modules cannot call on 6.12.
 */
static bool intr_in_irr(unsigned int vector)
{
	u32 reg = APIC_IRR + vector / 32 * 0x10;
	u32 irr = x2apic_mode ? native_apic_msr_read(reg) : native_apic_mem_read(reg);

	return irr & BIT(vector % 32);
}

int exitlat_intr_raise(struct exitlat_batch *b)
{
	u64 start;

	if (!arch_irq_work_has_interrupt()) {
		pr_err_once("intr-exit: this kernel raises no interrupt for irq_work (no local APIC): the kind cannot run\n");
		exitlat_batch_fail(b, EXITLAT_STATUS_UNSUPPORTED);
		return -EOPNOTSUPP;
	}
	b->intr_base = atomic_read(&intr_runs);
	if (!irq_work_queue(&intr_work)) {
		/* the last batch's interrupt has not been handled: never raise a second */
		pr_err_ratelimited("intr-exit: the previous batch's self-IPI is still unhandled; batch refused\n");
		exitlat_batch_fail(b, EXITLAT_STATUS_SETUP);
		return -EBUSY;
	}
	b->out->intr_raised = 1;
	/* the IPI reaches the IRR asynchronously: wait for it, within the batch's budget */
	start = rdtsc_ordered();
	while (!intr_in_irr(IRQ_WORK_VECTOR)) {
		if (rdtsc() - start > b->budget_cycles) {
			pr_err_ratelimited("intr-exit: CPU %d: the self-IPI (vector 0x%x) did not reach the local APIC's IRR within the batch's budget: the kind cannot run here\n",
					   smp_processor_id(), IRQ_WORK_VECTOR);
			exitlat_batch_fail(b, EXITLAT_STATUS_UNSUPPORTED);
			return -ETIME;
		}
		cpu_relax();
	}
	return 0;
}

void exitlat_intr_collect(struct exitlat_batch *b)
{
	int i;

	if (!b->out->intr_raised)
		return;
	/* the handler ran when the batch's CPU re-enabled interrupts, or runs now */
	for (i = 0; i < INTR_COLLECT_POLLS && irq_work_is_busy(&intr_work); i++)
		usleep_range(50, 100);
	b->out->intr_handled = atomic_read(&intr_runs) - b->intr_base;
	if (irq_work_is_busy(&intr_work))
		pr_err_ratelimited("intr-exit: CPU %u has not handled the batch's self-IPI after a second\n",
				   b->out->cpu);
}

void exitlat_intr_sync(void)
{
	/* the callback is this module's code: it must not be queued past unload */
	irq_work_sync(&intr_work);
}
