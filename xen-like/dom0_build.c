/* SPDX-License-Identifier: MIT */
/*
 * xen-like/dom0_build.c: dom0 from the boot modules (include/dom0_build.h),
 * following Xen 4.17 on Arm (domain_build.c, kernel.c):
 *  - RAM: dom0_mem bytes from the heap, mapped 1:1 (IPA = PA), in as few
 *    contiguous ranges as the buddy allocator gives;
 *  - devices: every DT node's reg outside RAM, minus the GIC's hypervisor
 *    and virtual CPU interfaces and the ITS, mapped 1:1 as Device memory;
 *  - the kernel where its header asks, the DTB and the initrd where the
 *    kernel will not overwrite them (dom0_kernel.c: its header read,
 *    checked and placed);
 *  - vcpu N on cpu N for every CPU that came online.
 * Nothing hypcore owns is mapped at stage 2: dom0's RAM comes from the heap
 * and MMIO lies outside RAM.
 */
#include <arch/pgtable.h>
#include <bootmodule.h>
#include <console.h>
#include <cpu.h>
#include <dom0.h>
#include <dom0_build.h>
#include <dt.h>
#include <layout.h>
#include <lib.h>
#include <libfdt.h>
#include <mem_setup.h>
#include <mm.h>
#include <p2m.h>
#include <page_alloc.h>
#include <percpu_mm.h>
#include <printk.h>
#include <selftest.h>
#include <sections.h>
#include <string.h>
#include <vcpu.h>

#define PAGE_SZ             HEAP_PAGE_SIZE
#define DOM0_VMID           1

/* Window slots for copying (src, dst); p2m.c uses 2, hypercall.c 4. */
#define W_SRC               0
#define W_DST               1

/* dom0's DTB is built in heap pages mapped here (the boot DTB uses the first 2 MiB + 1 page). */
#define DOM0_FDT_VA_OFFSET  _LAYOUT_MB(3)
#define DOM0_FDT_MAX        _LAYOUT_MB(1)
/*
 * Room kept for stage-2 tables while dom0's RAM is taken: one block below
 * ARCH_TABLE_PA_LIMIT, taken first and given back before the mapping, so
 * that dom0's RAM cannot use up the RAM its tables must come from (arm32:
 * both below 4 GiB).
 */
#define P2M_RESERVE_ORDER   6
#define P2M_RESERVE_PAGES   (1U << P2M_RESERVE_ORDER)

static struct domain dom0_domain;

/* Bytes of the host DTB in use: the end of its last block (any order). */
static u64 fdt_used(const void *fdt)
{
    u64 rsv = fdt_off_mem_rsvmap(fdt) + (u64)(fdt_num_mem_rsv(fdt) + 1) * 16;
    u64 st = (u64)fdt_off_dt_struct(fdt) + fdt_size_dt_struct(fdt);
    u64 str = (u64)fdt_off_dt_strings(fdt) + fdt_size_dt_strings(fdt);

    return MAX(rsv, MAX(st, str));
}
static struct range dom0_ram[DOM0_MAX_RAM];
static unsigned int dom0_nr_ram;

bool dom0_ram_contains(paddr_t pa, u64 len)
{
    unsigned int i;

    for ( i = 0; i < dom0_nr_ram; i++ )
        if ( pa >= dom0_ram[i].start && len <= dom0_ram[i].end - pa )
            return true;
    return false;
}

/* Add [pa, pa + size) to dom0_ram, sorted, merged with neighbours. */
static bool add_ram(paddr_t pa, u64 size)
{
    unsigned int i, j;

    for ( i = 0; i < dom0_nr_ram && dom0_ram[i].start < pa; i++ )
        ;
    if ( i > 0 && dom0_ram[i - 1].end == pa )
    {
        dom0_ram[i - 1].end += size;
        if ( i < dom0_nr_ram && dom0_ram[i].start == dom0_ram[i - 1].end )
        {
            dom0_ram[i - 1].end = dom0_ram[i].end;
            for ( j = i; j + 1 < dom0_nr_ram; j++ )
                dom0_ram[j] = dom0_ram[j + 1];
            dom0_nr_ram--;
        }
        return true;
    }
    if ( i < dom0_nr_ram && dom0_ram[i].start == pa + size )
    {
        dom0_ram[i].start = pa;
        return true;
    }
    if ( dom0_nr_ram == DOM0_MAX_RAM )
        return false;
    for ( j = dom0_nr_ram; j > i; j-- )
        dom0_ram[j] = dom0_ram[j - 1];
    dom0_ram[i].start = pa;
    dom0_ram[i].end = pa + size;
    dom0_nr_ram++;
    return true;
}

