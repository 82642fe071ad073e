/* SPDX-License-Identifier: MIT */
/* PSCI (Arm DEN 0022) through the conduit the DTB's /psci node names. */
#ifndef HYPCORE_PSCI_H
#define HYPCORE_PSCI_H

#include <types.h>

/* Function IDs (SMC32 forms work from both AArch64 and AArch32). */
#define PSCI_0_2_FN_PSCI_VERSION    0x84000000U
#define PSCI_0_2_FN_SYSTEM_OFF      0x84000008U
#define PSCI_0_2_FN32_CPU_ON        0x84000003U
#define PSCI_0_2_FN64_CPU_ON        0xC4000003U

/* Return codes (DEN 0022, 5.2.2). */
#define PSCI_SUCCESS                0
#define PSCI_NOT_SUPPORTED          (-1)
#define PSCI_INVALID_PARAMETERS     (-2)
#define PSCI_DENIED                 (-3)
#define PSCI_ALREADY_ON             (-4)
#define PSCI_ON_PENDING             (-5)
#define PSCI_INTERNAL_FAILURE       (-6)
#define PSCI_NOT_PRESENT            (-7)
#define PSCI_DISABLED               (-8)
#define PSCI_INVALID_ADDRESS        (-9)

/* "ALREADY_ON" etc., or NULL for a code PSCI does not define. */
const char *psci_error_name(long err);

/*
 * psci_error_name(), or "UNKNOWN(<value>)" in @buf for a code PSCI does not
 * define (a positive return included): the value is never lost.
 */
const char *psci_error_text(long err, char *buf, size_t len);

/*
 * psci_cpu_on: start the CPU with this MPIDR at entry (paddr) with
 * context_id in x0/r0.  Returns a PSCI code.
 */
long psci_cpu_on(u64 mpidr, paddr_t entry, unsigned long context_id);

/*
 * arch_smccc_call: issue an SMC (hvc = false) or HVC with the function ID and
 * up to three arguments; returns the firmware's x0/r0.
 */
long arch_smccc_call(bool hvc, u32 fid, unsigned long a1, unsigned long a2,
                     unsigned long a3);

/*
 * psci_init: read /psci (method, and with PSCI 0.1 the function IDs, which
 * must be fast calls, distinct, and not another function's standard ID);
 * warns and returns false if CPU_ON is unusable.  SYSTEM_OFF stays usable
 * when only the 0.1 IDs are bad.
 */
bool psci_init(const void *fdt);

/* psci_system_off: power the machine off; returns only if PSCI refused. */
void psci_system_off(void);

#endif
