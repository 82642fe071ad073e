/* SPDX-License-Identifier: MIT */
/*
 * Rename hypcore's C library functions to hc_* so that common/string.c can
 * be linked into a host program beside the host's libc, which is then the
 * oracle.  Force-included (-include) when string.c is compiled for the
 * tests, and included by test-string.c around hypcore's own headers so the
 * prototypes it calls are the ones string.c implements.
 */
#define memchr   hc_memchr
#define memcmp   hc_memcmp
#define memcpy   hc_memcpy
#define memmove  hc_memmove
#define memset   hc_memset
#define strchr   hc_strchr
#define strrchr  hc_strrchr
#define strlen   hc_strlen
#define strnlen  hc_strnlen
#define strcmp   hc_strcmp
#define strncmp  hc_strncmp
#define strtoul  hc_strtoul
#define strtoull hc_strtoull
