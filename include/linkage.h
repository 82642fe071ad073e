/* SPDX-License-Identifier: MIT */
/*
 * Assembly routine wrappers: every routine is FUNC(name) or FUNC_LOCAL(name)
 * ... END(name), which emit the symbol type, binding, alignment and size.
 */
#ifndef HYPCORE_LINKAGE_H
#define HYPCORE_LINKAGE_H

#ifdef __ASSEMBLER__

#define FUNC(name)                  \
    .globl name;                    \
    .type name, %function;          \
    .balign 4;                      \
name:

#define FUNC_LOCAL(name)            \
    .type name, %function;          \
    .balign 4;                      \
name:

#define DATA(name, align)           \
    .globl name;                    \
    .type name, %object;            \
    .balign align;                  \
name:

#define END(name)                   \
    .size name, . - name

#endif /* __ASSEMBLER__ */
#endif /* HYPCORE_LINKAGE_H */
