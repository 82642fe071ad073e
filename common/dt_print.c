/* SPDX-License-Identifier: MIT */
/*
 * common/dt_print.c: what hypcore says about a device tree: the warning for
 * a bad reg entry (dt_warn_range()) and the facts it read (dt_print_facts()),
 * in the line formats include/dt.h gives.
 */
#include <bootmodule.h>
#include <dt.h>
#include <lib.h>
#include <libfdt.h>
#include <printk.h>
#include <string.h>

static void reg_cells_of(const void *fdt, const struct dt_range *r,
                         unsigned int *ac, unsigned int *sc)
{
    if ( r->has_parent )
        dt_reg_cells_in(fdt, r->parent, ac, sc);
    else
        dt_reg_cells(fdt, r->node, ac, sc);
}

/* The problem part of a warning about reg (the node is printed already). */
static void print_reg_problem(const void *fdt, const struct dt_range *r)
{
    unsigned int ac = 0, sc = 0;
    int len = 0;

    switch ( r->err )
    {
    case DT_ERR_CELLS:
        reg_cells_of(fdt, r, &ac, &sc);
        printk("#address-cells=%u #size-cells=%u (each must be 1 or 2)",
               ac, sc);
        break;
    case DT_ERR_REG_LENGTH:
        reg_cells_of(fdt, r, &ac, &sc);
        fdt_getprop(fdt, r->node, "reg", &len);
        printk("reg is %d bytes, not a non-zero multiple of %u (%u+%u cells)",
               len, (ac + sc) * 4, ac, sc);
        break;
    case DT_ERR_ZERO_SIZE:
        printk("entry %u at 0x%llx has zero size", r->index,
               (unsigned long long)r->start);
        break;
    case DT_ERR_WRAPS:
        printk("entry %u 0x%llx size 0x%llx wraps past the top of the "
               "address space", r->index, (unsigned long long)r->start,
               (unsigned long long)r->size);
        break;
    case DT_ERR_AT_TOP:
        printk("entry %u 0x%llx size 0x%llx ends exactly at 2^64, whose "
               "exclusive end no address holds", r->index,
               (unsigned long long)r->start, (unsigned long long)r->size);
        break;
    case DT_ERR_RSV_END:
        printk("no 0,0 terminator after its %u entries (the block runs into the "
               "next one or the DTB's end); what follows", r->index);
        break;
    case DT_ERR_FDT:
        printk("cannot walk the tree: %s", fdt_strerror(r->fdt_err));
        break;
    default:
        printk("%s", dt_strerror(r->err));
        break;
    }
}

void dt_warn_range(const void *fdt, const char *what, const struct dt_range *r)
{
    char path[DT_PATH_MAX];

    if ( r->node >= 0 )
        printk(XENLOG_WARNING "dt: warning: %s node=%s: ", what,
               r->path ? r->path : dt_node_path(fdt, r->node, path, sizeof(path)));
    else
        printk(XENLOG_WARNING "dt: warning: %s: ", what);
    print_reg_problem(fdt, r);
    printk("; ignored\n");
}

/* printk a range as "0x<start>-0x<end>" (end exclusive; dt_range_check()ed). */
#define RANGE_FMT "0x%llx-0x%llx"
#define RANGE_ARGS(r) (unsigned long long)(r)->start, \
                      (unsigned long long)((r)->start + (r)->size)

/*
 * Memory ranges listed one per line, then counted: a DTB may hold tens of
 * thousands of memory nodes (2 MiB of them), and a line each would make the
 * console the slowest part of the boot by far.
 */
#define DT_LIST_MAX     64

struct memory_lines {
    unsigned int banks;         /* usable ranges */
    unsigned int bad;           /* ranges with a warning */
    unsigned int hidden;        /* lines not printed past DT_LIST_MAX */
};

