/* SPDX-License-Identifier: MIT */
/*
 * common/dt_index.c: one pass over the boot DTB's structure block, so that
 * what boot asks of the tree afterwards costs no walk (include/dt.h,
 * dt_index_build()).
 *
 * Why: Debian's libfdt.a is built with every check on.  Each tag it reads
 * goes through fdt_offset_ptr() with its bounds checks, a node's name is
 * scanned one byte per fdt_offset_ptr() call, and fdt_getprop() re-reads the
 * node's name to check the offset before it looks at a property.  Lookups
 * by path, by compatible, a node's parent and its path each walk the tree
 * from the root.  On QEMU's 56-node virt DTB that made a boot about 7
 * million instructions of tree walking (issue 14).
 *
 * What: dt_check() has vetted the whole blob (fdt_check_full()); it then
 * calls dt_index_build(), which reads the structure block once more,
 * checking every bound again itself, and records each node's offset, where
 * its properties start, its parent and its depth.  Nothing of the blob's
 * contents is copied: names and property values are read from the blob on
 * each call.  When the tree does not fit (more than DT_INDEX_MAX nodes,
 * deeper than DT_INDEX_MAX_DEPTH, a second top-level node, anything the
 * pass does not expect), there is no index and every call below goes to
 * libfdt as before.
 *
 * How it is used: the image is linked with --wrap for the libfdt read calls
 * boot makes (meson.build, fdt_wrap_args), so every caller -- common/,
 * xen-like/, and libfdt's own objects calling across objects -- reaches the
 * __wrap_ functions here.  Each answers from the index when @fdt is the
 * indexed blob, unchanged since (same header sizes, a node tag at the
 * offset), and the node is in the index; otherwise, and wherever libfdt
 * would return an error, it calls libfdt itself (__real_), so results and
 * errors are libfdt's, byte for byte.  tests/unit/test-dt.c compares every
 * wrapped call with libfdt's on every node of every test DTB.
 */
#include <dt.h>
#include <lib.h>
#include <libfdt.h>
#include <string.h>

struct dt_index_node {
    u32 off;            /* the node's FDT_BEGIN_NODE, in the structure block */
    u32 props;          /* the first tag after its name */
    int parent;         /* index of the parent; -1 for the root */
    u32 depth;          /* 0 for the root */
};

static struct {
    const void *fdt;                    /* NULL: no index */
    u32 total, struct_size;
    const char *structs, *strings;      /* the blocks, in the blob */
    u32 strings_size;
    unsigned int count;
    struct dt_index_node node[DT_INDEX_MAX];
} idx;

/*
 * A big-endian word of the structure block at a tag-aligned offset, or of
 * the header: the blob and the block are 4-byte aligned (dt_index_build()
 * indexes no other), so one aligned load, not fdt32_ld()'s four byte loads.
 */
static u32 be32_at(const char *p)
{
    return __builtin_bswap32(*(const u32 *)(const void *)p);
}

/* Round up to the structure block's 4-byte tag alignment (no overflow: < 2^31). */
static u32 tag_align(u32 off)
{
    return (off + 3) & ~3u;
}

/* Read the property at @off: 0 with its length and the next tag's offset, or -1. */
static int prop_at(u32 off, u32 *len, u32 *next)
{
    u32 room = idx.struct_size - off, nameoff;

    if ( room < 12 )
        return -1;
    *len = be32_at(idx.structs + off + 4);
    nameoff = be32_at(idx.structs + off + 8);
    if ( *len > room - 12 || nameoff >= idx.strings_size ||
         !memchr(idx.strings + nameoff, '\0', idx.strings_size - nameoff) )
        return -1;
    *next = tag_align(off + 12 + *len);
    return 0;
}

