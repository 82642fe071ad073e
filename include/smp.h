/* SPDX-License-Identifier: MIT */
/*
 * Secondary CPUs: discovery from /cpus and /psci, bring-up through PSCI
 * CPU_ON onto per-CPU root tables, and the per-CPU data every CPU reaches
 * through TPIDR_EL2 (HTPIDR on arm32).
 */
#ifndef HYPCORE_SMP_H
#define HYPCORE_SMP_H

#include <types.h>

#ifndef CONFIG_NR_CPUS
#define CONFIG_NR_CPUS 512
#endif
#define NR_CPUS CONFIG_NR_CPUS

/* Per-CPU data: one page per CPU, at the same vaddr on every CPU. */
struct cpu_data {
    unsigned int id;            /* logical CPU number; 0 = boot CPU */
    u64 mpidr;
    paddr_t root;               /* paddr of this CPU's root table */
    paddr_t data_pa;            /* paddr of this page */
    vaddr_t slot_va;            /* percpu_base: entry.S finds the exception stack from it */
    vaddr_t guard_va;           /* its stack's guard page (entry.S: overflow check) */
    vaddr_t stack_top;
};

/*
 * Where the per-CPU private slot starts: the same vaddr on every CPU, set
 * once by the boot CPU in arch_percpu_boot_cpu() before anything uses the
 * slot (arm64 chooses it from the load address; arm32's is fixed).
 */
extern vaddr_t percpu_base;

/* The running CPU's logical number (0 before per-CPU data exists). */
unsigned int smp_processor_id(void);

/*
 * percpu_data_init: fill a CPU's data page (mapped at d, paddr data_pa) for
 * logical CPU cpu: its MPIDR, root table and stack addresses.
 */
void percpu_data_init(struct cpu_data *d, unsigned int cpu, u64 mpidr,
                      paddr_t root, paddr_t data_pa);

/* This CPU's data, or NULL before the boot CPU set up its own. */
struct cpu_data *this_cpu(void);

/*
 * smp_init: read /cpus and /psci, give the boot CPU its own root entries,
 * stack and data, then start every other CPU, waiting for each with a
 * timeout.  Prints one "smp:" line per CPU and a summary.
 */
void smp_init(const void *fdt);

/*
 * smp_prepare_boot_cpu: give the boot CPU its private slot (stack with guard
 * page, data, mapping window) and continue with cont(arg) on that stack.
 */
void __attribute__((noreturn)) smp_prepare_boot_cpu(void (*cont)(void *), void *arg);

/* The running CPU has printed a trap dump and parks for good (do_trap). */
void smp_cpu_parked(void);

/* Before power-off: wait, bounded, for online CPUs to be idle or parked. */
void smp_quiesce(void);

/* CPUs listed in /cpus (cpu0 .. n-1), after smp_init(). */
unsigned int smp_nr_cpus(void);

/* True with *mpidr (affinity bits) when cpu came online and is waiting or running. */
bool smp_cpu_usable(unsigned int cpu, u64 *mpidr);

/*
 * smp_idle_for_dom0: before smp_init(), on the boot CPU: whether idle CPUs
 * must watch for dom0's CPU_ON (a kernel module is there) or may sleep for
 * good until power-off.
 */
void smp_idle_for_dom0(bool wait);

/*
 * smp_idle: the running CPU waits in hypcore (WFE) until its vcpu is
 * started by dom0's PSCI CPU_ON (vcpu_check_mailbox).  Never returns.
 */
void __attribute__((noreturn)) smp_idle(void);

/* C entry of a secondary CPU, from head.S, on its own stack.  Never returns. */
void __attribute__((noreturn)) secondary_start(unsigned int cpu);

#endif
