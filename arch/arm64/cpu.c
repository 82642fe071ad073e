/* SPDX-License-Identifier: MIT */
/* arch/arm64/cpu.c: counter and SMC/HVC conduit. */
#include <arch/sysregs.h>
#include <cpu.h>
#include <psci.h>

#include <smp.h>

u64 arch_cpu_mpidr(void)
{
    return sysreg_read(mpidr);
}

u64 arch_counter(void)
{
    isb();      /* do not let the counter read be hoisted above earlier code */
    return sysreg_read(cntpct);
}

long arch_smccc_call(bool hvc, u32 fid, unsigned long a1, unsigned long a2,
                     unsigned long a3)
{
    register unsigned long x0 asm("x0") = fid;
    register unsigned long x1 asm("x1") = a1;
    register unsigned long x2 asm("x2") = a2;
    register unsigned long x3 asm("x3") = a3;

    /* SMCCC: x0-x17 may be clobbered by the callee. */
    if ( hvc )
        asm volatile ( "hvc #0"
                       : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3)
                       :: "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
                          "x12", "x13", "x14", "x15", "x16", "x17", "memory" );
    else
        asm volatile ( "smc #0"
                       : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3)
                       :: "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
                          "x12", "x13", "x14", "x15", "x16", "x17", "memory" );
    return (long)x0;
}
