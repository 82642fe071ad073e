/* SPDX-License-Identifier: MIT */
/*
 * Device-tree helpers over libfdt: reg with the right cell sizes, memory
 * banks, /reserved-memory and the command line (the messages and
 * dt_print_facts() are in dt_print.c).  See include/dt.h for the contracts.
 *
 * The DTB comes from outside.  dt_check() has vetted its structure, but
 * not its contents: every libfdt result is still checked for errors and
 * every property length before use; property values are read with
 * fdt32_ld(), which does not assume alignment.
 */
#include <bootmodule.h>
#include <dt.h>
#include <lib.h>
#include <libfdt.h>
#include <printk.h>
#include <string.h>

static const char *const dt_error_names[DT_ERR_COUNT] = {
    [DT_OK]               = "no error",
    [DT_ERR_NO_REG]       = "no reg property",
    [DT_ERR_CELLS]        = "#address-cells/#size-cells not 1 or 2",
    [DT_ERR_CELLS_FORMAT] = "#address-cells/#size-cells is not one 32-bit cell",
    [DT_ERR_REG_LENGTH]   = "reg length is not a multiple of one entry",
    [DT_ERR_INDEX]        = "no such reg entry",
    [DT_ERR_ZERO_SIZE]    = "zero size",
    [DT_ERR_WRAPS]        = "range wraps past the top of the address space",
    [DT_ERR_AT_TOP]       = "range ends exactly at 2^64 (no exclusive end)",
    [DT_ERR_NOT_STRING]   = "not a NUL-terminated string",
    [DT_ERR_NUMBER]       = "not a 1- or 2-cell number",
    [DT_ERR_NO_PROP]      = "property missing",
    [DT_ERR_FDT]          = "libfdt cannot walk the tree",
    [DT_ERR_NO_RANGES]    = "a parent bus has no ranges (not memory-mapped)",
    [DT_ERR_RANGES]       = "a parent's ranges is not a multiple of one entry",
    [DT_ERR_UNMAPPED]     = "outside every ranges entry of a parent bus",
    [DT_ERR_RSV_END]      = "no 0,0 terminator inside the /memreserve/ block",
    [DT_ERR_DEPTH]        = "nodes nested too deep",
};

const char *dt_strerror(int err)
{
    if ( err < 0 )
        err = -err;
    if ( err >= DT_ERR_COUNT )
        return "unknown error";
    return dt_error_names[err];
}

/*
 * Oldest DTB format version read.  libfdt still accepts versions from 2,
 * whose node names are full paths and whose properties may be realigned;
 * Debian's libfdt 1.6.1 dereferences NULL on some of those (fdt_get_name()
 * inside fdt_check_full()).  dtc, QEMU and U-Boot all write version 17.
 */
#define DT_MIN_VERSION 17

int dt_check(const void *fdt, size_t size)
{
    int rc;

    dt_index_build(NULL);       /* whatever was indexed before, this blob is not yet */
    if ( size < sizeof(struct fdt_header) )
        return -FDT_ERR_TRUNCATED;

    rc = fdt_check_header(fdt);
    if ( rc < 0 )
        return rc;
    if ( fdt_version(fdt) < DT_MIN_VERSION )
        return -FDT_ERR_BADVERSION;
    if ( fdt_totalsize(fdt) > size )
        return -FDT_ERR_TRUNCATED;

    rc = fdt_check_full(fdt, fdt_totalsize(fdt));
    if ( rc == 0 )
        dt_index_build(fdt);
    return rc;
}

/*
 * Read the u32 property @name of @node into *@value.  Returns 1 if found,
 * 0 if absent, -DT_ERR_CELLS_FORMAT if it is not exactly one cell.
 */
static int read_cells_prop(const void *fdt, int node, const char *name,
                           unsigned int *value)
{
    int len;
    const fdt32_t *prop = fdt_getprop(fdt, node, name, &len);

    if ( prop == NULL )
        return 0;
    if ( len != (int)sizeof(*prop) )
        return -DT_ERR_CELLS_FORMAT;

    *value = fdt32_ld(prop);
    return 1;
}

