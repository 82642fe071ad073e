/* SPDX-License-Identifier: MIT */
/*
 * Virtual CPUs of dom0: one per physical CPU that came online, pinned to it
 * (vcpu N runs only on cpu N).  What the hypervisor traps and how it enters
 * the guest is per vcpu (struct vcpu_arch), so a vGIC can later add its own
 * state there.
 *
 * A vcpu's life (state):
 *   VCPU_OFF       its CPU waits in hypcore (smp.c idle loop, the mailbox)
 *   VCPU_STARTING  PSCI CPU_ON wrote entry/context: the CPU picks them up
 *   VCPU_ON        running dom0 code (or handling its trap)
 * CPU_OFF takes a vcpu from ON back to OFF on its own CPU.
 */
#ifndef HYPCORE_VCPU_H
#define HYPCORE_VCPU_H

#include <arch/regs.h>
#include <arch/vcpu.h>
#include <p2m.h>
#include <smp.h>
#include <types.h>

enum vcpu_state { VCPU_ABSENT, VCPU_OFF, VCPU_STARTING, VCPU_ON };

struct vcpu {
    unsigned int id;            /* = the physical CPU it runs on */
    u64 mpidr;                  /* what the guest reads (VMPIDR), affinity bits only */
    volatile u32 state;         /* enum vcpu_state */
    u64 entry;                  /* the mailbox: CPU_ON's entry point and context id */
    u64 context;
    struct vcpu_arch arch;
};

struct domain {
    unsigned int id;
    struct p2m p2m;
    unsigned int nr_vcpus;      /* vcpu[0 .. nr_vcpus) exist (some may be ABSENT) */
    struct vcpu vcpu[NR_CPUS];
};

/* dom0, once built (xen-like/dom0_build.c); NULL before and without one. */
extern struct domain *dom0;

/*
 * arch_vcpu_init: fill v->arch with the trap and entry state a guest vcpu
 * runs with on this CPU type (HCR, stage 2 from @p2m, debug/trap controls).
 * Boot CPU, before any vcpu runs.
 */
void arch_vcpu_init(struct vcpu *v, const struct p2m *p2m);

/*
 * arch_vcpu_enter: on v's own CPU, program EL2 from v->arch and enter the
 * guest at @entry (guest physical, MMU off) at EL1h with every exception
 * masked (arm32: SVC mode, Thumb when bit 0 of @entry is set), first
 * argument register = @arg0, the others 0 (PSCI CPU_ON's contract).  The CPU's stack
 * is reset: nothing on it survives.
 */
void __noreturn arch_vcpu_enter(struct vcpu *v, paddr_t entry, u64 arg0);

/*
 * arch_vcpu_enter_kernel: arch_vcpu_enter() for the boot vcpu at a Linux
 * kernel's entry, with the registers the architecture's boot protocol asks
 * for: arm64 x0 = @dtb (Documentation/arch/arm64/booting.rst); arm32
 * r0 = 0, r1 = ~0 (no machine type: the DTB describes the machine, as Xen
 * passes it), r2 = @dtb (Documentation/arch/arm/booting.rst), in SVC mode.
 */
void __noreturn arch_vcpu_enter_kernel(struct vcpu *v, paddr_t entry, paddr_t dtb);

/*
 * arch_guest_va_to_ipa: translate a guest virtual address for a read, as
 * the guest's current stage 1 and its stage 2 would (the guest's EL1
 * translation registers are live on this CPU).  False on a fault.  Keeps
 * the guest's own PAR_EL1.
 */
bool arch_guest_va_to_ipa(vaddr_t va, paddr_t *ipa);

/* The running CPU's vcpu (dom0 must exist). */
struct vcpu *current_vcpu(void);

/* smp.c idle loop: start this CPU's vcpu if PSCI CPU_ON asked for it. */
void vcpu_check_mailbox(unsigned int cpu);

/* CPU_OFF: this CPU's vcpu goes back to waiting in hypcore.  Never returns. */
void __noreturn vcpu_off(void);

/*
 * Guest trap handlers the arch code calls (xen-like/): each returns with
 * the result in the guest's registers (regs), or not at all.
 */
void do_guest_hypercall(struct cpu_user_regs *regs);   /* HVC #XEN_HYPERCALL_TAG */
void do_guest_psci(struct cpu_user_regs *regs);        /* SMCCC over HVC #0 / SMC */

/*
 * do_guest_hvc (xen-like/hypercall.c): an HVC from the guest with
 * immediate @imm, ELR already past it: Xen's hypercall tag (0xEA1) or PSCI
 * (0).  Any other immediate gets one line and an undefined-instruction
 * exception in the guest, as Xen 4.17 does (arch_inject_undef()).
 */
void do_guest_hvc(struct cpu_user_regs *regs, unsigned int imm);

/* arch/<arch>/guest.c: take an undefined-instruction exception in the guest. */
void arch_inject_undef(struct cpu_user_regs *regs);

/* The one line a stage-2 fault prints (@access: "read", "write", "exec"). */
void vcpu_report_stage2_fault(paddr_t ipa, const char *access, u64 elr);

/* "dom0: crashed" after the caller's line saying why; the machine powers off. */
void __noreturn vcpu_crash(void);

#endif
