/* SPDX-License-Identifier: MIT */
/* The boot memory map (include/memmap.h). */
#include <lib.h>
#include <memmap.h>
#include <printk.h>
#include <string.h>

static const char *const type_names[MEM_NR_TYPES] = {
    [MEM_RAM] = "ram",
    [MEM_FIRMWARE] = "firmware",
    [MEM_IMAGE] = "image",
    [MEM_DTB] = "dtb",
    [MEM_MODULE] = "module",
    [MEM_BOOT] = "boot",
};

const char *mem_type_name(enum mem_type type)
{
    return type < MEM_NR_TYPES ? type_names[type] : "?";
}

void memmap_init(struct memmap *mm)
{
    memset(mm, 0, sizeof(*mm));
}

static bool touches(const struct range *a, const struct range *b)
{
    return a->start <= b->end && b->start <= a->end;
}

/* Sort by start (then end): insertion sort, the tables are small. */
static void sort_table(struct mem_region *tab, unsigned int nr)
{
    unsigned int i, j;

    for ( i = 1; i < nr; i++ )
    {
        struct mem_region t = tab[i];

        for ( j = i; j > 0 && (tab[j - 1].r.start > t.r.start ||
                               (tab[j - 1].r.start == t.r.start &&
                                tab[j - 1].r.end > t.r.end)); j-- )
            tab[j] = tab[j - 1];
        tab[j] = t;
    }
}

/*
 * Merge every pair of same-type entries that touch or overlap (boot modules
 * excepted: each stays its own entry), then sort.  Quadratic, over at most a few dozen
 * entries, at boot.
 */
static void normalise(struct mem_region *tab, unsigned int *nr)
{
    unsigned int i, j;

again:
    for ( i = 0; i < *nr; i++ )
        for ( j = i + 1; j < *nr; j++ )
        {
            if ( tab[i].type != tab[j].type || !touches(&tab[i].r, &tab[j].r) ||
                 tab[i].type == MEM_MODULE )
                continue;
            tab[i].r.start = MIN(tab[i].r.start, tab[j].r.start);
            tab[i].r.end = MAX(tab[i].r.end, tab[j].r.end);
            memmove(&tab[j], &tab[j + 1], (*nr - j - 1) * sizeof(tab[0]));
            (*nr)--;
            goto again;
        }
    sort_table(tab, *nr);
}

static int insert(struct mem_region *tab, unsigned int *nr, unsigned int max,
                  const struct mem_region *reg)
{
    unsigned int i;

    /* A full table still takes a range that merges into an entry it has. */
    for ( i = 0; *nr == max && i < *nr; i++ )
        if ( tab[i].type == reg->type && reg->type != MEM_MODULE &&
             touches(&tab[i].r, &reg->r) )
        {
            tab[i].r.start = MIN(tab[i].r.start, reg->r.start);
            tab[i].r.end = MAX(tab[i].r.end, reg->r.end);
            normalise(tab, nr);
            return MEMMAP_OK;
        }
    if ( *nr == max )
        return MEMMAP_ERR_FULL;
    tab[(*nr)++] = *reg;
    normalise(tab, nr);
    return MEMMAP_OK;
}

int memmap_add_ram(struct memmap *mm, paddr_t start, u64 size, const char *name)
{
    struct mem_region reg = { .type = MEM_RAM, .name = name };

    if ( !range_from_size(start, size, &reg.r) )
        return MEMMAP_ERR_RANGE;
    return insert(mm->ram, &mm->nr_ram, MEMMAP_MAX_RAM, &reg);
}

int memmap_add_reserved(struct memmap *mm, enum mem_type type, paddr_t start,
                        u64 size, const char *name)
{
    struct mem_region reg = { .type = type, .name = name };

    ASSERT(type != MEM_RAM && type < MEM_NR_TYPES);
    if ( !range_from_size(start, size, &reg.r) )
        return MEMMAP_ERR_RANGE;
    return insert(mm->rsv, &mm->nr_rsv, MEMMAP_MAX_RESERVED, &reg);
}

