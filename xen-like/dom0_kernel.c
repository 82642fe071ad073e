/* SPDX-License-Identifier: MIT */
/*
 * xen-like/dom0_kernel.c: dom0's kernel, as Xen 4.17's kernel.c reads and
 * places it (include/dom0_build.h): its header read and checked, one line
 * saying what it asks for or why it cannot be had, and where it goes in
 * dom0's RAM with its DTB and initrd.
 *  - arm64: an Image (Linux Documentation/arch/arm64/booting.rst): at a
 *    2 MiB-aligned base + text_offset, image_size bytes (BSS included),
 *    in the lowest RAM range unless the "anywhere" flag is set;
 *  - arm32: a zImage (Documentation/arch/arm/booting.rst, Xen's
 *    kernel_zimage_probe/place): end - start bytes, position independent
 *    (start 0) or linked at start; placed as Xen's kernel_zimage_place
 *    and place_modules do: in the first RAM range, as high as it goes
 *    within its lowest 128 MiB (the decompressor writes the kernel near
 *    the start of that region), the DTB and initrd each in whole 2 MiB at
 *    128 MiB, or at the top of the range, or below the zImage, wherever
 *    the decompressor will not overwrite them.
 */
#include <bootmodule.h>
#include <dom0_build.h>
#include <lib.h>
#include <page_alloc.h>
#include <percpu_mm.h>
#include <printk.h>
#include <string.h>
#include <vcpu.h>

#define PAGE_SZ             HEAP_PAGE_SIZE
#define SZ_2M               0x200000ULL
#define W_SRC               0           /* the window slot the header is read through */
/* No RAM dom0 can have reaches past its 40-bit IPA space (p2m_init). */
#define KERNEL_LIMIT        (1ULL << 40)

/* The arm64 Image header (booting.rst "Call the kernel image"). */
#define IMAGE_MAGIC         0x644d5241U     /* "ARM\x64" */
#define IMAGE_MAGIC_OFF     56
#define IMAGE_HDR_SIZE      64
#define IMAGE_FLAG_BE       (1ULL << 0)
#define IMAGE_FLAG_ANYWHERE (1ULL << 3)     /* bit 3: base anywhere, else low in RAM */
#define IMAGE_OLD_TEXT_OFF  0x80000ULL      /* image_size == 0: a pre-3.17 kernel */

/* The arm32 zImage header (arch/arm/boot/compressed/head.S, booting.rst). */
#define ZIMAGE_MAGIC        0x016f2818U
#define ZIMAGE_MAGIC_OFF    0x24
#define ZIMAGE_START_OFF    0x28            /* 0: position independent */
#define ZIMAGE_END_OFF      0x2c
#define ZIMAGE_ENDIAN_OFF   0x30
#define ZIMAGE_LE           0x04030201U     /* the endianness marker as a LE word */
#define ZIMAGE_HDR_SIZE     0x34
/* booting.rst: the zImage within the first 128 MiB of RAM (the decompressor's window). */
#define ZIMAGE_LOW_WINDOW   0x8000000ULL


/* The first bytes of the module (at most one page's worth from its start). */
static bool read_header(const struct bootmodule *k, u8 *hdr, u64 len)
{
    paddr_t page = k->start & ~(PAGE_SZ - 1);
    u64 off = k->start - page;
    const u8 *p;

    if ( k->size < len || off + len > PAGE_SZ )
        return false;
    p = window_map(W_SRC, page);
    memcpy(hdr, p + off, len);
    window_unmap(W_SRC);
    return true;
}

static u32 le32(const u8 *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (u32)p[3] << 24;
}

static bool read_image_header(const struct bootmodule *k, struct kimage *img)
{
    u8 hdr[IMAGE_HDR_SIZE];

    if ( !read_header(k, hdr, sizeof(hdr)) || le32(hdr + IMAGE_MAGIC_OFF) != IMAGE_MAGIC )
        return false;
    memcpy(&img->text_offset, hdr + 8, 8);      /* little-endian fields */
    memcpy(&img->image_size, hdr + 16, 8);
    memcpy(&img->flags, hdr + 24, 8);
    if ( img->image_size == 0 )
    {
        img->text_offset = IMAGE_OLD_TEXT_OFF;
        img->image_size = k->size;
    }
    img->big_endian = img->flags & IMAGE_FLAG_BE;
    return true;
}

