/* SPDX-License-Identifier: MIT */
/*
 * common/dt_walk.c: one linear pass over the device tree (dt_walk()), paths
 * without a walk from the root, and the /memreserve/ block read to its 0,0
 * terminator (include/dt.h).
 *
 * Why a walker of our own over libfdt's fdt_next_node(): libfdt finds a
 * node's parent (fdt_parent_offset()) and its path (fdt_get_path()) by
 * walking from the root each time, so a loop that asks either for every
 * node is quadratic in the node count.  Here the ancestors of the node
 * being visited are kept on a small stack as fdt_next_node() descends.
 * The boot DTB's nodes come from its index (common/dt_index.c); any other
 * blob is walked with libfdt's fdt_next_node().
 */
#include <dt.h>
#include <lib.h>
#include <libfdt.h>
#include <printk.h>
#include <string.h>

struct walk_state {
    struct dt_walk w;
    dt_walk_fn fn;
    void *ctx;
    bool warned;
};

/* One node of the walk, at @depth: keep the ancestors, call the callback. */
static int walk_node(int node, int depth, void *arg)
{
    struct walk_state *st = arg;

    if ( depth >= DT_WALK_MAX_DEPTH )
    {
        /* Nothing hypcore reads lives that deep; say so once and go on. */
        if ( !st->warned )
            printk(XENLOG_WARNING "dt: warning: nodes nested deeper than %u levels "
                   "(the first below %s) are not read\n", DT_WALK_MAX_DEPTH,
                   fdt_get_name(st->w.fdt, st->w.node[DT_WALK_MAX_DEPTH - 1], NULL));
        st->warned = true;
        return 0;
    }
    st->w.depth = depth;
    st->w.node[depth] = node;
    return st->fn(&st->w, st->ctx);
}

int dt_walk(const void *fdt, dt_walk_fn fn, void *ctx)
{
    struct walk_state st = { .w = { .fdt = fdt }, .fn = fn, .ctx = ctx };
    int node, depth = -1, rc;

    /* The boot DTB has an index (dt_check()): the same nodes in the same order. */
    if ( dt_index_walk(fdt, walk_node, &st, &rc) )
        return rc;

    for ( node = fdt_next_node(fdt, -1, &depth); node >= 0 && depth >= 0;
          node = fdt_next_node(fdt, node, &depth) )
    {
        rc = walk_node(node, depth, &st);
        if ( rc != 0 )
            return rc;
    }
    if ( node < 0 && node != -FDT_ERR_NOTFOUND )
        return -DT_ERR_FDT;
    return 0;
}

/* Append "/<name of @node>" to @buf (@len bytes, NUL-terminated); truncates. */
static void append_name(const void *fdt, int node, char *buf, size_t len)
{
    size_t used = strnlen(buf, len);
    const char *name = fdt_get_name(fdt, node, NULL);

    snprintf(buf + used, len - used, "/%s", name ? name : "<?>");
}

const char *dt_walk_path(const struct dt_walk *w, char *buf, size_t len)
{
    int d;

    if ( len == 0 )
        return buf;
    buf[0] = '\0';
    if ( w->depth == 0 )
        snprintf(buf, len, "/");
    for ( d = 1; d <= w->depth; d++ )
        append_name(w->fdt, w->node[d], buf, len);
    return buf;
}

const char *dt_child_path(const void *fdt, const char *parent_path, int node,
                          char *buf, size_t len)
{
    snprintf(buf, len, "%s", strcmp(parent_path, "/") ? parent_path : "");
    append_name(fdt, node, buf, len);
    return buf;
}

/*
 * Where the /memreserve/ block must end: at the next block that starts
 * after it (structure or strings), or at totalsize.  dt_check() has checked
 * that every offset lies inside totalsize.
 */
static u32 memreserve_limit(const void *fdt)
{
    u32 off = fdt_off_mem_rsvmap(fdt), limit = fdt_totalsize(fdt);

    if ( fdt_off_dt_struct(fdt) >= off && fdt_off_dt_struct(fdt) < limit )
        limit = fdt_off_dt_struct(fdt);
    if ( fdt_off_dt_strings(fdt) >= off && fdt_off_dt_strings(fdt) < limit )
        limit = fdt_off_dt_strings(fdt);
    return limit;
}

int dt_for_each_memreserve(const void *fdt, dt_range_fn fn, void *ctx)
{
    const u32 entry = sizeof(struct fdt_reserve_entry);
    u32 off = fdt_off_mem_rsvmap(fdt), limit = memreserve_limit(fdt);
    unsigned int i;
    int rc;

    for ( i = 0; ; i++, off += entry )
    {
        /* address, size: two big-endian u64, read bytewise (fdt64_ld): a bad
         * DTB need not keep the block 8-byte aligned. */
        const fdt64_t *e = (const void *)((const char *)fdt + off);
        struct dt_range r = { .node = -1, .index = i };

        if ( off > limit || limit - off < entry )
        {
            /* The entries read so far stand; what follows is not a block. */
            r.err = DT_ERR_RSV_END;     /* index: the entries read */
            return fn(fdt, &r, ctx);
        }
        r.start = fdt64_ld(e);
        r.size = fdt64_ld(e + 1);
        if ( r.start == 0 && r.size == 0 )
            return 0;
        r.err = -dt_range_check(r.start, r.size);
        rc = fn(fdt, &r, ctx);
        if ( rc != 0 )
            return rc;
    }
}