void dt_index_build(const void *fdt)
{
    int stack[DT_INDEX_MAX_DEPTH];
    int depth = -1;
    u32 off = 0;

    idx.fdt = NULL;
    idx.count = 0;
    if ( !fdt )
        return;
    idx.total = fdt_totalsize(fdt);
    idx.struct_size = fdt_size_dt_struct(fdt);
    idx.strings_size = fdt_size_dt_strings(fdt);
    idx.structs = (const char *)fdt + fdt_off_dt_struct(fdt);
    idx.strings = (const char *)fdt + fdt_off_dt_strings(fdt);
    /* dt_check() has put both blocks inside totalsize; a huge one is refused here. */
    if ( idx.struct_size > 0x7fffffffu || idx.struct_size & 3 || (uintptr_t)idx.structs & 3 ||
         (uintptr_t)fdt & 3 )
        return;

    for ( ;; )
    {
        u32 tag, len, next;
        size_t n;

        if ( idx.struct_size - off < 4 )
            return;
        tag = be32_at(idx.structs + off);
        switch ( tag )
        {
        case FDT_BEGIN_NODE:
            /* One top-level node only, as fdt_next_node() walks it. */
            if ( (depth < 0 && idx.count != 0) || depth + 1 >= DT_INDEX_MAX_DEPTH ||
                 idx.count == DT_INDEX_MAX )
                return;
            n = strnlen(idx.structs + off + 4, idx.struct_size - off - 4);
            if ( n == idx.struct_size - off - 4 )
                return;
            depth++;
            idx.node[idx.count] = (struct dt_index_node){
                .off = off, .props = tag_align(off + 4 + n + 1),
                .parent = depth ? stack[depth - 1] : -1, .depth = depth,
            };
            stack[depth] = idx.count++;
            off = idx.node[stack[depth]].props;
            break;
        case FDT_END_NODE:
            if ( depth < 0 )
                return;
            depth--;
            off += 4;
            break;
        case FDT_PROP:
            if ( depth < 0 || prop_at(off, &len, &next) )
                return;
            off = next;
            break;
        case FDT_NOP:
            off += 4;
            break;
        case FDT_END:
            if ( depth == -1 && idx.count != 0 )
                idx.fdt = fdt;
            return;
        default:
            return;
        }
    }
}

const void *dt_index_blob(void)
{
    return idx.fdt;
}

/* The index entry of @node in @fdt, or NULL: then libfdt answers. */
static const struct dt_index_node *lookup(const void *fdt, int node)
{
    static const struct dt_index_node *last;    /* callers ask about one node in turn */
    unsigned int lo = 0, hi;

    /*
     * A node offset is a tag's: 4-byte aligned (be32_at() relies on it).
     * The header words are read as be32_at() reads (the indexed blob is
     * 4-byte aligned): totalsize at 4, size_dt_struct at 36.
     */
    if ( fdt != idx.fdt || node < 0 || (node & 3) ||
         be32_at((const char *)fdt + 4) != idx.total ||
         be32_at((const char *)fdt + 36) != idx.struct_size )
        return NULL;
    if ( last && last >= idx.node && last < idx.node + idx.count )
    {
        /* The next node in the blob: a walk over siblings with no children. */
        if ( last->off != (u32)node && last + 1 < idx.node + idx.count &&
             last[1].off == (u32)node )
            last++;
        if ( last->off == (u32)node && be32_at(idx.structs + node) == FDT_BEGIN_NODE )
            return last;
    }
    hi = idx.count;
    while ( lo < hi )
    {
        unsigned int mid = lo + (hi - lo) / 2;

        if ( idx.node[mid].off < (u32)node )
            lo = mid + 1;
        else
            hi = mid;
    }
    if ( lo == idx.count || idx.node[lo].off != (u32)node ||
         be32_at(idx.structs + node) != FDT_BEGIN_NODE )
        return NULL;
    last = &idx.node[lo];
    return last;
}

static const char *node_name(const struct dt_index_node *n)
{
    return idx.structs + n->off + 4;
}

