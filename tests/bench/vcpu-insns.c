/* SPDX-License-Identifier: MIT */
/*
 * tests/bench/vcpu-insns.c: a QEMU TCG plugin that says how many guest
 * instructions each vCPU executed, for the test that idle CPUs sleep
 * (scripts/hypcore_lib/idlesuite.py).  At exit it writes one line per vCPU
 * that ran anything, "vcpu<N> <instructions>", to out=FILE.
 *
 * A vCPU waiting in WFI executes nothing until an interrupt; one waiting in
 * WFE under TCG keeps executing (QEMU implements WFE as a yield), so its
 * count grows with the time it waits.  Counted per translation block, when
 * the block starts (a block cut short by an exception counts in full).
 *
 * QEMU's plugin API (docs/devel/tcg-plugins.rst, version 1 in QEMU 7.2);
 * Debian ships no header, so the declarations used are written here.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ---- the plugin API subset (QEMU 7.2, QEMU_PLUGIN_VERSION 1) ---- */
typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_info_t_opaque;

enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS = 0 };

typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb, qemu_plugin_vcpu_udata_cb_t cb,
                                          enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb,
                                    void *userdata);

#define EXPORT __attribute__((visibility("default")))
EXPORT int qemu_plugin_version = 1;
/* ---- end of the API subset ---- */

#define MAX_VCPUS 512

/* Each vCPU thread adds to its own counter only: no sharing, no atomics. */
static uint64_t insns[MAX_VCPUS];
static uint64_t beyond;         /* vCPUs past MAX_VCPUS, together */
static char path[4096];

static void on_exec(unsigned int vcpu, void *n)
{
    if ( vcpu < MAX_VCPUS )
        insns[vcpu] += (uintptr_t)n;
    else
        __atomic_fetch_add(&beyond, (uintptr_t)n, __ATOMIC_RELAXED);
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    qemu_plugin_register_vcpu_tb_exec_cb(tb, on_exec, QEMU_PLUGIN_CB_NO_REGS,
                                         (void *)(uintptr_t)qemu_plugin_tb_n_insns(tb));
}

static void on_qemu_exit(qemu_plugin_id_t id, void *u)
{
    FILE *out = fopen(path, "w");

    (void)id;
    (void)u;
    if ( !out )
    {
        perror(path);
        return;
    }
    for ( unsigned int i = 0; i < MAX_VCPUS; i++ )
        if ( insns[i] )
            fprintf(out, "vcpu%u %" PRIu64 "\n", i, insns[i]);
    if ( beyond )
        fprintf(out, "beyond %" PRIu64 "\n", beyond);
    fclose(out);
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const struct qemu_info_t_opaque *info,
                               int argc, char **argv);
EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const struct qemu_info_t_opaque *info,
                               int argc, char **argv)
{
    (void)info;
    for ( int i = 0; i < argc; i++ )
        if ( !strncmp(argv[i], "out=", 4) && strlen(argv[i] + 4) < sizeof(path) )
            strcpy(path, argv[i] + 4);
    if ( !path[0] )
    {
        fprintf(stderr, "vcpu-insns: needs out=FILE\n");
        return -1;
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
    qemu_plugin_register_atexit_cb(id, on_qemu_exit, NULL);
    return 0;
}
