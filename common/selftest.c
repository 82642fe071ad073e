/* SPDX-License-Identifier: MIT */
#include <cmdline.h>
#include <layout.h>
#include <mem_setup.h>
#include <printk.h>
#include <sections.h>
#include <selftest.h>
#include <string.h>
#include <types.h>

/* selftest=<name>: one self-test per boot (README "Self-tests"). */
static char opt_selftest[64];
string_param("selftest", opt_selftest);

const char *selftest_option(void)
{
    return opt_selftest;
}

/* The last fixmap slot: never mapped, so reading it is a translation fault. */
#define SELFTEST_FAULT_VA ((vaddr_t)__fixmap_start + LAYOUT_FIXMAP_SIZE - 4096)

void selftest_fault(void)
{
    volatile u32 *p = (volatile u32 *)SELFTEST_FAULT_VA;

    printk("selftest fault: reading unmapped address %p\n", (void *)p);
    (void)*p;
    printk(XENLOG_ERR "selftest fault: FAILED, the read did not fault\n");
}

void selftest_run(const char *name)
{
    if ( !strcmp(name, "fault") )
        selftest_fault();
    else if ( !strcmp(name, "heap") )
        selftest_heap();
    else if ( !strcmp(name, "pt") )
        selftest_pt_cpu(0);     /* the secondaries ran theirs in secondary_start() */
    else if ( !strcmp(name, "smp") || !strncmp(name, "stall:", 6) ||
              !strncmp(name, "stack-overflow:", 15) ||
              !strncmp(name, "stack-overflow-big:", 19) )
        ;   /* run by smp_init() */
    else if ( !strcmp(name, "dom0-dtb") || !strcmp(name, "pt-leak") )
        ;   /* run by dom0_build() */
    else
        printk(XENLOG_WARNING "selftest: unknown self-test \"%s\" ignored (known: fault, "
               "heap, pt, smp, stall:<cpu>, stack-overflow:<cpu>, stack-overflow-big:<cpu>, dom0-dtb, pt-leak)\n",
               name);
}
