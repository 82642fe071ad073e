/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 translation (guest physical -> host physical) for a domain: the
 * tables and the registers that point the CPU at them.  The table format is
 * the architecture's (arch/<arch>/p2m.c); common code only asks for ranges
 * to be mapped with one of two kinds of attribute.
 *
 * Life cycle (boot CPU, before any guest runs):
 *   arch_p2m_init()      root table(s) from the heap, the IPA size the CPU
 *                        supports, VMID
 *   arch_p2m_map()       any number of times; never replaces a mapping
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

/*
 * arch_p2m_init: empty tables for @vmid, sized for the largest IPA the CPU
 * supports up to the 40 bits hypcore's descriptors are laid out for.  False
 * when the heap cannot give the root.
 */
bool arch_p2m_init(struct p2m *p2m, unsigned int vmid);

/*
 * arch_p2m_map: map [ipa, ipa + size) to [pa, pa + size) (page aligned,
 * asserted) with the largest blocks alignment allows.  Pages already mapped
 * are left as they are (two DT nodes may share a page).  Returns false when
 * a table page cannot be had or the range lies above the IPA size.
 */
bool arch_p2m_map(struct p2m *p2m, paddr_t ipa, paddr_t pa, u64 size,
                  enum p2m_type type);

/*
 * arch_p2m_lookup: walk the tables (as the CPU would) for @ipa; true with
 * *pa and *type when mapped.  For checks and tests.
 */
bool arch_p2m_lookup(const struct p2m *p2m, paddr_t ipa, paddr_t *pa,
                     enum p2m_type *type);

/* arch_p2m_activate: point this CPU's stage 2 at @p2m (not yet enabled: HCR.VM). */
void arch_p2m_activate(const struct p2m *p2m);

/* arch_p2m_flush: invalidate the VMID's TLB entries on every CPU (see above). */
void arch_p2m_flush(const struct p2m *p2m);

#endif
