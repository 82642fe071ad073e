/* SPDX-License-Identifier: MIT */
/*
 * Building dom0 from the boot modules and starting it (xen-like/dom0_build.c,
 * xen-like/dom0_kernel.c, xen-like/dom0_fdt.c), as Xen builds dom0 on Arm: RAM mapped 1:1, devices
 * passed through, the kernel placed as its image header asks (an arm64
 * Image, or on arm32 a zImage: GUEST_KERNEL_ZIMAGE in arch/vcpu.h), a
 * device tree derived from the host's.
 */
#ifndef HYPCORE_DOM0_BUILD_H
#define HYPCORE_DOM0_BUILD_H

#include <range.h>
#include <types.h>

/* dom0's RAM: at most this many contiguous ranges. */
#define DOM0_MAX_RAM        16

/*
 * dom0_build: after smp_init(), on the boot CPU.  Without a kernel module,
 * with one that is not an arm64 Image (arm32: a zImage), or when dom0_mem= cannot be met, one
 * "dom0:" line and a false return (the caller completes the boot as
 * without dom0).  Otherwise builds dom0, gives the boot modules back to the
 * heap and enters dom0 on this CPU: it does not return.
 */
bool dom0_build(const void *fdt);

struct bootmodule;

/* What dom0's kernel header asks for (dom0_kernel.c). */
struct kimage {
    u64 text_offset, image_size, flags;     /* arm64 Image (image_size: arm32 too) */
    u64 zstart, zend;                       /* arm32 zImage: start (link address or 0), end */
    bool big_endian;
};

/* Where the kernel, its DTB and its initrd go in dom0's RAM. */
struct placement {
    paddr_t kernel, dtb, initrd;
};

/*
 * dom0_kernel_probe: read the kernel module's header (GUEST_KERNEL_ZIMAGE:
 * a zImage, else an arm64 Image) into @img and print it as read.  False,
 * after one "dom0: ...: no dom0" line, when the module is no such kernel,
 * is big-endian, or its header asks for what no dom0 can give.
 */
bool dom0_kernel_probe(const struct bootmodule *k, struct kimage *img);

/* dom0_kernel_need: the RAM the kernel, a DTB of @fdt_room bytes and the initrd need. */
u64 dom0_kernel_need(const struct kimage *img, u64 fdt_room, u64 rd_size);

/*
 * dom0_kernel_place: where the kernel, DTB and initrd go in dom0's RAM
 * @ram[0..@nr) (ascending).  False when the kernel's header cannot be met
 * there.
 */
bool dom0_kernel_place(const struct kimage *img, const struct range *ram, unsigned int nr,
                       u64 fdt_room, u64 rd_size, struct placement *pl);

/* Is [pa, pa + len) inside dom0's RAM? */
bool dom0_ram_contains(paddr_t pa, u64 len);

/*
 * dom0_make_fdt (dom0_fdt.c): write dom0's device tree, derived from the
 * host's @fdt (whose blocks end within its first @used bytes), into @buf
 * (@size bytes): memory = @ram[0..@nr_ram), no
 * /chosen modules, bootargs = @bootargs (none if NULL), the initrd
 * properties when @initrd_size, /psci method "hvc", the ITS disabled.
 * Returns 0 or a libfdt error (negative).
 */
int dom0_make_fdt(const void *fdt, u64 used, void *buf, u64 size, const struct range *ram,
                  unsigned int nr_ram, const char *bootargs, paddr_t initrd,
                  u64 initrd_size);

#endif
