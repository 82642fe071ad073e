/* SPDX-License-Identifier: MIT */
/* tests/unit/dt-index-check.c: the boot DTB's index against libfdt. */
#ifndef HYPCORE_TEST_DT_INDEX_CHECK_H
#define HYPCORE_TEST_DT_INDEX_CHECK_H

#include <stdbool.h>

/* Every wrapped libfdt call on every node of @fdt against libfdt's own. */
void check_dt_index(const void *fdt);

/* Whether dt_check() left an index for @fdt (the wrapped calls answer from it). */
bool dt_index_present(const void *fdt);

#endif
