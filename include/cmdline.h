/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor command line: space-separated "name" or "name=value"
 * options (Xen style), from /chosen xen,xen-bootargs or bootargs.
 */
#ifndef HYPCORE_CMDLINE_H
#define HYPCORE_CMDLINE_H

#include <types.h>

/*
 * cmdline_get: find the last "name=value" (or bare "name") option.  Copies
 * the value (empty for a bare name) into val, NUL-terminated and truncated
 * to len - 1 bytes.  Returns true if the option is present.
 */
bool cmdline_get(const char *cmdline, const char *name, char *val, size_t len);

#endif