/* memcmp(a, b, n) == 0 for a property name: short, most differ at once. */
static bool names_equal(const char *a, const char *b, size_t n)
{
    while ( n && *a == *b )
    {
        a++;
        b++;
        n--;
    }
    return n == 0;
}

/*
 * The first property of @n named @name (@namelen bytes), as fdt_getprop()
 * finds it: the properties that directly follow the node's name, NOPs
 * skipped.  dt_index_build() checked every bound; the ones a read depends on
 * are checked again (cheaply: the names' terminators were found then).
 */
static const void *index_getprop(const struct dt_index_node *n, const char *name,
                                 size_t namelen, int *lenp)
{
    u32 off = n->props, len, nameoff;
    const char *s;

    while ( idx.struct_size - off >= 4 )
    {
        u32 tag = be32_at(idx.structs + off);

        if ( tag == FDT_NOP )
        {
            off += 4;
            continue;
        }
        if ( tag != FDT_PROP || idx.struct_size - off < 12 )
            break;
        len = be32_at(idx.structs + off + 4);
        nameoff = be32_at(idx.structs + off + 8);
        if ( len > idx.struct_size - off - 12 )
            break;
        /* Reads only s[0..namelen], which lie inside the strings block. */
        s = idx.strings + nameoff;
        if ( nameoff < idx.strings_size && namelen < idx.strings_size - nameoff &&
             s[namelen] == '\0' && names_equal(s, name, namelen) )
        {
            if ( lenp )
                *lenp = (int)len;
            return idx.structs + off + 12;
        }
        off = tag_align(off + 12 + len);
    }
    if ( lenp )
        *lenp = -FDT_ERR_NOTFOUND;
    return NULL;
}

/* ---- the wrapped libfdt calls (same contracts as libfdt.h's) ---- */

const void *__real_fdt_getprop(const void *fdt, int node, const char *name, int *lenp);
const void *__wrap_fdt_getprop(const void *fdt, int node, const char *name, int *lenp);
const void *__wrap_fdt_getprop(const void *fdt, int node, const char *name, int *lenp)
{
    const struct dt_index_node *n = lookup(fdt, node);

    if ( !n )
        return __real_fdt_getprop(fdt, node, name, lenp);
    return index_getprop(n, name, strlen(name), lenp);
}

const char *__real_fdt_get_name(const void *fdt, int node, int *lenp);
const char *__wrap_fdt_get_name(const void *fdt, int node, int *lenp);
const char *__wrap_fdt_get_name(const void *fdt, int node, int *lenp)
{
    const struct dt_index_node *n = lookup(fdt, node);

    if ( !n )
        return __real_fdt_get_name(fdt, node, lenp);
    if ( lenp )
        *lenp = (int)strlen(node_name(n));
    return node_name(n);
}

int __real_fdt_parent_offset(const void *fdt, int node);
int __wrap_fdt_parent_offset(const void *fdt, int node);
int __wrap_fdt_parent_offset(const void *fdt, int node)
{
    const struct dt_index_node *n = lookup(fdt, node);

    if ( !n || n->parent < 0 )
        return __real_fdt_parent_offset(fdt, node);
    return (int)idx.node[n->parent].off;
}

int __real_fdt_get_path(const void *fdt, int node, char *buf, int buflen);
int __wrap_fdt_get_path(const void *fdt, int node, char *buf, int buflen);
int __wrap_fdt_get_path(const void *fdt, int node, char *buf, int buflen)
{
    const struct dt_index_node *n = lookup(fdt, node), *a;
    size_t need = 0, p;

    if ( !n || buflen < 2 )
        return __real_fdt_get_path(fdt, node, buf, buflen);
    /*
     * libfdt's path: each name from the root's down, each followed by "/",
     * then the last "/" dropped unless it is the only character (the root,
     * whose name is empty, is "/").  It needs that whole string in @buflen.
     */
    for ( a = n; ; a = &idx.node[a->parent] )
    {
        need += strlen(node_name(a)) + 1;
        if ( a->parent < 0 )
            break;
    }
    if ( need > (size_t)buflen )
        return __real_fdt_get_path(fdt, node, buf, buflen);     /* its error */
    p = need;
    for ( a = n; ; a = &idx.node[a->parent] )
    {
        size_t len = strlen(node_name(a));

        buf[--p] = '/';
        p -= len;
        memcpy(buf + p, node_name(a), len);
        if ( a->parent < 0 )
            break;
    }
    buf[need > 1 ? need - 1 : need] = '\0';
    return 0;
}