static void free_ram(void)
{
    unsigned int i;

    for ( i = 0; i < dom0_nr_ram; i++ )
    {
        paddr_t pa = dom0_ram[i].start;

        /* Give back in naturally aligned blocks, the way they came. */
        while ( pa < dom0_ram[i].end )
        {
            unsigned int order = 0;

            while ( order < HEAP_MAX_ORDER && IS_ALIGNED(pa, PAGE_SZ << (order + 1)) &&
                    pa + (PAGE_SZ << (order + 1)) <= dom0_ram[i].end )
                order++;
            free_pages(pa, order);
            pa += PAGE_SZ << order;
        }
    }
    dom0_nr_ram = 0;
}

enum ram_shortage { RAM_OK, RAM_NO_BLOCK, RAM_NO_RANGE };

/*
 * dom0_mem bytes from the heap below GUEST_RAM_END, biggest blocks first.
 * RAM_OK, or what ran out: a free block there, or a slot in dom0_ram (which
 * then holds what was taken: free_ram()).
 */
static enum ram_shortage alloc_ram(u64 size)
{
    unsigned int order = HEAP_MAX_ORDER;

    while ( size )
    {
        paddr_t pa;

        while ( order > 0 && (PAGE_SZ << order) > size )
            order--;
        pa = alloc_pages_below(order, GUEST_RAM_END);
        if ( pa == PAGE_ALLOC_FAILED )
        {
            if ( order == 0 )
                return RAM_NO_BLOCK;
            order--;
            continue;
        }
        if ( !add_ram(pa, PAGE_SZ << order) )
        {
            free_pages(pa, order);
            return RAM_NO_RANGE;
        }
        size -= PAGE_SZ << order;
    }
    return RAM_OK;
}

/*
 * Copy len bytes to dom0 RAM at dst from host RAM at src_pa (or, when
 * src_va, from hypcore's memory), page by page through the window, and
 * clean what was written to the PoC: dom0 starts with its MMU and caches off.
 */
static void copy_to_dom0(paddr_t dst, paddr_t src_pa, const u8 *src_va, u64 len)
{
    while ( len )
    {
        u64 n = MIN(len, PAGE_SZ - (dst & (PAGE_SZ - 1)));
        u8 *d;

        if ( !src_va )
            n = MIN(n, PAGE_SZ - (src_pa & (PAGE_SZ - 1)));
        d = (u8 *)window_map(W_DST, dst & ~(PAGE_SZ - 1)) + (dst & (PAGE_SZ - 1));
        if ( src_va )
        {
            memcpy(d, src_va, n);
            src_va += n;
        }
        else
        {
            const u8 *s = window_map(W_SRC, src_pa & ~(PAGE_SZ - 1));

            memcpy(d, s + (src_pa & (PAGE_SZ - 1)), n);
            window_unmap(W_SRC);
            src_pa += n;
        }
        arch_clean_dcache_poc(d, n);
        window_unmap(W_DST);
        dst += n;
        len -= n;
    }
}

static bool is_its(const void *fdt, int node)
{
    return !fdt_node_check_compatible(fdt, node, "arm,gic-v3-its");
}

static bool skip_node(const void *fdt, int node)
{
    const char *type = fdt_getprop(fdt, node, "device_type", NULL);

    return (type && (!strcmp(type, "memory") || !strcmp(type, "cpu"))) ||
           is_its(fdt, node) || !dt_node_enabled(fdt, node);
}

