/* SPDX-License-Identifier: MIT */
/*
 * arch/arm32/p2m.c: stage 2 and vcpus on arm32 (include/p2m.h,
 * include/vcpu.h).  Not there yet: arch_p2m_init() refuses, so dom0_build()
 * prints one line and the boot completes without dom0.
 */
#include <cpu.h>
#include <lib.h>
#include <p2m.h>
#include <vcpu.h>

bool arch_p2m_init(struct p2m *p2m, unsigned int vmid)
{
    (void)p2m;
    (void)vmid;
    return false;
}

bool arch_p2m_map(struct p2m *p2m, paddr_t ipa, paddr_t pa, u64 size, enum p2m_type type)
{
    (void)p2m; (void)ipa; (void)pa; (void)size; (void)type;
    return false;
}

bool arch_p2m_lookup(const struct p2m *p2m, paddr_t ipa, paddr_t *pa, enum p2m_type *type)
{
    (void)p2m; (void)ipa; (void)pa; (void)type;
    return false;
}

void arch_p2m_activate(const struct p2m *p2m)
{
    (void)p2m;
    ASSERT(false);      /* arch_p2m_init() never succeeds */
}

void arch_p2m_flush(const struct p2m *p2m)
{
    (void)p2m;
    ASSERT(false);
}

void arch_vcpu_init(struct vcpu *v, const struct p2m *p2m)
{
    (void)v;
    (void)p2m;
    ASSERT(false);
}

void arch_vcpu_enter(struct vcpu *v, paddr_t entry, u64 arg0)
{
    (void)v; (void)entry; (void)arg0;
    panic("dom0 cannot run on arm32 yet");
}

bool arch_guest_va_to_ipa(vaddr_t va, paddr_t *ipa)
{
    (void)va;
    (void)ipa;
    return false;
}

void arch_clean_dcache_poc(const void *va, size_t len)
{
    u32 ctr, line;
    uintptr_t p, end = (uintptr_t)va + len;

    asm volatile ( "mrc p15, 0, %0, c0, c0, 1" : "=r" (ctr) );     /* CTR */
    line = 4U << ((ctr >> 16) & 0xf);                               /* DminLine */
    /* DCCMVAC: clean by MVA to the PoC (Arm ARM B4.2.1). */
    for ( p = (uintptr_t)va & ~(uintptr_t)(line - 1); p < end; p += line )
        asm volatile ( "mcr p15, 0, %0, c7, c10, 1" :: "r" (p) : "memory" );
    dsb(sy);
}
