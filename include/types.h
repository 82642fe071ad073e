/* SPDX-License-Identifier: MIT */
/* Fixed-width types used across hypcore (C only). */
#ifndef HYPCORE_TYPES_H
#define HYPCORE_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t s64;

/* Physical addresses are 64-bit on both architectures (arm32 uses LPAE). */
typedef uint64_t paddr_t;
/* Virtual addresses are pointer sized. */
typedef uintptr_t vaddr_t;

#define PRIpaddr "0x%llx"

#endif /* HYPCORE_TYPES_H */
