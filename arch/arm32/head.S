/* SPDX-License-Identifier: MIT */
/*
 * arch/arm32/head.S: hypcore's entry on 32-bit Arm (ARMv7 with the
 * Virtualization and LPAE extensions, Cortex-A15), from HYP mode to C.
 *
 * Entered in HYP mode with the MMU and D-cache off from ANY 4 KiB-aligned
 * physical address, r2 = DTB paddr or 0 (design.md, "Boot contract").  The
 * image is linked at RUNTIME_BASE and runs there once the MMU is on.  The
 * flat binary starts with a zImage header so U-Boot's bootz runs it in place.
 *
 * Boot order (in step with arch/arm64/head.S):
 *   start -> check_cpu_mode -> cpu_init -> create_page_tables -> enable_mmu
 *         -> switch_to_runtime_mapping -> zero_bss -> start_hypcore() (C)
 * A secondary's way from PSCI CPU_ON to C is secondary.S; the early console,
 * early exception vectors and park() are early.S.
 *
 * Long-lived registers:
 *   r4   start .. C entry             paddr(start): where the image was loaded
 *   r6   start .. C entry             UART base: paddr until the runtime mapping
 *                                     is live, then the fixmap vaddr
 *   r7   create_page_tables .. C      share: levels (0..3) the idmap page shares
 *                                     with the runtime region
 *   r8   start .. C entry             DTB paddr from the loader's r2 (0 = none)
 *   r9   create_page_tables .. C      temp: vaddr of the temporary alias, 0 = none
 *   r10  create_page_tables .. C      paddr of the root (level 1) table
 *   r11  create_page_tables .. enable paddr of the next free boot page-table page;
 *                                     in switch_to_runtime_mapping: where the
 *                                     image is mapped (alias or runtime)
 * The entry the identity mapping took, and its runtime value, are kept in
 * boot_idmap_slot / boot_idmap_desc, beside the table pool (same cache
 * maintenance), for want of registers.
 *
 * Before the MMU is on, SP is a small stack at the end of the pool area,
 * covered by the pool's cache maintenance: nothing is pushed on it before
 * create_page_tables has invalidated that area (see there).  Routines
 * follow the AAPCS (r0-r3, r12 scratch) and say what else they clobber.
 */

#include <arch/asm.h>
#include <arch/processor.h>
#include <asm-offsets.h>
#include <layout.h>

/* Attribute kinds for map_range (r3): indices into attr_table. */
#define ATTR_RX         0
#define ATTR_RO         1
#define ATTR_RW         2
#define ATTR_DEVICE     3

/* zImage header (Linux arch/arm/boot/compressed/head.S layout, read by U-Boot). */
#define ZIMAGE_MAGIC            0x016f2818

/* 64-bit page-table descriptor store: low word r2, high word r3. */
.macro store_desc, addr
    strd    r2, r3, [\addr]
.endm

        .syntax unified
        .arm
        .section .text.header, "ax", %progbits
/*
 * start: the image entry point (offset 0), with the zImage header.
 * Inputs: HYP mode, MMU off, r2 = DTB paddr or 0.  Never returns.
 */
FUNC(start)
        .rept   8
        mov     r0, r0                      /* the zImage nop sled */
        .endr
        b       primary_entry               /* offset 0x20 */
        .word   ZIMAGE_MAGIC                /* 0x24: magic */
        .word   0                           /* 0x28: start: position independent */
        .word   __image_size                /* 0x2c: end: footprint incl. BSS */
        .word   0x04030201                  /* 0x30: endianness flag (little) */

