/* SPDX-License-Identifier: MIT */
/* The boot memory map from the device tree (common/memmap_dt.c). */
#ifndef HYPCORE_MEMMAP_DT_H
#define HYPCORE_MEMMAP_DT_H

#include <bootmodule.h>
#include <memmap.h>

enum memdt_err {
    MEMDT_ERR_NO_RAM = 1,       /* no usable memory node */
    MEMDT_ERR_RSV_FULL,         /* a reservation did not fit MEMMAP_MAX_RESERVED */
};

/* What memmap_from_dt needs to know besides the DTB. */
struct memdt_params {
    paddr_t fdt_pa;             /* where the DTB is */
    paddr_t image;              /* hypcore's image, BSS included */
    u64 image_size;
    unsigned int pa_bits;       /* arch_paddr_bits(): nothing at or above 2^pa_bits is usable */
    const char *pa_why;         /* what sets pa_bits, for the messages */
};

/*
 * memmap_from_dt: RAM banks, the image, the DTB, firmware reservations, and
 * those of the boot modules in all (bootmodules_parse() of the same DTB)
 * that pass validation, copied to mods; refused ones are reported and left
 * out.  A RAM bank or module that reaches 2^pa_bits is refused with a line
 * naming it, the width and its node ("mem: refusing RAM 0x...-0x... node=...:
 * beyond the N-bit physical address space (why)"); a reservation that does
 * gets a warning and stays reserved.  Returns 0 or -enum memdt_err.  fdt
 * must have passed dt_check(), and dt_print_facts() must have reported its
 * bad reg entries (they are skipped here without a second warning).
 */
int memmap_from_dt(const void *fdt, const struct memdt_params *p,
                   const struct bootmodules *all, struct memmap *mm,
                   struct bootmodules *mods);

#endif
