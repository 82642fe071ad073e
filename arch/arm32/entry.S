/* SPDX-License-Identifier: MIT */
/*
 * arch/arm32/entry.S: the runtime HYP vectors (HVBAR).  Every exception is
 * unexpected in this boot core: save a struct cpu_user_regs frame on the
 * current stack and let do_trap() print it; then park.
 *
 * Exceptions taken in HYP mode itself (vectors 1-4) first check for a blown
 * stack, with arm64's rule (arch/arm64/entry.S, trap_entry_el2): with
 * per-CPU data, SP anywhere below the bottom of the CPU's stack plus a
 * frame, down to the per-CPU slot, moves the frame to the per-CPU exception
 * stack, unless SP is on that exception stack with room for a frame (a trap
 * while reporting one); before per-CPU data, SP within a frame of the boot
 * stack's guard page moves it to the boot stack's top.
 * The check needs scratch registers before anything is saved: TPIDRURW and
 * TPIDRURO, which belong to PL0 and which hypcore, with no PL0 of its own,
 * does not use.  The hyp-trap vector (from a guest) must not use them.
 *
 * The hyp trap vector (5) is only taken from a guest (SVC/USR under
 * stage 2: its HVC, trapped SMC, stage-2 aborts; ARMv7 Arm ARM B1.8.1):
 * it is handled and the guest resumed.  While a guest runs, SP_hyp is the
 * top of its CPU's stack, so the frame pushed there is the vcpu's register
 * frame, as on arm64.  HYP mode banks only SP, SPSR and ELR: r0-r12 and LR
 * are the guest's User-mode registers (B1.3.2) and are all saved.
 */
#include <arch/asm.h>
#include <arch/pgtable.h>
#include <asm-offsets.h>
#include <layout.h>

/* Vector numbers passed to do_trap(): the HVBAR offset / 4. */
.macro vector num
        b       trap_\num
.endm

        .syntax unified
        .arm
        .text
        .balign 32
FUNC(hyp_vectors)
        vector  0       /* reset (unused) */
        vector  1       /* undefined instruction */
        vector  2       /* HVC/SVC in HYP */
        vector  3       /* prefetch abort */
        vector  4       /* data abort */
        b       guest_trap_entry    /* 5: hyp trap (from a guest) */
        vector  6       /* IRQ */
        vector  7       /* FIQ */
END(hyp_vectors)

/*
 * save_exception_regs: LR, ELR_hyp, SPSR_hyp (the interrupted CPSR), HSR,
 * HDFAR and HIFAR into the frame at SP.  Clobbers r0.
 */
