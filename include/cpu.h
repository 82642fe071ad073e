/* SPDX-License-Identifier: MIT */
/* CPU-level hooks every architecture provides. */
#ifndef HYPCORE_CPU_H
#define HYPCORE_CPU_H

#include <arch/sysregs.h>    /* dsb(), isb() */
#include <lib.h>

/* park: stop this CPU for good, interrupts masked (head.S). */
void __noreturn park(void);

/* smp_processor_id(): include/smp.h */
#include <smp.h>

/* The free-running system counter (ticks), and its frequency in Hz (common/smp.c). */
u64 arch_counter(void);
u64 arch_counter_freq(void);

/* This CPU's MPIDR. */
u64 arch_cpu_mpidr(void);

/*
 * arch_clean_dcache_poc: clean [va, va + len) to the Point of Coherency,
 * for data written with caches on that a CPU will read with its MMU and
 * caches off (a guest's first instructions and its DTB).  Completes (DSB)
 * before returning.
 */
void arch_clean_dcache_poc(const void *va, size_t len);


#endif
