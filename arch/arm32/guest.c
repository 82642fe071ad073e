/* SPDX-License-Identifier: MIT */
/*
 * arch/arm32/guest.c: running a vcpu in SVC mode (include/vcpu.h) and the
 * traps it takes to HYP mode (the hyp trap vector, HSR decoded), one
 * handler per exception class, as arch/arm64/guest.c does at EL1/EL2.
 *
 * CP15 register names follow the ARMv7-A Arm ARM (B4.1.x); each access says
 * which register it is.  From HYP mode, the PL1 registers (SCTLR, VBAR,
 * DFSR, ...) are the Non-secure guest's own.
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

/* entry.S: SP := stack_top, r0-r2 as given, r3-r12 and LR zeroed, ERET.  ELR/SPSR set. */
void __noreturn guest_first_entry(u32 r0, u32 r1, u32 r2, vaddr_t stack_top);

#define cp15_w(enc, v)  asm volatile ( "mcr " enc :: "r" ((u32)(v)) )
#define cp15_r(enc)     ({ u32 v__; asm volatile ( "mrc " enc : "=r" (v__) ); v__; })
#define MIDR            "p15, 0, %0, c0, c0, 0"
#define MPIDR           "p15, 0, %0, c0, c0, 5"
#define VPIDR           "p15, 4, %0, c0, c0, 0"
#define VMPIDR          "p15, 4, %0, c0, c0, 5"
#define SCTLR           "p15, 0, %0, c1, c0, 0"
#define HCR             "p15, 4, %0, c1, c1, 0"
#define HDCR            "p15, 4, %0, c1, c1, 1"
#define HCPTR           "p15, 4, %0, c1, c1, 2"
#define VTCR            "p15, 4, %0, c2, c1, 2"
#define TTBCR           "p15, 0, %0, c2, c0, 2"
#define DFSR            "p15, 0, %0, c5, c0, 0"
#define IFSR            "p15, 0, %0, c5, c0, 1"
#define DFAR            "p15, 0, %0, c6, c0, 0"
#define IFAR            "p15, 0, %0, c6, c0, 2"
#define HPFAR           "p15, 4, %0, c6, c0, 4"
#define ATS12NSOPR      "p15, 0, %0, c7, c8, 4"
#define PMCR            "p15, 0, %0, c9, c12, 0"
#define VBAR            "p15, 0, %0, c12, c0, 0"
#define CNTHCTL         "p15, 4, %0, c14, c1, 0"


void arch_vcpu_init(struct vcpu *v, const struct p2m *p2m)
{
    u32 pmcr = cp15_r(PMCR);

    v->arch.hcr = HCR_GUEST;
    v->arch.vttbr = p2m->vttbr;
    v->arch.vtcr = (u32)p2m->vtcr;
    v->arch.hcptr = HCPTR_BOOT;             /* VFP/Neon not trapped */
    v->arch.hdcr = (pmcr >> PMCR_N_SHIFT) & PMCR_N_MASK;   /* HPMN = N, no traps */
    v->arch.cnthctl = CNTHCTL_PL1PCTEN | CNTHCTL_PL1PCEN;
    v->arch.sctlr = SCTLR_GUEST_RESET;
}

/* Program HYP mode from v->arch and enter SVC at entry with r0-r2. */
static void __noreturn enter(struct vcpu *v, paddr_t entry, u32 r0, u32 r1, u32 r2)
{
    u32 spsr = PSR_GUEST_ENTRY | ((entry & 1) ? PSR_T : 0);
    u32 elr = (u32)entry & ~1U;

    ASSERT(v->id == smp_processor_id());
    ASSERT(entry >> 32 == 0);           /* SVC mode with the MMU off reaches 4 GiB */
    cp15_w(VTCR, v->arch.vtcr);
    asm volatile ( "mcrr p15, 6, %Q0, %R0, c2" :: "r" (v->arch.vttbr) );  /* VTTBR */
    cp15_w(HCPTR, v->arch.hcptr);
    cp15_w(HDCR, v->arch.hdcr);
    cp15_w(CNTHCTL, v->arch.cnthctl);
    asm volatile ( "mcrr p15, 4, %Q0, %R0, c14" :: "r" (0ULL) );          /* CNTVOFF */
    /* The guest reads this CPU's own identity. */
    cp15_w(VPIDR, cp15_r(MIDR));
    cp15_w(VMPIDR, cp15_r(MPIDR));
    cp15_w(SCTLR, v->arch.sctlr);
    cp15_w(HCR, v->arch.hcr);
    asm volatile ( "msr ELR_hyp, %0" :: "r" (elr) );
    /* SPSR_hyp: the plain form (the banked "SPSR_hyp" is UNDEFINED in HYP mode). */
    asm volatile ( "msr spsr_cxsf, %0" :: "r" (spsr) );
    /* ERET in guest_first_entry is the context synchronisation these need (B5.3). */
    guest_first_entry(r0, r1, r2, this_cpu()->stack_top);
}

