/* SPDX-License-Identifier: MIT */
/*
 * arch/arm64/head.S: hypcore's entry on AArch64, from reset state to C.
 *
 * Entered at EL2 with the MMU and D-cache off from ANY 4 KiB-aligned physical
 * address (design.md, "Boot contract"), x0 = DTB paddr or 0.  The image is
 * linked at RUNTIME_BASE (a layout config) and runs there once the MMU is on.
 *
 * Boot order (kept in step with arch/arm32/head.S):
 *   start -> check_cpu_mode -> cpu_init -> create_page_tables -> enable_mmu
 *         -> switch_to_runtime_mapping -> zero_bss -> start_hypcore() (C)
 * A secondary's way from PSCI CPU_ON to C is secondary.S; the early console,
 * early exception vectors and park() are early.S.
 *
 * Long-lived registers:
 *   x19  start .. C entry             paddr(start): where the image was loaded
 *   x20  start .. C entry             DTB paddr from the loader's x0 (0 = none)
 *   x21  start .. C entry             vaddr(start) = RUNTIME_BASE
 *   x22  start .. C entry             phys_offset: paddr - vaddr inside the image
 *   x23  start .. C entry             UART base: paddr until the runtime mapping
 *                                     is live, then the fixmap vaddr
 *   x24  create_page_tables .. C      idmap: paddr of the page that turns the MMU on
 *   x25  create_page_tables .. C      share: page-table levels (0..4) the idmap
 *                                     page shares with the runtime region
 *   x26  create_page_tables .. C      temp: vaddr of the temporary alias of the
 *                                     image, 0 when there is no clash
 *   x27  create_page_tables .. enable paddr of the next free boot page-table page
 *   x28  create_page_tables .. C      paddr of the root (level 0) table
 *   x17  create_page_tables .. switch paddr of the one entry the identity mapping
 *                                     took (0 = none: the runtime mapping covers it)
 *   x18  create_page_tables .. switch what that entry holds at runtime (0 = invalid)
 * x16/x17 are safe to hold values: the image is < 2 MiB, so no linker veneer
 * (which may use them) sits between a bl and its target.
 *
 * There is no stack before C: subroutines use x0-x12 as scratch, and the
 * ones that call others keep their return address in x13 (map_range), x15
 * (map_image) or x16 (create_page_tables); map_image keeps the alias
 * offset in x14.  Each says what it clobbers.
 */

#include <arch/asm.h>
#include <arch/processor.h>
#include <asm-offsets.h>
#include <layout.h>

/*
 * The boot CPU's first stack, in BSS; C moves it to its guard-paged per-CPU
 * stack once the heap exists (smp_prepare_boot_cpu()).
 */
#define BOOT_STACK_SIZE         (4 * PAGE_SIZE)

/* Linux arm64 Image header (Documentation/arch/arm64/booting.rst). */
#define IMAGE_TEXT_OFFSET       0x200000    /* QEMU/U-Boot: RAM base + 2 MiB */
/* flags: bit 0 = 0 little-endian, bits 2:1 = 1 4 KiB pages, bit 3 = 1 anywhere */
#define IMAGE_FLAGS             ((1 << 1) | (1 << 3))

        .section .text.header, "ax", %progbits
/*
 * start: the image entry point (offset 0), followed by the Image header.
 * Inputs: x0 = DTB paddr or 0, EL2, MMU off.  Never returns.
 */
FUNC(start)
        b       primary_entry               /* code0 */
        .long   0                           /* code1 */
        .quad   IMAGE_TEXT_OFFSET           /* text_offset */
        .quad   __image_size                /* image_size: footprint incl. BSS */
        .quad   IMAGE_FLAGS                 /* flags */
        .quad   0, 0, 0                     /* res2..res4 */
        .ascii  "ARM\x64"                   /* magic */
        .long   0                           /* res5 */

primary_entry:
        /*
         * Mask Debug, SError, IRQ and FIQ: U-Boot enters with SError unmasked
         * and we have no handler that could take one usefully yet.
         */
        msr     daifset, #0xf
        mov     x20, x0                     /* x20 := DTB paddr from the loader */
        adr_l   x19, start                  /* x19 := paddr(start) */
        ldr     x21, =start                 /* x21 := vaddr(start) = RUNTIME_BASE */
        sub     x22, x19, x21               /* x22 := phys_offset */
        ldr     x23, =BOARD_UART_PADDR      /* x23 := UART paddr (MMU off) */

        bl      check_cpu_mode
        bl      cpu_init
        bl      create_page_tables

        /* Continue in switch_to_runtime_mapping: at the alias if there is one. */
        ldr     x0, =switch_to_runtime_mapping
        cbz     x26, 1f
        sub     x0, x0, x21
        add     x0, x0, x26                 /* x0 := alias vaddr of the same code */
