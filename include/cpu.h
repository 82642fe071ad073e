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
 * arch_paddr_bits: how many physical address bits hypcore can map: the
 * physical address size the CPU reports (arm64 ID_AA64MMFR0_EL1.PARange),
 * capped at what the output address of its descriptors holds (arm64 48
 * bits with 4 KiB pages; arm32 LPAE 40 bits).  Addresses from outside (RAM
 * banks, reservations, modules, the DTB) at or above 2^bits cannot be
 * reached: they are refused, never masked into an alias of low memory.
 * *@why (if not NULL) names the limit for messages.  Any CPU, any time.
 */
unsigned int arch_paddr_bits(const char **why);

/*
 * arch_clean_dcache_poc: clean [va, va + len) to the Point of Coherency,
 * for data written with caches on that a CPU will read with its MMU and
 * caches off (a guest's first instructions and its DTB).  Completes (DSB)
 * before returning.
 */
void arch_clean_dcache_poc(const void *va, size_t len);


#endif
