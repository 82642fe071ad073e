/* SPDX-License-Identifier: MIT */
/*
 * common/fault.c: the architecture-neutral parts of a trap dump
 * (include/traps.h): abort names, stack overflows, and the PC/LR lines and call trace named
 * from the embedded symbol table.
 */
#include <arch/regs.h>
#include <layout.h>
#include <mem_setup.h>
#include <memmap.h>
#include <printk.h>
#include <sections.h>
#include <smp.h>
#include <symbols.h>
#include <traps.h>

#define PAGE_SZ      4096UL

/* Abort exception classes, the same in ESR_EL2 and HSR. */
#define EC_IABT_LOWER   0x20
#define EC_IABT_CUR     0x21
#define EC_DABT_LOWER   0x24
#define EC_DABT_CUR     0x25
#define ISS_DABT_WNR    (1U << 6)

/*
 * The same rule as the exception entry's (arch/<arch>/entry.S): an SP below
 * the bottom of this CPU's stack, inside its per-CPU slot and not on its
 * exception stack, is an overflow even when the fault is not in the guard
 * page (a frame of more than a page steps over it).
 */
static bool below_stack(const struct cpu_data *d, u64 sp)
{
    vaddr_t exc = d->slot_va + (vaddr_t)PERCPU_EXC_STACK_PAGE * PAGE_SZ;

    return sp >= d->slot_va && sp < d->guard_va + PAGE_SZ &&
           !(sp > exc && sp <= exc + PAGE_SZ);
}

/* The boot step under way (boot CPU only; what == NULL: none). */
static struct {
    const char *what;
    const char *hint;
    paddr_t pa;
    u64 size;
} boot_step;

void boot_step_begin(const char *what, paddr_t pa, u64 size, const char *hint)
{
    boot_step.pa = pa;
    boot_step.size = size;
    boot_step.hint = hint;
    boot_step.what = what;
}

void boot_step_end(void)
{
    boot_step.what = NULL;
}

/* "trap: while ..." for an abort during a boot step, with the RAM bank it lies in. */
static void print_boot_step(void)
{
    const struct memmap *mm = &boot_mem.map;
    unsigned int i;

    printk("trap: while %s 0x%llx-0x%llx", boot_step.what,
           (unsigned long long)boot_step.pa,
           (unsigned long long)(boot_step.pa + boot_step.size));
    for ( i = 0; i < mm->nr_ram; i++ )
        if ( boot_step.pa >= mm->ram[i].r.start && boot_step.pa < mm->ram[i].r.end )
            printk(" (in RAM bank 0x%llx-0x%llx of the DT)",
                   (unsigned long long)mm->ram[i].r.start,
                   (unsigned long long)mm->ram[i].r.end);
    printk(": %s\n", boot_step.hint);
}

void trap_print_abort(unsigned int ec, unsigned int iss, u64 far, u64 sp)
{
    struct cpu_data *d = this_cpu();
    vaddr_t boot_guard = (vaddr_t)__boot_stack_guard;

    if ( boot_step.what && smp_processor_id() == 0 &&
         (ec == EC_DABT_CUR || ec == EC_IABT_CUR) )
        print_boot_step();

    if ( ec == EC_IABT_LOWER || ec == EC_IABT_CUR || ec == EC_DABT_LOWER || ec == EC_DABT_CUR )
    {
        unsigned int fsc = iss & 0x3f;
        const char *rw = ec == EC_DABT_LOWER || ec == EC_DABT_CUR ?
                         ((iss & ISS_DABT_WNR) ? ", write" : ", read") : "";

        if ( fault_status_has_level(fsc) )
            printk("trap: %s at level %u%s\n", fault_status_name(fsc), fsc & 3, rw);
        else
            printk("trap: %s (FSC 0x%02x)%s\n", fault_status_name(fsc), fsc, rw);
    }
    if ( d && far >= d->guard_va && far - d->guard_va < PAGE_SZ )
        printk("trap: stack overflow: cpu%u hit its stack guard page 0x%llx\n",
               smp_processor_id(), (unsigned long long)d->guard_va);
    else if ( d && below_stack(d, sp) )
        printk("trap: stack overflow: cpu%u ran past its stack guard page 0x%llx (sp=0x%llx)\n",
               smp_processor_id(), (unsigned long long)d->guard_va, (unsigned long long)sp);
    else if ( !d && far >= boot_guard && far - boot_guard < PAGE_SZ )
        printk("trap: stack overflow: cpu0 hit the boot stack's guard page 0x%llx\n",
               (unsigned long long)boot_guard);
}

/*
 * The fault status codes whose low two bits are a translation level (Arm
 * ARM D19.2.40, ISS encoding for an exception from a Data Abort): address
 * size, translation, access flag and permission faults, and an external
 * abort on a table walk.  A plain external abort or an alignment fault has
 * no level.
 */
bool fault_status_has_level(unsigned int fsc)
{
    return fsc <= 0x0f || (fsc & 0x3c) == 0x14;
}

