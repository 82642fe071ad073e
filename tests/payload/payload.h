/* SPDX-License-Identifier: MIT */
/*
 * Constants the arm64 and arm32 payloads share: the Xen ABI they print with,
 * the PSCI functions they call, the FDT format they read, and the test's own
 * choices (which MPIDRs, which context id).  Assembly only.
 */
#ifndef PAYLOAD_H
#define PAYLOAD_H

/* Xen hypercall ABI: HVC #0xEA1, hypercall number in x16 / r12. */
#define XEN_HVC_IMM             0xEA1
#define HYPERCALL_CONSOLE_IO    18      /* __HYPERVISOR_console_io */
#define CONSOLEIO_WRITE         0       /* (count, buffer) */

/* PSCI 0.2+ function ids (SMCCC fast calls; 64-bit variants where they differ). */
#define PSCI_HVC_IMM            0
#define PSCI_VERSION            0x84000000
#define PSCI_CPU_OFF            0x84000002
#define PSCI_CPU_ON32           0x84000003
#define PSCI_CPU_ON64           0xc4000003
#define PSCI_AFFINITY_INFO32    0x84000004
#define PSCI_AFFINITY_INFO64    0xc4000004
#define PSCI_MIGRATE_INFO_TYPE  0x84000006
#define PSCI_SYSTEM_OFF         0x84000008
#define PSCI_FEATURES           0x8400000a
#define PSCI_AFFINITY_OFF       1       /* AFFINITY_INFO: the CPU is off */

/* What the test asks of PSCI. */
#define CPU1_MPIDR              1       /* Aff0 = 1: the second vCPU */
#define BAD_MPIDR               0xff    /* Aff0 = 255: no such vCPU */
#define CPU1_CONTEXT            0x600dc0de
#define TIMEOUT_SECONDS         10      /* for cpu1's line and for it to go off */

/* Flattened device tree (devicetree specification, chapter 5), big-endian. */
#define FDT_MAGIC               0xd00dfeed
#define FDT_OFF_DT_STRUCT       8
#define FDT_OFF_DT_STRINGS      12
#define FDT_BEGIN_NODE          1
#define FDT_END_NODE            2
#define FDT_PROP                3
#define FDT_NOP                 4
#define FDT_ROOT_DEPTH          1       /* depth once the root is open */
#define FDT_TOP_DEPTH           2       /* depth inside /memory@..., /chosen */
#define FDT_DEFAULT_ADDR_CELLS  2       /* when the root does not say */
#define FDT_DEFAULT_SIZE_CELLS  1
#define NODE_OTHER              0       /* what the open top-level node is */
#define NODE_MEMORY             1
#define NODE_CHOSEN             2

/* The payload's own memory: one line buffer and one stack per CPU. */
#define LINE_MAX                512
#define STACK_SIZE              512

/* arm64 Image flags: bit 3 = "place anywhere in RAM" (booting.rst). */
#define IMAGE_FLAGS             (1 << 3)
/* arm32 zImage magic at byte 0x24 (Linux arch/arm/boot/compressed/head.S). */
#define ZIMAGE_MAGIC            0x016f2818

#endif /* PAYLOAD_H */
