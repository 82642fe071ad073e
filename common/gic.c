/* SPDX-License-Identifier: MIT */
/*
 * common/gic.c: the wake SGI (include/gic.h).  dom0 owns the GIC; hypcore
 * touches only what waking an idle CPU needs:
 *
 *  - GICv2 (arm,cortex-a15-gic, arm,gic-400): the distributor's enable,
 *    GICD_SGIR to send, and on each idle CPU its banked SGI enable,
 *    priority and pending-clear registers and its CPU interface's enable
 *    and priority mask.
 *  - GICv3 (arm,gic-v3): the distributor's ARE and Group 1 enables; each
 *    CPU's redistributor (found by GICR_TYPER affinity, its two frames
 *    mapped by the CPU itself in its own per-CPU slot, so the fixmap does
 *    not grow with the CPU count) for the SGI's group, priority, enable and
 *    pending-clear and GICR_WAKER; the system-register
 *    CPU interface (arch/<arch>/include/arch/gic_cpuif.h) to send and to
 *    let Group 1 through.
 *
 * dom0 finds the GIC as firmware would leave it (distributor enabled, ARE
 * set) and re-initialises it; Linux disables every SGI of a CPU it brings
 * up, so the wake SGI never reaches dom0.  Register offsets and bits: the
 * GICv2 and GICv3 architecture specifications (IHI 0048, IHI 0069).
 */
#include <arch/gic_cpuif.h>
#include <arch/mmio.h>
#include <arch/pgtable.h>
#include <cpu.h>
#include <dt.h>
#include <gic.h>
#include <layout.h>
#include <lib.h>
#include <libfdt.h>
#include <mem_setup.h>
#include <mm.h>
#include <percpu_mm.h>
#include <printk.h>
#include <range.h>
#include <sections.h>
#include <smp.h>
#include <traps.h>

#define GICD_CTLR           0x000
#define GICD_CTLR_RWP       (1U << 31)  /* v3: a write is still taking effect */
#define GICD_CTLR_V3_BITS   0x13U       /* v3: ARE_NS (4), EnableGrp1A (1), EnableGrp1 (0) as Linux sets them */
#define GICD_ISENABLER      0x100
#define GICD_IPRIORITYR     0x400
#define GICD_ITARGETSR      0x800
#define GICD_SGIR           0xf00
#define GICD_CPENDSGIR      0xf10
#define GICD_PIDR2_V2       0xfe8
#define GICD_PIDR2_V3       0xffe8
#define GICC_CTLR           0x000
#define GICC_PMR            0x004

#define GICR_TYPER          0x008       /* 64 bits: affinity in [63:32] */
#define GICR_TYPER_VLPIS    (1U << 1)
#define GICR_TYPER_LAST     (1U << 4)
#define GICR_WAKER          0x014
#define GICR_WAKER_SLEEP    (1U << 1)   /* ProcessorSleep */
#define GICR_WAKER_ASLEEP   (1U << 2)   /* ChildrenAsleep */
#define GICR_SGI_OFFSET     0x10000     /* SGI_base frame after RD_base */
#define GICR_IGROUPR0       0x080
#define GICR_ISENABLER0     0x100
#define GICR_ISPENDR0       0x200
#define GICR_ICPENDR0       0x280
#define GICR_IPRIORITYR     0x400
#define GICR_FRAME          0x20000     /* RD_base + SGI_base */
#define GICR_FRAME_VLPI     0x40000     /* ... + VLPI_base + reserved */

#define WAKE_PRIORITY       0xa0U       /* any value the mask lets through */
#define WAIT_MS             10          /* RWP and ChildrenAsleep: bounded waits */

/* Fixmap slots: the GICD page, the GICC page (v3: a scratch page, unmapped after use). */
#define FIXMAP_GICD         2
#define FIXMAP_GICC         3

enum gic_kind { GIC_NONE, GIC_V2, GIC_V3 };

struct rdist {
    u64 mpidr;                  /* its affinity, as MPIDR's Aff3..Aff0 */
    paddr_t pa;                 /* its RD_base frame (SGI_base follows) */
};

static enum gic_kind kind;
static vaddr_t gicd, gicc;
static struct rdist rdists[NR_CPUS];
static unsigned int nr_rdists;

