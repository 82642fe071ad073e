/* SPDX-License-Identifier: MIT */
/* Names of abort fault status codes, stack overflows (include/traps.h). */
#include <layout.h>
#include <printk.h>
#include <sections.h>
#include <smp.h>
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

void trap_print_abort(unsigned int ec, unsigned int iss, u64 far, u64 sp)
{
    struct cpu_data *d = this_cpu();
    vaddr_t boot_guard = (vaddr_t)__boot_stack_guard;

    if ( ec == EC_IABT_LOWER || ec == EC_IABT_CUR || ec == EC_DABT_LOWER || ec == EC_DABT_CUR )
        printk("trap: %s at level %u%s\n", fault_status_name(iss & 0x3f), iss & 3,
               ec == EC_DABT_LOWER || ec == EC_DABT_CUR ?
               ((iss & ISS_DABT_WNR) ? ", write" : ", read") : "");
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

const char *fault_status_name(unsigned int fsc)
{
    switch ( fsc & 0x3c )
    {
    case 0x00: return "address size fault";
    case 0x04: return "translation fault";
    case 0x08: return "access flag fault";
    case 0x0c: return "permission fault";
    }
    if ( fsc == 0x10 )
        return "synchronous external abort";
    if ( fsc == 0x21 )
        return "alignment fault";
    return "other fault";
}
