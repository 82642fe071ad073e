/* SPDX-License-Identifier: MIT */
/*
 * check_dt_index(): every libfdt read call the image wraps (common/dt_index.c)
 * against libfdt's own answer (__real_<name>, which the --wrap link gives the
 * test too), on every node of a DTB dt_check() has just accepted: the same
 * pointers, lengths, offsets, error codes and path strings, including paths
 * into buffers too small by one.  test-dt runs it on every test DTB and
 * test-qemu-dtb on QEMU's; test-dt-corrupt on damaged DTBs that still pass
 * dt_check().
 */
#include <string.h>

#include <dt.h>
#include <libfdt.h>

#include "dt-index-check.h"
#include "harness.h"

const void *__real_fdt_getprop(const void *fdt, int node, const char *name, int *lenp);
const char *__real_fdt_get_name(const void *fdt, int node, int *lenp);
int __real_fdt_parent_offset(const void *fdt, int node);
int __real_fdt_get_path(const void *fdt, int node, char *buf, int buflen);
int __real_fdt_path_offset(const void *fdt, const char *path);
int __real_fdt_path_offset_namelen(const void *fdt, const char *path, int namelen);
const char *__real_fdt_get_alias_namelen(const void *fdt, const char *name, int namelen);
int __real_fdt_first_subnode(const void *fdt, int node);
int __real_fdt_next_subnode(const void *fdt, int node);
int __real_fdt_node_check_compatible(const void *fdt, int node, const char *compat);
int __real_fdt_node_offset_by_compatible(const void *fdt, int start, const char *compat);
int __real_fdt_node_offset_by_prop_value(const void *fdt, int start, const char *name,
                                         const void *val, int len);

static void same_prop(const void *fdt, int node, const char *name)
{
    int l1 = 12345, l2 = 12345;
    const void *p1 = fdt_getprop(fdt, node, name, &l1);
    const void *p2 = __real_fdt_getprop(fdt, node, name, &l2);

    CHECK(p1 == p2 && l1 == l2, "node %d getprop \"%s\": %p/%d, libfdt %p/%d",
          node, name, p1, l1, p2, l2);
    CHECK(fdt_getprop(fdt, node, name, NULL) == p2, "node %d getprop \"%s\" without a length",
          node, name);
}

static void same_path(const void *fdt, int node, int buflen)
{
    char b1[DT_PATH_MAX + 8], b2[DT_PATH_MAX + 8];
    int r1 = fdt_get_path(fdt, node, b1, buflen), r2 = __real_fdt_get_path(fdt, node, b2, buflen);

    CHECK(r1 == r2 && (r1 || strcmp(b1, b2) == 0), "node %d path in %d bytes: %d \"%s\", "
          "libfdt %d \"%s\"", node, buflen, r1, r1 ? "" : b1, r2, r2 ? "" : b2);
}

static void same_path_offset(const void *fdt, const char *path)
{
    int r1 = fdt_path_offset(fdt, path), r2 = __real_fdt_path_offset(fdt, path);

    CHECK(r1 == r2, "path_offset \"%s\": %d, libfdt %d", path, r1, r2);
    r1 = fdt_path_offset_namelen(fdt, path, (int)strlen(path) / 2);
    r2 = __real_fdt_path_offset_namelen(fdt, path, (int)strlen(path) / 2);
    CHECK(r1 == r2, "path_offset \"%.*s\": %d, libfdt %d", (int)strlen(path) / 2, path, r1, r2);
}

static void same_compatible(const void *fdt, int node, const char *compat)
{
    int r1 = fdt_node_check_compatible(fdt, node, compat);
    int r2 = __real_fdt_node_check_compatible(fdt, node, compat);

    CHECK(r1 == r2, "node %d check_compatible \"%s\": %d, libfdt %d", node, compat, r1, r2);
    r1 = fdt_node_offset_by_compatible(fdt, node, compat);
    r2 = __real_fdt_node_offset_by_compatible(fdt, node, compat);
    CHECK(r1 == r2, "by_compatible after %d \"%s\": %d, libfdt %d", node, compat, r1, r2);
    r1 = fdt_node_offset_by_compatible(fdt, -1, compat);
    r2 = __real_fdt_node_offset_by_compatible(fdt, -1, compat);
    CHECK(r1 == r2, "by_compatible \"%s\": %d, libfdt %d", compat, r1, r2);
    /* The same value as a whole property: the first string, or the whole list. */
    for ( int len = 0; len <= (int)strlen(compat) + 1; len += (int)strlen(compat) + 1 )
    {
        r1 = fdt_node_offset_by_prop_value(fdt, node, "compatible", compat, len);
        r2 = __real_fdt_node_offset_by_prop_value(fdt, node, "compatible", compat, len);
        CHECK(r1 == r2, "by_prop_value after %d \"%s\"/%d: %d, libfdt %d", node, compat,
              len, r1, r2);
        r1 = fdt_node_offset_by_prop_value(fdt, -1, "compatible", compat, len);
        r2 = __real_fdt_node_offset_by_prop_value(fdt, -1, "compatible", compat, len);
        CHECK(r1 == r2, "by_prop_value \"%s\"/%d: %d, libfdt %d", compat, len, r1, r2);
    }
}