/* Per CPU, written by the CPU itself: how to reach it, and that it sleeps. */
static struct {
    u64 sgi1r;                  /* v3: ICC_SGI1R value with its affinity */
    u32 v2_mask;                /* v2: its CPU interface, as a target-list bit */
    vaddr_t rd, sgi;            /* v3: its RD_base and SGI_base pages (its slot's), or 0 */
    bool ready;
} wake[NR_CPUS];

static vaddr_t fixmap_va(unsigned int slot)
{
    return (vaddr_t)__fixmap_start + (vaddr_t)slot * PAGE_SIZE;
}

static vaddr_t map_page(unsigned int slot, paddr_t pa)
{
    map_boot_page(fixmap_va(slot), pa, MAP_DEVICE);
    return fixmap_va(slot);
}

/* Wait, bounded, until (reg & mask) == 0; false on timeout. */
static bool wait_clear(vaddr_t reg, u32 mask)
{
    u64 t0 = arch_counter(), limit = arch_counter_freq() / 1000 * WAIT_MS;

    while ( mmio_read32(reg) & mask )
        if ( arch_counter() - t0 > limit )
            return false;
    return true;
}

/* MPIDR Aff3..Aff0 from GICR_TYPER's upper word (Aff3.Aff2.Aff1.Aff0). */
static u64 typer_mpidr(u32 hi)
{
    return ((u64)(hi >> 24) << 32) | (hi & 0xffffffU);
}

/* What the walk found of the first GIC node: its kind, path and reg entries. */
#define GIC_MAX_REGS 10             /* GICD + up to 8 redistributor regions + 1 */
struct gic_node {
    enum gic_kind kind;
    char path[64];
    unsigned int nr_regs;
    int reg_err;                    /* the first unusable entry's error, 0 if none */
    struct range reg[GIC_MAX_REGS];
    u64 regions, stride;            /* v3: #redistributor-regions, redistributor-stride */
};

/*
 * One dt_walk() pass (no lookup from the root per node or per entry: the
 * ancestors come from the walk, as for the other boot facts): the first
 * node compatible with a GICv3 or a GICv2, its path and its reg entries
 * translated to physical addresses.  Stops there.
 */
static int find_gic(const struct dt_walk *w, void *ctx)
{
    static const char *const v2[] = { "arm,cortex-a15-gic", "arm,gic-400" };
    struct gic_node *g = ctx;
    const char *compat;
    unsigned int i;
    int len, count;

    compat = fdt_getprop(w->fdt, w->node[w->depth], "compatible", &len);
    if ( !compat || len <= 0 )
        return 0;
    if ( fdt_stringlist_contains(compat, len, "arm,gic-v3") )
        g->kind = GIC_V3;
    for ( i = 0; g->kind == GIC_NONE && i < ARRAY_SIZE(v2); i++ )
        if ( fdt_stringlist_contains(compat, len, v2[i]) )
            g->kind = GIC_V2;
    if ( g->kind == GIC_NONE )
        return 0;
    dt_walk_path(w, g->path, sizeof(g->path));
    count = dt_reg_count_in(w->fdt, w->node[w->depth], dt_walk_parent(w));
    for ( i = 0; count > 0 && i < (unsigned int)count && i < GIC_MAX_REGS; i++ )
    {
        paddr_t start;
        u64 size;
        int err = dt_walk_paddr_index(w, i, &start, &size);

        if ( err && !g->reg_err )
            g->reg_err = err;
        g->reg[i] = err ? (struct range){ 0, 0 } : (struct range){ start, start + size };
        g->nr_regs = i + 1;
    }
    g->regions = 1;
    dt_get_number(w->fdt, w->node[w->depth], "#redistributor-regions", &g->regions);
    dt_get_number(w->fdt, w->node[w->depth], "redistributor-stride", &g->stride);
    return 1;
}

/* Why the GIC cannot be used, when that needs an address (gic_init prints it). */
static char why_buf[112];

/*
 * Entry @i of the GIC node's reg (@what names it): present and translated,
 * at least @min bytes, @align-aligned, and clear of every RAM bank: a DT
 * that puts the GIC over RAM would have hypcore write "registers" into
 * memory.  NULL with *pa and *size set, else why not.
 */
