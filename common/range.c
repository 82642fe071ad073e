/* SPDX-License-Identifier: MIT */
/* Overflow-safe physical range arithmetic (include/range.h). */
#include <range.h>

bool range_page_inner(const struct range *r, u64 page, struct range *out)
{
    paddr_t s = r->start + (page - 1);

    if ( s < r->start )                 /* rounding up wrapped */
        return false;
    s &= ~(paddr_t)(page - 1);
    out->start = s;
    out->end = r->end & ~(paddr_t)(page - 1);
    return out->start < out->end;
}

bool range_page_outer(const struct range *r, u64 page, struct range *out)
{
    paddr_t e = r->end + (page - 1);

    if ( e < r->end )
        return false;
    out->start = r->start & ~(paddr_t)(page - 1);
    out->end = e & ~(paddr_t)(page - 1);
    return out->end != 0;               /* reaching 2^64 exactly is a wrap */
}

int range_subtract(const struct range *from, const struct range *holes,
                   unsigned int n, struct range *out, unsigned int max)
{
    paddr_t pos = from->start;
    unsigned int nr = 0;

    /*
     * Walk from the bottom: at each step find the lowest hole that reaches
     * past pos.  O(n^2) in the number of holes, which is small and bounded.
     */
    while ( pos < from->end )
    {
        paddr_t next_start = from->end, next_end = from->end;
        unsigned int i;

        for ( i = 0; i < n; i++ )
        {
            if ( holes[i].start >= holes[i].end ||     /* empty */
                 holes[i].end <= pos || holes[i].start >= from->end )
                continue;
            if ( holes[i].start <= pos )
            {
                /* pos is inside this hole: it starts here */
                if ( next_start != pos || holes[i].end > next_end )
                {
                    next_start = pos;
                    next_end = holes[i].end;
                }
            }
            else if ( holes[i].start < next_start ||
                      (holes[i].start == next_start && holes[i].end > next_end) )
            {
                next_start = holes[i].start;
                next_end = holes[i].end;
            }
        }
        if ( next_start > pos )
        {
            if ( nr == max )
                return -1;
            out[nr].start = pos;
            out[nr].end = next_start;
            nr++;
        }
        pos = next_end;
    }
    return (int)nr;
}
