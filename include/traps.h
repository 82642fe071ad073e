/* SPDX-License-Identifier: MIT */
/* Exception reporting. */
#ifndef HYPCORE_TRAPS_H
#define HYPCORE_TRAPS_H

#include <arch/regs.h>

/*
 * do_trap: called by the arch exception entry with the saved frame and the
 * vector number; prints the decoded exception and every register, then
 * returns so the entry code parks the CPU.
 */
void do_trap(struct cpu_user_regs *regs, unsigned int vector);

#endif