const char *fault_status_name(unsigned int fsc)
{
    switch ( fsc & 0x3c )
    {
    case 0x00: return "address size fault";
    case 0x04: return "translation fault";
    case 0x08: return "access flag fault";
    case 0x0c: return "permission fault";
    case 0x14: return "synchronous external abort on a table walk";
    }
    if ( fsc == 0x10 )
        return "synchronous external abort";
    if ( fsc == 0x21 )
        return "alignment fault";
    return "other fault";
}

/* Hex digits of an address, as the register lines print them. */
#define ADDR_DIGITS     ((int)(2 * sizeof(vaddr_t)))

/*
 * Print "0x<addr> <name>+0x<off>" (or "?").  A return address is looked up
 * one byte earlier: a call that never returns may be its function's last
 * instruction, so the address after it already belongs to the next one.
 */
static void print_addr(const char *prefix, vaddr_t addr, bool is_return)
{
    vaddr_t back = is_return ? 1 : 0, off = 0;
    const char *name = addr >= back ? symbols_lookup(addr - back, &off) : NULL;

    if ( name )
        printk("%s0x%0*llx %s+0x%llx\n", prefix, ADDR_DIGITS, (unsigned long long)addr,
               name, (unsigned long long)(off + back));
    else
        printk("%s0x%0*llx ?\n", prefix, ADDR_DIGITS, (unsigned long long)addr);
}

/*
 * The stack of this CPU that holds the frame record at fp, as [*lo, *hi):
 * its per-CPU stack, or (boot CPU) the boot stack.  False if neither.
 */
static bool trace_stack(vaddr_t fp, vaddr_t *lo, vaddr_t *hi)
{
    struct cpu_data *d = this_cpu();
    vaddr_t ranges[2][2] = {
        { d ? d->stack_top - PERCPU_STACK_PAGES * 4096 : 0, d ? d->stack_top : 0 },
        { (vaddr_t)boot_stack, (vaddr_t)boot_stack_top },
    };
    unsigned int i;

    for ( i = 0; i < 2; i++ )
    {
        if ( i == 1 && smp_processor_id() != 0 )
            break;                  /* only the boot CPU ever ran on the boot stack */
        if ( fp >= ranges[i][0] && fp < ranges[i][1] )
        {
            *lo = ranges[i][0];
            *hi = ranges[i][1];
            return true;
        }
    }
    return false;
}

void trap_print_trace(vaddr_t pc, vaddr_t lr, vaddr_t fp)
{
    vaddr_t lo, hi;
    unsigned int depth;

    print_addr("trap: PC ", pc, false);
    print_addr("trap: LR ", lr, true);
    if ( !fp )
    {
        printk("trap: call trace: none (frame pointer 0)\n");
        return;
    }
    if ( !trace_stack(fp, &lo, &hi) )
    {
        printk("trap: call trace: none (frame pointer 0x%0*llx is not on this CPU's stack)\n",
               ADDR_DIGITS, (unsigned long long)fp);
        return;
    }
    printk("trap: call trace (frame records from fp 0x%0*llx, stack 0x%0*llx-0x%0*llx):\n",
           ADDR_DIGITS, (unsigned long long)fp, ADDR_DIGITS, (unsigned long long)lo,
           ADDR_DIGITS, (unsigned long long)hi);
    for ( depth = 0; depth < TRAP_TRACE_DEPTH; depth++ )
    {
        vaddr_t next, ret, rec_lo, rec_hi;
        char prefix[16];

        /* Read only a whole, aligned record inside [lo, hi) (a wrap fails too). */
        rec_lo = fp + FRAME_RECORD_START;
        rec_hi = fp + FRAME_RECORD_END;
        if ( fp % sizeof(vaddr_t) || rec_lo < lo || rec_hi > hi || rec_lo > rec_hi )
        {
            printk("trap: call trace ends: frame pointer 0x%0*llx is %s\n", ADDR_DIGITS,
                   (unsigned long long)fp, fp % sizeof(vaddr_t) ? "misaligned" :
                   "outside the stack");
            return;
        }
        next = *(const vaddr_t *)(fp + FRAME_NEXT_FP);
        ret = *(const vaddr_t *)(fp + FRAME_RETURN);
        if ( !ret )
            break;                  /* a C entry from head.S: see zero_bss */
        snprintf(prefix, sizeof(prefix), "trap:   #%u ", depth);
        print_addr(prefix, ret, true);
        if ( !next )
            break;
        if ( next <= fp )
        {
            printk("trap: call trace ends: frame pointer 0x%0*llx is not above 0x%0*llx\n",
                   ADDR_DIGITS, (unsigned long long)next, ADDR_DIGITS,
                   (unsigned long long)fp);
            return;
        }
        fp = next;
    }
    if ( depth == TRAP_TRACE_DEPTH )
        printk("trap: call trace ends: depth limit of %u frames\n", TRAP_TRACE_DEPTH);
    else
        printk("trap: call trace ends: outermost frame\n");
}

vaddr_t trap_fixup(vaddr_t elr, bool data_abort, vaddr_t sp, vaddr_t frame_end)
{
    /* Only a frame pushed right below the interrupted SP can be resumed from. */
    if ( !data_abort || elr != (vaddr_t)probe_read32_insn || sp != frame_end )
        return 0;
    return (vaddr_t)probe_read32_fixup;
}
