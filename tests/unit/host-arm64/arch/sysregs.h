/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for arch/arm64/include/arch/sysregs.h, for test-p2m.c:
 * system registers are variables the test sets and reads (host_sysreg_<name>),
 * barriers are compiler barriers, and a TLB invalidation is counted.  Only the
 * accessors arch/arm64/p2m.c uses exist here, so a new one fails to build.
 */
#ifndef ARCH_ARM64_SYSREGS_H
#define ARCH_ARM64_SYSREGS_H

#include <types.h>

extern u64 host_sysreg_mmfr0, host_sysreg_vtcr, host_sysreg_vttbr;
extern unsigned int host_tlbi_count;

#define sysreg_read(name)       (host_sysreg_##name)
#define sysreg_write(name, val) do { host_sysreg_##name = (val); } while ( 0 )
#define isb()                   __atomic_signal_fence(__ATOMIC_SEQ_CST)
#define dsb(opt)                __atomic_signal_fence(__ATOMIC_SEQ_CST)
#define tlbi_vmid_all_is()      do { host_tlbi_count++; } while ( 0 )

#endif /* ARCH_ARM64_SYSREGS_H */
