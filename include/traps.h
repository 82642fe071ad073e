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

/*
 * fault_status_name: the fault status code of a data or instruction abort
 * (ISS.DFSC/IFSC, bits [5:0]; the same codes in the AArch64 ESR and the
 * LPAE HSR), as a short name.
 */
const char *fault_status_name(unsigned int fsc);

#endif
