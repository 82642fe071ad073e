/* SPDX-License-Identifier: MIT */
/*
 * Boot memory set-up: the boot memory map from the DTB and what hypcore
 * knows of itself, module validation, the boot allocation of the page
 * metadata, and the heap.  See README "Memory" for the policy.
 */
#ifndef HYPCORE_MEM_SETUP_H
#define HYPCORE_MEM_SETUP_H

#include <bootmodule.h>
#include <memmap.h>

/* What setup_memory() decided, for later stages (dom0 building, self-tests). */
struct boot_mem {
    struct memmap map;
    struct bootmodules mods;        /* accepted modules only */
    vaddr_t meta_va;                /* the page metadata's mapping (selftest=pt) */
    u64 meta_size;
};

extern struct boot_mem boot_mem;

/*
 * setup_memory: build boot_mem from the DTB at fdt (paddr fdt_pa), its
 * parsed boot modules and the image loaded at load, print the map, and
 * start the heap.  Panics when no RAM is usable or a reservation cannot be
 * recorded.
 */
void setup_memory(const void *fdt, paddr_t fdt_pa, paddr_t load,
                  const struct bootmodules *all);

/*
 * release_boot_modules: hand every accepted module's pages to the heap
 * (after dom0 has been built from them).  Returns the pages given back.
 */
u64 release_boot_modules(void);

/* selftest=heap (README "Self-tests"). */
void selftest_heap(void);

#endif
