/* SPDX-License-Identifier: MIT */
/*
 * xen-like/vpsci.c: PSCI 1.1 and SMCCC 1.1 as dom0 sees them, over HVC #0 or
 * a trapped SMC, answering what Xen 4.17 answers (xen/arch/arm/vpsci.c,
 * vsmc.c) except for SMCCC_ARCH_FEATURES (arch_features): the version, MIGRATE_INFO_TYPE = 2 (no trusted OS to migrate),
 * FEATURES for the functions implemented, CPU_ON / CPU_OFF / AFFINITY_INFO
 * on the vcpus, SYSTEM_OFF / SYSTEM_RESET carried out on the machine.
 */
#include <console.h>
#include <cpu.h>
#include <gic.h>
#include <lib.h>
#include <printk.h>
#include <psci.h>
#include <vcpu.h>

#define PSCI_FN_VERSION             0x84000000U
#define PSCI_FN32_CPU_SUSPEND       0x84000001U
#define PSCI_FN64_CPU_SUSPEND       0xc4000001U
#define PSCI_FN_CPU_OFF             0x84000002U
#define PSCI_FN32_CPU_ON            0x84000003U
#define PSCI_FN64_CPU_ON            0xc4000003U
#define PSCI_FN32_AFFINITY_INFO     0x84000004U
#define PSCI_FN64_AFFINITY_INFO     0xc4000004U
#define PSCI_FN_MIGRATE_INFO_TYPE   0x84000006U
#define PSCI_FN_SYSTEM_OFF          0x84000008U
#define PSCI_FN_SYSTEM_RESET        0x84000009U
#define PSCI_FN_FEATURES            0x8400000aU
#define SMCCC_FN_VERSION            0x80000000U
#define SMCCC_FN_ARCH_FEATURES      0x80000001U
#define SMCCC_FN_ARCH_WORKAROUND_1  0x80008000U     /* Spectre v2 (CVE-2017-5715) */
#define SMCCC_FN_ARCH_WORKAROUND_2  0x80007fffU     /* Spectre v4 (CVE-2018-3639) */
#define SMCCC_FN_ARCH_WORKAROUND_3  0x80003fffU     /* Spectre-BHB (CVE-2022-23960) */

#define PSCI_VERSION_1_1            0x10001
#define SMCCC_VERSION_1_1           0x10001
#define SMCCC_NOT_SUPPORTED         (-1)
/* MIGRATE_INFO_TYPE: a trusted OS not present or not needing migration. */
#define PSCI_TOS_NOT_PRESENT_MP     2
#define PSCI_AFFINITY_ON            0
#define PSCI_AFFINITY_OFF           1
/* MPIDR affinity fields Aff3..Aff0 (bits 39:32, 23:0). */
#define MPIDR_AFF_MASK              0xff00ffffffULL

static struct vcpu *vcpu_by_mpidr(u64 mpidr)
{
    unsigned int i;

    for ( i = 0; i < dom0->nr_vcpus; i++ )
        if ( dom0->vcpu[i].state != VCPU_ABSENT &&
             dom0->vcpu[i].mpidr == (mpidr & MPIDR_AFF_MASK) )
            return &dom0->vcpu[i];
    return NULL;
}

static long cpu_on(u64 target, u64 entry, u64 context)
{
    struct vcpu *v = vcpu_by_mpidr(target);

    if ( !v )
        return PSCI_INVALID_PARAMETERS;
    if ( v->state != VCPU_OFF )
        return PSCI_ALREADY_ON;
    v->entry = entry;
    v->context = context;
    /* Entry and context are visible before the state that publishes them. */
    dsb(ish);
    v->state = VCPU_STARTING;
    dsb(ish);
    asm volatile ( "sev" );     /* wake the CPU from its WFE (smp.c idle loop, no GIC) */
    gic_wake((unsigned int)(v - dom0->vcpu));   /* or from its WFI: vcpu n runs on CPU n */
    return PSCI_SUCCESS;
}

/* Xen: ON when any vcpu in the affinity group at that level is up. */
static long affinity_info(u64 target, u64 level)
{
    static const u64 level_mask[] = {
        MPIDR_AFF_MASK, MPIDR_AFF_MASK & ~0xffULL,
        MPIDR_AFF_MASK & ~0xffffULL, MPIDR_AFF_MASK & ~0xffffffULL,
    };
    unsigned int i;

    if ( level >= 3 )
        return PSCI_INVALID_PARAMETERS;
    for ( i = 0; i < dom0->nr_vcpus; i++ )
    {
        const struct vcpu *v = &dom0->vcpu[i];

        if ( (v->mpidr & level_mask[level]) == (target & level_mask[level]) &&
             (v->state == VCPU_ON || v->state == VCPU_STARTING) )
            return PSCI_AFFINITY_ON;
    }
    return PSCI_AFFINITY_OFF;
}

