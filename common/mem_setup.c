/* SPDX-License-Identifier: MIT */
/*
 * Boot memory set-up (include/mem_setup.h).
 *
 * Policy for bad data (README "Memory"):
 *  - no usable RAM bank: panic, nothing can run;
 *  - a RAM bank past MEMMAP_MAX_RAM: warn and ignore it (RAM lost, nothing
 *    corrupted);
 *  - a reservation that cannot be recorded (table full): panic, since
 *    handing that memory to the heap could corrupt firmware or a module;
 *  - a boot module that is outside RAM (wholly or partly), overlaps the
 *    image, the DTB, a firmware reservation or an accepted module: refuse
 *    the module with a message naming both ranges, and carry on without it
 *    (its memory stays with whatever else owns it, or becomes heap).
 */
#include <cpu.h>
#include <dt.h>
#include <libfdt.h>
#include <lib.h>
#include <mem_setup.h>
#include <mm.h>
#include <page_alloc.h>
#include <printk.h>
#include <sections.h>
#include <string.h>

struct boot_mem boot_mem;

static int add_ram_bank(const void *fdt, const struct dt_range *r, void *ctx)
{
    struct memmap *mm = ctx;
    int err;

    if ( r->err )
    {
        dt_warn_range(fdt, "memory", r);
        return 0;
    }
    err = memmap_add_ram(mm, r->start, r->size, NULL);
    if ( err == MEMMAP_ERR_FULL )
        printk("mem: warning: more than %u RAM banks (MEMMAP_MAX_RAM): bank "
               "0x%llx-0x%llx ignored\n", MEMMAP_MAX_RAM,
               (unsigned long long)r->start,
               (unsigned long long)(r->start + r->size));
    return 0;
}

static void reserve(struct memmap *mm, enum mem_type type, paddr_t start,
                    u64 size, const char *name)
{
    int err = memmap_add_reserved(mm, type, start, size, name);

    if ( err == MEMMAP_ERR_FULL )
        panic("more than %u reserved ranges (MEMMAP_MAX_RESERVED): cannot record "
              "%s 0x%llx+0x%llx; raise the limit", MEMMAP_MAX_RESERVED,
              mem_type_name(type), (unsigned long long)start,
              (unsigned long long)size);
    /* Callers pass checked ranges; the DT iterators flag bad ones. */
    ASSERT(err == MEMMAP_OK);
}

static int add_firmware(const void *fdt, const struct dt_range *r, void *ctx)
{
    struct memmap *mm = ctx;
    const char *name = r->node >= 0 ? fdt_get_name(fdt, r->node, NULL) : "memreserve";

    if ( r->dynamic )
        return 0;       /* no fixed address: nothing to keep out of the heap */
    if ( r->err )
    {
        dt_warn_range(fdt, r->node >= 0 ? "reserved-memory" : "memreserve", r);
        return 0;
    }
    reserve(mm, MEM_FIRMWARE, r->start, r->size, name);
    return 0;
}

/* Check one module against the map; returns false (after saying why) to refuse it. */
static bool module_acceptable(const struct memmap *mm, const struct bootmodule *m)
{
    const struct mem_region *other;
    struct range r;

    if ( !range_from_size(m->start, m->size, &r) )
    {
        printk("mem: refusing module %s 0x%llx+0x%llx: empty or wrapping range\n",
               bootmodule_kind_name(m->kind), (unsigned long long)m->start,
               (unsigned long long)m->size);
        return false;
    }
    if ( !memmap_in_ram(mm, &r) )
    {
        printk("mem: refusing module %s 0x%llx-0x%llx: not wholly inside RAM\n",
               bootmodule_kind_name(m->kind), (unsigned long long)r.start,
               (unsigned long long)r.end);
        return false;
    }
    other = memmap_find_overlap(mm, &r, (1U << MEM_IMAGE) | (1U << MEM_DTB) |
                                        (1U << MEM_FIRMWARE) | (1U << MEM_MODULE));
    if ( other )
    {
        printk("mem: refusing module %s 0x%llx-0x%llx: overlaps %s 0x%llx-0x%llx%s%s\n",
               bootmodule_kind_name(m->kind), (unsigned long long)r.start,
               (unsigned long long)r.end, mem_type_name(other->type),
               (unsigned long long)other->r.start, (unsigned long long)other->r.end,
               other->name ? " " : "", other->name ? other->name : "");
        return false;
    }
    return true;
}

static void add_modules(const void *fdt, struct memmap *mm, struct bootmodules *out)
{
    static struct bootmodules all;
    unsigned int i;

    bootmodules_parse(fdt, &all);
    out->nr = 0;
    for ( i = 0; i < all.nr; i++ )
    {
        const struct bootmodule *m = &all.mod[i];

        if ( !module_acceptable(mm, m) )
            continue;
        reserve(mm, MEM_MODULE, m->start, m->size, bootmodule_kind_name(m->kind));
        out->mod[out->nr++] = *m;
    }
}

/*
 * The boot allocator: take a FRAMETABLE_ALIGN-aligned chunk from the top of
 * the highest free range that holds it, and record it as MEM_BOOT.
 */
static paddr_t boot_alloc(struct memmap *mm, u64 size)
{
    struct range free[MEMMAP_MAX_RAM + MEMMAP_MAX_RESERVED];
    int n = memmap_free_ranges(mm, HEAP_PAGE_SIZE, free, ARRAY_SIZE(free));

    size = ALIGN_UP(size, FRAMETABLE_ALIGN);
    ASSERT(n >= 0);
    while ( n-- > 0 )
    {
        paddr_t pa;

        if ( free[n].end - free[n].start < size )
            continue;
        pa = ALIGN_DOWN(free[n].end - size, FRAMETABLE_ALIGN);
        if ( pa < free[n].start )
            continue;
        reserve(mm, MEM_BOOT, pa, size, "frametable");
        return pa;
    }
    panic("no free RAM for %llu bytes of page metadata (%llu-byte aligned)",
          (unsigned long long)size, (unsigned long long)FRAMETABLE_ALIGN);
}