static const char *gic_reg(const struct gic_node *g, unsigned int i, const char *what,
                           u64 min, u64 align, paddr_t *pa, u64 *size)
{
    const struct range *r = &g->reg[i];
    unsigned int b;

    if ( i >= g->nr_regs || r->end <= r->start )
        snprintf(why_buf, sizeof(why_buf), "%s reg absent or not a CPU address", what);
    else if ( r->end - r->start < min )
        snprintf(why_buf, sizeof(why_buf), "%s reg 0x%llx-0x%llx is under 0x%llx bytes",
                 what, (unsigned long long)r->start, (unsigned long long)r->end,
                 (unsigned long long)min);
    else if ( r->start & (align - 1) )
        snprintf(why_buf, sizeof(why_buf), "%s reg 0x%llx is not 0x%llx-aligned", what,
                 (unsigned long long)r->start, (unsigned long long)align);
    else
    {
        for ( b = 0; b < boot_mem.map.nr_ram; b++ )
            if ( r->start < boot_mem.map.ram[b].r.end && boot_mem.map.ram[b].r.start < r->end )
            {
                snprintf(why_buf, sizeof(why_buf), "%s reg 0x%llx-0x%llx overlaps RAM "
                         "0x%llx-0x%llx", what, (unsigned long long)r->start,
                         (unsigned long long)r->end,
                         (unsigned long long)boot_mem.map.ram[b].r.start,
                         (unsigned long long)boot_mem.map.ram[b].r.end);
                return why_buf;
            }
        *pa = r->start;
        *size = r->end - r->start;
        return NULL;
    }
    return why_buf;
}

/* Read a GIC register that the DT alone vouches for: NULL, or why not. */
static const char *gic_read(vaddr_t va, paddr_t pa, const char *what, u32 *val)
{
    if ( probe_read32(va, val) )
        return NULL;
    snprintf(why_buf, sizeof(why_buf), "%s at 0x%llx does not answer (reading it aborted)",
             what, (unsigned long long)pa);
    return why_buf;
}

static const char *find_rdists(const struct gic_node *g)
{
    unsigned int r;

    if ( g->regions < 1 || g->regions > GIC_MAX_REGS - 2 )
        return "#redistributor-regions out of range";
    /* Frames are 64 KiB pages (IHI 0069, 9.1): so must the stride be. */
    if ( g->stride % 0x10000 )
        return "redistributor-stride is not a multiple of 64 KiB";
    for ( r = 1; r <= g->regions; r++ )
    {
        const char *why;
        paddr_t pa;
        u64 size, off, step;

        why = gic_reg(g, r, "a redistributor region's", GICR_FRAME, 0x10000, &pa, &size);
        if ( why )
            return why;
        for ( off = 0; off + GICR_FRAME <= size; off += step )
        {
            struct rdist *rd = &rdists[nr_rdists];
            u32 lo, hi;

            vaddr_t va;

            if ( nr_rdists == NR_CPUS )
                return NULL;            /* CPUs past NR_CPUS never idle here */
            /* Its GICR_TYPER through the scratch page: each CPU maps its own frames. */
            va = map_page(FIXMAP_GICC, pa + off);
            why = gic_read(va + GICR_TYPER, pa + off, "the redistributor frame", &lo) ?:
                  gic_read(va + GICR_TYPER + 4, pa + off, "the redistributor frame", &hi);
            unmap_boot_page(va);
            if ( why )
                return why;
            rd->pa = pa + off;
            rd->mpidr = typer_mpidr(hi);
            nr_rdists++;
            if ( lo & GICR_TYPER_LAST )
                break;
            step = g->stride ? g->stride : (lo & GICR_TYPER_VLPIS) ? GICR_FRAME_VLPI : GICR_FRAME;
        }
    }
    return nr_rdists ? NULL : "no redistributor frame";
}

/* Enable what forwarding needs, as Linux would (v3: ARE before the groups). */
static const char *enable_dist(void)
{
    u32 ctlr = mmio_read32(gicd + GICD_CTLR);

    if ( kind == GIC_V2 )
    {
        mmio_write32(gicd + GICD_CTLR, ctlr | 1);
        return NULL;
    }
    if ( (ctlr & GICD_CTLR_V3_BITS) == GICD_CTLR_V3_BITS )
        return NULL;
    if ( !(ctlr & 0x10) )
    {
        /* ARE may change only with both groups disabled (IHI 0069, GICD_CTLR). */
        mmio_write32(gicd + GICD_CTLR, ctlr & ~0x3U);
        if ( !wait_clear(gicd + GICD_CTLR, GICD_CTLR_RWP) )
            return "GICD_CTLR.RWP stuck";
        mmio_write32(gicd + GICD_CTLR, (ctlr & ~0x3U) | 0x10);
        if ( !wait_clear(gicd + GICD_CTLR, GICD_CTLR_RWP) )
            return "GICD_CTLR.RWP stuck";
    }
    mmio_write32(gicd + GICD_CTLR, mmio_read32(gicd + GICD_CTLR) | GICD_CTLR_V3_BITS);
    if ( !wait_clear(gicd + GICD_CTLR, GICD_CTLR_RWP) )
        return "GICD_CTLR.RWP stuck";
    return NULL;
}

