/* SPDX-License-Identifier: MIT */
/*
 * common/smp.c: secondary CPU bring-up (include/smp.h).
 *
 * Discovery: /cpus children with device_type = "cpu" (reg = MPIDR, in the
 * /cpus #address-cells), enable-method "psci"; the boot CPU is the one whose
 * MPIDR matches its own and is cpu0, the others are numbered in tree order.
 * Each secondary gets its pages (stack, exception stack, data) and a fresh
 * root table from the boot CPU (arch_cpu_prepare), then PSCI CPU_ON; the boot
 * CPU waits for it to check in, with a counter-based timeout, and carries on
 * with the CPUs that came up.
 */
#include <arch/regs.h>
#include <arch/sysregs.h>
#include <cpu.h>
#include <dt.h>
#include <gic.h>
#include <layout.h>
#include <lib.h>
#include <libfdt.h>
#include <mm.h>
#include <page_alloc.h>
#include <percpu_mm.h>
#include <printk.h>
#include <psci.h>
#include <pt_build.h>
#include <sections.h>
#include <selftest.h>
#include <smp.h>
#include <string.h>
#include <vcpu.h>

/* How long the boot CPU waits for one CPU to check in. */
#define SMP_TIMEOUT_MS          500
/* MPIDR affinity fields Aff3..Aff0 (bits 39:32, 23:0). */
#define MPIDR_HWID_MASK         0xff00ffffffULL

/*
 * A CPU's life: STARTING (CPU_ON issued) -> ONLINE (checked in) -> IDLE (in
 * its wait loop) or PARKED (after a trap dump).  The boot CPU powers off only
 * once every online CPU is IDLE or PARKED, so no report is cut short.
 */
void secondary_entry(void);     /* head.S: where CPU_ON starts a CPU */

enum cpu_state { CPU_ABSENT, CPU_STARTING, CPU_ONLINE, CPU_IDLE, CPU_PARKED, CPU_FAILED };

/* Shared: written by the boot CPU before CPU_ON and by each CPU once online. */
static struct {
    u64 mpidr;
    volatile u32 state;
    volatile u32 token_seen;    /* selftest=smp: what the CPU read of smp_token */
    paddr_t stack_pa;           /* the physical page at the top of its stack */
} cpus[NR_CPUS];
static unsigned int nr_cpus_listed;

/* Checked in at some point: online, idle in its loop, or parked after a dump. */
static bool came_online(unsigned int cpu)
{
    u32 st = cpus[cpu].state;

    return st == CPU_ONLINE || st == CPU_IDLE || st == CPU_PARKED;
}

/* Self-test set-up, decided by the boot CPU before any CPU_ON. */
static int stall_cpu = -1;
static int overflow_cpu = -1;
static int overflow_big_cpu = -1;
static bool smp_selftest;
static paddr_t sig_page[NR_CPUS];       /* selftest=smp: one page per CPU */
static struct pt_build cpu_tables[NR_CPUS];  /* each secondary's table pages */
static volatile u32 smp_token;          /* selftest=smp: written by the boot CPU */

#define SIG_MAGIC 0x5e1f0000U

static const char *find_cpus(const void *fdt, int *cpus_node, unsigned int *ac)
{
    int node = fdt_path_offset(fdt, "/cpus");
    const fdt32_t *p;
    int len;

    if ( node < 0 )
        return "no /cpus node";
    p = fdt_getprop(fdt, node, "#address-cells", &len);
    *ac = (p && len == 4) ? fdt32_to_cpu(*p) : 0;
    if ( *ac != 1 && *ac != 2 )
        return "/cpus #address-cells is not 1 or 2";
    *cpus_node = node;
    return NULL;
}

/* Fill cpus[] from /cpus; cpu0 is the boot CPU.  Returns the count. */
/* CPUs /cpus lists past CONFIG_NR_CPUS: left out, and counted in the summary. */
static unsigned int left_out;

/* A CPU node's path, for a warning line only (no walk from the root). */
static const char *cpu_path(const void *fdt, int node, char *buf, size_t size)
{
    dt_child_path(fdt, "/cpus", node, buf, size);
    return buf;
}

