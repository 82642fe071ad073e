/* SPDX-License-Identifier: MIT */
/*
 * common/dt.c and xen-like/bootmodule.c on DTBs compiled by dtc from
 * tests/dts/<case>.dts.
 *
 *   test-dt DTB DTS
 *
 * The expected dt_print_facts() output is written in the .dts itself, one
 * "// expect: <line>" comment per line, worked out by hand from the values
 * in that file.  Cases with more to check (the cell fallback, the module
 * table, error codes) have extra checks below, chosen by the case name.
 */
#include <stdlib.h>
#include <string.h>

#include <bootmodule.h>
#include <dt.h>
#include <libfdt.h>

#include "dt-index-check.h"
#include "harness.h"

/* The "// expect: " lines of @dts, each ending in "\n". */
static char *expected_output(const char *dts)
{
    static const char tag[] = "// expect: ";
    char *out = calloc(1, strlen(dts) + 1);
    size_t n = 0;
    const char *p;

    for ( p = strstr(dts, tag); p; p = strstr(p, tag) )
    {
        size_t len;

        p += sizeof(tag) - 1;
        len = strcspn(p, "\n");
        memcpy(out + n, p, len);
        n += len;
        out[n++] = '\n';
    }
    return out;
}

static int node(const void *fdt, const char *path)
{
    int off = fdt_path_offset(fdt, path);

    CHECK(off >= 0, "node %s not found: %s", path, fdt_strerror(off));
    return off;
}

static void expect_cells(const void *fdt, const char *path, int rc_want,
                         unsigned int ac_want, unsigned int sc_want)
{
    unsigned int ac = 0, sc = 0;
    int rc = dt_reg_cells(fdt, node(fdt, path), &ac, &sc);

    CHECK(rc == rc_want && ac == ac_want && sc == sc_want,
          "dt_reg_cells(%s) = %d, %u+%u; want %d, %u+%u", path, rc, ac, sc,
          rc_want, ac_want, sc_want);
}

static void expect_reg(const void *fdt, const char *path, unsigned int index,
                       int rc_want, paddr_t start_want, u64 size_want)
{
    paddr_t start = 0;
    u64 size = 0;
    int rc = dt_reg_get(fdt, node(fdt, path), index, &start, &size);

    CHECK(rc == rc_want && (rc != 0 || (start == start_want && size == size_want)),
          "dt_reg_get(%s, %u) = %d (%s) 0x%llx+0x%llx; want %d 0x%llx+0x%llx",
          path, index, rc, dt_strerror(rc), (unsigned long long)start,
          (unsigned long long)size, rc_want, (unsigned long long)start_want,
          (unsigned long long)size_want);
}

/* A callback that stops the walk at the second range. */
static int stop_at_second(const void *fdt, const struct dt_range *r, void *ctx)
{
    unsigned int *calls = ctx;

    (void)fdt;
    (void)r;
    return ++*calls == 2 ? 42 : 0;
}

static void check_memory_banks(const void *fdt)
{
    unsigned int calls = 0;

    expect_cells(fdt, "/memory@40000000", 0, 2, 2);
    expect_cells(fdt, "/bus/sram@10000000", 0, 1, 1);
    CHECK(dt_reg_count(fdt, node(fdt, "/memory@40000000")) == 2, "reg count");
    expect_reg(fdt, "/memory@40000000", 1, 0, 0x60000000, 0x8000000);
    expect_reg(fdt, "/memory@100000000", 1, 0, 0x880000000ULL, 0x100000000ULL);
    expect_reg(fdt, "/memory@40000000", 2, -DT_ERR_INDEX, 0, 0);
    expect_reg(fdt, "/chosen", 0, -DT_ERR_NO_REG, 0, 0);

    CHECK(dt_node_enabled(fdt, node(fdt, "/memory@100000000")), "okay");
    CHECK(!dt_node_enabled(fdt, node(fdt, "/memory@200000000")), "disabled");
    CHECK(dt_node_enabled(fdt, node(fdt, "/memory@40000000")), "no status");

    CHECK(dt_for_each_memory(fdt, stop_at_second, &calls) == 42 && calls == 2,
          "a callback's non-zero return stops the walk (calls=%u)", calls);
}

