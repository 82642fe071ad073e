/* SPDX-License-Identifier: MIT */
/*
 * The boot memory map from a DTB (include/memmap_dt.h).
 *
 * Policy for bad data (README "Memory"):
 *  - no usable RAM bank: -MEMDT_ERR_NO_RAM (the caller panics: nothing can run);
 *  - a RAM bank past MEMMAP_MAX_RAM: warn and ignore it (RAM lost, nothing
 *    corrupted);
 *  - a RAM bank or module reaching 2^pa_bits (the CPU's physical address
 *    size, or what the descriptors hold): refuse it whole with a line naming
 *    it, the width and the node; masked into a descriptor it would alias
 *    low memory (frame table and heap pages on top of RAM in use).  A
 *    reservation there is kept (keeping it costs nothing), with a warning;
 *  - a reservation that cannot be recorded (table full): -MEMDT_ERR_RSV_FULL
 *    (the caller panics: handing that memory to the heap could corrupt
 *    firmware or a module);
 *  - a boot module that is outside RAM (wholly or partly), overlaps the
 *    image, the DTB, a firmware reservation or an accepted module: refuse
 *    the module with a message naming both ranges, and carry on without it.
 */
#include <dt.h>
#include <libfdt.h>
#include <lib.h>
#include <memmap_dt.h>
#include <printk.h>
#include <string.h>

struct memdt_ctx {
    struct memmap *mm;
    const struct memdt_params *p;
};

/* True when [start, start + size) reaches 2^pa_bits (size is non-zero). */
static bool beyond_width(const struct memdt_params *p, paddr_t start, u64 size)
{
    return p->pa_bits < 64 && (start + size - 1) >> p->pa_bits != 0;
}

/* The part of a line that names the width: "beyond the 44-bit ... (why)". */
#define WIDTH_FMT "beyond the %u-bit physical address space (%s)"

static const char *node_path(const void *fdt, const struct dt_range *r, char *buf,
                             size_t len)
{
    if ( r->node < 0 )
        return "/memreserve/";
    return r->path ? r->path : dt_node_path(fdt, r->node, buf, len);
}

static int add_ram_bank(const void *fdt, const struct dt_range *r, void *ctx)
{
    struct memdt_ctx *c = ctx;
    struct memmap *mm = c->mm;
    char path[DT_PATH_MAX];
    int err;

    if ( r->err )
        return 0;       /* dt_print_facts() has said why */
    if ( beyond_width(c->p, r->start, r->size) )
    {
        /* Its frame-table and heap pages would alias low memory: refuse it whole. */
        printk(XENLOG_WARNING "mem: refusing RAM 0x%llx-0x%llx node=%s: " WIDTH_FMT "\n",
               (unsigned long long)r->start, (unsigned long long)(r->start + r->size),
               node_path(fdt, r, path, sizeof(path)), c->p->pa_bits, c->p->pa_why);
        return 0;
    }
    err = memmap_add_ram(mm, r->start, r->size, NULL);
    if ( err == MEMMAP_ERR_FULL )
        printk(XENLOG_WARNING "mem: warning: more than %u RAM banks (MEMMAP_MAX_RAM): bank "
               "0x%llx-0x%llx ignored\n", MEMMAP_MAX_RAM,
               (unsigned long long)r->start,
               (unsigned long long)(r->start + r->size));
    return 0;
}

/*
 * Record a reservation.  Returns 0, or -MEMDT_ERR_RSV_FULL after saying
 * which range did not fit; a range that is empty or wraps gets a warning.
 */
static int reserve(struct memmap *mm, enum mem_type type, paddr_t start,
                   u64 size, const char *name)
{
    int err = memmap_add_reserved(mm, type, start, size, name);

    if ( err == MEMMAP_ERR_FULL )
    {
        printk("mem: more than %u reserved ranges (MEMMAP_MAX_RESERVED): cannot "
               "record %s 0x%llx+0x%llx\n", MEMMAP_MAX_RESERVED,
               mem_type_name(type), (unsigned long long)start,
               (unsigned long long)size);
        return -MEMDT_ERR_RSV_FULL;
    }
    if ( err )
        printk(XENLOG_WARNING "mem: warning: %s 0x%llx+0x%llx is empty or wraps; ignored\n",
               mem_type_name(type), (unsigned long long)start,
               (unsigned long long)size);
    return 0;
}