static void check_node(const void *fdt, int node)
{
    static const char *const names[] = {
        "compatible", "reg", "status", "device_type", "#address-cells", "no such property", "",
    };
    char path[DT_PATH_MAX + 8];
    const char *n1, *n2, *compat;
    int l1 = 0, l2 = 0, prop, len, plen;
    unsigned int i;

    n1 = fdt_get_name(fdt, node, &l1);
    n2 = __real_fdt_get_name(fdt, node, &l2);
    CHECK(n1 == n2 && l1 == l2, "node %d name %p/%d, libfdt %p/%d", node, n1, l1, n2, l2);
    CHECK(fdt_parent_offset(fdt, node) == __real_fdt_parent_offset(fdt, node),
          "node %d parent", node);
    CHECK(fdt_first_subnode(fdt, node) == __real_fdt_first_subnode(fdt, node),
          "node %d first subnode", node);
    CHECK(fdt_next_subnode(fdt, node) == __real_fdt_next_subnode(fdt, node),
          "node %d next subnode", node);

    for ( i = 0; i < sizeof(names) / sizeof(names[0]); i++ )
        same_prop(fdt, node, names[i]);
    fdt_for_each_property_offset(prop, fdt, node)
    {
        const char *name;

        if ( fdt_getprop_by_offset(fdt, prop, &name, &len) && name )
            same_prop(fdt, node, name);
    }

    same_path(fdt, node, sizeof(path));
    if ( __real_fdt_get_path(fdt, node, path, sizeof(path)) == 0 )
    {
        char *at;

        plen = (int)strlen(path);
        for ( i = 0; i < 3; i++ )
            same_path(fdt, node, plen + (int)i);    /* one short, exact, one over */
        same_path(fdt, node, 1);
        same_path(fdt, node, 2);
        same_path_offset(fdt, path);
        /* Without the last unit address: matches "name@..." as libfdt does. */
        at = strrchr(path, '@');
        if ( at && !strchr(at, '/') )
        {
            *at = '\0';
            same_path_offset(fdt, path);
        }
    }

    compat = __real_fdt_getprop(fdt, node, "compatible", &len);
    if ( compat && len > 0 && memchr(compat, '\0', len) )
        same_compatible(fdt, node, compat);
    same_compatible(fdt, node, "arm,pl011");
    same_compatible(fdt, node, "");
}

void check_dt_index(const void *fdt)
{
    static const char *const paths[] = {
        "/", "//", "/chosen", "/chosen/", "//chosen//", "/cpus/cpu@0", "/cpus/cpu",
        "/no-such-node", "/psci@", "serial0", "serial0/x", "/memory", "/reserved-memory",
    };
    int node, depth = 0, nodes = 0;
    unsigned int i;
    const char *a1, *a2;

    for ( i = 0; i < sizeof(paths) / sizeof(paths[0]); i++ )
        same_path_offset(fdt, paths[i]);
    CHECK(fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", 7) ==
          __real_fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", 7),
          "the first memory node");
    a1 = fdt_get_alias_namelen(fdt, "serial0", 7);
    a2 = __real_fdt_get_alias_namelen(fdt, "serial0", 7);
    CHECK(a1 == a2, "alias serial0: %p, libfdt %p", (const void *)a1, (const void *)a2);

    for ( node = fdt_next_node(fdt, -1, &depth); node >= 0 && depth >= 0;
          node = fdt_next_node(fdt, node, &depth) )
    {
        check_node(fdt, node);
        nodes++;
    }
    /* Offsets that are not nodes: libfdt's errors. */
    for ( i = 0; i < 4; i++ )
    {
        int off = (int)i * 4 + 1;
        int l1 = 0, l2 = 0;

        CHECK(fdt_getprop(fdt, off, "reg", &l1) == __real_fdt_getprop(fdt, off, "reg", &l2) &&
              l1 == l2, "getprop at offset %d: %d, libfdt %d", off, l1, l2);
        CHECK(fdt_parent_offset(fdt, off) == __real_fdt_parent_offset(fdt, off),
              "parent at offset %d", off);
    }
    (void)nodes;
}

bool dt_index_present(const void *fdt)
{
    int rc;

    return dt_index_walk(fdt, NULL, NULL, &rc);
}