primary_entry:
        /* Mask asynchronous aborts, IRQ and FIQ: nothing can handle them yet. */
        cpsid   aif
        mov     r8, r2                      /* r8 := DTB paddr from the loader */
        adr_l   r4, start                   /* r4 := paddr(start) */
        ldr     r6, =BOARD_UART_PADDR       /* r6 := UART paddr (MMU off) */

        bl      check_cpu_mode
        bl      cpu_init
        bl      create_page_tables

        /* Continue in switch_to_runtime_mapping: at the alias if there is one. */
        ldr     r0, =switch_to_runtime_mapping
        cmp     r9, #0
        ldrne   r1, =start
        subne   r0, r0, r1
        addne   r0, r0, r9                  /* r0 := alias vaddr of the same code */
        ldr     r12, =early_vectors
        ldr     r1, =switch_to_runtime_mapping
        sub     r12, r12, r1
        add     r12, r12, r0                /* r12 := the early vectors beside it */
        mov     r2, r10                     /* r2:r3 := paddr(root), in the image */
        mov     r3, #0
        b       enable_mmu
        .ltorg
END(start)

        .text
/*
 * check_cpu_mode: park with a message unless we run in HYP mode.
 * Inputs: r6.  Clobbers: r0-r3.
 */
FUNC(check_cpu_mode)
        mrs     r0, cpsr
        and     r0, r0, #PSR_MODE_MASK
        teq     r0, #PSR_MODE_HYP
        bxeq    lr
        early_fail_msg msg_not_hyp
END(check_cpu_mode)

/*
 * cpu_init: HYP state whatever the loader left, a boot stack, the early
 * vectors, and the translation controls for enable_mmu.
 * Inputs: none.  Clobbers: r0-r1, sp.
 */
FUNC(cpu_init)
        ldr     r0, =HCR_BOOT
        mcr     p15, 4, r0, c1, c1, 0       /* HCR */
        ldr     r0, =HSCTLR_BOOT            /* MMU, caches off; LE; A = 1 */
        mcr     p15, 4, r0, c1, c0, 0       /* HSCTLR */
        ldr     r0, =HCPTR_BOOT
        mcr     p15, 4, r0, c1, c1, 2       /* HCPTR: VFP/Neon trap (unused) */
        mov     r0, #0
        mcr     p15, 4, r0, c13, c0, 2      /* HTPIDR := 0: no per-CPU data yet */
        adr_l   r0, boot_early_stack_top
        mov     sp, r0                      /* paddr: MMU-off stack (see top) */
        adr_l   r0, early_vectors
        mcr     p15, 4, r0, c12, c0, 0      /* HVBAR: early faults print */
        ldr     r0, =HMAIR0_VALUE
        mcr     p15, 4, r0, c10, c2, 0      /* HMAIR0 */
        ldr     r0, =HMAIR1_VALUE
        mcr     p15, 4, r0, c10, c2, 1      /* HMAIR1 */
        ldr     r0, =HTCR_BOOT
        mcr     p15, 4, r0, c2, c0, 2       /* HTCR */
        isb                                 /* the writes above take effect */
        bx      lr
        .ltorg
END(cpu_init)

/*
 * create_page_tables: build the boot page tables with the MMU off, in the
 * pool that is part of the image (not BSS).  Same plan as on arm64: the
 * image at RUNTIME_BASE with 4 KiB pages (text RX, rodata RO, data RW),
 * fixmap UART, FDT area tables, the identity page only, and on a clash the
 * image again at the alias RUNTIME_BASE XOR 1 GiB.
 *
 * The return address stays in r5, never on the early stack: that stack is
 * inside the pool area, which is invalidated below precisely because a
 * dirty line the loader left over it could be written back at any time
 * (an eviction) over what we store there with the MMU off.  A saved LR
 * stored before that invalidation could be overwritten so, and the return
 * would jump to garbage.  So nothing is stored before it; the callees'
 * pushes come after it (as on arm64, which has no stack here at all).
 *
 * Inputs: r4.  Output: r7, r9, r10, r11, boot_idmap_slot/desc.
 * Clobbers: r0-r3, r5, r12.
 */
