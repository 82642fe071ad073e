/* SPDX-License-Identifier: MIT */
/*
 * dt-boot: hypcore's device-tree boot path on the host, for the corpus
 * (tests/corpus/, scripts/hypcore_lib/corpussuite.py), many DTBs per run.
 *
 *   dt-boot FILE:FDT_PA:IMAGE:IMAGE_SIZE:PA_BITS ...
 *
 * For each DTB it runs what start_hypcore() and setup_memory() run, with the
 * real common/ and xen-like/ code: the header checks of map_boot_fdt() (as
 * one line in its "- hypcore: ... -" form), dt_check(), dt_print_facts(),
 * memmap_from_dt() with PA_BITS as arch_paddr_bits(), the frame table's
 * place (memmap_boot_alloc), memmap_print(), heap_init() and its heap: line,
 * then psci_init().  Output: "=== FILE", the console lines (each with
 * hypcore's "(HYP) " prefix), then "=== end FILE".  An ASSERT or a sanitizer
 * report aborts the process: the caller reruns the DTBs one by one to name
 * the culprit.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include <bootmodule.h>
#include <dt.h>
#include <layout.h>
#include <libfdt.h>
#include <memmap_dt.h>
#include <mm.h>
#include <page_alloc.h>
#include <psci.h>

/* More page metadata than this is not allocated on the host (RAM past ~20 TiB). */
#define META_MAX    (256ULL << 20)

static unsigned int pa_bits_now = 48;

unsigned int arch_paddr_bits(const char **why)
{
    if ( why )
        *why = "dt-boot PA_BITS";
    return pa_bits_now;
}

/* psci.c's conduit: nothing is called on the host. */
long arch_smccc_call(bool hvc, u32 fid, unsigned long a1, unsigned long a2,
                     unsigned long a3)
{
    (void)hvc; (void)fid; (void)a1; (void)a2; (void)a3;
    return PSCI_NOT_SUPPORTED;
}

static void flush(void)
{
    fputs(console_take(), stdout);
    console_reset();
}

/* map_boot_fdt()'s refusals (common/setup.c), in its words. */
static bool header_ok(const void *fdt, size_t len, paddr_t pa)
{
    const char *src = "from the loader";
    u32 size;
    int err;

    if ( len < 8 || fdt_magic(fdt) != FDT_MAGIC )
    {
        printk("- hypcore: no DTB at 0x%llx (%s): bad magic 0x%08x, expected 0x%08x -\n",
               (unsigned long long)pa, src, len < 8 ? 0 : fdt_magic(fdt), FDT_MAGIC);
        return false;
    }
    size = fdt_totalsize(fdt);
    if ( size < sizeof(struct fdt_header) || size > FDT_MAX_SIZE )
    {
        printk("- hypcore: invalid DTB at 0x%llx (%s): totalsize %u outside %zu..%u bytes -\n",
               (unsigned long long)pa, src, size, sizeof(struct fdt_header),
               (unsigned int)FDT_MAX_SIZE);
        return false;
    }
    if ( pa >> pa_bits_now || (pa + size - 1) >> pa_bits_now )
    {
        printk("- hypcore: DTB at 0x%llx (%s) lies beyond the %u-bit physical address "
               "space (dt-boot PA_BITS) -\n", (unsigned long long)pa, src, pa_bits_now);
        return false;
    }
    /* hypcore maps whole pages: bytes past the file read as zero there. */
    err = dt_check(fdt, len < size ? len : size);
    if ( err )
    {
        printk("- hypcore: invalid DTB at 0x%llx (%s): %s -\n", (unsigned long long)pa, src,
               fdt_strerror(err));
        return false;
    }
    return true;
}

static void boot_one(const char *spec)
{
    static struct memmap mm;
    static struct bootmodules all, mods;
    char file[4096];
    unsigned long long fdt_pa, image, image_size;
    int bits;
    struct memdt_params p;
    size_t len;
    void *data, *fdt;
    u64 meta_size;
    paddr_t meta_pa;
    void *meta;
    int err;

    if ( sscanf(spec, "%4095[^:]:%lli:%lli:%lli:%i", file, &fdt_pa, &image, &image_size,
                &bits) != 5 )
    {
        fprintf(stderr, "dt-boot: bad argument %s\n", spec);
        exit(2);
    }
    printf("=== %s\n", file);
    data = load_file(file, &len);
    /* 8-byte aligned, and zero past the file up to a page, as mapped pages would be. */
    fdt = aligned_alloc(8, (len + 4096 + 7) & ~(size_t)7);
    memset(fdt, 0, (len + 4096 + 7) & ~(size_t)7);
    memcpy(fdt, data, len);
    free(data);
    pa_bits_now = bits;
    p = (struct memdt_params){ .fdt_pa = fdt_pa, .image = image, .image_size = image_size };
    p.pa_bits = arch_paddr_bits(&p.pa_why);

    if ( !header_ok(fdt, len, fdt_pa) )
        goto out;
    printk("dt: blob at 0x%llx size %u\n", fdt_pa, fdt_totalsize(fdt));
    dt_print_facts(fdt, &all);
    flush();
    err = memmap_from_dt(fdt, &p, &all, &mm, &mods);
    if ( err == -MEMDT_ERR_NO_RAM )
    {
        printk("PANIC on cpu0: the DTB has no usable memory node: no RAM to run in\n");
        goto out;
    }
    if ( err )
    {
        printk("PANIC on cpu0: more than %u reserved ranges (MEMMAP_MAX_RESERVED): raise "
               "the limit\n", MEMMAP_MAX_RESERVED);
        goto out;
    }
    meta_size = heap_metadata_size(&mm);
    err = memmap_boot_alloc(&mm, meta_size, FRAMETABLE_ALIGN, HEAP_PAGE_SIZE, "frametable",
                            &meta_pa);
    if ( err )
    {
        printk("PANIC on cpu0: no free RAM for %llu bytes of page metadata\n",
               (unsigned long long)meta_size);
        goto out;
    }
    memmap_print(&mm);
    if ( meta_size > META_MAX )
    {
        printk("dt-boot: %llu bytes of page metadata: heap not built on the host\n",
               (unsigned long long)meta_size);
        goto out;
    }
    meta = calloc(1, meta_size + sizeof(struct page_info));
    if ( !heap_init(&mm, meta) )
        printk("PANIC on cpu0: no whole RAM page in the memory map\n");
    else
        heap_print_stats();
    free(meta);
    psci_init(fdt);
out:
    flush();
    printf("=== end %s\n", file);
    fflush(stdout);
    free(fdt);
}

int main(int argc, char **argv)
{
    int i;

    for ( i = 1; i < argc; i++ )
        boot_one(argv[i]);
    return 0;
}
