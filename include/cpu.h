/* SPDX-License-Identifier: MIT */
/* CPU-level hooks every architecture provides. */
#ifndef HYPCORE_CPU_H
#define HYPCORE_CPU_H

#include <lib.h>

/* park: stop this CPU for good, interrupts masked (head.S). */
void __noreturn park(void);

/*
 * smp_processor_id: the logical number of the running CPU.  Only the boot
 * CPU (0) runs until secondary bring-up exists.
 */
static inline unsigned int smp_processor_id(void)
{
    return 0;
}

/* The free-running system counter (ticks; 62.5 MHz on QEMU virt). */
u64 arch_counter(void);

#endif