bool memmap_remove_reserved(struct memmap *mm, enum mem_type type,
                            const struct range *r)
{
    unsigned int i;

    for ( i = 0; i < mm->nr_rsv; i++ )
    {
        if ( mm->rsv[i].type != type || mm->rsv[i].r.start != r->start ||
             mm->rsv[i].r.end != r->end )
            continue;
        memmove(&mm->rsv[i], &mm->rsv[i + 1],
                (mm->nr_rsv - i - 1) * sizeof(mm->rsv[0]));
        mm->nr_rsv--;
        return true;
    }
    return false;
}

bool memmap_in_ram(const struct memmap *mm, const struct range *r)
{
    unsigned int i;

    for ( i = 0; i < mm->nr_ram; i++ )
        if ( range_within(r, &mm->ram[i].r) )
            return true;
    return false;
}

const struct mem_region *memmap_find_overlap(const struct memmap *mm,
                                             const struct range *r,
                                             unsigned int type_mask)
{
    unsigned int i;

    for ( i = 0; i < mm->nr_rsv; i++ )
        if ( (type_mask & (1U << mm->rsv[i].type)) &&
             range_overlaps(&mm->rsv[i].r, r) )
            return &mm->rsv[i];
    return NULL;
}

int memmap_free_ranges(const struct memmap *mm, u64 page, struct range *out,
                       unsigned int max)
{
    struct range holes[MEMMAP_MAX_RESERVED];
    unsigned int i, nh = 0, nr = 0;

    for ( i = 0; i < mm->nr_rsv; i++ )
    {
        if ( !range_page_outer(&mm->rsv[i].r, page, &holes[nh]) )
        {
            /* Reaches the top of the address space: reserve up to it. */
            holes[nh].start = mm->rsv[i].r.start & ~(paddr_t)(page - 1);
            holes[nh].end = ~(paddr_t)0;
        }
        nh++;
    }
    for ( i = 0; i < mm->nr_ram; i++ )
    {
        struct range bank;
        int n;

        if ( !range_page_inner(&mm->ram[i].r, page, &bank) )
            continue;
        n = range_subtract(&bank, holes, nh, out + nr, max - nr);
        if ( n < 0 )
            return -1;
        nr += n;
    }
    return (int)nr;
}

void memmap_print(const struct memmap *mm)
{
    unsigned int i;

    for ( i = 0; i < mm->nr_ram; i++ )
        printk("mem: ram 0x%llx-0x%llx\n",
               (unsigned long long)mm->ram[i].r.start,
               (unsigned long long)mm->ram[i].r.end);
    for ( i = 0; i < mm->nr_rsv; i++ )
        printk("mem: reserved 0x%llx-0x%llx %s%s%s\n",
               (unsigned long long)mm->rsv[i].r.start,
               (unsigned long long)mm->rsv[i].r.end,
               mem_type_name(mm->rsv[i].type),
               mm->rsv[i].name ? " " : "", mm->rsv[i].name ? mm->rsv[i].name : "");
}

int memmap_boot_alloc(struct memmap *mm, u64 size, u64 align, u64 page,
                      const char *name, paddr_t *pa)
{
    struct range free[MEMMAP_MAX_RAM + MEMMAP_MAX_RESERVED];
    int n = memmap_free_ranges(mm, page, free, ARRAY_SIZE(free));

    size = ALIGN_UP(size, align);
    ASSERT(n >= 0);
    while ( n-- > 0 )
    {
        paddr_t at;

        if ( free[n].end - free[n].start < size )
            continue;
        at = ALIGN_DOWN(free[n].end - size, align);
        if ( at < free[n].start )
            continue;
        if ( memmap_add_reserved(mm, MEM_BOOT, at, size, name) )
            return MEMMAP_ERR_FULL;
        *pa = at;
        return MEMMAP_OK;
    }
    return MEMMAP_ERR_RANGE;
}

void memmap_remove_ram(struct memmap *mm, unsigned int index)
{
    ASSERT(index < mm->nr_ram);
    memmove(&mm->ram[index], &mm->ram[index + 1],
            (mm->nr_ram - index - 1) * sizeof(mm->ram[0]));
    mm->nr_ram--;
}
