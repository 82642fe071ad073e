/* SPDX-License-Identifier: MIT */
/* Symbols the linker script defines (arch/<arch>/hypcore.lds.S). */
#ifndef HYPCORE_SECTIONS_H
#define HYPCORE_SECTIONS_H

extern char _start[], _end[], _etext[], _srodata[], _erodata[], _sdata[];
extern char _idmap_start[], _idmap_end[];
extern char __bss_start[], __bss_end[];
extern char __boot_stack_guard[];       /* one page, never mapped */
extern char __fixmap_start[], __fdt_area_start[], __runtime_end[];
extern char __percpu_start[];
/* head.S: the boot CPU's stack until smp_prepare_boot_cpu() moves it. */
extern char boot_stack[], boot_stack_top[];

#endif