1:      ldr     x3, =early_vectors
        ldr     x1, =switch_to_runtime_mapping
        sub     x3, x3, x1
        add     x3, x3, x0                  /* x3 := the early vectors beside it */
        b       enable_mmu
END(start)

        .text
/*
 * check_cpu_mode: park with a message unless we run at EL2.
 * Inputs: none.  Output: none.  Clobbers: x0-x3.
 */
FUNC(check_cpu_mode)
        mrs     x0, CurrentEL
        cmp     x0, #CURRENTEL_EL2
        b.ne    1f
        ret
1:      early_fail_msg msg_not_el2
END(check_cpu_mode)

/*
 * cpu_init: put EL2 in a known state whatever the loader left (U-Boot leaves
 * HCR_EL2 = 0x20, SError unmasked, VBAR_EL2 and SP pointing into itself), and
 * program the translation controls for enable_mmu.
 * Inputs: none.  Output: none.  Clobbers: x0-x1.
 */
FUNC(cpu_init)
        ldr     x0, =HCR_EL2_BOOT
        msr     hcr_el2, x0
        ldr     x0, =SCTLR_EL2_BOOT         /* MMU, caches off; LE; A = 0 */
        msr     sctlr_el2, x0
        ldr     x0, =CPTR_EL2_BOOT          /* FP/SIMD usable at EL2 (libfdt) */
        msr     cptr_el2, x0
        msr     spsel, #1                   /* run on SP_EL2 */
        msr     tpidr_el2, xzr              /* no per-CPU data yet: this_cpu() = NULL */
        /*
         * Nothing uses the stack before C.  SP := 0 makes a stray push fault
         * (and print through the early vectors) instead of writing into the
         * loader's memory.
         */
        mov     x0, #0
        mov     sp, x0
        /* Vectors at their physical address: faults before the MMU is on print. */
        adr_l   x0, early_vectors
        msr     vbar_el2, x0

        ldr     x0, =MAIR_EL2_VALUE
        msr     mair_el2, x0
        ldr     x0, =TCR_EL2_BOOT
        mrs     x1, id_aa64mmfr0_el1
        and     x1, x1, #PARANGE_MASK       /* x1 := PARange */
        cmp     x1, #PARANGE_48BIT
        b.ls    1f
        mov     x1, #PARANGE_48BIT          /* our descriptors hold 48-bit OAs */
1:      bfi     x0, x1, #TCR_PS_SHIFT, #TCR_PS_WIDTH
        msr     tcr_el2, x0
        /* The writes above take effect before anything depends on them. */
        isb
        ret
END(cpu_init)

/*
 * create_page_tables: build the boot page tables, MMU off, in the pool that
 * is part of the image's footprint (not BSS: BSS is zeroed later, with the
 * MMU on), zeroed here first.
 *
 *  - the image at RUNTIME_BASE with 4 KiB pages: text RX, rodata RO,
 *    data/bss RW (never writable and executable: WXN is set with the MMU);
 *  - the fixmap UART page and the tables of the FDT area;
 *  - the identity mapping of the idmap page only (enable_mmu);
 *  - when that page lies inside the runtime region at another address
 *    (clash), a temporary alias of the image in the neighbouring level-0
 *    slot, from which switch_to_runtime_mapping repairs the runtime mapping.
 *
 * Inputs: x19, x21, x22.
 * Output: x24 idmap, x25 share, x26 temp, x27, x28, x17/x18 (see the table).
 * Clobbers: x0-x16.
 */
FUNC_LOCAL(create_page_tables)
        mov     x16, x30                    /* x16 := return address (we call) */

        adr_l   x28, boot_pgtable_pool      /* x28 := paddr(root table) */
        add     x27, x28, #PAGE_SIZE        /* x27 := next free table page */

        /*
         * The pool is written with the MMU off, i.e. with non-cacheable
         * accesses, and later read by cacheable accesses and table walks.
         * Invalidate it first so no dirty line the loader left can be written
         * back over our tables, and again when done (below) so no stale clean
         * line can hide them (Arm ARM D7.5.7, data cache maintenance with the
         * MMU off; Linux's booting.rst leaves the image clean, not invalid).
         */
        mov     x0, x28
        adr_l   x1, boot_pgtable_pool_end
        bl      dcache_inval_range
        mov     x0, x28
        adr_l   x1, boot_pgtable_pool_end
