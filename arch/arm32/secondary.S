/* SPDX-License-Identifier: MIT */
/*
 * arch/arm32/secondary.S: a secondary CPU's way from PSCI CPU_ON to C
 * (secondary_start()), through the same check_cpu_mode, cpu_init and
 * enable_mmu as the boot CPU (head.S), onto the root table and per-CPU
 * slot the boot CPU prepared for it (arch/arm32/percpu.c).
 */

#include <arch/asm.h>
#include <arch/processor.h>
#include <asm-offsets.h>
#include <layout.h>

        .syntax unified
        .arm
        .text
/*
 * secondary_entry: where PSCI CPU_ON starts a secondary CPU: HYP mode, MMU
 * and caches off, r0 = its logical number (the context id).  It reads its
 * boot record (cleaned to the PoC by the boot CPU) with the MMU off and
 * turns the MMU on with its own root table.
 *
 * Registers, secondary_entry .. secondary_start():
 *   r4:r5  the shared value of the entry to re-point (fix)
 *   r6     UART paddr (early failure messages)
 *   r7     the CPU's logical number
 *   r8     vaddr of that entry (through its private slot), or SB_NONE
 *   r9     level-1 index of the identity's own slot to clear, or SB_NONE
 *   r10    vaddr of its per-CPU slot (percpu_base)
 *   r11    level-1 index of the alias to clear, or SB_NONE
 */
FUNC(secondary_entry)
        cpsid   aif                         /* nothing may interrupt the bring-up */
        mov     r7, r0                      /* r7 := logical CPU number */
        ldr     r6, =BOARD_UART_PADDR       /* r6 := UART paddr (MMU off) */
        bl      check_cpu_mode
        bl      cpu_init
        cmp     r7, #NR_CPUS_ASM
        bhs     9f
        adr_l   r1, secondary_boot
        mov     r2, #SB_SIZE
        mla     r1, r7, r2, r1              /* r1 := paddr(secondary_boot[r7]) */
        ldr     r8, [r1, #SB_FIX_VA]
        ldr     r4, [r1, #SB_FIX_LO]
        ldr     r5, [r1, #SB_FIX_HI]
        ldr     r9, [r1, #SB_CLEAR_IDX]
        ldr     r11, [r1, #SB_ALIAS_IDX]
        ldr     r10, [r1, #SB_PERCPU]       /* r10 := vaddr(per-CPU slot) */
        ldr     r0, [r1, #SB_ENTRY]         /* r0 := where to go with the MMU on */
        ldr     r2, [r1, #SB_ROOT_LO]
        ldr     r3, [r1, #SB_ROOT_HI]       /* r2:r3 := paddr(own root) */
        ldr     r12, =early_vectors
        ldr     r1, =secondary_switch
        sub     r12, r12, r1
        add     r12, r12, r0                /* r12 := the early vectors beside it */
        b       enable_mmu
9:      early_fail_msg msg_bad_cpu
        .ltorg
END(secondary_entry)

/*
 * secondary_switch: a secondary with its MMU on, at the alias (when its
 * identity entry lives in its runtime level-2 table, or in its slot's
 * level-3 table) or at the runtime address.  Gives that entry its shared
 * value back (break-before-make, from the alias), moves to the runtime address, drops the identity and
 * alias entries, and calls C on its own stack.  Every table written here is
 * this CPU's own, mapped in its private slot and walked by no other CPU:
 * local TLB maintenance is enough.
 * Inputs: r4, r5, r7-r11 (see secondary_entry).  Never returns.
 */
FUNC(secondary_switch)
        add     r1, r10, #PERCPU_ROOT_PAGE * PAGE_SIZE /* r1 := vaddr(own root) */
        cmn     r8, #1                      /* SB_NONE? */
        beq     1f
        mov     r12, r8                     /* r12 := vaddr of the entry */
        mov     r2, #0
        mov     r3, #0
        strd    r2, r3, [r12]               /* break: the boot-only table */
        dsb     nshst                       /* cleared before the TLBI */
        mcr     p15, 4, r0, c8, c7, 0       /* TLBIALLH: all under that entry */
        mcr     p15, 0, r0, c7, c5, 6       /* BPIALL */
        dsb     nsh                         /* TLB and predictor invalidation complete (local) */
        isb                                 /* later fetches use the new translations */
        strd    r4, r5, [r12]               /* make: the shared entry */
        dsb     nshst                       /* visible before we use it */
        isb                                 /* the next instructions see the new entry */
1:      ldr     r0, =2f                     /* to the runtime address */
        bx      r0
2:      adr_l   r0, early_vectors           /* at runtime now: the alias is about to go */
        mcr     p15, 4, r0, c12, c0, 0      /* HVBAR */
        isb                                 /* the register write takes effect before the alias goes */
        cmn     r9, #1
        beq     3f
        add     r12, r1, r9, lsl #PT_ENTRY_SHIFT
        mov     r2, #0
        mov     r3, #0
        strd    r2, r3, [r12]               /* drop the identity's own slot */
        dsb     nshst                       /* the cleared entry is visible before the TLBI */
        mcr     p15, 4, r0, c8, c7, 0       /* TLBIALLH */
        mcr     p15, 0, r0, c7, c5, 6       /* BPIALL */
        dsb     nsh                         /* TLB and predictor invalidation complete (local) */
        isb                                 /* later fetches use the new translations */
3:      cmn     r11, #1
        beq     4f
        add     r12, r1, r11, lsl #PT_ENTRY_SHIFT
        mov     r2, #0
        mov     r3, #0
        strd    r2, r3, [r12]               /* drop the alias */
        dsb     nshst                       /* the cleared entry is visible before the TLBI */
        mcr     p15, 4, r0, c8, c7, 0       /* TLBIALLH */
        mcr     p15, 0, r0, c7, c5, 6       /* BPIALL */
        dsb     nsh                         /* TLB and predictor invalidation complete (local) */
        isb                                 /* later fetches use the new translations */
4:      add     r0, r10, #PERCPU_DATA_PAGE * PAGE_SIZE
        mcr     p15, 4, r0, c13, c0, 2      /* HTPIDR: this_cpu() */
        ldr     sp, [r0, #CPU_STACK_TOP]    /* own stack, guard page below */
        adr_l   r0, hyp_vectors
        mcr     p15, 4, r0, c12, c0, 0      /* HVBAR */
        isb                                 /* the register write takes effect before what follows */
        mov     r0, r7
        mov     fp, #0                      /* a new call chain, as in zero_bss */
        mov     lr, #0
        b       secondary_start             /* never returns */
        .ltorg
END(secondary_switch)

        .section .rodata.head, "a", %progbits
msg_bad_cpu:     .asciz "- hypcore: secondary started with a CPU number past NR_CPUS -"
