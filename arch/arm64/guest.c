/* SPDX-License-Identifier: MIT */
/*
 * arch/arm64/guest.c: running a vcpu at EL1 (include/vcpu.h) and the
 * synchronous exceptions it takes to EL2, one handler per exception class.
 */
#include <arch/processor.h>
#include <arch/sysregs.h>
#include <console.h>
#include <cpu.h>
#include <lib.h>
#include <printk.h>
#include <psci.h>
#include <smp.h>
#include <traps.h>
#include <vcpu.h>

/* entry.S: SP := stack_top, every GPR but x0 zeroed, ERET.  ELR/SPSR set. */
void __noreturn guest_first_entry(u64 x0, vaddr_t stack_top);

#define sysreg_w(reg, v) asm volatile ( "msr " #reg ", %0" :: "r" ((u64)(v)) )
#define sysreg_r(reg) ({ u64 v__; asm volatile ( "mrs %0, " #reg : "=r" (v__) ); v__; })

/* VBAR_EL1 offsets of the synchronous vectors (Arm ARM D1.10.2). */
#define VEC_CUR_SP0             0x000
#define VEC_CUR_SPX             0x200
#define VEC_LOWER_A64           0x400
#define VEC_LOWER_A32           0x600

void arch_vcpu_init(struct vcpu *v, const struct p2m *p2m)
{
    u64 pmcr = sysreg_r(pmcr_el0);

    v->arch.hcr = HCR_EL2_GUEST;
    v->arch.vttbr = p2m->vttbr;
    v->arch.vtcr = p2m->vtcr;
    v->arch.cptr = CPTR_EL2_BOOT;           /* FP/SIMD not trapped, SVE trapped */
    v->arch.mdcr = (pmcr >> PMCR_N_SHIFT) & PMCR_N_MASK;   /* HPMN = N, no traps */
    v->arch.cnthctl = CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN;
    v->arch.sctlr_el1 = SCTLR_EL1_RES1;
}

void arch_vcpu_enter(struct vcpu *v, paddr_t entry, u64 arg0)
{
    u64 pfr0 = sysreg_r(id_aa64pfr0_el1);

    ASSERT(v->id == smp_processor_id());
    sysreg_w(vtcr_el2, v->arch.vtcr);
    sysreg_w(vttbr_el2, v->arch.vttbr);
    sysreg_w(cptr_el2, v->arch.cptr);
    sysreg_w(mdcr_el2, v->arch.mdcr);
    sysreg_w(cnthctl_el2, v->arch.cnthctl);
    sysreg_w(cntvoff_el2, 0);
    /* The guest reads this CPU's own identity. */
    sysreg_w(vpidr_el2, sysreg_r(midr_el1));
    sysreg_w(vmpidr_el2, sysreg_r(mpidr_el1));
    if ( (pfr0 >> ID_AA64PFR0_GIC_SHIFT) & ID_AA64PFR0_GIC_MASK )
    {
        /*
         * GICv3 system registers: EL2 uses them (SRE) and lets EL1 use them
         * (Enable), as Linux's booting.rst asks; no virtual interface
         * (ICH_HCR_EL2 = 0).  S3_4_C12_C9_5 = ICC_SRE_EL2, S3_4_C12_C11_0 =
         * ICH_HCR_EL2 (names older assemblers lack).
         */
        u64 sre = sysreg_r(S3_4_C12_C9_5);

        sysreg_w(S3_4_C12_C9_5, sre | ICC_SRE_EL2_SRE | ICC_SRE_EL2_ENABLE);
        isb();
        sysreg_w(S3_4_C12_C11_0, 0);
    }
    sysreg_w(sctlr_el1, v->arch.sctlr_el1);
    sysreg_w(hcr_el2, v->arch.hcr);
    sysreg_w(elr_el2, entry);
    sysreg_w(spsr_el2, SPSR_EL1H_MASKED);
    /* ERET in guest_first_entry is the context synchronisation these need. */
    guest_first_entry(arg0, this_cpu()->stack_top);
}

void arch_vcpu_enter_kernel(struct vcpu *v, paddr_t entry, paddr_t dtb)
{
    arch_vcpu_enter(v, entry, dtb);     /* booting.rst: x0 = DTB, x1-x3 = 0 */
}

bool arch_guest_va_to_ipa(vaddr_t va, paddr_t *ipa)
{
    u64 saved = sysreg_r(par_el1), par;

    /* AT S12E1R: stage 1 with the guest's EL1 registers, then stage 2. */
    asm volatile ( "at s12e1r, %0" :: "r" (va) );
    isb();          /* PAR_EL1 holds the result (Arm ARM D8.13) */
    par = sysreg_r(par_el1);
    sysreg_w(par_el1, saved);
    if ( par & PAR_F )
        return false;
    *ipa = (par & PAR_PA_MASK) | (va & ~PAGE_MASK);
    return true;
}