1:      stp     xzr, xzr, [x0], #16         /* zero the pool */
        cmp     x0, x1
        b.lo    1b

        mov     x0, x21
        bl      map_image                   /* the image at RUNTIME_BASE */

        ldr     x0, =LAYOUT_FIXMAP_OFFSET + FIXMAP_UART * PAGE_SIZE
        add     x0, x0, x21
        ldr     x1, =BOARD_UART_PADDR
        mov     x2, #PAGE_SIZE
        ldr     x3, =PAGE_HYP_DEVICE
        bl      map_range                   /* fixmap slot 0 := UART */

        /* Tables for the FDT area (4 MiB from a 4 KiB boundary: 3 blocks at most) */
        ldr     x0, =LAYOUT_FDT_OFFSET
        add     x0, x0, x21
        bl      pt_walk_create
        ldr     x0, =LAYOUT_FDT_OFFSET + PT_LEVEL_SIZE(2)
        add     x0, x0, x21
        bl      pt_walk_create
        ldr     x0, =LAYOUT_FDT_OFFSET + LAYOUT_FDT_SIZE - PAGE_SIZE
        add     x0, x0, x21
        bl      pt_walk_create

        /*
         * share := number of levels, from the root, whose entry for the idmap
         * page also translates part of the runtime region [R, R + SIZE): the
         * level-L block holding the page overlaps the region.  4 = inside it.
         */
        adr_l   x24, _idmap_start           /* x24 := paddr(idmap page) */
        ldr     x1, =LAYOUT_REGION_SIZE - 1
        add     x1, x1, x21                 /* x1 := last byte of the region */
        mov     x25, #0                     /* x25 := share */
        mov     x2, #PT_LEVEL_SHIFT(0)      /* x2 := shift of the level */
2:      lsr     x3, x24, x2                 /* block of the idmap page */
        lsr     x4, x21, x2                 /* first block of the region */
        lsr     x5, x1, x2                  /* last block of the region */
        cmp     x3, x4
        b.lo    3f
        cmp     x3, x5
        b.hi    3f
        add     x25, x25, #1
        sub     x2, x2, #PT_ORDER
        cmp     x2, #PAGE_SHIFT
        b.hs    2b
3:
        /* Identity mapping, unless the runtime mapping is the identity (load == R). */
        mov     x17, #0
        mov     x18, #0
        cmp     x25, #PT_LEVELS
        ccmp    x19, x21, #0, eq            /* share == 4 && load == R ? */
        b.eq    4f
        lsr     x0, x24, #VA_BITS
        cbnz    x0, 9f                      /* above the VA range: cannot idmap */
        mov     x0, x24
        bl      pt_walk_create              /* x0 := slot, x1 := first new entry */
        mov     x17, x1                     /* the identity has its own entry... */
        cbnz    x1, 5f
        mov     x17, x0                     /* ...or borrows a runtime level-3 slot */
        ldr     x18, [x0]                   /* x18 := its runtime value */
5:      ldr     x1, =PAGE_HYP_RX
        orr     x1, x1, x24
        str     x1, [x0]                    /* idmap page := itself, RX */
4:
        /* Clash: the idmap page is inside the region at a different address. */
        mov     x26, #0
        cmp     x25, #PT_LEVELS
        ccmp    x19, x21, #4, eq            /* share == 4 && load != R ? */
        b.eq    6f
        eor     x26, x21, #(1 << VA_ROOT_SLOT_BIT) /* x26 := temp alias vaddr */
        mov     x0, x26
        bl      map_image                   /* the image again, at the alias */
6:
        /* Table writes are complete before the maintenance below (and the walk). */
        dsb     sy
        mov     x0, x28
        adr_l   x1, boot_pgtable_pool_end
        bl      dcache_inval_range          /* drop stale lines (see above) */
        mov     x30, x16
        ret

9:      early_fail_msg msg_idmap_range
END(create_page_tables)

/*
 * map_image: map the whole image [start, _end) at vaddr x0 onwards, to where
 * it was loaded: text RX, rodata RO, data and bss RW, except the boot
 * stack's guard page (hypcore.lds.S), left unmapped so that an overflow of
 * the boot stack faults instead of writing .data and the boot tables.
 * Inputs: x0 = vaddr for start, x19 = paddr(start), x21 = vaddr(start).
 * Output: none.  Clobbers: x0-x15.
 */