void arch_vcpu_enter(struct vcpu *v, paddr_t entry, u64 arg0)
{
    enter(v, entry, (u32)arg0, 0, 0);
}

void arch_vcpu_enter_kernel(struct vcpu *v, paddr_t entry, paddr_t dtb)
{
    ASSERT(dtb >> 32 == 0);
    enter(v, entry, 0, ~0U, (u32)dtb);
}

bool arch_guest_va_to_ipa(vaddr_t va, paddr_t *ipa)
{
    u64 saved, par;

    asm volatile ( "mrrc p15, 0, %Q0, %R0, c7" : "=r" (saved) );         /* PAR */
    /* ATS12NSOPR: stage 1 with the guest's PL1 registers, then stage 2. */
    cp15_w(ATS12NSOPR, va);
    isb();          /* PAR holds the result (B4.2.6 "Performing address translation operations") */
    asm volatile ( "mrrc p15, 0, %Q0, %R0, c7" : "=r" (par) );
    asm volatile ( "mcrr p15, 0, %Q0, %R0, c7" :: "r" (saved) );
    if ( par & PAR_F )
        return false;
    /* Stage 2 on: the 64-bit format; the short one kept for a 32-bit answer. */
    par &= (par & PAR_LPAE) ? PAR_PA_MASK_LPAE : PAR_PA_MASK_SHORT;
    *ipa = par | (va & ~PAGE_MASK);
    return true;
}

/*
 * Take an exception into the guest's PL1 mode @mode as the CPU would
 * (B1.9.1-B1.9.3, TakeUndefInstrException / TakeDataAbortException):
 * SPSR_<mode> := the interrupted CPSR, LR_<mode> := @lr; CPSR := @mode with
 * I set (and A for Abort), F kept, IT and J cleared, T from SCTLR.TE, E
 * from SCTLR.EE; continue at VBAR + @vector, or 0xffff0000 + @vector when
 * SCTLR.V selects the high vectors.  The banked SPSR/LR are written here
 * (HYP mode reaches them with MSR banked); the new CPSR and PC go to
 * SPSR_hyp/ELR_hyp through regs, for the ERET.
 */
static void take_exception(struct cpu_user_regs *regs, u32 mode, u32 vector, u32 lr)
{
    u32 sctlr = cp15_r(SCTLR);
    u32 base = (sctlr & SCTLR_V) ? HIGH_VECTORS : cp15_r(VBAR);
    u32 cpsr = regs->spsr;

    if ( mode == PSR_MODE_ABT )
    {
        asm volatile ( "msr SPSR_abt, %0" :: "r" (cpsr) );
        asm volatile ( "msr LR_abt, %0" :: "r" (lr) );
    }
    else
    {
        ASSERT(mode == PSR_MODE_UND);
        asm volatile ( "msr SPSR_und, %0" :: "r" (cpsr) );
        asm volatile ( "msr LR_und, %0" :: "r" (lr) );
    }
    cpsr &= ~(PSR_MODE_MASK | PSR_IT_MASK | PSR_J | PSR_T | PSR_E);
    cpsr |= mode | PSR_I | (mode == PSR_MODE_ABT ? PSR_A : 0);
    if ( sctlr & SCTLR_TE )
        cpsr |= PSR_T;
    if ( sctlr & SCTLR_EE )
        cpsr |= PSR_E;
    regs->spsr = cpsr;
    regs->elr = base + vector;
}