/*
 * The reg entries of the GIC node hypcore keeps, by name, or NULL for one
 * dom0 gets: GICv2 lists GICD, GICC, then GICH and GICV; GICv3 GICD, the
 * redistributor regions, then the optional GICv2-compatible GICC, GICH and
 * GICV (bindings: arm,gic.yaml, arm,gic-v3.yaml).  GICH and GICV are the
 * hypervisor's; the GICCs are dom0's.
 */
static const char *gic_kept_reg(const void *fdt, int node, int index, int count)
{
    static const char *const v2[] = { NULL, NULL, "GICH", "GICV" };
    static const char *const v3_tail[] = { "GICH", "GICV" };

    if ( !fdt_node_check_compatible(fdt, node, "arm,gic-v3") )
    {
        const fdt32_t *p = fdt_getprop(fdt, node, "#redistributor-regions", NULL);
        int first = 2 + (p ? (int)fdt32_to_cpu(*p) : 1);     /* past GICD, GICR..., GICC */

        return index >= first && index - first < 2 ? v3_tail[index - first] : NULL;
    }
    if ( fdt_node_check_compatible(fdt, node, "arm,cortex-a15-gic") &&
         fdt_node_check_compatible(fdt, node, "arm,gic-400") )
        return NULL;
    return count >= 4 && index < 4 ? v2[index] : NULL;
}

/* map_devices' walk state. */
struct dom0_devices {
    struct p2m *p2m;
    unsigned int mapped;
};

/* One line per MMIO range hypcore keeps from dom0 (a test probes each). */
/* What hypcore keeps of the devices (for selftest=pt's stage-2 audit). */
#define DOM0_MAX_KEPT 16
static struct range kept[DOM0_MAX_KEPT];
static unsigned int nr_kept;

static void report_kept(const struct dt_walk *w, int index, const char *what)
{
    char path[DT_PATH_MAX];
    paddr_t start;
    u64 size;

    if ( dt_walk_paddr_index(w, index, &start, &size) )
        return;
    if ( nr_kept < DOM0_MAX_KEPT )
        kept[nr_kept++] = (struct range){ start, start + size };
    printk("dom0: kept by hypcore: %s reg 0x%llx-0x%llx (%s)\n",
           dt_walk_path(w, path, sizeof(path)), (unsigned long long)start,
           (unsigned long long)(start + size), what);
}

/*
 * Pass one node's reg entries through at stage 2, but for what hypcore
 * keeps (a dt_walk() callback: the ancestors come from the walk, so no
 * parent is looked up, which would rescan the blob for every node).
 */
static int map_device(const struct dt_walk *w, void *ctx)
{
    const void *fdt = w->fdt;
    struct dom0_devices *dev = ctx;
    int node = w->node[w->depth], count, i;

    if ( w->depth == 0 )
        return 0;
    count = dt_reg_count_in(fdt, node, dt_walk_parent(w));
    if ( is_its(fdt, node) )
        for ( i = 0; i < count; i++ )
            report_kept(w, i, "ITS");
    if ( skip_node(fdt, node) )
        return 0;
    for ( i = 0; i < count; i++ )
    {
        const char *kept = gic_kept_reg(fdt, node, i, count);
        paddr_t start;
        u64 size;
        struct range r;

        if ( kept )
        {
            report_kept(w, i, kept);
            continue;
        }
        /* Nodes whose reg is no CPU address (cpus, i2c, ...) do not translate. */
        if ( dt_walk_paddr_index(w, i, &start, &size) )
            continue;
        r.start = ALIGN_DOWN(start, PAGE_SZ);
        r.end = ALIGN_UP(start + size, PAGE_SZ);
        if ( r.end <= r.start || memmap_in_ram(&boot_mem.map, &r) )
            continue;
        if ( !p2m_map(dev->p2m, r.start, r.start, r.end - r.start, P2M_MMIO) )
        {
            char path[DT_PATH_MAX];

            printk(XENLOG_WARNING "dom0: warning: %s: reg 0x%llx-0x%llx not mapped "
                   "(above the IPA size or out of memory)\n",
                   dt_walk_path(w, path, sizeof(path)),
                   (unsigned long long)r.start, (unsigned long long)r.end);
            continue;
        }
        dev->mapped++;
    }
    return 0;
}