/* The child of @parent whose name is @name (@len bytes), as libfdt matches it. */
static const struct dt_index_node *child_named(const struct dt_index_node *parent,
                                               const char *name, size_t len)
{
    unsigned int i = (unsigned int)(parent - idx.node) + 1;
    bool has_unit = memchr(name, '@', len) != NULL;

    for ( ; i < idx.count && idx.node[i].depth > parent->depth; i++ )
    {
        const char *s = node_name(&idx.node[i]);

        if ( idx.node[i].depth != parent->depth + 1 )
            continue;
        /* fdt_nodename_eq_(): the whole name, or the part before '@' when @name has none. */
        if ( strnlen(s, len) == len && memcmp(s, name, len) == 0 &&
             (s[len] == '\0' || (!has_unit && s[len] == '@')) )
            return &idx.node[i];
    }
    return NULL;
}

int __real_fdt_path_offset_namelen(const void *fdt, const char *path, int namelen);
int __wrap_fdt_path_offset_namelen(const void *fdt, const char *path, int namelen);
int __wrap_fdt_path_offset_namelen(const void *fdt, const char *path, int namelen)
{
    const struct dt_index_node *n = lookup(fdt, 0);
    const char *p = path, *end = path + namelen;

    /* Aliases (no leading '/') are libfdt's to resolve. */
    if ( !n || namelen <= 0 || *path != '/' )
        return __real_fdt_path_offset_namelen(fdt, path, namelen);
    while ( p < end )
    {
        const char *q;

        while ( *p == '/' )
            if ( ++p == end )
                return (int)n->off;
        q = memchr(p, '/', (size_t)(end - p));
        if ( !q )
            q = end;
        n = child_named(n, p, (size_t)(q - p));
        if ( !n )
            return -FDT_ERR_NOTFOUND;
        p = q;
    }
    return (int)n->off;
}

int __real_fdt_path_offset(const void *fdt, const char *path);
int __wrap_fdt_path_offset(const void *fdt, const char *path);
int __wrap_fdt_path_offset(const void *fdt, const char *path)
{
    return __wrap_fdt_path_offset_namelen(fdt, path, (int)strlen(path));
}

const char *__real_fdt_get_alias_namelen(const void *fdt, const char *name, int namelen);
const char *__wrap_fdt_get_alias_namelen(const void *fdt, const char *name, int namelen);
const char *__wrap_fdt_get_alias_namelen(const void *fdt, const char *name, int namelen)
{
    const struct dt_index_node *n;
    int aliases;

    if ( !lookup(fdt, 0) || namelen < 0 )
        return __real_fdt_get_alias_namelen(fdt, name, namelen);
    aliases = __wrap_fdt_path_offset(fdt, "/aliases");
    n = aliases >= 0 ? lookup(fdt, aliases) : NULL;
    return n ? index_getprop(n, name, (size_t)namelen, NULL) : NULL;
}

static int index_check_compatible(const struct dt_index_node *n, const char *compat)
{
    int len;
    const char *prop = index_getprop(n, "compatible", sizeof("compatible") - 1, &len);

    if ( !prop )
        return len;
    return !fdt_stringlist_contains(prop, len, compat);
}

