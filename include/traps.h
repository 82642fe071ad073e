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

/*
 * trap_print_abort: for an abort (EC 0x20/0x21/0x24/0x25), the fault status,
 * level and direction; and the stack-overflow line when far lies in this
 * CPU's stack guard page, or the interrupted sp lies below its stack inside
 * its per-CPU slot (off the exception stack), or, before per-CPU data, far
 * lies in the boot stack's guard page.  Common to both architectures'
 * do_trap().
 */
void trap_print_abort(unsigned int ec, unsigned int iss, u64 far, u64 sp);

#endif