static const char *probe(const void *fdt, struct gic_node *g)
{
    const char *why;
    u32 rev;
    paddr_t pa;
    u64 size;

    if ( dt_walk(fdt, find_gic, g) < 0 )
        return "the device tree cannot be walked";
    kind = g->kind;
    if ( kind == GIC_NONE )
        return "no GICv2 or GICv3 node";
    if ( kind == GIC_V3 && !arch_gic_has_sysregs() )
        return "GICv3 but the CPU has no system-register interface";
    why = gic_reg(g, 0, "GICD", kind == GIC_V3 ? 0x10000U : 0x1000U,
                  kind == GIC_V3 ? 0x10000U : 0x1000U, &pa, &size);
    if ( why )
        return why;
    gicd = map_page(FIXMAP_GICD, pa);
    if ( kind == GIC_V2 )
        why = gic_read(gicd + GICD_PIDR2_V2, pa, "GICD", &rev);
    else
    {
        /* The v3 ID registers end the distributor's first 64 KiB: a scratch page. */
        why = gic_read(map_page(FIXMAP_GICC, pa + 0xf000) + (GICD_PIDR2_V3 & 0xfff), pa,
                       "GICD", &rev);
        unmap_boot_page(fixmap_va(FIXMAP_GICC));
    }
    if ( why )
        return why;
    rev = (rev >> 4) & 0xf;            /* ArchRev */
    if ( kind == GIC_V3 ? rev < 3 : rev < 1 || rev > 2 )
        return kind == GIC_V3 ? "GICD_PIDR2 says not a GICv3 or GICv4"
                              : "GICD_PIDR2 says not a GICv1 or GICv2";
    if ( kind == GIC_V2 )
    {
        why = gic_reg(g, 1, "GICC", 0x1000, 0x1000, &pa, &size);
        if ( why )
            return why;
        gicc = map_page(FIXMAP_GICC, pa);
        return enable_dist();
    }
    return find_rdists(g) ?: enable_dist();
}

void gic_init(const void *fdt)
{
    static struct gic_node g;       /* static: the walk's result is no stack load */
    const char *why = probe(fdt, &g);

    if ( why )
    {
        kind = GIC_NONE;
        printk("gic: %s%s%s; idle CPUs wait in WFE\n", g.path, g.path[0] ? ": " : "", why);
        return;
    }
    if ( kind == GIC_V2 )
        printk("gic: v2 %s; SGI %u wakes idle CPUs from WFI\n", g.path, GIC_WAKE_SGI);
    else
        printk("gic: v3 %s, %u redistributors; SGI %u wakes idle CPUs from WFI\n",
               g.path, nr_rdists, GIC_WAKE_SGI);
}

/* Set byte @n of the 32-bit register at @reg (this CPU's banked copy). */
static void write_byte(vaddr_t reg, unsigned int n, u32 val)
{
    u32 w = mmio_read32(reg);

    mmio_write32(reg, (w & ~(0xffU << (8 * n))) | (val << (8 * n)));
}

static bool prepare_v2(unsigned int cpu)
{
    /* ITARGETSR0..7 read as this CPU's own interface (IHI 0048B 4.3.12). */
    u32 mask = mmio_read32(gicd + GICD_ITARGETSR) & 0xff;

    if ( !mask )
        return false;
    write_byte(gicd + GICD_IPRIORITYR + (GIC_WAKE_SGI & ~3U), GIC_WAKE_SGI & 3, WAKE_PRIORITY);
    mmio_write32(gicd + GICD_ISENABLER, 1U << GIC_WAKE_SGI);
    mmio_write32(gicc + GICC_PMR, 0xff);
    mmio_write32(gicc + GICC_CTLR, mmio_read32(gicc + GICC_CTLR) | 1);
    wake[cpu].v2_mask = mask;
    return true;
}

