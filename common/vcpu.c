/* SPDX-License-Identifier: MIT */
/* common/vcpu.c: starting and stopping dom0's vcpus on their CPUs (include/vcpu.h). */
#include <console.h>
#include <cpu.h>
#include <lib.h>
#include <percpu_mm.h>
#include <printk.h>
#include <psci.h>
#include <vcpu.h>

struct domain *dom0;

struct vcpu *current_vcpu(void)
{
    unsigned int cpu = smp_processor_id();

    ASSERT(dom0 && cpu < dom0->nr_vcpus);
    return &dom0->vcpu[cpu];
}

void vcpu_check_mailbox(unsigned int cpu)
{
    struct vcpu *v;

    if ( !dom0 || cpu >= dom0->nr_vcpus )
        return;
    v = &dom0->vcpu[cpu];
    if ( v->state != VCPU_STARTING )
        return;
    /* Read entry/context only after seeing STARTING (the writer's dmb). */
    dsb(ish);
    v->state = VCPU_ON;
    arch_vcpu_enter(v, v->entry, v->context);
}

/* Back to the idle loop, on a fresh stack: the guest's frame is dropped. */
static void off_loop(void *arg)
{
    (void)arg;
    smp_idle();
}

void vcpu_off(void)
{
    struct vcpu *v = current_vcpu();

    v->state = VCPU_OFF;
    dsb(ish);       /* AFFINITY_INFO on another CPU sees OFF before this CPU idles */
    switch_stack_and_call(this_cpu()->stack_top, off_loop, NULL);
}

void vcpu_report_stage2_fault(paddr_t ipa, const char *access, u64 elr)
{
    printk("dom0: d0v%u stage-2 fault: IPA 0x%llx %s ELR 0x%llx\n", smp_processor_id(),
           (unsigned long long)ipa, access, (unsigned long long)elr);
}

void vcpu_crash(void)
{
    printk("dom0: crashed\n");
    console_flush();
    psci_system_off();
    park();
}
