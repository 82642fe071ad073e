/* SPDX-License-Identifier: MIT */
/* Undo string-rename.h, so the test's own calls reach the host's libc. */
#undef memchr
#undef memcmp
#undef memcpy
#undef memmove
#undef memset
#undef strchr
#undef strrchr
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strtoul
#undef strtoull
