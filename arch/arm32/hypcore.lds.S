/* SPDX-License-Identifier: MIT */
/*
 * hypcore linker script (ARMv7, HYP mode).  Preprocessed once per layout
 * with -DRUNTIME_BASE=<vaddr> (configs/layouts/arm32/<name>.conf); in step
 * with arch/arm64/hypcore.lds.S.
 */
#include <layout.h>
#include <arch/pgtable.h>

OUTPUT_ARCH(arm)
ENTRY(start)

SECTIONS
{
    . = RUNTIME_BASE;
    _start = .;

    .text : AT(BOARD_ELF_LOAD_PADDR) {
        /*
         * The first page is also the identity page (head.S): the header at
         * offset 0, enable_mmu right after it, then the text as it comes
         * (head.S's own first, as it is first in link order).  No padding
         * after the header or after enable_mmu: the file is page-granular,
         * and those two pages were almost empty.  The rest of the page is
         * mapped at VA == PA too while a CPU comes up, read-only and
         * executable like the text it is.
         */
        _idmap_start = .;
        KEEP(*(.text.header))
        KEEP(*(.text.idmap))
        _idmap_code_end = .;
        *(.text .text.*)
        *(.glue_7 .glue_7t .vfp11_veneer .v4_bx)
        . = ALIGN(PAGE_SIZE);
        _etext = .;
    }

    .rodata : {
        _srodata = .;
        *(.rodata .rodata.*)
        /* The command-line options (include/cmdline.h), one struct param each. */
        . = ALIGN(8);
        __param_start = .;
        KEEP(*(.init.param))
        __param_end = .;
        . = ALIGN(8);
        *(.got .got.plt)
        *(.ARM.exidx* .ARM.extab*)
        /*
         * Last, so that its size moves no text: the symbol table the second
         * link embeds (scripts/symtab.py, meson.build).
         */
        . = ALIGN(4);
        *(.symbols)
        . = ALIGN(PAGE_SIZE);
        _erodata = .;
    }

    .data : {
        _sdata = .;
        *(.data .data.*)
        . = ALIGN(PAGE_SIZE);
        _edata = .;
    }

    /*
     * The boot page-table pool (head.S): in the footprint, mapped RW with
     * .data, below the guard page, but not in the file: head.S zeroes it
     * before the MMU is on, and zero_bss, which runs on those tables, must
     * not.  NOLOAD keeps 16 (arm32: 14) pages of zeroes out of hypcore.bin.
     */
    .pgtables (NOLOAD) : {
        *(.bss.page_tables)
        . = ALIGN(PAGE_SIZE);
    }

    .bss (NOLOAD) : {
        /*
         * The boot stack's guard page, never mapped (head.S map_image): the
         * boot stack (.bss.stack, first in BSS) grows down towards it, and
         * below it are .data and the live boot page-table pool.  Outside
         * [__bss_start, __bss_end), so zero_bss never writes it.
         */
        . = ALIGN(PAGE_SIZE);
        __boot_stack_guard = .;
        . += PAGE_SIZE;
        __bss_start = .;
        *(.bss.stack)
        *(.bss .bss.* COMMON)
        . = ALIGN(16);
        __bss_end = .;
        . = ALIGN(PAGE_SIZE);
    }
    _end = .;

    __image_size = _end - _start;
    __fixmap_start = RUNTIME_BASE + LAYOUT_FIXMAP_OFFSET;
    __fdt_area_start = RUNTIME_BASE + LAYOUT_FDT_OFFSET;
    __runtime_end = RUNTIME_BASE + LAYOUT_REGION_SIZE;
    /* The per-CPU area (slot and stack regions): the end of the runtime region's GiB. */
    __percpu_start = (RUNTIME_BASE & ~((1 << 30) - 1)) + (1 << 30) - PERCPU_AREA_SIZE;

    /DISCARD/ : {
        *(.comment) *(.note .note.*) *(.eh_frame) *(.interp) *(.ARM.attributes)
        *(.dynamic) *(.dynsym) *(.dynstr) *(.hash) *(.gnu.hash)
    }
}

ASSERT(boot_stack == __boot_stack_guard + PAGE_SIZE, "the boot stack must sit right above its guard page")
_idmap_end = _idmap_start + PAGE_SIZE;
ASSERT(_idmap_start == _start, "the identity page is the image's first page")
ASSERT(_idmap_code_end <= _idmap_end, "the header and enable_mmu must fit the identity page")
ASSERT(_end - _start <= LAYOUT_IMAGE_MAX, "image (with BSS) larger than its slot in the runtime region")
ASSERT((RUNTIME_BASE % PAGE_SIZE) == 0, "RUNTIME_BASE must be 4 KiB aligned")
ASSERT((RUNTIME_BASE >> 30) == ((RUNTIME_BASE + LAYOUT_REGION_SIZE - 1) >> 30),
       "the runtime region must not cross a 1 GiB boundary")
ASSERT(RUNTIME_BASE + LAYOUT_REGION_SIZE <= __percpu_start, "runtime region over the per-CPU slot")
