/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: arbitrary bytes as a DTB through the whole boot memory
 * path hypcore runs: dt_check (as map_boot_fdt), the module binding,
 * dt_print_facts, memmap_from_dt, the heap over the result, a few
 * allocations, then the module release.  Built with clang
 * -fsanitize=fuzzer,address,undefined against the host libfdt; ASSERT and
 * panic abort, so an assertion the input can trigger is a finding.
 *
 * Inputs whose RAM would need more than 64 MiB of page metadata are cut
 * short after memmap_from_dt (the real code would map it; the fuzzer would
 * only spend its time in calloc).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <dt.h>
#include <lib.h>
#include <libfdt.h>
#include <memmap_dt.h>
#include <page_alloc.h>

#define IMAGE_PA    0x40200000ULL
#define IMAGE_SIZE  0x40000ULL
#define FDT_PA      0x48000000ULL
#define META_MAX    (64ULL << 20)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct memmap mm;
    static struct bootmodules all, mods;
    /* 44 bits: cortex-a57's PARange, as the QEMU runs have it. */
    static const struct memdt_params params = {
        .fdt_pa = FDT_PA, .image = IMAGE_PA, .image_size = IMAGE_SIZE,
        .pa_bits = 44, .pa_why = "fuzz",
    };
    void *fdt;
    u64 meta_size;
    void *meta;
    unsigned int i;

    if ( size < sizeof(struct fdt_header) || size > (2U << 20) )
        return 0;
    /* An 8-byte aligned copy, as the hypervisor requires of a DTB. */
    fdt = aligned_alloc(8, (size + 7) & ~(size_t)7);
    memcpy(fdt, data, size);
    if ( dt_check(fdt, size) )
        goto out;

    dt_print_facts(fdt, &all);
    if ( memmap_from_dt(fdt, &params, &all, &mm, &mods) )
        goto out;
    meta_size = heap_metadata_size(&mm);
    if ( meta_size > META_MAX )
        goto out;
    meta = aligned_alloc(64, ALIGN_UP(meta_size, 64) + 64);
    if ( meta )
        memset(meta, 0xa5, meta_size);    /* heap_init must not need zeroes */
    if ( heap_init(&mm, meta) )
    {
        struct heap_stats st;

        heap_get_stats(&st);
        if ( st.free + st.reserved != st.total )
            abort();
        for ( i = 0; i < 8; i++ )
        {
            paddr_t pa = alloc_pages(i);

            if ( pa != PAGE_ALLOC_FAILED )
                free_pages(pa, i);
            /* As arm32 takes its tables: below 4 GiB, or nothing. */
            pa = alloc_pages_below(i, 1ULL << 32);
            if ( pa != PAGE_ALLOC_FAILED )
            {
                if ( pa + (4096ULL << i) > 1ULL << 32 )
                    abort();
                free_pages(pa, i);
            }
        }
        for ( i = 0; i < mods.nr; i++ )
        {
            struct range r;

            if ( !range_from_size(mods.mod[i].start, mods.mod[i].size, &r) ||
                 !memmap_remove_reserved(&mm, MEM_MODULE, &r) )
                abort();
            heap_release_range(&mm, &r);
        }
        heap_get_stats(&st);
        if ( st.by_type[MEM_MODULE] != 0 || st.free + st.reserved != st.total )
            abort();
    }
    free(meta);
out:
    console_reset();
    free(fdt);
    return 0;
}
