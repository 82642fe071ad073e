/* SPDX-License-Identifier: MIT */
/*
 * Device-tree helpers over libfdt (common/dt.c): reading reg properties with
 * the right cell sizes, and walking the nodes that describe memory.
 *
 * Everything here reads a DTB the caller has already checked with
 * dt_check().  The DTB is data from outside: every length is checked,
 * nothing is allocated, and bad data is reported (never trusted, never
 * fatal).  Paths are printed from fixed-size buffers of DT_PATH_MAX.
 *
 * Error values are negative enum dt_error codes; dt_strerror() names them.
 */
#ifndef HYPCORE_DT_H
#define HYPCORE_DT_H

#include <types.h>

/* Longest node path printed in full (longer ones are shown truncated). */
#define DT_PATH_MAX             256

/* A reg address or size is at most 2 cells: paddr_t and u64 hold 64 bits. */
#define DT_MAX_CELLS            2

/* Root node offset: the structure block starts with it. */
#define DT_ROOT_NODE            0

/* Defaults of the devicetree specification when no node says otherwise. */
#define DT_DEFAULT_ADDR_CELLS   2
#define DT_DEFAULT_SIZE_CELLS   1

enum dt_error {
    DT_OK = 0,
    DT_ERR_NO_REG,          /* the node has no reg property */
    DT_ERR_CELLS,           /* #address-cells or #size-cells is not 1 or 2 */
    DT_ERR_CELLS_FORMAT,    /* #address-cells or #size-cells is not one u32 */
    DT_ERR_REG_LENGTH,      /* reg is not a non-zero multiple of one entry */
    DT_ERR_INDEX,           /* asked for a reg entry past the last one */
    DT_ERR_ZERO_SIZE,       /* a range of size 0 */
    DT_ERR_WRAPS,           /* start + size goes past the top of 64 bits */
    DT_ERR_AT_TOP,          /* start + size is exactly 2^64: no exclusive end */
    DT_ERR_NOT_STRING,      /* a string property with no terminating NUL */
    DT_ERR_NUMBER,          /* a number property that is not 1 or 2 cells */
    DT_ERR_NO_PROP,         /* a property that must be there is missing */
    DT_ERR_FDT,             /* libfdt could not walk the tree */
    DT_ERR_NO_RANGES,       /* a parent bus has no ranges: not CPU-addressable */
    DT_ERR_RANGES,          /* a ranges length that is not whole entries */
    DT_ERR_UNMAPPED,        /* no ranges entry of a parent covers the reg */
    DT_ERR_RSV_END,         /* /memreserve/ has no 0,0 entry inside its block */
    DT_ERR_DEPTH,           /* a node nested deeper than DT_WALK_MAX_DEPTH */
    DT_ERR_COUNT
};

/*
 * Check a DTB before anything else reads it: the header (fdt_check_header(),
 * and format version 17, the only one libfdt reads safely when the data is
 * bad), that it fits in the @size bytes available (at least the header must
 * be readable), and its whole structure block (fdt_check_full(): tags,
 * nesting, property and name offsets).  The header check alone is not
 * enough: libfdt's walkers trust the nesting, and on a tree that ends more
 * nodes than it begins fdt_get_path() reads before the start of its buffer
 * (found by tests/unit/test-dt-corrupt.c).
 * Returns 0 or a negative libfdt error code (fdt_strerror() names it).
 */
int dt_check(const void *fdt, size_t size);

/*
 * dt_index_build (common/dt_index.c): one more pass over a blob dt_check()
 * has accepted (dt_check() makes it), recording each node's offset, parent
 * and depth, so that libfdt's read calls on that blob afterwards walk
 * nothing.  The image and the host tests are linked with --wrap for those
 * calls (fdt_getprop, fdt_get_name, fdt_parent_offset, fdt_get_path,
 * fdt_path_offset[_namelen], fdt_get_alias_namelen, fdt_first_subnode,
 * fdt_next_subnode, fdt_node_check_compatible, fdt_node_offset_by_compatible,
 * fdt_node_offset_by_prop_value):
 * each answers from the index for the indexed blob, with exactly libfdt's
 * results, and calls libfdt itself for any other blob, node, or error.
 * One blob at a time: the last one dt_check() accepted, or that
 * dt_index_build() was given (dom0_make_fdt() indexes the copy it edits
 * after each edit, then the host's blob again).  A tree of more
 * than DT_INDEX_MAX nodes or DT_INDEX_MAX_DEPTH levels gets no index (libfdt
 * then answers everything, as it did before the index).  dt_index_build(NULL)
 * forgets the index (dt_check() does that first).
 */
#define DT_INDEX_MAX            4096    /* QEMU virt at 512 CPUs: 1,078 nodes */
#define DT_INDEX_MAX_DEPTH      64
void dt_index_build(const void *fdt);

/* The blob the index is for (NULL: none), to index it again after another. */
const void *dt_index_blob(void);

/*
 * For dt_walk(): @fn(node, depth, @ctx) for every node of @fdt in tree
 * order, from the index, until one returns non-zero (that value is *@rc,
 * else 0).  False (nothing called) when @fdt has no index.  With @fn
 * NULL, only whether there is one.
 */