static bool read_zimage_header(const struct bootmodule *k, struct kimage *img)
{
    u8 hdr[ZIMAGE_HDR_SIZE];
    u32 start, end;

    if ( !read_header(k, hdr, sizeof(hdr)) || le32(hdr + ZIMAGE_MAGIC_OFF) != ZIMAGE_MAGIC )
        return false;
    start = le32(hdr + ZIMAGE_START_OFF);
    end = le32(hdr + ZIMAGE_END_OFF);
    memset(img, 0, sizeof(*img));
    img->zstart = start;
    img->zend = end;
    img->image_size = end > start ? end - start : k->size;
    img->big_endian = le32(hdr + ZIMAGE_ENDIAN_OFF) != ZIMAGE_LE;
    return true;
}

/*
 * Reasons a header cannot be satisfied, whatever dom0_mem: one line each.
 * An Image whose text_offset is not 4 KiB aligned (every arm64 kernel's
 * is: its first instruction must be at a page boundary + text_offset, and
 * booting.rst's 2 MiB base is page aligned), or whose text_offset +
 * image_size reach past the IPA space; a zImage whose end is not above
 * its start, or that claims more bytes than the module holds (Xen 4.17's
 * kernel_zimage_probe refuses it too: the module is truncated).
 */
static bool header_ok(const struct bootmodule *k, const struct kimage *img)
{
    u64 zend = img->zend;

    if ( GUEST_KERNEL_ZIMAGE )
    {
        if ( zend <= img->zstart )
        {
            printk("dom0: zImage header end=0x%llx is not above start=0x%llx: no dom0\n",
                   (unsigned long long)zend, (unsigned long long)img->zstart);
            return false;
        }
        if ( zend - img->zstart > k->size )
        {
            printk("dom0: zImage header says 0x%llx bytes (end - start) but the module "
                   "holds 0x%llx: no dom0\n", (unsigned long long)(zend - img->zstart),
                   (unsigned long long)k->size);
            return false;
        }
        return true;
    }
    if ( img->text_offset & (PAGE_SZ - 1) )
    {
        printk("dom0: Image header text_offset=0x%llx is not 4 KiB aligned: no dom0\n",
               (unsigned long long)img->text_offset);
        return false;
    }
    if ( img->text_offset >= KERNEL_LIMIT || img->image_size >= KERNEL_LIMIT ||
         img->text_offset + img->image_size > KERNEL_LIMIT )
    {
        printk("dom0: Image header text_offset=0x%llx image_size=0x%llx reach past the "
               "40-bit IPA space: no dom0\n", (unsigned long long)img->text_offset,
               (unsigned long long)img->image_size);
        return false;
    }
    return true;
}

bool dom0_kernel_probe(const struct bootmodule *k, struct kimage *img)
{
    if ( !(GUEST_KERNEL_ZIMAGE ? read_zimage_header(k, img) : read_image_header(k, img)) )
    {
        printk("dom0: kernel module 0x%llx-0x%llx is not %s: no dom0\n",
               (unsigned long long)k->start, (unsigned long long)(k->start + k->size),
               GUEST_KERNEL_ZIMAGE ? "an arm32 zImage (no 0x016f2818 magic at offset 0x24)"
                                   : "an arm64 Image (no \"ARM\\x64\" magic at offset 56)");
        return false;
    }
    if ( img->big_endian )
    {
        printk("dom0: kernel is a big-endian %s: no dom0\n", GUEST_KERNEL_ZIMAGE ? "zImage" : "Image");
        return false;
    }
    if ( GUEST_KERNEL_ZIMAGE )
        printk("dom0: kernel zImage start=0x%llx size=0x%llx\n",
               (unsigned long long)img->zstart, (unsigned long long)img->image_size);
    else
        printk("dom0: kernel Image text_offset=0x%llx image_size=0x%llx flags=0x%llx\n",
               (unsigned long long)img->text_offset, (unsigned long long)img->image_size,
               (unsigned long long)img->flags);
    if ( !header_ok(k, img) )
        return false;
    if ( img->image_size < k->size )
        img->image_size = k->size;
    return true;
}