FUNC_LOCAL(create_page_tables)
        mov     r5, lr                      /* r5 := return address (callees keep r5) */
        adr_l   r10, boot_pgtable_pool      /* r10 := paddr(root) */
        add     r11, r10, #PAGE_SIZE        /* r11 := next free table page */

        /*
         * Invalidate the pool area before writing it with the MMU off, and
         * again when done (see arch/arm64/head.S): no dirty line from before
         * may be written back over it, no stale line may hide it later.
         * The early stack lives in that area too: only this code uses it,
         * and not before this point (see above).
         */
        mov     r0, r10
        adr_l   r1, boot_pgtable_area_end
        bl      dcache_inval_range
        mov     r0, r10
        adr_l   r1, boot_pgtable_pool_end
        mov     r2, #0
        mov     r3, #0
1:      strd    r2, r3, [r0], #8            /* zero the pool */
        cmp     r0, r1
        blo     1b

        ldr     r0, =start
        bl      map_image                   /* the image at RUNTIME_BASE */

        ldr     r0, =start
        add     r0, r0, #LAYOUT_FIXMAP_OFFSET + FIXMAP_UART * PAGE_SIZE
        ldr     r1, =BOARD_UART_PADDR
        mov     r2, #PAGE_SIZE
        mov     r3, #ATTR_DEVICE
        bl      map_range                   /* fixmap slot 0 := UART */

        /* Tables for the FDT area (4 MiB from a 4 KiB boundary: 3 blocks at most) */
        ldr     r0, =start
        add     r0, r0, #LAYOUT_FDT_OFFSET
        bl      pt_walk_create
        ldr     r0, =start
        add     r0, r0, #LAYOUT_FDT_OFFSET + PT_LEVEL_SIZE(2)
        bl      pt_walk_create
        ldr     r0, =start
        ldr     r1, =LAYOUT_FDT_OFFSET + LAYOUT_FDT_SIZE - PAGE_SIZE
        add     r0, r0, r1
        bl      pt_walk_create

        /*
         * share := levels, from the root, whose block holding the idmap page
         * overlaps the runtime region [R, R + SIZE); 3 = inside it.
         */
        adr_l   r9, _idmap_start            /* r9 := paddr(idmap page), until 4: */
        ldr     r12, =start                 /* r12 := R */
        ldr     r1, =LAYOUT_REGION_SIZE - 1
        add     r1, r1, r12                 /* r1 := last byte of the region */
        mov     r7, #0                      /* r7 := share */
        mov     r2, #PT_LEVEL_SHIFT(PT_ROOT_LEVEL)
2:      lsr     r3, r9, r2                  /* block of the idmap page */
        lsr     r0, r12, r2
        cmp     r3, r0
        blo     3f
        lsr     r0, r1, r2
        cmp     r3, r0
        bhi     3f
        add     r7, r7, #1
        sub     r2, r2, #PT_ORDER
        cmp     r2, #PAGE_SHIFT
        bhs     2b
