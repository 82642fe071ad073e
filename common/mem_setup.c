/* SPDX-License-Identifier: MIT */
/* Boot memory set-up (include/mem_setup.h); the policy is in memmap_dt.c. */
#include <cpu.h>
#include <libfdt.h>
#include <memmap_dt.h>
#include <lib.h>
#include <mem_setup.h>
#include <mm.h>
#include <page_alloc.h>
#include <printk.h>
#include <sections.h>
#include <string.h>
#include <traps.h>

struct boot_mem boot_mem;

/* The page metadata's place (memmap_boot_alloc), or a panic saying why there is none. */
static paddr_t boot_alloc(struct memmap *mm, u64 size)
{
    paddr_t pa;

    switch ( memmap_boot_alloc(mm, size, FRAMETABLE_ALIGN, HEAP_PAGE_SIZE, "frametable", &pa) )
    {
    case MEMMAP_OK:
        return pa;
    case MEMMAP_ERR_FULL:
        panic("more than %u reserved ranges (MEMMAP_MAX_RESERVED): cannot "
              "record the page metadata", MEMMAP_MAX_RESERVED);
    default:
        panic("no free RAM for %llu bytes of page metadata (%llu-byte aligned)",
              (unsigned long long)size, (unsigned long long)FRAMETABLE_ALIGN);
    }
}

void setup_memory(const void *fdt, paddr_t fdt_pa, paddr_t load,
                  const struct bootmodules *all)
{
    struct memmap *mm = &boot_mem.map;
    u64 t0 = arch_counter(), meta_size;
    paddr_t meta_pa;
    void *meta;

    struct memdt_params p = {
        .fdt_pa = fdt_pa, .image = load, .image_size = (u64)(_end - _start),
    };

    p.pa_bits = arch_paddr_bits(&p.pa_why);
    switch ( memmap_from_dt(fdt, &p, all, mm, &boot_mem.mods) )
    {
    case 0:
        break;
    case -MEMDT_ERR_NO_RAM:
        panic("the DTB has no usable memory node: no RAM to run in");
    default:
        panic("more than %u reserved ranges (MEMMAP_MAX_RESERVED): raise the limit",
              MEMMAP_MAX_RESERVED);
    }

    meta_size = heap_metadata_size(mm);
    meta_pa = boot_alloc(mm, meta_size);
    meta = arch_map_frametable(meta_pa, ALIGN_UP(meta_size, FRAMETABLE_ALIGN));
    boot_mem.meta_va = (vaddr_t)meta;
    boot_mem.meta_size = ALIGN_UP(meta_size, FRAMETABLE_ALIGN);

    memmap_print(mm);
    boot_step_begin("writing the page metadata at", meta_pa, ALIGN_UP(meta_size, FRAMETABLE_ALIGN),
                    "the DT describes RAM the machine may not have");
    if ( !heap_init(mm, meta) )
        panic("no whole RAM page in the memory map");
    boot_step_end();
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

    heap_selftest_begin();
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
            printk(XENLOG_ERR "selftest heap: block 0x%llx order %u %s\n",
                   (unsigned long long)pa, order, why);
        pages += 1ULL << order;
    }
    heap_get_stats(&st);
    if ( st.free != 0 || pages != before.free )
    {
        printk(XENLOG_ERR "selftest heap: allocated %llu pages of %llu free, %llu left\n",
               (unsigned long long)pages, (unsigned long long)before.free,
               (unsigned long long)st.free);
        failures++;
    }
    if ( alloc_pages(0) != PAGE_ALLOC_FAILED )
    {
        printk(XENLOG_ERR "selftest heap: allocation succeeded on an exhausted heap\n");
        failures++;
    }
    heap_selftest_free_marked();
    heap_get_stats(&st);
    if ( st.free != before.free )
    {
        printk(XENLOG_ERR "selftest heap: %llu pages free after freeing all, expected %llu\n",
               (unsigned long long)st.free, (unsigned long long)before.free);
        failures++;
    }
    released = release_boot_modules();
    heap_get_stats(&st);
    if ( st.free != before.free + released || st.by_type[MEM_MODULE] != 0 )
    {
        printk(XENLOG_ERR "selftest heap: release gave %llu pages but free went %llu -> %llu, "
               "%llu module pages left\n", (unsigned long long)released,
               (unsigned long long)before.free, (unsigned long long)st.free,
               (unsigned long long)st.by_type[MEM_MODULE]);
        failures++;
    }
    heap_print_stats();
    if ( failures )
        printk(XENLOG_ERR "selftest heap: FAILED (%u problems)\n", failures);
    else
        printk("selftest heap: ok pages=%llu released=%llu\n",
               (unsigned long long)pages, (unsigned long long)released);
}
