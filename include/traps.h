/* SPDX-License-Identifier: MIT */
/* Exception reporting. */
#ifndef HYPCORE_TRAPS_H
#define HYPCORE_TRAPS_H

#include <arch/regs.h>

/*
 * do_trap: called by the arch exception entry with the saved frame and the
 * vector number.  A data abort on probe_read32's load is fixed up: true,
 * and the entry code resumes from the frame (at probe_read32_fixup).
 * Anything else: prints the decoded exception and every register, and
 * returns false so the entry code parks the CPU.
 */
bool do_trap(struct cpu_user_regs *regs, unsigned int vector);

/*
 * probe_read32 (arch/<arch>/entry.S): read the word at @va into *@val; false,
 * with no trap dump, when the read aborts (nothing answers at that address).
 * For addresses only the loader or the DT vouches for.
 */
bool probe_read32(vaddr_t va, u32 *val);
extern const char probe_read32_insn[], probe_read32_fixup[];

/*
 * trap_fixup: for an exception taken at the hypervisor's own level, at
 * @elr, its frame pushed just below @sp (@frame_end = where the frame ends):
 * where to resume if it is a data abort on probe_read32's load, else 0.
 */
vaddr_t trap_fixup(vaddr_t elr, bool data_abort, vaddr_t sp, vaddr_t frame_end);

/*
 * fault_status_name: the fault status code of a data or instruction abort
 * (ISS.DFSC/IFSC, bits [5:0]; the same codes in the AArch64 ESR and the
 * LPAE HSR), as a short name.
 */
const char *fault_status_name(unsigned int fsc);

/* fault_status_has_level: whether the code's low two bits name a table level. */
bool fault_status_has_level(unsigned int fsc);

/*
 * trap_print_abort: for an abort (EC 0x20/0x21/0x24/0x25), the fault status,
 * level and direction; and the stack-overflow line when far lies in this
 * CPU's stack guard page, or the interrupted sp lies below its stack inside
 * its per-CPU slot (off the exception stack), or, before per-CPU data, far
 * lies in the boot stack's guard page.  Common to both architectures'
 * do_trap().
 */
void trap_print_abort(unsigned int ec, unsigned int iss, u64 far, u64 sp);

/*
 * boot_step_begin/end: the boot CPU marks the steps that touch memory only
 * the DT vouches for (the DTB at the loader's pointer, the page metadata in
 * a RAM bank), so that an abort in one names it (trap_print_abort()):
 *   trap: while <what> 0x<start>-0x<end> (in RAM bank 0x…-0x… of the DT): <hint>
 * Boot CPU only, before the secondaries start; not nested.
 */
void boot_step_begin(const char *what, paddr_t pa, u64 size, const char *hint);
void boot_step_end(void);

/* The most frames trap_print_trace() follows. */
#define TRAP_TRACE_DEPTH 32

/*
 * trap_print_trace: the "trap: PC" and "trap: LR" lines, each address named
 * function+offset from the embedded symbol table (include/symbols.h), then
 * the call trace: the return address of each frame record from fp on,
 * following the chain (arch/regs.h: FRAME_*) while every record lies wholly
 * inside the one stack of this CPU that holds fp (its per-CPU stack, or the
 * boot stack for the boot CPU) and each is strictly above the last, for at
 * most TRAP_TRACE_DEPTH frames; a last line says why it ended.  Reads
 * nothing but that stack and the image, so it cannot fault.  Common to both
 * architectures' do_trap().
 */
void trap_print_trace(vaddr_t pc, vaddr_t lr, vaddr_t fp);

#endif