u64 dom0_kernel_need(const struct kimage *img, u64 fdt_room, u64 rd_size)
{
    if ( GUEST_KERNEL_ZIMAGE )      /* zImage, DTB and initrd, each in whole 2 MiB (place_zimage) */
        return ALIGN_UP(img->image_size, SZ_2M) + ALIGN_UP(fdt_room, SZ_2M) +
               ALIGN_UP(rd_size, SZ_2M);
    /* Kernel, DTB and initrd, each page aligned, after a 2 MiB-aligned base. */
    return img->text_offset + ALIGN_UP(img->image_size, PAGE_SZ) + fdt_room +
           ALIGN_UP(rd_size, PAGE_SZ);
}

/* The kernel's address: 2 MiB-aligned base + text_offset, in one RAM range with what follows. */
static bool place(const struct kimage *img, const struct range *ram, unsigned int nr, u64 after,
                  paddr_t *kernel)
{
    unsigned int i;

    for ( i = 0; i < nr; i++ )
    {
        paddr_t base = ALIGN_UP(ram[i].start, SZ_2M);
        paddr_t k = base + img->text_offset;

        /* Without "anywhere", only the lowest RAM will do (booting.rst). */
        if ( i > 0 && !(img->flags & IMAGE_FLAG_ANYWHERE) )
            break;
        if ( k + img->image_size + after <= ram[i].end )
        {
            *kernel = k;
            return true;
        }
    }
    return false;
}

/* arm64 Image: the kernel as its header asks, then the DTB, then the initrd. */
static bool place_image(const struct kimage *img, const struct range *ram, unsigned int nr,
                        u64 fdt_room, u64 rd_size, struct placement *pl)
{
    if ( !place(img, ram, nr, fdt_room + ALIGN_UP(rd_size, PAGE_SZ), &pl->kernel) )
        return false;
    pl->dtb = ALIGN_UP(pl->kernel + img->image_size, PAGE_SZ);
    pl->initrd = pl->dtb + fdt_room;
    return true;
}

/*
 * arm32 zImage, where Xen 4.17 puts it (kernel.c): a position-independent
 * zImage as high as it fits in the first 128 MiB of the first RAM range
 * (2 MiB aligned), since the decompressor writes the kernel just above the
 * start of that 128 MiB window and relocates itself out of the way only
 * upwards; one with a link address (start != 0) there.  The DTB and the
 * initrd, each in whole 2 MiB, go at +128 MiB when they fit above the
 * zImage (booting.rst: "above the 128MiB boundary from the start of
 * RAM"), else at the top of the range, else just below the zImage.
 */
static bool place_zimage(const struct kimage *img, const struct range *ram, u64 fdt_room,
                         u64 rd_size, struct placement *pl)
{
    const struct range *b = &ram[0];
    u64 dtb_len = ALIGN_UP(fdt_room, SZ_2M), mods = dtb_len + ALIGN_UP(rd_size, SZ_2M);
    paddr_t low_end = MIN(b->start + ZIMAGE_LOW_WINDOW, b->end), kend, modbase;

    if ( img->zstart )
        pl->kernel = img->zstart;
    else if ( low_end - b->start < img->image_size )
        return false;
    else
        pl->kernel = ALIGN_DOWN(low_end - img->image_size, SZ_2M);
    kend = pl->kernel + img->image_size;
    if ( pl->kernel < b->start || kend > b->end )
        return false;
    if ( b->end >= b->start + ZIMAGE_LOW_WINDOW + mods && kend < b->start + ZIMAGE_LOW_WINDOW )
        modbase = b->start + ZIMAGE_LOW_WINDOW;
    else if ( b->end - mods > ALIGN_UP(kend, SZ_2M) && b->end >= mods )
        modbase = b->end - mods;
    else if ( pl->kernel - b->start > mods )
        modbase = pl->kernel - mods;
    else
        return false;
    pl->dtb = modbase;
    pl->initrd = modbase + dtb_len;
    return true;
}

bool dom0_kernel_place(const struct kimage *img, const struct range *ram, unsigned int nr,
                       u64 fdt_room, u64 rd_size, struct placement *pl)
{
    return GUEST_KERNEL_ZIMAGE ? place_zimage(img, ram, fdt_room, rd_size, pl)
                               : place_image(img, ram, nr, fdt_room, rd_size, pl);
}
