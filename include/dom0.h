/* SPDX-License-Identifier: MIT */
/*
 * dom0: what the hypervisor will give the first domain.  For now only its
 * memory size, from the command line; building dom0 from the boot modules
 * (design.md, "dom0") will read it here.
 */
#ifndef HYPCORE_DOM0_H
#define HYPCORE_DOM0_H

#include <types.h>

/* dom0's RAM when the command line gives no dom0_mem= (README). */
#define DOM0_MEM_DEFAULT    (128ULL << 20)

/*
 * dom0_mem_size: dom0's RAM in bytes: dom0_mem= (Xen's Arm syntax: one
 * <size>, more than 0), else DOM0_MEM_DEFAULT.  Valid once cmdline_parse()
 * has run.  The size is as given: not rounded to pages, not checked against
 * the RAM there is; the dom0 builder decides what to do with either.
 */
u64 dom0_mem_size(void);

/*
 * dom0_print_options: one line with what dom0 will get, right after the
 * command line is parsed:
 *   cmdline: dom0_mem=0x<bytes>[ (default)]
 */
void dom0_print_options(void);

#endif
