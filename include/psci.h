/* SPDX-License-Identifier: MIT */
/* PSCI (Arm DEN 0022) through the conduit the DTB's /psci node names. */
#ifndef HYPCORE_PSCI_H
#define HYPCORE_PSCI_H

#include <types.h>

/* Function IDs (SMC32 forms work from both AArch64 and AArch32). */
#define PSCI_0_2_FN_PSCI_VERSION    0x84000000U
#define PSCI_0_2_FN_SYSTEM_OFF      0x84000008U

/*
 * arch_smccc_call: issue an SMC (hvc = false) or HVC with the function ID and
 * up to three arguments; returns the firmware's x0/r0.
 */
long arch_smccc_call(bool hvc, u32 fid, unsigned long a1, unsigned long a2,
                     unsigned long a3);

/* psci_init: read /psci (method); warns and returns false if unusable. */
bool psci_init(const void *fdt);

/* psci_system_off: power the machine off; returns only if PSCI refused. */
void psci_system_off(void);

#endif
