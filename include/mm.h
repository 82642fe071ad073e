/* SPDX-License-Identifier: MIT */
/*
 * The boot page tables from C (common/boot_mm.c) and the one memory hook
 * each architecture implements (arch/<arch>/mm.c).
 */
#ifndef HYPCORE_MM_H
#define HYPCORE_MM_H

#include <types.h>

/* Normal cacheable RO, Normal RW and Device attributes for arch_map_page(). */
enum map_type { MAP_RO, MAP_RW, MAP_DEVICE };

/*
 * mm_boot_init: called first thing in C, on the boot CPU, with the paddr
 * the image was loaded at.  Afterwards virt_to_image_paddr() works.
 */
void mm_boot_init(paddr_t load);

/* The paddr behind a vaddr inside the hypervisor image. */
paddr_t virt_to_image_paddr(const void *va);

/* The vaddr of a table inside the image, from a table entry (or root paddr). */
u64 *image_table_va(u64 entry);

/*
 * map_boot_page: map one 4 KiB page at va (inside the boot-time runtime
 * region: fixmap or FDT area, whose tables head.S created) to pa.  The entry
 * must be free (asserted).  The mapping is usable when this returns.
 */
void map_boot_page(vaddr_t va, paddr_t pa, enum map_type type);

/*
 * unmap_boot_page: remove a mapping made by map_boot_page (boot CPU, local
 * TLB maintenance).
 */
void unmap_boot_page(vaddr_t va);

/*
 * arch_map_frametable: map the page metadata [pa, pa + size) (2 MiB aligned
 * and sized) read-write at a fixed virtual area and return its vaddr; panics
 * if the area cannot hold it.  Called once, on the boot CPU.
 */
void *arch_map_frametable(paddr_t pa, u64 size);
#define FRAMETABLE_ALIGN 0x200000ULL

#endif