static bool prepare_v3(unsigned int cpu)
{
    u64 mpidr = arch_cpu_mpidr() & 0xff00ffffffULL;
    const struct rdist *rd = NULL;
    vaddr_t rdva, sgi;
    unsigned int i;
    u64 aff0;

    /* Boards list redistributors in CPU order: try that first (no scan per CPU). */
    if ( cpu < nr_rdists && rdists[cpu].mpidr == mpidr )
        rd = &rdists[cpu];
    for ( i = 0; i < nr_rdists && !rd; i++ )
        if ( rdists[i].mpidr == mpidr )
            rd = &rdists[i];
    if ( !rd )
        return false;
    rdva = percpu_map_device(0, rd->pa);
    sgi = percpu_map_device(1, rd->pa + GICR_SGI_OFFSET);
    mmio_write32(rdva + GICR_WAKER, mmio_read32(rdva + GICR_WAKER) & ~GICR_WAKER_SLEEP);
    if ( !wait_clear(rdva + GICR_WAKER, GICR_WAKER_ASLEEP) )
        return false;
    mmio_write32(sgi + GICR_IGROUPR0, mmio_read32(sgi + GICR_IGROUPR0) | (1U << GIC_WAKE_SGI));
    write_byte(sgi + GICR_IPRIORITYR + (GIC_WAKE_SGI & ~3U), GIC_WAKE_SGI & 3, WAKE_PRIORITY);
    mmio_write32(sgi + GICR_ISENABLER0, 1U << GIC_WAKE_SGI);
    arch_gicv3_cpuif_enable();
    /* ICC_SGI1R: Aff3 [55:48], Aff2 [39:32], INTID [27:24], Aff1 [23:16],
     * RS [47:44] and TargetList [15:0] from Aff0 (16 CPUs per range). */
    aff0 = mpidr & 0xff;
    wake[cpu].sgi1r = ((mpidr >> 32) & 0xff) << 48 | ((mpidr >> 16) & 0xff) << 32 |
                      (u64)GIC_WAKE_SGI << 24 | ((mpidr >> 8) & 0xff) << 16 |
                      (aff0 >> 4) << 44 | 1ULL << (aff0 & 15);
    wake[cpu].rd = rdva;
    wake[cpu].sgi = sgi;
    return true;
}

bool gic_idle_prepare(unsigned int cpu)
{
    bool ok;

    if ( kind == GIC_NONE || cpu >= NR_CPUS )
        return false;
    ok = kind == GIC_V2 ? prepare_v2(cpu) : prepare_v3(cpu);
    if ( !ok )
        return false;
    arch_idle_route_irqs_here();
    gic_idle_ack(cpu);
    wake[cpu].ready = true;
    dsb(ish);       /* ready is seen before this CPU's next look at its mailbox */
    return true;
}

void gic_idle_ack(unsigned int cpu)
{
    if ( kind == GIC_V2 )
    {
        /* CPENDSGIR: a byte per SGI, a bit per sender; this CPU's bank. */
        mmio_write32(gicd + GICD_CPENDSGIR + (GIC_WAKE_SGI & ~3U), 0xffU << (8 * (GIC_WAKE_SGI & 3)));
        /* A read from the same device after the write: the clear has reached it. */
        (void)mmio_read32(gicd + GICD_CPENDSGIR);
    }
    else if ( kind == GIC_V3 && wake[cpu].sgi )
    {
        mmio_write32(wake[cpu].sgi + GICR_ICPENDR0, 1U << GIC_WAKE_SGI);
        (void)mmio_read32(wake[cpu].sgi + GICR_ISPENDR0);          /* as above */
    }
    dsb(sy);        /* done before the mailbox is read again */
}

void gic_wake(unsigned int cpu)
{
    if ( cpu >= NR_CPUS || !wake[cpu].ready )
        return;
    dsb(ish);       /* the work is published before the SGI that announces it */
    if ( kind == GIC_V2 )
        mmio_write32(gicd + GICD_SGIR, wake[cpu].v2_mask << 16 | GIC_WAKE_SGI);
    else if ( kind == GIC_V3 )
        arch_gicv3_send_sgi(wake[cpu].sgi1r);
}
