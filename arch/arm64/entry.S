/* SPDX-License-Identifier: MIT */
/*
 * arch/arm64/entry.S: the runtime EL2 exception vectors.
 *
 * Every exception is unexpected in this boot core: save the registers in a
 * struct cpu_user_regs frame on the current stack, and let do_trap() print
 * the dump and park the CPU.
 *
 * An exception taken at EL2 on SP_EL2 first checks for a blown stack: when
 * the frame would not fit above the bottom of the CPU's stack, pushing it
 * would fault again, forever, or land in whatever lies below, so the frame
 * goes on the per-CPU exception stack instead (see trap_entry_el2 for what
 * counts as blown).  That check needs scratch registers before anything is
 * saved: SP_EL0,
 * TPIDRRO_EL0 and TPIDR_EL0, which belong to EL0 and which hypcore (with no
 * EL0 of its own) does not use.  Exceptions from a guest (lower EL) must not
 * go through it: those registers are the guest's.
 *
 * A synchronous exception from a guest at EL1 (AArch64) is handled and the
 * guest resumed: while a guest runs, SP_EL2 is the top of its CPU's stack,
 * so the frame pushed there is the vcpu's register frame (as in Xen,
 * guest_cpu_user_regs()).  Any other exception from a guest (IRQ, FIQ and
 * SError go to EL1 with HCR_EL2.IMO/FMO/AMO = 0; AArch32 EL1 is never
 * entered) is unexpected and dumped like one at EL2.
 */
#include <arch/asm.h>
#include <arch/pgtable.h>
#include <asm-offsets.h>
#include <layout.h>

/* Vector numbers passed to do_trap(): (group << 2) | type. */
#define VEC_SYNC    0
#define VEC_IRQ     1
#define VEC_FIQ     2
#define VEC_SERROR  3

/*
 * save_x4_x29: store x4..x29 into the struct cpu_user_regs frame at SP;
 * save_exception_regs: ELR, SPSR, ESR and FAR of EL2 into the same frame,
 * through the two scratch registers named.  One copy each for the EL2 trap
 * path and the guest path.
 */
