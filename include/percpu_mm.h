/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU page tables and the mapping window: arch hooks (arch/<arch>/percpu.c)
 * the common SMP code calls.
 */
#ifndef HYPCORE_PERCPU_MM_H
#define HYPCORE_PERCPU_MM_H

#include <types.h>

struct cpu_data;
struct pt_build;

/* Pages a CPU's private slot holds, allocated by the boot CPU. */
struct percpu_pages {
    paddr_t stack[4];           /* PERCPU_STACK_PAGES */
    paddr_t exc_stack;
    paddr_t data;
};

/*
 * arch_percpu_boot_cpu: link the boot CPU's private slot into its root (the
 * boot root), map its pages there, point TPIDR at its data, and return the
 * stack top to switch to.  Before any secondary starts.
 */
vaddr_t arch_percpu_boot_cpu(const struct percpu_pages *pg, u64 mpidr);

/*
 * arch_cpu_prepare: build a fresh root table for a secondary: shared
 * entries, its private slot, and what its boot needs (identity mapping of
 * the MMU-on page, the temporary alias when that shares tables with the
 * runtime region); write its boot record and clean it to the PoC.  The
 * table pages go into b (zeroed by the caller), the boot-only ones marked
 * temp: the caller frees those once the CPU is online, all of them if it
 * never starts.  Returns the root's paddr, or 0 with *why set to the reason
 * ("nomem", or an arch-specific one such as "idmap-in-percpu-slot").
 */
paddr_t arch_cpu_prepare(unsigned int cpu, u64 mpidr, const struct percpu_pages *pg,
                         struct pt_build *b, const char **why);

/*
 * arch_smp_prepare_done: every secondary has been started (or given up on);
 * free what their boot shared, unless one that never checked in may still
 * be using it (!all_checked_in).
 */
void arch_smp_prepare_done(bool all_checked_in);

/*
 * Mapping window: map one page of RAM at this CPU's window slot (private:
 * the same vaddr maps a different page on each CPU), and unmap it.
 */
void *window_map(unsigned int slot, paddr_t pa);
void window_unmap(unsigned int slot);

/*
 * percpu_map_device: map device page pa at this CPU's device page i
 * (PERCPU_DEVICE_PAGE + i, private: the GICv3 wake maps its own
 * redistributor there) and return its vaddr; by the CPU itself, which may
 * call it again for the same page.
 */
vaddr_t percpu_map_device(unsigned int i, paddr_t pa);

/* Switch the running CPU to stack top sp and call fn(arg); never returns. */
void __attribute__((noreturn)) switch_stack_and_call(vaddr_t sp, void (*fn)(void *), void *arg);

#endif
