/* SPDX-License-Identifier: MIT */
/*
 * common/dt_addr.c: a node's reg as a CPU physical address, through the
 * ranges of its parent buses (include/dt.h, dt_node_paddr()).  Devicetree
 * specification v0.4, 2.3.8 "ranges".
 */
#include <dt.h>
#include <libfdt.h>

/*
 * Move [*addr, *addr + size), an address in @bus's child address space,
 * into the space of @bus's parent @up.
 */
static int translate_one(const void *fdt, int up, int bus, paddr_t *addr,
                         u64 size)
{
    unsigned int child_ac, child_sc, parent_ac, parent_sc, entry, i;
    const fdt32_t *ranges;
    int len, rc;

    ranges = fdt_getprop(fdt, bus, "ranges", &len);
    if ( ranges == NULL )
        return len == -FDT_ERR_NOTFOUND ? -DT_ERR_NO_RANGES : -DT_ERR_FDT;
    if ( len == 0 )
        return 0;                       /* "ranges;": the same addresses */

    /* The bus's own cells describe its children; its parent's, itself. */
    rc = dt_reg_cells_in(fdt, bus, &child_ac, &child_sc);
    if ( rc == 0 )
        rc = dt_reg_cells_in(fdt, up, &parent_ac, &parent_sc);
    if ( rc < 0 )
        return rc;
    entry = child_ac + parent_ac + child_sc;
    if ( len < 0 || len % (entry * sizeof(fdt32_t)) != 0 )
        return -DT_ERR_RANGES;

    for ( i = 0; i < len / (entry * sizeof(fdt32_t)); i++ )
    {
        const fdt32_t *e = ranges + i * entry;
        u64 from = dt_read_cells(e, child_ac);
        u64 to = dt_read_cells(e + child_ac, parent_ac);
        u64 span = dt_read_cells(e + child_ac + parent_ac, child_sc);
        u64 offset = *addr - from;

        if ( *addr < from || offset >= span || size > span - offset )
            continue;
        rc = dt_range_check(to + offset, size);
        if ( rc == 0 && to + offset < to )
            rc = -DT_ERR_WRAPS;
        if ( rc == 0 )
            *addr = to + offset;
        return rc;
    }
    return -DT_ERR_UNMAPPED;
}

int dt_node_paddr(const void *fdt, int node, paddr_t *start, u64 *size)
{
    return dt_node_paddr_index(fdt, node, 0, start, size);
}

int dt_node_paddr_index(const void *fdt, int node, unsigned int index,
                        paddr_t *start, u64 *size)
{
    paddr_t addr;
    u64 len;
    int child = node, up, rc;

    rc = dt_reg_get(fdt, node, index, &addr, &len);
    if ( rc == 0 )
        rc = dt_range_check(addr, len);

    while ( rc == 0 )
    {
        int bus = fdt_parent_offset(fdt, child);

        if ( bus < 0 )
            return -DT_ERR_FDT;
        if ( bus == DT_ROOT_NODE )
            break;
        up = fdt_parent_offset(fdt, bus);
        if ( up < 0 )
            return -DT_ERR_FDT;
        rc = translate_one(fdt, up, bus, &addr, len);
        child = bus;
    }
    if ( rc < 0 )
        return rc;

    *start = addr;
    *size = len;
    return 0;
}

int dt_walk_paddr_index(const struct dt_walk *w, unsigned int index, paddr_t *start,
                        u64 *size)
{
    const void *fdt = w->fdt;
    int d = w->depth, rc;
    paddr_t addr;
    u64 len;

    if ( d < 1 )
        return -DT_ERR_FDT;
    rc = dt_reg_get_in(fdt, w->node[d], w->node[d - 1], index, &addr, &len);
    if ( rc == 0 )
        rc = dt_range_check(addr, len);
    /* node[d - 1] is the bus the address is in; translate until the root's space. */
    for ( ; rc == 0 && d - 1 > 0; d-- )
        rc = translate_one(fdt, w->node[d - 2], w->node[d - 1], &addr, len);
    if ( rc < 0 )
        return rc;
    *start = addr;
    *size = len;
    return 0;
}
