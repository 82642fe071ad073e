/* SPDX-License-Identifier: MIT */
/*
 * Overflow-safe physical range arithmetic.  A range is [start, end) with
 * end exclusive; end == 0 never means "top of memory": a range reaching the
 * top of the 64-bit space cannot be expressed and is rejected as wrapping.
 */
#ifndef HYPCORE_RANGE_H
#define HYPCORE_RANGE_H

#include <types.h>

struct range {
    paddr_t start;
    paddr_t end;        /* exclusive; start < end for a non-empty range */
};

/* range_from_size: [start, start + size); false if size is 0 or it wraps. */
static inline bool range_from_size(paddr_t start, u64 size, struct range *r)
{
    if ( size == 0 || start + size < start || start + size == 0 )
        return false;
    r->start = start;
    r->end = start + size;
    return true;
}

static inline bool range_overlaps(const struct range *a, const struct range *b)
{
    return a->start < b->end && b->start < a->end;
}

/* a lies wholly inside b */
static inline bool range_within(const struct range *a, const struct range *b)
{
    return a->start >= b->start && a->end <= b->end;
}

/*
 * range_page_inner: shrink to whole pages inside r (for RAM).  False if no
 * whole page remains.
 */
bool range_page_inner(const struct range *r, u64 page, struct range *out);

/*
 * range_page_outer: grow to whole pages covering r (for reservations).  False
 * if that would wrap past the top of the address space.
 */
bool range_page_outer(const struct range *r, u64 page, struct range *out);

/*
 * range_subtract: the parts of `from` not covered by any of the n ranges in
 * `holes` (which need not be sorted and may overlap each other), written in
 * ascending order to out[], at most max of them.  Returns the number of
 * parts, or -1 if more than max would be needed.
 */
int range_subtract(const struct range *from, const struct range *holes,
                   unsigned int n, struct range *out, unsigned int max);

#endif