/*
 * Say so when the DT range @r overlaps a reservation of a type in @mask
 * (it is reserved all the same: two claims on one page keep it out of the heap).
 */
static void warn_overlap(const void *fdt, const struct memmap *mm,
                         const struct dt_range *r, unsigned int mask, const char *what)
{
    const struct mem_region *other;
    char path[DT_PATH_MAX];
    struct range rr;

    if ( !range_from_size(r->start, r->size, &rr) )
        return;
    other = memmap_find_overlap(mm, &rr, mask);
    if ( other )
        printk(XENLOG_WARNING "mem: warning: firmware 0x%llx-0x%llx node=%s overlaps %s "
               "0x%llx-0x%llx: %s\n", (unsigned long long)rr.start,
               (unsigned long long)rr.end, node_path(fdt, r, path, sizeof(path)),
               mem_type_name(other->type), (unsigned long long)other->r.start,
               (unsigned long long)other->r.end, what);
}

static int add_firmware(const void *fdt, const struct dt_range *r, void *ctx)
{
    struct memdt_ctx *c = ctx;
    const char *name = r->node >= 0 ? fdt_get_name(fdt, r->node, NULL) : "memreserve";
    char path[DT_PATH_MAX];

    if ( r->dynamic || r->err )
        return 0;       /* nothing to keep out of the heap, or reported already */
    if ( beyond_width(c->p, r->start, r->size) )
        printk(XENLOG_WARNING "mem: warning: firmware 0x%llx-0x%llx node=%s: " WIDTH_FMT
               "; kept reserved\n", (unsigned long long)r->start,
               (unsigned long long)(r->start + r->size), node_path(fdt, r, path, sizeof(path)),
               c->p->pa_bits, c->p->pa_why);
    warn_overlap(fdt, c->mm, r, (1U << MEM_IMAGE) | (1U << MEM_DTB),
                 "firmware says it is in use, but the loader put it there");
    return reserve(c->mm, MEM_FIRMWARE, r->start, r->size, name);
}

/* Check one module against the map; returns false (after saying why) to refuse it. */
static bool module_acceptable(const void *fdt, const struct memdt_params *p,
                              const struct memmap *mm, const struct bootmodule *m)
{
    const struct mem_region *other;
    char path[DT_PATH_MAX];
    struct range r;

    if ( !range_from_size(m->start, m->size, &r) )
    {
        printk(XENLOG_WARNING "mem: refusing module %s 0x%llx+0x%llx: empty or wrapping range\n",
               bootmodule_kind_name(m->kind), (unsigned long long)m->start,
               (unsigned long long)m->size);
        return false;
    }
    if ( beyond_width(p, m->start, m->size) )
    {
        printk(XENLOG_WARNING "mem: refusing module %s 0x%llx-0x%llx: " WIDTH_FMT " node=%s\n",
               bootmodule_kind_name(m->kind), (unsigned long long)r.start,
               (unsigned long long)r.end, p->pa_bits, p->pa_why,
               dt_node_path(fdt, m->node_offset, path, sizeof(path)));
        return false;
    }
    if ( !memmap_in_ram(mm, &r) )
    {
        printk(XENLOG_WARNING "mem: refusing module %s 0x%llx-0x%llx: not wholly inside RAM\n",
               bootmodule_kind_name(m->kind), (unsigned long long)r.start,
               (unsigned long long)r.end);
        return false;
    }
    other = memmap_find_overlap(mm, &r, (1U << MEM_IMAGE) | (1U << MEM_DTB) |
                                        (1U << MEM_FIRMWARE) | (1U << MEM_MODULE));
    if ( other )
    {
        printk(XENLOG_WARNING
               "mem: refusing module %s 0x%llx-0x%llx: overlaps %s 0x%llx-0x%llx%s%s\n",
               bootmodule_kind_name(m->kind), (unsigned long long)r.start,
               (unsigned long long)r.end, mem_type_name(other->type),
               (unsigned long long)other->r.start, (unsigned long long)other->r.end,
               other->name ? " " : "", other->name ? other->name : "");
        return false;
    }
    return true;
}