3:
        /* Identity mapping, unless the runtime mapping is it (load == R). */
        adr_l   r0, boot_idmap_slot
        mov     r1, #0
        str     r1, [r0]                    /* no slot taken yet */
        cmp     r7, #PT_LEVELS
        cmpeq   r4, r12
        beq     4f
        mov     r0, r9
        bl      pt_walk_create              /* r0 := slot, r1 := first new entry */
        adr_l   r2, boot_idmap_slot
        adr_l   r3, boot_idmap_desc
        cmp     r1, #0
        strne   r1, [r2]                    /* the identity has its own entry... */
        movne   r12, #0
        strne   r12, [r3]                   /* ...invalid at runtime */
        strne   r12, [r3, #4]
        streq   r0, [r2]                    /* ...or borrows a runtime level-3 slot: */
        ldreq   r12, [r0]                   /* keep its runtime value */
        streq   r12, [r3]
        ldreq   r12, [r0, #4]
        streq   r12, [r3, #4]
        ldr     r2, =PAGE_HYP_RX_LO
        orr     r2, r2, r9
        mov     r3, #0
        store_desc r0                       /* idmap page := itself, RX */
4:
        /* Clash: the idmap page is inside the region at a different address. */
        mov     r9, #0                      /* r9 := temp: none */
        ldr     r12, =start
        cmp     r7, #PT_LEVELS
        bne     5f
        cmp     r4, r12
        beq     5f
        eor     r9, r12, #(1 << VA_ROOT_SLOT_BIT) /* r9 := temp alias vaddr */
        mov     r0, r9
        bl      map_image
5:
        dsb     sy                          /* table writes done before the maintenance */
        mov     r0, r10
        adr_l   r1, boot_pgtable_area_end
        bl      dcache_inval_range
        bx      r5
        .ltorg
END(create_page_tables)

/*
 * map_image: map [start, _end) at vaddr r0 onwards, to where it was loaded,
 * except the boot stack's guard page (hypcore.lds.S), left unmapped so that
 * an overflow of the boot stack faults instead of writing .data and the
 * boot tables.
 * Inputs: r0 = vaddr for start, r4.  Clobbers: r0-r3, r12.
 */
FUNC_LOCAL(map_image)
        push    {r5, lr}
        ldr     r1, =start
        sub     r5, r0, r1                  /* r5 := alias offset (0 at runtime) */
        ldr     r0, =start
        ldr     r2, =_etext
        mov     r3, #ATTR_RX
        bl      map_image_part
        ldr     r0, =_srodata
        ldr     r2, =_erodata
        mov     r3, #ATTR_RO
        bl      map_image_part
        ldr     r0, =_sdata
        ldr     r2, =__boot_stack_guard
        mov     r3, #ATTR_RW
        bl      map_image_part
        ldr     r0, =__bss_start            /* the guard page's end */
        ldr     r2, =_end
        mov     r3, #ATTR_RW
        bl      map_image_part
        pop     {r5, pc}
        .ltorg
END(map_image)

/*
 * map_image_part: map [r0, r2) of the image (link vaddrs) at r0 + r5.
 * Inputs: r0, r2, r3 = attribute kind, r4, r5.  Clobbers: r0-r3, r12.
 */
FUNC_LOCAL(map_image_part)
        sub     r2, r2, r0                  /* size */
        ldr     r12, =start
        sub     r1, r0, r12
        add     r1, r1, r4                  /* paddr */
        add     r0, r0, r5                  /* vaddr */
        b       map_range
        .ltorg
END(map_image_part)

/*
 * map_range: map [r0, r0 + r2) to r1 onwards with 4 KiB pages, creating
 * tables as needed; every page entry must be free (else: a layout bug).
 * Inputs: r0 = vaddr, r1 = paddr, r2 = size, r3 = ATTR_* kind.
 * Clobbers: r0-r3, r12.
 */
FUNC_LOCAL(map_range)
        push    {r4-r8, lr}
        mov     r4, r0                      /* r4 := vaddr */
        mov     r5, r1                      /* r5 := paddr */
        add     r6, r0, r2                  /* r6 := end vaddr */
        adr_l   r7, attr_table
        add     r7, r7, r3, lsl #3          /* r7 := &attr_table[kind] */
1:      cmp     r4, r6
        bhs     2f
        mov     r0, r4
        bl      pt_walk_create              /* r0 := slot */
        ldr     r1, [r0]
        tst     r1, #PTE_VALID
        bne     9f
        ldrd    r2, r3, [r7]
        orr     r2, r2, r5
        store_desc r0
        add     r4, r4, #PAGE_SIZE
        add     r5, r5, #PAGE_SIZE
        b       1b
2:      pop     {r4-r8, pc}
9:      early_fail_msg msg_overlap
END(map_range)

/*
 * pt_walk_create: the level-3 entry for a vaddr in the boot tables, creating
 * missing tables from the pool (MMU off: tables by paddr; all below 4 GiB).
 * Inputs: r0 = vaddr, r10 = root, r11 = next free page.
 * Output: r0 = paddr of the level-3 entry, r1 = paddr of the first entry
 *         this call made valid (0 if none); r11 advanced.
 * Clobbers: r2, r3, r12.
 */
FUNC_LOCAL(pt_walk_create)
        push    {r4-r6, lr}
        mov     r4, r0                      /* r4 := vaddr */
        mov     r1, #0                      /* r1 := first entry made valid */
        mov     r5, r10                     /* r5 := table of this level */
        mov     r6, #PT_LEVEL_SHIFT(PT_ROOT_LEVEL)
1:      lsr     r2, r4, r6
        lsl     r2, r2, #(32 - PT_ORDER)
        lsr     r2, r2, #(32 - PT_ORDER)    /* r2 := index at this level */
        add     r12, r5, r2, lsl #PT_ENTRY_SHIFT /* r12 := this level's entry */
        cmp     r6, #PAGE_SHIFT
        beq     3f
        ldr     r2, [r12]
        tst     r2, #PTE_VALID
        bne     2f
        mov     r2, r11                     /* a zeroed page from the pool */
        add     r11, r11, #PAGE_SIZE
        adr_l   r3, boot_pgtable_pool_end
        cmp     r11, r3
        bhi     9f
        orr     r2, r2, #TABLE_DESC
        mov     r3, #0
        strd    r2, r3, [r12]
        cmp     r1, #0
        moveq   r1, r12
2:      tst     r2, #PTE_TABLE
        beq     8f                          /* a block: we never make those */
        lsr     r5, r2, #PAGE_SHIFT
        lsl     r5, r5, #PAGE_SHIFT         /* next table (paddr < 4 GiB) */
        sub     r6, r6, #PT_ORDER
        b       1b
3:      mov     r0, r12
        pop     {r4-r6, pc}
8:      early_fail_msg msg_block
9:      early_fail_msg msg_pool
END(pt_walk_create)

/*
 * dcache_inval_range: invalidate the data cache to the PoC for [r0, r1)
 * (DCIMVAC; with the MMU off the MVA is the paddr).
 * Clobbers: r0-r3.
 */
FUNC_LOCAL(dcache_inval_range)
        dcache_line_size r2, r3
        sub     r3, r2, #1
        bic     r0, r0, r3
1:      mcr     p15, 0, r0, c7, c6, 1       /* DCIMVAC */
        add     r0, r0, r2
        cmp     r0, r1
        blo     1b
        dsb     sy                          /* done before our next access */
        bx      lr
END(dcache_inval_range)

/*
 * switch_to_runtime_mapping: MMU on, at the alias on a clash, else at the
 * runtime address.  Gives the entry the identity took back its runtime
 * value (break-before-make), moves to the runtime address, drops the alias,
 * then goes on to C.  Inputs: r4, r9, r10.  Clobbers: r0-r3, r5, r11, r12.
 * Never returns.
 */
FUNC_LOCAL(switch_to_runtime_mapping)
        ldr     r12, =start                 /* r12 := R */
        cmp     r9, #0
        moveq   r11, r12
        movne   r11, r9                     /* r11 := where the image is mapped now */
        adr_l   r0, boot_idmap_slot         /* (PC-relative: through that mapping) */
        ldr     r0, [r0]                    /* paddr of the entry, 0 = none */
        cmp     r0, #0
        beq     2f
        sub     r0, r0, r4
        add     r0, r0, r11                 /* r0 := vaddr of the entry */
        mov     r2, #0
        mov     r3, #0
        store_desc r0                       /* break: remove the identity */
        dsb     nshst                       /* ...visible to the walker before the TLBI */
        adr_l   r5, _idmap_start            /* r5 := vaddr here; its paddr is below */
        sub     r5, r5, r11
        add     r5, r5, r4                  /* r5 := paddr(idmap page) = its VA */
        mcr     p15, 4, r5, c8, c7, 1       /* TLBIMVAH: the identity VA, local */
        mcr     p15, 0, r5, c7, c5, 6       /* BPIALL: branch predictor, mapping changed */
        dsb     nsh                         /* TLBI complete */
        isb                                 /* later fetches use the new translations */
        adr_l   r1, boot_idmap_desc
        ldrd    r2, r3, [r1]
        orrs    r1, r2, r3
        beq     2f
        store_desc r0                       /* make: the runtime entry */
        dsb     nshst                       /* the new entry is visible to the walker before we use it */
        isb                                 /* the next instructions see the new entry */
2:      ldr     r0, =3f                     /* to the runtime address */
        bx      r0
3:      adr_l   r0, early_vectors           /* at runtime now: the alias is about to go */
        mcr     p15, 4, r0, c12, c0, 0      /* HVBAR */
        isb                                 /* the register write takes effect before the alias goes */
        cmp     r9, #0
        beq     4f
        /* Drop the alias: its level-1 entry is its own (a different GiB). */
        ldr     r12, =start
        sub     r0, r10, r4
        add     r0, r0, r12                 /* r0 := vaddr(root) */
        lsr     r1, r9, #PT_LEVEL_SHIFT(PT_ROOT_LEVEL)
        add     r0, r0, r1, lsl #PT_ENTRY_SHIFT
        mov     r2, #0
        mov     r3, #0
        store_desc r0
        dsb     nshst                       /* cleared before the TLBI */
        mcr     p15, 4, r0, c8, c7, 0       /* TLBIALLH: the alias spans many pages */
        mcr     p15, 0, r0, c7, c5, 6       /* BPIALL */
        dsb     nsh                         /* TLB and predictor invalidation complete (local) */
        isb                                 /* later fetches use the new translations */
4:      ldr     r6, =__fixmap_start + FIXMAP_UART * PAGE_SIZE /* r6 := UART vaddr */
        /* fall through */
END(switch_to_runtime_mapping)

/*
 * zero_bss: clear BSS through the runtime mapping (caches on), set up the
 * boot stack and the stack-protector guard, and call C.
 * Inputs: r4, r7, r8, r9.  Never returns.
 */
FUNC_LOCAL(zero_bss)
        ldr     r0, =__bss_start
        ldr     r1, =__bss_end
        mov     r2, #0
        mov     r3, #0
1:      cmp     r0, r1
        strdlo  r2, r3, [r0], #8
        blo     1b
        ldr     sp, =boot_stack_top
        /*
         * The runtime vectors only now: they push a frame on SP (the early
         * stack's paddr until here), and before a stack the early ones
         * print and park.
         */
        adr_l   r0, hyp_vectors
        mcr     p15, 4, r0, c12, c0, 0      /* HVBAR */
        isb                                 /* the register write takes effect before C runs */
        /* A guard the code cannot predict: the counter at boot, scrambled. */
        mrrc    p15, 0, r0, r1, c14         /* CNTPCT */
        ldr     r2, =0x9e3779b9
        mul     r0, r0, r2
        eor     r0, r0, r1
        ldr     r1, =__stack_chk_guard
        str     r0, [r1]

        /* start_hypcore(u64 fdt, u64 load, u64 idmap, vaddr_t temp, unsigned share) */
        mov     r0, r8                      /* fdt paddr (r0:r1) */
        mov     r1, #0
        mov     r2, r4                      /* load paddr (r2:r3) */
        mov     r3, #0
        adr_l   r5, _idmap_start
        ldr     r12, =start
        sub     r5, r5, r12
        add     r5, r5, r4                  /* idmap paddr */
        mov     r12, #0
        push    {r7}                        /* share (5th arg, on the stack) */
        push    {r9}                        /* temp */
        push    {r5, r12}                   /* idmap (8-byte aligned u64) */
        /*
         * C starts a new call chain: fp = 0 and lr = 0 make start_hypcore's
         * frame record end in {fp 0, lr 0}, where the trap dump's call trace
         * and gdb's backtrace stop, instead of following whatever the loader
         * left in r11 or returning into head.S code that has no frame.  A
         * branch, not a call, so that lr stays 0: start_hypcore never returns.
         */
        mov     fp, #0
        mov     lr, #0
        b       start_hypcore
        .ltorg
END(zero_bss)

        .section .text.idmap, "ax", %progbits
/*
 * enable_mmu: the only code that must be identity mapped.  Loads HTTBR (MMU
 * off, as the contract requires), turns on the MMU, caches and WXN, points
 * HVBAR at the early vectors' vaddr, and jumps to its virtual continuation.
 * HVBAR held their paddr (cpu_init), which with the MMU on would be used as
 * a vaddr (see arch/arm64/head.S, enable_mmu).
 * Inputs: r0 = vaddr to continue at, r12 = vaddr of early_vectors in the
 * same mapping, r2:r3 = paddr(root).  Clobbers: r1-r2.
 */
FUNC(enable_mmu)
        mcrr    p15, 4, r2, r3, c2          /* HTTBR := root */
        isb                                 /* before the flush and enable */
        /*
         * Drop any HYP TLB entries and stale instructions or branch
         * predictions the loader (U-Boot runs with the MMU on) left.
         * Local: only this CPU is running.
         */
        mcr     p15, 4, r0, c8, c7, 0       /* TLBIALLH */
        mcr     p15, 0, r0, c7, c5, 0       /* ICIALLU */
        mcr     p15, 0, r0, c7, c5, 6       /* BPIALL */
        dsb     nsh                         /* TLB and predictor invalidation complete (local) */
        isb                                 /* later fetches use the new translations */
        mrc     p15, 4, r1, c1, c0, 0       /* HSCTLR */
        ldr     r2, =HSCTLR_MMU_ON
        orr     r1, r1, r2
        mcr     p15, 4, r1, c1, c0, 0
        isb                                 /* next fetch is translated */
        mcr     p15, 4, r12, c12, c0, 0     /* HVBAR: the early vectors, by vaddr */
        isb                                 /* HVBAR write takes effect before anything can trap */
        bx      r0
        .ltorg
END(enable_mmu)

        .section .rodata.head, "a", %progbits
        .balign 8
/* Descriptor templates for map_range, indexed by ATTR_*: low word, high word. */
attr_table:
        .word   PAGE_HYP_RX_LO, 0
        .word   PAGE_HYP_RW_LO | PTE_AP_RO, PTE_XN_HI
        .word   PAGE_HYP_RW_LO, PTE_XN_HI
        .word   (PTE_VALID | PTE_PAGE | PTE_ATTRINDX(MT_DEVICE_nGnRE) | PTE_AF | PTE_AP_RES1), PTE_XN_HI

msg_not_hyp:     .asciz "- hypcore must be entered in HYP mode -"
msg_overlap:     .asciz "- hypcore: boot mappings overlap (layout config bug) -"
msg_block:       .asciz "- hypcore: unexpected block entry in boot tables -"
msg_pool:        .asciz "- hypcore: boot page-table pool exhausted -"

/*
 * The boot page-table pool: root + runtime (L2, 5 x L3) + identity (L2, L3)
 * + alias (L2, 2 x L3) = 12 pages; then the identity bookkeeping and the
 * MMU-off stack, all inside the invalidated area.  Inside the image's
 * footprint (the header's end), below the boot stack's guard page, but not
 * in the file (hypcore.lds.S, .pgtables): create_page_tables zeroes the
 * pool and writes boot_idmap_slot before anything reads them, and
 * boot_idmap_desc whenever the slot it goes with is set.
 */
#define BOOT_PGTABLE_PAGES      14
#define BOOT_EARLY_STACK_SIZE   512
        .section .bss.page_tables, "aw", %nobits
        .balign PAGE_SIZE
DATA(boot_pgtable_pool, PAGE_SIZE)
        .space  BOOT_PGTABLE_PAGES * PAGE_SIZE
DATA(boot_pgtable_pool_end, 8)
END(boot_pgtable_pool)
DATA(boot_idmap_desc, 8)
        .space  8                           /* runtime value of that entry */
END(boot_idmap_desc)
DATA(boot_idmap_slot, 4)
        .space  4                           /* paddr of the entry the identity took */
END(boot_idmap_slot)
        .balign 8
        .space  BOOT_EARLY_STACK_SIZE
DATA(boot_early_stack_top, 8)
DATA(boot_pgtable_area_end, 64)
END(boot_early_stack_top)

        .section .bss.stack, "aw", %nobits
        .balign PAGE_SIZE
DATA(boot_stack, PAGE_SIZE)
        .space  4 * PAGE_SIZE
DATA(boot_stack_top, 8)
END(boot_stack)