void setup_memory(const void *fdt, paddr_t fdt_pa, paddr_t load)
{
    struct memmap *mm = &boot_mem.map;
    u64 t0 = arch_counter(), meta_size;
    paddr_t meta_pa;
    void *meta;

    memmap_init(mm);
    dt_for_each_memory(fdt, add_ram_bank, mm);
    if ( !mm->nr_ram )
        panic("the DTB has no usable memory node: no RAM to run in");

    reserve(mm, MEM_IMAGE, load, (u64)(_end - _start), "hypcore");
    reserve(mm, MEM_DTB, fdt_pa, fdt_totalsize(fdt), "fdt");
    dt_for_each_memreserve(fdt, add_firmware, mm);
    dt_for_each_reserved_memory(fdt, add_firmware, mm);
    add_modules(fdt, mm, &boot_mem.mods);

    meta_size = heap_metadata_size(mm);
    meta_pa = boot_alloc(mm, meta_size);
    meta = arch_map_frametable(meta_pa, ALIGN_UP(meta_size, FRAMETABLE_ALIGN));

    memmap_print(mm);
    if ( !heap_init(mm, meta) )
        panic("no whole RAM page in the memory map");
    heap_print_stats();
    printk("bench: heap_init ticks=%llu\n", (unsigned long long)(arch_counter() - t0));
}

u64 release_boot_modules(void)
{
    u64 n = 0;
    unsigned int i;

    for ( i = 0; i < boot_mem.mods.nr; i++ )
    {
        struct range r;
        bool ok = range_from_size(boot_mem.mods.mod[i].start,
                                  boot_mem.mods.mod[i].size, &r);

        /* Accepted modules were checked and recorded by setup_memory(). */
        ASSERT(ok);
        ok = memmap_remove_reserved(&boot_mem.map, MEM_MODULE, &r);
        ASSERT(ok);
        n += heap_release_range(&boot_mem.map, &r);
    }
    boot_mem.mods.nr = 0;
    return n;
}

/*
 * selftest=heap: allocate every free page with a mix of orders, checking
 * that no block touches a reserved range or lies outside RAM and that no
 * page is handed out twice; free everything; release the modules and check
 * the free count grew by exactly what heap_release_range() reported.
 */
void selftest_heap(void)
{
    static const unsigned int orders[] = { 9, 0, 3, HEAP_MAX_ORDER, 1, 5, 0, 12 };
    struct heap_stats before, st;
    unsigned int i = 0, failures = 0;
    u64 pages = 0, released;
    bool exhausted[ARRAY_SIZE(orders)] = { false };

    heap_get_stats(&before);
    for ( ;; )
    {
        unsigned int k = i++ % ARRAY_SIZE(orders), order = orders[k];
        paddr_t pa;
        struct range r;
        const char *why = NULL;

        if ( exhausted[k] )
        {
            if ( order == 0 )
                break;
            continue;
        }
        pa = alloc_pages(order);
        if ( pa == PAGE_ALLOC_FAILED )
        {
            exhausted[k] = true;
            continue;
        }
        r.start = pa;
        r.end = pa + (HEAP_PAGE_SIZE << order);
        if ( !IS_ALIGNED(pa, HEAP_PAGE_SIZE << order) )
            why = "misaligned";
        else if ( !memmap_in_ram(&boot_mem.map, &r) )
            why = "outside RAM";
        else if ( memmap_find_overlap(&boot_mem.map, &r, ~0U) )
            why = "overlaps a reserved range";
        else if ( !heap_selftest_mark(pa, order) )
            why = "handed out twice";
        if ( why && failures++ < 8 )
            printk("selftest heap: block 0x%llx order %u %s\n",
                   (unsigned long long)pa, order, why);
        pages += 1ULL << order;
    }
    heap_get_stats(&st);
    if ( st.free != 0 || pages != before.free )
    {
        printk("selftest heap: allocated %llu pages of %llu free, %llu left\n",
               (unsigned long long)pages, (unsigned long long)before.free,
               (unsigned long long)st.free);
        failures++;
    }
    if ( alloc_pages(0) != PAGE_ALLOC_FAILED )
    {
        printk("selftest heap: allocation succeeded on an exhausted heap\n");
        failures++;
    }
    heap_selftest_free_marked();
    heap_get_stats(&st);
    if ( st.free != before.free )
    {
        printk("selftest heap: %llu pages free after freeing all, expected %llu\n",
               (unsigned long long)st.free, (unsigned long long)before.free);
        failures++;
    }
    released = release_boot_modules();
    heap_get_stats(&st);
    if ( st.free != before.free + released || st.by_type[MEM_MODULE] != 0 )
    {
        printk("selftest heap: release gave %llu pages but free went %llu -> %llu, "
               "%llu module pages left\n", (unsigned long long)released,
               (unsigned long long)before.free, (unsigned long long)st.free,
               (unsigned long long)st.by_type[MEM_MODULE]);
        failures++;
    }
    heap_print_stats();
    if ( failures )
        printk("selftest heap: FAILED (%u problems)\n", failures);
    else
        printk("selftest heap: ok pages=%llu released=%llu\n",
               (unsigned long long)pages, (unsigned long long)released);
}