static unsigned int discover_cpus(const void *fdt, u64 self)
{
    unsigned int ac, n = 1;
    const char *why;
    bool found_self = false;
    int parent, node;

    cpus[0].mpidr = self;
    why = find_cpus(fdt, &parent, &ac);
    if ( why )
    {
        printk("smp: %s: running on the boot CPU only\n", why);
        return 1;
    }
    fdt_for_each_subnode(node, fdt, parent)
    {
        char path[DT_PATH_MAX];
        const char *type = fdt_getprop(fdt, node, "device_type", NULL);
        const char *method;
        const fdt32_t *reg;
        u64 mpidr;
        int len;

        if ( !type || strcmp(type, "cpu") || !dt_node_enabled(fdt, node) )
            continue;
        reg = fdt_getprop(fdt, node, "reg", &len);
        if ( !reg || len != (int)(ac * 4) )
        {
            printk(XENLOG_WARNING "smp: warning: %s: reg is not %u cell(s); CPU ignored\n",
                   cpu_path(fdt, node, path, sizeof(path)), ac);
            continue;
        }
        mpidr = fdt32_to_cpu(reg[0]);
        if ( ac == 2 )
            mpidr = (mpidr << 32) | fdt32_to_cpu(reg[1]);
        mpidr &= MPIDR_HWID_MASK;
        if ( mpidr == self && !found_self )
        {
            found_self = true;
            continue;
        }
        method = fdt_getprop(fdt, node, "enable-method", &len);
        if ( !method || len <= 0 || strnlen(method, len) == (size_t)len ||
             strcmp(method, "psci") )
        {
            printk(XENLOG_WARNING "smp: warning: %s: enable-method is not \"psci\"; "
                   "CPU ignored\n", cpu_path(fdt, node, path, sizeof(path)));
            continue;
        }
        if ( n == NR_CPUS )
        {
            /* One line for the first; the summary counts them all (smp_init). */
            if ( !left_out++ )
                printk(XENLOG_WARNING "smp: warning: %s: more CPUs than CONFIG_NR_CPUS (%u); "
                       "ignored, and every later one\n",
                       cpu_path(fdt, node, path, sizeof(path)), NR_CPUS);
            continue;
        }
        cpus[n++].mpidr = mpidr;
    }
    if ( !found_self )
        printk(XENLOG_WARNING "smp: warning: the boot CPU's MPIDR 0x%llx is not in /cpus\n",
               (unsigned long long)self);
    return n;
}

void percpu_data_init(struct cpu_data *d, unsigned int cpu, u64 mpidr,
                      paddr_t root, paddr_t data_pa)
{
    /* Only the structure: the rest of the page is never read. */
    memset(d, 0, sizeof(*d));
    d->id = cpu;
    d->mpidr = mpidr;
    d->root = root;
    d->data_pa = data_pa;
    d->slot_va = percpu_base;
    d->guard_va = percpu_base + (vaddr_t)PERCPU_GUARD_PAGE(cpu) * 4096;
    d->stack_top = percpu_base +
                   (vaddr_t)(PERCPU_STACK_PAGE(cpu) + PERCPU_STACK_PAGES) * 4096;
}

unsigned int smp_processor_id(void)
{
    struct cpu_data *d = this_cpu();

    return d ? d->id : 0;
}

u64 arch_counter_freq(void)
{
    u64 f = sysreg_read(cntfrq);

    return f ? f : 62500000;    /* QEMU virt's, if firmware left CNTFRQ unset */
}

/*
 * A CPU's private pages: its stack as one block of PERCPU_STACK_PAGES
 * (one allocation, not four), its exception stack and its data page.
 */
#define STACK_ORDER 2
static bool alloc_percpu_pages(struct percpu_pages *pg)
{
    paddr_t stack = alloc_pages(STACK_ORDER);
    unsigned int i;

    BUILD_BUG_ON(ARRAY_SIZE(pg->stack) != PERCPU_STACK_PAGES ||
                 PERCPU_STACK_PAGES != 1U << STACK_ORDER);
    if ( stack == PAGE_ALLOC_FAILED )
        return false;
    pg->exc_stack = alloc_pages(0);
    pg->data = pg->exc_stack == PAGE_ALLOC_FAILED ? PAGE_ALLOC_FAILED : alloc_pages(0);
    if ( pg->data == PAGE_ALLOC_FAILED )
    {
        if ( pg->exc_stack != PAGE_ALLOC_FAILED )
            free_pages(pg->exc_stack, 0);
        free_pages(stack, STACK_ORDER);
        return false;
    }
    for ( i = 0; i < PERCPU_STACK_PAGES; i++ )
        pg->stack[i] = stack + i * 4096;
    return true;
}

static void free_percpu_pages(const struct percpu_pages *pg)
{
    free_pages(pg->stack[0], STACK_ORDER);
    free_pages(pg->exc_stack, 0);
    free_pages(pg->data, 0);
}

static vaddr_t stack_bottom(unsigned int cpu)
{
    return percpu_base + (vaddr_t)PERCPU_STACK_PAGE(cpu) * 4096;
}

