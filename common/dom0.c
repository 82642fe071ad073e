/* SPDX-License-Identifier: MIT */
/* common/dom0.c: dom0's options from the command line (include/dom0.h). */
#include <cmdline.h>
#include <dom0.h>
#include <printk.h>

static u64 opt_dom0_mem = DOM0_MEM_DEFAULT;
static bool opt_dom0_mem_given;

/*
 * dom0_mem=<size>.  Xen on Arm takes one size; x86's list (min:, max:, a
 * percentage) describes ballooning and "all but a reserve", which mean
 * nothing to hypcore yet, so they are refused as bad values.
 */
static const char *parse_dom0_mem(const char *s)
{
    u64 size;
    const char *why = cmdline_read_size(s, &size);

    if ( why )
        return why;
    if ( size == 0 )
        return "dom0 needs some memory";
    opt_dom0_mem = size;
    opt_dom0_mem_given = true;
    return NULL;
}
custom_param("dom0_mem", parse_dom0_mem);

u64 dom0_mem_size(void)
{
    return opt_dom0_mem;
}

void dom0_print_options(void)
{
    printk("cmdline: dom0_mem=0x%llx%s\n", (unsigned long long)opt_dom0_mem,
           opt_dom0_mem_given ? "" : " (default)");
}
