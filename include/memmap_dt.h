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

/*
 * memmap_from_dt: RAM banks, the image [image, image + image_size), the DTB
 * at fdt_pa, firmware reservations, and those of the boot modules in all
 * (bootmodules_parse() of the same DTB) that pass validation, copied to
 * mods; refused ones are reported and left out.  Returns 0 or -enum
 * memdt_err.  fdt must have passed dt_check().
 */
int memmap_from_dt(const void *fdt, paddr_t fdt_pa, paddr_t image,
                   u64 image_size, const struct bootmodules *all,
                   struct memmap *mm, struct bootmodules *mods);

#endif