/*
 * Inject an abort into the guest for the access that trapped, as Xen 4.17
 * does for a 32-bit guest (xen/arch/arm/traps.c, inject_abt32_exception):
 * Abort mode with A and I masked, SPSR_abt = the interrupted CPSR, the
 * fault status "debug event" (Xen: "best we can do"), DFAR/IFAR = the
 * faulting address, continue at the guest's abort vector.  One difference:
 * LR_abt is the architecture's (B1.8.3: the faulting instruction + 8 for a
 * data abort, + 4 for a prefetch abort), where Xen 4.17 leaves it at the
 * faulting instruction; a handler that backs up by 8 or 4 (Linux's) finds
 * the instruction that faulted.
 */
static void inject_abort(struct cpu_user_regs *regs, bool instr)
{
    u32 fsr = (cp15_r(TTBCR) & TTBCR_EAE) ? FSR_LPAE | FSR_LONG_DEBUG : FSR_SHORT_DEBUG;

    if ( instr )
    {
        cp15_w(IFAR, regs->ifar);
        cp15_w(IFSR, fsr);
    }
    else
    {
        cp15_w(DFAR, regs->far);
        cp15_w(DFSR, fsr);
    }
    take_exception(regs, PSR_MODE_ABT, instr ? VECTOR_PABT : VECTOR_DABT,
                   regs->elr + (instr ? LR_OFFSET_PABT : LR_OFFSET_DABT));
}

/*
 * Inject an Undefined Instruction exception for a trapped HVC that is no
 * call hypcore answers, as Xen 4.17 does (do_trap_hypercall, then
 * inject_undef32_exception): Undefined mode, I masked, SPSR_und = the
 * interrupted CPSR, the undefined-instruction vector.  ELR_hyp is past the
 * HVC (its preferred return address, B1.8.3; HVC is 4 bytes in A32 and in
 * T32).  LR_und is the architecture's (TakeUndefInstrException: the
 * instruction + 4 in ARM state, + 2 in Thumb state), so a handler that
 * backs up by 4 (or 2) finds the HVC; Xen 4.17 adds 4 (2) to ELR instead,
 * one instruction further -- the same choice as for LR_abt above.
 */
void arch_inject_undef(struct cpu_user_regs *regs)
{
    u32 hvc = regs->elr - 4;

    take_exception(regs, PSR_MODE_UND, VECTOR_UND,
                   hvc + ((regs->spsr & PSR_T) ? LR_OFFSET_UND_T32 : LR_OFFSET_UND_A32));
}

static void __noreturn guest_crash(struct cpu_user_regs *regs, unsigned int ec,
                                   const char *what)
{
    printk("dom0: d0v%u unhandled %s from SVC/USR: EC=0x%02x HSR=0x%08x ELR=0x%x "
           "HDFAR=0x%x\n", smp_processor_id(), what, ec, regs->esr, regs->elr, regs->far);
    vcpu_crash();
}

static void stage2_abort(struct cpu_user_regs *regs, bool instr)
{
    u32 hpfar = cp15_r(HPFAR);
    u32 va = instr ? regs->ifar : regs->far;
    paddr_t ipa = ((paddr_t)(hpfar & HPFAR_FIPA_MASK) << HPFAR_FIPA_LSHIFT) |
                  (va & ~PAGE_MASK);

    vcpu_report_stage2_fault(ipa, instr ? "exec" : (regs->esr & ESR_DABT_WNR) ? "write" : "read",
                             regs->elr);
    inject_abort(regs, instr);
}

/* entry.S: a trap from the guest (hyp trap vector), regs = the guest's. */
void do_guest_sync(struct cpu_user_regs *regs);
void do_guest_sync(struct cpu_user_regs *regs)
{
    unsigned int ec = (regs->esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
    unsigned int imm = regs->esr & ESR_HVC_IMM_MASK;

    switch ( ec )
    {
    case EC_HVC:                /* ELR_hyp is already past the HVC */
        do_guest_hvc(regs, imm);
        break;
    case EC_SMC:                /* trapped by HCR.TSC: ELR_hyp is at the SMC */
        regs->elr += (regs->esr & ESR_IL) ? 4 : 2;
        do_guest_psci(regs);
        break;
    case EC_DABT_GUEST:
        stage2_abort(regs, false);
        break;
    case EC_IABT_GUEST:
        stage2_abort(regs, true);
        break;
    default:
        guest_crash(regs, ec, "exception");
    }
}
