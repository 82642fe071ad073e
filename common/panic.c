/* SPDX-License-Identifier: MIT */
/* panic() and ASSERT() failures: print one line and park this CPU. */
#include <cpu.h>
#include <lib.h>
#include <printk.h>

void panic(const char *fmt, ...)
{
    va_list ap;

    printk_show_everything();           /* why we stop is never filtered */
    printk(XENLOG_ERR "PANIC on cpu%u: ", smp_processor_id());
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
    printk("\n");
    park();
}

void assert_failed(const char *cond, const char *file, int line)
{
    panic("assertion '%s' failed at %s:%d", cond, file, line);
}

/*
 * The stack protector's canary (set at boot by head.S from the counter) and
 * its failure hook, for our code and for libfdt.a, which is built with
 * -fstack-protector-strong.
 */
unsigned long __stack_chk_guard = (unsigned long)0x2f8e13a1c05d9b77ULL;

void __noreturn __stack_chk_fail(void);
void __stack_chk_fail(void)
{
    panic("stack protector: stack smashed in the caller of %p",
          __builtin_return_address(0));
}