FUNC_LOCAL(map_image)
        mov     x15, x30
        sub     x14, x0, x21                /* x14 := alias offset (0 at runtime) */
        ldr     x0, =start
        ldr     x2, =_etext
        ldr     x3, =PAGE_HYP_RX
        bl      map_image_part
        ldr     x0, =_srodata
        ldr     x2, =_erodata
        ldr     x3, =PAGE_HYP_RO
        bl      map_image_part
        ldr     x0, =_sdata
        ldr     x2, =__boot_stack_guard
        ldr     x3, =PAGE_HYP_RW
        bl      map_image_part
        ldr     x0, =__bss_start            /* the guard page's end */
        ldr     x2, =_end
        ldr     x3, =PAGE_HYP_RW
        bl      map_image_part
        mov     x30, x15
        ret
END(map_image)

/*
 * map_image_part: map [x0, x2) of the image (link vaddrs) at x0 + x14.
 * Inputs: x0, x2 = link vaddrs (page aligned), x3 = attributes, x14, x19, x21.
 * Clobbers: x0-x13.
 */
FUNC_LOCAL(map_image_part)
        sub     x2, x2, x0                  /* size */
        sub     x1, x0, x21
        add     x1, x1, x19                 /* paddr */
        add     x0, x0, x14                 /* vaddr */
        b       map_range
END(map_image_part)

/*
 * map_range: map [x0, x0 + x2) to x1 onwards with 4 KiB pages, creating
 * tables as needed.  Every page entry must be free: mapping over an existing
 * one is a hypcore bug (overlapping boot mappings) and parks.
 * Inputs: x0 = vaddr, x1 = paddr, x2 = size, x3 = attributes; all page aligned.
 * Output: none.  Clobbers: x0-x13.
 */
FUNC_LOCAL(map_range)
        mov     x13, x30
        mov     x9, x3                      /* x9 := attributes */
        mov     x10, x0                     /* x10 := vaddr */
        mov     x11, x1                     /* x11 := paddr */
        add     x12, x0, x2                 /* x12 := end vaddr */
1:      cmp     x10, x12
        b.hs    2f
        mov     x0, x10
        bl      pt_walk_create              /* x0 := slot */
        ldr     x1, [x0]
        tbnz    x1, #0, 9f                  /* already mapped */
        orr     x1, x11, x9
        str     x1, [x0]
        add     x10, x10, #PAGE_SIZE
        add     x11, x11, #PAGE_SIZE
        b       1b
2:      mov     x30, x13
        ret
9:      early_fail_msg msg_overlap
END(map_range)

/*
 * pt_walk_create: find the level-3 entry for a vaddr in the boot tables,
 * creating the missing tables from the pool (MMU off: tables are reached by
 * their paddr).
 * Inputs: x0 = vaddr, x27 = next free page, x28 = root.
 * Output: x0 = paddr of the level-3 entry, x1 = paddr of the first entry this
 *         call made valid (0 if every table already existed); x27 advanced.
 * Clobbers: x0-x7.
 */
FUNC_LOCAL(pt_walk_create)
        mov     x5, x0                      /* x5 := vaddr */
        mov     x6, #0                      /* x6 := first entry made valid */
        mov     x3, x28                     /* x3 := table of this level */
        mov     x4, #PT_LEVEL_SHIFT(PT_ROOT_LEVEL)
1:      lsr     x2, x5, x4
        and     x2, x2, #PT_INDEX_MASK
        add     x2, x3, x2, lsl #PT_ENTRY_SHIFT /* x2 := this level's entry */
        cmp     x4, #PAGE_SHIFT
        b.eq    3f                          /* level 3: done */
        ldr     x1, [x2]
        tbnz    x1, #0, 2f                  /* valid: follow it */
        mov     x1, x27                     /* take a zeroed page from the pool */
        add     x27, x27, #PAGE_SIZE
        adr_l   x7, boot_pgtable_pool_end
        cmp     x27, x7
        b.hi    9f
        orr     x1, x1, #TABLE_DESC
        str     x1, [x2]
        cbnz    x6, 2f
        mov     x6, x2
2:      tbz     x1, #1, 8f                  /* a block: we never make those */
        and     x3, x1, #PTE_ADDR_MASK
        sub     x4, x4, #PT_ORDER
        b       1b