/*
 * stack= is the stack's virtual range in the per-CPU slot; stack-pa= the
 * physical page behind its top page (the one in use first), so that a test
 * can check that dom0 cannot reach it.
 */
static void report_online(unsigned int cpu, paddr_t root)
{
    printk("smp: cpu%u online mpidr=0x%llx root=0x%llx stack=0x%llx-0x%llx stack-pa=0x%llx\n",
           cpu, (unsigned long long)cpus[cpu].mpidr, (unsigned long long)root,
           (unsigned long long)stack_bottom(cpu),
           (unsigned long long)(stack_bottom(cpu) + PERCPU_STACK_PAGES * 4096),
           (unsigned long long)cpus[cpu].stack_pa);
}

static void report_failed(unsigned int cpu, const char *reason)
{
    cpus[cpu].state = CPU_FAILED;
    printk(XENLOG_WARNING "smp: cpu%u failed mpidr=0x%llx reason=%s\n", cpu,
           (unsigned long long)cpus[cpu].mpidr, reason);
}

static int parse_cpu_arg(const char *opt, const char *prefix)
{
    size_t n = strlen(prefix);
    char *end;
    unsigned long v;

    if ( strncmp(opt, prefix, n) )
        return -1;
    v = strtoul(opt + n, &end, 0);
    if ( end == opt + n || *end || v >= NR_CPUS )
    {
        printk(XENLOG_WARNING "smp: warning: selftest=%s: not a CPU number below %u; "
               "ignored\n", opt, NR_CPUS);
        return -1;
    }
    return (int)v;
}

/* A self-test that names a CPU must name a secondary this boot has. */
static void check_selftest_cpu(int *cpu, const char *name, unsigned int n)
{
    if ( *cpu == 0 || *cpu >= (int)n )
    {
        printk(XENLOG_WARNING "smp: warning: selftest=%s:%d: not a secondary CPU "
               "(cpu1..cpu%u); ignored\n",
               name, *cpu, n - 1);
        *cpu = -1;
    }
}

static void read_selftests(void)
{
    const char *opt = selftest_option();

    smp_selftest = !strcmp(opt, "smp");
    stall_cpu = parse_cpu_arg(opt, "stall:");
    overflow_cpu = parse_cpu_arg(opt, "stack-overflow:");
    overflow_big_cpu = parse_cpu_arg(opt, "stack-overflow-big:");
}

/*
 * Recurse until the guard page stops us (selftest=stack-overflow).  The
 * depth limit is only there to make the recursion finite for the compiler:
 * it is far past what any stack here holds.
 */
static unsigned int __attribute__((noinline)) overflow(volatile u8 *prev, unsigned int depth)
{
    volatile u8 buf[256];

    buf[0] = prev ? prev[0] + 1 : 0;
    if ( depth > (1U << 20) )
        return buf[0];
    return overflow(buf, depth + 1) + buf[1];
}

/*
 * selftest=stack-overflow-big: frames of three pages.  The first call, from
 * less than a page below the stack top, still ends inside the 4-page stack;
 * the second starts more than a page below its bottom: past the guard page
 * without touching it, as a large local array does.  The exception entry
 * must still see an overflow (SP below the stack, inside the per-CPU slot).
 * As in overflow(), the depth limit only makes the recursion finite.
 */
#define OVERFLOW_BIG_FRAME  (3 * 4096)

static unsigned int __attribute__((noinline)) overflow_big(volatile u8 *prev, unsigned int depth)
{
    volatile u8 buf[OVERFLOW_BIG_FRAME];

    buf[0] = prev ? prev[0] + 1 : 0;
    if ( depth > 16 )
        return buf[0];
    return overflow_big(buf, depth + 1) + buf[1];
}

static bool idle_for_dom0;

void smp_idle_for_dom0(bool wait)
{
    idle_for_dom0 = wait;
    dsb(ish);       /* visible to the idle CPUs (inner shareable) before they are woken */
}

static void __noreturn idle(unsigned int cpu)
{
    cpus[cpu].state = CPU_IDLE;
    dsb(ish);
    /*
     * Without dom0, WFI for good: QEMU's TCG stops the vCPU there, where WFE
     * only yields (64 CPUs spinning would starve the bring-up of the others).
     * With dom0 to come, WFI too, woken by the GIC's wake SGI that PSCI
     * CPU_ON sends (vpsci.c); without a usable GIC, WFE, woken by its SEV.
     * The pending SGI is cleared before each look at the mailbox, so a
     * wake sent after that look is still pending at the WFI.
     */
    if ( !idle_for_dom0 )
        for ( ;; )
            asm volatile ( "wfi" );
    if ( gic_idle_prepare(cpu) )
        for ( ;; )
        {
            gic_idle_ack(cpu);
            vcpu_check_mailbox(cpu);
            asm volatile ( "wfi" ::: "memory" );
        }
    for ( ;; )
    {
        vcpu_check_mailbox(cpu);
        asm volatile ( "wfe" ::: "memory" );
    }
}

