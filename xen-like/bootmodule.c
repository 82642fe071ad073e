/* SPDX-License-Identifier: MIT */
/*
 * The /chosen boot-module binding (include/bootmodule.h explains it).
 *
 * Modules are refused, with one warning line each, only for what the DT
 * itself gets wrong; the boot memory map checks where they lie.  Warnings
 * have dt.h's form: "dt: warning: module node=<path>: <problem>; ignored".
 */
#include <bootmodule.h>
#include <dt.h>
#include <lib.h>
#include <libfdt.h>
#include <printk.h>

static const char *const kind_names[] = {
    [BOOTMOD_KERNEL]      = "kernel",
    [BOOTMOD_RAMDISK]     = "ramdisk",
    [BOOTMOD_DEVICE_TREE] = "device-tree",
    [BOOTMOD_UNKNOWN]     = "unknown",
};

const char *bootmodule_kind_name(enum bootmodule_kind kind)
{
    if ( (unsigned int)kind >= ARRAY_SIZE(kind_names) )
        return "invalid";
    return kind_names[kind];
}

const struct bootmodule *bootmodules_first(const struct bootmodules *mods,
                                           enum bootmodule_kind kind)
{
    unsigned int i;

    for ( i = 0; i < mods->nr; i++ )
        if ( mods->mod[i].kind == kind )
            return &mods->mod[i];

    return NULL;
}

/*
 * /chosen's offset in the DTB bootmodules_parse() last read: module nodes
 * are its children, so their paths and reg cells need no walk from the root
 * (libfdt's fdt_get_path()/fdt_parent_offset() walk the whole tree per call).
 */
static int chosen_node = -1;

/* The path of /chosen or of one of its children. */
static const char *module_path(const void *fdt, int node, char *buf, size_t len)
{
    if ( node == chosen_node || chosen_node < 0 )
        return dt_node_path(fdt, node, buf, len);
    return dt_child_path(fdt, "/chosen", node, buf, len);
}

/* The compatibles that make a /chosen child a boot module. */
static bool is_module_node(const void *fdt, int node)
{
    return fdt_node_check_compatible(fdt, node, "multiboot,module") == 0 ||
           fdt_node_check_compatible(fdt, node, "xen,multiboot-module") == 0;
}

/* The more specific compatibles, current and legacy. */
static const struct {
    const char *compatible;
    enum bootmodule_kind kind;
} kind_compatibles[] = {
    { "multiboot,kernel",      BOOTMOD_KERNEL },
    { "multiboot,ramdisk",     BOOTMOD_RAMDISK },
    { "multiboot,device-tree", BOOTMOD_DEVICE_TREE },
    { "xen,linux-zimage",      BOOTMOD_KERNEL },
    { "xen,linux-initrd",      BOOTMOD_RAMDISK },
};

/*
 * The kind a module node declares; if it declares none, Xen's guess: the
 * first such module is the kernel, the second the ramdisk (*@guesses
 * counts them across the /chosen walk).  The guess is made before the
 * module's reg is read, so a module refused for bad data still takes its
 * place: a broken first module does not turn the ramdisk into the kernel.
 */
static enum bootmodule_kind module_kind(const void *fdt, int node,
                                        unsigned int *guesses)
{
    unsigned int i;

    for ( i = 0; i < ARRAY_SIZE(kind_compatibles); i++ )
        if ( fdt_node_check_compatible(fdt, node,
                                       kind_compatibles[i].compatible) == 0 )
            return kind_compatibles[i].kind;

    switch ( (*guesses)++ )
    {
    case 0:  return BOOTMOD_KERNEL;
    case 1:  return BOOTMOD_RAMDISK;
    default: return BOOTMOD_UNKNOWN;
    }
}

/*
 * Start a warning line about @node (/chosen or one of its children: its
 * path without libfdt's walk from the root); the caller finishes it.
 */
static void warn_node(const void *fdt, int node)
{
    char path[DT_PATH_MAX];

    printk(XENLOG_WARNING "dt: warning: module node=%s: ",
           module_path(fdt, node, path, sizeof(path)));
}

/*
 * Add a module to the table if its range is usable and there is room;
 * otherwise say why it is refused.
 */
