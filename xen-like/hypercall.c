/* SPDX-License-Identifier: MIT */
/*
 * xen-like/hypercall.c: the Xen hypercalls dom0 may make (HVC #0xEA1, number
 * in x16), of which hypcore answers one: console_io (Xen's
 * xen/drivers/char/console.c do_console_io).  Any other number returns
 * -ENOSYS, as Xen does.
 */
#include <console.h>
#include <lib.h>
#include <percpu_mm.h>
#include <printk.h>
#include <string.h>
#include <vcpu.h>

/* Xen's hypercall tag: HVC #0xEA1 (xen/include/public/arch-arm.h); PSCI uses HVC #0. */
#define XEN_HYPERCALL_TAG       0xea1
#define SMCCC_HVC_IMM           0
#define HYPERVISOR_console_io   18
#define CONSOLEIO_write         0
#define CONSOLEIO_read          1
#define XEN_EFAULT              14
#define XEN_ENOSYS              38
/* Bytes copied to the console at a time. */
#define CONSOLE_CHUNK           128
#define GUEST_PAGE              4096UL
/* Window slot for reading the guest's pages. */
#define HC_W_GUEST              4

/* Is [pa, pa + len) dom0 RAM (not MMIO, not hypcore's)? */
bool dom0_ram_contains(paddr_t pa, u64 len);

/* Write count bytes at guest VA va to the console, raw; 0 or -EFAULT. */
static long console_write_guest(vaddr_t va, u64 count)
{
    char buf[CONSOLE_CHUNK];
    long ret = 0;

    console_guest_begin();      /* one hypercall's bytes stay together */
    while ( count )
    {
        u64 n = MIN(count, MIN((u64)CONSOLE_CHUNK, GUEST_PAGE - (va & (GUEST_PAGE - 1))));
        paddr_t ipa;
        const char *p;

        /* dom0 is mapped 1:1: the IPA is the host address. */
        if ( !arch_guest_va_to_ipa(va, &ipa) || !dom0_ram_contains(ipa, n) )
        {
            ret = -XEN_EFAULT;
            break;
        }
        p = window_map(HC_W_GUEST, ipa & ~(GUEST_PAGE - 1));
        memcpy(buf, p + (ipa & (GUEST_PAGE - 1)), n);
        window_unmap(HC_W_GUEST);
        console_write(buf, n);
        va += n;
        count -= n;
    }
    console_guest_end();
    return ret;
}

void do_guest_hypercall(struct cpu_user_regs *regs)
{
    long ret;

    if ( GUEST_HYPERCALL_NR(regs) != HYPERVISOR_console_io )
        ret = -XEN_ENOSYS;
    else if ( guest_reg(regs, 0) == CONSOLEIO_write )
        ret = console_write_guest(guest_reg(regs, 2), guest_reg(regs, 1));
    else if ( guest_reg(regs, 0) == CONSOLEIO_read )
        ret = 0;        /* no input for dom0 yet */
    else
        ret = -XEN_ENOSYS;
    guest_reg(regs, 0) = (u64)ret;
}

void do_guest_hvc(struct cpu_user_regs *regs, unsigned int imm)
{
    if ( imm == XEN_HYPERCALL_TAG )
        do_guest_hypercall(regs);
    else if ( imm == SMCCC_HVC_IMM )
        do_guest_psci(regs);
    else
    {
        /* Xen 4.17's do_trap_hypercall: warn, then an UNDEF for the guest. */
        printk("dom0: d0v%u HVC #0x%x is no hypercall: undefined instruction injected\n",
               smp_processor_id(), imm);
        arch_inject_undef(regs);
    }
}