bool dt_index_walk(const void *fdt, int (*fn)(int node, int depth, void *ctx), void *ctx,
                   int *rc);

/* A short description of -@err (or @err), for messages. */
const char *dt_strerror(int err);

/*
 * dt_reg_cells_in: the cell sizes that reg properties of @parent's children
 * use (dt_reg_cells() without the parent lookup, for walkers that know it).
 *
 * The cell sizes of @node's reg: its parent's #address-cells/#size-cells;
 * each one the parent does not declare comes from the root node, and if the
 * root does not declare it either, the spec default (2 and 1).
 *
 * The fallback to the root is deliberate: QEMU's guest-loader writes module
 * nodes with 2+2-cell reg under a /chosen that has no #*-cells (the spec
 * default would make that 2+1, and fdt_address_cells() returns exactly that).
 *
 * Returns 0 with both values in 1..DT_MAX_CELLS, or -DT_ERR_CELLS (the
 * values found are still stored, for the message), -DT_ERR_CELLS_FORMAT or
 * -DT_ERR_FDT.
 */
int dt_reg_cells(const void *fdt, int node, unsigned int *addr_cells,
                 unsigned int *size_cells);
int dt_reg_cells_in(const void *fdt, int parent, unsigned int *addr_cells,
                    unsigned int *size_cells);

/*
 * Number of (address, size) entries in @node's reg (at least 1), or
 * -DT_ERR_NO_REG, -DT_ERR_REG_LENGTH (the length is zero or not a multiple
 * of one entry), or an error from dt_reg_cells().
 */
int dt_reg_count(const void *fdt, int node);

/*
 * Entry @index of @node's reg.  Only the format is checked here (as for
 * dt_reg_count(), plus -DT_ERR_INDEX); use dt_range_check() on the result.
 */
int dt_reg_get(const void *fdt, int node, unsigned int index,
               paddr_t *start, u64 *size);

/* dt_reg_count and dt_reg_get for a node whose @parent the caller knows. */
int dt_reg_count_in(const void *fdt, int node, int parent);
int dt_reg_get_in(const void *fdt, int node, int parent, unsigned int index,
                  paddr_t *start, u64 *size);

/* A big-endian number of @cells (1 or 2) 32-bit cells at @p (any alignment). */
u64 dt_read_cells(const void *p, unsigned int cells);

/*
 * dt_node_paddr (common/dt_addr.c): entry 0 of @node's reg as a CPU physical
 * range.  The address is translated through the ranges of every parent bus
 * below the root: an empty ranges maps 1:1; otherwise the entry (child
 * address in the bus's #address-cells, parent address in its parent's,
 * size in the bus's #size-cells) that holds the whole reg range maps it.
 * Returns 0 with *@start and *@size set, an error of dt_reg_get() or
 * dt_range_check(), -DT_ERR_NO_RANGES, -DT_ERR_RANGES or -DT_ERR_UNMAPPED.
 */
int dt_node_paddr(const void *fdt, int node, paddr_t *start, u64 *size);

/* dt_node_paddr for entry @index of reg (dt_reg_count() gives how many). */
int dt_node_paddr_index(const void *fdt, int node, unsigned int index,
                        paddr_t *start, u64 *size);


/*
 * 0 when [start, start + size) is a usable range (its exclusive end fits in
 * 64 bits), else -DT_ERR_ZERO_SIZE, -DT_ERR_AT_TOP (it ends exactly at 2^64)
 * or -DT_ERR_WRAPS.
 */
int dt_range_check(paddr_t start, u64 size);

/*
 * A number property of 1 or 2 cells (linux,initrd-start and the like) in
 * *@value: 0, -DT_ERR_NO_PROP when it is absent, -DT_ERR_NUMBER when its
 * length is not 4 or 8 bytes.
 */
int dt_get_number(const void *fdt, int node, const char *name, u64 *value);

/*
 * The string property @name of @node, or NULL: *@err (if not NULL) is then
 * 0 when the property is absent and -DT_ERR_NOT_STRING when it is there but
 * not NUL-terminated.
 */
const char *dt_get_string(const void *fdt, int node, const char *name,
                          int *err);

/* False when the node has a status other than "okay"/"ok" (e.g. "disabled"). */
bool dt_node_enabled(const void *fdt, int node);

/*
 * @node's full path in @buf (@len bytes), for messages.  Never fails: when
 * libfdt cannot give the path, @buf says so and where the node is.
 */
const char *dt_node_path(const void *fdt, int node, char *buf, size_t len);

/*
 * The hypervisor command line: /chosen "xen,xen-bootargs" if present, else
 * /chosen "bootargs" (as Xen reads them), NULL if neither is a usable string.
 */
const char *dt_bootargs(const void *fdt);

/*
 * One range from the device tree, as the iterators below hand it out.
 * Bad entries are handed out too (err != 0) so that the caller reports
 * them (dt_warn_range()) rather than losing them silently.
 */