/* @name from @parent, else from the root, else @dflt (dt.h explains why). */
static int cells_with_fallback(const void *fdt, int parent, const char *name,
                               unsigned int dflt, unsigned int *value)
{
    int rc = read_cells_prop(fdt, parent, name, value);

    if ( rc == 0 && parent != DT_ROOT_NODE )
        rc = read_cells_prop(fdt, DT_ROOT_NODE, name, value);
    if ( rc == 0 )
        *value = dflt;

    return rc < 0 ? rc : 0;
}

int dt_reg_cells(const void *fdt, int node, unsigned int *addr_cells,
                 unsigned int *size_cells)
{
    int parent = fdt_parent_offset(fdt, node);

    if ( parent < 0 )
        return -DT_ERR_FDT;
    return dt_reg_cells_in(fdt, parent, addr_cells, size_cells);
}

int dt_reg_cells_in(const void *fdt, int parent, unsigned int *addr_cells,
                    unsigned int *size_cells)
{
    int rc;

    rc = cells_with_fallback(fdt, parent, "#address-cells",
                             DT_DEFAULT_ADDR_CELLS, addr_cells);
    if ( rc == 0 )
        rc = cells_with_fallback(fdt, parent, "#size-cells",
                                 DT_DEFAULT_SIZE_CELLS, size_cells);
    if ( rc < 0 )
        return rc;

    /* 0 cells cannot describe a range; more than 2 do not fit in 64 bits. */
    if ( *addr_cells < 1 || *addr_cells > DT_MAX_CELLS ||
         *size_cells < 1 || *size_cells > DT_MAX_CELLS )
        return -DT_ERR_CELLS;

    return 0;
}

u64 dt_read_cells(const void *cells_p, unsigned int cells)
{
    const fdt32_t *p = cells_p;
    u64 value = 0;

    for ( ; cells != 0; cells--, p++ )
        value = (value << 32) | fdt32_ld(p);

    return value;
}

/*
 * Find @node's reg and check its shape: on success *@prop, the cell sizes
 * and the entry count are filled in.  @parent is @node's parent, or -1 to
 * look it up.
 */
static int reg_open(const void *fdt, int node, int parent, const fdt32_t **prop,
                    unsigned int *ac, unsigned int *sc)
{
    int len, rc, entry;

    rc = parent >= 0 ? dt_reg_cells_in(fdt, parent, ac, sc)
                     : dt_reg_cells(fdt, node, ac, sc);
    if ( rc < 0 )
        return rc;

    *prop = fdt_getprop(fdt, node, "reg", &len);
    if ( *prop == NULL )
        return len == -FDT_ERR_NOTFOUND ? -DT_ERR_NO_REG : -DT_ERR_FDT;

    entry = (*ac + *sc) * sizeof(fdt32_t);
    if ( len <= 0 || len % entry != 0 )
        return -DT_ERR_REG_LENGTH;

    return len / entry;
}

int dt_reg_count(const void *fdt, int node)
{
    const fdt32_t *prop;
    unsigned int ac, sc;

    return reg_open(fdt, node, -1, &prop, &ac, &sc);
}

/* dt_reg_get with @node's parent known (or -1). */
static int reg_get(const void *fdt, int node, int parent, unsigned int index,
                   paddr_t *start, u64 *size)
{
    const fdt32_t *prop;
    unsigned int ac, sc;
    int count = reg_open(fdt, node, parent, &prop, &ac, &sc);

    if ( count < 0 )
        return count;
    if ( index >= (unsigned int)count )
        return -DT_ERR_INDEX;

    prop += index * (ac + sc);
    *start = dt_read_cells(prop, ac);
    *size = dt_read_cells(prop + ac, sc);

    return 0;
}