static int print_memory(const void *fdt, const struct dt_range *r, void *ctx)
{
    char path[DT_PATH_MAX];
    struct memory_lines *n = ctx;

    if ( (r->err ? n->bad : n->banks) >= DT_LIST_MAX )
        n->hidden++;
    else if ( r->err )
        dt_warn_range(fdt, "memory", r);
    else
        printk("dt: memory " RANGE_FMT " node=%s\n", RANGE_ARGS(r),
               r->path ? r->path : dt_node_path(fdt, r->node, path, sizeof(path)));
    if ( r->err )
        n->bad++;
    else
        n->banks++;
    return 0;
}

static int print_memreserve(const void *fdt, const struct dt_range *r,
                            void *ctx)
{
    (void)ctx;
    if ( r->err )
        dt_warn_range(fdt, "memreserve", r);
    else
        printk("dt: memreserve " RANGE_FMT "\n", RANGE_ARGS(r));
    return 0;
}

static int print_reserved(const void *fdt, const struct dt_range *r, void *ctx)
{
    char path[DT_PATH_MAX];
    const char *no_map = r->no_map ? " no-map" : "";

    (void)ctx;
    if ( r->err )
    {
        dt_warn_range(fdt, "reserved-memory", r);
        return 0;
    }

    if ( r->path )
        snprintf(path, sizeof(path), "%s", r->path);
    else
        dt_node_path(fdt, r->node, path, sizeof(path));
    if ( !r->dynamic )
        printk("dt: reserved-memory " RANGE_FMT " node=%s%s\n",
               RANGE_ARGS(r), path, no_map);
    else if ( r->size != 0 )
        printk("dt: reserved-memory dynamic size=0x%llx node=%s%s\n",
               (unsigned long long)r->size, path, no_map);
    else
        printk("dt: reserved-memory dynamic node=%s%s\n", path, no_map);
    return 0;
}

/*
 * A bootargs property that is there but unusable is worth a warning; so is
 * a list of strings ("a", "b"), of which only the first is the command line.
 */
static void warn_bad_string(const void *fdt, int node, const char *name)
{
    char path[DT_PATH_MAX];
    const char *s;
    int err, len;

    s = dt_get_string(fdt, node, name, &err);
    if ( s == NULL && err != 0 )
        printk(XENLOG_WARNING "dt: warning: node=%s: %s is %s; ignored\n",
               dt_node_path(fdt, node, path, sizeof(path)), name,
               dt_strerror(err));
    if ( s != NULL && fdt_getprop(fdt, node, name, &len) != NULL &&
         strlen(s) + 1 < (size_t)len )
        printk(XENLOG_WARNING "dt: warning: node=%s: %s is a list of %d strings; "
               "only the first is used\n", dt_node_path(fdt, node, path, sizeof(path)),
               name, fdt_stringlist_count(fdt, node, name));
}

static void print_bootargs(const void *fdt)
{
    int chosen = fdt_path_offset(fdt, "/chosen");
    const char *args = dt_bootargs(fdt);

    if ( chosen >= 0 )
    {
        warn_bad_string(fdt, chosen, "xen,xen-bootargs");
        warn_bad_string(fdt, chosen, "bootargs");
    }

    if ( args )
        printk("dt: bootargs \"%s\"\n", args);
    else
        printk("dt: bootargs none\n");
}

void dt_print_facts(const void *fdt, struct bootmodules *mods)
{
    struct memory_lines n = { 0 };

    dt_for_each_memory(fdt, print_memory, &n);
    if ( n.hidden )
        printk(XENLOG_WARNING "dt: memory: %u ranges and %u bad entries; the %u lines "
               "past the first %u of each are not printed\n", n.banks, n.bad, n.hidden,
               DT_LIST_MAX);
    if ( n.banks == 0 )
        printk(XENLOG_WARNING "dt: warning: no usable memory node "
               "(device_type = \"memory\")\n");
    dt_for_each_memreserve(fdt, print_memreserve, NULL);
    dt_for_each_reserved_memory(fdt, print_reserved, NULL);
    print_bootargs(fdt);

    bootmodules_parse(fdt, mods);
    bootmodules_print(fdt, mods);
}