.macro save_pair a, b
        stp     x\a, x\b, [sp, #REGS_X0 + \a * 8]
.endm

.macro save_x4_x29
        save_pair 4, 5
        save_pair 6, 7
        save_pair 8, 9
        save_pair 10, 11
        save_pair 12, 13
        save_pair 14, 15
        save_pair 16, 17
        save_pair 18, 19
        save_pair 20, 21
        save_pair 22, 23
        save_pair 24, 25
        save_pair 26, 27
        save_pair 28, 29
.endm

.macro save_exception_regs t0, t1
        mrs     \t0, elr_el2
        mrs     \t1, spsr_el2
        stp     \t0, \t1, [sp, #REGS_ELR]
        mrs     \t0, esr_el2
        mrs     \t1, far_el2
        stp     \t0, \t1, [sp, #REGS_ESR]
.endm

.macro vector group, type
        .balign 0x80
    .if \group == 2 && \type == VEC_SYNC
        b       guest_sync_entry            /* a guest's HVC, SMC or stage-2 abort */
    .elseif \group == 1
        msr     sp_el0, x0                  /* stash x0 */
        mov     x0, #((\group << 2) | \type)
        b       trap_entry_el2
    .else
        sub     sp, sp, #REGS_SIZE
        stp     x0, x1, [sp, #REGS_X0]
        mov     x1, #((\group << 2) | \type)
        b       trap_entry
    .endif
.endm

        .text
        .balign 0x800
FUNC(hyp_vectors)
        /* group 0: current EL with SP_EL0; 1: current EL with SP_ELx;
         * 2: lower EL, AArch64; 3: lower EL, AArch32 */
        .irp group, 0, 1, 2, 3
        vector \group, VEC_SYNC
        vector \group, VEC_IRQ
        vector \group, VEC_FIQ
        vector \group, VEC_SERROR
        .endr
END(hyp_vectors)

/*
 * trap_entry_el2: an exception at EL2 on SP_EL2.  Picks the stack for the
 * frame, then builds the same frame as trap_entry (SP saved as it was).
 *
 * With per-CPU data (TPIDR_EL2), the stack is blown when the frame does
 * not fit above its bottom: SP anywhere below bottom + REGS_SIZE, down to
 * the start of the per-CPU slot.  Not only SP inside the guard page: a
 * frame larger than a page steps over the guard without touching it, and
 * an SP in the guard's lowest bytes leaves no room for the frame either;
 * each nested abort would then lower SP by a frame until the frames land
 * in mapped per-CPU pages (its tables, its window).  Exception: SP on the
 * exception stack with room for a frame is a trap taken while reporting
 * one, and stays there.  Below the slot, SP is not this CPU's stack at
 * all: the frame goes where SP is.
 *
 * Before per-CPU data (the boot CPU on its BSS boot stack), the stack is
 * blown when the frame would touch that stack's guard page; the report
 * then runs from the boot stack's top, over frames no one will return to.
 *
 * Inputs: x0 = vector number, SP_EL0 = the interrupted x0.  Never returns.
 */
FUNC_LOCAL(trap_entry_el2)
        msr     tpidrro_el0, x1             /* stash x1 */
        mov     x1, sp
        msr     tpidr_el0, x1               /* stash the interrupted SP */
        mrs     x1, tpidr_el2
        cbz     x1, 5f                      /* no per-CPU stack yet (early boot CPU) */
        ldr     x1, [x1, #CPU_GUARD_VA]
        add     x1, x1, #PAGE_SIZE
        add     x1, x1, #REGS_SIZE          /* x1 := lowest SP that fits a frame on the stack */
        cmp     sp, x1
        b.hs    1f                          /* it fits: no overflow */
        mrs     x1, tpidr_el2
        ldr     x1, [x1, #CPU_SLOT_VA]      /* x1 := start of the per-CPU slot */
        cmp     sp, x1
        b.lo    1f                          /* below the slot: not a stack of ours */
        add     x1, x1, #(PERCPU_EXC_STACK_PAGE + 1) * PAGE_SIZE /* x1 := exception stack top */
        cmp     sp, x1
        b.hi    2f                          /* between it and the stack: overflow */
        sub     x1, x1, #PAGE_SIZE - REGS_SIZE /* x1 := lowest SP that fits a frame there */
        cmp     sp, x1
        b.hs    1f                          /* a trap while reporting one: stay */
2:      mrs     x1, tpidr_el2
        ldr     x1, [x1, #CPU_SLOT_VA]
        add     x1, x1, #(PERCPU_EXC_STACK_PAGE + 1) * PAGE_SIZE
        mov     sp, x1                      /* the exception stack */
        b       1f
5:      ldr     x1, =__boot_stack_guard + PAGE_SIZE + REGS_SIZE
        cmp     sp, x1
        b.hs    1f                          /* fits on the boot stack (or not on it at all) */
        ldr     x1, =__boot_stack_guard
        cmp     sp, x1
        b.lo    1f                          /* below its guard: not the boot stack */
        ldr     x1, =boot_stack_top
        mov     sp, x1                      /* boot stack overflow: report from its top */
1:      sub     sp, sp, #REGS_SIZE
        mrs     x1, sp_el0
        str     x1, [sp, #REGS_X0]
        mrs     x1, tpidrro_el0
        str     x1, [sp, #REGS_X0 + 8]
        mov     x1, x0                      /* x1 := vector number */
        stp     x2, x3, [sp, #REGS_X0 + 2 * 8]
        mrs     x2, tpidr_el0
        str     x2, [sp, #REGS_SP]
        b       trap_save
END(trap_entry_el2)

/*
 * trap_entry: finish the frame and call do_trap(regs, vector).
 * Inputs: sp = frame with x0/x1 saved, x1 = vector number.  Never returns.
 */
FUNC_LOCAL(trap_entry)
        stp     x2, x3, [sp, #REGS_X0 + 2 * 8]
        add     x2, sp, #REGS_SIZE
        str     x2, [sp, #REGS_SP]
        /* fall through */
END(trap_entry)

/*
 * trap_save: save x4..x30 and the exception registers, call do_trap().
 * Inputs: sp = frame with x0-x3 and SP saved, x1 = vector number.
 */
FUNC_LOCAL(trap_save)
        save_x4_x29
        str     x30, [sp, #REGS_X30]
        save_exception_regs x2, x3
        mov     x0, sp
        bl      do_trap
        cbz     w0, 1f
        mov     x0, sp                      /* fixed up (probe_read32): resume from the frame */
        b       guest_resume
1:      b       park
END(trap_save)

/*
 * probe_read32: read the 32-bit word at a vaddr that may not be backed by
 * anything (a DTB pointer from the loader), without a trap dump: a data
 * abort on the load is fixed up by do_trap(), which resumes at
 * probe_read32_fixup with every register as it was.
 * C: bool probe_read32(vaddr_t va, u32 *val);
 * Inputs: x0 = va, x1 = where the word goes.  Output: w0 = 1 read, 0 aborted.
 * Clobbers: x2.
 */
FUNC(probe_read32)
        .globl  probe_read32_insn           /* do_trap() matches ELR against it */
probe_read32_insn:
        ldr     w2, [x0]
        str     w2, [x1]
        mov     w0, #1
        ret
        .globl  probe_read32_fixup
probe_read32_fixup:
        mov     w0, #0
        ret
END(probe_read32)

/*
 * guest_sync_entry: a synchronous exception from EL1.  Saves every guest
 * GPR and the exception registers in a frame at the top of the CPU's stack,
 * calls do_guest_sync(regs), then resumes the guest from the frame (the
 * handler may have changed it).
 * Inputs: SP = this CPU's stack top.  Never returns.
 */
FUNC_LOCAL(guest_sync_entry)
        sub     sp, sp, #REGS_SIZE
        stp     x0, x1, [sp, #REGS_X0]
        stp     x2, x3, [sp, #REGS_X0 + 2 * 8]
        save_x4_x29
        mrs     x0, sp_el1
        stp     x30, x0, [sp, #REGS_X30]    /* x30, then the guest's SP_EL1 as "sp" */
        save_exception_regs x0, x1
        mov     x29, xzr                    /* the call trace ends here */
        mov     x0, sp
        bl      do_guest_sync
        mov     x0, sp
        b       guest_resume
END(guest_sync_entry)

/*
 * guest_resume: return to the guest from the frame at x0 (the top of this
 * CPU's stack), leaving SP_EL2 at the stack top for the next exception.
 * Also the way back to EL2 code after a fixed-up abort (trap_save): that
 * frame lies just below the interrupted SP, which this restores.
 * Inputs: x0 = frame.  Never returns.
 */
FUNC_LOCAL(guest_resume)
        mov     sp, x0
        ldp     x0, x1, [sp, #REGS_ELR]
        msr     elr_el2, x0
        msr     spsr_el2, x1
        ldp     x2, x3, [sp, #REGS_X0 + 2 * 8]
        ldp     x4, x5, [sp, #REGS_X0 + 4 * 8]
        ldp     x6, x7, [sp, #REGS_X0 + 6 * 8]
        ldp     x8, x9, [sp, #REGS_X0 + 8 * 8]
        ldp     x10, x11, [sp, #REGS_X0 + 10 * 8]
        ldp     x12, x13, [sp, #REGS_X0 + 12 * 8]
        ldp     x14, x15, [sp, #REGS_X0 + 14 * 8]
        ldp     x16, x17, [sp, #REGS_X0 + 16 * 8]
        ldp     x18, x19, [sp, #REGS_X0 + 18 * 8]
        ldp     x20, x21, [sp, #REGS_X0 + 20 * 8]
        ldp     x22, x23, [sp, #REGS_X0 + 22 * 8]
        ldp     x24, x25, [sp, #REGS_X0 + 24 * 8]
        ldp     x26, x27, [sp, #REGS_X0 + 26 * 8]
        ldp     x28, x29, [sp, #REGS_X0 + 28 * 8]
        ldr     x30, [sp, #REGS_X30]
        ldp     x0, x1, [sp, #REGS_X0]
        add     sp, sp, #REGS_SIZE
        eret                                /* context synchronising: no ISB needed */
END(guest_resume)

/*
 * guest_first_entry: enter a guest for the first time (ELR_EL2, SPSR_EL2
 * and the EL2 controls already written by arch_vcpu_enter()).
 * The FP/SIMD registers are reset too: Debian's libfdt.a (linked into
 * hypcore, run at EL2 while the DT is read and dom0's is written) uses the
 * Advanced SIMD registers, which EL1 shares with EL2 (CPTR_EL2.TFP = 0, so
 * dom0 reaches them without a trap and hypcore never switches them).  The
 * guest starts from V0-V31 = 0 and FPCR/FPSR = 0 (round to nearest, no
 * trapped exceptions, no sticky flags), never from libfdt's leftovers: the
 * host DT's bytes are not dom0's to read.  After this, hypcore's own code
 * (built with -mgeneral-regs-only) never touches them, and libfdt is not
 * called again on a CPU that runs dom0 (dom0_fdt.c).
 * C: void guest_first_entry(u64 x0, vaddr_t stack_top);
 * Inputs: x0 = the guest's x0, x1 = this CPU's stack top.  Never returns.
 */
FUNC(guest_first_entry)
        mov     sp, x1
        .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
        movi    v\n\().2d, #0
        .endr
        msr     fpcr, xzr
        msr     fpsr, xzr
        .irp n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
        mov     x\n, xzr
        .endr
        eret
END(guest_first_entry)