int dt_reg_get(const void *fdt, int node, unsigned int index,
               paddr_t *start, u64 *size)
{
    return reg_get(fdt, node, -1, index, start, size);
}

int dt_reg_count_in(const void *fdt, int node, int parent)
{
    const fdt32_t *prop;
    unsigned int ac, sc;

    return reg_open(fdt, node, parent, &prop, &ac, &sc);
}

int dt_reg_get_in(const void *fdt, int node, int parent, unsigned int index,
                  paddr_t *start, u64 *size)
{
    return reg_get(fdt, node, parent, index, start, size);
}

int dt_range_check(paddr_t start, u64 size)
{
    if ( size == 0 )
        return -DT_ERR_ZERO_SIZE;
    /* The end (exclusive) must be representable: start + size < 2^64. */
    if ( start + size == 0 )
        return -DT_ERR_AT_TOP;
    if ( start + size < start )
        return -DT_ERR_WRAPS;
    return 0;
}

int dt_get_number(const void *fdt, int node, const char *name, u64 *value)
{
    int len;
    const fdt32_t *prop = fdt_getprop(fdt, node, name, &len);

    if ( prop == NULL )
        return len == -FDT_ERR_NOTFOUND ? -DT_ERR_NO_PROP : -DT_ERR_FDT;
    if ( len != (int)sizeof(fdt32_t) && len != 2 * (int)sizeof(fdt32_t) )
        return -DT_ERR_NUMBER;

    *value = dt_read_cells(prop, len / sizeof(fdt32_t));
    return 0;
}

const char *dt_get_string(const void *fdt, int node, const char *name,
                          int *err)
{
    int len, rc = 0;
    const char *s = fdt_getprop(fdt, node, name, &len);

    if ( s == NULL )
        rc = (len == -FDT_ERR_NOTFOUND) ? 0 : -DT_ERR_FDT;
    else if ( len <= 0 || s[len - 1] != '\0' )
    {
        s = NULL;
        rc = -DT_ERR_NOT_STRING;
    }

    if ( err )
        *err = rc;
    return s;
}

bool dt_node_enabled(const void *fdt, int node)
{
    int len;
    const char *status = fdt_getprop(fdt, node, "status", &len);

    if ( status == NULL )
        return true;

    /* Compare with the length: the value need not be NUL-terminated. */
    return (len == (int)sizeof("okay") && memcmp(status, "okay", len) == 0) ||
           (len == (int)sizeof("ok") && memcmp(status, "ok", len) == 0);
}

const char *dt_node_path(const void *fdt, int node, char *buf, size_t len)
{
    int rc = fdt_get_path(fdt, node, buf, (int)len);

    if ( rc < 0 )
        snprintf(buf, len, "<node at offset %d: %s>", node, fdt_strerror(rc));

    return buf;
}

const char *dt_bootargs(const void *fdt)
{
    int chosen = fdt_path_offset(fdt, "/chosen");
    const char *args;

    if ( chosen < 0 )
        return NULL;

    args = dt_get_string(fdt, chosen, "xen,xen-bootargs", NULL);
    if ( args == NULL )
        args = dt_get_string(fdt, chosen, "bootargs", NULL);

    return args;
}

/*
 * Hand every entry of @node's reg to @fn, bad ones included; @r carries
 * the fields the caller has already set (node, no_map).
 */
static int for_each_reg(const void *fdt, struct dt_range *r, dt_range_fn fn,
                        void *ctx)
{
    const fdt32_t *prop;
    unsigned int i, ac, sc;
    int count = reg_open(fdt, r->node, r->has_parent ? r->parent : -1, &prop, &ac, &sc);
    int rc;

    if ( count < 0 )
    {
        r->index = 0;
        r->err = -count;
        return fn(fdt, r, ctx);
    }

    for ( i = 0; i < (unsigned int)count; i++ )
    {
        r->index = i;
        r->err = -reg_get(fdt, r->node, r->has_parent ? r->parent : -1, i,
                          &r->start, &r->size);
        if ( r->err == 0 )
            r->err = -dt_range_check(r->start, r->size);
        rc = fn(fdt, r, ctx);
        if ( rc != 0 )
            return rc;
    }

    return 0;
}

