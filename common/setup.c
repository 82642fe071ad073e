/* SPDX-License-Identifier: MIT */
/*
 * common/setup.c: the boot CPU's path in C, from head.S to power-off.
 */
#include <arch/regs.h>
#include <bootmodule.h>
#include <cmdline.h>
#include <console.h>
#include <cpu.h>
#include <dom0.h>
#include <dom0_build.h>
#include <dt.h>
#include <gic.h>
#include <layout.h>
#include <lib.h>
#include <libfdt.h>
#include <mem_setup.h>
#include <mm.h>
#include <printk.h>
#include <psci.h>
#include <sections.h>
#include <smp.h>
#include <traps.h>
#include <selftest.h>

#define PAGE_SZ 4096UL

void __noreturn start_hypcore(paddr_t fdt_paddr, paddr_t load, paddr_t idmap,
                              vaddr_t temp, unsigned int share);
static void __noreturn start_hypcore_late(void *fdt);

/*
 * boot_fail: bad input we cannot boot without (no DTB, a broken DTB): one
 * line in the same "- ... -" form head.S uses before C, then park.
 */
static void __noreturn __attribute__((format(printf, 1, 2)))
boot_fail(const char *fmt, ...)
{
    char buf[200];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if ( n < 0 )
        n = 0;
    if ( (size_t)n >= sizeof(buf) )
        n = sizeof(buf) - 1;
    console_write("- hypcore: ", 11);
    console_write(buf, n);
    console_write(" -\r\n", 4);
    park();
}

/*
 * Map the DTB at fdt_paddr into the FDT area and check it with libfdt.
 * First one page, to read the header's magic and totalsize (both in the
 * first 8 bytes, which an 8-byte aligned blob keeps in one page), then every
 * page it covers.
 */
static const void *map_boot_fdt(paddr_t pa, const char *source)
{
    vaddr_t base = (vaddr_t)__fdt_area_start;
    paddr_t page = pa & ~(paddr_t)(PAGE_SZ - 1);
    const struct fdt_header *hdr;
    const char *why;
    unsigned int bits = arch_paddr_bits(&why);
    u32 size, magic;
    paddr_t p;
    int err;

    if ( pa & 7 )
        boot_fail("DTB at 0x%llx (%s) is not 8-byte aligned",
                  (unsigned long long)pa, source);
    /* Mapped as it is, a higher address would lose its top bits: another page. */
    if ( pa >> bits )
        boot_fail("DTB at 0x%llx (%s) lies beyond the %u-bit physical address "
                  "space (%s)", (unsigned long long)pa, source, bits, why);
    map_boot_page(base, page, MAP_RO);
    hdr = (const void *)(base + (vaddr_t)(pa - page));
    /*
     * The pointer is the loader's word only: read the header's first words
     * through probe_read32, so that an address where nothing answers (no
     * RAM, no device) is refused in one line rather than a trap dump.
     */
    if ( !probe_read32((vaddr_t)&hdr->magic, &magic) ||
         !probe_read32((vaddr_t)&hdr->totalsize, &size) )
        boot_fail("no DTB at 0x%llx (%s): reading it aborted: no memory answers at that "
                  "address", (unsigned long long)pa, source);
    if ( fdt32_to_cpu(magic) != FDT_MAGIC )
        boot_fail("no DTB at 0x%llx (%s): bad magic 0x%08x, expected 0x%08x",
                  (unsigned long long)pa, source, fdt32_to_cpu(magic), FDT_MAGIC);
    size = fdt32_to_cpu(size);
    if ( size < sizeof(*hdr) || size > FDT_MAX_SIZE )
        boot_fail("invalid DTB at 0x%llx (%s): totalsize %u outside %zu..%u bytes",
                  (unsigned long long)pa, source, size, sizeof(*hdr), FDT_MAX_SIZE);
    if ( (pa + size - 1) >> bits )
        boot_fail("DTB at 0x%llx-0x%llx (%s) crosses the top of the %u-bit physical "
                  "address space (%s)", (unsigned long long)pa,
                  (unsigned long long)(pa + size), source, bits, why);
    for ( p = page + PAGE_SZ; p < pa + size; p += PAGE_SZ )
    {
        map_boot_page(base + (p - page), p, MAP_RO);
        /* Every page answers, or the totalsize runs past the memory the DTB is in. */
        if ( !probe_read32(base + (vaddr_t)(p - page), &magic) )
            boot_fail("invalid DTB at 0x%llx-0x%llx (%s): reading its page at 0x%llx "
                      "aborted: its totalsize runs past the memory it is in",
                      (unsigned long long)pa, (unsigned long long)(pa + size), source,
                      (unsigned long long)p);
    }

    /* dt_check: header, version 17, size, then the whole structure. */
    boot_step_begin("reading the DTB at", pa, size,
                    "the DTB's totalsize runs past the memory it is in");
    err = dt_check(hdr, size);
    boot_step_end();
    if ( err )
        boot_fail("invalid DTB at 0x%llx (%s): %s",
                  (unsigned long long)pa, source, fdt_strerror(err));
    return hdr;
}

