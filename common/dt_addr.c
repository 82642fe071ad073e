/* SPDX-License-Identifier: MIT */
/*
 * common/dt_addr.c: a node's reg as a CPU physical address, through the
 * ranges of its parent buses (include/dt.h, dt_node_paddr()).  Devicetree
 * specification v0.4, 2.3.8 "ranges".
 */
#include <dt.h>
#include <libfdt.h>

/*
 * Move [*addr, *addr + size), an address in @bus's child address space
 * (@child is the node it was read from), into @bus's parent's space.
 */
static int translate_one(const void *fdt, int bus, int child, paddr_t *addr,
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
    rc = dt_reg_cells(fdt, child, &child_ac, &child_sc);
    if ( rc == 0 )
        rc = dt_reg_cells(fdt, bus, &parent_ac, &parent_sc);
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
    int child = node, rc;

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
        rc = translate_one(fdt, bus, child, &addr, len);
        child = bus;
    }
    if ( rc < 0 )
        return rc;

    *start = addr;
    *size = len;
    return 0;
}