/*
 * Enter the guest's own synchronous vector with syndrome @esr, as the CPU
 * would have for an exception taken to EL1: ELR_EL1/SPSR_EL1 get the
 * return state (regs->elr: for a trapped HVC that is past the HVC, as Xen
 * leaves it), and the guest continues at EL1h with DAIF masked.
 */
static void inject_sync(struct cpu_user_regs *regs, u64 esr)
{
    u64 mode = regs->spsr & SPSR_MODE_MASK;
    u64 off;

    if ( regs->spsr & SPSR_AARCH32 )
        off = VEC_LOWER_A32;
    else if ( mode == SPSR_MODE_EL0t )
        off = VEC_LOWER_A64;
    else if ( mode == SPSR_MODE_EL1t )
        off = VEC_CUR_SP0;
    else
        off = VEC_CUR_SPX;
    sysreg_w(esr_el1, esr);
    sysreg_w(elr_el1, regs->elr);
    sysreg_w(spsr_el1, regs->spsr);
    regs->elr = sysreg_r(vbar_el1) + off;
    regs->spsr = SPSR_EL1H_MASKED;
}

static bool from_el0(const struct cpu_user_regs *regs)
{
    return (regs->spsr & SPSR_AARCH32) ||
           (regs->spsr & SPSR_MODE_MASK) == SPSR_MODE_EL0t;
}

/*
 * Inject an abort into EL1 for the access that trapped, with the syndrome
 * Xen 4.17 builds (xen/arch/arm/traps.c, inject_abt64_exception): the
 * class only (data or instruction abort, same EL or lower), IL copied from
 * the trap, ISS 0 -- so no fault status code and no WnR: ESR_EL1 =
 * 0x96000000 for an A64 load or store at EL1.  FAR_EL1 = the faulting VA.
 */
static void inject_abort(struct cpu_user_regs *regs, bool instr)
{
    u64 ec = instr ? (from_el0(regs) ? EC_IABT_LOWER : EC_IABT_CUR)
                   : (from_el0(regs) ? EC_DABT_LOWER : EC_DABT_CUR);

    sysreg_w(far_el1, regs->far);
    inject_sync(regs, (ec << ESR_EC_SHIFT) | (regs->esr & ESR_IL));
}

/*
 * Inject an Undefined Instruction into EL1 for a trapped instruction
 * hypcore does not emulate, as Xen 4.17 does (inject_undef64_exception):
 * EC 0 (unknown reason), IL copied from the trap, ISS 0: ESR_EL1 =
 * 0x02000000 for an A64 instruction.
 */
void arch_inject_undef(struct cpu_user_regs *regs)
{
    inject_sync(regs, (EC_UNKNOWN << ESR_EC_SHIFT) | (regs->esr & ESR_IL));
}

static void __noreturn guest_crash(struct cpu_user_regs *regs, unsigned int ec,
                                   const char *what)
{
    printk("dom0: d0v%u unhandled %s from EL1: EC=0x%02x ESR=0x%08llx ELR=0x%llx FAR=0x%llx\n",
           smp_processor_id(), what, ec, (unsigned long long)regs->esr,
           (unsigned long long)regs->elr, (unsigned long long)regs->far);
    vcpu_crash();
}

static void stage2_abort(struct cpu_user_regs *regs, bool instr)
{
    u64 hpfar = sysreg_r(hpfar_el2);
    paddr_t ipa = ((hpfar & HPFAR_FIPA_MASK) << (PAGE_SHIFT - HPFAR_FIPA_SHIFT)) |
                  (regs->far & ~PAGE_MASK);

    vcpu_report_stage2_fault(ipa, instr ? "exec" : (regs->esr & ESR_DABT_WNR) ? "write" : "read",
                             regs->elr);
    inject_abort(regs, instr);
}

/* entry.S: a synchronous exception from EL1 (AArch64), regs = the guest's. */
void do_guest_sync(struct cpu_user_regs *regs);
void do_guest_sync(struct cpu_user_regs *regs)
{
    unsigned int ec = (regs->esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
    unsigned int imm = regs->esr & ESR_HVC_IMM_MASK;

    switch ( ec )
    {
    case EC_HVC64:              /* ELR is already past the HVC */
        do_guest_hvc(regs, imm);
        break;
    case EC_SMC64:              /* trapped by HCR_EL2.TSC: ELR is at the SMC */
        regs->elr += 4;
        do_guest_psci(regs);
        break;
    case EC_DABT_LOWER:
        stage2_abort(regs, false);
        break;
    case EC_IABT_LOWER:
        stage2_abort(regs, true);
        break;
    default:
        guest_crash(regs, ec, "exception");
    }
}