static int add_modules(const void *fdt, const struct memdt_params *p, struct memmap *mm,
                       const struct bootmodules *all, struct bootmodules *out)
{
    unsigned int i;
    int err;

    out->nr = 0;
    for ( i = 0; i < all->nr; i++ )
    {
        const struct bootmodule *m = &all->mod[i];

        if ( !module_acceptable(fdt, p, mm, m) )
            continue;
        err = reserve(mm, MEM_MODULE, m->start, m->size, bootmodule_kind_name(m->kind));
        if ( err )
            return err;
        out->mod[out->nr++] = *m;
    }
    return 0;
}

/*
 * A device the root node lists (QEMU virt's and most boards' MMIO devices
 * sit there) whose reg overlaps a RAM bank: the DT says two things about
 * those addresses, and between the devices of an MMIO window there is often
 * nothing at all (an access takes an external abort).  The whole bank, as
 * merged, is refused with a line naming it and the device.  Devices under
 * buses are not looked at (their reg needs translating).  One pass over the
 * root's children, each checked against at most MEMMAP_MAX_RAM banks.
 */
static void refuse_ram_over_mmio(const void *fdt, struct memmap *mm)
{
    int node;

    fdt_for_each_subnode(node, fdt, DT_ROOT_NODE)
    {
        const char *type = fdt_getprop(fdt, node, "device_type", NULL);
        char path[DT_PATH_MAX];
        unsigned int i;
        int count;

        if ( (type && !strcmp(type, "memory")) ||
             fdt_getprop(fdt, node, "reg", NULL) == NULL )
            continue;
        count = dt_reg_count_in(fdt, node, DT_ROOT_NODE);
        for ( i = 0; count > 0 && i < (unsigned int)count; i++ )
        {
            struct range dev;
            paddr_t start;
            u64 size;
            unsigned int b;

            if ( dt_reg_get_in(fdt, node, DT_ROOT_NODE, i, &start, &size) ||
                 !range_from_size(start, size, &dev) )
                continue;
            for ( b = 0; b < mm->nr_ram; b++ )
            {
                struct range ram = mm->ram[b].r;

                if ( ram.start >= dev.end || dev.start >= ram.end )
                    continue;
                printk(XENLOG_WARNING "mem: refusing RAM 0x%llx-0x%llx: overlaps device %s "
                       "reg 0x%llx-0x%llx\n", (unsigned long long)ram.start,
                       (unsigned long long)ram.end,
                       dt_child_path(fdt, "/", node, path, sizeof(path)),
                       (unsigned long long)dev.start, (unsigned long long)dev.end);
                memmap_remove_ram(mm, b--);
            }
        }
    }
}

/* The image and the DTB lie in RAM the DT describes, or the DT is wrong. */
static void check_in_ram(const struct memmap *mm, const char *what, paddr_t start, u64 size)
{
    struct range r;

    if ( range_from_size(start, size, &r) && !memmap_in_ram(mm, &r) )
        printk(XENLOG_WARNING "mem: warning: %s 0x%llx-0x%llx is not wholly inside one RAM "
               "bank of the DT: the DT does not describe the RAM it was loaded into\n",
               what, (unsigned long long)r.start, (unsigned long long)r.end);
}

int memmap_from_dt(const void *fdt, const struct memdt_params *p,
                   const struct bootmodules *all, struct memmap *mm,
                   struct bootmodules *mods)
{
    struct memdt_ctx c = { .mm = mm, .p = p };
    int err;

    memmap_init(mm);
    mods->nr = 0;
    dt_for_each_memory(fdt, add_ram_bank, &c);
    refuse_ram_over_mmio(fdt, mm);
    if ( !mm->nr_ram )
        return -MEMDT_ERR_NO_RAM;
    err = reserve(mm, MEM_IMAGE, p->image, p->image_size, "hypcore");
    if ( !err )
        err = reserve(mm, MEM_DTB, p->fdt_pa, fdt_totalsize(fdt), "fdt");
    if ( !err )
        err = dt_for_each_memreserve(fdt, add_firmware, &c);
    if ( !err )
        err = dt_for_each_reserved_memory(fdt, add_firmware, &c);
    if ( !err )
        err = add_modules(fdt, p, mm, all, mods);
    check_in_ram(mm, "the hypcore image", p->image, p->image_size);
    check_in_ram(mm, "the DTB", p->fdt_pa, fdt_totalsize(fdt));
    return err;
}
