/* SPDX-License-Identifier: MIT */
/*
 * xen-like/dom0_fdt.c: dom0's device tree (include/dom0_build.h), with
 * libfdt's read-write API.  Xen 4.17 regenerates most of it
 * (domain_build.c); hypcore keeps the host's and changes only what must
 * differ: memory, /chosen, the PSCI conduit, and a device dom0 cannot use.
 * Runs on the boot CPU before dom0 does: libfdt.a uses FP/SIMD registers,
 * which would be dom0's once it runs.
 *
 * While it edits, the copy is the indexed blob (common/dt_index.c), indexed
 * again after every edit (reindexed()), so libfdt's lookups on it walk
 * nothing; the host's blob is indexed again at the end.  A lookup on a blob
 * whose index is stale would be answered wrongly, so no libfdt call that
 * reads the copy may come between an edit and its reindexed().
 */
#include <dom0_build.h>
#include <dt.h>
#include <lib.h>
#include <libfdt.h>
#include <printk.h>
#include <string.h>

/* After an edit of @fdt (whose result is @rc): its index again. */
static int reindexed(void *fdt, int rc)
{
    dt_index_build(fdt);
    return rc;
}

/* Append a number of @cells cells to @p; returns the next free cell. */
static fdt32_t *put_cells(fdt32_t *p, u64 v, int cells)
{
    if ( cells == 2 )
        *p++ = cpu_to_fdt32((u32)(v >> 32));
    *p++ = cpu_to_fdt32((u32)v);
    return p;
}

static int set_memory(void *fdt, const struct range *ram, unsigned int nr)
{
    fdt32_t reg[DOM0_MAX_RAM * 4], *p = reg;
    int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0);
    int node, first = -1, rc;
    unsigned int i;
    char name[32];

    if ( ac < 1 || ac > 2 || sc < 1 || sc > 2 )
        return -FDT_ERR_BADNCELLS;
    /* Keep the first memory node, delete the others. */
    for ( ;; )
    {
        node = fdt_node_offset_by_prop_value(fdt, first, "device_type", "memory",
                                             sizeof("memory"));
        if ( node < 0 )
            break;
        if ( first < 0 )
        {
            first = node;
            continue;
        }
        rc = reindexed(fdt, fdt_del_node(fdt, node));
        if ( rc )
            return rc;
    }
    if ( first < 0 )
    {
        first = reindexed(fdt, fdt_add_subnode(fdt, 0, "memory"));
        if ( first < 0 )
            return first;
        rc = reindexed(fdt, fdt_setprop_string(fdt, first, "device_type", "memory"));
        if ( rc )
            return rc;
    }
    for ( i = 0; i < nr; i++ )
    {
        p = put_cells(p, ram[i].start, ac);
        p = put_cells(p, ram[i].end - ram[i].start, sc);
    }
    rc = reindexed(fdt, fdt_setprop(fdt, first, "reg", reg, (int)((p - reg) * sizeof(*p))));
    if ( rc )
        return rc;
    snprintf(name, sizeof(name), "memory@%llx", (unsigned long long)ram[0].start);
    return reindexed(fdt, fdt_set_name(fdt, first, name));
}

static int fix_chosen(void *fdt, const char *bootargs, paddr_t initrd, u64 initrd_size)
{
    int chosen = fdt_path_offset(fdt, "/chosen"), node, rc;

    if ( chosen < 0 )
    {
        chosen = reindexed(fdt, fdt_add_subnode(fdt, 0, "chosen"));
        if ( chosen < 0 )
            return chosen;
    }
    /* Deleting a node moves the offsets after it: restart after each one. */
    do {
        fdt_for_each_subnode(node, fdt, chosen)
            if ( !fdt_node_check_compatible(fdt, node, "multiboot,module") ||
                 !fdt_node_check_compatible(fdt, node, "xen,multiboot-module") )
                break;
        if ( node >= 0 )
        {
            rc = reindexed(fdt, fdt_del_node(fdt, node));
            if ( rc )
                return rc;
            chosen = fdt_path_offset(fdt, "/chosen");
        }
    } while ( node >= 0 );

    /* hypcore's own command line is not dom0's. */
    reindexed(fdt, fdt_delprop(fdt, chosen, "bootargs"));
    reindexed(fdt, fdt_delprop(fdt, chosen, "linux,initrd-start"));
    reindexed(fdt, fdt_delprop(fdt, chosen, "linux,initrd-end"));
    if ( bootargs && (rc = reindexed(fdt, fdt_setprop_string(fdt, chosen, "bootargs", bootargs))) )
        return rc;
    if ( initrd_size )
    {
        rc = reindexed(fdt, fdt_setprop_u64(fdt, chosen, "linux,initrd-start", initrd));
        if ( rc == 0 )
            rc = reindexed(fdt, fdt_setprop_u64(fdt, chosen, "linux,initrd-end",
                                                initrd + initrd_size));
        if ( rc )
            return rc;
    }
    return 0;
}

static int make_fdt(const void *fdt, u64 used, void *buf, u64 size, const struct range *ram,
                    unsigned int nr_ram, const char *bootargs, paddr_t initrd, u64 initrd_size)
{
    int rc, node;

    ASSERT(nr_ram >= 1 && nr_ram <= DOM0_MAX_RAM);
    /*
     * fdt_open_into() moves an in-order blob whole, so it would need the
     * host's totalsize (QEMU pads its DTB to 1 MiB).  Copy only the blocks
     * in use (the caller sized buf for them), say the blob is buf's size,
     * and open it in place.
     */
    if ( used > size )
        return -FDT_ERR_NOSPACE;
    memcpy(buf, fdt, used);
    fdt_set_totalsize(buf, (u32)size);
    rc = reindexed(buf, fdt_open_into(buf, buf, (int)size));
    if ( rc == 0 )
        rc = set_memory(buf, ram, nr_ram);
    if ( rc == 0 )
        rc = fix_chosen(buf, bootargs, initrd, initrd_size);
    if ( rc == 0 && (node = fdt_path_offset(buf, "/psci")) >= 0 )
        rc = reindexed(buf, fdt_setprop_string(buf, node, "method", "hvc"));  /* as Xen writes */
    /* The ITS is not mapped at stage 2 (it would DMA around it): dom0 must not probe it. */
    for ( node = fdt_node_offset_by_compatible(buf, -1, "arm,gic-v3-its");
          rc == 0 && node >= 0;
          node = fdt_node_offset_by_compatible(buf, node, "arm,gic-v3-its") )
        rc = reindexed(buf, fdt_setprop_string(buf, node, "status", "disabled"));
    if ( rc == 0 )
        rc = fdt_pack(buf);
    return rc;
}

int dom0_make_fdt(const void *fdt, u64 used, void *buf, u64 size, const struct range *ram,
                  unsigned int nr_ram, const char *bootargs, paddr_t initrd,
                  u64 initrd_size)
{
    const void *indexed = dt_index_blob();
    int rc = make_fdt(fdt, used, buf, size, ram, nr_ram, bootargs, initrd, initrd_size);

    /* The copy is done with: what was indexed before (the host's blob) is again. */
    dt_index_build(indexed);
    return rc;
}