unsigned int smp_nr_cpus(void)
{
    return nr_cpus_listed;
}

bool smp_cpu_usable(unsigned int cpu, u64 *mpidr)
{
    if ( cpu >= nr_cpus_listed )
        return false;
    *mpidr = cpus[cpu].mpidr;
    return cpu == 0 || cpus[cpu].state == CPU_IDLE || cpus[cpu].state == CPU_ONLINE;
}

void smp_idle(void)
{
    idle(smp_processor_id());
}

void smp_cpu_parked(void)
{
    unsigned int cpu = smp_processor_id();

    if ( cpu < NR_CPUS && cpus[cpu].state != CPU_ABSENT )
    {
        cpus[cpu].state = CPU_PARKED;
        dsb(ish);
    }
}

/*
 * Before power-off: wait (bounded) until every CPU that came online is idle
 * or parked, so a CPU still printing a trap dump gets to finish it.
 */
void smp_quiesce(void)
{
    u64 timeout = arch_counter_freq() / 1000 * SMP_TIMEOUT_MS, t0 = arch_counter();
    unsigned int cpu;

    for ( cpu = 1; cpu < nr_cpus_listed; cpu++ )
        while ( cpus[cpu].state == CPU_ONLINE )
            if ( arch_counter() - t0 > timeout )
            {
                printk("smp: cpu%u neither idle nor parked; powering off anyway\n", cpu);
                break;
            }
}

static void selftest_smp_write(unsigned int cpu)
{
    volatile u64 *sig;

    if ( !sig_page[cpu] )
        return;
    /* The same window vaddr on every CPU, each reaching its own page. */
    sig = window_map(0, sig_page[cpu]);
    sig[0] = SIG_MAGIC | cpu;
    sig[1] = (vaddr_t)sig;              /* the vaddr it used, for the check */
    window_unmap(0);
}

void secondary_start(unsigned int cpu)
{
    struct cpu_data *d;

    call_chain_start();         /* head.S called us with no return address */
    d = this_cpu();
    if ( d->id != cpu || cpu == 0 || cpu >= NR_CPUS )
        panic("secondary_start: cpu %u has the per-CPU data of cpu %u", cpu, d->id);
    if ( (int)cpu == stall_cpu )
        for ( ;; )                      /* never checks in: the boot CPU times out */
            asm volatile ( "wfi" );
    if ( smp_selftest )
    {
        selftest_smp_write(cpu);
        cpus[cpu].token_seen = smp_token;
    }
    if ( !strcmp(selftest_option(), "pt") )
        selftest_pt_cpu(cpu);           /* the boot CPU waits: its lines come in order */
    cpus[cpu].state = CPU_ONLINE;
    dsb(ish);                           /* published before anything else we do */
    if ( (int)cpu == overflow_cpu )
        overflow(NULL, 0);
    if ( (int)cpu == overflow_big_cpu )
        overflow_big(NULL, 0);
    idle(cpu);
}

/* A CPU timed out: it may still run its boot, on what the others shared. */
static bool straggler;

static void bring_up(unsigned int cpu, u64 timeout)
{
    u64 t0;
    struct percpu_pages pg;
    const char *why = "nomem";
    paddr_t root;
    long ret;

    if ( !alloc_percpu_pages(&pg) )
    {
        report_failed(cpu, why);
        return;
    }
    memset(&cpu_tables[cpu], 0, sizeof(cpu_tables[cpu]));
    root = arch_cpu_prepare(cpu, cpus[cpu].mpidr, &pg, &cpu_tables[cpu], &why);
    if ( !root )
    {
        pt_build_free(&cpu_tables[cpu], false);
        free_percpu_pages(&pg);
        report_failed(cpu, why);
        return;
    }
    cpus[cpu].stack_pa = pg.stack[PERCPU_STACK_PAGES - 1];
    cpus[cpu].state = CPU_STARTING;
    dsb(ish);
    ret = psci_cpu_on(cpus[cpu].mpidr, virt_to_image_paddr((const void *)secondary_entry), cpu);
    if ( ret != PSCI_SUCCESS )
    {
        /* Nothing runs on these pages: give them back. */
        pt_build_free(&cpu_tables[cpu], false);
        free_percpu_pages(&pg);
        char text[32];

        report_failed(cpu, psci_error_text(ret, text, sizeof(text)));
        return;
    }
    t0 = arch_counter();
    while ( cpus[cpu].state == CPU_STARTING )
        if ( arch_counter() - t0 > timeout )
        {
            /* It may still be running: keep its pages and tables. */
            report_failed(cpu, "timeout");
            straggler = true;
            return;
        }
    pt_build_free(&cpu_tables[cpu], true);  /* its boot-only tables */
    report_online(cpu, root);
}

