/* SPDX-License-Identifier: MIT */
/* Names of abort fault status codes (include/traps.h). */
#include <layout.h>
#include <printk.h>
#include <smp.h>
#include <traps.h>

/* Abort exception classes, the same in ESR_EL2 and HSR. */
#define EC_IABT_LOWER   0x20
#define EC_IABT_CUR     0x21
#define EC_DABT_LOWER   0x24
#define EC_DABT_CUR     0x25
#define ISS_DABT_WNR    (1U << 6)

void trap_print_abort(unsigned int ec, unsigned int iss, u64 far)
{
    struct cpu_data *d = this_cpu();

    if ( ec == EC_IABT_LOWER || ec == EC_IABT_CUR || ec == EC_DABT_LOWER || ec == EC_DABT_CUR )
        printk("trap: %s at level %u%s\n", fault_status_name(iss & 0x3f), iss & 3,
               ec == EC_DABT_LOWER || ec == EC_DABT_CUR ?
               ((iss & ISS_DABT_WNR) ? ", write" : ", read") : "");
    if ( d && far >= d->guard_va && far - d->guard_va < 4096 )
        printk("trap: stack overflow: cpu%u hit its stack guard page 0x%llx\n",
               smp_processor_id(), (unsigned long long)d->guard_va);
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
