/* SPDX-License-Identifier: MIT */
/* Host test of common/cmdline.c: Xen-style "name" / "name=value" options. */
#include <string.h>

#include "harness.h"
#include <cmdline.h>

static void expect(const char *cmdline, const char *name, bool found, const char *val)
{
    char buf[24];
    bool got;

    memset(buf, 'x', sizeof(buf));
    got = cmdline_get(cmdline, name, buf, sizeof(buf));
    CHECK(got == found, "cmdline \"%s\": %s found=%d", cmdline ? cmdline : "(null)", name, got);
    if ( found && got )
        CHECK(!strcmp(buf, val), "cmdline \"%s\": %s=\"%s\", want \"%s\"", cmdline, name, buf, val);
}

int main(void)
{
    expect(NULL, "selftest", false, NULL);
    expect("", "selftest", false, NULL);
    expect("selftest=heap", "selftest", true, "heap");
    expect("  loglvl=all   selftest=fault  ", "selftest", true, "fault");
    expect("selftest", "selftest", true, "");
    expect("selftests=heap", "selftest", false, NULL);          /* a longer name */
    expect("myselftest=heap", "selftest", false, NULL);         /* a suffix */
    expect("selftest=heap selftest=smp", "selftest", true, "smp");  /* last wins */
    expect("selftest=stack-overflow:1", "selftest", true, "stack-overflow:1");
    expect("a=b\tselftest=x\nc", "selftest", true, "x");
    expect("selftest=0123456789abcdefghijklmnXYZ", "selftest", true, "0123456789abcdefghijklm"); /* truncated to 23 */
    expect("selftest=", "selftest", true, "");
    return harness_exit("cmdline");
}