/* Report a failed walk (libfdt error @fdt_err near @node) through @fn. */
static int walk_failed(const void *fdt, int node, int fdt_err, dt_range_fn fn,
                       void *ctx)
{
    struct dt_range r = {
        .node = node, .err = DT_ERR_FDT, .fdt_err = fdt_err,
    };

    return fn(fdt, &r, ctx);
}

struct memory_walk {
    dt_range_fn fn;
    void *ctx;
};

static int memory_node(const struct dt_walk *w, void *ctx)
{
    static const char memory[] = "memory";
    struct memory_walk *mw = ctx;
    char path[DT_PATH_MAX];
    int node = w->node[w->depth], len;
    const char *type = fdt_getprop(w->fdt, node, "device_type", &len);
    struct dt_range r = {
        .node = node, .parent = dt_walk_parent(w), .has_parent = true, .path = path,
    };

    if ( type == NULL || len != (int)sizeof(memory) || memcmp(type, memory, len) != 0 ||
         r.parent < 0 || !dt_node_enabled(w->fdt, node) )
        return 0;
    dt_walk_path(w, path, sizeof(path));
    return for_each_reg(w->fdt, &r, mw->fn, mw->ctx);
}

int dt_for_each_memory(const void *fdt, dt_range_fn fn, void *ctx)
{
    struct memory_walk mw = { .fn = fn, .ctx = ctx };
    int rc = dt_walk(fdt, memory_node, &mw);

    if ( rc == -DT_ERR_FDT )
        return walk_failed(fdt, -1, -FDT_ERR_BADSTRUCTURE, fn, ctx);
    return rc;
}

/*
 * A /reserved-memory child without reg asks the OS to allocate it
 * (devicetree reserved-memory binding: "size", "alignment", "alloc-ranges").
 * hypcore allocates nothing for it; it is reported so that nobody wonders.
 */
static int reserved_dynamic(const void *fdt, struct dt_range *r,
                            dt_range_fn fn, void *ctx)
{
    const fdt32_t *prop;
    unsigned int ac, sc;
    int len;

    r->dynamic = true;
    r->size = 0;
    prop = fdt_getprop(fdt, r->node, "size", &len);
    if ( prop != NULL && dt_reg_cells(fdt, r->node, &ac, &sc) == 0 &&
         len == (int)(sc * sizeof(fdt32_t)) )
        r->size = dt_read_cells(prop, sc);

    return fn(fdt, r, ctx);
}

int dt_for_each_reserved_memory(const void *fdt, dt_range_fn fn, void *ctx)
{
    int parent = fdt_path_offset(fdt, "/reserved-memory");
    int node, rc;

    if ( parent == -FDT_ERR_NOTFOUND )
        return 0;
    if ( parent < 0 )
        return walk_failed(fdt, -1, parent, fn, ctx);

    fdt_for_each_subnode(node, fdt, parent)
    {
        char path[DT_PATH_MAX];
        struct dt_range r = {
            .node = node, .parent = parent, .has_parent = true, .path = path,
        };

        dt_child_path(fdt, "/reserved-memory", node, path, sizeof(path));
        if ( !dt_node_enabled(fdt, node) )
            continue;

        r.no_map = fdt_getprop(fdt, node, "no-map", NULL) != NULL;
        if ( fdt_getprop(fdt, node, "reg", NULL) == NULL )
            rc = reserved_dynamic(fdt, &r, fn, ctx);
        else
            rc = for_each_reg(fdt, &r, fn, ctx);
        if ( rc != 0 )
            return rc;
    }

    if ( node != -FDT_ERR_NOTFOUND )
        return walk_failed(fdt, parent, node, fn, ctx);
    return 0;
}