static void selftest_smp_check(unsigned int n)
{
    unsigned int cpu, bad = 0, online = 0;
    u64 va0 = 0;

    for ( cpu = 1; cpu < n; cpu++ )
    {
        const volatile u64 *sig;

        if ( !came_online(cpu) || !sig_page[cpu] )
            continue;
        online++;
        sig = window_map(1, sig_page[cpu]);
        if ( sig[0] != (SIG_MAGIC | cpu) )
        {
            printk("selftest smp: cpu%u's page holds 0x%llx, expected 0x%x\n",
                   cpu, (unsigned long long)sig[0], SIG_MAGIC | cpu);
            bad++;
        }
        if ( !va0 )
            va0 = sig[1];
        else if ( sig[1] != va0 )
        {
            printk("selftest smp: cpu%u wrote through 0x%llx, cpu1 through 0x%llx\n",
                   cpu, (unsigned long long)sig[1], (unsigned long long)va0);
            bad++;
        }
        window_unmap(1);
        if ( cpus[cpu].token_seen != smp_token )
        {
            printk("selftest smp: cpu%u read 0x%08x from the boot CPU's data, not 0x%08x\n",
                   cpu, cpus[cpu].token_seen, smp_token);
            bad++;
        }
    }
    if ( bad )
        printk(XENLOG_ERR "selftest smp: FAILED (%u problems)\n", bad);
    else
        printk("selftest smp: ok cpus=%u window=0x%llx distinct-pages=%u\n",
               online, (unsigned long long)va0, online);
}

void smp_init(const void *fdt)
{
    u64 self = arch_cpu_mpidr() & MPIDR_HWID_MASK;
    unsigned int n, cpu, online = 1;
    u64 t0 = arch_counter(), timeout;

    read_selftests();
    n = discover_cpus(fdt, self);
    nr_cpus_listed = n;
    check_selftest_cpu(&stall_cpu, "stall", n);
    check_selftest_cpu(&overflow_cpu, "stack-overflow", n);
    check_selftest_cpu(&overflow_big_cpu, "stack-overflow-big", n);
    cpus[0].state = CPU_ONLINE;
    report_online(0, this_cpu()->root);
    if ( smp_selftest )
    {
        smp_token = (u32)arch_counter() ^ 0xa5a5f00dU;
        for ( cpu = 1; cpu < n; cpu++ )
        {
            paddr_t pa = alloc_pages(0);

            sig_page[cpu] = pa == PAGE_ALLOC_FAILED ? 0 : pa;
        }
    }
    dsb(ish);       /* the self-test set-up is visible before any CPU_ON */
    timeout = arch_counter_freq() / 1000 * SMP_TIMEOUT_MS;     /* counter ticks, once */
    for ( cpu = 1; cpu < n; cpu++ )
    {
        bring_up(cpu, timeout);
        online += came_online(cpu);
    }
    arch_smp_prepare_done(!straggler);
    if ( left_out )
        printk("smp: %u of %u cpus online; %u more in /cpus left out (CONFIG_NR_CPUS=%u)\n",
               online, n, left_out, NR_CPUS);
    else
        printk("smp: %u of %u cpus online\n", online, n);
    printk("bench: smp ticks=%llu cpus=%u\n",
           (unsigned long long)(arch_counter() - t0), n);
    if ( smp_selftest )
        selftest_smp_check(n);
}

/* Give the boot CPU its private slot and stack, then continue on it. */
void smp_prepare_boot_cpu(void (*cont)(void *), void *arg)
{
    struct percpu_pages pg;
    vaddr_t sp;

    if ( !alloc_percpu_pages(&pg) )
        panic("no memory for the boot CPU's stack and per-CPU data");
    cpus[0].stack_pa = pg.stack[PERCPU_STACK_PAGES - 1];
    sp = arch_percpu_boot_cpu(&pg, arch_cpu_mpidr() & MPIDR_HWID_MASK);
    switch_stack_and_call(sp, cont, arg);
}
