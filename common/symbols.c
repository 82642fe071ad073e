/* SPDX-License-Identifier: MIT */
/*
 * common/symbols.c: look addresses up in the embedded symbol table.
 *
 * The table (scripts/symtab.py) is sorted by address: symtab_offsets[i] is
 * symbol i's offset from _start in halfwords, its name starts at
 * symtab_names[symtab_name_offsets[i]].  Offsets rather than addresses, and
 * 16 bits (128 KiB of text, 64 KiB of names; symtab.py fails the build
 * beyond), keep it small on both architectures.
 */
#include <sections.h>
#include <symbols.h>

extern const u32 symtab_count;
extern const u16 symtab_offsets[];
extern const u16 symtab_name_offsets[];
extern const char symtab_names[];

/* Symbol i's offset from _start, in bytes. */
static u32 sym_offset(u32 i)
{
    return (u32)symtab_offsets[i] << 1;
}

const char *symbols_lookup(vaddr_t addr, vaddr_t *offset)
{
    vaddr_t base = (vaddr_t)_start;
    u32 lo = 0, hi = symtab_count, off;

    if ( addr < base || addr >= (vaddr_t)_etext || !hi )
        return NULL;
    off = (u32)(addr - base);       /* the image is far smaller than 4 GiB */
    if ( off < sym_offset(0) )
        return NULL;
    /* The last entry at or below off: sym_offset(lo) <= off throughout. */
    while ( hi - lo > 1 )
    {
        u32 mid = lo + (hi - lo) / 2;

        if ( sym_offset(mid) <= off )
            lo = mid;
        else
            hi = mid;
    }
    *offset = off - sym_offset(lo);
    return symtab_names + symtab_name_offsets[lo];
}
