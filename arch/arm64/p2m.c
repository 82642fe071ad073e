/* SPDX-License-Identifier: MIT */
/*
 * arch/arm64/p2m.c: the EL2 registers that point a CPU at a domain's
 * stage-2 tables (include/p2m.h; the tables are common/p2m.c).
 *
 * Registers and barriers only through <arch/sysregs.h>, so that
 * tests/unit/test-p2m.c can build this file and common/p2m.c for the host
 * (with a stand-in for that header) and walk the tables they write.
 */
#include <arch/pgtable.h>
#include <arch/processor.h>
#include <arch/sysregs.h>
#include <lib.h>
#include <p2m.h>

/* VTCR_EL2 (Arm ARM D19.2.x): T0SZ, SL0, IRGN0, ORGN0, SH0, TG0, PS; bit 31 RES1. */
#define VTCR_T0SZ(bits)     (64 - (bits))
#define VTCR_SL0_L1         (_UL(1) << 6)
#define VTCR_IRGN0_WBWA     (_UL(1) << 8)
#define VTCR_ORGN0_WBWA     (_UL(1) << 10)
#define VTCR_SH0_INNER      (_UL(3) << 12)
#define VTCR_TG0_4K         (_UL(0) << 14)
#define VTCR_PS_SHIFT       16
#define VTCR_RES1           (_UL(1) << 31)
#define VTTBR_VMID_SHIFT    48

/* ID_AA64MMFR0_EL1.PARange encodings 0..5 -> bits (Arm ARM D19.2.64). */
static const unsigned int parange_bits[] = { 32, 36, 40, 42, 44, 48 };

/* The PARange encoding of the IPA size used: what the CPU has, at most 40 bits. */
static unsigned int ipa_ps(void)
{
    u64 mmfr0;
    unsigned int ps;

    mmfr0 = sysreg_read(mmfr0);
    ps = mmfr0 & PARANGE_MASK;
    if ( ps >= ARRAY_SIZE(parange_bits) )
        ps = ARRAY_SIZE(parange_bits) - 1;
    while ( parange_bits[ps] > P2M_MAX_IPA_BITS )
        ps--;
    return ps;
}

unsigned int arch_p2m_ipa_bits(void)
{
    return parange_bits[ipa_ps()];
}

void arch_p2m_regs(struct p2m *p2m)
{
    /* PS must cover the IPA size (Arm ARM D8.2.3): the same encoding. */
    p2m->vtcr = VTCR_RES1 | VTCR_T0SZ(p2m->ipa_bits) | VTCR_SL0_L1 | VTCR_IRGN0_WBWA |
                VTCR_ORGN0_WBWA | VTCR_SH0_INNER | VTCR_TG0_4K |
                ((u64)ipa_ps() << VTCR_PS_SHIFT);
    p2m->vttbr = p2m->root | ((u64)p2m->vmid << VTTBR_VMID_SHIFT);
}

void arch_p2m_activate(const struct p2m *p2m)
{
    sysreg_write(vtcr, p2m->vtcr);
    sysreg_write(vttbr, p2m->vttbr);
    isb();          /* the new VMID is current before any TLBI that names it */
}

void arch_p2m_flush(const struct p2m *p2m)
{
    (void)p2m;
    /*
     * TLB entries for this VMID may be left from firmware or an earlier
     * user of the VMID, and the architecture does not clear them at reset
     * (Arm ARM D8.16 "TLB maintenance requirements").  The tables were
     * written with ordinary stores: DSB ISHST makes them visible before the
     * invalidation, DSB ISH waits for it to finish on every CPU of the
     * inner-shareable domain, ISB before this CPU can walk again.
     */
    dsb(ishst);
    tlbi_vmid_all_is();
    dsb(ish);
    isb();
}