static bool map_devices(const void *fdt, struct p2m *p2m)
{
    struct dom0_devices dev = { p2m, 0 };

    nr_kept = 0;
    if ( dt_walk(fdt, map_device, &dev) )
        return false;
    printk("dom0: %u device regions passed through\n", dev.mapped);
    return true;
}

static void init_vcpus(struct domain *d)
{
    unsigned int cpu;

    d->nr_vcpus = smp_nr_cpus();
    for ( cpu = 0; cpu < d->nr_vcpus; cpu++ )
    {
        struct vcpu *v = &d->vcpu[cpu];
        u64 mpidr;

        v->id = cpu;
        if ( !smp_cpu_usable(cpu, &mpidr) )
        {
            v->state = VCPU_ABSENT;
            continue;
        }
        v->mpidr = mpidr;
        v->state = cpu == 0 ? VCPU_ON : VCPU_OFF;
        arch_vcpu_init(v, &d->p2m);
    }
}

/* Build dom0's DTB in heap pages mapped at DOM0_FDT_VA_OFFSET; returns its size or 0. */
static u64 make_fdt(const void *fdt, u8 **out, paddr_t *pages, unsigned int *order,
                    const char *bootargs, paddr_t initrd, u64 initrd_size)
{
    u64 need = fdt_used(fdt) + 2 * PAGE_SZ;
    vaddr_t va = (vaddr_t)__fdt_area_start + DOM0_FDT_VA_OFFSET;
    unsigned int o = 0;
    u64 i;
    int rc;

    while ( (PAGE_SZ << o) < need )
        o++;
    if ( (PAGE_SZ << o) > DOM0_FDT_MAX )
        return 0;
    *pages = alloc_pages(o);
    if ( *pages == PAGE_ALLOC_FAILED )
        return 0;
    *order = o;
    for ( i = 0; i < (1ULL << o); i++ )
        map_boot_page(va + i * PAGE_SZ, *pages + i * PAGE_SZ, MAP_RW);
    *out = (u8 *)va;
    rc = dom0_make_fdt(fdt, fdt_used(fdt), *out, PAGE_SZ << o, dom0_ram, dom0_nr_ram, bootargs,
                       initrd, initrd_size);
    if ( rc )
    {
        printk(XENLOG_ERR "dom0: cannot write its device tree: %s\n", fdt_strerror(rc));
        return 0;
    }
    return fdt_totalsize(*out);
}

/*
 * selftest=dom0-dtb: dom0's device tree as "dom0: dtb-hex <offset> <hex>"
 * lines of DTB_HEX_LINE bytes, so that a test can rebuild the blob and read
 * it with dtc/fdtget (scripts/hypcore_lib/dom0suite.py).
 */
#define DTB_HEX_LINE    32

static void dump_fdt(const u8 *buf, u64 size)
{
    static const char digits[] = "0123456789abcdef";
    char hex[2 * DTB_HEX_LINE + 1];
    u64 off, i;

    for ( off = 0; off < size; off += DTB_HEX_LINE )
    {
        u64 n = MIN((u64)DTB_HEX_LINE, size - off);

        for ( i = 0; i < n; i++ )
        {
            hex[2 * i] = digits[buf[off + i] >> 4];
            hex[2 * i + 1] = digits[buf[off + i] & 0xf];
        }
        hex[2 * n] = '\0';
        printk("dom0: dtb-hex %06llx %s\n", (unsigned long long)off, hex);
    }
}

static void drop_fdt(paddr_t pages, unsigned int order)
{
    vaddr_t va = (vaddr_t)__fdt_area_start + DOM0_FDT_VA_OFFSET;
    u64 i;

    for ( i = 0; i < (1ULL << order); i++ )
        unmap_boot_page(va + i * PAGE_SZ);
    free_pages(pages, order);
}

