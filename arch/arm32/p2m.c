/* SPDX-License-Identifier: MIT */
/*
 * arch/arm32/p2m.c: the HYP-mode registers that point a CPU at a domain's
 * stage-2 tables (include/p2m.h; the tables are common/p2m.c, in the LPAE
 * long-descriptor format arm64 shares).
 *
 * The IPA is 40 bits, the most VMSAv7 LPAE stage 2 translates (ARMv7 Arm
 * ARM B3.6.5 "Stage 2 translation"), walked from level 1 over two
 * concatenated level-1 tables, as on arm64.
 */
#include <arch/pgtable.h>
#include <arch/processor.h>
#include <arch/sysregs.h>
#include <lib.h>
#include <p2m.h>

/*
 * VTCR (ARMv7 Arm ARM B4.1.159): T0SZ[3:0] is a signed 4-bit value with S
 * (bit 4) its sign copied, the IPA size being 32 - T0SZ; SL0[7:6] the start
 * level (1 = level 1); IRGN0, ORGN0, SH0 the walks' attributes; bit 31 RES1.
 * 40 bits: T0SZ = -8 = 0b1000, S = 1; the whole value is 0x80003558.
 */
#define VTCR_T0SZ(bits)     ((u32)(32 - (int)(bits)) & 0xf)
#define VTCR_S              (1U << 4)
#define VTCR_SL0_L1         (1U << 6)
#define VTCR_IRGN0_WBWA     (1U << 8)
#define VTCR_ORGN0_WBWA     (1U << 10)
#define VTCR_SH0_INNER      (3U << 12)
#define VTCR_RES1           (1U << 31)
/* VTTBR (B4.1.160): BADDR[39:x], VMID[55:48]. */
#define VTTBR_VMID_SHIFT    48
#define P2M_IPA_BITS        40

unsigned int arch_p2m_ipa_bits(void)
{
    BUILD_BUG_ON(P2M_IPA_BITS > P2M_MAX_IPA_BITS);
    return P2M_IPA_BITS;
}

void arch_p2m_regs(struct p2m *p2m)
{
    ASSERT(p2m->ipa_bits > 32);     /* T0SZ negative: S set */
    p2m->vtcr = VTCR_RES1 | VTCR_T0SZ(p2m->ipa_bits) | VTCR_S | VTCR_SL0_L1 |
                VTCR_IRGN0_WBWA | VTCR_ORGN0_WBWA | VTCR_SH0_INNER;
    p2m->vttbr = p2m->root | ((u64)p2m->vmid << VTTBR_VMID_SHIFT);
}

void arch_p2m_activate(const struct p2m *p2m)
{
    /* VTCR is 32 bits (MCR); VTTBR is 64 bits (MCRR p15, 6). */
    asm volatile ( "mcr p15, 4, %0, c2, c1, 2" :: "r" ((u32)p2m->vtcr) );
    asm volatile ( "mcrr p15, 6, %Q0, %R0, c2" :: "r" (p2m->vttbr) );
    isb();          /* the new VMID is current before any TLB maintenance that uses it */
}

void arch_p2m_flush(const struct p2m *p2m)
{
    (void)p2m;
    /*
     * TLB entries for NS PL1&0 translations may be left from firmware or an
     * earlier user of the VMID, and the architecture does not clear them at
     * reset (ARMv7 Arm ARM B3.10.2 "TLB maintenance requirements").
     * TLBIALLNSNHIS drops every Non-secure non-HYP entry, of every VMID, on
     * every CPU of the inner-shareable domain (B4.2.3): it does not depend
     * on which VMID this CPU has current, and dom0 is the only guest, so
     * nothing of value is lost.  DSB ISHST makes the table writes visible
     * before the invalidation, DSB ISH waits for it to complete everywhere,
     * ISB before this CPU can walk again (B3.10.1).
     */
    dsb(ishst);
    asm volatile ( "mcr p15, 4, %0, c8, c3, 4" :: "r" (0) : "memory" );   /* TLBIALLNSNHIS */
    dsb(ish);
    isb();
}