static void add_module(const void *fdt, struct bootmodules *mods,
                       const struct bootmodule *m)
{
    char path[DT_PATH_MAX];
    struct dt_range r = {
        .start = m->start, .size = m->size, .node = m->node_offset,
        .parent = chosen_node, .has_parent = m->node_offset != chosen_node,
        .path = module_path(fdt, m->node_offset, path, sizeof(path)),
    };

    r.err = -dt_range_check(m->start, m->size);
    if ( r.err )
    {
        dt_warn_range(fdt, "module", &r);
        return;
    }

    if ( mods->nr == BOOTMOD_MAX )
    {
        warn_node(fdt, m->node_offset);
        printk("more than BOOTMOD_MAX=%u boot modules (raise it in "
               "include/bootmodule.h); ignored\n", BOOTMOD_MAX);
        return;
    }

    mods->mod[mods->nr++] = *m;
}

/* One "multiboot,module" node. */
static void parse_module_node(const void *fdt, int node,
                              struct bootmodules *mods, unsigned int *guesses)
{
    struct bootmodule m = { .node_offset = node };
    int count, rc;

    m.kind = module_kind(fdt, node, guesses);

    count = dt_reg_count_in(fdt, node, chosen_node);
    if ( count < 0 )
    {
        char path[DT_PATH_MAX];
        struct dt_range r = {
            .node = node, .parent = chosen_node, .has_parent = true, .err = -count,
            .path = module_path(fdt, node, path, sizeof(path)),
        };

        dt_warn_range(fdt, "module", &r);
        return;
    }
    if ( count > 1 )
    {
        warn_node(fdt, node);
        printk("reg has %d entries, a module is one range; using the first\n",
               count);
    }
    dt_reg_get_in(fdt, node, chosen_node, 0, &m.start, &m.size);

    m.bootargs = dt_get_string(fdt, node, "bootargs", &rc);
    if ( rc < 0 )
    {
        warn_node(fdt, node);
        printk("bootargs is %s; ignored\n", dt_strerror(rc));
    }

    add_module(fdt, mods, &m);
}

/*
 * /chosen linux,initrd-start and linux,initrd-end (end exclusive, as Linux
 * reads them): one ramdisk, or nothing if neither is there.
 */
static void parse_initrd(const void *fdt, int chosen, struct bootmodules *mods)
{
    struct bootmodule m = {
        .kind = BOOTMOD_RAMDISK, .node_offset = chosen,
    };
    u64 start, end;
    int rs = dt_get_number(fdt, chosen, "linux,initrd-start", &start);
    int re = dt_get_number(fdt, chosen, "linux,initrd-end", &end);

    if ( rs == -DT_ERR_NO_PROP && re == -DT_ERR_NO_PROP )
        return;

    if ( rs < 0 || re < 0 )
    {
        warn_node(fdt, chosen);
        printk("linux,initrd-%s: %s; ignored\n", rs < 0 ? "start" : "end",
               dt_strerror(rs < 0 ? rs : re));
        return;
    }

    if ( end < start )
    {
        warn_node(fdt, chosen);
        printk("linux,initrd-end 0x%llx is below linux,initrd-start 0x%llx; "
               "ignored\n", (unsigned long long)end, (unsigned long long)start);
        return;
    }

    m.start = start;
    m.size = end - start;
    add_module(fdt, mods, &m);
}

unsigned int bootmodules_parse(const void *fdt, struct bootmodules *mods)
{
    int chosen = fdt_path_offset(fdt, "/chosen");
    unsigned int guesses = 0;
    int node;

    mods->nr = 0;
    chosen_node = chosen;
    if ( chosen < 0 )
        return 0;

    fdt_for_each_subnode(node, fdt, chosen)
        if ( is_module_node(fdt, node) )
            parse_module_node(fdt, node, mods, &guesses);

    if ( node != -FDT_ERR_NOTFOUND )
    {
        warn_node(fdt, chosen);
        printk("cannot walk its children: %s; the rest ignored\n",
               fdt_strerror(node));
    }

    parse_initrd(fdt, chosen, mods);

    return mods->nr;
}

void bootmodules_print(const void *fdt, const struct bootmodules *mods)
{
    char path[DT_PATH_MAX];
    unsigned int i;

    for ( i = 0; i < mods->nr; i++ )
    {
        const struct bootmodule *m = &mods->mod[i];

        printk("dt: module 0x%llx-0x%llx size=0x%llx kind=%s node=%s",
               (unsigned long long)m->start,
               (unsigned long long)(m->start + m->size),
               (unsigned long long)m->size, bootmodule_kind_name(m->kind),
               module_path(fdt, m->node_offset, path, sizeof(path)));
        if ( m->bootargs )
            printk(" bootargs=\"%s\"", m->bootargs);
        printk("\n");
    }
}