struct dt_range {
    paddr_t start;
    u64 size;
    int node;               /* node offset; -1 for /memreserve/ entries */
    int parent;             /* with has_parent: the node's parent (walkers know it) */
    bool has_parent;        /* false: look the parent up when it is needed */
    const char *path;       /* the node's path when the walker has it, else NULL */
    unsigned int index;     /* entry number in reg or in /memreserve/ */
    int err;                /* 0, or a positive enum dt_error: skip the entry */
    int fdt_err;            /* with DT_ERR_FDT: the libfdt error (negative) */
    bool no_map;            /* /reserved-memory: the node has no-map */
    bool dynamic;           /* /reserved-memory: no reg, allocated by the OS;
                             * size is its "size" property (0 if unreadable) */
};

/*
 * Called for each range; a non-zero return stops the walk and is returned
 * by the iterator.  @r is valid only during the call.
 */
typedef int (*dt_range_fn)(const void *fdt, const struct dt_range *r,
                           void *ctx);

/*
 * Every reg entry of every node with device_type = "memory" whose status
 * is okay, in tree order, in one linear pass (dt_walk()).  Returns 0 or
 * what @fn returned to stop.
 */
int dt_for_each_memory(const void *fdt, dt_range_fn fn, void *ctx);

/*
 * Every /memreserve/ entry of the DTB (common/dt_walk.c), read up to its
 * 0,0 terminator: libfdt's fdt_num_mem_rsv() stops at the first entry of
 * size 0, which would hide every reservation after it.  A zero-size entry
 * is handed out with err = DT_ERR_ZERO_SIZE; a block with no terminator
 * before the next block (or the end of the DTB) ends with one entry of
 * err = DT_ERR_RSV_END after the ones read.
 */
int dt_for_each_memreserve(const void *fdt, dt_range_fn fn, void *ctx);

/*
 * Every reg entry of every enabled child of /reserved-memory, and one
 * dynamic entry for each child that has no reg.
 */
int dt_for_each_reserved_memory(const void *fdt, dt_range_fn fn, void *ctx);

/*
 * dt_walk (common/dt_walk.c): call @fn for every node in tree order, in one
 * pass over the structure block.  @w holds the node and its ancestors, so
 * that the parent and the path cost no walk from the root (fdt_parent_offset()
 * and fdt_get_path() each walk from the root: called per node, a DTB with
 * thousands of nodes took minutes).  Nodes deeper than DT_WALK_MAX_DEPTH are
 * skipped with one warning.  A non-zero return from @fn stops the walk and
 * is returned; 0 at the end, -DT_ERR_FDT if libfdt cannot walk the tree.
 */
#define DT_WALK_MAX_DEPTH       16
struct dt_walk {
    const void *fdt;
    int depth;                      /* the node's; the root's is 0 */
    int node[DT_WALK_MAX_DEPTH];    /* node[depth]: the node; node[d]: its ancestors */
};
typedef int (*dt_walk_fn)(const struct dt_walk *w, void *ctx);
int dt_walk(const void *fdt, dt_walk_fn fn, void *ctx);

/* The node's parent (-1 for the root). */
static inline int dt_walk_parent(const struct dt_walk *w)
{
    return w->depth > 0 ? w->node[w->depth - 1] : -1;
}

/* The node's path in @buf (truncated to @len bytes), from the names on @w. */
const char *dt_walk_path(const struct dt_walk *w, char *buf, size_t len);

/*
 * dt_node_paddr_index for the walk's current node (common/dt_addr.c): the
 * parent buses come from @w, so no parent is looked up.
 */
int dt_walk_paddr_index(const struct dt_walk *w, unsigned int index, paddr_t *start,
                        u64 *size);

/* "@parent_path/<name of @node>" in @buf: a child's path without a walk. */
const char *dt_child_path(const void *fdt, const char *parent_path, int node,
                          char *buf, size_t len);

/*
 * Print the one-line warning for a bad range @r found while reading @what
 * ("memory", "memreserve", "reserved-memory"):
 *   dt: warning: <what> node=<path>: <problem>; ignored
 */
void dt_warn_range(const void *fdt, const char *what, const struct dt_range *r);

/*
 * Print what the device tree says, one fact per line (end addresses are
 * exclusive, hex is lower case):
 *   dt: memory 0x<start>-0x<end> node=<path>
 *   dt: memreserve 0x<start>-0x<end>
 *   dt: reserved-memory 0x<start>-0x<end> node=<path>[ no-map]
 *   dt: reserved-memory dynamic[ size=0x<size>] node=<path>[ no-map]
 *   dt: bootargs "<string>"          or  dt: bootargs none
 *   dt: module ...                   (see bootmodules_print())
 * Past the first 64 memory ranges (and 64 bad memory entries), one line
 * counts the rest:
 *   dt: memory: <n> ranges and <m> bad entries; the <k> lines past the first 64 of each are not printed
 * The boot modules are parsed into @mods (bootmodules_parse()) on the way,
 * so their warnings come in that order and the caller reuses the table.
 * Bad data gets one "dt: warning: ..." line and is skipped.
 */
struct bootmodules;
void dt_print_facts(const void *fdt, struct bootmodules *mods);

#endif /* HYPCORE_DT_H */
