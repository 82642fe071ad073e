/* SPDX-License-Identifier: MIT */
/*
 * arch/arm64/traps.c: print an exception taken to EL2, decoded, with every
 * register, the PC and LR by name and the call trace (x29's frame records);
 * the entry code (entry.S) parks the CPU afterwards.
 */
#include <arch/processor.h>
#include <arch/sysregs.h>
#include <cpu.h>
#include <lib.h>
#include <printk.h>
#include <smp.h>
#include <traps.h>

/* ESR_ELx.EC values hypcore names (Arm ARM D19.2.37). */
static const char *ec_name(unsigned int ec)
{
    switch ( ec )
    {
    case 0x00: return "unknown reason";
    case 0x01: return "WFI/WFE";
    case 0x07: return "FP/SIMD access";
    case 0x0e: return "illegal execution state";
    case 0x11: return "SVC (AArch32)";
    case 0x12: return "HVC (AArch32)";
    case 0x13: return "SMC (AArch32)";
    case 0x15: return "SVC (AArch64)";
    case 0x16: return "HVC (AArch64)";
    case 0x17: return "SMC (AArch64)";
    case 0x18: return "MSR/MRS trap";
    case 0x19: return "SVE access";
    case 0x20: return "instruction abort, lower EL";
    case 0x21: return "instruction abort, current EL";
    case 0x22: return "PC alignment fault";
    case 0x24: return "data abort, lower EL";
    case 0x25: return "data abort, current EL";
    case 0x26: return "SP alignment fault";
    case 0x2f: return "SError";
    case 0x30: return "breakpoint, lower EL";
    case 0x31: return "breakpoint, current EL";
    case 0x3c: return "BRK instruction";
    default:   return "unrecognised";
    }
}

static const char *const vector_group[] = {
    "current EL, SP_EL0", "current EL, SP_EL2", "lower EL, AArch64", "lower EL, AArch32",
};
static const char *const vector_type[] = { "synchronous", "IRQ", "FIQ", "SError" };

bool do_trap(struct cpu_user_regs *regs, unsigned int vector)
{
    unsigned int ec = (regs->esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
    unsigned int iss = regs->esr & ESR_ISS_MASK;
    vaddr_t fixup = trap_fixup(regs->elr, vector == 4 /* current EL, SP_ELx, synchronous */ && ec == 0x25,
                               regs->sp, (vaddr_t)(regs + 1));
    unsigned int i;

    if ( fixup )
    {
        regs->elr = fixup;
        return true;
    }

    printk_show_everything();           /* a dump is never filtered: the CPU stops */
    printk("trap: %s exception from %s on cpu%u\n",
           vector_type[vector & 3], vector_group[(vector >> 2) & 3],
           smp_processor_id());
    printk("trap: EC=0x%02x (%s) IL=%u ISS=0x%07x\n", ec, ec_name(ec),
           (regs->esr & ESR_IL) ? 1 : 0, iss);
    trap_print_abort(ec, iss, regs->far, regs->sp);
    printk("trap: ESR=0x%08llx ELR=0x%016llx FAR=0x%016llx SPSR=0x%08llx\n",
           (unsigned long long)regs->esr, (unsigned long long)regs->elr,
           (unsigned long long)regs->far, (unsigned long long)regs->spsr);
    for ( i = 0; i < 31; i += 4 )
    {
        unsigned int j;

        printk("trap:");
        for ( j = i; j < i + 4 && j < 31; j++ )
            printk(" x%-2u=0x%016llx", j, (unsigned long long)regs->x[j]);
        if ( i + 4 > 31 )
            printk(" sp =0x%016llx", (unsigned long long)regs->sp);
        printk("\n");
    }
    trap_print_trace(regs->elr, regs->x[30], regs->x[29]);
    printk("trap: cpu%u parked\n", smp_processor_id());
    smp_cpu_parked();
    return false;
}

static void __unused build_assertions(void)
{
    /* entry.S stores these pairs with stp. */
    BUILD_BUG_ON(offsetof(struct cpu_user_regs, spsr) !=
                 offsetof(struct cpu_user_regs, elr) + 8);
    BUILD_BUG_ON(offsetof(struct cpu_user_regs, far) !=
                 offsetof(struct cpu_user_regs, esr) + 8);
    BUILD_BUG_ON(offsetof(struct cpu_user_regs, sp) !=
                 offsetof(struct cpu_user_regs, x[30]) + 8);
}