static void print_decision(paddr_t load, paddr_t idmap, vaddr_t temp,
                           unsigned int share)
{
    char tbuf[24] = "none";

    if ( temp )
        snprintf(tbuf, sizeof(tbuf), "0x%llx", (unsigned long long)temp);
    printk("boot: arch=%s load=0x%llx idmap=0x%llx runtime=0x%llx-0x%llx "
           "share=%u clash=%s temp=%s\n", HYPCORE_ARCH,
           (unsigned long long)load, (unsigned long long)idmap,
           (unsigned long long)(vaddr_t)_start,
           (unsigned long long)(vaddr_t)__runtime_end,
           share, temp ? "yes" : "no", tbuf);
}

void start_hypcore(paddr_t fdt_paddr, paddr_t load, paddr_t idmap,
                   vaddr_t temp, unsigned int share)
{
    static struct bootmodules modules;
    u64 t_entry, t_dt;
    const void *fdt;

    call_chain_start();         /* head.S called us with no return address */
    t_entry = arch_counter();
    mm_boot_init(load);
    printk("hypcore %s on %s\n", HYPCORE_ARCH, BOARD_NAME);
    printk("bench: c_entry ticks=%llu\n", (unsigned long long)t_entry);
    print_decision(load, idmap, temp, share);

    if ( fdt_paddr )
        fdt = map_boot_fdt(fdt_paddr, "from the loader");
    else
        fdt = map_boot_fdt(BOARD_DEFAULT_DTB_PADDR, "board default, the loader passed none");
    printk("dt: blob at 0x%llx size %u\n",
           (unsigned long long)(fdt_paddr ? fdt_paddr : BOARD_DEFAULT_DTB_PADDR),
           fdt_totalsize(fdt));
    /* The options (loglvl= too) hold from here on; the lines above used the defaults. */
    cmdline_parse(dt_bootargs(fdt));
    console_init(fdt);
    dom0_print_options();
    t_dt = arch_counter();
    dt_print_facts(fdt, &modules);      /* parses the boot modules too */
    printk("bench: dt_facts ticks=%llu\n", (unsigned long long)(arch_counter() - t_dt));
    setup_memory(fdt, fdt_paddr ? fdt_paddr : BOARD_DEFAULT_DTB_PADDR, load, &modules);

    psci_init(fdt);
    /* The rest runs on the boot CPU's own stack, in its private slot. */
    smp_prepare_boot_cpu(start_hypcore_late, (void *)fdt);
}

/* The boot CPU, on its per-CPU stack: secondaries, self-tests, power-off. */
static void start_hypcore_late(void *arg)
{
    const void *fdt = arg;

    bool for_dom0 = bootmodules_first(&boot_mem.mods, BOOTMOD_KERNEL) != NULL;

    /* Idle CPUs that wait for dom0's CPU_ON sleep until the GIC wakes them. */
    if ( for_dom0 )
        gic_init(fdt);
    smp_idle_for_dom0(for_dom0);
    smp_init(fdt);
    if ( selftest_option()[0] )
        selftest_run(selftest_option());

    /* Enters dom0 and does not come back, or says why there is none. */
    dom0_build(fdt);

    smp_quiesce();
    printk("bench: end ticks=%llu\n", (unsigned long long)arch_counter());
    printk_show_everything();   /* the end marker prints whatever loglvl= says */
    printk("hypcore: boot complete, powering off\n");
    console_flush();
    psci_system_off();
    printk("hypcore: could not power off; parking\n");
    park();
}