static long features(u32 fid)
{
    switch ( fid )
    {
    case PSCI_FN_VERSION:
    case PSCI_FN32_CPU_SUSPEND:
    case PSCI_FN_CPU_OFF:
    case PSCI_FN32_CPU_ON:
    case PSCI_FN32_AFFINITY_INFO:
    case PSCI_FN_MIGRATE_INFO_TYPE:
    case PSCI_FN_SYSTEM_OFF:
    case PSCI_FN_SYSTEM_RESET:
    case PSCI_FN_FEATURES:
    case PSCI_FN64_CPU_SUSPEND:
    case PSCI_FN64_CPU_ON:
    case PSCI_FN64_AFFINITY_INFO:
    case SMCCC_FN_VERSION:
        return PSCI_SUCCESS;
    default:
        return PSCI_NOT_SUPPORTED;
    }
}

/*
 * SMCCC_ARCH_FEATURES (SMCCC 1.1): which Arm architectural workarounds dom0
 * may call on hypcore.  A deliberate answer, not Xen 4.17's: none.
 *
 * ARCH_WORKAROUND_1 (branch predictor invalidation), _2 (turning SSBD on and
 * off) and _3 (branch history clearing) promise that the call performs the
 * CPU-specific mitigation and that the hypervisor keeps it on its own entry
 * and exit paths.  hypcore does neither: its trap entry invalidates no
 * predictor and clears no history, and on QEMU virt there is no firmware to
 * forward a call to (QEMU's built-in PSCI answers no SMCCC 1.1 call: Xen 4.17
 * there says "Using SMC Calling Convention v1.0" and "No support for
 * ARM_SMCCC_ARCH_WORKAROUND_1").  So every query answers NOT_SUPPORTED, and Linux on a CPU it knows
 * to be affected (cortex-a57: "Spectre-v2", "Spectre-v4") reports
 * spectre_v2 and spec_store_bypass "Vulnerable" -- which is the truth for
 * this hypervisor on real hardware.  (TCG does not speculate, so under QEMU
 * the answer changes what is reported, not what is exposed.)
 *
 * Xen 4.17 on the same machine answers SUCCESS to _1 and _2, as Linux's
 * report under it shows ("Mitigation: Branch predictor hardening, BHB",
 * "Speculative Store Bypass disabled via prctl"), while warning at boot that
 * the firmware has no ARM_SMCCC_ARCH_WORKAROUND_1.  Any other function ID
 * (SMCCC_VERSION, SOC_ID, PV time...) is NOT_SUPPORTED, as under Xen.
 */
static long arch_features(u32 fid)
{
    switch ( fid )
    {
    case SMCCC_FN_ARCH_WORKAROUND_1:
    case SMCCC_FN_ARCH_WORKAROUND_2:
    case SMCCC_FN_ARCH_WORKAROUND_3:
    default:
        return SMCCC_NOT_SUPPORTED;
    }
}

static void __noreturn machine_off(const char *what)
{
    printk("dom0: %s requested\n", what);
    console_flush();
    psci_system_off();
    panic("dom0 asked for %s and PSCI SYSTEM_OFF returned", what);
}

void do_guest_psci(struct cpu_user_regs *regs)
{
    u32 fid = (u32)guest_reg(regs, 0);
    u64 a1 = guest_reg(regs, 1), a2 = guest_reg(regs, 2), a3 = guest_reg(regs, 3);
    long ret;

    /* SMC32/HVC32 functions take 32-bit arguments (SMCCC 2.x "Argument passing"). */
    if ( !(fid & 0x40000000U) )
    {
        a1 = (u32)a1;
        a2 = (u32)a2;
        a3 = (u32)a3;
    }
    switch ( fid )
    {
    case PSCI_FN_VERSION:
        ret = PSCI_VERSION_1_1;
        break;
    case SMCCC_FN_VERSION:
        ret = SMCCC_VERSION_1_1;
        break;
    case SMCCC_FN_ARCH_FEATURES:
        ret = arch_features((u32)a1);
        break;
    case SMCCC_FN_ARCH_WORKAROUND_1:
    case SMCCC_FN_ARCH_WORKAROUND_2:
    case SMCCC_FN_ARCH_WORKAROUND_3:
        /* Not offered (arch_features): nothing is done, and x0 says so. */
        ret = SMCCC_NOT_SUPPORTED;
        break;
    case PSCI_FN_FEATURES:
        ret = features((u32)a1);
        break;
    case PSCI_FN_MIGRATE_INFO_TYPE:
        ret = PSCI_TOS_NOT_PRESENT_MP;
        break;
    case PSCI_FN32_CPU_SUSPEND:
    case PSCI_FN64_CPU_SUSPEND:
        /* Standby until an interrupt (Xen treats power-down requests alike). */
        asm volatile ( "wfi" ::: "memory" );
        ret = PSCI_SUCCESS;
        break;
    case PSCI_FN32_CPU_ON:
    case PSCI_FN64_CPU_ON:
        ret = cpu_on(a1, a2, a3);
        break;
    case PSCI_FN_CPU_OFF:
        vcpu_off();
    case PSCI_FN32_AFFINITY_INFO:
    case PSCI_FN64_AFFINITY_INFO:
        ret = affinity_info(a1, a2);
        break;
    case PSCI_FN_SYSTEM_OFF:
        machine_off("SYSTEM_OFF");
    case PSCI_FN_SYSTEM_RESET:
        machine_off("SYSTEM_RESET");
    default:
        ret = SMCCC_NOT_SUPPORTED;
    }
    guest_reg(regs, 0) = (u64)ret;
}
