/* SPDX-License-Identifier: MIT */
/*
 * tests/bench/serial-insns.c: a QEMU TCG plugin for ./hypcore bench that
 * says how many guest instructions had run when each byte left the PL011.
 *
 * It counts every instruction executed (one vCPU: run it with -smp 1) and,
 * at each guest store to the UART's data register (a physical address given
 * as uart=0x...), writes that count as one decimal line to out=FILE.  Byte N
 * of the serial output is the N-th such store, so a line of the serial log
 * is matched to the instructions executed before it, whoever printed it: the
 * hypervisor, or dom0 through the hypervisor's console hypercall, or dom0 on
 * a passed-through UART.  This is an observer outside both hypervisors: the
 * same measure for hypcore and for Xen (whose console_timestamps do not
 * stamp dom0's output).
 *
 * The count is per translation block, added when the block starts, so a
 * store's count includes the rest of its block (a few instructions at most).
 *
 * QEMU's plugin API (docs/devel/tcg-plugins.rst, version 1 in QEMU 7.2) is a
 * C ABI; Debian does not ship its header, so the few declarations used are
 * written here from that documentation.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the plugin API subset (QEMU 7.2, QEMU_PLUGIN_VERSION 1) ---- */
typedef uint64_t qemu_plugin_id_t;
typedef uint32_t qemu_plugin_meminfo_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
struct qemu_plugin_hwaddr;
struct qemu_info_t_opaque;

enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS = 0 };
enum qemu_plugin_mem_rw { QEMU_PLUGIN_MEM_R = 1, QEMU_PLUGIN_MEM_W = 2 };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 = 0 };

typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_mem_cb_t)(unsigned int vcpu_index, qemu_plugin_meminfo_t info,
                                          uint64_t vaddr, void *userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op,
                                              void *ptr, uint64_t imm);
void qemu_plugin_register_vcpu_mem_cb(struct qemu_plugin_insn *insn, qemu_plugin_vcpu_mem_cb_t cb,
                                      enum qemu_plugin_cb_flags flags,
                                      enum qemu_plugin_mem_rw rw, void *userdata);
struct qemu_plugin_hwaddr *qemu_plugin_get_hwaddr(qemu_plugin_meminfo_t info, uint64_t vaddr);
bool qemu_plugin_hwaddr_is_io(const struct qemu_plugin_hwaddr *haddr);
uint64_t qemu_plugin_hwaddr_phys_addr(const struct qemu_plugin_hwaddr *haddr);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb,
                                    void *userdata);

#define EXPORT __attribute__((visibility("default")))
EXPORT int qemu_plugin_version = 1;
/* ---- end of the API subset ---- */

static uint64_t insns;          /* instructions executed so far (one vCPU) */
static uint64_t uart_dr;        /* physical address of the PL011 data register */
static FILE *out;

static void on_store(unsigned int vcpu, qemu_plugin_meminfo_t info, uint64_t vaddr, void *u)
{
    struct qemu_plugin_hwaddr *hw = qemu_plugin_get_hwaddr(info, vaddr);

    (void)vcpu;
    (void)u;
    if ( hw && qemu_plugin_hwaddr_is_io(hw) && qemu_plugin_hwaddr_phys_addr(hw) == uart_dr )
        fprintf(out, "%" PRIu64 "\n", insns);
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    size_t n = qemu_plugin_tb_n_insns(tb);

    (void)id;
    qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &insns, n);
    for ( size_t i = 0; i < n; i++ )
        qemu_plugin_register_vcpu_mem_cb(qemu_plugin_tb_get_insn(tb, i), on_store,
                                         QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_MEM_W, NULL);
}

static void on_qemu_exit(qemu_plugin_id_t id, void *u)
{
    (void)id;
    (void)u;
    fclose(out);
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const struct qemu_info_t_opaque *info,
                               int argc, char **argv);
EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const struct qemu_info_t_opaque *info,
                               int argc, char **argv)
{
    const char *path = NULL;

    (void)info;
    for ( int i = 0; i < argc; i++ )
    {
        if ( !strncmp(argv[i], "out=", 4) )
            path = argv[i] + 4;
        else if ( !strncmp(argv[i], "uart=", 5) )
            uart_dr = strtoull(argv[i] + 5, NULL, 0);
    }
    if ( !path || !uart_dr )
    {
        fprintf(stderr, "serial-insns: needs out=FILE and uart=ADDR\n");
        return -1;
    }
    out = fopen(path, "w");
    if ( !out )
    {
        perror(path);
        return -1;
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
    qemu_plugin_register_atexit_cb(id, on_qemu_exit, NULL);
    return 0;
}
