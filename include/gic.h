/* SPDX-License-Identifier: MIT */
/*
 * The GIC, as far as hypcore touches it (common/gic.c).  dom0 owns the GIC
 * (it is passed through: IRQs go straight to EL1); hypcore only uses one SGI
 * to wake an idle CPU from WFI when dom0's PSCI CPU_ON gives it a vcpu, so
 * that a waiting CPU sleeps instead of spinning in WFE (QEMU's TCG treats
 * WFE as a yield: a vCPU "waiting" in WFE burns a host thread).  Without a
 * usable GIC every call here is a no-op and idle CPUs wait in WFE for SEV.
 */
#ifndef HYPCORE_GIC_H
#define HYPCORE_GIC_H

#include <types.h>

/* The SGI hypcore sends; Linux uses SGIs 0-7 and Xen 0-2. */
#define GIC_WAKE_SGI 15

/*
 * gic_init: on the boot CPU, before the secondaries start: find the GIC in
 * the host DT, map what the wake needs, enable the distributor's forwarding
 * (as firmware would: dom0 re-initialises it anyway).  Prints one "gic:"
 * line, either what it found or why idle CPUs will wait in WFE instead.
 */
void gic_init(const void *fdt);

/*
 * gic_idle_prepare: on an idle CPU, each time it (re)enters the idle loop:
 * enable the wake SGI at its CPU interface and redistributor.  True when
 * this CPU may sleep in WFI (a gic_wake() will reach it).
 */
bool gic_idle_prepare(unsigned int cpu);

/*
 * gic_idle_ack: on an idle CPU woken (or about to check for work): clear its
 * pending wake SGI, completed at the GIC before this returns, so a wake sent
 * after it is never lost and one sent before it is never seen twice by dom0.
 */
void gic_idle_ack(unsigned int cpu);

/*
 * gic_wake: from any CPU, after publishing the work (dsb): wake cpu if it
 * sleeps in WFI.  A CPU not yet prepared needs no wake: it checks for work
 * before its first WFI.
 */
void gic_wake(unsigned int cpu);

#endif