static void check_modules_qemu(const void *fdt)
{
    static struct bootmodules mods;
    const struct bootmodule *k;
    int kernel = node(fdt, "/chosen/module@0x50000000");

    /* Why the root fallback exists: libfdt alone gets this wrong. */
    CHECK(fdt_address_cells(fdt, node(fdt, "/chosen")) == 2 &&
          fdt_size_cells(fdt, node(fdt, "/chosen")) == 1,
          "libfdt's own defaults for /chosen changed?");
    expect_cells(fdt, "/chosen/module@0x50000000", 0, 2, 2);
    expect_reg(fdt, "/chosen/module@0x50000000", 0, 0, 0x50000000, 0x4023);

    CHECK(bootmodules_parse(fdt, &mods) == 3, "3 modules, got %u", mods.nr);
    console_reset();
    k = bootmodules_first(&mods, BOOTMOD_KERNEL);
    CHECK(k && k->start == 0x50000000 && k->size == 0x4023 &&
          k->node_offset == kernel, "kernel module");
    CHECK(k && k->bootargs && strcmp(k->bootargs, "console=hvc0") == 0 &&
          k->bootargs > (const char *)fdt &&
          k->bootargs < (const char *)fdt + fdt_totalsize(fdt),
          "kernel bootargs point into the DTB");
    CHECK(mods.mod[0].kind == BOOTMOD_RAMDISK && mods.mod[0].bootargs == NULL,
          "ramdisk first, without bootargs");
    CHECK(bootmodules_first(&mods, BOOTMOD_DEVICE_TREE) == &mods.mod[2],
          "device tree module");
    CHECK(bootmodules_first(&mods, BOOTMOD_UNKNOWN) == NULL, "no unknown");
}

static void check_modules_1cell(const void *fdt)
{
    expect_cells(fdt, "/chosen/module@82000000", 0, 1, 1);
    CHECK(strcmp(dt_bootargs(fdt), "dom0_mem=128M") == 0, "bootargs");
}

static void check_chosen_cells(const void *fdt)
{
    expect_cells(fdt, "/chosen/module@48000000", 0, 1, 1);
    expect_cells(fdt, "/half/memory@c0000000", 0, 1, 2);
}

static void check_bad_memory(const void *fdt)
{
    expect_cells(fdt, "/bus0/memory@70000000", -DT_ERR_CELLS, 1, 0);
    expect_cells(fdt, "/bus3/memory@0,80000000", -DT_ERR_CELLS, 3, 2);
    CHECK(dt_reg_count(fdt, node(fdt, "/memory@40000000")) == -DT_ERR_REG_LENGTH,
          "odd reg length");
    CHECK(dt_reg_count(fdt, node(fdt, "/memory@61000000")) == -DT_ERR_REG_LENGTH,
          "empty reg");
    CHECK(dt_reg_count(fdt, node(fdt, "/busfmt/memory@90000000")) ==
          -DT_ERR_CELLS_FORMAT, "8-byte #address-cells");
    CHECK(dt_range_check(0xfffffffffffff000ULL, 0x1000) == -DT_ERR_AT_TOP &&
          dt_range_check(0xfffffffffffff000ULL, 0x1001) == -DT_ERR_WRAPS &&
          dt_range_check(0xffffffffffffe000ULL, 0x1000) == 0 &&
          dt_range_check(0, 0) == -DT_ERR_ZERO_SIZE &&
          dt_range_check(1, ~0ULL) == -DT_ERR_AT_TOP &&
          dt_range_check(2, ~0ULL) == -DT_ERR_WRAPS &&
          dt_range_check(0, ~0ULL) == 0, "dt_range_check edges");
    CHECK(dt_bootargs(fdt) == NULL, "unterminated bootargs");
}

static void check_guess(const void *fdt)
{
    static struct bootmodules mods;

    bootmodules_parse(fdt, &mods);
    console_reset();
    CHECK(mods.nr == 5 && mods.mod[1].bootargs && mods.mod[1].bootargs[0] == 0,
          "empty bootargs is a string, not NULL");
}

/*
 * dt_check() refuses format versions before 17 without handing them to
 * fdt_check_full(): Debian's libfdt 1.6.1 dereferences NULL there on a tree
 * whose only damage is a version field of 2..15.
 */
static void check_old_versions(const void *fdt, size_t len)
{
    static const uint32_t versions[] = { 2, 3, 15, 16 };
    void *copy = malloc(len);
    unsigned int i;

    for ( i = 0; i < sizeof(versions) / sizeof(versions[0]); i++ )
    {
        memcpy(copy, fdt, len);
        fdt_set_version(copy, versions[i]);
        fdt_set_last_comp_version(copy, versions[i] < 16 ? versions[i] : 16);
        CHECK(dt_check(copy, len) == -FDT_ERR_BADVERSION,
              "dt_check() of a version %u DTB", versions[i]);
    }
    free(copy);
}