.macro save_exception_regs
        str     lr, [sp, #REGS_LR]
        mrs     r0, ELR_hyp
        str     r0, [sp, #REGS_ELR]
        mrs     r0, SPSR
        str     r0, [sp, #REGS_SPSR]
        mrc     p15, 4, r0, c5, c2, 0       /* HSR */
        str     r0, [sp, #REGS_ESR]
        mrc     p15, 4, r0, c6, c0, 0       /* HDFAR */
        str     r0, [sp, #REGS_FAR]
        mrc     p15, 4, r0, c6, c0, 2       /* HIFAR */
        str     r0, [sp, #REGS_IFAR]
.endm

.macro trap_stub num
trap_\num:
        sub     sp, sp, #REGS_SIZE
        stmia   sp, {r0-r12}
        mov     r1, #\num
        b       trap_entry
.endm

/* An exception in HYP mode: check the stack first (see the top). */
.macro trap_stub_hyp num
trap_\num:
        mcr     p15, 0, r0, c13, c0, 2      /* TPIDRURW := r0 */
        mov     r0, sp
        mcr     p15, 0, r0, c13, c0, 3      /* TPIDRURO := the interrupted SP */
        mrc     p15, 4, r0, c13, c0, 2      /* HTPIDR: this CPU's data, or 0 */
        cmp     r0, #0
        beq     5f                          /* no per-CPU stack yet */
        ldr     r0, [r0, #CPU_GUARD_VA]
        add     r0, r0, #PAGE_SIZE
        add     r0, r0, #REGS_SIZE          /* r0 := lowest SP that fits a frame on the stack */
        cmp     sp, r0
        bhs     1f                          /* it fits: no overflow */
        mrc     p15, 4, r0, c13, c0, 2
        ldr     r0, [r0, #CPU_SLOT_VA]      /* r0 := start of the per-CPU slot */
        cmp     sp, r0
        blo     1f                          /* below the slot: not a stack of ours */
        add     r0, r0, #(PERCPU_EXC_STACK_PAGE + 1) * PAGE_SIZE /* r0 := exception stack top */
        cmp     sp, r0
        bhi     2f                          /* between it and the stack: overflow */
        sub     r0, r0, #PAGE_SIZE
        add     r0, r0, #REGS_SIZE          /* r0 := lowest SP that fits a frame there */
        cmp     sp, r0
        bhs     1f                          /* a trap while reporting one: stay */
2:      mrc     p15, 4, r0, c13, c0, 2
        ldr     r0, [r0, #CPU_SLOT_VA]
        add     r0, r0, #(PERCPU_EXC_STACK_PAGE + 1) * PAGE_SIZE
        mov     sp, r0                      /* the exception stack */
        b       1f
5:      ldr     r0, =__boot_stack_guard + PAGE_SIZE + REGS_SIZE
        cmp     sp, r0
        bhs     1f                          /* fits on the boot stack (or not on it at all) */
        ldr     r0, =__boot_stack_guard
        cmp     sp, r0
        blo     1f                          /* below its guard: not the boot stack */
        ldr     sp, =boot_stack_top         /* boot stack overflow: report from its top */
1:      mrc     p15, 0, r0, c13, c0, 2      /* r0 := its value again */
        sub     sp, sp, #REGS_SIZE
        stmia   sp, {r0-r12}
        mov     r1, #\num
        mrc     p15, 0, r0, c13, c0, 3
        str     r0, [sp, #REGS_SP]          /* SP as it was */
        b       trap_entry_sp_saved
.endm
        trap_stub 0
        trap_stub_hyp 1
        trap_stub_hyp 2
        trap_stub_hyp 3
        trap_stub_hyp 4
        trap_stub 6
        trap_stub 7
        .ltorg

/*
 * trap_entry: finish the frame and call do_trap(regs, vector).
 * Inputs: sp = frame with r0-r12 saved, r1 = vector number.  Never returns.
 */
FUNC_LOCAL(trap_entry)
        add     r0, sp, #REGS_SIZE
        str     r0, [sp, #REGS_SP]
trap_entry_sp_saved:
        save_exception_regs
        mov     r0, sp
        bl      do_trap
        cmp     r0, #0
        beq     1f
        mov     r0, sp                      /* fixed up (probe_read32): resume from the frame */
        b       guest_resume
1:      b       park
END(trap_entry)

/*
 * probe_read32: read the 32-bit word at a vaddr that may not be backed by
 * anything (a DTB pointer from the loader), without a trap dump: a data
 * abort on the load is fixed up by do_trap(), which resumes at
 * probe_read32_fixup with every register as it was (ELR_hyp is the
 * aborting instruction itself for an abort taken in HYP mode).
 * C: bool probe_read32(vaddr_t va, u32 *val);
 * Inputs: r0 = va, r1 = where the word goes.  Output: r0 = 1 read, 0 aborted.
 * Clobbers: r2.
 */
FUNC(probe_read32)
        .globl  probe_read32_insn           /* do_trap() matches ELR_hyp against it */
probe_read32_insn:
        ldr     r2, [r0]
        str     r2, [r1]
        mov     r0, #1
        bx      lr
        .globl  probe_read32_fixup
probe_read32_fixup:
        mov     r0, #0
        bx      lr
END(probe_read32)

/*
 * guest_trap_entry: a trap from the guest.  Saves r0-r12, LR (LR_usr) and
 * the exception registers in a frame at the top of the CPU's stack, calls
 * do_guest_sync(regs), then resumes the guest from the frame (the handler
 * may have changed it).
 * Inputs: SP = this CPU's stack top.  Never returns.
 */
FUNC_LOCAL(guest_trap_entry)
        sub     sp, sp, #REGS_SIZE
        stmia   sp, {r0-r12}
        save_exception_regs                 /* LR is LR_usr: the guest's */
        mov     r0, #0
        str     r0, [sp, #REGS_SP]          /* SP_svc/usr stay in their banks */
        mov     fp, #0                      /* the call trace ends here */
        mov     r0, sp
        bl      do_guest_sync
        mov     r0, sp
        b       guest_resume
END(guest_trap_entry)

/*
 * guest_resume: return to the guest from the frame at r0 (the top of this
 * CPU's stack), leaving SP_hyp at the stack top for the next trap.
 * Also the way back to HYP code after a fixed-up abort (trap_entry): that
 * frame lies just below the interrupted SP, which this restores.
 * Inputs: r0 = frame.  Never returns.
 */
FUNC_LOCAL(guest_resume)
        mov     sp, r0
        ldr     r0, [sp, #REGS_ELR]
        msr     ELR_hyp, r0
        ldr     r0, [sp, #REGS_SPSR]
        msr     spsr_cxsf, r0               /* SPSR_hyp (the banked name is UNDEFINED here) */
        ldr     lr, [sp, #REGS_LR]
        ldmia   sp, {r0-r12}
        add     sp, sp, #REGS_SIZE
        eret                                /* context synchronising: no ISB needed */
END(guest_resume)

/*
 * guest_first_entry: enter a guest for the first time (ELR_hyp, SPSR_hyp
 * and the HYP controls already written by arch_vcpu_enter()).
 * C: void guest_first_entry(u32 r0, u32 r1, u32 r2, vaddr_t stack_top);
 * Inputs: r0-r2 = the guest's, r3 = this CPU's stack top.  Never returns.
 * Clobbers: everything (r3-r12, LR zeroed for the guest).
 */
FUNC(guest_first_entry)
        mov     sp, r3
        .irp n, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14
        mov     r\n, #0
        .endr
        eret
END(guest_first_entry)