3:      mov     x0, x2
        mov     x1, x6
        ret
8:      early_fail_msg msg_block
9:      early_fail_msg msg_pool
END(pt_walk_create)

/*
 * dcache_inval_range: invalidate the data cache to the PoC for [x0, x1).
 * Used with the MMU off on memory hypcore itself owns (the table pool), so
 * discarding a dirty line loses nothing that matters.
 * Inputs: x0 = start, x1 = end.  Clobbers: x0-x3.
 */
FUNC_LOCAL(dcache_inval_range)
        dcache_line_size x2, x3
        sub     x3, x2, #1
        bic     x0, x0, x3
1:      dc      ivac, x0
        add     x0, x0, x2
        cmp     x0, x1
        b.lo    1b
        dsb     sy                          /* invalidation done before our next access */
        ret
END(dcache_inval_range)

/*
 * switch_to_runtime_mapping: entered with the MMU on, at the alias when there
 * is a clash, else at the runtime address.  Gives the entry the identity
 * mapping took back its runtime value (break-before-make), moves to the
 * runtime address, drops the alias, then goes on to C.
 * Inputs: x17, x18, x19, x21, x22, x24, x26, x28.  Never returns.
 */
FUNC_LOCAL(switch_to_runtime_mapping)
        cbz     x17, 2f
        /* x0 := vaddr of the entry: through the alias if any, else at runtime */
        sub     x0, x17, x19
        cmp     x26, #0
        csel    x1, x21, x26, eq
        add     x0, x0, x1
        str     xzr, [x0]                   /* break: remove the identity entry */
        dsb     nshst                       /* ...visible to the walker before the TLBI */
        lsr     x1, x24, #PAGE_SHIFT
        tlbi    vae2, x1                    /* every cached level for the idmap VA; local: only this CPU runs */
        dsb     nsh                         /* TLBI complete */
        isb                                 /* no instruction fetched with the old mapping */
        cbz     x18, 2f
        str     x18, [x0]                   /* make: the runtime entry */
        dsb     nshst                       /* visible before we use it */
        isb                                 /* the next instructions see the new entry */
2:      ldr     x0, =3f                     /* the runtime address of 3: */
        br      x0
