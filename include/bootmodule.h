/* SPDX-License-Identifier: MIT */
/*
 * Boot modules: the dom0 kernel, ramdisk and device tree a bootloader has
 * placed in RAM and described under /chosen (xen-like/bootmodule.c).
 *
 * The binding is Xen's (docs/misc/arm/device-tree/booting.txt), which QEMU's
 * "-device guest-loader" writes:
 *
 *   chosen {
 *       module@0x50000000 {
 *           compatible = "multiboot,module", "multiboot,kernel";
 *           reg = <0x0 0x50000000 0x0 0x4023>;
 *           bootargs = "console=hvc0";
 *       };
 *   };
 *
 *  - a module is a direct child of /chosen compatible with "multiboot,module"
 *    (or the legacy "xen,multiboot-module");
 *  - its kind comes from the more specific compatible: "multiboot,kernel",
 *    "multiboot,ramdisk", "multiboot,device-tree" (legacy "xen,linux-zimage",
 *    "xen,linux-initrd"); a module with none of these is, as in Xen, the
 *    kernel if it is the first such module and the ramdisk if the second;
 *    any later one stays "unknown";
 *  - reg uses /chosen's cell sizes, falling back to the root's (dt.h);
 *  - /chosen "linux,initrd-start"/"linux,initrd-end" (end exclusive)
 *    describe one more ramdisk.
 *
 * Parsing only checks what the DT itself says (a usable reg, a non-zero
 * size, no wrap past 2^64); placement against RAM, the image, the DTB and
 * other modules is the boot memory map's job.
 */
#ifndef HYPCORE_BOOTMODULE_H
#define HYPCORE_BOOTMODULE_H

#include <types.h>

/*
 * Size of the module table: Xen's dom0 needs at most a kernel, a ramdisk
 * and a device tree; the rest is headroom.  A module past the limit is
 * refused with a message naming this constant.
 */
#define BOOTMOD_MAX         16

enum bootmodule_kind {
    BOOTMOD_KERNEL,
    BOOTMOD_RAMDISK,
    BOOTMOD_DEVICE_TREE,
    BOOTMOD_UNKNOWN,
};

struct bootmodule {
    paddr_t start;
    u64 size;                   /* non-zero; start + size does not wrap */
    enum bootmodule_kind kind;
    const char *bootargs;       /* points into the DTB; NULL if none */
    int node_offset;            /* the module's node (/chosen for linux,initrd-*) */
};

struct bootmodules {
    unsigned int nr;
    struct bootmodule mod[BOOTMOD_MAX];
};

/*
 * Fill @mods from @fdt (checked with fdt_check_header()), in tree order,
 * the linux,initrd-* ramdisk last.  Every module refused (bad reg, zero
 * size, wrap, table full) gets one "dt: warning: ..." line.  Call it once
 * per DTB: the warnings are printed on each call.  Returns mods->nr.
 */
unsigned int bootmodules_parse(const void *fdt, struct bootmodules *mods);

/*
 * Print one line per module (end exclusive, lower-case hex; bootargs= only
 * when the module has some):
 *   dt: module 0x<start>-0x<end> size=0x<size> kind=<kind> node=<path> bootargs="<...>"
 */
void bootmodules_print(const void *fdt, const struct bootmodules *mods);

/* "kernel", "ramdisk", "device-tree" or "unknown". */
const char *bootmodule_kind_name(enum bootmodule_kind kind);

/* The first module of @kind in @mods, or NULL. */
const struct bootmodule *bootmodules_first(const struct bootmodules *mods,
                                           enum bootmodule_kind kind);

#endif /* HYPCORE_BOOTMODULE_H */
