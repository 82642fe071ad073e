/* SPDX-License-Identifier: MIT */
/*
 * arch/arm32/traps.c: print an exception taken to HYP mode, decoded, with
 * every register, the PC and LR by name and the call trace (fp's APCS frame
 * records); the entry code (entry.S) parks the CPU afterwards.
 */
#include <arch/processor.h>
#include <arch/pgtable.h>
#include <lib.h>
#include <printk.h>
#include <smp.h>
#include <traps.h>

/* HSR.EC values hypcore names (ARMv7 Arm ARM, B3.13.6). */
static const char *ec_name(unsigned int ec)
{
    switch ( ec )
    {
    case 0x00: return "unknown reason";
    case 0x01: return "WFI/WFE";
    case 0x03: return "MCR/MRC CP15";
    case 0x04: return "MCRR/MRRC CP15";
    case 0x05: return "MCR/MRC CP14";
    case 0x07: return "HCPTR-trapped coprocessor access";
    case 0x11: return "SVC";
    case 0x12: return "HVC";
    case 0x13: return "SMC";
    case 0x20: return "prefetch abort, from a guest";
    case 0x21: return "prefetch abort, in HYP mode";
    case 0x24: return "data abort, from a guest";
    case 0x25: return "data abort, in HYP mode";
    default:   return "unrecognised";
    }
}

static const char *const vector_name[] = {
    "reset", "undefined instruction", "HVC/SVC", "prefetch abort",
    "data abort", "hyp trap", "IRQ", "FIQ",
};

bool do_trap(struct cpu_user_regs *regs, unsigned int vector)
{
    unsigned int ec = (regs->esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
    unsigned int iss = regs->esr & ESR_ISS_MASK;
    vaddr_t fixup = trap_fixup(regs->elr, vector == 4 /* data abort in HYP mode */ && ec == 0x25,
                               regs->sp, (vaddr_t)(regs + 1));
    unsigned int i;

    if ( fixup )
    {
        regs->elr = fixup;
        return true;
    }

    printk_show_everything();           /* a dump is never filtered: the CPU stops */
    printk("trap: %s exception in HYP mode on cpu%u\n",
           vector < ARRAY_SIZE(vector_name) ? vector_name[vector] : "?",
           smp_processor_id());
    printk("trap: EC=0x%02x (%s) IL=%u ISS=0x%07x\n", ec, ec_name(ec),
           (regs->esr & ESR_IL) ? 1 : 0, iss);
    trap_print_abort(ec, iss, regs->far, regs->sp);
    printk("trap: HSR=0x%08x ELR_hyp=0x%08x HDFAR=0x%08x HIFAR=0x%08x SPSR=0x%08x\n",
           regs->esr, regs->elr, regs->far, regs->ifar, regs->spsr);
    for ( i = 0; i < 13; i += 4 )
    {
        unsigned int j;

        printk("trap:");
        for ( j = i; j < i + 4 && j < 13; j++ )
            printk(" r%-2u=0x%08x", j, regs->r[j]);
        if ( i + 4 > 13 )
            printk(" sp =0x%08x lr =0x%08x", regs->sp, regs->lr);
        printk("\n");
    }
    trap_print_trace(regs->elr, regs->lr, regs->r[11]);    /* r11: fp */
    printk("trap: cpu%u parked\n", smp_processor_id());
    smp_cpu_parked();
    return false;
}