bool dom0_build(const void *fdt)
{
    const struct bootmodule *k = bootmodules_first(&boot_mem.mods, BOOTMOD_KERNEL);
    const struct bootmodule *rd = bootmodules_first(&boot_mem.mods, BOOTMOD_RAMDISK);
    struct domain *d = &dom0_domain;
    u64 mem = ALIGN_UP(dom0_mem_size(), PAGE_SZ), rd_size = rd ? rd->size : 0;
    u64 fdt_room = ALIGN_UP(fdt_used(fdt), PAGE_SZ) + 2 * PAGE_SZ;
    u64 need, fdt_size, released;
    struct heap_stats st;
    struct kimage img;
    struct placement pl;
    paddr_t kernel, dtb, initrd, fdt_pages, reserve;
    unsigned int fdt_order, i;
    enum ram_shortage ran_out;
    u8 *fdt_buf;

    if ( !k )
    {
        printk("dom0: no kernel module: no dom0\n");
        return false;
    }
    if ( !dom0_kernel_probe(k, &img) )
        return false;
    need = dom0_kernel_need(&img, fdt_room, rd_size);
    if ( mem < need )
    {
        printk("dom0: dom0_mem=0x%llx is smaller than the kernel, its DTB and initrd "
               "need (0x%llx): no dom0\n", (unsigned long long)mem, (unsigned long long)need);
        return false;
    }
    heap_get_stats(&st);
    if ( mem + P2M_RESERVE_PAGES * PAGE_SZ > st.free * PAGE_SZ )
    {
        printk("dom0: dom0_mem=0x%llx is more than the free RAM (0x%llx, less 0x%llx for "
               "stage-2 tables): no dom0\n", (unsigned long long)mem,
               (unsigned long long)(st.free * PAGE_SZ),
               (unsigned long long)(P2M_RESERVE_PAGES * PAGE_SZ));
        return false;
    }
    if ( !p2m_init(&d->p2m, DOM0_VMID) )
    {
        printk("dom0: no stage-2 translation on this CPU (or no memory for it): no dom0\n");
        return false;
    }
    reserve = alloc_pages_below(P2M_RESERVE_ORDER, ARCH_TABLE_PA_LIMIT);
    if ( reserve == PAGE_ALLOC_FAILED )
    {
        printk("dom0: no 0x%llx bytes free below 0x%llx for its stage-2 tables: no dom0\n",
               (unsigned long long)(P2M_RESERVE_PAGES * PAGE_SZ),
               (unsigned long long)ARCH_TABLE_PA_LIMIT);
        return false;
    }
    ran_out = alloc_ram(mem);
    free_pages(reserve, P2M_RESERVE_ORDER);
    if ( ran_out == RAM_NO_BLOCK )
        printk("dom0: dom0_mem=0x%llx is more than the heap has free below 0x%llx, with "
               "0x%llx bytes kept for stage-2 tables: no dom0\n", (unsigned long long)mem,
               (unsigned long long)GUEST_RAM_END,
               (unsigned long long)(P2M_RESERVE_PAGES * PAGE_SZ));
    else if ( ran_out == RAM_NO_RANGE )
        printk("dom0: dom0_mem=0x%llx: the heap's free blocks make more than %u RAM "
               "ranges: no dom0\n", (unsigned long long)mem, (unsigned int)DOM0_MAX_RAM);
    if ( ran_out != RAM_OK )
    {
        free_ram();
        return false;
    }
    if ( !dom0_kernel_place(&img, dom0_ram, dom0_nr_ram, fdt_room, rd_size, &pl) )
    {
        if ( GUEST_KERNEL_ZIMAGE && img.zstart && dom0_nr_ram )
            printk("dom0: zImage linked at 0x%llx (header start) does not fit dom0's first "
                   "RAM range 0x%llx-0x%llx: no dom0\n", (unsigned long long)img.zstart,
                   (unsigned long long)dom0_ram[0].start, (unsigned long long)dom0_ram[0].end);
        else
            printk("dom0: dom0_mem=0x%llx: the heap gives no range where the kernel "
                   "(text_offset 0x%llx, 0x%llx bytes) fits: no dom0\n",
                   (unsigned long long)mem, (unsigned long long)img.text_offset,
                   (unsigned long long)img.image_size);
        free_ram();
        return false;
    }
    for ( i = 0; i < dom0_nr_ram; i++ )
        printk("dom0: ram 0x%llx-0x%llx\n", (unsigned long long)dom0_ram[i].start,
               (unsigned long long)dom0_ram[i].end);

    kernel = pl.kernel;
    dtb = pl.dtb;
    initrd = pl.initrd;
    copy_to_dom0(kernel, k->start, NULL, k->size);
    printk("dom0: kernel 0x%llx-0x%llx copied from 0x%llx\n", (unsigned long long)kernel,
           (unsigned long long)(kernel + k->size), (unsigned long long)k->start);
    if ( rd )
    {
        copy_to_dom0(initrd, rd->start, NULL, rd->size);
        printk("dom0: initrd 0x%llx-0x%llx copied from 0x%llx\n", (unsigned long long)initrd,
               (unsigned long long)(initrd + rd->size), (unsigned long long)rd->start);
    }
    fdt_size = make_fdt(fdt, &fdt_buf, &fdt_pages, &fdt_order, k->bootargs, initrd, rd_size);
    if ( !fdt_size || fdt_size > fdt_room )
        panic("dom0: its device tree (%llu bytes) does not fit the 0x%llx bytes set aside",
              (unsigned long long)fdt_size, (unsigned long long)fdt_room);
    copy_to_dom0(dtb, 0, fdt_buf, fdt_size);
    if ( !strcmp(selftest_option(), "dom0-dtb") )
        dump_fdt(fdt_buf, fdt_size);
    drop_fdt(fdt_pages, fdt_order);
    printk("dom0: dtb 0x%llx-0x%llx written\n", (unsigned long long)dtb,
           (unsigned long long)(dtb + fdt_size));

    for ( i = 0; i < dom0_nr_ram; i++ )
        if ( !p2m_map(&d->p2m, dom0_ram[i].start, dom0_ram[i].start,
                           dom0_ram[i].end - dom0_ram[i].start, P2M_RAM) )
            panic("dom0: cannot map its RAM at stage 2 (out of memory for tables)");
    map_devices(fdt, &d->p2m);
    /* selftest=pt-leak: map a page hypcore owns (the stage-2 root), for the audit to find. */
    if ( !strcmp(selftest_option(), "pt-leak") )
        p2m_map(&d->p2m, d->p2m.root, d->p2m.root, PAGE_SZ, P2M_RAM);
    arch_p2m_activate(&d->p2m);
    arch_p2m_flush(&d->p2m);
    printk("dom0: p2m root 0x%llx vmid %u ipa-bits %u tables %u\n",
           (unsigned long long)d->p2m.root, d->p2m.vmid, d->p2m.ipa_bits, d->p2m.tables);
    if ( !strncmp(selftest_option(), "pt", 2) &&
         !selftest_pt_stage2(&d->p2m, dom0_ram, dom0_nr_ram, kept, nr_kept) )
    {
        printk(XENLOG_ERR "dom0: its stage-2 tables failed the audit: not entering dom0\n");
        return false;
    }

    released = release_boot_modules();
    printk("dom0: boot modules released (%llu pages)\n", (unsigned long long)released);
    heap_print_stats();

    init_vcpus(d);
    dom0 = d;
    dsb(ish);       /* dom0 and its vcpus are visible before any CPU_ON reaches them */
    /* The physical counter since reset: ./hypcore bench --suite dom0. */
    printk("bench: dom0_entry ticks=%llu\n", (unsigned long long)arch_counter());
    printk("dom0: entering %s at 0x%llx on cpu0 dtb 0x%llx\n", GUEST_KERNEL_MODE, (unsigned long long)kernel,
           (unsigned long long)dtb);
    console_flush();
    arch_vcpu_enter_kernel(&d->vcpu[0], kernel, dtb);
}