/*
 * dt_walk() and dt_walk_paddr_index() against libfdt's own walk and the
 * lookups that find each parent from the root: every node in order, every
 * reg entry translated, the same answers.
 */
struct walk_check {
    int expect;         /* libfdt's node and depth at this step */
    int depth;
    int nodes;
};

static int check_walk_node(const struct dt_walk *w, void *ctx)
{
    struct walk_check *c = ctx;
    const void *fdt = w->fdt;
    int node = w->node[w->depth], count, i;

    c->expect = fdt_next_node(fdt, c->nodes ? c->expect : -1, &c->depth);
    c->nodes++;
    CHECK(node == c->expect && w->depth == c->depth, "walk: node %d depth %d, libfdt %d %d",
          node, w->depth, c->expect, c->depth);
    if ( w->depth == 0 )
        return 0;
    CHECK(dt_walk_parent(w) == fdt_parent_offset(fdt, node), "walk: parent of node %d", node);
    count = dt_reg_count(fdt, node);
    for ( i = 0; i < count; i++ )
    {
        paddr_t s1 = 0, s2 = 0;
        u64 l1 = 0, l2 = 0;
        int r1 = dt_node_paddr_index(fdt, node, i, &s1, &l1);
        int r2 = dt_walk_paddr_index(w, i, &s2, &l2);

        CHECK(r1 == r2 && (r1 || (s1 == s2 && l1 == l2)),
              "node %d reg %d: %d 0x%llx+0x%llx, walk %d 0x%llx+0x%llx", node, i,
              r1, (unsigned long long)s1, (unsigned long long)l1,
              r2, (unsigned long long)s2, (unsigned long long)l2);
    }
    return 0;
}

static void check_path_walk(const void *fdt)
{
    struct walk_check c = { 0, -1, 0 };

    CHECK(dt_walk(fdt, check_walk_node, &c) == 0, "dt_walk failed");
    /* libfdt ends the root with depth -1 (or an error): nothing was left. */
    c.expect = fdt_next_node(fdt, c.expect, &c.depth);
    CHECK(c.nodes > 0 && (c.expect < 0 || c.depth < 1), "walk ended early after %d nodes",
          c.nodes);
}

static const struct {
    const char *name;
    void (*check)(const void *fdt);
} checks[] = {
    { "memory-banks", check_memory_banks },
    { "modules-qemu", check_modules_qemu },
    { "modules-1cell", check_modules_1cell },
    { "chosen-cells", check_chosen_cells },
    { "bad-memory", check_bad_memory },
    { "modules-guess", check_guess },
};

int main(int argc, char **argv)
{
    size_t dtb_len, dts_len;
    void *fdt;
    char *dts, *want, name[64];
    const char *base;
    unsigned int i;

    if ( argc != 3 )
    {
        fprintf(stderr, "usage: %s DTB DTS\n", argv[0]);
        return 2;
    }
    fdt = load_file(argv[1], &dtb_len);
    dts = load_file(argv[2], &dts_len);
    CHECK(dt_check(fdt, dtb_len) == 0, "%s is not a DTB", argv[1]);
    CHECK(dt_check(fdt, dtb_len - 1) == -FDT_ERR_TRUNCATED,
          "dt_check() with the last byte missing");

    check_old_versions(fdt, dtb_len);

    want = expected_output(dts);
    CHECK(want[0] != '\0', "%s has no \"// expect:\" lines", argv[2]);

    /*
     * dt_check() of the whole blob indexes it (the checks above did not):
     * the wrapped libfdt calls against libfdt's own, then the facts and the
     * walk with the index, and again with libfdt alone.
     */
    CHECK(dt_check(fdt, dtb_len) == 0 && dt_index_present(fdt), "%s indexed", argv[1]);
    check_dt_index(fdt);
    for ( i = 0; i < 2; i++ )
    {
        if ( i == 1 )
            dt_index_build(NULL);
        console_reset();
        { static struct bootmodules mods_; dt_print_facts(fdt, &mods_); }
        lines_equal(argv[2], console_strip(console_take()), want);
        check_path_walk(fdt);
    }
    base = strrchr(argv[2], '/') ? strrchr(argv[2], '/') + 1 : argv[2];
    snprintf(name, sizeof(name), "%.*s", (int)strcspn(base, "."), base);
    CHECK(dt_check(fdt, dtb_len) == 0, "%s indexed again", argv[1]);
    for ( i = 0; i < sizeof(checks) / sizeof(checks[0]); i++ )
        if ( strcmp(checks[i].name, name) == 0 )
            checks[i].check(fdt);

    return harness_exit(name);
}
