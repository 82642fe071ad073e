/* SPDX-License-Identifier: MIT */
/*
 * arch/arm64/secondary.S: a secondary CPU's way from PSCI CPU_ON to C
 * (secondary_start()), through the same check_cpu_mode, cpu_init and
 * enable_mmu as the boot CPU (head.S), onto the root table and per-CPU
 * slot the boot CPU prepared for it (arch/arm64/percpu.c); and
 * switch_stack_and_call, how C moves to another stack.
 */

#include <arch/asm.h>
#include <arch/processor.h>
#include <asm-offsets.h>
#include <layout.h>

/* Call-frame information (switch_stack_and_call) goes where gdb reads it:
 * the linker script drops .eh_frame. */
        .cfi_sections .debug_frame

        .text
/*
 * secondary_entry: where PSCI CPU_ON starts a secondary CPU: EL2, MMU and
 * caches off, SP undefined, x0 = its logical number (the context id).  It
 * reads its boot record (written and cleaned to the PoC by the boot CPU)
 * with the MMU off and turns the MMU on with its own root table.
 *
 * Registers, secondary_entry .. secondary_start():
 *   x19  the CPU's logical number
 *   x20  paddr of its boot record (until the MMU is on)
 *   x22  vaddr of its per-CPU slot (percpu_base)
 *   x23  UART paddr (early failure messages)
 *   x24  level-0 index to re-point at x25 (SB_NONE = none)
 *   x25  the shared runtime level-1 entry
 *   x26  level-0 index of the identity's own slot to clear (SB_NONE = none)
 *   x27  level-0 index of the alias to clear (SB_NONE = none)
 *   x28  paddr of its root table
 */
FUNC(secondary_entry)
        msr     daifset, #0xf               /* nothing may interrupt the bring-up */
        mov     x19, x0                     /* x19 := logical CPU number */
        ldr     x23, =BOARD_UART_PADDR      /* x23 := UART paddr (MMU off) */
        bl      check_cpu_mode
        bl      cpu_init
        cmp     x19, #NR_CPUS_ASM
        b.hs    9f
        adr_l   x20, secondary_boot
        mov     x1, #SB_SIZE
        madd    x20, x19, x1, x20           /* x20 := paddr(secondary_boot[x19]) */
        ldr     x28, [x20, #SB_ROOT]        /* x28 := paddr(own root) */
        ldr     x24, [x20, #SB_FIX_IDX]
        ldr     x25, [x20, #SB_FIX_VAL]
        ldr     x26, [x20, #SB_CLEAR_IDX]
        ldr     x27, [x20, #SB_ALIAS_IDX]
        ldr     x22, [x20, #SB_PERCPU]      /* x22 := vaddr(per-CPU slot) */
        ldr     x0, [x20, #SB_ENTRY]        /* x0 := where to go with the MMU on */
        ldr     x3, =early_vectors
        ldr     x1, =secondary_switch
        sub     x3, x3, x1
        add     x3, x3, x0                  /* x3 := the early vectors beside it */
        b       enable_mmu
9:      early_fail_msg msg_bad_cpu
END(secondary_entry)

/*
 * secondary_switch: a secondary with its MMU on, at the alias (when its
 * identity entry lives in a private copy of the runtime tables) or at the
 * runtime address.  Re-points its runtime level-0 entry at the shared table
 * (break-before-make, from the alias), moves to the runtime address, drops
 * the identity and alias entries, and calls C on its own stack.  Every
 * table written here is this CPU's own root, mapped in its private slot and
 * walked by no other CPU: local TLB maintenance is enough.
 * Inputs: x19, x22, x24-x27 (see secondary_entry).  Never returns.
 */
FUNC(secondary_switch)
        add     x21, x22, #PERCPU_ROOT_PAGE * PAGE_SIZE /* x21 := vaddr(own root) */
        cmn     x24, #1                     /* SB_NONE? */
        b.eq    1f
        str     xzr, [x21, x24, lsl #PT_ENTRY_SHIFT] /* break: the private copy */
        dsb     nshst                       /* cleared before the TLBI */
        tlbi    alle2                       /* everything under that entry */
        dsb     nsh                         /* TLB invalidation complete (local) */
        isb                                 /* later fetches use the new translations */
        str     x25, [x21, x24, lsl #PT_ENTRY_SHIFT] /* make: the shared table */
        dsb     nshst                       /* visible before we use it */
        isb                                 /* the next instructions see the new entry */
1:      ldr     x0, =2f                     /* to the runtime address */
        br      x0
2:      adr_l   x0, early_vectors           /* at runtime now: the alias is about to go */
        msr     vbar_el2, x0
        isb                                 /* the register write takes effect before the alias goes */
        cmn     x26, #1
        b.eq    3f
        str     xzr, [x21, x26, lsl #PT_ENTRY_SHIFT] /* drop the identity's own slot */
        dsb     nshst                       /* the cleared entry is visible before the TLBI */
        tlbi    alle2                       /* every cached EL2 translation: this CPU only */
        dsb     nsh                         /* TLB invalidation complete (local) */
        isb                                 /* later fetches use the new translations */
3:      cmn     x27, #1
        b.eq    4f
        str     xzr, [x21, x27, lsl #PT_ENTRY_SHIFT] /* drop the alias */
        dsb     nshst                       /* the cleared entry is visible before the TLBI */
        tlbi    alle2                       /* every cached EL2 translation: this CPU only */
        dsb     nsh                         /* TLB invalidation complete (local) */
        isb                                 /* later fetches use the new translations */
4:      add     x0, x22, #PERCPU_DATA_PAGE * PAGE_SIZE
        msr     tpidr_el2, x0               /* this_cpu() */
        ldr     x1, [x0, #CPU_STACK_TOP]
        mov     sp, x1                      /* own stack, guard page below */
        adr_l   x0, hyp_vectors
        msr     vbar_el2, x0
        isb                                 /* the register write takes effect before what follows */
        mov     x0, x19
        mov     x29, xzr                    /* a new call chain, as in zero_bss */
        mov     x30, xzr
        b       secondary_start             /* never returns */
END(secondary_switch)

/*
 * switch_stack_and_call: continue on another stack.  The frame records left
 * on the old stack are abandoned, so the chain ends here: x29 = 0 for the
 * trap dump's call trace, and call-frame information with no return address
 * for gdb; both show this routine as fn's caller and stop.
 * C: void switch_stack_and_call(vaddr_t sp, void (*fn)(void *), void *arg);
 * Never returns (parks if fn does).
 */
FUNC(switch_stack_and_call)
        .cfi_startproc
        .cfi_undefined x30                  /* no caller (for gdb) */
        mov     sp, x0
        mov     x0, x2
        mov     x29, xzr
        blr     x1
        b       park
        .cfi_endproc
END(switch_stack_and_call)

        .section .rodata.head, "a", %progbits
msg_bad_cpu:     .asciz "- hypcore: secondary started with a CPU number past NR_CPUS -"
