/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 translation (guest physical -> host physical) for a domain: the
 * tables (common/p2m.c: arm64 and arm32 with LPAE share the stage-2 format)
 * and the registers that point the CPU at them (arch/<arch>/p2m.c).  Users
 * only ask for ranges to be mapped with one of two kinds of attribute.
 *
 * Life cycle (boot CPU, before any guest runs):
 *   p2m_init()           root table(s) from the heap, the IPA size the CPU
 *                        supports (arch_p2m_ipa_bits), VMID, the register
 *                        values (arch_p2m_regs)
 *   p2m_map()            any number of times; never replaces a mapping
 *   arch_p2m_activate()  on every CPU that will run the domain, before entry
 *   arch_p2m_flush()     once the tables are complete (and after activate
 *                        on the boot CPU): drops every stale stage-1+2
 *                        translation of the VMID in the inner-shareable domain
 *
 * The table pages come from the heap and are never mapped at stage 2, so a
 * guest cannot see or change them.
 */
#ifndef HYPCORE_P2M_H
#define HYPCORE_P2M_H

#include <types.h>

enum p2m_type {
    P2M_RAM,        /* Normal write-back, inner shareable, RWX */
    P2M_MMIO,       /* Device-nGnRE, RW, execute-never */
};

struct p2m {
    paddr_t root;           /* first (of possibly several concatenated) root table */
    unsigned int root_pages;
    unsigned int ipa_bits;  /* guest physical address size */
    unsigned int vmid;
    unsigned int tables;    /* table pages in use, root included */
    u64 vtcr;               /* what arch_p2m_activate() writes (VTCR_EL2 / VTCR) */
    u64 vttbr;              /* ... and VTTBR_EL2 / VTTBR */
};

/* The largest IPA hypcore's stage-2 tables are laid out for (two level-1 roots). */
#define P2M_MAX_IPA_BITS    40

/*
 * p2m_init: empty tables for @vmid, sized for arch_p2m_ipa_bits().  False
 * when the heap cannot give the root.
 */
bool p2m_init(struct p2m *p2m, unsigned int vmid);

/*
 * arch_p2m_ipa_bits: the IPA size to use on this CPU: what it supports, at
 * most P2M_MAX_IPA_BITS and more than 30.  Boot CPU, any time.
 */
unsigned int arch_p2m_ipa_bits(void);

/*
 * arch_p2m_regs: fill p2m->vtcr and p2m->vttbr for p2m->root, ->root_pages,
 * ->ipa_bits and ->vmid (set by p2m_init, which calls it): a walk starting
 * at level 1, 4 KiB granule, cacheable inner-shareable walks.
 */
void arch_p2m_regs(struct p2m *p2m);

/*
 * p2m_map: map [ipa, ipa + size) to [pa, pa + size) (page aligned,
 * asserted) with the largest blocks alignment allows.  Pages already mapped
 * are left as they are (two DT nodes may share a page).  Returns false when
 * a table page cannot be had or the range lies above the IPA size.
 */
bool p2m_map(struct p2m *p2m, paddr_t ipa, paddr_t pa, u64 size,
             enum p2m_type type);

/*
 * p2m_lookup: walk the tables (as the CPU would) for @ipa; true with
 * *pa and *type when mapped.  For checks and tests.
 */
bool p2m_lookup(const struct p2m *p2m, paddr_t ipa, paddr_t *pa,
                enum p2m_type *type);

/* One valid leaf (block or page) of the stage-2 tables, for p2m_for_each_leaf(). */
struct p2m_leaf {
    paddr_t ipa, pa;
    u64 size;
    u64 desc;               /* the descriptor as written */
    enum p2m_type type;     /* from MemAttr: Normal write-back = RAM, else MMIO */
    bool xn;                /* execute-never at EL1/EL0 */
    bool reserved;          /* a level-3 descriptor without the page bit */
};

/*
 * p2m_for_each_leaf: walk the tables in IPA order and call @fn for each
 * valid leaf (reading them through this CPU's window, never writing).
 * Returns the number of leaves.  For audits (selftest=pt) and tests.
 */
unsigned long p2m_for_each_leaf(const struct p2m *p2m,
                                void (*fn)(const struct p2m_leaf *leaf, void *ctx), void *ctx);

/* arch_p2m_activate: point this CPU's stage 2 at @p2m (not yet enabled: HCR.VM). */
void arch_p2m_activate(const struct p2m *p2m);

/* arch_p2m_flush: invalidate the VMID's TLB entries on every CPU (see above). */
void arch_p2m_flush(const struct p2m *p2m);

#endif
