/* SPDX-License-Identifier: MIT */
/*
 * The boot memory map: every RAM bank and every range that must not reach
 * the page allocator, typed.  Built on the boot CPU from the DTB and what
 * hypcore knows about itself, before the heap exists.
 *
 * RAM banks are kept sorted and merged when they touch or overlap.  Reserved
 * ranges are kept sorted; ranges of the same type that touch or overlap are
 * merged, except boot modules, which stay one entry each.
 */
#ifndef HYPCORE_MEMMAP_H
#define HYPCORE_MEMMAP_H

#include <range.h>
#include <types.h>

enum mem_type {
    MEM_RAM,
    MEM_FIRMWARE,   /* /memreserve/, /reserved-memory children */
    MEM_IMAGE,      /* hypcore's own image, BSS included */
    MEM_DTB,        /* the firmware DTB */
    MEM_MODULE,     /* a boot module (dom0 kernel, ramdisk, ...) */
    MEM_BOOT,       /* boot allocations: page metadata, page tables */
    MEM_NR_TYPES
};

/* Build-time limits; past them memmap_add_* fail and the caller says which. */
#define MEMMAP_MAX_RAM          32
#define MEMMAP_MAX_RESERVED     64

struct mem_region {
    struct range r;
    enum mem_type type;
    const char *name;       /* static string or a DTB node path copy; may be NULL */
};

struct memmap {
    unsigned int nr_ram;
    unsigned int nr_rsv;
    struct mem_region ram[MEMMAP_MAX_RAM];
    struct mem_region rsv[MEMMAP_MAX_RESERVED];
};

enum memmap_err {
    MEMMAP_OK = 0,
    MEMMAP_ERR_RANGE,       /* zero size, or the range wraps past 2^64 */
    MEMMAP_ERR_FULL,        /* the fixed table is full */
};

const char *mem_type_name(enum mem_type type);

void memmap_init(struct memmap *mm);

/* Add a RAM bank [start, start + size).  Returns an enum memmap_err. */
int memmap_add_ram(struct memmap *mm, paddr_t start, u64 size, const char *name);

/* Add a reserved range of a type other than MEM_RAM.  Returns an enum memmap_err. */
int memmap_add_reserved(struct memmap *mm, enum mem_type type, paddr_t start,
                        u64 size, const char *name);

/*
 * Remove the reserved entry of this type whose range is exactly r.  Returns
 * false if there is none.
 */
bool memmap_remove_reserved(struct memmap *mm, enum mem_type type,
                            const struct range *r);

/* Remove RAM entry @index (0..nr_ram-1; the entries after it move down). */
void memmap_remove_ram(struct memmap *mm, unsigned int index);

/* True if r lies wholly inside RAM (one bank, after merging). */
bool memmap_in_ram(const struct memmap *mm, const struct range *r);

/*
 * The first reserved region of a type in type_mask (1 << MEM_x) that
 * overlaps r, or NULL.
 */
const struct mem_region *memmap_find_overlap(const struct memmap *mm,
                                             const struct range *r,
                                             unsigned int type_mask);

/*
 * memmap_free_ranges: RAM (each bank shrunk to whole pages) minus every
 * reserved range (each grown to whole pages), ascending, into out[].
 * Returns the number of ranges, or -1 if more than max would be needed.
 */
int memmap_free_ranges(const struct memmap *mm, u64 page, struct range *out,
                       unsigned int max);

/*
 * memmap_boot_alloc: a boot allocation of @size rounded up to @align, at the
 * top of the highest free range (memmap_free_ranges() in @page units) that
 * holds it @align-aligned, recorded as MEM_BOOT named @name.  MEMMAP_OK
 * with *@pa set, MEMMAP_ERR_FULL (no room in the table) or
 * MEMMAP_ERR_RANGE (no free range holds it).
 */
int memmap_boot_alloc(struct memmap *mm, u64 size, u64 align, u64 page,
                      const char *name, paddr_t *pa);

/* Print "mem: ram ..." and "mem: reserved ..." lines (README: log format). */
void memmap_print(const struct memmap *mm);

#endif