int __real_fdt_node_check_compatible(const void *fdt, int node, const char *compat);
int __wrap_fdt_node_check_compatible(const void *fdt, int node, const char *compat);
int __wrap_fdt_node_check_compatible(const void *fdt, int node, const char *compat)
{
    const struct dt_index_node *n = lookup(fdt, node);

    if ( !n )
        return __real_fdt_node_check_compatible(fdt, node, compat);
    return index_check_compatible(n, compat);
}

int __real_fdt_node_offset_by_compatible(const void *fdt, int start, const char *compat);
int __wrap_fdt_node_offset_by_compatible(const void *fdt, int start, const char *compat);
int __wrap_fdt_node_offset_by_compatible(const void *fdt, int start, const char *compat)
{
    const struct dt_index_node *n = lookup(fdt, start == -1 ? 0 : start);
    unsigned int i;

    if ( !n )
        return __real_fdt_node_offset_by_compatible(fdt, start, compat);
    /* The nodes after @start in tree order (from the root when @start is -1). */
    for ( i = (unsigned int)(n - idx.node) + (start == -1 ? 0 : 1); i < idx.count; i++ )
        if ( index_check_compatible(&idx.node[i], compat) == 0 )
            return (int)idx.node[i].off;
    return -FDT_ERR_NOTFOUND;
}

int __real_fdt_node_offset_by_prop_value(const void *fdt, int start, const char *name,
                                         const void *val, int len);
int __wrap_fdt_node_offset_by_prop_value(const void *fdt, int start, const char *name,
                                         const void *val, int len);
int __wrap_fdt_node_offset_by_prop_value(const void *fdt, int start, const char *name,
                                         const void *val, int len)
{
    const struct dt_index_node *n = lookup(fdt, start == -1 ? 0 : start);
    unsigned int i;

    if ( !n )
        return __real_fdt_node_offset_by_prop_value(fdt, start, name, val, len);
    for ( i = (unsigned int)(n - idx.node) + (start == -1 ? 0 : 1); i < idx.count; i++ )
    {
        int plen;
        const void *p = index_getprop(&idx.node[i], name, strlen(name), &plen);

        if ( p && plen == len && memcmp(p, val, (size_t)len) == 0 )
            return (int)idx.node[i].off;
    }
    return -FDT_ERR_NOTFOUND;
}

int __real_fdt_first_subnode(const void *fdt, int node);
int __wrap_fdt_first_subnode(const void *fdt, int node);
int __wrap_fdt_first_subnode(const void *fdt, int node)
{
    const struct dt_index_node *n = lookup(fdt, node);
    unsigned int i;

    if ( !n )
        return __real_fdt_first_subnode(fdt, node);
    i = (unsigned int)(n - idx.node) + 1;
    if ( i < idx.count && idx.node[i].depth == n->depth + 1 )
        return (int)idx.node[i].off;
    return -FDT_ERR_NOTFOUND;
}

int __real_fdt_next_subnode(const void *fdt, int node);
int __wrap_fdt_next_subnode(const void *fdt, int node);
int __wrap_fdt_next_subnode(const void *fdt, int node)
{
    const struct dt_index_node *n = lookup(fdt, node);
    unsigned int i;

    if ( !n )
        return __real_fdt_next_subnode(fdt, node);
    /* The next node at the same depth before the tree climbs above it. */
    for ( i = (unsigned int)(n - idx.node) + 1; i < idx.count; i++ )
    {
        if ( idx.node[i].depth < n->depth )
            break;
        if ( idx.node[i].depth == n->depth )
            return (int)idx.node[i].off;
    }
    return -FDT_ERR_NOTFOUND;
}

/* ---- for dt_walk() ---- */

bool dt_index_walk(const void *fdt, int (*fn)(int node, int depth, void *ctx), void *ctx,
                   int *rc)
{
    unsigned int i;

    if ( !lookup(fdt, 0) )
        return false;
    *rc = 0;
    if ( !fn )
        return true;
    for ( i = 0; i < idx.count && *rc == 0; i++ )
        *rc = fn((int)idx.node[i].off, (int)idx.node[i].depth, ctx);
    return true;
}
