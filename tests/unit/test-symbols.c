/* SPDX-License-Identifier: MIT */
/*
 * Host test of common/symbols.c: lookups in a symbol table laid out as
 * scripts/symtab.py writes it, over a fake text [_start, _etext).
 */
#include <string.h>

#include "harness.h"
#include <symbols.h>
#include <types.h>

/*
 * A 0x100-byte "text": _start and _etext as the linker script defines them
 * (renamed text_start and text_end by tests/unit/meson.build: the host
 * program has its own _start).
 */
__asm__(".data\n"
        ".balign 16\n"
        ".globl text_start\n"
        "text_start:\n"
        ".space 0x100\n"
        ".globl text_end\n"
        "text_end:\n"
        ".space 16\n"
        ".previous\n");
extern char _start[], _etext[];

/*
 * The table: three symbols at _start + 0x10, 0x20 and 0x42 (offsets in
 * halfwords); symtab_count is changed to test an empty one.
 */
u32 symtab_count = 3;
const u16 symtab_offsets[] = { 0x08, 0x10, 0x21 };
const u16 symtab_name_offsets[] = { 0, 6, 12 };
const char symtab_names[] = "alpha\0bravo\0charlie";

static void expect(vaddr_t addr, const char *name, vaddr_t offset)
{
    vaddr_t off = 0xdead;
    const char *got = symbols_lookup(addr, &off);

    if ( !name )
    {
        CHECK(!got, "_start%+ld: %s, want none", (long)(addr - (vaddr_t)_start),
              got ? got : "");
        return;
    }
    CHECK(got && !strcmp(got, name) && off == offset,
          "_start%+ld: %s+0x%lx, want %s+0x%lx", (long)(addr - (vaddr_t)_start),
          got ? got : "(none)", (unsigned long)off, name, (unsigned long)offset);
}

int main(void)
{
    vaddr_t s = (vaddr_t)_start;

    expect(s - 1, NULL, 0);                 /* below the text */
    expect(s, NULL, 0);                     /* below the first symbol */
    expect(s + 0x0f, NULL, 0);
    expect(s + 0x10, "alpha", 0);
    expect(s + 0x1f, "alpha", 0xf);
    expect(s + 0x20, "bravo", 0);
    expect(s + 0x41, "bravo", 0x21);
    expect(s + 0x42, "charlie", 0);         /* 2-byte aligned (Thumb) */
    expect(s + 0xff, "charlie", 0xbd);      /* the last byte of the text */
    expect((vaddr_t)_etext, NULL, 0);       /* past the text */
    symtab_count = 1;
    expect(s + 0xff, "alpha", 0xef);
    symtab_count = 0;                       /* the first link's empty table */
    expect(s + 0x10, NULL, 0);
    return harness_exit("symbols");
}
