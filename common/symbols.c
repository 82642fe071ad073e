/* SPDX-License-Identifier: MIT */
/*
 * common/symbols.c: look addresses up in the embedded symbol table.
 *
 * The table (scripts/symtab.py) is sorted by address: symtab_offsets[i] is
 * symbol i's offset from _start, its name starts at
 * symtab_names[symtab_name_offsets[i]].  Offsets rather than addresses keep
 * it 32-bit wide on both architectures.
 */
#include <sections.h>
#include <symbols.h>

extern const u32 symtab_count;
extern const u32 symtab_offsets[];
extern const u32 symtab_name_offsets[];
extern const char symtab_names[];

const char *symbols_lookup(vaddr_t addr, vaddr_t *offset)
{
    vaddr_t base = (vaddr_t)_start;
    u32 lo = 0, hi = symtab_count, off;

    if ( addr < base || addr >= (vaddr_t)_etext || !hi )
        return NULL;
    off = (u32)(addr - base);       /* the image is far smaller than 4 GiB */
    if ( off < symtab_offsets[0] )
        return NULL;
    /* The last entry at or below off: symtab_offsets[lo] <= off throughout. */
    while ( hi - lo > 1 )
    {
        u32 mid = lo + (hi - lo) / 2;

        if ( symtab_offsets[mid] <= off )
            lo = mid;
        else
            hi = mid;
    }
    *offset = off - symtab_offsets[lo];
    return symtab_names + symtab_name_offsets[lo];
}