3:      adr_l   x0, early_vectors           /* at runtime now: the alias is about to go */
        msr     vbar_el2, x0
        isb                                 /* the register write takes effect before the alias goes */
        cbz     x26, 4f
        /* Drop the alias: its level-0 entry is its own (R's neighbour slot). */
        sub     x0, x28, x22                /* x0 := vaddr(root) */
        lsr     x1, x26, #PT_LEVEL_SHIFT(PT_ROOT_LEVEL)
        and     x1, x1, #PT_INDEX_MASK
        str     xzr, [x0, x1, lsl #PT_ENTRY_SHIFT]
        dsb     nshst                       /* entry cleared before the TLBI */
        tlbi    alle2                       /* the alias spans many pages: drop all */
        dsb     nsh                         /* TLB invalidation complete (local) */
        isb                                 /* later fetches use the new translations */
4:      ldr     x23, =__fixmap_start + FIXMAP_UART * PAGE_SIZE /* x23 := UART vaddr */
        /* fall through */
END(switch_to_runtime_mapping)

/*
 * zero_bss: clear BSS through the runtime mapping (caches on, so no
 * maintenance is needed), set up the boot stack and the stack-protector
 * guard, and call C.
 * Inputs: x19-x26.  Never returns.
 */
FUNC_LOCAL(zero_bss)
        ldr     x0, =__bss_start
        ldr     x1, =__bss_end
1:      cmp     x0, x1
        b.hs    2f
        stp     xzr, xzr, [x0], #16
        b       1b
2:      ldr     x0, =boot_stack_top
        mov     sp, x0
        /*
         * The runtime vectors only now: they push a frame on SP (0 until
         * here), and before a stack the early ones print and park.
         */
        adr_l   x0, hyp_vectors
        msr     vbar_el2, x0
        isb                                 /* the register write takes effect before C runs */
        /* A guard the code cannot predict: the counter at boot, scrambled. */
        mrs     x0, cntpct_el0
        ldr     x1, =0x9e3779b97f4a7c15
        mul     x0, x0, x1
        eor     x0, x0, x1
        ldr     x1, =__stack_chk_guard
        str     x0, [x1]

        mov     x0, x20                     /* fdt paddr */
        mov     x1, x19                     /* load paddr */
        mov     x2, x24                     /* idmap paddr */
        mov     x3, x26                     /* temp alias vaddr or 0 */
        mov     x4, x25                     /* share */
        /*
         * C starts a new call chain: x29 = 0 and x30 = 0 make start_hypcore's
         * frame record {0, 0}, where the trap dump's call trace and gdb's
         * backtrace stop, instead of following whatever the loader left in
         * x29 or returning into head.S code that has no frame.  A branch, not
         * a call, so that x30 stays 0: start_hypcore never returns.
         */
        mov     x29, xzr
        mov     x30, xzr
        b       start_hypcore
END(zero_bss)

        .section .text.idmap, "ax", %progbits
/*
 * enable_mmu: the only code that must be identity mapped.  Loads TTBR0_EL2
 * (MMU off, as the contract requires), turns on the MMU, D- and I-caches and
 * WXN, points VBAR_EL2 at the early vectors' vaddr, and jumps to its
 * virtual continuation.
 *
 * VBAR_EL2 held the early vectors' paddr (cpu_init).  Once the MMU is on,
 * that paddr would be used as a vaddr: an exception would fetch its vector
 * from an unmapped address (a silent loop of prefetch aborts) or from
 * whatever page a clash puts there.  So it is re-pointed right after the
 * MMU-on ISB, at the vectors in the mapping the continuation runs in (the
 * alias or the runtime image); early_exception then prints through the
 * fixmap UART.
 *
 * Inputs: x0 = vaddr to continue at, x3 = vaddr of early_vectors in the
 * same mapping, x28 = paddr(root).  Clobbers: x1-x2.
 */
FUNC(enable_mmu)
        msr     ttbr0_el2, x28
        isb                                 /* TTBR write before the flush and enable */
        /*
         * EL2 has no ASIDs: drop any EL2 TLB entries the loader's own tables
         * left behind (U-Boot runs with the MMU on), and any stale
         * instructions of the image.  Local: only this CPU is running.
         */
        tlbi    alle2
        ic      iallu                       /* stale instructions of the image */
        dsb     nsh                         /* invalidations complete */
        isb                                 /* later fetches use the new translations */
        mrs     x1, sctlr_el2
        ldr     x2, =SCTLR_EL2_MMU_ON
        orr     x1, x1, x2
        msr     sctlr_el2, x1
        isb                                 /* next fetch is translated */
        msr     vbar_el2, x3                /* the early vectors, by vaddr */
        isb                                 /* VBAR write takes effect before anything can trap */
        br      x0
        .ltorg
END(enable_mmu)

        .section .rodata.head, "a", %progbits
        .balign 8
/*
 * const vaddr_t percpu_preferred: __percpu_start, the per-CPU slot's
 * preferred place (arch/arm64/percpu.c), out of ADRP's reach from C.
 */
DATA(percpu_preferred, 8)
        .quad   __percpu_start
END(percpu_preferred)

msg_not_el2:     .asciz "- hypcore must be entered at EL2 -"
msg_idmap_range: .asciz "- hypcore: loaded above the 48-bit VA range, cannot identity-map -"
msg_overlap:     .asciz "- hypcore: boot mappings overlap (layout config bug) -"
msg_block:       .asciz "- hypcore: unexpected block entry in boot tables -"
msg_pool:        .asciz "- hypcore: boot page-table pool exhausted -"

/*
 * The boot page-table pool: inside the image's footprint (image_size in the
 * header), below the boot stack's guard page, but not in the file:
 * create_page_tables zeroes it before use, so 64 KiB of zeroes need not be
 * loaded, and zero_bss (which runs after the tables are live) never touches
 * it (hypcore.lds.S, .pgtables).  Its size covers the worst case: root +
 * runtime (L1, L2, 5 x L3 for an unaligned 8 MiB region) + identity (L1,
 * L2, L3) + alias (L1, L2, 2 x L3) = 15 pages.
 */
#define BOOT_PGTABLE_PAGES 16
        .section .bss.page_tables, "aw", %nobits
        .balign PAGE_SIZE
DATA(boot_pgtable_pool, PAGE_SIZE)
        .space  BOOT_PGTABLE_PAGES * PAGE_SIZE
DATA(boot_pgtable_pool_end, 1)
END(boot_pgtable_pool)

        .section .bss.stack, "aw", %nobits
        .balign PAGE_SIZE
DATA(boot_stack, PAGE_SIZE)
        .space  BOOT_STACK_SIZE
DATA(boot_stack_top, 16)
END(boot_stack)
